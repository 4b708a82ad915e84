"""Aliases: the old addresses of an essay or page, read from front matter and made into site paths."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from ssg import urls
from ssg.config import SiteConfig
from ssg.content.reader import Reader
from ssg.names import windows_reserved
from ssg.yamlload import LineMap


def parse_aliases(data: LineMap, config: SiteConfig, reader: Reader) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Return the aliases as site URLs ('/alter-titel/') and their lines; record problems in `reader`."""
    values, lines = reader.text_list(data, "aliases", "")
    found: dict[str, int] = {}
    for value, line in zip(values, lines, strict=True):
        url, problem = alias_url(value, config.base_url)
        if problem is not None:
            reader.error(line, f"alias {value!r} {problem}")
        elif url in found:
            reader.warn(line, f"alias {value!r} is given twice")
        else:
            found[url] = line
    return tuple(found), tuple(found.values())


def alias_url(value: str, base_url: str) -> tuple[str, str | None]:
    """Return an old address as a site URL, or what is wrong with it.

    Accepted: a path on the site ('/alter-titel/', 'alter-titel', '/alt.html') or a full address under
    base_url. A last segment without a dot is a folder: '/alter-titel' becomes '/alter-titel/'.
    """
    text = value.strip()
    if text.startswith(base_url):
        text = "/" + text[len(base_url) :]
    parts = urlsplit(text)
    if parts.scheme or parts.netloc or text.startswith("//"):
        return "", f"must be a path on this site (like /alter-titel/), not an address elsewhere (the site: {base_url})"
    if parts.query or parts.fragment:
        return "", "must be a path without '?' or '#' (a static site cannot answer those differently)"
    path = unquote(parts.path)
    path = path if path.startswith("/") else "/" + path
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if path == "/":
        return "", "cannot be the home page"
    if not path.endswith("/") and "." not in last:
        path += "/"
    try:
        urls.output_path(path)
    except ValueError:
        return "", "must be a plain path on the site (no '..', '\\' or empty parts)"
    if "//" in path or any(c in path for c in "\\\"<>") or path.split("/")[1] == "static":
        return "", "must be a plain path on the site outside /static/"
    if any(windows_reserved(part) for part in path.split("/")):
        return "", "holds a name Windows cannot give a file or folder (CON, PRN, AUX, NUL, COM1–9, LPT1–9)"
    return path, None
