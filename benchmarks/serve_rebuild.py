"""Time what `ssg serve` does after a one-essay edit: a rebuild through the in-memory cache.

    python3 benchmarks/corpus.py --essays 10000 --out /tmp/c10k
    python3 benchmarks/serve_rebuild.py /tmp/c10k

It renders the site once (all cores, as serve's first build does), then edits one essay twice and
times each rebuild the way the serve loop runs it (one process, reusing parsed essays and rendered
files). The essay is restored afterwards.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ssg.build import BuildOptions, BuildReport, MemoryCache, render_site, tune_collector
from ssg.config import load_config
from ssg.content.collect import Selection


def rebuild(root: Path, memory: MemoryCache, jobs: int) -> tuple[float, BuildReport]:
    """Run one serve-style build and return its wall time and report."""
    start = time.perf_counter()
    config, _ = load_config(root)
    report = BuildReport()
    render_site(config, BuildOptions(selection=Selection(True, True), jobs=jobs), report, memory=memory)
    return time.perf_counter() - start, report


def main(root: Path) -> None:
    """Measure the first build and two one-essay rebuilds."""
    tune_collector()  # as ssg serve does
    memory = MemoryCache()
    seconds, _ = rebuild(root, memory, os.cpu_count() or 1)
    print(f"first build: {seconds:.2f} s")
    essay = sorted((root / "essays").glob("*.md"))[len(list((root / "essays").glob("*.md"))) // 2]
    text = essay.read_text(encoding="utf-8")
    try:
        for word in ("eins", "zwei"):
            essay.write_text(text.replace(" und ", f" und {word} ", 1), encoding="utf-8")
            seconds, report = rebuild(root, memory, 1)
            steps = ", ".join(f"{name} {s:.2f}" for name, s in report.steps)
            print(f"one-essay rebuild: {seconds:.2f} s ({steps}; {report.rendered} outputs rendered)")
    finally:
        essay.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
