"""What series cost: the benchmark corpus built as it is, and with every essay a part of a series of five.

    python3 benchmarks/series_cost.py                  # 1000 essays, three runs each
    python3 benchmarks/series_cost.py --sizes 200 --runs 1   # a smoke run

Each site is built with `ssg build` in fresh processes: cold (no output, no cache), then after a one-word edit
of one essay's text (a part of a series: its other parts see only its card, so they are not rendered again).
Prints the median CPU time (user + system, of ssg and its workers) of each, which the load of other processes on
the machine inflates far less than wall time, and the ratio of the series site to the plain one.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import corpus
from measure import edit_one_word, remove
from site_extras import freeze

HERE = Path(__file__).resolve().parent
PARTS = 5


def add_series(site: Path) -> None:
    """Put the essays, in file order, into series of PARTS parts each."""
    for index, path in enumerate(corpus.essay_files(site, "ssg")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("---\n", f"---\nseries: Reihe {index // PARTS + 1}\n", 1), encoding="utf-8")


def cpu_seconds(cmd: list[str], env: dict[str, str]) -> float:
    """Run `cmd` in a fresh process; return the CPU time it and its children used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={**os.environ, **env})
    if proc.returncode:
        sys.exit(f"build failed:\n{proc.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(site: Path, env: dict[str, str], runs: int) -> dict[str, float]:
    """Return the median CPU seconds of a cold build and of the rebuild after a one-word edit."""
    build = [sys.executable, "-m", "ssg", "build", "-s", str(site), "-q"]
    cold, edit = [], []
    for _ in range(runs):
        for path in (site / "_site", site / ".ssg-cache"):
            remove(path)
        cold.append(cpu_seconds(build, env))
        edit_one_word(corpus.essay_files(site, "ssg")[0])
        edit.append(cpu_seconds(build, env))
    return {"cold": statistics.median(cold), "one essay": statistics.median(edit)}


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000", help="essay counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind; the median counts")
    parser.add_argument("--work", type=Path, default=HERE / ".work" / "series", help="where the sites go")
    args = parser.parse_args(argv)
    env = freeze(args.work / "frozen-ssg")
    rows = ["| essays | site | cold build (CPU) | one essay (CPU) |", "|---|---|---|---|"]
    for size in [int(x) for x in args.sizes.split(",")]:
        results = {}
        for variant in ("plain", "series"):
            site = args.work / f"{size}-{variant}"
            corpus.write_sites(corpus.essays(size, 1), {"ssg": site})
            if variant == "series":
                add_series(site)
            results[variant] = measure(site, env, args.runs)
            shutil.rmtree(site)
            cold, edit = results[variant]["cold"], results[variant]["one essay"]
            rows.append(f"| {size} | {variant} | {cold:.2f} s | {edit:.2f} s |")
        ratio = " | ".join(f"{results['series'][k] / results['plain'][k]:.2f} ×" for k in ("cold", "one essay"))
        rows.append(f"| {size} | series ÷ plain | {ratio} |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
