"""What PDF handouts cost: per sheet in a warm compiler, and in cold builds with and without them.

    python3 benchmarks/corpus.py --essays 1000 --out /tmp/c1k
    python3 benchmarks/pdf_cost.py /tmp/c1k [--sheets 300] [--repeat 3]

1. Per PDF: in one worker process (as in a build), the handout of each of the first `--sheets` worksheets is
   made with the process's one compiler; milliseconds per sheet (median, mean, slowest) for the data (JSON,
   QR code) and for Typst, and per sheet for binding a booklet part of `booklet_size` sheets from the
   handouts just made (as in a build: the part renders after its sheets, in their process).
2. Cold builds of the whole corpus, each in a fresh process (`ssg build -q`, old output and cache removed),
   alternately with PDFs (site.yml as it is) and without (`pdf: false`), `--repeat` times each: wall time
   and peak memory (the largest resident set of the build and its worker processes).
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def per_pdf(root: Path, sheets: int) -> dict[str, Any]:
    """Time each sheet's handout in a forked worker: Typst must not run in the process that forks."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(_per_pdf, (root, sheets))


def _per_pdf(root: Path, count: int) -> dict[str, Any]:
    from ssg.config import load_config
    from ssg.engine.build import BuildOptions, BuildReport, load_site
    from ssg.outputs import booklet_pdf, pdf, worksheets

    report = BuildReport()
    plan = load_site(load_config(root)[0], BuildOptions(), report)
    assert plan.typesetting is not None, "site.yml turns PDFs off"
    sheets = [worksheets.sheet_context(plan.site, e) for e in plan.site.worksheet_essays[:count]]
    data_ms, total_ms, cpu_ms, sizes = [], [], [], []
    for sheet in sheets:
        start = time.perf_counter()
        pdf.document_data(sheet, plan.typesetting)
        middle, cpu = time.perf_counter(), time.process_time()
        made = pdf.handout({"sheet": sheet, "typesetting": plan.typesetting}, plan.env)
        cpu_ms.append((time.process_time() - cpu) * 1000)  # all of the process's threads: robust to a busy machine
        total_ms.append((time.perf_counter() - middle) * 1000)  # handout() makes the data itself, too
        data_ms.append((middle - start) * 1000)
        sizes.append(len(made))
    size = plan.site.config.booklet_size
    part = tuple(sheets[-size:])  # the last ones made: kept for their part, as in a build
    start, cpu = time.perf_counter(), time.process_time()
    booklet = booklet_pdf.booklet({"sheets": part, "typesetting": plan.typesetting, "part": (1, 1)}, plan.env)
    booklet_ms, booklet_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
    return {
        "sheets": len(sheets),
        "first_ms": total_ms[0],
        "median_ms": statistics.median(total_ms[1:]),
        "mean_ms": statistics.mean(total_ms[1:]),
        "max_ms": max(total_ms[1:]),
        "cpu_ms": statistics.median(cpu_ms[1:]),
        "booklet_cpu": booklet_cpu,
        "data_ms": statistics.median(data_ms),
        "kib": statistics.mean(sizes) / 1024,
        "booklet_sheets": len(part),
        "booklet_ms": booklet_ms,
        "booklet_kib": len(booklet) / 1024,
    }


def cold_build(root: Path, pdfs: bool) -> tuple[float, float, int]:
    """Build a copy of `root` cold in a fresh process; return seconds, peak MiB and the number of PDFs."""
    with tempfile.TemporaryDirectory(prefix="ssg-pdf-cost-") as scratch:
        site = Path(scratch) / "site"
        shutil.copytree(root, site, ignore=shutil.ignore_patterns("_site", ".ssg-cache"))
        if not pdfs:
            with (site / "site.yml").open("a", encoding="utf-8") as handle:
                handle.write("\npdf: false\n")
        # A wrapper process per build: RUSAGE_CHILDREN then holds this build's largest process alone.
        wrapper = (
            "import resource, subprocess, sys, time\n"
            "start = time.perf_counter()\n"
            "subprocess.run([sys.executable, '-m', 'ssg', 'build', '-q', '-s', sys.argv[1]], check=True)\n"
            "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        )
        done = subprocess.run([sys.executable, "-c", wrapper, str(site)], capture_output=True, text=True, check=True)
        seconds, kib = done.stdout.split()
        made = sum(1 for _ in (site / "_site").rglob("*.pdf"))
        return float(seconds), int(kib) / 1024, made


def main() -> None:
    """Print the cost per PDF and the cold builds with and without PDFs."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="an ssg site, e.g. from benchmarks/corpus.py")
    parser.add_argument("--sheets", type=int, default=300, help="sheets to time one by one (default: 300)")
    parser.add_argument("--repeat", type=int, default=3, help="cold builds of each kind (default: 3)")
    args = parser.parse_args()
    cost = per_pdf(args.site, args.sheets)
    print(f"Per sheet, warm compiler, {cost['sheets']} sheets in one worker process:")
    print(f"  first (new compiler): {cost['first_ms']:.1f} ms")
    print(f"  then: median {cost['median_ms']:.2f} ms, mean {cost['mean_ms']:.2f} ms, slowest {cost['max_ms']:.1f} ms; "
          f"CPU time median {cost['cpu_ms']:.2f} ms")
    print(f"  of which the data (JSON, QR code): median {cost['data_ms']:.2f} ms; PDF size {cost['kib']:.0f} KiB")
    per_sheet = cost["booklet_ms"] / cost["booklet_sheets"]
    print(f"  booklet part of {cost['booklet_sheets']} sheets: {cost['booklet_ms']:.0f} ms ({per_sheet:.2f} ms per "
          f"sheet; CPU {cost['booklet_cpu']:.0f} ms, {cost['booklet_cpu'] / cost['booklet_sheets']:.2f} ms per sheet), "
          f"{cost['booklet_kib']:.0f} KiB")
    runs: dict[bool, list[tuple[float, float, int]]] = {True: [], False: []}
    for _ in range(args.repeat):
        for pdfs in (True, False):
            runs[pdfs].append(cold_build(args.site, pdfs))
    essays = sum(1 for _ in (args.site / "essays").glob("*.md"))
    print(f"Cold builds of {essays} essays (each in a fresh process; {args.repeat} of each, alternating):")
    for pdfs in (True, False):
        seconds = [r[0] for r in runs[pdfs]]
        peak = max(r[1] for r in runs[pdfs])
        label = "with PDFs   " if pdfs else "without PDFs"
        print(f"  {label}: median {statistics.median(seconds):.2f} s (runs: "
              f"{', '.join(f'{s:.2f}' for s in seconds)}), peak {peak:.0f} MiB, {runs[pdfs][0][2]} PDFs")
    extra = statistics.median(r[0] for r in runs[True]) - statistics.median(r[0] for r in runs[False])
    pdf_count = max(1, runs[True][0][2])
    print(f"  PDFs add {extra:.2f} s: {extra * 1000 / pdf_count:.2f} ms of wall time per PDF")


if __name__ == "__main__":
    main()
