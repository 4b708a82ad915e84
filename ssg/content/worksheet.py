"""Prompts and worksheet front matter -> typed, validated model; scoring."""

from __future__ import annotations

import difflib
import pickle
import re
from dataclasses import dataclass
from typing import Any

from ssg.content import formula
from ssg.content.reader import Reader, as_map
from ssg.content.score import Score, parse_score
from ssg.yamlload import LineList, LineMap

FIELD_TYPES = ("text", "scale", "choice", "number", "computed")
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_COMMON_KEYS = ("id", "type", "label", "help")
_TYPE_KEYS = {
    "text": ("lines",),
    "scale": ("min", "max", "left", "right", "reverse"),
    "choice": ("options", "multiple"),
    "number": ("min", "max", "step", "unit"),
    "computed": ("formula", "decimals", "unit"),
}


@dataclass(frozen=True)
class Prompt:
    """A reflection question, with an optional hint."""

    text: str
    hint: str = ""


@dataclass(frozen=True)
class Field:
    """One worksheet field; attributes unused by its type keep their defaults."""

    id: str
    type: str
    label: str
    help: str = ""
    min: float | None = None
    max: float | None = None
    step: float | None = None
    unit: str = ""
    left: str = ""
    right: str = ""
    reverse: bool = False
    options: tuple[str, ...] = ()
    multiple: bool = False
    lines: int = 3
    formula: formula.Expr | None = None
    decimals: int = 0

    @property
    def scale_points(self) -> list[int]:
        """Return the points of a scale, from min to max."""
        return list(range(int(self.min or 0), int(self.max or 0) + 1))

    def scored(self, value: int) -> int:
        """Return what an answer counts in the score (reverse items inverted)."""
        low, high = int(self.min or 0), int(self.max or 0)
        return low + high - value if self.reverse else value


@dataclass(frozen=True)
class Worksheet:
    """A self-assessment a reader fills in on screen or on paper."""

    title: str
    intro: str
    fields: tuple[Field, ...]
    score: Score | None

    def total(self, answers: dict[str, int]) -> int | None:
        """Return the score for scale answers, or None if one is missing."""
        if self.score is None:
            return None
        by_id = {f.id: f for f in self.fields}
        if any(i not in answers for i in self.score.sum):
            return None
        return sum(by_id[i].scored(answers[i]) for i in self.score.sum)

    def __eq__(self, other: object) -> bool:
        # Written out so that a worksheet still packed from a pickle equals the one it was made from.
        if not isinstance(other, Worksheet):
            return NotImplemented
        mine = (self.title, self.intro, self.fields, self.score)
        return mine == (other.title, other.intro, other.fields, other.score)

    def __hash__(self) -> int:
        return hash((self.title, self.intro, self.fields, self.score))

    def __reduce__(self) -> tuple[Any, ...]:
        # Unpickling thousands of worksheets field by field is most of loading the build cache, and a
        # rebuild reads few of them: the title travels as it is, the rest as bytes unpickled on first use.
        rest = pickle.dumps((self.intro, self.fields, self.score), protocol=pickle.HIGHEST_PROTOCOL)
        return (_stored_worksheet, (self.title, rest))


class _StoredWorksheet(Worksheet):
    """A worksheet from a pickle: its intro, fields and score are unpickled when first read."""

    def __getattr__(self, name: str) -> Any:
        # Called only for attributes missing from __dict__: the three still packed in "_rest".
        rest = self.__dict__.get("_rest")
        if rest is None or name not in ("intro", "fields", "score"):
            raise AttributeError(name)
        intro, fields, score = pickle.loads(rest)
        self.__dict__.update(intro=intro, fields=fields, score=score)
        del self.__dict__["_rest"]
        return self.__dict__[name]

    def __reduce__(self) -> tuple[Any, ...]:
        rest = self.__dict__.get("_rest")
        return (_stored_worksheet, (self.title, rest)) if rest is not None else super().__reduce__()


def _stored_worksheet(title: str, rest: bytes) -> Worksheet:
    sheet = object.__new__(_StoredWorksheet)
    sheet.__dict__.update(title=title, _rest=rest)
    return sheet


def parse_prompts(value: Any, line: int, reader: Reader) -> tuple[Prompt, ...]:
    """Read `prompts:`, a list of strings or {text, hint} mappings."""
    if value is None:
        return ()
    if not isinstance(value, LineList):
        reader.error(line, "'prompts' must be a list of questions")
        return ()
    prompts = []
    for index, (item, item_line) in enumerate(zip(value, value.item_lines, strict=True), 1):
        mapping = as_map(item)
        if mapping is not None:
            where = f"prompt {index}: "
            reader.unknown_keys(mapping, ("text", "hint"), where)
            text = reader.text(mapping, "text", where, required=True)
            hint = reader.text(mapping, "hint", where)
        elif (written := item if isinstance(item, str) else value.written(index - 1)) and written.strip():
            text, hint = written.strip(), ""
        else:
            reader.error(item_line, f"prompt {index} must be text or a mapping with 'text'")
            continue
        if text:
            prompts.append(Prompt(text, hint))
    return tuple(prompts)


def parse_worksheet(value: Any, line: int, default_title: str, reader: Reader) -> Worksheet | None:
    """Read `worksheet:` into a validated Worksheet (None if absent or broken)."""
    if value is None:
        return None
    data = as_map(value)
    if data is None:
        reader.error(line, "'worksheet' must be a mapping with 'fields'")
        return None
    before = len(reader.problems)
    reader.unknown_keys(data, ("title", "intro", "fields", "score"), "worksheet: ")
    title = reader.text(data, "title", "worksheet: ") or default_title
    intro = reader.text(data, "intro", "worksheet: ")
    broken: set[str] = set()
    fields = _parse_fields(data, reader, broken)
    _check_formulas(fields, reader)
    score = parse_score(data.get("score"), data.line_of("score"), fields, reader, broken)
    if any(p.severity == "error" for p in reader.problems[before:]):
        return None
    return Worksheet(title, intro, tuple(f for f, _ in fields), score)


def _parse_fields(data: LineMap, reader: Reader, broken: set[str]) -> list[tuple[Field, int]]:
    """Return the valid fields with their lines; put the ids of fields that have errors into `broken`."""
    raw = data.get("fields")
    if raw is None:
        reader.error(data.line_of("fields"), "worksheet: 'fields' is missing")
        return []
    if not isinstance(raw, LineList) or not raw:
        reader.error(data.line_of("fields"), "worksheet: 'fields' must be a non-empty list")
        return []
    fields: list[tuple[Field, int]] = []
    seen: set[str] = set()
    for item, item_line in zip(raw, raw.item_lines, strict=True):
        field = _parse_field(item, item_line, seen, reader)
        if field is None and (mapping := as_map(item)) is not None and isinstance(mapping.get("id"), str):
            broken.add(mapping["id"].strip())
        if field is not None:
            mapping = as_map(item)
            # Formula problems point at the formula itself, other problems at the field.
            line = mapping.line_of("formula") if mapping is not None and field.formula else item_line
            fields.append((field, line))
    return fields


def _parse_field(item: Any, line: int, seen: set[str], reader: Reader) -> Field | None:
    data = as_map(item)
    if data is None:
        reader.error(line, "worksheet field must be a mapping with 'id', 'type' and 'label'")
        return None
    where = f"worksheet field '{data.get('id') if isinstance(data.get('id'), str) else ''}': "
    kind_given = str(data["type"]) if isinstance(data.get("type"), str) else ""
    known = _COMMON_KEYS + _TYPE_KEYS.get(kind_given, tuple(k for keys in _TYPE_KEYS.values() for k in keys))
    # Unknown keys first: a misspelt 'lable' is the cause of the missing 'label', and says so.
    reader.unknown_keys(data, tuple(dict.fromkeys(known)), where)
    misspelt = _misspellings(data, known)
    for key in ("id", "type", "label"):
        if key not in data and key in misspelt:
            message = f"{where}'{key}' is missing: is '{misspelt[key]}' a misspelling of it?"
            reader.error(data.line_of(misspelt[key]), message)
            return None
    field_id = reader.text(data, "id", "worksheet field: ", required=True)
    where = f"worksheet field '{field_id}': "
    if field_id and not _ID.match(field_id):
        reader.error(data.line_of("id"), f"{where}id must match [a-z][a-z0-9_]* (lowercase letters, digits, _)")
    elif field_id in seen:
        reader.error(data.line_of("id"), f"{where}duplicate id")
    seen.add(field_id)
    kind = reader.text(data, "type", where, required=True)
    if kind and kind not in FIELD_TYPES:
        expected = ", ".join(FIELD_TYPES)
        reader.error(data.line_of("type"), f"{where}unknown type '{kind}' (expected one of: {expected})")
        return None
    label = reader.text(data, "label", where, required=True)
    if not (field_id and kind and label):
        return None
    base = Field(id=field_id, type=kind, label=label, help=reader.text(data, "help", where))
    return _TYPE_PARSERS[kind](base, data, where, reader)


def _misspellings(data: LineMap, known: tuple[str, ...]) -> dict[str, str]:
    """Return, for known keys that are absent, the unknown key of `data` that looks like a misspelling of it."""
    unknown = [k for k in data if k not in known]
    found = {}
    for key in known:
        if key not in data:
            close = difflib.get_close_matches(key, unknown, n=1, cutoff=0.7)
            if close:
                found[key] = close[0]
    return found


def _with(base: Field, **changes: Any) -> Field:
    return Field(**{**base.__dict__, **changes})


def _parse_text(base: Field, data: LineMap, where: str, reader: Reader) -> Field:
    lines = reader.integer(data, "lines", where, 3)
    if not 1 <= lines <= 40:
        reader.error(data.line_of("lines"), f"{where}'lines' must be between 1 and 40")
    return _with(base, lines=lines)


def _range(
    data: LineMap, where: str, reader: Reader, low: float | None, high: float | None
) -> tuple[float | None, float | None]:
    minimum = reader.number(data, "min", where, low)
    maximum = reader.number(data, "max", where, high)
    if minimum is not None and maximum is not None and minimum >= maximum:
        reader.error(data.line_of("min"), f"{where}min ({minimum:g}) must be less than max ({maximum:g})")
    return minimum, maximum


def _parse_scale(base: Field, data: LineMap, where: str, reader: Reader) -> Field:
    low = reader.integer(data, "min", where, 1)
    high = reader.integer(data, "max", where, 5)
    if low >= high:
        reader.error(data.line_of("min"), f"{where}min ({low}) must be less than max ({high})")
    elif high - low > 10:
        reader.error(data.line_of("max"), f"{where}a scale has at most 11 points")
    return _with(
        base,
        min=float(low),
        max=float(high),
        left=reader.text(data, "left", where),
        right=reader.text(data, "right", where),
        reverse=reader.boolean(data, "reverse", where),
    )


def _parse_choice(base: Field, data: LineMap, where: str, reader: Reader) -> Field:
    options, lines = reader.text_list(data, "options", where)
    if len(options) < 2:
        reader.error(data.line_of("options"), f"{where}'options' needs at least two choices")
    for index, option in enumerate(options):
        if not option:
            reader.error(lines[index], f"{where}options must not be empty")
        elif option in options[:index]:
            reader.error(lines[index], f"{where}option '{option}' appears twice")
    return _with(base, options=tuple(options), multiple=reader.boolean(data, "multiple", where))


def _parse_number(base: Field, data: LineMap, where: str, reader: Reader) -> Field:
    minimum, maximum = _range(data, where, reader, None, None)
    step = reader.number(data, "step", where, None)
    if step is not None and step <= 0:
        reader.error(data.line_of("step"), f"{where}'step' must be positive")
    return _with(base, min=minimum, max=maximum, step=step, unit=reader.text(data, "unit", where))


def _parse_computed(base: Field, data: LineMap, where: str, reader: Reader) -> Field:
    source = reader.text(data, "formula", where, required=True)
    decimals = reader.integer(data, "decimals", where, 0)
    if not 0 <= decimals <= 6:
        reader.error(data.line_of("decimals"), f"{where}'decimals' must be between 0 and 6")
    expr = None
    if source:
        try:
            expr = formula.parse(source)
        except formula.FormulaError as exc:
            reader.error(data.line_of("formula"), f"{where}formula: {exc}")
    return _with(base, formula=expr, decimals=decimals, unit=reader.text(data, "unit", where))


_TYPE_PARSERS = {
    "text": _parse_text,
    "scale": _parse_scale,
    "choice": _parse_choice,
    "number": _parse_number,
    "computed": _parse_computed,
}


def _check_formulas(fields: list[tuple[Field, int]], reader: Reader) -> None:
    by_id = {f.id: f for f, _ in fields}
    for field, line in fields:
        if field.formula is None:
            continue
        for name in sorted(formula.references(field.formula)):
            target = by_id.get(name)
            if target is None:
                reader.error(line, f"worksheet field '{field.id}': formula uses unknown field '{name}'")
            elif target.type not in ("number", "computed"):
                msg = f"formula may only use number or computed fields, '{name}' is a {target.type} field"
                reader.error(line, f"worksheet field '{field.id}': {msg}")
    for field, line in fields:
        cycle = _cycle_through(field.id, by_id)
        if cycle:
            path = " -> ".join([*cycle, cycle[0]])
            reader.error(line, f"worksheet field '{field.id}': formula refers to itself ({path})")


def _cycle_through(start: str, by_id: dict[str, Field]) -> list[str]:
    """Return a path of formula references from `start` back to itself, or []."""
    seen: set[str] = set()
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    while stack:
        name, path = stack.pop()
        field = by_id.get(name)
        if field is None or field.formula is None:
            continue
        for ref in sorted(formula.references(field.formula), reverse=True):
            if ref == start:
                return path
            if ref not in seen:
                seen.add(ref)
                stack.append((ref, [*path, ref]))
    return []
