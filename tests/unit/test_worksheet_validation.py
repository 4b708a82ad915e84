"""Worksheet and prompts front matter: every broken rule is a clear `path:line: message` at build time.

Each broken case marks the line the build must report with a `# <-` comment in its YAML;
`marked_line()` turns the mark into the exact 1-based line number of the essay file.
"""

from __future__ import annotations

import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from ssg import yamlload
from ssg.content.reader import Reader
from ssg.content.worksheet import Prompt, Worksheet, parse_prompts, parse_worksheet
from ssg.errors import Problem
from tests.helpers import make_site, run, tree_digest

NAME = "probe.md"
SOURCE = f"essays/{NAME}"
MARK = "# <-"


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def essay_file(front: str) -> str:
    """Return an essay file whose front matter is title, date and then `front` (from line 4 on)."""
    head = "---\ntitle: Probe\ndate: 2026-01-15\n"
    return head + textwrap.dedent(front).strip("\n") + "\n---\n\nEin kurzer Text.\n"


def marked_line(text: str) -> int:
    """Return the 1-based line of the only line carrying the `# <-` mark."""
    lines = [number for number, line in enumerate(text.split("\n"), 1) if MARK in line]
    assert len(lines) == 1, f"expected exactly one {MARK!r} mark, found {len(lines)}"
    return lines[0]


def build(site: Path, text: str) -> Result:
    """Write `text` as the site's only essay and build the site."""
    make_site(site, {NAME: text})
    return run("build", "-s", str(site))


def reported_at(output: str, line: int) -> list[str]:
    """Return the output lines that report a problem at `line` of the essay."""
    prefix = f"{SOURCE}:{line}: "
    return [entry for entry in output.splitlines() if entry.startswith(prefix)]


def assert_reported(result: Result, line: int, *fragments: str) -> None:
    """Assert one output line names the essay, the exact line and contains every fragment."""
    entries = reported_at(result.output, line)
    assert any(all(fragment in entry for fragment in fragments) for entry in entries), (
        f"expected {SOURCE}:{line}: with {fragments!r} in:\n{result.output}"
    )


def parse(front: str, title: str = "Essay-Titel") -> tuple[Worksheet | None, list[Problem]]:
    """Parse the `worksheet:` of a YAML front-matter text directly; return it and the problems."""
    data = yamlload.load(textwrap.dedent(front))
    reader = Reader("x.md")
    sheet = parse_worksheet(data.get("worksheet"), data.line_of("worksheet"), title, reader)
    return sheet, reader.problems


def errors(problems: list[Problem]) -> list[Problem]:
    """Return only the errors (not the warnings)."""
    return [p for p in problems if p.severity == "error"]


# A valid worksheet with every field type, a reverse item and a score: scales 1–5 + 1–5 + 0–4 -> 2–14.
VALID = """\
prompts:
  - "Was brauchen Sie nicht?"
  - text: "Was ist unwichtig?"
    hint: "Gehen Sie die Netzwerke einzeln durch."
worksheet:
  title: "Was kosten mich soziale Medien?"
  intro: "Rechnen Sie nach."
  fields:
    - id: notiz
      type: text
      label: "Notiz"
      lines: 4
    - id: netze
      type: number
      label: "Netzwerke"
      min: 0
      max: 50
    - id: minuten
      type: number
      label: "Minuten pro Beitrag"
      min: 0
      max: 120
      step: 5
      unit: "Minuten"
    - id: stunden
      type: computed
      label: "Stunden pro Jahr"
      formula: "netze * minuten * 52 / 60"
      decimals: 1
      unit: "Stunden"
    - id: kanal
      type: choice
      label: "Lieblingskanal"
      options: [Telefon, E-Mail, Brief]
    - id: erreichbar
      type: scale
      label: "Ich muss jederzeit erreichbar sein."
      min: 1
      max: 5
      left: "trifft nicht zu"
      right: "trifft voll zu"
    - id: ruhe
      type: scale
      label: "Ich habe genug Ruhe."
      reverse: true
    - id: pausen
      type: scale
      label: "Pausen"
      min: 0
      max: 4
  score:
    label: "Erreichbarkeitsdruck"
    sum: [erreichbar, ruhe, pausen]
    bands:
      - range: [2, 6]
        title: "Gelassen"
        text: "Wenig Druck."
      - range: [7, 10]
        title: "Angespannt"
        text: "Etwas Druck."
      - range: [11, 14]
        title: "Getrieben"
        text: "Viel Druck."
"""

# Two 1–5 scales: possible sums 2–10. Cases append `    bands:` and their bands.
SCORED = """\
worksheet:
  fields:
    - id: ruhe
      type: scale
      label: "Ruhe"
    - id: schlaf
      type: scale
      label: "Schlaf"
  score:
    sum: [ruhe, schlaf]
"""


# --------------------------------------------------------------------------
# one broken rule per case, reported through the command line
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A front matter breaking one rule; `expected` must all appear on the reported line."""

    name: str
    front: str
    expected: tuple[str, ...]


CASES = [
    Case(
        "infinite maximum",
        """
        worksheet:
          fields:
            - id: netze
              type: number
              label: "Netze"
              max: .inf  # <-
        """,
        ("'max' must be a number (not .inf or .nan)",),
    ),
    Case(
        "step that is not a number",
        """
        worksheet:
          fields:
            - id: netze
              type: number
              label: "Netze"
              step: .nan  # <-
        """,
        ("'step' must be a number",),
    ),
    Case(
        "id not matching the pattern",
        """
        worksheet:
          fields:
            - id: Netz-Zahl  # <-
              type: number
              label: "Netze"
        """,
        ("worksheet field 'Netz-Zahl'", "id must match [a-z][a-z0-9_]*"),
    ),
    Case(
        "id starting with a digit",
        """
        worksheet:
          fields:
            - id: 1netz  # <-
              type: number
              label: "Netze"
        """,
        ("worksheet field '1netz'", "id must match"),
    ),
    Case(
        "duplicate id",
        """
        worksheet:
          fields:
            - id: netze
              type: number
              label: "Netze"
            - id: netze  # <-
              type: text
              label: "Noch einmal"
        """,
        ("worksheet field 'netze'", "duplicate id"),
    ),
    Case(
        "unknown type",
        """
        worksheet:
          fields:
            - id: laune
              type: slider  # <-
              label: "Laune"
        """,
        ("worksheet field 'laune'", "unknown type 'slider'", "text, scale, choice, number, computed"),
    ),
    Case(
        "missing label",
        """
        worksheet:
          fields:
            - id: alter  # <-
              type: number
        """,
        ("worksheet field 'alter'", "'label' is missing"),
    ),
    Case(
        "number min above max",
        """
        worksheet:
          fields:
            - id: stunden
              type: number
              label: "Stunden"
              min: 10  # <-
              max: 5
        """,
        ("worksheet field 'stunden'", "min (10) must be less than max (5)"),
    ),
    Case(
        "number min equal to max",
        """
        worksheet:
          fields:
            - id: stunden
              type: number
              label: "Stunden"
              min: 2,5
              max: 7
            - id: tage
              type: number
              label: "Tage"
              min: 7  # <-
              max: 7
        """,
        ("worksheet field 'tage'", "min (7) must be less than max (7)"),
    ),
    Case(
        "scale min above max",
        """
        worksheet:
          fields:
            - id: stress
              type: scale
              label: "Stress"
              min: 5  # <-
              max: 1
        """,
        ("worksheet field 'stress'", "min (5) must be less than max (1)"),
    ),
    Case(
        "scale min equal to the default max",
        """
        worksheet:
          fields:
            - id: stress
              type: scale
              label: "Stress"
              min: 5  # <-
        """,
        ("worksheet field 'stress'", "min (5) must be less than max (5)"),
    ),
    Case(
        "formula syntax error",
        """
        worksheet:
          fields:
            - id: a
              type: number
              label: "A"
            - id: summe
              type: computed
              label: "Summe"
              formula: "a +"  # <-
        """,
        ("worksheet field 'summe'", "formula:", "expected a number, a field id or '('"),
    ),
    Case(
        "formula with a power operator",
        """
        worksheet:
          fields:
            - id: a
              type: number
              label: "A"
            - id: quadrat
              type: computed
              label: "Quadrat"
              formula: "a ** 2"  # <-
        """,
        ("worksheet field 'quadrat'", "formula:", "unexpected '*'"),
    ),
    Case(
        "formula calling Python",
        """
        worksheet:
          fields:
            - id: boese
              type: computed
              label: "Böse"
              formula: "__import__('os').system('true')"  # <-
        """,
        ("worksheet field 'boese'", "formula:", "unexpected character '_'"),
    ),
    Case(
        "formula missing",
        """
        worksheet:
          fields:
            - id: leer  # <-
              type: computed
              label: "Leer"
        """,
        ("worksheet field 'leer'", "'formula' is missing"),
    ),
    Case(
        "choice with one option",
        """
        worksheet:
          fields:
            - id: kanal
              type: choice
              label: "Kanal"
              options: [Telefon]  # <-
        """,
        ("worksheet field 'kanal'", "'options' needs at least two choices"),
    ),
    Case(
        "choice without options",
        """
        worksheet:
          fields:
            - id: kanal  # <-
              type: choice
              label: "Kanal"
        """,
        ("worksheet field 'kanal'", "'options' needs at least two choices"),
    ),
    Case(
        "score sum naming an unknown field",
        """
        worksheet:
          fields:
            - id: ruhe
              type: scale
              label: "Ruhe"
          score:
            sum:
              - ruhe
              - schlaf  # <-
            bands:
              - range: [1, 5]
                title: "Alles"
        """,
        ("'sum' names unknown field 'schlaf'",),
    ),
    Case(
        "score sum naming a number field",
        """
        worksheet:
          fields:
            - id: ruhe
              type: scale
              label: "Ruhe"
            - id: netze
              type: number
              label: "Netze"
          score:
            sum:
              - ruhe
              - netze  # <-
            bands:
              - range: [1, 5]
                title: "Alles"
        """,
        ("'netze' is a number field", "'sum' takes scale fields"),
    ),
    Case(
        "bands with a gap",
        SCORED
        + """\
    bands:
      - range: [2, 4]
        title: "Niedrig"
      - range: [6, 10]  # <-
        title: "Hoch"
""",
        ("possible scores are 2–10", "5 is in no band (a gap)"),
    ),
    Case(
        "bands with an overlap",
        SCORED
        + """\
    bands:
      - range: [2, 6]
        title: "Niedrig"
      - range: [5, 10]  # <-
        title: "Hoch"
""",
        ("possible scores are 2–10", "5–6 are in two bands (an overlap)"),
    ),
    Case(
        "bands not reaching the maximum",
        SCORED
        + """\
    bands:  # <-
      - range: [2, 5]
        title: "Niedrig"
      - range: [6, 8]
        title: "Hoch"
""",
        ("possible scores are 2–10", "9–10 are in no band (a gap)"),
    ),
    Case(
        "bands going above the maximum",
        SCORED
        + """\
    bands:  # <-
      - range: [2, 5]
        title: "Niedrig"
      - range: [6, 12]
        title: "Hoch"
""",
        ("possible scores are 2–10", "the bands go up to 12"),
    ),
    Case(
        "bands starting below the minimum",
        SCORED
        + """\
    bands:
      - range: [0, 5]  # <-
        title: "Niedrig"
      - range: [6, 10]
        title: "Hoch"
""",
        ("possible scores are 2–10", "band 0–1 is below 2"),
    ),
    Case(
        "prompts not a list",
        """
        prompts: "Was brauchen Sie nicht?"  # <-
        """,
        ("'prompts' must be a list",),
    ),
    Case(
        "prompts a mapping",
        """
        prompts:  # <-
          frage: "Was brauchen Sie nicht?"
        """,
        ("'prompts' must be a list",),
    ),
    Case(
        "prompt item that is a list",
        """
        prompts:
          - "Was brauchen Sie nicht?"
          - [eins, zwei]  # <-
        """,
        ("prompt 2 must be text or a mapping with 'text'",),
    ),
    Case(
        "prompt item that is empty",
        """
        prompts:
          - ""  # <-
        """,
        ("prompt 1 must be text or a mapping with 'text'",),
    ),
    Case(
        "prompt mapping without text",
        """
        prompts:
          - hint: "Nur ein Hinweis"  # <-
        """,
        ("prompt 1: 'text' is missing",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_rule_is_reported_with_file_and_exact_line(tmp_path: Path, case: Case) -> None:
    text = essay_file(case.front)
    result = build(tmp_path, text)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    assert_reported(result, marked_line(text), *case.expected)
    assert not (tmp_path / "_site").exists(), "a failed build must not write output"


# The checks that run after all fields are read: the line to report is the `formula:` line,
# as it is for a formula that does not parse.
FORMULA_CASES = [
    Case(
        "formula using an unknown id",
        """
        worksheet:
          fields:
            - id: minuten
              type: number
              label: "Minuten"
            - id: kosten
              type: computed
              label: "Kosten"
              formula: "minuten * preis"  # <-
        """,
        ("worksheet field 'kosten'", "unknown field 'preis'"),
    ),
    Case(
        "formula using a scale field",
        """
        worksheet:
          fields:
            - id: stress
              type: scale
              label: "Stress"
            - id: doppelt
              type: computed
              label: "Doppelt"
              formula: "stress * 2"  # <-
        """,
        ("worksheet field 'doppelt'", "'stress' is a scale field"),
    ),
    Case(
        "formula using a text field",
        """
        worksheet:
          fields:
            - id: notiz
              type: text
              label: "Notiz"
            - id: laenge
              type: computed
              label: "Länge"
              formula: "notiz + 1"  # <-
        """,
        ("worksheet field 'laenge'", "'notiz' is a text field"),
    ),
    Case(
        "formula cycle a -> b -> a",
        """
        worksheet:
          fields:
            - id: a
              type: computed
              label: "A"
              formula: "b + 1"  # <-
            - id: b
              type: computed
              label: "B"
              formula: "a * 2"
        """,
        ("worksheet field 'a'", "refers to itself", "a -> b -> a"),
    ),
    Case(
        "formula referring to its own field",
        """
        worksheet:
          fields:
            - id: zins
              type: number
              label: "Zins"
            - id: guthaben
              type: computed
              label: "Guthaben"
              formula: "guthaben * zins"  # <-
        """,
        ("worksheet field 'guthaben'", "refers to itself", "guthaben -> guthaben"),
    ),
]


@pytest.mark.parametrize("case", FORMULA_CASES, ids=[c.name for c in FORMULA_CASES])
def test_bad_formula_reference_is_reported_at_the_formula_line(tmp_path: Path, case: Case) -> None:
    text = essay_file(case.front)
    result = build(tmp_path, text)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert_reported(result, marked_line(text), *case.expected)


def test_cycle_is_reported_for_every_field_in_it_and_not_for_fields_using_it() -> None:
    front = """\
    worksheet:
      fields:
        - id: a
          type: computed
          label: "A"
          formula: "b + 1"
        - id: b
          type: computed
          label: "B"
          formula: "a * 2"
        - id: c
          type: computed
          label: "C"
          formula: "a + 1"
    """
    sheet, problems = parse(front)
    assert sheet is None
    messages = [p.message for p in errors(problems)]
    assert any("'a'" in m and "a -> b -> a" in m for m in messages), messages
    assert any("'b'" in m and "b -> a -> b" in m for m in messages), messages
    assert not any("worksheet field 'c'" in m for m in messages), messages


def test_many_chained_formulas_are_checked_quickly() -> None:
    """30 computed fields, each adding the two before it: a build must not hang checking for cycles.

    Today the cycle check walks every path through the formulas again for every field,
    which doubles (roughly) with each field: 30 fields take seconds, 40 take minutes.
    """
    lines = ["worksheet:", "  fields:"]
    lines += [f"    - {{id: f{i}, type: number, label: 'F{i}'}}" for i in range(2)]
    lines += [
        f"    - {{id: f{i}, type: computed, label: 'F{i}', formula: 'f{i - 1} + f{i - 2}'}}" for i in range(2, 30)
    ]
    start = time.perf_counter()
    sheet, problems = parse("\n".join(lines) + "\n")
    elapsed = time.perf_counter() - start
    assert problems == []
    assert sheet is not None and len(sheet.fields) == 30
    assert elapsed < 1.0, f"checking 30 formulas took {elapsed:.1f} s"


def test_long_formula_is_an_error_with_a_line_not_an_internal_error(tmp_path: Path) -> None:
    terms = " + ".join(["netze"] * 1500)
    text = essay_file(
        f"""
        worksheet:
          fields:
            - id: netze
              type: number
              label: "Netze"
            - id: summe
              type: computed
              label: "Summe"
              formula: "{terms}"
        """
    )
    result = build(tmp_path, text)
    assert "internal error" not in result.output
    assert "Traceback" not in result.output
    assert result.exit_code == 0 or f"{SOURCE}:12: worksheet field 'summe'" in result.output, result.output


def test_every_broken_field_is_reported_in_one_build(tmp_path: Path) -> None:
    text = essay_file(
        """
        worksheet:
          fields:
            - id: Gross
              type: number
              label: "Groß"
            - id: laune
              type: slider
              label: "Laune"
            - id: tage
              type: number
              label: "Tage"
              min: 7
              max: 1
        """
    )
    result = build(tmp_path, text)
    assert result.exit_code == 1
    assert_reported(result, 6, "'Gross'", "id must match")
    assert_reported(result, 10, "'laune'", "unknown type 'slider'")
    assert_reported(result, 15, "'tage'", "min (7) must be less than max (1)")
    assert "Build failed: 3 errors." in result.output


def test_failed_build_leaves_the_previous_site_byte_identical(tmp_path: Path) -> None:
    good = essay_file(VALID)
    first = build(tmp_path, good)
    assert first.exit_code == 0, first.output
    assert "warning" not in first.output
    before = tree_digest(tmp_path / "_site")
    assert any("arbeitsblatt" in path for path in before), "the valid worksheet got no page"

    broken = good.replace("      - range: [7, 10]", "      - range: [8, 10]  # <-")
    assert broken != good
    result = build(tmp_path, broken)

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert_reported(result, marked_line(broken), "7 is in no band (a gap)")
    assert tree_digest(tmp_path / "_site") == before, "a failed build changed the output"


# --------------------------------------------------------------------------
# warnings: unknown keys are reported but do not stop the build
# --------------------------------------------------------------------------


def test_unknown_key_in_a_field_is_a_warning_and_the_build_succeeds(tmp_path: Path) -> None:
    text = essay_file(
        VALID.replace('      label: "Netzwerke"\n', '      label: "Netzwerke"\n      farbe: rot  # <-\n', 1)
    )
    result = build(tmp_path, text)
    assert result.exit_code == 0, result.output
    assert_reported(result, marked_line(text), "warning: worksheet field 'netze': unknown key 'farbe'", "(ignored")
    assert (tmp_path / "_site").is_dir()


def test_unknown_key_in_a_field_gives_a_warning_problem() -> None:
    sheet, problems = parse(
        """\
        worksheet:
          fields:
            - id: netze
              type: number
              label: "Netze"
              farbe: rot
              left: "nur für Skalen"
        """
    )
    assert sheet is not None
    assert [(p.line, p.severity) for p in problems] == [(6, "warning"), (7, "warning")]
    assert "unknown key 'farbe'" in problems[0].message
    assert "unknown key 'left'" in problems[1].message


# --------------------------------------------------------------------------
# the parsed model: scoring, titles, prompts
# --------------------------------------------------------------------------


def valid_sheet() -> Worksheet:
    """Return the parsed VALID worksheet."""
    sheet, problems = parse(VALID)
    assert problems == []
    assert sheet is not None
    return sheet


def test_valid_worksheet_is_read_into_typed_fields() -> None:
    sheet = valid_sheet()
    by_id = {f.id: f for f in sheet.fields}
    assert [f.id for f in sheet.fields] == [
        "notiz",
        "netze",
        "minuten",
        "stunden",
        "kanal",
        "erreichbar",
        "ruhe",
        "pausen",
    ]
    assert by_id["notiz"].lines == 4
    assert (by_id["minuten"].min, by_id["minuten"].max, by_id["minuten"].step) == (0, 120, 5)
    assert by_id["stunden"].formula is not None and by_id["stunden"].decimals == 1
    assert by_id["kanal"].options == ("Telefon", "E-Mail", "Brief")
    assert (by_id["ruhe"].min, by_id["ruhe"].max, by_id["ruhe"].reverse) == (1, 5, True)
    assert by_id["pausen"].scale_points == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        # erreichbar (1–5) + ruhe (1–5, reversed: 6 - answer) + pausen (0–4)
        ({"erreichbar": 1, "ruhe": 5, "pausen": 0}, 2, "Gelassen"),
        ({"erreichbar": 5, "ruhe": 1, "pausen": 4}, 14, "Getrieben"),
        ({"erreichbar": 3, "ruhe": 2, "pausen": 1}, 3 + 4 + 1, "Angespannt"),
        ({"erreichbar": 2, "ruhe": 4, "pausen": 2}, 2 + 2 + 2, "Gelassen"),
        ({"erreichbar": 4, "ruhe": 3, "pausen": 4}, 4 + 3 + 4, "Getrieben"),
    ],
)
def test_total_counts_reverse_items_inverted(answers: dict[str, int], total: int, band: str) -> None:
    sheet = valid_sheet()
    assert sheet.score is not None
    assert sheet.total(answers) == total
    found = sheet.score.band_for(total)
    assert found is not None and found.title == band


def test_score_range_and_bands() -> None:
    sheet = valid_sheet()
    score = sheet.score
    assert score is not None
    assert (score.label, score.sum, score.low, score.high) == (
        "Erreichbarkeitsdruck",
        ("erreichbar", "ruhe", "pausen"),
        2,
        14,
    )
    assert [(b.low, b.high, b.title) for b in score.bands] == [
        (2, 6, "Gelassen"),
        (7, 10, "Angespannt"),
        (11, 14, "Getrieben"),
    ]
    assert score.bands[1].text == "Etwas Druck."
    assert score.band_for(1) is None
    assert score.band_for(15) is None


def test_total_is_none_when_an_answer_is_missing() -> None:
    assert valid_sheet().total({"erreichbar": 3, "ruhe": 2}) is None


def test_total_is_none_without_a_score() -> None:
    sheet, _ = parse(
        """\
        worksheet:
          fields:
            - id: a
              type: scale
              label: "A"
        """
    )
    assert sheet is not None and sheet.score is None
    assert sheet.total({"a": 3}) is None


@pytest.mark.parametrize(
    ("front", "title"),
    [
        ("worksheet:\n  fields:\n    - {id: a, type: text, label: A}\n", "Essay-Titel"),
        ("worksheet:\n  title: ''\n  fields:\n    - {id: a, type: text, label: A}\n", "Essay-Titel"),
        ("worksheet:\n  title: Eigener Titel\n  fields:\n    - {id: a, type: text, label: A}\n", "Eigener Titel"),
    ],
    ids=["absent", "empty", "given"],
)
def test_worksheet_title_falls_back_to_the_essay_title(front: str, title: str) -> None:
    sheet, problems = parse(front, title="Essay-Titel")
    assert problems == []
    assert sheet is not None and sheet.title == title


def test_broken_worksheet_is_none() -> None:
    sheet, problems = parse("worksheet:\n  fields:\n    - {id: a, type: scale, label: A, min: 3, max: 2}\n")
    assert sheet is None
    assert [(p.line, p.severity) for p in problems] == [(3, "error")]


def read_prompts(front: str) -> tuple[tuple[Prompt, ...], list[Problem]]:
    """Parse the `prompts:` of a YAML front-matter text directly."""
    data: Any = yamlload.load(textwrap.dedent(front))
    reader = Reader("x.md")
    return parse_prompts(data.get("prompts"), data.line_of("prompts"), reader), reader.problems


def test_prompts_keep_text_and_hint() -> None:
    prompts, problems = read_prompts(VALID)
    assert problems == []
    assert prompts == (
        Prompt("Was brauchen Sie nicht?"),
        Prompt("Was ist unwichtig?", "Gehen Sie die Netzwerke einzeln durch."),
    )


def test_unknown_key_in_a_prompt_is_a_warning() -> None:
    prompts, problems = read_prompts('prompts:\n  - text: "Frage?"\n    tipp: "Hinweis"\n')
    assert prompts == (Prompt("Frage?"),)
    assert [(p.line, p.severity) for p in problems] == [(3, "warning")]
    assert "unknown key 'tipp'" in problems[0].message
