"""Typographic quotes for the site's language: in the body (markdown-it's typographer) and in titles."""

from __future__ import annotations

import functools

# CLDR quotation marks by language (Babel does not expose them): double open/close, single open/close.
_QUOTES = {"de": "„“‚‘", "en": "“”‘’", "fr": "«»‹›", "es": "«»“”", "it": "«»“”", "nl": "“”‘’", "pl": "„”‚’"}
_SWISS = "«»‹›"
_OPENS_AFTER = " \t\n([{/-–—„“‚‘«‹"  # a quote after these (or at the start) opens; elsewhere it closes
APOSTROPHE = "’"


def quotes_for(language: str) -> str:
    """Return the four typographic quote characters of a language (double, then single)."""
    code = language.replace("_", "-").lower()
    if code in ("de-ch", "de-li"):
        return _SWISS
    return _QUOTES.get(code.split("-")[0], _QUOTES["en"])


@functools.lru_cache(maxsize=4096)
def smart_quotes(text: str, language: str) -> str:
    """Return `text` with straight quotes as the language's typographic ones: "Größe" -> „Größe“ in German.

    A single quote between letters is an apostrophe (Rock'n'Roll, don't). Text without straight quotes is
    returned as it is.
    """
    if '"' not in text and "'" not in text:
        return text
    marks = quotes_for(language)
    double_open, double_close, single_open, single_close = marks[0], marks[1], marks[2], marks[3]
    out = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        opens = before in _OPENS_AFTER
        if char == '"':
            out.append(double_open if opens else double_close)
        elif char == "'":
            if before.isalnum() and after.isalnum():
                out.append(APOSTROPHE)
            else:
                out.append(single_open if opens and not after.isspace() else single_close)
        else:
            out.append(char)
    return "".join(out)
