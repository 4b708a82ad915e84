"""Text as CSS strings, for the print rules a page writes for its own paper (running header, page numbers)."""

from __future__ import annotations

import re

from markupsafe import Markup

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def css_string(text: str) -> Markup:
    """Return `text` as a quoted CSS string that is safe inside a <style> element.

    Every character but letters, digits, space and . , : / - is written as a hex escape, so no quote,
    backslash, `<` (as in `</style>`) or line break of an author's title can end the string or the element.
    """
    out = "".join(ch if ch.isalnum() or ch in " .,:/-" else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{out}"')


def css_content(text: str, **values: str) -> Markup:
    """Return a UI string with {placeholders} as a CSS `content` value: "Seite " counter(page) " von " ...

    `values` maps each placeholder to CSS written by the theme (a counter), never to an author's text.
    """
    parts: list[str] = []
    for index, piece in enumerate(_PLACEHOLDER.split(text)):
        if index % 2:
            parts.append(values[piece])
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts) or '""')
