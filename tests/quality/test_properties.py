"""Property-based tests: any front matter and any worksheet either builds or gives a clean `path:line` error.

Hypothesis writes the input: arbitrary bytes and YAML-like text for front matter, structured but wild
worksheets for the validator. Nothing may raise anything but ssg's own errors, every problem names the
file and a line inside it, and whatever the validator accepts must also render and score consistently.
In CI (CI=true) the examples are derandomized, so a run is repeatable.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ssg import yamlload
from ssg.config import SiteConfig, load_config
from ssg.content import formula, frontmatter
from ssg.content.reader import Reader
from ssg.content.worksheet import FIELD_TYPES, Worksheet, parse_worksheet
from ssg.engine.build import BuildOptions, BuildReport
from ssg.engine.inmemory import render_site
from ssg.errors import ContentError, Problem, SsgError
from tests.helpers import SITE_YML

settings.register_profile(
    "quality", deadline=None, derandomize=bool(os.environ.get("CI")), suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("quality")

PATH = "essays/probe.md"
NOW = datetime(2026, 6, 1, tzinfo=ZoneInfo("Europe/Berlin"))

YAML_BITS = st.sampled_from(
    ["", "x", "0", "-1", "1.5", "1e3", ".inf", "true", "null", "~", "'q''s'", '"d\\"q"', '"\\x00"', "[a, b]", "{a: 1}",
     "[", "{", "]", "&a x", "*a", "*zz", "!!str x", "!!binary AAAA", "!!python/name:os.system", "!!set {a}",
     "2026-13-45", "2026-02-30", "2026-01-01T25:00:00", "12:30", "? x", "- y", "|", ">-", "@", "`", "%YAML 1.1",
     "\t", ":", "::", "-", "---", "...", "# c", "<script>", "&amp;", "\ufeff", "\u2028", "ä", "🙂"]
)  # fmt: skip
KEYS = st.sampled_from(["title", "date", "updated", "slug", "tags", "summary", "draft", "prompts", "worksheet", "x"])


@st.composite
def yaml_lines(draw: st.DrawFn) -> str:
    """Return a line that looks like front matter: `key: value`, a list item or an indented continuation."""
    indent = " " * draw(st.sampled_from([0, 0, 0, 2, 4, 1]))
    value = draw(YAML_BITS | YAML_BITS | st.lists(YAML_BITS | st.text(max_size=6), max_size=3).map("".join))
    form = draw(st.sampled_from(["{k}: {v}", "- {v}", "{v}", "{k}:", "- {k}: {v}"]))
    return indent + form.format(k=draw(KEYS), v=value)


@st.composite
def essay_texts(draw: st.DrawFn) -> str:
    """Return a whole essay file: mostly front matter that is nearly right, sometimes not at all."""
    lines = draw(st.lists(yaml_lines(), max_size=12))
    if draw(st.booleans()):
        lines = ["title: Probe", "date: 2026-01-01", *lines]
    opening = draw(st.sampled_from(["---", "---", "--- ", "", "----"]))
    closing = draw(st.sampled_from(["---", "---", "...", "", "--"]))
    body = draw(st.text(max_size=40))
    return "\n".join([opening, *lines, closing, body])


# Plain scalars YAML resolves to odd types or refuses to construct, written as they would be in a file.
SCALARS = st.sampled_from(
    ["Probe", "2026-01-01", "2026-02-30", "2026-13-01", "2026-01-01 10:00:00 +25:00", "2026-01-01T10:00:00Z",
     "12:30:00", "1e3", ".nan", "-.inf", "0x1F", "0o17", "yes", "~", "''", "!!int abc", "!!float .", "!!bool vielleicht",
     "!!timestamp gestern", "!!binary AAAA", "!!str 5", "!!null x", "!!set {a: null}", "&anker wert", "*anker",
     "'<script>\"&'", '"\\u00e4"', "[]", "{}", "[a, [b, c]]", "{id: a, type: scale}", "|\n  block\n  text"]
)  # fmt: skip


def block(value: Any, indent: int = 0) -> list[str]:
    """Write `value` as block-style YAML; strings are written raw, as scalars a person might type."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            inner = block(item, indent + 2)
            lines += [f"{pad}{key}: {inner[0].strip()}"] if isinstance(item, str) else [f"{pad}{key}:", *inner]
        return lines or [pad + "{}"]
    if isinstance(value, list):
        return [line for item in value for line in _item(item, indent)] or [pad + "[]"]
    return [pad + str(value).replace("\n", "\n" + pad)]


def _item(item: Any, indent: int) -> list[str]:
    inner = block(item, indent + 2)
    return [" " * indent + "- " + inner[0].strip(), *inner[1:]]


LEAVES = SCALARS | st.lists(SCALARS, max_size=3)
FRONT_KEYS = st.sampled_from(["title", "date", "updated", "slug", "tags", "summary", "draft", "prompts", "x"])


@st.composite
def structured_essays(draw: st.DrawFn) -> str:
    """Return an essay whose front matter is well-formed YAML full of odd but legal scalars."""
    data: dict[str, Any] = {"title": "Probe", "date": "2026-01-01"}
    data.update(draw(st.dictionaries(FRONT_KEYS, LEAVES | st.dictionaries(st.sampled_from(["text", "hint"]), SCALARS))))
    if draw(st.booleans()):
        field = st.dictionaries(st.sampled_from(["id", "type", "label", "min", "max", "formula", "options"]), LEAVES)
        data["worksheet"] = {"fields": draw(st.lists(field, min_size=1, max_size=3))}
    return "\n".join(["---", *block(data), "---", "", "Text."]) + "\n"


def assert_located(problems: tuple[Problem, ...] | list[Problem], text: str, path: str = PATH) -> None:
    """Every problem names the file and a line that exists in it."""
    last = text.count("\n") + 2
    for problem in problems:
        assert problem.path == path, problem
        assert problem.line is not None and 1 <= problem.line <= last, (problem, text)
        assert problem.message and "Traceback" not in problem.message


@given(
    st.binary(max_size=200) | (essay_texts() | structured_essays()).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
@settings(max_examples=400)
def test_front_matter_splits_or_names_the_line(raw: bytes) -> None:
    try:
        text = frontmatter.normalize(raw, PATH)
        data, body, body_line = frontmatter.split(text, PATH)
    except ContentError as exc:
        assert_located(exc.problems, raw.decode("utf-8", "replace"))
        return
    assert isinstance(data, yamlload.LineMap)
    assert 2 <= body_line <= text.count("\n") + 2
    assert text.endswith(body)


@pytest.fixture(scope="module")
def probe_site(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    """A site with one good essay; each example writes its probe essay beside it."""
    root = tmp_path_factory.mktemp("properties")
    (root / "essays").mkdir()
    (root / "site.yml").write_text(SITE_YML, encoding="utf-8")
    (root / "essays" / "gut.md").write_text("---\ntitle: Gut\ndate: 2026-01-01\n---\nText.\n", encoding="utf-8")
    return load_config(root)[0]


def build_probe(config: SiteConfig, text: str) -> list[Problem]:
    """Render the site with the probe essay; return its problems (raising nothing else)."""
    (config.root / PATH).write_text(text, encoding="utf-8")
    report = BuildReport()
    try:
        rendered = render_site(config, BuildOptions(now=NOW), report)
    except SsgError as exc:
        assert [p for p in exc.problems if p.severity == "error"], exc.problems
        return list(exc.problems)
    assert any(str(p).startswith("gut/") for p in rendered.files)
    return report.warnings


@given(structured_essays() | essay_texts())
@settings(max_examples=150)
def test_any_essay_builds_or_names_file_and_line(probe_site: SiteConfig, text: str) -> None:
    assume("\x00" not in text)
    assert_located(build_probe(probe_site, text), text)


FIELD_IDS = st.sampled_from(["a", "b", "c", "zahl", "x_1", "A", "1x", "", "a-b"])
NUMBERS: st.SearchStrategy[Any] = st.one_of(
    st.integers(-5, 15), st.floats(-5, 15, allow_nan=False), st.sampled_from(["3", None, True, []])
)
FORMULAS = st.lists(
    st.sampled_from(["a", "b", "c", "zahl", "1", "2.5", "+", "-", "*", "/", "(", ")", " ", "x_1", "e", "**"]),
    max_size=9,
).map("".join)


@st.composite
def fields(draw: st.DrawFn) -> dict[str, Any]:
    """Return one worksheet field: a known type (mostly) with plausible and implausible settings."""
    kind = draw(st.sampled_from([*FIELD_TYPES, *FIELD_TYPES, "slider"]))
    field: dict[str, Any] = {"id": draw(FIELD_IDS), "type": kind, "label": draw(st.sampled_from(["L?", "", "<b>"]))}
    extra = {
        "min": NUMBERS, "max": NUMBERS, "step": NUMBERS, "lines": NUMBERS, "decimals": NUMBERS,
        "reverse": st.booleans(), "multiple": st.booleans(), "formula": FORMULAS,
        "options": st.lists(st.sampled_from(["ja", "nein", "", "ja "]), max_size=4), "unknown": st.just(1),
    }  # fmt: skip
    for key in draw(st.sets(st.sampled_from(sorted(extra)), max_size=4)):
        field[key] = draw(extra[key])
    return field


@st.composite
def worksheets(draw: st.DrawFn) -> dict[str, Any]:
    """Return a worksheet mapping with fields and, often, a score with bands."""
    sheet: dict[str, Any] = {"fields": draw(st.lists(fields(), max_size=5))}
    if draw(st.booleans()):
        bands = st.fixed_dictionaries(
            {"range": st.lists(st.integers(-2, 25), min_size=1, max_size=3), "title": st.sampled_from(["T", ""])}
        )
        sheet["score"] = {"sum": draw(st.lists(FIELD_IDS, max_size=3)), "bands": draw(st.lists(bands, max_size=4))}
    return sheet


def parse(sheet: dict[str, Any]) -> tuple[Worksheet | None, list[Problem], str]:
    text = yaml.safe_dump({"worksheet": sheet}, allow_unicode=True, sort_keys=False)
    data = yamlload.load(text)
    reader = Reader(PATH)
    result = parse_worksheet(data["worksheet"], data.line_of("worksheet"), "Titel", reader)
    return result, reader.problems, text


def assert_consistent(sheet: Worksheet) -> None:
    """An accepted worksheet scores every possible answer into exactly one band; formulas evaluate."""
    by_id = {f.id: f for f in sheet.fields}
    if sheet.score is not None:
        for total in range(sheet.score.low, sheet.score.high + 1):
            assert sum(b.low <= total <= b.high for b in sheet.score.bands) == 1, total
        lowest = {i: int(by_id[i].min or 0) for i in sheet.score.sum}
        assert sheet.total(lowest) is not None
    values: dict[str, float | None] = {f.id: 3.0 for f in sheet.fields if f.type == "number"}
    for field in sheet.fields:
        if field.formula is not None:
            assert formula.references(field.formula) <= set(by_id)
            formula.evaluate(field.formula, values)


@given(worksheets())
@settings(max_examples=400)
def test_worksheet_validator_accepts_only_consistent_sheets(sheet: dict[str, Any]) -> None:
    result, problems, text = parse(sheet)
    errors = [p for p in problems if p.severity == "error"]
    assert_located(problems, text)
    assert (result is None) == bool(errors), problems
    if result is not None:
        assert_consistent(result)


@given(worksheets())
@settings(max_examples=60)
def test_any_worksheet_builds_or_names_file_and_line(probe_site: SiteConfig, sheet: dict[str, Any]) -> None:
    front = yaml.safe_dump({"title": "Probe", "date": "2026-01-01", "worksheet": sheet}, allow_unicode=True)
    text = f"---\n{front}---\n\nText.\n"
    assert_located(build_probe(probe_site, text), text)
