"""Series pages and the index of all series."""

from __future__ import annotations

from ssg import urls
from ssg.outputs import Output, PageMeta
from ssg.site import Site


def plan(site: Site) -> list[Output]:
    """Return one page per series and, when there is a series, the index of all of them."""
    if not site.series:
        return []
    segments = site.config.urls
    index_url = urls.series_index_url(segments)
    index = PageMeta(index_url, title_key="series")
    outputs = [Output(index_url, "series-index.html", {"page": index, "all_series": site.series})]
    for series in site.series:
        url = urls.series_url(segments, series.slug)
        outputs.append(Output(url, "series.html", {"page": PageMeta(url, series.name), "series": series}))
    return outputs
