"""Atom feed, JSON Feed, sitemap and robots.txt."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import jinja2

from ssg import urls
from ssg.config import SiteConfig
from ssg.content.essay import Essay, timestamp
from ssg.outputs import Output
from ssg.site import Site

ATOM_URL = "/feed.xml"
JSON_FEED_URL = "/feed.json"
SITEMAP_URL = "/sitemap.xml"
FEED_ENTRY = "_feed_entry.html"  # what follows the essay's text in an entry: its questions, its worksheet
FEED_SERIES = "_feed_series.html"  # what comes before it: the series it is part of
SITEMAP_LIMIT = 50_000  # URLs in one sitemap file (sitemaps.org); a larger site gets a sitemap index


def plan(site: Site, sitemap_urls: list[str]) -> list[Output]:
    """Return the Atom feed, the JSON Feed, the sitemap and robots.txt."""
    limit = site.config.feed_items
    entries = site.essays[:limit] if limit else site.essays
    # What the entries publish beside them: body() points their references at it (part of the feeds' keys).
    files = {e.source: site.attachments[e.source] for e in entries if e.source in site.attachments}
    context = {"entries": entries, "updated": _updated(entries), "attachments": files}
    return [
        Output(ATOM_URL, "atom.xml", context),
        Output(
            JSON_FEED_URL,
            context={"config": site.config, "entries": entries, "attachments": files},
            producer=json_feed,
            templates=(FEED_ENTRY, FEED_SERIES),
        ),
        *sitemaps(site, sitemap_urls),
        Output("/robots.txt", "robots.txt", {}),
    ]


def sitemaps(site: Site, page_urls: list[str]) -> list[Output]:
    """Return the sitemap, or, past SITEMAP_LIMIT pages, a sitemap index and the sitemaps it lists."""
    lastmod = _lastmods(site)
    if len(page_urls) <= SITEMAP_LIMIT:
        return [Output(SITEMAP_URL, "sitemap.xml", {"page_urls": page_urls, "lastmod": lastmod})]
    outputs = []
    for number, start in enumerate(range(0, len(page_urls), SITEMAP_LIMIT), 1):
        part = page_urls[start : start + SITEMAP_LIMIT]
        context = {"page_urls": part, "lastmod": {url: lastmod[url] for url in part if url in lastmod}}
        outputs.append(Output(f"/sitemap-{number}.xml", "sitemap.xml", context))
    index = {"sitemap_urls": [o.url for o in outputs]}
    return [Output(SITEMAP_URL, "sitemap-index.xml", index), *outputs]


def _updated(entries: tuple[Essay, ...]) -> Any:
    stamps = [e.updated or e.date for e in entries]
    return max(stamps) if stamps else None


def _lastmods(site: Site) -> dict[str, str]:
    found = {urls.essay_url(e.slug): (e.updated or e.date).date().isoformat() for e in site.essays}
    found.update({p.url: p.updated.date().isoformat() for p in site.pages if p.updated})
    return found


def json_feed(context: Mapping[str, Any], env: jinja2.Environment) -> bytes:
    """Return a JSON Feed 1.1 document with the full content of each entry, its questions and worksheet link."""
    config: SiteConfig = context["config"]
    entries: tuple[Essay, ...] = context["entries"]
    files = context["attachments"]
    render_body = env.globals["render_body"]
    reflection = env.get_template(FEED_ENTRY).module.reflection  # type: ignore[attr-defined]
    series_line = env.get_template(FEED_SERIES).module.series_line  # type: ignore[attr-defined]
    author = {"name": config.author.name}
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": config.base_url,
        "feed_url": urls.absolute(config.base_url, JSON_FEED_URL),
        "language": config.language,
        "authors": [author],
        # Readers copy JSON Feed items whole: the files beside an essay are named by absolute URLs.
        "items": [_item(config.base_url, e, _content(e, files, render_body, series_line, reflection)) for e in entries],
    }
    if config.description:
        feed["description"] = config.description
    return (json.dumps(feed, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def _content(essay: Essay, files: Mapping[str, Any], render_body: Any, before: Any, after: Any) -> str:
    """Return an entry's HTML: its series, its text (files beside it by absolute URL), its questions."""
    return str(before(essay)) + str(render_body(essay, files.get(essay.source), True)) + str(after(essay))


def _item(base_url: str, essay: Essay, html: str) -> dict[str, Any]:
    link = urls.absolute(base_url, urls.essay_url(essay.slug))
    item: dict[str, Any] = {
        "id": link,
        "url": link,
        "title": essay.title,
        "content_html": html,
        "date_published": timestamp(essay.date),
    }
    if essay.updated:
        item["date_modified"] = timestamp(essay.updated)
    if essay.summary:
        item["summary"] = essay.summary
    if essay.tags:
        item["tags"] = list(essay.tags)
    return item
