"""Ctrl-C and SIGTERM: a build or preview stops with one line and leaves no process (and no staging folder or
half-written output) behind; worker processes never print a traceback."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ssg.config import load_config
from ssg.engine.build import BuildOptions, build
from tests.helpers import REPO, SITE_YML, essay, make_site, run, tree_digest

DEADLINE = 60.0  # for a build of a few hundred essays to get going on a busy machine
ESSAYS = 250  # enough for the process pools: more than 200 essays to parse and outputs to render
# Each essay page takes tens of milliseconds: the first build takes seconds, time enough to interrupt it.
SLOW_ESSAY_PAGE = (
    '{% extends "!default/essay.html" %}'
    "{% block body_class %}{% for i in range(500000) %}{% endfor %}{{ super() }} langsam{% endblock %}\n"
)
# The feeds' entries hang (for minutes) once an essay's title says LANGSAM: a rebuild that does not end.
HANGING_FEED = (
    "{% macro reflection(essay) %}"
    "{% if 'LANGSAM' in essay.title %}{% for i in range(1000000000) %}{% endfor %}{% endif %}"
    "{% endmacro %}\n"
)


def write_site(root: Path, templates: dict[str, str] | None = None) -> Path:
    """Write a site of ESSAYS essays; with `templates`, in a theme 'langsam' that overrides them."""
    essays = {f"e{i:03}.md": essay(f"Essay {i}", slug=f"essay-{i}", body=f"Text {i}.") for i in range(ESSAYS)}
    make_site(root, essays)
    if templates is not None:
        use_theme(root, templates)
    return root


def use_theme(root: Path, templates: dict[str, str]) -> None:
    folder = root / "themes" / "langsam" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in templates.items():
        (folder / name).write_text(text, encoding="utf-8")
    (root / "site.yml").write_text(SITE_YML + "theme: langsam\n", encoding="utf-8")


def children(pid: int) -> set[int]:
    """Return the processes `pid` started that still run (Linux; psutil is not a dependency)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # the thread ended
            found.update(int(child) for child in (task / "children").read_text().split())
    return found


def wait_until(condition: Callable[[], Any], what: str, deadline: float = DEADLINE) -> Any:
    """Poll `condition` until it is true or the deadline passes."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class Command:
    """`ssg ARGS` in a process group of its own, as a terminal runs a command, with its output read as it comes."""

    def __init__(self, *args: str) -> None:
        argv = [sys.executable, "-m", "ssg", *args]
        self.process = subprocess.Popen(
            argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, args=(stream, lines), daemon=True)
            for stream, lines in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr))
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: Any, lines: list[str]) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))

    @property
    def pid(self) -> int:
        return self.process.pid

    def line(self, pattern: str) -> str:
        """Wait for a line of standard output that matches `pattern`."""
        found = wait_until(lambda: next((x for x in self.stdout if re.search(pattern, x)), None), repr(pattern))
        assert isinstance(found, str)
        return found

    def ctrl_c(self) -> None:
        """Press Ctrl-C: the terminal sends SIGINT to every process of the group."""
        os.killpg(self.pid, signal.SIGINT)

    def end(self) -> int:
        """Wait for the command to exit and for its output to end; return its exit code."""
        code = self.process.wait(timeout=DEADLINE)
        for reader in self._readers:
            reader.join(timeout=DEADLINE)  # a worker left behind would hold the pipes open
        return code

    def left_behind(self) -> bool:
        """Tell whether any process of the command's group is still there (a worker, say)."""
        try:
            os.killpg(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def command() -> Iterator[Callable[..., Command]]:
    started: list[Command] = []

    def start(*args: str) -> Command:
        started.append(Command(*args))
        return started[-1]

    yield start
    for running in started:
        running.kill()


def assert_one_line_and_nothing_left(running: Command, stream: list[str], line: str) -> None:
    """The command said `line` on `stream` and nothing else, and no process of it is left."""
    output = "\n".join(running.stdout + running.stderr)
    assert "Traceback" not in output and "ForkPoolWorker" not in output, output
    assert stream == [line], output
    wait_until(lambda: not running.left_behind(), "every process of the command to end", 10.0)


needs_two_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="ssg serve uses a process pool from 2 cores")


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_interrupted_build_says_one_line_and_leaves_the_old_output(
    tmp_path: Path, command: Callable[..., Command], stop: str
) -> None:
    site = write_site(tmp_path / "site")
    run("build", "-s", str(site), "-q")
    out, staging = site / "_site", site / "._site.staging"
    before = tree_digest(out)
    use_theme(site, {"essay.html": SLOW_ESSAY_PAGE})  # every page renders anew, slowly
    running = command("build", "-s", str(site), "-j", "2")
    wait_until(lambda: len(children(running.pid)) >= 2 and any(staging.rglob("*")), "rendering in two workers")
    if stop == "ctrl-c":
        running.ctrl_c()
    else:
        running.process.terminate()  # `kill`, a CI job cancelled: to the process alone
    assert running.end() == 130
    assert_one_line_and_nothing_left(running, running.stderr, "Interrupted.")
    assert running.stdout == []
    assert not staging.exists()
    assert tree_digest(out) == before


@needs_two_cores
@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_serve_stopped_during_its_first_build_says_one_line(
    tmp_path: Path, command: Callable[..., Command], stop: str
) -> None:
    site = write_site(tmp_path / "site", {"essay.html": SLOW_ESSAY_PAGE})
    running = command("serve", "-s", str(site), "--port", "0")
    wait_until(lambda: children(running.pid), "the first build's workers")
    if stop == "ctrl-c":
        running.ctrl_c()
    else:
        running.process.terminate()
    assert running.end() == 0
    assert_one_line_and_nothing_left(running, running.stdout, "Stopped.")
    assert running.stderr == []


@needs_two_cores
def test_serve_with_output_to_a_pipe_prints_no_worker_traceback(
    tmp_path: Path, command: Callable[..., Command]
) -> None:
    # As an IDE's run panel starts it: the end of the first build's pools used to make the workers, which had
    # inherited serve's SIGTERM handler, print KeyboardInterrupt tracebacks.
    site = write_site(tmp_path / "site")
    running = command("serve", "-s", str(site), "--port", "0")
    serving = running.line(r"^Serving http://")
    running.process.terminate()
    assert running.end() == 0
    assert_one_line_and_nothing_left(running, running.stdout[running.stdout.index(serving) + 1 :], "Stopped.")
    assert running.stderr == []


def test_ctrl_c_during_a_rebuild_stops_serve_at_once(tmp_path: Path, command: Callable[..., Command]) -> None:
    site = make_site(tmp_path / "site", {"erstes.md": essay("Erstes Essay", slug="erstes", body="Text.")})
    use_theme(site, {"_feed_entry.html": HANGING_FEED})
    running = command("serve", "-s", str(site), "--port", "0")
    running.line(r"^Serving http://")
    (site / "essays" / "erstes.md").write_text(essay("LANGSAM", slug="erstes", body="Text."), encoding="utf-8")
    running.line(r"^Showing the edited page")  # its own page is shown; the feeds' rebuild now hangs
    shown = len(running.stdout)
    start = time.monotonic()
    running.ctrl_c()
    code = running.end()
    seconds = time.monotonic() - start
    # Nothing waits for the rebuild: the process ends in about 0.05 s here. Before, stop() waited for the
    # rebuild (up to its 5 s join timeout; on a 10,000-essay site the whole rebuild, about 1.8 s).
    assert seconds < 1.5
    assert code == 0
    assert_one_line_and_nothing_left(running, running.stdout[shown:], "Stopped.")
    assert running.stderr == []


def test_ctrl_c_while_a_build_moves_its_files_in_waits_until_all_are_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    essays = {f"e{i}.md": essay(f"Essay {i}", slug=f"essay-{i}", body=f"Text {i}.") for i in range(3)}
    site = make_site(tmp_path / "site", essays)
    run("build", "-s", str(site), "-q")
    for i in range(3):
        (site / "essays" / f"e{i}.md").write_text(essay(f"Essay {i}", slug=f"essay-{i}", body=f"Neu {i}."), encoding="utf-8")
    expected = make_site(tmp_path / "expected", {})
    shutil.copytree(site / "essays", expected / "essays", dirs_exist_ok=True)
    run("build", "-s", str(expected), "-q")
    moved: list[str] = []

    def replace_then_interrupt(source: str, target: str) -> None:
        real_replace(source, target)
        moved.append(target)
        if len(moved) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C after the first file moved in

    real_replace = os.replace
    monkeypatch.setattr(os, "replace", replace_then_interrupt)
    config, _warnings = load_config(site)
    with pytest.raises(KeyboardInterrupt):
        build(config, BuildOptions())
    assert len(moved) > 1
    assert tree_digest(site / "_site") == tree_digest(expected / "_site")
    assert not (site / "._site.staging").exists()
