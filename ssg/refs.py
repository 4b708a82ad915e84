"""References in pages, stylesheets and Markdown: what a page links to and what it makes the browser load."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Attributes that make a browser fetch something by itself (as opposed to a link a reader follows).
_EMBEDS = {
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"), ("iframe", "src"),
    ("frame", "src"), ("embed", "src"), ("object", "data"), ("input", "src"), ("image", "href"),
    ("image", "xlink:href"), ("use", "href"), ("use", "xlink:href"),
    # Not fetched at once, but sending the reader's browser (or what they typed) elsewhere without a link to
    # follow: the base every relative URL of the page resolves against, and where forms send their fields.
    ("base", "href"), ("form", "action"), ("button", "formaction"), ("input", "formaction"),
}  # fmt: skip
_URL_LISTS = {("a", "ping"), ("area", "ping")}  # space-separated URLs, each sent a request when a link is followed
_LINKS = {("a", "href"), ("area", "href")}
# <link rel=…> values that only name another document; every other rel (stylesheet, icon, preload, …) loads it.
_NAMING_RELS = {"alternate", "author", "bookmark", "canonical", "help", "license", "me", "next", "prev", "search"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_CSS_IMAGE_SET = re.compile(r"""image-set\(([^)]*)\)""")  # image-set("a.png" 1x, url(b.png) 2x)
_CSS_STRING = re.compile(r"""(['"])([^'"]+)\1""")
_REFRESH_URL = re.compile(r"""url\s*=\s*['"]?([^'"\s]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Ref:
    """One reference in HTML or Markdown: a link to follow or a resource the browser loads."""

    tag: str
    value: str
    line: int
    embed: bool
    alt: str | None = ""  # for images: None when the alt text is missing
    written: str = ""  # the reference as the author wrote it, when the renderer changed it

    @property
    def shown(self) -> str:
        """Return the reference as the author knows it."""
        return self.written or self.value


@dataclass
class PageScan:
    """What a page offers (element ids) and what it refers to."""

    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.scan = PageScan()
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        line = self.first_line + self.getpos()[0] - 1
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.scan.ids.add(values[key])
        self.in_style = tag == "style"
        self.scan.refs.extend(css_refs(values.get("style", ""), line))
        rels = set(values.get("rel", "").lower().split())
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = _REFRESH_URL.search(values.get("content", ""))
            if target:
                self.scan.refs.append(Ref("meta", target.group(1), line, True))
        for key, value in values.items():
            if (tag, key) in _URL_LISTS:
                self.scan.refs.extend(Ref(tag, one, line, True) for one in value.split())
                continue
            embed = (tag, key) in _EMBEDS or (tag == "link" and key == "href" and not rels <= _NAMING_RELS)
            if not value or not (embed or (tag, key) in _LINKS or (tag, key) == ("link", "href")):
                continue
            alt = values.get("alt") if tag == "img" else ""
            for one in _srcset(value) if key == "srcset" else [value.strip()]:
                self.scan.refs.append(Ref(tag, one, line, embed, alt))

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.scan.refs.extend(css_refs(data, self.first_line + self.getpos()[0] - 1))


def _srcset(value: str) -> list[str]:
    return [c.split()[0] for c in value.split(",") if c.strip()]


def scan_html(html: str, first_line: int = 1) -> PageScan:
    """Return the ids and references of an HTML document or fragment."""
    scanner = _Scanner(first_line)
    scanner.feed(html)
    scanner.close()
    return scanner.scan


def css_refs(css: str, line: int = 1) -> list[Ref]:
    """Return the resources a stylesheet (or style attribute) loads."""
    found = [(m.start(), (m.group(2) or m.group(4) or "").strip()) for m in _CSS_URL.finditer(css)]
    for image_set in _CSS_IMAGE_SET.finditer(css):  # its plain strings are URLs, too
        found.extend((image_set.start(), m.group(2).strip()) for m in _CSS_STRING.finditer(image_set.group(1)))
    refs = []
    for start, value in sorted(set(found)):
        if value and not value.startswith("data:"):
            refs.append(Ref("css", value, line + css.count("\n", 0, start), True))
    return refs


def markdown_refs(md: MarkdownIt, text: str, first_line: int) -> list[Ref]:
    """Return the links, images and raw-HTML references of Markdown, with their lines in the file."""
    refs: list[Ref] = []
    line = first_line
    for token in md.parse(text):
        if token.map is not None:
            line = first_line + token.map[0]
        if token.type == "html_block":
            refs.extend(scan_html(token.content, line).refs)
        elif token.type == "inline":
            refs.extend(_inline_refs(token.children or [], line))
    return refs


def _inline_refs(children: Sequence[Token], line: int) -> list[Ref]:
    refs: list[Ref] = []
    for child in children:
        if child.type == "link_open":
            refs.append(Ref("a", str(child.attrGet("href") or ""), line, False))
        elif child.type == "image":
            refs.append(Ref("img", str(child.attrGet("src") or ""), line, True, child.content.strip() or None))
        elif child.type == "html_inline":
            refs.extend(scan_html(child.content, line).refs)
        line += 1 if child.type in ("softbreak", "hardbreak") else child.content.count("\n")
    return refs
