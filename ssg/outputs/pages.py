"""Home page, essay pages, archive and 404."""

from __future__ import annotations

from ssg import urls
from ssg.outputs import Output, Page
from ssg.site import Site


def plan(site: Site) -> list[Output]:
    """Return the home page, one page per essay, the archive and the 404 page."""
    config = site.config
    outputs = [
        Output(
            "/", "index.html", {"page": Page("/", config.title, description=config.description), "essays": site.essays}
        ),
        Output(
            urls.archive_url(config.urls),
            "archive.html",
            {"page": Page(urls.archive_url(config.urls), title_key="archive"), "years": site.years},
        ),
        Output("/404.html", "404.html", {"page": Page("/404.html", title_key="not_found", noindex=True)}),
    ]
    for essay in site.essays:
        url = urls.essay_url(essay.slug)
        context = {
            "page": Page(url, essay.title, description=essay.summary, kind="article"),
            "essay": essay,
            "newer": site.newer(essay),
            "older": site.older(essay),
        }
        outputs.append(Output(url, "essay.html", context, source=essay.source))
    return outputs
