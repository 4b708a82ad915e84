"""Home page, essay pages, standalone pages, archive and 404."""

from __future__ import annotations

from dataclasses import dataclass

from ssg import urls
from ssg.content.essay import Essay, EssayCard
from ssg.content.page import Page
from ssg.outputs import Output, PageMeta
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
        page = PageMeta(url, config.title, description=config.description, noindex=number > 1)
        outputs.append(Output(url, "index.html", {"page": page, "essays": essays, "pagination": pagination}))
    return outputs


def plan(site: Site) -> list[Output]:
    """Return the home page(s), one page per essay and per standalone page, the archive and the 404 page."""
    config = site.config
    outputs = [
        *home_pages(site),
        Output(
            urls.archive_url(config.urls),
            "archive.html",
            {"page": PageMeta(urls.archive_url(config.urls), title_key="archive"), "years": site.years},
        ),
        Output("/404.html", "404.html", {"page": PageMeta("/404.html", title_key="not_found", noindex=True)}),
    ]
    outputs.extend(essay_page(site, essay) for essay in site.essays)
    outputs.extend(standalone_page(site, page) for page in site.pages)
    return outputs


def standalone_page(site: Site, page: Page) -> Output:
    """Return a standalone page (rendered with page.html)."""
    files = site.attachments.get(page.source)
    meta = PageMeta(page.url, page.title, description=page.description, image=files.image if files else "")
    context = {"page": meta, "doc": page, **({"attachments": {page.source: files}} if files else {})}
    return Output(page.url, "page.html", context, source=page.source)


def essay_page(site: Site, essay: Essay) -> Output:
    """Return an essay's page."""
    url = urls.essay_url(essay.slug)
    files = site.attachments.get(essay.source)
    image = files.image if files else ""
    context = {
        "page": PageMeta(url, essay.title, description=essay.summary, kind="article", image=image),
        "essay": essay,
        "newer": site.newer(essay),
        "older": site.older(essay),
        "related": site.related(essay),
        # Its series with every published part's card: a part's new title or date re-renders the others, its
        # text does not.
        "series": site.series_of(essay),
    }
    if files:
        context["attachments"] = {essay.source: files}  # what body(essay) publishes beside it: part of its key
    return Output(url, "essay.html", context, source=essay.source)
