"""The results tables (Markdown) and benchmarks/results.md: one section per part of run.py, each with its date,
machine, versions and command; a run replaces the sections it measured and keeps all others."""

from __future__ import annotations

import os
import platform
import re
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from measure import Sample

HEADER = (
    "generator", "essays", "cold build (s)", "CPU, cold (s)", "no-change rebuild (s)", "one-essay rebuild (s)",
    "peak memory (MiB)", "peer ÷ ssg (cold)", "ssg ÷ floor (cold)", "HTML pages", "runs",
)
PEERS = ("hugo", "eleventy", "mkdocs", "pelican")
NOTES = """\
- Each time is the median of the builds shown in *runs* (the same generator, size and kind, one after another).
  **CPU, cold**: user + system seconds of the cold build and all its processes (GNU time `%U + %S`), which the
  machine's other load inflates far less than wall time.
- **cold build**: the old output (and the generator's cache: `.ssg-cache/`, Pelican's `cache/`, Hugo's
  `resources/`) is removed inside the timing, then one build in a fresh process.
- **no-change rebuild**: a second build on the same output in a fresh process. **one-essay rebuild**: one word
  of one essay's body changed, then a build in a fresh process. Peers without a persistent cache (Hugo,
  Eleventy, plain MkDocs) do a full build here; *MkDocs --dirty* shows `mkdocs build --dirty` instead; Pelican
  runs with `LOAD_CONTENT_CACHE` and `CACHE_CONTENT` on for all three builds.
- **peak memory**: the largest max RSS of the row's builds, as GNU time reports it: the largest single process
  of the tree, not the sum of parallel worker processes (so it understates *floor, 2 processes*).
- **peer ÷ ssg**: the peer's cold time over ssg's at the same size (above 1: ssg is faster). **ssg ÷ floor**:
  ssg's cold time over the bare-library floor's (`floor.py`: read, split front matter, PyYAML CSafeLoader,
  markdown-it-py CommonMark, a tiny Jinja2 page, write; no validation, worksheets or feeds).
- All peers build the same essays (same Markdown bodies) with a minimal theme: one page per essay and an index
  of all essays. ssg builds its full site from the same essays: besides essay pages and the home page, a
  worksheet page per essay (with a QR code), tag pages, the archive, the worksheet booklet and feeds; see
  *HTML pages*. Hugo (threads) and ssg (worker processes, one per core by default) use both cores;
  MkDocs, Pelican and Eleventy use one.
- One run on a shared machine: numbers are comparable within this table only, not with other runs.
"""


@dataclass
class Row:
    """One generator at one corpus size."""

    name: str
    key: str
    essays: int
    samples: dict[str, list[Sample]] = field(default_factory=dict)  # "cold", "nochange", "one"
    pages: int = 0
    pdfs: int = 0
    error: str = ""
    note: str = ""  # a figure measured beside the row's builds, printed under its section's table

    def seconds(self, kind: str) -> float | None:
        """Return the median time of the builds of this kind, None if there is none or one failed."""
        samples = self.samples.get(kind, [])
        if not samples or not all(s.ok for s in samples):
            return None
        return statistics.median(s.seconds for s in samples)

    def cpu(self, kind: str) -> float | None:
        """Return the median CPU seconds of the builds of this kind, None if there is none or one failed."""
        samples = self.samples.get(kind, [])
        if not samples or not all(s.ok for s in samples):
            return None
        return statistics.median(s.cpu for s in samples)

    @property
    def runs(self) -> int:
        """Return how many times the row's builds were measured."""
        return max((len(v) for v in self.samples.values()), default=0)

    @property
    def failed(self) -> bool:
        """Return whether the tool was missing or any build failed."""
        return bool(self.error) or any(not s.ok for kind in self.samples.values() for s in kind)

    def peak_mib(self) -> float | None:
        """Return the largest max RSS of the row's builds in MiB."""
        values = [s.rss_kib for kind in self.samples.values() for s in kind if s.rss_kib]
        return max(values) / 1024 if values else None


def number(value: float | None, digits: int = 2) -> str:
    """Format a number, or a dash when there is none."""
    return "—" if value is None else f"{value:.{digits}f}"


def timing(row: Row, kind: str) -> str:
    """Format one timing cell: seconds, FAILED, or a dash when not measured."""
    if not all(s.ok for s in row.samples.get(kind, [])):
        return "FAILED"
    return number(row.seconds(kind))


def ratios(row: Row, ssg_cold: float | None) -> tuple[str, str]:
    """Return the cells "peer ÷ ssg" and "ssg ÷ floor"."""
    cold = row.seconds("cold")
    if cold is None or ssg_cold is None:
        return "—", "—"
    if row.key in PEERS or row.key == "ssg":
        return number(cold / ssg_cold), "—"
    if row.key == "floor":
        return "—", number(ssg_cold / cold)
    return "—", "—"


def cells(row: Row, ssg_cold: float | None) -> list[str]:
    """Return the table cells of one row."""
    if row.error:
        return [row.name, str(row.essays), "FAILED", "—", "—", "—", "—", "—", "—", "—", "—"]
    peer, floor = ratios(row, ssg_cold)
    pages = str(row.pages) if row.pages else "—"
    return [row.name, str(row.essays), timing(row, "cold"), number(row.cpu("cold")), timing(row, "nochange"),
            timing(row, "one"),
            number(row.peak_mib(), 0), peer, floor, pages, str(row.runs)]


def table(rows: list[Row]) -> str:
    """Return the Markdown table of all rows."""
    ssg_cold = {r.essays: r.seconds("cold") for r in rows if r.key == "ssg"}
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] + ["---:"] * (len(HEADER) - 1)) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(cells(row, ssg_cold.get(row.essays))) + " |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    """Return cores, CPU model, RAM and kernel of this machine."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    ram = f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB RAM" if mem else "RAM unknown"
    cores = len(os.sched_getaffinity(0))
    return f"{cores} cores (nproc), {model.group(1) if model else platform.processor()}, {ram}, " \
           f"Linux {platform.release()}"


def load_average() -> str:
    """Return the 1-, 5- and 15-minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_header(versions: dict[str, str], command: str, minutes: float, load: str) -> str:
    """Return the lines every section starts with: date, machine, load, command and versions."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    tool_lines = "\n".join(f"  - {name}: {version}" for name, version in versions.items())
    return (
        f"- date: {now} (whole run {minutes:.1f} min)\n- machine: {machine()}\n"
        f"- load average at the start and the end of the run: {load} / {load_average()}\n"
        f"- command: `{command}`\n- versions:\n{tool_lines}\n"
    )


TITLE = "# Benchmark results"
INTRO = ("Each section comes from one run of its script, with its date, machine and command;\n"
         "compare figures only within one section.\n")


def split_sections(text: str) -> tuple[str, dict[str, str]]:
    """Split a results file into its text before the first `## ` heading and its sections by heading."""
    head, sections, current = [], {}, None
    for line in text.splitlines(keepends=True):
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = ""
        elif current is None:
            head.append(line)
        else:
            sections[current] += line
    return "".join(head), sections


def merge_results(old: str, new: dict[str, str], order: tuple[str, ...]) -> str:
    """Return the results file with the `new` sections (title: body) put in, in `order`, and every other
    section of the `old` file kept after them (those other scripts appended, and parts not run this time).

    A file from before the sections (the full-site table right under the title) keeps that table as the
    first of `order` unless this run measured it anew.
    """
    head, sections = split_sections(old)
    legacy = head.replace(INTRO, "").strip().removeprefix(TITLE).strip()
    if legacy and order and order[0] not in sections:
        sections = {order[0]: "\n" + legacy + "\n\n", **sections}
    sections.update({title: "\n" + body.strip() + "\n\n" for title, body in new.items()})
    ordered = [t for t in order if t in sections] + [t for t in sections if t not in order]
    parts = [TITLE + "\n\n", INTRO + "\n"]
    parts += [f"## {title}\n{sections[title]}" for title in ordered]
    return "".join(parts).rstrip() + "\n"


# --- equal work, PDFs, related essays, serve ------------------------------------------------------------


def ratio(mine: float | None, theirs: float | None) -> str:
    """Format mine ÷ theirs, or a dash when either is missing."""
    return number(mine / theirs) if mine is not None and theirs else "—"


def equal_work_ratios(rows: list[Row]) -> str:
    """Return, per size, ssg's equal-work cold build over the two-process floor's and over Eleventy's."""
    lines = ["| essays | ssg (equal work) cold (s) | ssg ÷ floor (2 processes) | ssg ÷ Eleventy | "
             "CPU: ssg ÷ floor (2 processes) |", "|---:|---:|---:|---:|---:|"]
    for essays in sorted({r.essays for r in rows}):
        at = {r.name: r for r in rows if r.essays == essays}
        ssg, floor, eleventy = (at.get(n) for n in (EQUAL_SSG, EQUAL_FLOOR_2, "Eleventy"))
        mine = ssg.seconds("cold") if ssg else None
        mine_cpu = ssg.cpu("cold") if ssg else None
        lines.append(
            f"| {essays} | {number(mine)} | {ratio(mine, floor.seconds('cold') if floor else None)} | "
            f"{ratio(mine, eleventy.seconds('cold') if eleventy else None)} | "
            f"{ratio(mine_cpu, floor.cpu('cold') if floor else None)} |"
        )
    return "\n".join(lines) + "\n"


EQUAL_SSG = "ssg (equal work)"
EQUAL_FLOOR_2 = "floor, 2 processes (equal work)"


def pdf_table(rows: list[Row]) -> str:
    """Return the cold builds with PDFs on and off, and the cost per PDF by their difference."""
    lines = ["| build | essays | cold build (s) | CPU, cold (s) | peak memory (MiB) | PDFs | HTML pages | runs |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row.name} | {row.essays} | {timing(row, 'cold')} | {number(row.cpu('cold'))} | "
                     f"{number(row.peak_mib(), 0)} | {row.pdfs or '—'} | {row.pages or '—'} | {row.runs} |")
    lines += ["", "| essays | PDFs | wall time per PDF (ms) | CPU time per PDF (ms) |", "|---:|---:|---:|---:|"]
    for essays in sorted({r.essays for r in rows}):
        on = next((r for r in rows if r.essays == essays and r.pdfs), None)
        off = next((r for r in rows if r.essays == essays and not r.pdfs and r.key == "ssg-nopdf"), None)
        if on is None or off is None:
            continue
        lines.append(f"| {essays} | {on.pdfs} | {number(per_pdf(on, off, 'seconds'), 1)} | "
                     f"{number(per_pdf(on, off, 'cpu'), 1)} |")
    notes = [f"- {row.essays} essays: {row.note}" for row in rows if row.note]
    return "\n".join(lines) + "\n" + ("\n" + "\n".join(notes) + "\n" if notes else "")


def per_pdf(on: Row, off: Row, measure: str) -> float | None:
    """Return the milliseconds one PDF adds to a cold build: (with − without) ÷ PDFs, of wall or CPU time."""
    with_pdfs, without = getattr(on, measure)("cold"), getattr(off, measure)("cold")
    if with_pdfs is None or without is None or not on.pdfs:
        return None
    return float((with_pdfs - without) * 1000 / on.pdfs)


@dataclass
class RelatedCost:
    """What `related_essays` costs on one corpus: its cards, timed `repeat` times."""

    essays: int
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    related: int = 0  # essays that got at least one related essay
    error: str = ""


def related_table(costs: list[RelatedCost]) -> str:
    """Return the cost of computing related essays per corpus size."""
    lines = ["| essays | related_essays, median (ms) | CPU, median (ms) | fastest (ms) | CPU per essay (µs) | "
             "essays with related ones | runs |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for cost in costs:
        if cost.error or not cost.wall_ms:
            lines.append(f"| {cost.essays} | FAILED | — | — | — | — | 0 |")
            continue
        wall, cpu = statistics.median(cost.wall_ms), statistics.median(cost.cpu_ms)
        lines.append(f"| {cost.essays} | {wall:.1f} | {cpu:.1f} | {min(cost.wall_ms):.1f} | "
                     f"{cpu * 1000 / cost.essays:.1f} | {cost.related} | {len(cost.wall_ms)} |")
    return "\n".join(lines) + "\n"


@dataclass
class ServeStart:
    """One start of a preview server: when its pages first answered and what it held then."""

    server: str  # "ssg serve", "hugo server"
    essays: int
    case: str  # "cold", "after ssg build", …
    home: float | None = None  # seconds from the start until the home page answered 200
    essay: float | None = None
    current: float | None = None  # until the whole site was current (ssg: the first whole build done)
    rss_mib: float | None = None  # VmRSS summed over the process and its children, once current
    pss_mib: float | None = None  # proportional set size summed the same way (shared pages counted once)
    processes: int = 0
    hwm_mib: float | None = None  # the main process's peak resident set (VmHWM)
    edit: float | None = None  # once current: seconds from an edit of the essay's text until its page shows it
    note: str = ""
    error: str = ""


def serve_table(starts: list[ServeStart]) -> str:
    """Return the preview servers' starts."""
    lines = ["| server | essays | start | home page (s) | essay page (s) | whole site current (s) | "
             "VmRSS, process tree (MiB) | PSS, process tree (MiB) | processes | peak VmHWM (MiB) | edit shown (s) |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for st in starts:
        if st.error or st.note:
            text = f"FAILED: {st.error}" if st.error else st.note
            lines.append(f"| {st.server} | {st.essays} | {st.case} | {text} | — | — | — | — | — | — | — |")
            continue
        lines.append(f"| {st.server} | {st.essays} | {st.case} | {number(st.home)} | {number(st.essay)} | "
                     f"{number(st.current)} | {number(st.rss_mib, 0)} | {number(st.pss_mib, 0)} | {st.processes} | "
                     f"{number(st.hwm_mib, 0)} | {number(st.edit)} |")
    return "\n".join(lines) + "\n"
