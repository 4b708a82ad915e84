"""Split an essay file into its YAML front matter and its Markdown body."""

from __future__ import annotations

import unicodedata

from ssg import yamlload
from ssg.content.reader import CONTROL_CHARACTERS, Reader, control_problem
from ssg.errors import ContentError

_OPEN = "---"
_CLOSE = ("---", "...")


def normalize(raw: bytes, path: str, checked: bool = False) -> str:
    """Decode UTF-8 (with or without BOM) and turn CRLF/CR line endings into LF (`checked`: bytes that were
    normalized before, so that they hold no control characters)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(path, line, "file is not valid UTF-8 (save it as UTF-8)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if not text.isascii():
        # Some editors (and text pasted from macOS) write "Ü" as "U" plus a combining diaeresis: read every
        # text composed, so titles, tags and slugs are the same however the file was typed.
        text = unicodedata.normalize("NFC", text)
    found = None if checked else CONTROL_CHARACTERS.search(text)
    if found is not None:
        problem = control_problem(found.group())
        raise ContentError(path, text.count("\n", 0, found.start()) + 1, f"the file {problem}")
    return text


def read(raw: bytes, reader: Reader) -> tuple[str, yamlload.LineMap, str, int] | None:
    """Return a file's normalized text, front matter, body and body line; None (problems in `reader`) if broken."""
    try:
        text = normalize(raw, reader.path)
        data, body, body_line = split(text, reader.path)
    except ContentError as exc:
        reader.problems.extend(exc.problems)
        return None
    return text, data, body, body_line


def split(text: str, path: str) -> tuple[yamlload.LineMap, str, int]:
    """Return (front matter mapping, body, 1-based line where the body starts)."""
    first = _line_end(text, 0)
    if text[:first].rstrip() != _OPEN:
        raise ContentError(path, 1, "missing front matter: the file must start with a line '---'")
    # Line by line up to the closing line only: the body (most of the file) is sliced off, not split.
    start, end = first + 1, 1
    while start <= len(text):
        stop = _line_end(text, start)
        if text[start:stop].rstrip() in _CLOSE:
            break
        start, end = stop + 1, end + 1
    else:
        raise ContentError(path, 1, "front matter is not closed: add a line '---' after it")
    block = text[first + 1 : start - 1] if end > 1 else ""
    try:
        data = yamlload.load(block, line_offset=1)
    except yamlload.YamlError as exc:
        raise ContentError(path, exc.line, exc.message) from None
    if data is None:
        data = yamlload.LineMap()
        data.line = 2
    if not isinstance(data, yamlload.LineMap):
        raise ContentError(path, 2, "front matter must be a mapping of 'key: value' lines")
    return data, text[stop + 1 :], end + 2


def _line_end(text: str, start: int) -> int:
    """Return where the line starting at `start` ends: its newline, or the end of the text."""
    found = text.find("\n", start)
    return len(text) if found < 0 else found
