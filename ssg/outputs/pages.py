"""Home page, essay pages, archive and 404."""

from __future__ import annotations

from dataclasses import dataclass

from ssg import urls
from ssg.content.essay import Essay, EssayCard
from ssg.outputs import Output, Page
from ssg.site import Site


@dataclass(frozen=True)
class Pagination:
    """Where one page of the home page's list stands among the others."""

    number: int
    total: int
    newer_url: str | None
    older_url: str | None


def home_pages(site: Site) -> list[Output]:
    """Return the home page, split into pages of `per_page` essays (the archive lists all)."""
    config = site.config
    size = config.per_page or max(1, len(site.cards))
    chunks = [site.cards[i : i + size] for i in range(0, len(site.cards), size)] or [()]
    outputs = []
    for number, chunk in enumerate(chunks, 1):
        url = urls.home_page_url(config.urls, number)
        pagination = Pagination(
            number,
            len(chunks),
            urls.home_page_url(config.urls, number - 1) if number > 1 else None,
            urls.home_page_url(config.urls, number + 1) if number < len(chunks) else None,
        )
        essays: tuple[EssayCard, ...] = tuple(chunk)
        page = Page(url, config.title, description=config.description, noindex=number > 1)
        outputs.append(Output(url, "index.html", {"page": page, "essays": essays, "pagination": pagination}))
    return outputs


def plan(site: Site) -> list[Output]:
    """Return the home page(s), one page per essay, the archive and the 404 page."""
    config = site.config
    outputs = [
        *home_pages(site),
        Output(
            urls.archive_url(config.urls),
            "archive.html",
            {"page": Page(urls.archive_url(config.urls), title_key="archive"), "years": site.years},
        ),
        Output("/404.html", "404.html", {"page": Page("/404.html", title_key="not_found", noindex=True)}),
    ]
    outputs.extend(essay_page(site, essay) for essay in site.essays)
    return outputs


def essay_page(site: Site, essay: Essay) -> Output:
    """Return an essay's page."""
    url = urls.essay_url(essay.slug)
    context = {
        "page": Page(url, essay.title, description=essay.summary, kind="article"),
        "essay": essay,
        "newer": site.newer(essay),
        "older": site.older(essay),
    }
    return Output(url, "essay.html", context, source=essay.source)
