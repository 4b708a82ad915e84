"""Preview servers side by side: `ssg serve` (cold, after `ssg build`, after an earlier `ssg serve`) and
`hugo server` on the same corpus, timed to their first pages, with the memory of their whole process tree.

Used by run.py (`--only serve`). Each start is a fresh process; the clock runs from starting it until the home
page and one essay page answer 200 (polled over HTTP). Memory is read from /proc once the whole site is
current (ssg: its first whole build is done; Hugo: its pages answer), one second later: VmRSS and PSS summed
over the server and its child processes, and the server's own peak (VmHWM). Then one word of the middle essay's
text is changed, and the clock runs until its page shows it (the essay is restored afterwards).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from measure import remove
from report import ServeStart
from serve_start import essay_under_test, free_port, get, memory, one_word_edited

START_DEADLINE = 600.0  # a cold `ssg serve` of 10,000 essays takes 20–80 s, more with PDFs on a busy machine
SETTLE = 1.0  # seconds between the site being current and reading its memory
STOP_DEADLINE = 60.0
EDIT_DEADLINE = 60.0  # for an edited page to show its new word


def tree(pid: int) -> list[int]:
    """Return a process and all its descendants (from /proc/<pid>/task/<tid>/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(x) for x in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def status_kib(pid: int, name: str, file: str = "status") -> int:
    """Return one `Name:  N kB` value of /proc/<pid>/status (or smaps_rollup), 0 if the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            key, _, value = line.partition(":")
            if key == name:
                return int(value.split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def tree_memory(pid: int) -> tuple[float, float, int]:
    """Return VmRSS and PSS (MiB) summed over a process tree, and how many processes it has."""
    pids = tree(pid)
    rss = sum(status_kib(p, "VmRSS") for p in pids)
    pss = sum(status_kib(p, "Pss", "smaps_rollup") for p in pids)
    return rss / 1024, pss / 1024, len(pids)


class Server:
    """One preview server process: its output lines, collected in a thread, and when a line first appeared."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str] | None, marks: dict[str, str]) -> None:
        self.start = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
            env={**os.environ, **(env or {})},
        )
        self.lines: list[str] = []
        self.seen: dict[str, float] = {}  # mark name: seconds since start of the first line starting with it
        self._marks = marks
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            for name, prefix in self._marks.items():
                if name not in self.seen and line.startswith(prefix):
                    self.seen[name] = time.perf_counter() - self.start

    def poll(self, port: int, target: str) -> float | None:
        """Return the seconds since start when `target` first answers 200; None if the server died or timed out."""
        while time.perf_counter() - self.start < START_DEADLINE and self.process.poll() is None:
            if get(port, target)[0] == 200:
                return time.perf_counter() - self.start
            time.sleep(0.02)
        return None

    def wait_mark(self, name: str) -> float | None:
        """Return when a marked line appeared, waiting for it until the deadline (None if it never did)."""
        while name not in self.seen and time.perf_counter() - self.start < START_DEADLINE:
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        return self.seen.get(name)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after a minute) and wait for its output to end."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_DEADLINE)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=10)

    def tail(self, lines: int = 5) -> str:
        """Return the last lines the server printed, on one line."""
        return " / ".join(self.lines[-lines:]) or f"exit code {self.process.returncode}"


def time_edit(port: int, essay: Path, url: str) -> float | None:
    """Change one word of the essay's text and return the seconds until its page shows it (None: not within the
    deadline); the essay is restored afterwards."""
    with one_word_edited(essay) as word:
        edited = time.perf_counter()
        while time.perf_counter() - edited < EDIT_DEADLINE:
            if word.encode() in get(port, url)[1]:
                return time.perf_counter() - edited
            time.sleep(0.01)
    return None


def time_start(
    start: ServeStart, command: Callable[[int], list[str]], cwd: Path, env: dict[str, str] | None,
    pages: tuple[str, str], built_mark: str | None, edit: Path | None = None,
) -> ServeStart:
    """Start a server, time its home and essay page, read its memory once current, time an edit of the essay
    (the file `edit`, whose page is the second of `pages`); stop it."""
    port = free_port()
    server = Server(command(port), cwd, env, {"built": built_mark} if built_mark else {})
    try:
        answers: dict[str, float | None] = {}
        polls = [threading.Thread(target=lambda n=n, t=t: answers.__setitem__(n, server.poll(port, t)))
                 for n, t in zip(("home", "essay"), pages, strict=True)]
        for poll in polls:
            poll.start()
        for poll in polls:
            poll.join()
        start.home, start.essay = answers.get("home"), answers.get("essay")
        if start.home is None or start.essay is None:
            start.error = f"no answer within {START_DEADLINE:.0f} s: {server.tail()}"
            return start
        start.current = server.wait_mark("built") if built_mark else max(start.home, start.essay)
        if start.current is None:
            start.error = f"first build not done within {START_DEADLINE:.0f} s: {server.tail()}"
            return start
        time.sleep(SETTLE)
        start.rss_mib, start.pss_mib, start.processes = tree_memory(server.process.pid)
        start.hwm_mib = float(memory(server.process.pid).get("VmHWM", 0))
        if edit is not None:
            start.edit = time_edit(port, edit, pages[1])
    finally:
        server.stop()
    shown = f", edit shown after {start.edit:.2f} s" if start.edit is not None else ""
    print(f"    {start.server}, {start.case}: home {start.home:.2f} s, essay {start.essay:.2f} s, "
          f"current {start.current:.2f} s, VmRSS {start.rss_mib:.0f} MiB in {start.processes} processes{shown}",
          flush=True)
    return start


def cache_left(site: Path) -> bool:
    """Return whether the site's .ssg-cache/ holds any file."""
    folder = site / ".ssg-cache"
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def ssg_serve_starts(site: Path, essays: int, ssg: str, env: dict[str, str] | None) -> list[ServeStart]:
    """Measure `ssg serve` cold, after an earlier `ssg serve` (if it leaves a cache), and after `ssg build`."""
    essay, url = essay_under_test(site)
    pages = ("/", url)
    clean = (site / "_site", site / ".ssg-cache")

    def command(port: int) -> list[str]:
        return [ssg, "serve", "-s", str(site), "--port", str(port)]

    def measure(case: str) -> ServeStart:
        return time_start(ServeStart("ssg serve", essays, case), command, site, env, pages, "Built ", essay)

    for path in clean:
        remove(path)
    starts = [measure("cold (no cache, no output)")]
    after_serve = ServeStart("ssg serve", essays, "after an earlier ssg serve")
    if not cache_left(site):
        after_serve.note = "not measured: this ssg serve leaves no cache for the next start"
        starts.append(after_serve)
    else:
        starts.append(measure(after_serve.case))
    for path in clean:
        remove(path)
    built = subprocess.run([ssg, "build", "-q", "-s", str(site)], capture_output=True, text=True, check=False,
                           env={**os.environ, **(env or {})})
    if built.returncode != 0:
        error = f"ssg build failed: {' / '.join(built.stderr.strip().splitlines()[-3:])}"
        return [*starts, ServeStart("ssg serve", essays, "after ssg build", error=error)]
    starts.append(measure("after ssg build"))
    return starts


def hugo_server_start(site: Path, essays: int, hugo: str, slug: str) -> ServeStart:
    """Measure `hugo server` (rendering to memory, its default) on the Hugo copy of the corpus."""
    for path in (site / "public", site / "resources", site / ".hugo_build.lock"):
        remove(path)

    def command(port: int) -> list[str]:
        return [hugo, "server", "--port", str(port), "--bind", "127.0.0.1", "--disableLiveReload"]

    start = ServeStart("hugo server", essays, "cold (no output)")
    essay = site / "content" / "essays" / f"{slug}.md"
    return time_start(start, command, site, None, ("/", f"/essays/{slug}/"), None, essay if essay.is_file() else None)


def essay_slug(site: Path) -> str:
    """Return the slug of the essay whose page is timed (the middle one, as serve_start.py picks)."""
    return essay_under_test(site)[1].strip("/")

