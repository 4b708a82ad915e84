"""Time what `ssg serve` does after a one-essay edit: a rebuild through the in-memory cache.

    python3 benchmarks/corpus.py --essays 10000 --out /tmp/c10k
    python3 benchmarks/serve_rebuild.py /tmp/c10k

It renders the site once (all cores, as serve's first build does), then edits one essay's text twice
and its front matter (what list pages show) twice, and times each rebuild the way the serve loop runs
it (one process, reusing parsed essays and rendered files): when the edited essay's own pages are
ready to show, and when the whole site is. The essay is restored afterwards.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ssg.config import load_config
from ssg.content.collect import Selection
from ssg.engine.build import BuildOptions, BuildReport, tune_collector
from ssg.engine.inmemory import MemoryCache, render_site


def rebuild(root: Path, memory: MemoryCache, jobs: int) -> tuple[float, float | None, BuildReport]:
    """Run one serve-style build; return its wall time, when the edited page was shown (if early), the report."""
    start = time.perf_counter()
    shown: list[float] = []
    config, _ = load_config(root)
    report = BuildReport()
    options = BuildOptions(selection=Selection(True, True), jobs=jobs)
    render_site(config, options, report, memory=memory, early=lambda _site: shown.append(time.perf_counter() - start))
    return time.perf_counter() - start, shown[0] if shown else None, report


def main(root: Path) -> None:
    """Measure the first build and two one-essay rebuilds."""
    tune_collector()  # as ssg serve does
    memory = MemoryCache()
    seconds, _, _ = rebuild(root, memory, os.cpu_count() or 1)
    print(f"first build: {seconds:.2f} s")
    essay = sorted((root / "essays").glob("*.md"))[len(list((root / "essays").glob("*.md"))) // 2]
    text = essay.read_text(encoding="utf-8")
    body = text.index("\n---\n", 4) + 5  # where the front matter ends
    edits = [
        ("text", lambda word: text[:body] + text[body:].replace(" und ", f" und {word} ", 1)),
        ("front matter", lambda word: text[:body].replace(" und ", f" und {word} ", 1) + text[body:]),
    ]
    try:
        for what, edit in edits:
            for word in ("eins", "zwei"):
                essay.write_text(edit(word), encoding="utf-8")
                seconds, shown, report = rebuild(root, memory, 1)
                steps = ", ".join(f"{name} {s:.2f}" for name, s in report.steps)
                early = f"edited page shown after {shown:.2f} s, " if shown is not None else ""
                done = f"all done after {seconds:.2f} s ({steps}; {report.rendered} outputs rendered)"
                print(f"one-essay rebuild ({what}): {early}{done}")
    finally:
        essay.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
