"""`ssg build` right after `ssg serve`, against a cold build: what taking the preview's pages saves.

    python3 benchmarks/corpus.py --essays 10000 --out /tmp/c10k
    python3 benchmarks/build_after_serve.py /tmp/c10k

Removes the site's output and cache, renders the site the way `ssg serve` does from nothing (all cores, the
published essays only, as `ssg build` sees them) and leaves what the preview leaves in `.ssg-cache/serve/`;
then times `ssg build` in a fresh process, which takes the preview's pages instead of rendering them; then,
with output and cache removed again, a cold `ssg build`. Wall and CPU time (user + system of the build and its
workers) of both builds are printed.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ssg.config import load_config
from ssg.content.collect import Selection
from ssg.engine.build import BuildOptions, BuildReport, tune_collector
from ssg.engine.inmemory import MemoryCache, render_site


def timed_build(root: Path) -> tuple[float, float]:
    """Run `ssg build` in a fresh process; return its wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ssg", "build", "-s", str(root), "-q"], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def forget(root: Path) -> None:
    """Remove the site's output and cache."""
    for name in ("_site", ".ssg-cache"):
        shutil.rmtree(root / name, ignore_errors=True)


def main(root: Path) -> None:
    """Preview from nothing, build after it, then build cold."""
    tune_collector()
    forget(root)
    config, _ = load_config(root)
    start = time.perf_counter()
    memory = MemoryCache(on_disk=True)
    render_site(config, BuildOptions(selection=Selection(False, False), jobs=2), BuildReport(), memory=memory)
    memory.save(config)
    print(f"preview from nothing: {time.perf_counter() - start:.2f} s")
    wall, cpu = timed_build(root)
    print(f"ssg build after the preview: {wall:.2f} s, {cpu:.2f} s CPU")
    forget(root)
    wall, cpu = timed_build(root)
    print(f"ssg build, cold: {wall:.2f} s, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
