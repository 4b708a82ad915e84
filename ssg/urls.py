"""Pure URL functions: slugs, site-relative URLs and their safe output paths."""

from __future__ import annotations

import functools
import unicodedata

from slugify import slugify as _slugify

from ssg.config import UrlSegments
from ssg.names import windows_reserved

# German transliteration first, so "Über Größe" becomes "ueber-groesse" and not "uber-grosse".
_GERMAN = [("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")]

RESERVED = frozenset({"static", "404.html", "feed.xml", "feed.json", "sitemap.xml", "robots.txt"})


MAX_SLUG = 200  # characters (ASCII): file systems allow 255 bytes for a name


@functools.lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """Return a lowercase ASCII slug with German transliteration, cut at a word to at most MAX_SLUG.

    A text without letters or digits (an emoji, a symbol) is named by its characters' code points:
    "🌱" becomes "u1f331". A slug Windows cannot hold as a name ("con", "nul") gets "-1": "con-1".
    """
    value = str(_slugify(text, replacements=_GERMAN, lowercase=True, max_length=MAX_SLUG, word_boundary=True))
    if not value:
        points = [f"u{ord(c):x}" for c in text if not c.isspace() and unicodedata.category(c)[0] not in "ZC"]
        value = "-".join(points)[:MAX_SLUG].rstrip("-")
    return value + "-1" if windows_reserved(value) else value


def is_safe_slug(value: str) -> bool:
    """Tell whether `value` is one harmless URL path segment."""
    return bool(value) and value == slug(value)


def essay_url(essay_slug: str) -> str:
    """Return the URL of an essay page."""
    return f"/{essay_slug}/"


def worksheet_url(urls: UrlSegments, essay_slug: str) -> str:
    """Return the URL of an essay's worksheet page."""
    return f"/{essay_slug}/{urls.worksheet}/"


def worksheet_pdf_url(urls: UrlSegments, essay_slug: str) -> str:
    """Return the URL of an essay's worksheet as a PDF handout, beside its page (/x/arbeitsblatt/x-arbeitsblatt.pdf)."""
    return f"{worksheet_url(urls, essay_slug)}{essay_slug}-{urls.worksheet}.pdf"


def booklet_pdf_url(urls: UrlSegments, number: int) -> str:
    """Return the URL of booklet part `number` as one PDF, beside its page ('/arbeitsblaetter/heft/2/…-heft-2.pdf')."""
    name = f"{urls.worksheets}-{urls.booklet}" + ("" if number <= 1 else f"-{number}")
    return f"{booklet_part_url(urls, number)}{name}.pdf"


def tag_index_url(urls: UrlSegments) -> str:
    """Return the URL of the list of all tags."""
    return f"/{urls.tags}/"


def tag_url(urls: UrlSegments, tag_slug: str) -> str:
    """Return the URL of one tag's page."""
    return f"/{urls.tags}/{tag_slug}/"


def series_index_url(urls: UrlSegments) -> str:
    """Return the URL of the list of all series."""
    return f"/{urls.series}/"


def series_url(urls: UrlSegments, series_slug: str) -> str:
    """Return the URL of one series' page."""
    return f"/{urls.series}/{series_slug}/"


def home_page_url(urls: UrlSegments, number: int) -> str:
    """Return the URL of page `number` of the home page's list."""
    return "/" if number <= 1 else f"/{urls.page}/{number}/"


def archive_url(urls: UrlSegments) -> str:
    """Return the URL of the archive."""
    return f"/{urls.archive}/"


def worksheet_index_url(urls: UrlSegments) -> str:
    """Return the URL of the list of all worksheets."""
    return f"/{urls.worksheets}/"


def booklet_url(urls: UrlSegments) -> str:
    """Return the URL of the booklet holding every worksheet."""
    return f"/{urls.worksheets}/{urls.booklet}/"


def booklet_part_url(urls: UrlSegments, number: int) -> str:
    """Return the URL of part `number` of the booklet (the first is the booklet's own URL)."""
    return booklet_url(urls) if number <= 1 else f"{booklet_url(urls)}{number}/"


def reserved_segments(urls: UrlSegments) -> frozenset[str]:
    """Return first URL segments an essay slug must not take."""
    return RESERVED | {urls.tags, urls.archive, urls.worksheets, urls.page, urls.series}


@functools.lru_cache(maxsize=65536)  # a build asks for every output's path two or three times
def output_path(url: str) -> str:
    """Map a site URL to its file's path in the output folder ('a/index.html'); refuse anything that could escape."""
    if not url.startswith("/") or "\\" in url or "\x00" in url:
        raise ValueError(f"unsafe URL {url!r}")
    if "//" not in url and "/." not in url:
        # The common case, made quickly: nothing to drop, nothing that could climb out.
        return url[1:] + "index.html" if url.endswith("/") else url[1:]
    parts = [p for p in url.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise ValueError(f"unsafe URL {url!r}")
    if url.endswith("/"):
        parts.append("index.html")
    return "/".join(parts)


def absolute(base_url: str, url: str) -> str:
    """Join the site's base_url (ending in '/') and a site URL."""
    return base_url + url.lstrip("/")


def relative_to_base(base_path: str, url: str) -> str:
    """Prefix a site URL with the base path, for links inside the site."""
    return base_path + url.lstrip("/")
