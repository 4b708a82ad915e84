"""Typed access to front-matter mappings that records problems with their lines."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ssg.errors import Problem
from ssg.yamlload import LineList, LineMap

_MISSING = object()
# Characters XML cannot carry at all and HTML only as parse errors: one of them in a title breaks the feed.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def control_problem(text: str) -> str | None:
    """Return what is wrong if `text` holds a control character pages and feeds cannot carry."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    return f"contains the control character U+{ord(found.group()):04X}, which pages and feeds cannot carry: remove it"


@dataclass
class Reader:
    """Reads values out of LineMaps and collects a Problem for each bad one."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int | None, message: str) -> None:
        """Record an error at `line`."""
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int | None, message: str) -> None:
        """Record a warning at `line`."""
        self.problems.append(Problem(self.path, line, message, "warning"))

    def unknown_keys(self, data: LineMap, known: Iterable[str], where: str) -> None:
        """Warn about each key of `data` that is not in `known`."""
        allowed = set(known)
        for key in data:
            if key not in allowed:
                options = ", ".join(sorted(allowed))
                self.warn(data.line_of(key), f"{where}unknown key '{key}' (ignored; known: {options})")

    def text(self, data: LineMap, key: str, where: str = "", required: bool = False) -> str:
        """Return a string value ('' when absent).

        A plain value YAML reads as a number, date or yes/no is taken as written: `title: 12:30` is "12:30",
        not the 750 of YAML's base 60.
        """
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.error(data.line_of(key), f"{where}'{key}' is missing")
            return ""
        if not isinstance(value, str):
            value = data.written(key)
            if value is None:
                self.error(data.line_of(key), f"{where}'{key}' must be text")
                return ""
        result = value.strip()
        if required and not result:
            self.error(data.line_of(key), f"{where}'{key}' must not be empty")
        if (problem := control_problem(result)) is not None:
            self.error(data.line_of(key), f"{where}'{key}' {problem}")
            return ""
        return result

    def number(self, data: LineMap, key: str, where: str, default: float | None) -> float | None:
        """Return a number value, or `default` when absent."""
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.error(data.line_of(key), f"{where}'{key}' must be a number (not .inf or .nan)")
            return default
        return float(value)

    def integer(self, data: LineMap, key: str, where: str, default: int) -> int:
        """Return a whole-number value, or `default` when absent."""
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(data.line_of(key), f"{where}'{key}' must be a whole number")
            return default
        return value

    def boolean(self, data: LineMap, key: str, where: str, default: bool = False) -> bool:
        """Return a true/false value, or `default` when absent."""
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return default
        if not isinstance(value, bool):
            self.error(data.line_of(key), f"{where}'{key}' must be true or false")
            return default
        return value

    def text_list(self, data: LineMap, key: str, where: str) -> tuple[list[str], list[int]]:
        """Return a list of strings (a single string counts as a list of one) and their lines."""
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return [], []
        line = data.line_of(key)
        single = value if isinstance(value, str) else data.written(key)
        if single is not None:
            if (problem := control_problem(single)) is not None:
                self.error(line, f"{where}'{key}' {problem}")
                return [], []
            return [single.strip()], [line]
        if not isinstance(value, LineList):
            self.error(line, f"{where}'{key}' must be a list")
            return [], []
        items: list[str] = []
        lines: list[int] = []
        for index, (item, item_line) in enumerate(zip(value, value.item_lines, strict=True)):
            text = item if isinstance(item, str) else value.written(index)
            if text is None:
                self.error(item_line, f"{where}'{key}' items must be text")
                continue
            if (problem := control_problem(text)) is not None:
                self.error(item_line, f"{where}'{key}' {problem}")
                continue
            items.append(text.strip())
            lines.append(item_line)
        return items, lines


def as_map(value: Any) -> LineMap | None:
    """Return `value` if it is a mapping from YAML, else None."""
    return value if isinstance(value, LineMap) else None
