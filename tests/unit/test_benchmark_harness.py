"""The benchmark harness keeps what it must: other scripts' results, and the essays' text in the equal-work corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from tests.helpers import REPO

sys.path.append(str(REPO / "benchmarks"))  # the harness's modules import each other by bare name

import corpus
from report import merge_results

ORDER = ("Full site (run.py)", "Equal work (run.py)", "Serve (run.py)")
LEGACY = """# Benchmark results

- date: 2026-11-28 08:15 UTC
| ssg | 1000 | 3.40 |

## Images beside essays (benchmarks/images.py)

| cold | 130.20 |
"""


def test_a_run_keeps_the_sections_it_did_not_measure_and_other_scripts_sections() -> None:
    first = merge_results(LEGACY, {"Serve (run.py)": "- date: today\n\n| ssg serve | 0.5 |\n"}, ORDER)
    assert "| ssg | 1000 | 3.40 |" in first  # the old full-site table, not measured this time
    assert "## Images beside essays (benchmarks/images.py)\n\n| cold | 130.20 |" in first
    second = merge_results(first, {"Full site (run.py)": "| ssg | 1000 | 2.00 |\n"}, ORDER)
    headings = [line for line in second.splitlines() if line.startswith("#")]
    assert headings == ["# Benchmark results", "## Full site (run.py)", "## Serve (run.py)",
                        "## Images beside essays (benchmarks/images.py)"]
    assert "| ssg | 1000 | 2.00 |" in second and "3.40" not in second
    assert "| ssg serve | 0.5 |" in second and "| cold | 130.20 |" in second


def front_matter_and_body(path: Path) -> tuple[dict[str, object], str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def test_the_equal_work_corpus_is_the_same_essays_without_prompts_and_worksheet(tmp_path: Path) -> None:
    corpus.main(["--essays", "12", "--out", str(tmp_path / "full")])
    corpus.main(["--essays", "12", "--out", str(tmp_path / "equal"), "--equal-work"])
    full = corpus.essay_files(tmp_path / "full", "ssg")
    equal = corpus.essay_files(tmp_path / "equal", corpus.EQUAL_WORK)
    assert [p.name for p in full] == [p.name for p in equal] and len(full) == 12
    for a, b in zip(full, equal, strict=True):
        meta_full, body_full = front_matter_and_body(a)
        meta_equal, body_equal = front_matter_and_body(b)
        assert body_equal == body_full
        assert "prompts" in meta_full and "worksheet" in meta_full
        assert meta_equal == {k: v for k, v in meta_full.items() if k not in ("prompts", "worksheet")}
    assert (tmp_path / "equal" / "site.yml").read_bytes() == (tmp_path / "full" / "site.yml").read_bytes()
