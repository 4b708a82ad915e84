"""Benchmark ssg against Hugo, Eleventy, MkDocs and Pelican, and against the bare-library floor of its stack.

    python3 benchmarks/run.py                      # 1000 and 10000 essays (20–40 minutes)
    python3 benchmarks/run.py --quick              # 200 essays: a smoke run
    python3 benchmarks/run.py --sizes 500,2000 --ssg-args="--jobs 2"

Installs missing peers (Hugo from Debian, Eleventy from npm and MkDocs and Pelican in venvs, all but Hugo under
benchmarks/.peers/), writes the same corpus for every generator (benchmarks/.work/N/), measures cold build,
no-change rebuild, one-essay rebuild and peak memory, prints one Markdown table and writes it with the
machine, the versions and this command to benchmarks/results.md. Exits 1 if any build failed.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
import time
from pathlib import Path

import corpus
from measure import Sample, count_pages, edit_one_word, run_timed
from peers import HERE, Generator, Tools, install_all, peer_generators, snapshot_ssg, ssg_generators, versions
from report import Row, results_markdown, table

WORK = HERE / ".work"
SMALL_CORPUS = 2000  # up to this many essays, builds are short and noisy: measure them SMALL_REPEAT times
SMALL_REPEAT = 3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="essay counts, comma-separated (default: 1000,10000)")
    parser.add_argument("--quick", action="store_true", help="200 essays only, results to results-quick.md")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    parser.add_argument("--ssg-args", default="", help='extra arguments for "ssg build", e.g. "--jobs 2"')
    parser.add_argument("--results", type=Path, help="results file (default: benchmarks/results.md)")
    parser.add_argument("--repeat", type=int, help="measure each build N times and show medians "
                        f"(default: {SMALL_REPEAT} up to {SMALL_CORPUS} essays, else 1)")
    parser.add_argument("--freeze-ssg", action="store_true",
                        help="run a copy of ssg taken at the start, so that edits to ssg during the run don't count")
    parser.add_argument("--keep-work", action="store_true", help="keep benchmarks/.work/N/ (sites and outputs)")
    args = parser.parse_args(argv)
    args.size_list = [200] if args.quick else [int(x) for x in args.sizes.split(",") if x.strip()]
    if args.results is None:
        args.results = HERE / ("results-quick.md" if args.quick else "results.md")
    return args


def report_failure(row: Row, kind: str, stderr: str) -> None:
    """Print a failed build's error output."""
    print(f"  {row.name} ({row.essays}): {kind} build FAILED; last lines of its error output:", file=sys.stderr)
    print("    " + stderr.replace("\n", "\n    "), file=sys.stderr, flush=True)


def record(row: Row, kind: str, sample: Sample) -> bool:
    """Keep one sample; report a failure; return whether the build succeeded."""
    row.samples.setdefault(kind, []).append(sample)
    if not sample.ok:
        report_failure(row, kind, sample.stderr_tail())
    return sample.ok


def measure_once(gen: Generator, row: Row, gnu_time: str | None) -> bool:
    """Measure cold build, no-change rebuild and one-essay rebuild once; return whether all succeeded."""
    if gen.cold is not None:
        if not record(row, "cold", run_timed(gen.cold, gen.cwd, gen.clean, gnu_time, gen.env)):
            return False
        row.pages = count_pages(gen.output) if gen.output else 0
        if gen.prime and gen.rebuild:
            run_timed(gen.rebuild, gen.cwd, (), gnu_time, gen.env)  # fill the cache the --no-cache cold build skipped
    if gen.rebuild is None:
        return True
    if not record(row, "nochange", run_timed(gen.rebuild, gen.cwd, (), gnu_time, gen.env)):
        return False
    if gen.essays is not None:
        files = sorted(gen.essays.glob("*.md"))
        edit_one_word(files[len(files) // 2])
    if not record(row, "one", run_timed(gen.rebuild, gen.cwd, (), gnu_time, gen.env)):
        return False
    if not row.pages and gen.output:
        row.pages = count_pages(gen.output)
    return True


def measure(gen: Generator, essays: int, tools: Tools, repeat: int) -> Row:
    """Measure one generator at one size, `repeat` times (the table shows medians)."""
    row = Row(gen.name, gen.key, essays)
    if gen.key in tools.problems:
        row.error = tools.problems[gen.key]
        print(f"  {gen.name}: {row.error}", file=sys.stderr)
        return row
    for _ in range(repeat):
        if not measure_once(gen, row, tools.gnu_time):
            break
    done = ", ".join(f"{k} " + "/".join(f"{s.seconds:.2f}" for s in v) + " s" for k, v in row.samples.items())
    print(f"  {gen.name}: {done or 'not measured'}", flush=True)
    return row


def run_size(essays: int, tools: Tools, args: argparse.Namespace) -> list[Row]:
    """Write the corpus for every generator and measure each one at this size."""
    work = WORK / str(essays)
    start = time.perf_counter()
    corpus.write_sites(corpus.essays(essays, args.seed), {x: work / x for x in corpus.LAYOUTS})
    print(f"{essays} essays: corpus written in {time.perf_counter() - start:.0f} s to {work}", flush=True)
    gens = ssg_generators(work, tools, shlex.split(args.ssg_args)) + peer_generators(work, tools)
    repeat = args.repeat or (SMALL_REPEAT if essays <= SMALL_CORPUS else 1)
    rows = [measure(gen, essays, tools, repeat) for gen in gens]
    if not args.keep_work:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Install, measure, print and write the results; return the exit code."""
    args = parse_args(argv)
    start = time.perf_counter()
    tools = install_all()
    if args.freeze_ssg:
        snapshot_ssg(WORK / "ssg-frozen", tools)
    tool_versions = versions(tools)
    rows: list[Row] = []
    for essays in args.size_list:
        rows += run_size(essays, tools, args)
    if not args.keep_work:
        shutil.rmtree(WORK / "ssg-frozen", ignore_errors=True)
    minutes = (time.perf_counter() - start) / 60
    command = shlex.join(["python3", *sys.argv]) if argv is None else shlex.join(["python3", "run.py", *argv])
    print("\n" + table(rows))
    args.results.write_text(results_markdown(rows, tool_versions, command, minutes), encoding="utf-8")
    print(f"Written to {args.results} (total {minutes:.1f} min).")
    return 1 if any(r.failed for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
