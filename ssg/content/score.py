"""A worksheet's score: the sum of scale fields, and bands that interpret every possible total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ssg.content.reader import Reader, as_map
from ssg.yamlload import LineList, LineMap

if TYPE_CHECKING:
    from ssg.content.worksheet import Field

__all__ = ["Score", "ScoreBand", "parse_score"]


@dataclass(frozen=True)
class ScoreBand:
    """An interpretation for a range of total scores."""

    low: int
    high: int
    title: str
    text: str


@dataclass(frozen=True)
class Score:
    """A self-assessment score: the sum of scale fields and its bands."""

    label: str
    sum: tuple[str, ...]
    bands: tuple[ScoreBand, ...]
    low: int
    high: int

    def band_for(self, total: int) -> ScoreBand | None:
        """Return the band a total falls into."""
        return next((b for b in self.bands if b.low <= total <= b.high), None)


def parse_score(
    value: Any,
    line: int,
    fields: list[tuple[Field, int]],
    reader: Reader,
    broken: frozenset[str] | set[str] = frozenset(),
) -> Score | None:
    """Read `score:`; every band problem is recorded with its line; None if broken.

    Fields in `broken` exist but have errors of their own: naming them in 'sum' is no further error.
    """
    if value is None:
        return None
    data = as_map(value)
    if data is None:
        reader.error(line, "worksheet: 'score' must be a mapping with 'sum' and 'bands'")
        return None
    reader.unknown_keys(data, ("label", "sum", "bands"), "worksheet score: ")
    label = reader.text(data, "label", "worksheet score: ")
    ids, id_lines = reader.text_list(data, "sum", "worksheet score: ")
    if not ids:
        reader.error(data.line_of("sum"), "worksheet score: 'sum' must list the scale fields to add up")
        return None
    by_id = {f.id: f for f, _ in fields}
    scales: list[Field] = []
    for field_id, id_line in zip(ids, id_lines, strict=True):
        target = by_id.get(field_id)
        if target is None and field_id in broken:
            continue
        if target is None:
            reader.error(id_line, f"worksheet score: 'sum' names unknown field '{field_id}'")
        elif target.type != "scale":
            reader.error(id_line, f"worksheet score: '{field_id}' is a {target.type} field, 'sum' takes scale fields")
        elif target in scales:
            reader.error(id_line, f"worksheet score: '{field_id}' is listed twice in 'sum'")
        else:
            scales.append(target)
    if len(scales) != len(ids):
        return None
    low = sum(int(f.min or 0) for f in scales)
    high = sum(int(f.max or 0) for f in scales)
    bands = _parse_bands(data, low, high, reader)
    return Score(label, tuple(ids), tuple(bands), low, high) if bands else None


def _parse_bands(data: LineMap, low: int, high: int, reader: Reader) -> list[ScoreBand]:
    raw = data.get("bands")
    if not isinstance(raw, LineList) or not raw:
        reader.error(data.line_of("bands"), "worksheet score: 'bands' must be a non-empty list")
        return []
    bands: list[tuple[ScoreBand, int]] = []
    for index, (item, line) in enumerate(zip(raw, raw.item_lines, strict=True), 1):
        band = _parse_band(item, line, f"worksheet score band {index}: ", reader)
        if band is not None:
            bands.append((band, line))
    if len(bands) != len(raw):
        return []
    return _check_coverage(sorted(bands, key=lambda b: b[0].low), low, high, data.line_of("bands"), reader)


def _parse_band(item: Any, line: int, where: str, reader: Reader) -> ScoreBand | None:
    data = as_map(item)
    if data is None:
        reader.error(line, f"{where}must be a mapping with 'range', 'title' and 'text'")
        return None
    reader.unknown_keys(data, ("range", "title", "text"), where)
    title = reader.text(data, "title", where, required=True)
    text = reader.text(data, "text", where)
    bounds = data.get("range")
    if (
        not isinstance(bounds, list)
        or len(bounds) != 2
        or not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds)
    ):
        reader.error(data.line_of("range"), f"{where}'range' must be two whole numbers like [5, 11]")
        return None
    if bounds[0] > bounds[1]:
        reader.error(data.line_of("range"), f"{where}range starts above its end ({bounds[0]} > {bounds[1]})")
        return None
    return ScoreBand(bounds[0], bounds[1], title, text) if title else None


def _span(first: int, last: int) -> str:
    """Return "5 is" or "5–7 are": scores named in a message."""
    return f"{first} is" if first == last else f"{first}–{last} are"


def _check_coverage(
    bands: list[tuple[ScoreBand, int]], low: int, high: int, line: int, reader: Reader
) -> list[ScoreBand]:
    before = len(reader.problems)
    where = f"worksheet score: possible scores are {low}–{high}, but"
    expected = low
    for band, band_line in bands:
        if band.low > expected:
            reader.error(band_line, f"{where} {_span(expected, band.low - 1)} in no band (a gap)")
        elif band.low < expected:
            last = min(band.high, expected - 1)
            below = f"{band.low}–{last}" if last > band.low else f"{band.low}"
            overlap = f"{_span(band.low, last)} in two bands (an overlap)"
            what = overlap if expected > low else f"band {below} is below {low}"
            reader.error(band_line, f"{where} {what}")
        expected = max(expected, band.high + 1)
    if expected - 1 < high:
        reader.error(line, f"{where} {_span(expected, high)} in no band (a gap)")
    elif expected - 1 > high:
        reader.error(line, f"{where} the bands go up to {expected - 1}")
    return [b for b, _ in bands] if len(reader.problems) == before else []
