"""The preview's build loop and the running preview: debounce changes, rebuild in memory, publish epochs."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from ssg.config import CONFIG_FILE, SiteConfig, load_config
from ssg.content.collect import Selection
from ssg.engine.build import BuildOptions, BuildReport
from ssg.engine.cache import FOLDER as CACHE_FOLDER
from ssg.engine.cache import SERVE_FOLDER
from ssg.engine.inmemory import MemoryCache, render_site
from ssg.errors import Problem, SsgError
from ssg.serve.server import File, PreviewServer, ServeError, Snapshot, open_server
from ssg.serve.watcher import Watcher

MAX_DEBOUNCE_SECONDS = 2.0
SERVE_CACHE = f"{CACHE_FOLDER}/{SERVE_FOLDER}/"
Files = Mapping[str, File]  # by path relative to the output folder: 'a/index.html'


class Log(Protocol):
    """Where the preview reports builds: the terminal in the CLI, a buffer in tests."""

    def info(self, message: str) -> None:
        """Report progress."""
        ...

    def error(self, message: str) -> None:
        """Report a problem."""
        ...


@dataclass(frozen=True)
class ServeOptions:
    """How to run a preview."""

    root: Path
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = True
    poll: bool = False
    delay: float = 0.1


def changed_files(old: Files, new: Files) -> set[str]:
    """Return the files added, removed or changed between two builds."""
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def without_outside_links(config: SiteConfig, files: Files) -> dict[str, File]:
    """Drop static files that are links to something outside their folder and the site: never serve those."""
    themes = dict.fromkeys([config.theme, "default"])
    sources = [(config.root / config.static, "")] + [(config.root / "themes" / t / "static", "static/") for t in themes]
    unsafe: set[str] = set()
    for folder, prefix in sources:
        if not folder.is_dir():
            continue
        allowed = (folder.resolve(), config.root.resolve())
        for path in folder.rglob("*"):
            target = path.resolve()
            if not any(target == a or a in target.parents for a in allowed):
                unsafe.add(prefix + path.relative_to(folder).as_posix())
    return {key: data for key, data in files.items() if key not in unsafe}


def _built(config: SiteConfig, files: Files, seconds: float) -> str:
    """Return the report of a preview's first whole build."""
    stored = sum(_in_output(config, data) for data in files.values())
    where = f" ({stored} of them as ssg build wrote them in {_shown(config)})" if stored else ""
    return f"Built {len(files)} files in {seconds:.2f} s{where}"


def _in_output(config: SiteConfig, data: File) -> bool:
    """Tell whether a file is served from where `ssg build` wrote it (not from memory or the preview's cache)."""
    path = getattr(data, "path", None)
    return isinstance(path, str) and path.startswith(os.path.join(str(config.output), ""))


def _shown(config: SiteConfig) -> str:
    """Return the output folder as the user names it: relative to the site folder if inside it."""
    out = config.output
    return f"{out.relative_to(config.root).as_posix()}/" if out.is_relative_to(config.root) else f"{out}/"


class BuildLoop:
    """Rebuild the site after changes settle; publish each good build as a new epoch, keep it on errors."""

    def __init__(
        self,
        root: Path,
        selection: Selection,
        log: Log,
        delay: float,
        before_build: Callable[[], None],
        published: Callable[[], None] = lambda: None,  # after each publication (a preview starts serving)
    ):
        self.root = root
        self._published_hook = published
        self.config: SiteConfig | None = None
        self.builds = 0
        self._selection, self._log, self._delay, self._before_build = selection, log, delay, before_build
        self._snapshot = Snapshot()
        self._published = threading.Condition()
        self._wake = threading.Condition()
        self._changes = self._handled = 0
        self._stopping = self._building = False
        self._recheck = False  # a request found a file of the last `ssg build` changed on disk
        self._complete = False  # whether a whole build succeeded (not only an early publication)
        self._warnings: list[str] = []
        # The parsed site and rendered files of the last build: a rebuild redoes only what changed.
        self._memory = MemoryCache(on_disk=True)

    @property
    def snapshot(self) -> Snapshot:
        """Return the current snapshot (replaced whole, never changed in place)."""
        return self._snapshot

    @property
    def building(self) -> bool:
        """Return whether a build runs in the loop now; once stopped, it can only turn False."""
        return self._building

    @property
    def idle(self) -> bool:
        """Return whether no change waits for a build and no build runs."""
        return not self._building and self._changes == self._handled

    def wait_change(self, version: int, timeout: float) -> Snapshot | None:
        """Return the snapshot once its version differs from `version` or on timeout; None when stopping."""
        with self._published:
            self._published.wait_for(lambda: self._stopping or self._snapshot.version != version, timeout)
            return None if self._stopping else self._snapshot

    def recheck(self, version: int, timeout: float) -> Snapshot | None:
        """Have the next build render every stored file that changed on disk; wait for its snapshot."""
        with self._wake:
            self._recheck = True
        self.changed()
        return self.wait_change(version, timeout)

    def changed(self) -> None:
        """Note that a source changed; the loop builds once changes stop for a moment."""
        with self._wake:
            self._changes += 1
            self._wake.notify_all()

    def run(self) -> None:
        """Build after each settled batch of changes until stopped."""
        while self._next_batch():
            try:
                self.build()
            finally:
                self._building = False

    def stop(self) -> None:
        """End the loop and every event stream waiting for a snapshot; a build under way reports nothing more."""
        for condition in (self._wake, self._published):
            with condition:
                self._stopping = True
                condition.notify_all()

    def build(self) -> Snapshot:
        """Build the site in memory now and publish the result."""
        self._before_build()
        self.builds += 1
        start = time.perf_counter()

        def publish_early(early: tuple[SiteConfig, dict[str, File]]) -> None:
            self._report(lambda: self._succeed(*early, time.perf_counter() - start, True))

        try:
            config, files, warnings = self._render(publish_early)
        except SsgError as exc:
            problems = [str(p) for p in exc.problems]
            errors = [str(p) for p in exc.problems if p.severity == "error"] or problems
            return self._report(lambda: self._fail(errors, problems))
        except Exception as exc:  # e.g. a file deleted while it was read: the preview must live on
            message = f"internal error: {type(exc).__name__}: {exc}"
            return self._report(lambda: self._fail([message], [message]))

        def succeed() -> Snapshot:
            self._show_warnings([str(w) for w in warnings])
            return self._succeed(config, files, time.perf_counter() - start)

        snapshot = self._report(succeed)
        # After publishing: the next preview starts from what this one leaves (a file replaced whole, so a
        # preview stopped meanwhile leaves the last state or this one). Not while an edit waits: the first
        # save of a large site takes seconds (every parsed essay), and the next build saves anyway.
        if not self.change_waiting():
            self._memory.save(config)
        return snapshot

    def change_waiting(self) -> bool:
        """Return whether a change came in that no build has taken up yet (and the loop goes on)."""
        with self._wake:
            return self._changes != self._handled and not self._stopping

    def _report(self, publish: Callable[[], Snapshot]) -> Snapshot:
        """Publish and report a build's result, unless the loop was stopped: nobody waits for it then.

        Under the lock that stop() takes, so that nothing is printed after stop() returns.
        """
        with self._published:
            return self._snapshot if self._stopping else publish()

    def _next_batch(self) -> bool:
        with self._wake:
            self._wake.wait_for(lambda: self._stopping or self._changes != self._handled)
            deadline = time.monotonic() + MAX_DEBOUNCE_SECONDS
            while not self._stopping and time.monotonic() < deadline:
                if not self._wake.wait_for(self._more_since(self._changes), self._delay):
                    break
            self._handled = self._changes
            self._building = not self._stopping
            return self._building

    def _more_since(self, seen: int) -> Callable[[], bool]:
        return lambda: self._stopping or self._changes != seen

    def _render(
        self, publish_early: Callable[[tuple[SiteConfig, dict[str, File]]], None]
    ) -> tuple[SiteConfig, dict[str, File], list[Problem]]:
        config, warnings = load_config(self.root)
        with self._wake:
            recheck, self._recheck = self._recheck, False
        if recheck:
            self._memory.forget_changed(config)
        self.config = config
        report = BuildReport()
        # The first build of a large site uses every core; later ones only redo what changed, and
        # forking next to the server's threads is best avoided.
        jobs = 1 if self._snapshot.built else (os.cpu_count() or 1)
        options = BuildOptions(selection=self._selection, jobs=jobs)

        def early(files: Files) -> None:
            # The last build's files, the same as this build will make; or only the edited essays' own pages
            # are new: show them now, the lists that name them follow.
            if not self._snapshot.problems:
                publish_early((config, without_outside_links(config, files)))

        rendered = render_site(config, options, report, memory=self._memory, early=early)
        return config, without_outside_links(config, rendered.files), warnings + report.warnings

    def _succeed(
        self, config: SiteConfig, files: dict[str, File], seconds: float, early: bool = False
    ) -> Snapshot:
        old = self._snapshot
        changed = changed_files(old.files, files)
        complete = self._complete
        self._complete = complete or not early
        if old.built and not old.problems and not changed and old.base_path == config.base_path:
            if not early:
                same = f"Rebuilt in {seconds:.2f} s (no changes)"
                self._log.info(same if complete else _built(config, files, seconds))
            return old
        css_only = old.built and bool(changed) and all(k.endswith(".css") for k in changed)
        epoch = max(old.epoch + 1, time.time_ns() // 1_000_000)
        files_now = MappingProxyType(files)
        new = Snapshot(files_now, config.base_path, epoch, old.epoch, css_only, (), old.version + 1, frozenset(changed))
        self._publish(new)
        if early and old.built:
            self._log.info(f"Showing the edited page after {seconds:.2f} s; updating the pages that list it")
        elif early:
            built = any(_in_output(config, data) for data in files.values())
            left = f"ssg build left it in {_shown(config)}" if built else f"the last preview left it in {SERVE_CACHE}"
            self._log.info(f"Serving the site as {left} after {seconds:.2f} s; checking it")
        elif complete:
            noun = "file" if len(changed) == 1 else "files"
            fixed = "; the errors are fixed" if old.problems else ""
            self._log.info(f"Rebuilt in {seconds:.2f} s ({len(changed)} {noun} changed){fixed}")
        else:
            self._log.info(_built(config, files, seconds))
        return new

    def _fail(self, errors: list[str], problems: list[str]) -> Snapshot:
        for line in problems:
            self._log.error(line)
        old = self._snapshot
        noun = "error" if len(errors) == 1 else "errors"
        serving = "still serving the last good build" if old.built else "serving an error page until it is fixed"
        self._log.error(f"Build failed: {len(errors)} {noun}; {serving}.")
        if tuple(errors) == old.problems:
            return old
        new = replace(old, problems=tuple(errors), css_only=False, version=old.version + 1)
        self._publish(new)
        return new

    def _publish(self, snapshot: Snapshot) -> None:
        with self._published:
            self._snapshot = snapshot
            self._published.notify_all()
        self._published_hook()

    def _show_warnings(self, warnings: list[str]) -> None:
        if warnings != self._warnings:
            for line in warnings:
                self._log.error(line)
        self._warnings = warnings


class Preview:
    """A running preview: build loop, file watcher and HTTP server, started and stopped together."""

    def __init__(self, options: ServeOptions, log: Log) -> None:
        self.options = options
        self.root = options.root.resolve()
        selection = Selection(drafts=options.drafts, future=options.drafts)
        self.loop = BuildLoop(self.root, selection, log, options.delay, self._sync_watches, self._serve_http)
        self.watcher = Watcher(self.root, self.loop.changed, poll=options.poll)
        self._server: PreviewServer | None = None
        self._threads: list[threading.Thread] = []
        self._builder: threading.Thread | None = None
        self._stopped = threading.Event()

    @property
    def builds(self) -> int:
        """Return how many builds ran so far, failed ones included."""
        return self.loop.builds

    @property
    def url(self) -> str:
        """Return the address of the site's home page."""
        assert self._server is not None, "the preview is not started"
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{self.loop.snapshot.base_path}"

    def start(self) -> str:
        """Bind the port, build once, then serve and watch in background threads; return the URL."""
        if not (self.root / CONFIG_FILE).is_file():
            raise ServeError(f"no {CONFIG_FILE} in {self.root} (is this a site folder?)")
        self._server = open_server(self.options.host, self.options.port, self.loop)
        try:
            self.watcher.start()
            self.loop.build()
            self._serve_http()
            self._builder = self._spawn("ssg-serve-build", self.loop.run)
        except BaseException:
            self.stop()
            raise
        return self.url

    def wait(self) -> None:
        """Block until stop() is called."""
        self._stopped.wait()

    def stop(self) -> None:
        """Stop serving, watching and building; end every thread this preview started.

        A rebuild under way is not waited for (on a large site it takes seconds): it publishes and reports
        nothing, and its thread ends with it (at once when the process exits, as `ssg serve` does).
        """
        if self._stopped.is_set():
            return
        self._stopped.set()
        self.loop.stop()
        if self._server is not None:
            if self._threads:
                self._server.shutdown()
            self._server.close_connections()
            self._server.server_close()
        self.watcher.stop()
        for thread in self._threads:
            if thread is not self._builder or not self.loop.building:
                thread.join(timeout=5)

    def _serve_http(self) -> None:
        """Start answering requests, once: at the first build's first publication, or after that build."""
        server = self._server
        if server is not None and not any(t.name == "ssg-serve-http" for t in self._threads):
            self._spawn("ssg-serve-http", lambda: server.serve_forever(poll_interval=0.05))

    def _spawn(self, name: str, target: Callable[[], None]) -> threading.Thread:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()
        return thread

    def _sync_watches(self) -> None:
        config = self.loop.config
        static = config.static if config else "static"
        pages = config.pages if config else "pages"
        ignored = [config.output] if config else []
        folders = [self.root / "essays", self.root / pages, self.root / "themes", self.root / static]
        self.watcher.sync(folders, [*ignored, self.root / ".ssg-cache"])
