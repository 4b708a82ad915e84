"""CPU time of `ssg serve`'s first edit after its start against later edits, in one process.

    python3 benchmarks/serve_first_edit.py DIR

Starts the way the preview does (from the site's cache: the last build's or an earlier preview's), then
changes one word of the middle essay's text three times and takes, for each rebuild, the CPU time of this
process until the edited page is published and until the whole rebuild is done (CPU time, because wall time
on a shared machine is inflated by others' load). The essay is restored afterwards.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

from ssg.config import load_config
from ssg.content.collect import Selection
from ssg.engine.build import BuildOptions, BuildReport, tune_collector
from ssg.engine.inmemory import MemoryCache, render_site


def cpu() -> float:
    """Return this process's user and system time so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rebuild(root: Path, memory: MemoryCache, jobs: int) -> tuple[float | None, float]:
    """Run one preview build; return the CPU seconds until the edited page was shown (if early) and in all."""
    shown: list[float] = []
    start = cpu()
    config, _ = load_config(root)
    options = BuildOptions(selection=Selection(True, True), jobs=jobs)
    render_site(config, options, BuildReport(), memory=memory, early=lambda _files: shown.append(cpu() - start))
    memory.save(config)
    return (shown[0] if shown else None), cpu() - start


def main(root: Path) -> None:
    """Start from the cache, then time three one-word edits."""
    tune_collector()  # as ssg serve does
    memory = MemoryCache(on_disk=True)
    print(f"start: {rebuild(root, memory, 2)[1]:.3f} s CPU")
    essays = sorted((root / "essays").glob("*.md"))
    essay = essays[len(essays) // 2]
    text = essay.read_text(encoding="utf-8")
    body = text.index("\n---\n", 4) + 5
    try:
        for word in ("eins", "zwei", "drei"):
            essay.write_text(text[:body] + text[body:].replace(" und ", f" und {word} ", 1), encoding="utf-8")
            shown, done = rebuild(root, memory, 1)
            early = f"{shown:.3f}" if shown is not None else "-"
            print(f"edit '{word}': edited page shown after {early} s CPU, rebuild done after {done:.3f} s CPU")
    finally:
        essay.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
