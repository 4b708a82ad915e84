"""An essay's table of contents: its h2 and h3 headings, with the ids the Markdown renderer gives them."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.token import Token

from ssg.config import SiteConfig
from ssg.content.essay import Essay
from ssg.markdown import make_parser

LEVELS = ("h2", "h3")


@dataclass(frozen=True)
class TocEntry:
    """One heading of the essay, and the headings below it (h3 under h2)."""

    id: str
    text: str
    children: tuple[TocEntry, ...] = ()


def make_toc(config: SiteConfig) -> Callable[[Essay], tuple[TocEntry, ...]]:
    """Return `toc(essay)`: its entries when the essay shows a table of contents, else ()."""
    md = make_parser(config)

    @functools.lru_cache(maxsize=64)
    def headings(digest: str, text: str) -> tuple[tuple[str, str, str], ...]:
        tokens = md.parse(text)
        found = []
        for token, inline in itertools.pairwise(tokens):
            if token.type == "heading_open" and token.tag in LEVELS and isinstance(token.attrGet("id"), str):
                found.append((token.tag, str(token.attrGet("id")), _plain(inline.children or [])))
        return tuple(found)

    def toc(essay: Essay) -> tuple[TocEntry, ...]:
        if essay.toc is False or (essay.toc is None and config.toc_min_headings == 0):
            return ()  # decided without the headings: parsing the text again cost as much as rendering it
        found = headings(essay.digest, essay.body)
        wanted = essay.toc or config.toc_min_headings <= len(found)
        return _nested(found) if wanted else ()

    return toc


def _plain(children: list[Token]) -> str:
    """Return the text of a heading's inline tokens, without markup."""
    parts = [" " if c.type in ("softbreak", "hardbreak") else c.content for c in children if c.type != "html_inline"]
    return " ".join("".join(parts).split())


def _nested(found: tuple[tuple[str, str, str], ...]) -> tuple[TocEntry, ...]:
    """Put each h3 under the h2 before it (an h3 before any h2 stands on its own)."""
    entries: list[TocEntry] = []
    under_h2 = False
    for tag, anchor, text in found:
        if tag == "h3" and under_h2:
            last = entries[-1]
            entries[-1] = TocEntry(last.id, last.text, (*last.children, TocEntry(anchor, text)))
        else:
            entries.append(TocEntry(anchor, text))
            under_h2 = tag == "h2"
    return tuple(entries)
