"""Timing one build in a fresh process: wall time and peak memory (max RSS), with removals inside the timing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Fallback when GNU time is missing: one Python process per measurement reports its children's max RSS and
# CPU time, in GNU time's format "%M %U %S".
_RUSAGE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:]).returncode\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(f'{use.ru_maxrss} {use.ru_utime} {use.ru_stime}')\n"
    "sys.exit(code)\n"
)
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{4,}")


@dataclass(frozen=True)
class Sample:
    """One measured build."""

    seconds: float
    rss_kib: int
    returncode: int
    stderr: str
    cpu: float = 0.0  # user + system seconds of the build and every process it waited for

    @property
    def ok(self) -> bool:
        """Return whether the build succeeded."""
        return self.returncode == 0

    def stderr_tail(self, lines: int = 20) -> str:
        """Return the last lines of the build's error output."""
        return "\n".join(self.stderr.strip().splitlines()[-lines:])


def memory_prefix(gnu_time: str | None, memfile: Path) -> list[str]:
    """Return the command prefix that writes the max RSS (KiB) and user and system seconds to `memfile`."""
    if gnu_time:
        return [gnu_time, "-f", "%M %U %S", "-o", str(memfile)]
    return [sys.executable, "-c", _RUSAGE, str(memfile)]


def remove(path: Path) -> None:
    """Remove a file or folder if it exists."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def read_usage(memfile: Path) -> tuple[int, float]:
    """Return max RSS (KiB) and CPU seconds from the last line GNU time (or the fallback) wrote, zeros if none."""
    lines = [x for x in memfile.read_text().splitlines() if x.strip()] if memfile.exists() else []
    fields = lines[-1].split() if lines else []
    try:
        return int(fields[0]), float(fields[1]) + float(fields[2])
    except (IndexError, ValueError):
        return 0, 0.0


def run_timed(
    cmd: list[str], cwd: Path, removals: tuple[Path, ...], gnu_time: str | None, env: dict[str, str] | None = None
) -> Sample:
    """Run `cmd` once in a fresh process (with extra environment variables); the removals happen in the timing."""
    os.sync()  # flush earlier builds' writes so they are not paid for here
    with tempfile.TemporaryDirectory() as tmp:
        memfile = Path(tmp) / "rss"
        start = time.perf_counter()
        for path in removals:
            remove(path)
        proc = subprocess.run(
            [*memory_prefix(gnu_time, memfile), *cmd], cwd=cwd, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, errors="replace", check=False, env={**os.environ, **(env or {})},
        )
        seconds = time.perf_counter() - start
        rss, cpu = read_usage(memfile)
        return Sample(seconds, rss, proc.returncode, proc.stderr, cpu)


def body_start(text: str) -> int:
    """Return where the Markdown body starts: after YAML front matter, or after a Pelican header block."""
    if text.startswith("---\n"):
        return text.index("\n---\n", 3) + 5
    return text.index("\n\n") + 2


def edit_one_word(path: Path) -> str:
    """Replace the first word (4+ letters) of the body with another word; return the new word."""
    text = path.read_text(encoding="utf-8")
    match = _WORD.search(text, body_start(text))
    if match is None:
        raise ValueError(f"{path}: no word in the body")
    word = "Einwurf" if match.group() == "Zwischenruf" else "Zwischenruf"
    path.write_text(text[: match.start()] + word + text[match.end() :], encoding="utf-8")
    return word


def count_pages(folder: Path) -> int:
    """Return the number of HTML files below `folder`."""
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0
