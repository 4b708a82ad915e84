"""An essay's `series:` front matter: which series it belongs to and, optionally, its part number."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ssg import urls
from ssg.content.reader import Reader
from ssg.content.typography import smart_quotes
from ssg.errors import Problem
from ssg.yamlload import LineMap

FORM = "write it as a name ('series: Unterwegs') or as 'series: {name: Unterwegs, part: 2}'"


@dataclass(frozen=True)
class SeriesRef:
    """What one essay says about its series: the name as shown, its URL slug and an explicit part number."""

    name: str
    slug: str
    part: int | None = None  # None: ordered by date, after the numbered parts
    line: int = field(default=0, compare=False)  # of `part:` when given, else of `series:`


def parse_series(data: LineMap, reader: Reader, language: str, typographer: bool) -> SeriesRef | None:
    """Return the essay's series, or None without one; record problems in `reader`."""
    if data.get("series") is None:
        return None
    value: Any = data["series"]
    line = data.line_of("series")
    errors = _errors(reader)
    if isinstance(value, LineMap):
        reader.unknown_keys(value, ("name", "part"), "series: ")
        name = reader.text(value, "name", "series: ", required=True)
        part = _part(value, reader)
        line = value.line_of("part") if part is not None else line
        name_line = value.line_of("name")
    elif not isinstance(value, str) and data.written("series") is None:
        reader.error(line, f"'series' must be a name or a mapping: {FORM}")
        return None
    else:
        name = reader.text(data, "series")
        if not name and _errors(reader) == errors:  # not one already reported (a control character, say)
            reader.error(line, f"'series' must not be empty: {FORM}")
            return None
        part, name_line = None, line
    if not name or _errors(reader) > errors:
        return None
    slug = urls.slug(name)
    if not slug:
        reader.error(name_line, f"series {name!r} has no letters or digits to make a URL from")
        return None
    shown = smart_quotes(name, language) if typographer else name
    return SeriesRef(shown, slug, part, line)


def _errors(reader: Reader) -> int:
    return sum(p.severity == "error" for p in reader.problems)


def _part(value: LineMap, reader: Reader) -> int | None:
    part = value.get("part")
    if part is None:
        return None
    if isinstance(part, bool) or not isinstance(part, int) or part < 1:
        reader.error(value.line_of("part"), f"series: 'part' must be a whole number from 1 on, not {part!r}")
        return None
    return part


def duplicate_parts(refs: Iterable[tuple[str, SeriesRef | None]]) -> list[Problem]:
    """Return an error for each essay (source file, series) giving its series a part number an earlier one has."""
    first: dict[tuple[str, int], str] = {}
    problems = []
    for source, ref in refs:
        if ref is None or ref.part is None:
            continue
        other = first.setdefault((ref.slug, ref.part), source)
        if other != source:
            msg = f"series {ref.name!r}: part {ref.part} is already {other} (give one of them another 'part')"
            problems.append(Problem(source, ref.line or None, msg))
    return problems
