"""The results table (Markdown) and benchmarks/results.md with the machine, versions and command."""

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
    "generator", "essays", "cold build (s)", "no-change rebuild (s)", "one-essay rebuild (s)", "peak memory (MiB)",
    "peer ÷ ssg (cold)", "ssg ÷ floor (cold)", "HTML pages", "runs",
)
PEERS = ("hugo", "eleventy", "mkdocs", "pelican")
NOTES = """\
- Each time is the median of the builds shown in *runs* (the same generator, size and kind, one after another).
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
    error: str = ""

    def seconds(self, kind: str) -> float | None:
        """Return the median time of the builds of this kind, None if there is none or one failed."""
        samples = self.samples.get(kind, [])
        if not samples or not all(s.ok for s in samples):
            return None
        return statistics.median(s.seconds for s in samples)

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
        return [row.name, str(row.essays), "FAILED", "—", "—", "—", "—", "—", "—", "—"]
    peer, floor = ratios(row, ssg_cold)
    pages = str(row.pages) if row.pages else "—"
    return [row.name, str(row.essays), timing(row, "cold"), timing(row, "nochange"), timing(row, "one"),
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


def results_markdown(rows: list[Row], versions: dict[str, str], command: str, minutes: float) -> str:
    """Return the whole results file."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    tool_lines = "\n".join(f"- {name}: {version}" for name, version in versions.items())
    return (
        f"# Benchmark results\n\n- date: {now} (total run time {minutes:.1f} min)\n- machine: {machine()}\n"
        f"- command: `{command}`\n\nVersions:\n\n{tool_lines}\n\n{table(rows)}\n{NOTES}"
    )
