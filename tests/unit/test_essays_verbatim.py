"""The essays in essays/ must reproduce the author's text word for word.

The Markdown files may only add structure (front matter, headings, block
quotes, emphasis, paragraph breaks). This test strips that structure again and
compares the remaining words with the source text in
tests/fixtures/essays-de.txt. It also sanity-checks the front matter
(prompts, worksheet score bands).

Self-contained on purpose: standard library and PyYAML only, no `ssg` import.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ESSAYS_DIR = ROOT / "essays"
FIXTURE = ROOT / "tests" / "fixtures" / "essays-de.txt"

# (file name, exact title line in the fixture), in the fixture's order.
ESSAYS: list[tuple[str, str]] = [
    ("abschied-aus-den-sozialen-medien.md", "Der Abschied aus den sozialen Medien"),
    ("nur-ein-handschlag.md", "Nur ein Handschlag"),
    ("ein-armband-im-krankenhaus.md", "Ein Armband im Krankenhaus"),
]

FIELD_TYPES = {"text", "scale", "choice", "number", "computed"}
FIELD_ID = re.compile(r"[a-z][a-z0-9_]*")
FORMULA_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([a-z][a-z0-9_]*)|([-+*/()]))")

HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s+")
QUOTE_MARK = re.compile(r"^\s{0,3}(?:>\s?)+")
EMPHASIS_CHARS = "*_"


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (parsed front matter, Markdown body) of an essay file."""
    lines = text.split("\n")
    assert lines[0].strip() == "---", "file must start with a '---' line"
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    meta = yaml.safe_load("\n".join(lines[1:end]))
    assert isinstance(meta, dict), "front matter must be a YAML mapping"
    return meta, "\n".join(lines[end + 1 :])


def source_bodies() -> dict[str, str]:
    """Map each title to its body text in the fixture (up to the next title)."""
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    titles = [title for _, title in ESSAYS]
    starts = [lines.index(title) for title in titles]
    assert starts == sorted(starts), "fixture titles out of order"
    ends = [*starts[1:], len(lines)]
    return {title: "\n".join(lines[start + 1 : end]) for title, start, end in zip(titles, starts, ends, strict=False)}


def words(text: str) -> list[str]:
    """Whitespace-separated words; str.split() also drops non-breaking spaces."""
    return text.split()


def markdown_words(body: str) -> list[str]:
    """Words of a Markdown body with heading, quote and emphasis marks removed."""
    result: list[str] = []
    for line in body.split("\n"):
        line = QUOTE_MARK.sub("", line)
        line = HEADING_MARK.sub("", line)
        for token in words(line):
            token = token.strip(EMPHASIS_CHARS)
            if token:
                result.append(token)
    return result


def first_difference(got: list[str], want: list[str]) -> str:
    """Human-readable description of where two word lists diverge."""
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            context = " ".join(want[max(0, i - 5) : i + 5])
            return f"word {i}: got {a!r}, expected {b!r} (source: ...{context}...)"
    return f"length differs: got {len(got)} words, expected {len(want)}"


def load(file_name: str) -> tuple[dict[str, Any], str]:
    return split_front_matter((ESSAYS_DIR / file_name).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------
# worksheet checks
# --------------------------------------------------------------------------


def fields_by_id(worksheet: dict[str, Any]) -> dict[str, dict[str, Any]]:
    fields = worksheet["fields"]
    ids = [field["id"] for field in fields]
    assert len(ids) == len(set(ids)), f"duplicate field ids: {ids}"
    for field in fields:
        assert FIELD_ID.fullmatch(field["id"]), field["id"]
        assert field["type"] in FIELD_TYPES, field
        assert str(field.get("label", "")).strip(), field
    return {field["id"]: field for field in fields}


def formula_ids(formula: str) -> list[str]:
    """Identifiers used in a formula; fails on any character outside the grammar."""
    found: list[str] = []
    pos = 0
    while pos < len(formula.rstrip()):
        match = FORMULA_TOKEN.match(formula, pos)
        assert match, f"bad formula {formula!r} at {formula[pos:]!r}"
        if match.group(2):
            found.append(match.group(2))
        pos = match.end()
    return found


def check_computed(fields: dict[str, dict[str, Any]]) -> None:
    """Computed formulas use only number/computed ids and contain no cycles."""
    deps: dict[str, list[str]] = {}
    for fid, field in fields.items():
        if field["type"] != "computed":
            continue
        deps[fid] = formula_ids(field["formula"])
        for ref in deps[fid]:
            assert ref in fields, f"{fid}: unknown id {ref!r}"
            assert fields[ref]["type"] in {"number", "computed"}, f"{fid}: {ref}"
    resolved: set[str] = set()
    while len(resolved) < len(deps):
        ready = {
            f for f, refs in deps.items() if f not in resolved and all(r in resolved or r not in deps for r in refs)
        }
        assert ready, f"cycle among computed fields: {sorted(set(deps) - resolved)}"
        resolved |= ready


def check_score(score: dict[str, Any], fields: dict[str, dict[str, Any]]) -> None:
    """Bands are ascending, contiguous and cover exactly [sum of mins, sum of maxes]."""
    scale_ids = score["sum"]
    assert scale_ids, "score.sum is empty"
    for sid in scale_ids:
        assert sid in fields, f"score refers to unknown id {sid!r}"
        assert fields[sid]["type"] == "scale", f"{sid!r} is not a scale field"
        assert fields[sid]["min"] < fields[sid]["max"], sid
    low = sum(fields[sid]["min"] for sid in scale_ids)
    high = sum(fields[sid]["max"] for sid in scale_ids)
    expected_start = low
    for band in score["bands"]:
        start, end = band["range"]
        assert start == expected_start, f"band {band['range']} should start at {expected_start}"
        assert start <= end, band["range"]
        assert str(band.get("title", "")).strip() and str(band.get("text", "")).strip()
        expected_start = end + 1
    assert expected_start - 1 == high, f"bands end at {expected_start - 1}, expected {high}"


# --------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("file_name", "title"), ESSAYS)
def test_title_matches_source(file_name: str, title: str) -> None:
    meta, _ = load(file_name)
    assert meta["title"] == title
    assert title in source_bodies()


@pytest.mark.parametrize(("file_name", "title"), ESSAYS)
def test_body_is_verbatim(file_name: str, title: str) -> None:
    _, body = load(file_name)
    got = markdown_words(body)
    want = words(source_bodies()[title])
    assert got == want, first_difference(got, want)


@pytest.mark.parametrize(("file_name", "title"), ESSAYS)
def test_prompts(file_name: str, title: str) -> None:
    meta, _ = load(file_name)
    prompts = meta["prompts"]
    assert 4 <= len(prompts) <= 6, f"{file_name}: {len(prompts)} prompts"
    for prompt in prompts:
        text = prompt["text"] if isinstance(prompt, dict) else prompt
        assert isinstance(text, str) and text.strip(), prompt


@pytest.mark.parametrize(("file_name", "title"), ESSAYS)
def test_worksheet(file_name: str, title: str) -> None:
    meta, _ = load(file_name)
    worksheet = meta["worksheet"]
    fields = fields_by_id(worksheet)
    check_computed(fields)
    check_score(worksheet["score"], fields)


def test_markdown_words_strips_markup_only() -> None:
    body = "## Irrtum 1:\n\n> „Zitat“ **fett** und *kursiv*\n\n**Erwartungen**\n"
    assert markdown_words(body) == ["Irrtum", "1:", "„Zitat“", "fett", "und", "kursiv", "Erwartungen"]


def test_word_change_is_detected() -> None:
    _, body = load(ESSAYS[0][0])
    want = words(source_bodies()[ESSAYS[0][1]])
    assert markdown_words(body.replace("desto mehrere", "desto mehr", 1)) != want
