"""Tag pages and the tag index."""

from __future__ import annotations

from ssg import urls
from ssg.outputs import Output, PageMeta
from ssg.site import Site


def plan(site: Site) -> list[Output]:
    """Return the tag index and one page per tag."""
    segments = site.config.urls
    index_url = urls.tag_index_url(segments)
    outputs = [Output(index_url, "tags.html", {"page": PageMeta(index_url, title_key="tags"), "tags": site.tags})]
    for tag in site.tags:
        url = urls.tag_url(segments, tag.slug)
        outputs.append(Output(url, "tag.html", {"page": PageMeta(url, tag.name), "tag": tag}))
    return outputs
