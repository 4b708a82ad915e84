"""Benchmark ssg against Hugo, Eleventy, MkDocs and Pelican, and against the bare-library floor of its stack.

    python3 benchmarks/run.py                      # every section, 1000 and 10000 essays (an hour or more)
    python3 benchmarks/run.py --quick              # 200 essays: a smoke run
    python3 benchmarks/run.py --only equal,serve --sizes 1000 --freeze-ssg
    python3 benchmarks/run.py --sizes 500,2000 --ssg-args="--jobs 2"

Installs missing peers (Hugo from Debian, Eleventy from npm and MkDocs and Pelican in venvs, all but Hugo under
benchmarks/.peers/), writes the same corpus for every generator (benchmarks/.work/N/) and measures the
sections asked for (`--only`, default all):

    full     ssg's full site, the floor and the peers: cold build, rebuilds, peak memory
    equal    equal work: ssg on the same essays without prompts and worksheets, the floor on them, Eleventy
    pdf      ssg's full site cold with PDFs on and off (`pdf: false`), and the cost per PDF by the difference
    related  the call that finds related essays, on all the corpus's cards
    serve    `ssg serve` (cold, after an earlier serve, after `ssg build`) and `hugo server`: first pages, memory

Prints each section's Markdown table and writes it with the machine, the versions and this command into
its own section of benchmarks/results.md, keeping every other section of that file. Exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import corpus
import serve_compare
from measure import Sample, count_pages, edit_one_word, run_timed
from peers import (
    HERE,
    Generator,
    Tools,
    install_all,
    peer_generators,
    snapshot_ssg,
    ssg_build,
    ssg_generators,
    versions,
)
from report import (
    EQUAL_SSG,
    NOTES,
    RelatedCost,
    Row,
    ServeStart,
    equal_work_ratios,
    load_average,
    merge_results,
    pdf_table,
    related_table,
    run_header,
    serve_table,
    table,
)

WORK = HERE / ".work"
SMALL_CORPUS = 2000  # up to this many essays, builds are short and noisy: measure them SMALL_REPEAT times
SMALL_REPEAT = 3
SECTIONS = ("full", "equal", "pdf", "related", "serve")
TITLES = {
    "full": "Full site against the peers (run.py --only full)",
    "equal": "Equal work: one page per essay (run.py --only equal)",
    "pdf": "PDF handouts on and off (run.py --only pdf)",
    "related": "Related essays (run.py --only related)",
    "serve": "Preview servers: ssg serve and hugo server (run.py --only serve)",
}
RELATED_REPEAT = 5


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
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"sections to measure, comma-separated (default: all of {','.join(SECTIONS)})")
    args = parser.parse_args(argv)
    args.sections = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = [x for x in args.sections if x not in SECTIONS]
    if unknown or not args.sections:
        parser.error(f"--only: unknown section {', '.join(unknown) or '(none)'}; choose from {', '.join(SECTIONS)}")
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


@dataclass
class Results:
    """Everything measured in this run, by section."""

    full: list[Row] = field(default_factory=list)
    equal: list[Row] = field(default_factory=list)
    pdf: list[Row] = field(default_factory=list)
    related: list[RelatedCost] = field(default_factory=list)
    serve: list[ServeStart] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Return whether any build, call or server start failed."""
        rows = self.full + self.equal + self.pdf
        return any(r.failed for r in rows) or any(c.error for c in self.related) or any(s.error for s in self.serve)


def layouts_for(sections: list[str]) -> set[str]:
    """Return the corpus layouts the sections read."""
    needs = {"full": set(corpus.LAYOUTS), "equal": {corpus.EQUAL_WORK, "eleventy"}, "pdf": {"ssg"},
             "related": {"ssg"}, "serve": {"ssg", "hugo"}}
    return set().union(*(needs[x] for x in sections))


def measure_equal(work: Path, essays: int, tools: Tools, args: argparse.Namespace, full: list[Row]) -> list[Row]:
    """Measure ssg and the floor on the equal-work corpus, beside Eleventy (this run's, or measured here)."""
    repeat = args.repeat or (SMALL_REPEAT if essays <= SMALL_CORPUS else 1)
    gens = ssg_generators(work, tools, shlex.split(args.ssg_args), corpus.EQUAL_WORK, "equal work")
    rows = [measure(gen, essays, tools, repeat) for gen in gens]
    eleventy = [r for r in full if r.key == "eleventy" and r.essays == essays]
    if not eleventy:
        eleventy = [measure(g, essays, tools, repeat) for g in peer_generators(work, tools) if g.key == "eleventy"]
    return rows + eleventy


def without_pdfs(site: Path, copy: Path) -> Path:
    """Copy an ssg site without its output and cache, with `pdf: false` added to its site.yml."""
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("_site", ".ssg-cache"))
    with (copy / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write("\npdf: false\n")
    return copy


def measure_pdf(work: Path, essays: int, tools: Tools, args: argparse.Namespace) -> list[Row]:
    """Cold builds of the full site with PDFs on and off, alternating, each in a fresh process."""
    repeat = args.repeat or (SMALL_REPEAT if essays <= SMALL_CORPUS else 1)
    gens = []
    for site, name, key in ((work / "ssg", "ssg (full site), PDFs on", "ssg"),
                            (without_pdfs(work / "ssg", work / "ssg-nopdf"), "ssg (full site), PDFs off", "ssg-nopdf")):
        cold, _, _ = ssg_build(site, tools, shlex.split(args.ssg_args))
        gens.append(Generator(name, key, site, cold, None, (site / "_site", site / ".ssg-cache"), site / "_site",
                              env=tools.ssg_env))
    rows = [Row(g.name, g.key, essays) for g in gens]
    if "ssg" in tools.problems:
        for row in rows:
            row.error = tools.problems["ssg"]
        return rows
    for _ in range(repeat):
        for gen, row in zip(gens, rows, strict=True):
            if measure_once(gen, row, tools.gnu_time) and gen.output is not None:
                row.pdfs = sum(1 for _ in gen.output.rglob("*.pdf"))
    for row in rows:
        done = "/".join(f"{s.seconds:.2f}" for s in row.samples.get("cold", []))
        print(f"  {row.name}: cold {done} s, {row.pdfs} PDFs", flush=True)
    if "ssg" not in tools.problems:
        rows[0].note = warm_pdf_cost(work / "ssg", tools)
        print(f"  {rows[0].note}", flush=True)
    return rows


WARM_PDF = (
    "import json, sys\nfrom pathlib import Path\nimport pdf_cost\n"
    "print(json.dumps(pdf_cost.per_pdf(Path(sys.argv[1]), int(sys.argv[2]))))\n"
)
WARM_SHEETS = 100


def warm_pdf_cost(site: Path, tools: Tools) -> str:
    """Return pdf_cost.py's figures for one sheet in a warm compiler (the frozen ssg, if any), as a note."""
    command = [sys.executable, "-c", WARM_PDF, str(site), str(WARM_SHEETS)]
    done = subprocess.run(command, cwd=HERE, capture_output=True, text=True, check=False,
                          env={**os.environ, **tools.ssg_env})
    try:
        cost = json.loads(done.stdout.strip().splitlines()[-1])
        return (f"one sheet in a warm compiler (`pdf_cost.py`, {cost['sheets']} sheets in one worker): "
                f"CPU median {cost['cpu_ms']:.2f} ms, wall median {cost['median_ms']:.2f} ms; a booklet part of "
                f"{cost['booklet_sheets']} sheets {cost['booklet_cpu'] / cost['booklet_sheets']:.2f} ms CPU per sheet")
    except (IndexError, KeyError, TypeError, ValueError, ZeroDivisionError):
        tail = " / ".join(done.stderr.strip().splitlines()[-2:])
        return f"one sheet in a warm compiler: pdf_cost.py FAILED ({tail or done.returncode})"


def measure_related(work: Path, essays: int, tools: Tools) -> RelatedCost:
    """Time related_essays on the corpus's cards in a fresh process (the frozen ssg, if any)."""
    cost = RelatedCost(essays)
    command = [sys.executable, str(HERE / "related_cost.py"), str(work / "ssg"), "--repeat", str(RELATED_REPEAT)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env={**os.environ, **tools.ssg_env})
    if done.returncode != 0:
        cost.error = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
        print(f"  related essays FAILED: {done.stderr[-2000:]}", file=sys.stderr, flush=True)
        return cost
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    cost.wall_ms, cost.cpu_ms, cost.related = figures["wall_ms"], figures["cpu_ms"], figures["related"]
    print(f"  related essays: {' / '.join(f'{x:.1f}' for x in cost.wall_ms)} ms", flush=True)
    return cost


def measure_serve(work: Path, essays: int, tools: Tools) -> list[ServeStart]:
    """Start ssg serve in each case and hugo server, on the same essays."""
    if "ssg" in tools.problems:
        starts = [ServeStart("ssg serve", essays, "all", error=tools.problems["ssg"])]
    else:
        starts = serve_compare.ssg_serve_starts(work / "ssg", essays, tools.ssg, tools.ssg_env)
    if "hugo" in tools.problems:
        starts.append(ServeStart("hugo server", essays, "cold (no output)", error=tools.problems["hugo"]))
    else:
        slug = serve_compare.essay_slug(work / "ssg")
        starts.append(serve_compare.hugo_server_start(work / "hugo", essays, tools.hugo, slug))
    return starts


def run_size(essays: int, tools: Tools, args: argparse.Namespace, results: Results) -> None:
    """Write the corpus in the layouts the sections need and measure each section at this size."""
    work = WORK / str(essays)
    start = time.perf_counter()
    layouts = layouts_for(args.sections)
    corpus.write_sites(corpus.essays(essays, args.seed), {x: work / x for x in sorted(layouts)})
    print(f"{essays} essays: corpus written in {time.perf_counter() - start:.0f} s to {work}", flush=True)
    repeat = args.repeat or (SMALL_REPEAT if essays <= SMALL_CORPUS else 1)
    if "full" in args.sections:
        print(f"{essays} essays, full site and peers:", flush=True)
        gens = ssg_generators(work, tools, shlex.split(args.ssg_args), "ssg", "full site")
        results.full += [measure(gen, essays, tools, repeat) for gen in gens + peer_generators(work, tools)]
    if "equal" in args.sections:
        print(f"{essays} essays, equal work:", flush=True)
        results.equal += measure_equal(work, essays, tools, args, results.full)
    if "pdf" in args.sections:
        print(f"{essays} essays, PDFs on and off:", flush=True)
        results.pdf += measure_pdf(work, essays, tools, args)
    if "related" in args.sections:
        print(f"{essays} essays, related essays:", flush=True)
        results.related.append(measure_related(work, essays, tools))
    if "serve" in args.sections:
        print(f"{essays} essays, preview servers:", flush=True)
        results.serve += measure_serve(work, essays, tools)
    if not args.keep_work:
        shutil.rmtree(work, ignore_errors=True)


EQUAL_NOTES = f"""\
- **Equal work**: the same essays (same seed, same Markdown bodies) with `prompts` and `worksheet` removed from
  ssg's front matter (`corpus.py --equal-work`): ssg then makes one page per essay plus its home page, archive,
  tag pages, feeds and sitemap (and finds related essays), while each peer makes one page per essay plus an
  index. The floor rows read this same corpus. *{EQUAL_SSG}* is measured like ssg in the full-site section.
- **ssg ÷ floor (2 processes)** and **ssg ÷ Eleventy**: ssg's equal-work cold build over theirs, measured in
  this run (Eleventy's row is the full-site section's when that ran too: the peers' work is the same). Below 1:
  ssg is faster. The CPU column divides CPU seconds instead (ssg and the floor both use two processes).
- The table's *peer ÷ ssg* and *ssg ÷ floor* columns are against *{EQUAL_SSG}*.
"""
PDF_NOTES = """\
- Cold builds of the full site (old output and cache removed inside the timing, a fresh process each), with
  PDFs on (site.yml as written) and off (`pdf: false` appended to a copy of the same site), alternating on and
  off, one after the other. *peak memory* is GNU time's largest single process (the build or one worker).
- **Per PDF** is the difference: (cold with PDFs − cold without) ÷ the number of PDFs written (one per
  worksheet and one per booklet part), of wall time and of CPU time (user + system of all processes). It
  includes everything a PDF brings into a build (typesetting, writing, its link and size on the pages).
  `python3 benchmarks/pdf_cost.py DIR` measures one sheet in a warm compiler instead.
"""
RELATED_NOTES = """\
- `ssg.related.related_essays` on all the corpus's cards (newest first), as `make_site` calls it in every
  build, `ssg serve` and `ssg check`: for each essay up to three others sharing the most tags (a pool of 50
  tags, two to four per essay), looking only at the 25 nearest in time on each side per tag.
  `python3 benchmarks/related_cost.py DIR` runs it alone: the site is loaded first (not timed), then the call
  is timed five times in one process (the first includes warming up).
"""
SERVE_NOTES = """\
- Each start is a fresh process on the full-site corpus; seconds from starting it until the home page and the
  middle essay's page first answer 200 (polled over HTTP every 20 ms). **whole site current**: for ssg, when
  it reports its first whole build done ("Built …"); for Hugo, when both pages answer (it renders everything
  before it serves).
- **ssg serve** starts: *cold* (no `.ssg-cache/`, no `_site/`); *after an earlier ssg serve* (that cold serve
  stopped, then a new one; measured only if the earlier serve left a cache in `.ssg-cache/`, otherwise the
  row says so); *after ssg build* (cache and output of a build just made).
- **hugo server** runs `hugo server --port P --bind 127.0.0.1 --disableLiveReload` (rendering to memory, its
  default) on the Hugo copy of the same essays: one page per essay plus an index.
- **Memory**, one second after the whole site is current: VmRSS and PSS (from `/proc/<pid>/smaps_rollup`)
  summed over the server and every child process it has then (worker processes, if any live); VmRSS counts
  pages shared between a parent and its forked workers in each, PSS shares them out. *peak VmHWM* is the
  server process's own peak resident set.
- **edit shown**: right after that (the site current, its memory read), one word of the middle essay's text is
  changed and the clock runs until that essay's page answers with the new word (polled every 10 ms); the
  essay is restored afterwards. For Hugo the same edit of its copy of the essay.
"""


def section_bodies(results: Results, args: argparse.Namespace) -> dict[str, str]:
    """Return the tables and notes of the sections this run measured, by title."""
    bodies = {
        "full": lambda: table(results.full) + "\n" + NOTES,
        "equal": lambda: table(results.equal) + "\n" + equal_work_ratios(results.equal) + "\n" + EQUAL_NOTES,
        "pdf": lambda: pdf_table(results.pdf) + "\n" + PDF_NOTES,
        "related": lambda: related_table(results.related) + "\n" + RELATED_NOTES,
        "serve": lambda: serve_table(results.serve) + "\n" + SERVE_NOTES,
    }
    return {TITLES[x]: bodies[x]() for x in args.sections}


def main(argv: list[str] | None = None) -> int:
    """Install, measure, print and write the results; return the exit code."""
    args = parse_args(argv)
    start, load = time.perf_counter(), load_average()
    tools = install_all()
    if args.freeze_ssg:
        snapshot_ssg(WORK / "ssg-frozen", tools)
    tool_versions = versions(tools)
    results = Results()
    for essays in args.size_list:
        run_size(essays, tools, args, results)
    if not args.keep_work:
        shutil.rmtree(WORK / "ssg-frozen", ignore_errors=True)
    minutes = (time.perf_counter() - start) / 60
    command = shlex.join(["python3", *sys.argv]) if argv is None else shlex.join(["python3", "run.py", *argv])
    bodies = section_bodies(results, args)
    for title, body in bodies.items():
        print(f"\n## {title}\n\n{body}")
    header = run_header(tool_versions, command, minutes, load)
    old = args.results.read_text(encoding="utf-8") if args.results.exists() else ""
    order = tuple(TITLES[x] for x in SECTIONS)
    new = {title: f"{header}\n{body}" for title, body in bodies.items()}
    args.results.write_text(merge_results(old, new, order), encoding="utf-8")
    print(f"Written to {args.results} (total {minutes:.1f} min).")
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
