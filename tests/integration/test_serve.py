"""`ssg serve`: a live preview from memory that rebuilds on save, reports errors and never leaks a file."""

from __future__ import annotations

import http.client
import json
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from ssg.serve.command import serve_command
from ssg.serve.loop import Preview, ServeOptions
from tests.helpers import REPO, SITE_YML, essay, make_site, run

DEADLINE = 10.0
STATE = re.compile(r'<script id="ssg-serve-state" type="application/json">(.*?)</script>')
INJECTED = re.compile(rb'<script id="ssg-serve-state" type="application/json">.*?</script><script src="[^"]+"></script>')
STARTED_FROM_BUILD = r"Built (\d+) files in \d+\.\d\d s \((\d+) of them as ssg build wrote them in _site/\)"


@dataclass
class Recorder:
    """Collects what the preview reports, as the terminal would show it."""

    lines: list[str] = field(default_factory=list)

    def info(self, message: str) -> None:
        self.lines.append(message)

    def error(self, message: str) -> None:
        self.lines.append(message)


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def state(self) -> dict[str, Any]:
        found = STATE.search(self.text)
        assert found, "no live-reload state in the page"
        return dict(json.loads(found.group(1)))


@dataclass
class Served:
    """A preview running in this process on a free port."""

    preview: Preview
    log: Recorder
    root: Path

    @property
    def port(self) -> int:
        return int(self.preview.url.split(":")[2].split("/")[0])

    def get(self, target: str, method: str = "GET", host: str | None = None) -> Response:
        return fetch(self.port, target, method, host)

    def write(self, name: str, text: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def fetch(port: int, target: str, method: str = "GET", host: str | None = None) -> Response:
    """Send one request with http.client (which, unlike urllib, uses no proxy)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
    try:
        conn.putrequest(method, target, skip_host=host is not None, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        reply = conn.getresponse()
        return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
    finally:
        conn.close()


class EventStream:
    """Reads the server-sent events of /__ssg__/events in a thread."""

    def __init__(self, port: int, epoch: int, page: str = "") -> None:
        self.events: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE * 3)
        self.conn.request("GET", f"/__ssg__/events?epoch={epoch}&page={quote(page, safe='')}")
        self.reply = self.conn.getresponse()
        assert self.reply.status == 200
        assert self.reply.getheader("Content-Type") == "text/event-stream; charset=utf-8"
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        kind, data = "", ""
        try:
            for raw in self.reply.fp:
                line = raw.decode().rstrip("\r\n")
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif not line and kind:
                    self.events.put((kind, json.loads(data)))
                    kind = ""
        except (OSError, ValueError):
            pass

    def next(self) -> tuple[str, dict[str, Any]]:
        try:
            return self.events.get(timeout=DEADLINE)
        except queue.Empty:
            raise AssertionError("no event from the server in time") from None

    def close(self) -> None:
        self.conn.close()


def wait_until(condition: Callable[[], Any], what: str) -> Any:
    """Poll `condition` until it is true or the deadline passes."""
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


ESSAYS = {
    "erstes.md": essay("Erstes Essay", body="Der erste Text."),
    "entwurf.md": essay("Ein Entwurf", body="Noch geheim.", draft="true"),
    "morgen.md": essay("Für später", date="2099-01-01", body="Kommt noch."),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", ESSAYS)


def start(root: Path, **options: Any) -> Served:
    log = Recorder()
    preview = Preview(ServeOptions(root, port=0, **options), log)
    preview.start()
    return Served(preview, log, root)


@pytest.fixture
def served(site: Path) -> Iterator[Served]:
    running = start(site)
    yield running
    running.preview.stop()


def test_saved_essay_is_served_and_a_reload_event_is_pushed(served: Served) -> None:
    epoch = served.get("/erstes-essay/").state["epoch"]
    stream = EventStream(served.port, epoch)
    served.write("essays/erstes.md", essay("Erstes Essay", body="Frisch gespeichert."))
    wait_until(lambda: "Frisch gespeichert." in served.get("/erstes-essay/").text, "the new text")
    kind, data = stream.next()
    assert kind == "reload" and data["epoch"] > epoch
    rebuilt = r"Rebuilt in \d+\.\d\d s \(\d+ files? changed\)"
    wait_until(lambda: any(re.fullmatch(rebuilt, line) for line in served.log.lines), "the rebuild's report")
    # Only the essay's text changed: its own pages were shown first, the pages listing it followed.
    shown = r"Showing the edited page after \d+\.\d\d s; updating the pages that list it"
    assert [line for line in served.log.lines if re.fullmatch(shown, line)]
    stream.close()


def test_pages_reload_once_when_an_edit_reaches_them(served: Served) -> None:
    # A new title (same slug): the essay's page changes in the first step, the archive that lists the title
    # in the second. Each open page reloads once, when its own file changes, and only learns the epoch otherwise.
    served.write("essays/erstes.md", essay("Erstes Essay", body="Der erste Text.", slug="erstes-essay"))
    wait_until(lambda: len([line for line in served.log.lines if line.startswith("Rebuilt in")]) == 1, "a rebuild")
    epoch = served.get("/erstes-essay/").state["epoch"]
    on_essay = EventStream(served.port, epoch, "/erstes-essay/")
    on_archive = EventStream(served.port, epoch, "/archiv/")
    served.write("essays/erstes.md", essay("Neuer Titel", body="Der erste Text.", slug="erstes-essay"))
    assert on_essay.next()[0] == "reload"
    # The archive learns the first step's epoch, then reloads; when both steps are published before the
    # stream wakes up, it gets the reload alone (the server never skips a step without reloading).
    kinds = [on_archive.next()[0]]
    if kinds[0] == "epoch":
        kinds.append(on_archive.next()[0])
    assert kinds[-1] == "reload" and set(kinds[:-1]) <= {"epoch"}
    assert any(line.startswith("Showing the edited page") for line in served.log.lines)
    assert "Neuer Titel" in served.get("/archiv/").text
    on_essay.close()
    on_archive.close()


def test_css_only_change_sends_css_event(served: Served) -> None:
    served.write("static/extra.css", "body { color: red; }\n")
    page = wait_until(lambda: served.get("/extra.css").status == 200 and served.get("/"), "the new stylesheet")
    stream = EventStream(served.port, page.state["epoch"])
    served.write("static/extra.css", "body { color: blue; }\n")
    assert stream.next()[0] == "css"
    assert served.get("/extra.css").text == "body { color: blue; }\n"
    stream.close()


def test_yaml_error_shows_overlay_keeps_old_page_and_fix_clears_it(served: Served) -> None:
    stream = EventStream(served.port, served.get("/").state["epoch"])
    served.write("site.yml", SITE_YML + "description: [kaputt\n")
    kind, data = stream.next()
    assert kind == "problems" and re.match(r"site\.yml:\d+: YAML", data["problems"][0])
    page = served.get("/erstes-essay/")
    assert page.status == 200 and "Der erste Text." in page.text
    assert page.state["problems"] == data["problems"]
    assert any(line.startswith("Build failed: 1 error; still serving") for line in served.log.lines)
    served.write("site.yml", SITE_YML)
    assert stream.next()[0] == "reload"
    assert served.get("/erstes-essay/").state["problems"] == []
    stream.close()


def test_new_essay_new_tag_rename_and_delete_without_restart(served: Served) -> None:
    served.write("essays/neu.md", essay("Ganz neu", body="Neu hier.", tags="[Frischling]"))
    wait_until(lambda: "Ganz neu" in served.get("/").text, "the new essay on the home page")
    assert served.get("/themen/frischling/").status == 200
    (served.root / "essays" / "erstes.md").rename(served.root / "essays" / "umbenannt.md")
    served.write("essays/umbenannt.md", essay("Umbenannt", body="Der erste Text."))
    wait_until(lambda: served.get("/umbenannt/").status == 200, "the renamed essay")
    assert served.get("/erstes-essay/").status == 404
    (served.root / "essays" / "neu.md").unlink()
    wait_until(lambda: served.get("/ganz-neu/").status == 404, "the deleted essay to vanish")
    assert "Ganz neu" not in served.get("/").text
    assert served.get("/themen/frischling/").status == 404


def test_pages_folder_made_while_serving_is_watched_and_reloads(served: Served) -> None:
    # pages/ does not exist when the preview starts: making it, then a page in it, shows the page.
    served.write("pages/impressum.md", "---\ntitle: Impressum\n---\n\nErste Fassung.\n")
    wait_until(lambda: "Erste Fassung." in served.get("/impressum/").text, "the new page")
    epoch = served.get("/impressum/").state["epoch"]
    stream = EventStream(served.port, epoch, "/impressum/")
    served.write("pages/impressum.md", "---\ntitle: Impressum\n---\n\nZweite Fassung.\n")
    assert stream.next()[0] == "reload"
    assert "Zweite Fassung." in served.get("/impressum/").text
    stream.close()
    # A menu naming it, then the page gone: the menu entry is an error at its line, the last good build stays.
    served.write("site.yml", SITE_YML + "footer_menu: [impressum]\n")
    wait_until(lambda: 'href="/impressum/">Impressum</a>' in served.get("/").text, "the footer link")
    (served.root / "pages" / "impressum.md").unlink()
    wait_until(lambda: any("site.yml:8: 'footer_menu' entry: 'impressum' is no section" in line for line in served.log.lines), "the error")
    assert served.get("/impressum/").status == 200


def test_theme_template_change_and_broken_template(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", ESSAYS, SITE_YML + "theme: eigen\n")
    template = root / "themes" / "eigen" / "templates" / "essay.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "!default/essay.html" %}{% block footer %}Fuss 1{% endblock %}\n', "utf-8")
    running = start(root)
    try:
        assert "Fuss 1" in running.get("/erstes-essay/").text
        template.write_text('{% extends "!default/essay.html" %}{% block footer %}Fuss 2{% endblock %}\n', "utf-8")
        wait_until(lambda: "Fuss 2" in running.get("/erstes-essay/").text, "the changed template")
        template.write_text('{% extends "!default/essay.html" %}\n{% block footer %}Fuss 3\n', "utf-8")
        page = wait_until(lambda: (p := running.get("/erstes-essay/")).state["problems"] and p, "the template error")
        assert "essay.html" in page.state["problems"][0] and "Fuss 2" in page.text
        template.write_text('{% extends "!default/essay.html" %}{% block footer %}Fuss 4{% endblock %}\n', "utf-8")
        page = wait_until(lambda: (p := running.get("/erstes-essay/")) and "Fuss 4" in p.text and p, "the fix")
        assert page.state["problems"] == []
    finally:
        running.preview.stop()


def test_poll_mode_picks_up_saves(site: Path) -> None:
    running = start(site, poll=True)
    try:
        running.write("essays/erstes.md", essay("Erstes Essay", body="Per Abfrage gefunden."))
        wait_until(lambda: "Per Abfrage gefunden." in running.get("/erstes-essay/").text, "the polled change")
    finally:
        running.preview.stop()


def test_burst_of_saves_builds_at_most_twice(served: Served) -> None:
    versions = [essay("Erstes Essay", body=f"Fassung {n}.") for n in range(20)]
    path = served.root / "essays" / "erstes.md"
    before = served.preview.builds
    start_time = time.monotonic()
    for text in versions:
        path.write_text(text, encoding="utf-8")
    assert time.monotonic() - start_time < 0.1, "the test machine is too slow for a 100 ms burst"
    wait_until(lambda: "Fassung 19." in served.get("/erstes-essay/").text and served.preview.loop.idle, "the last save")
    assert 1 <= served.preview.builds - before <= 2


TRICKS = [
    b"/../canary.txt",
    b"/../../canary.txt",
    b"/%2e%2e/canary.txt",
    b"/%2E%2E/%2e%2e/canary.txt",
    b"/%252e%252e/canary.txt",
    b"/%252e%252e/%252e%252e/canary.txt",
    b"/static/..%2f..%2f..%2fcanary.txt",
    b"/..%5c..%5ccanary.txt",
    b"/..\\..\\canary.txt",
    b"/%2e%2e%5c%2e%2e%5ccanary.txt",
    b"/%c0%ae%c0%ae/canary.txt",
    b"/.%00./canary.txt",
    b"/\x00/../canary.txt",
    b"/canary.txt%00.html",
    b"//canary.txt",
    b"/erstes-essay/./../../canary.txt",
    b"http://127.0.0.1/../canary.txt",
    b"/leak.txt",
    b"/static/leak.txt",
]


def raw_get(port: int, target: bytes) -> tuple[int, bytes]:
    """Send a request with a target exactly as given; return the status and the whole response."""
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    return int(response.split(b" ", 2)[1]), response


def test_path_tricks_never_serve_a_file_outside_the_site(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", ESSAYS)
    canary = tmp_path / "canary.txt"
    canary.write_text("KANARIENVOGEL", encoding="utf-8")
    running = start(root)
    try:
        targets = [*TRICKS, str(canary).encode(), b"/" + str(canary).encode().replace(b"/", b"%2f")]
        for target in targets:
            status, response = raw_get(running.port, target)
            assert status in (400, 404), (target, status)
            assert b"KANARIENVOGEL" not in response, target
        assert raw_get(running.port, b"/" + b"a" * 2100)[0] == 414
        # A static file linking outside the site is a build error; the last good build stays served.
        for folder in (root / "static", root / "themes" / "default" / "static"):
            folder.mkdir(parents=True)
            (folder / "leak.txt").symlink_to(canary)
        wait_until(lambda: b"leak.txt" in raw_get(running.port, b"/")[1], "the overlay naming the link")
        for target in (b"/leak.txt", b"/static/leak.txt", *TRICKS):
            status, response = raw_get(running.port, target)
            assert status in (400, 404), (target, status)
            assert b"KANARIENVOGEL" not in response, target
    finally:
        running.preview.stop()


def test_pretty_urls_content_types_head_and_404(served: Served) -> None:
    served.write("static/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    wait_until(lambda: served.get("/logo.svg").status == 200, "the static svg")
    redirect = served.get("/erstes-essay?x=1")
    assert redirect.status == 301 and redirect.headers["location"] == "/erstes-essay/?x=1"
    page = served.get("/erstes-essay/")
    assert page.status == 200 and page.headers["cache-control"] == "no-store"
    expected = {
        "/erstes-essay/": "text/html; charset=utf-8",
        "/static/style.css": "text/css; charset=utf-8",
        "/static/worksheet.js": "text/javascript; charset=utf-8",
        "/feed.xml": "application/xml; charset=utf-8",
        "/feed.json": "application/json; charset=utf-8",
        "/robots.txt": "text/plain; charset=utf-8",
        "/logo.svg": "image/svg+xml; charset=utf-8",
    }
    for target, kind in expected.items():
        assert served.get(target).headers["content-type"] == kind, target
    head = served.get("/erstes-essay/", method="HEAD")
    assert head.status == 200 and head.body == b"" and head.headers["content-length"] == str(len(page.body))
    missing = served.get("/gibt-es-nicht/")
    assert missing.status == 404 and "Seite nicht gefunden" in missing.text and missing.state["problems"] == []


def test_requests_outside_base_path(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", ESSAYS, SITE_YML.replace("example.org/", "example.org/journal/"))
    running = start(root)
    try:
        assert running.preview.url.endswith("/journal/")
        home = running.get("/")
        assert home.status == 302 and home.headers["location"] == "/journal/"
        assert running.get("/journal/erstes-essay/").status == 200
        assert running.get("/erstes-essay/").status == 404
    finally:
        running.preview.stop()


def test_first_build_failure_still_serves_the_overlay(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", ESSAYS, SITE_YML + "title: [\n")
    running = start(root)
    try:
        page = running.get("/")
        assert page.status == 503 and re.match(r"site\.yml:\d+: ", page.state["problems"][0])
        stream = EventStream(running.port, page.state["epoch"])
        assert stream.next() == ("problems", {"problems": page.state["problems"]})
        running.write("site.yml", SITE_YML)
        assert stream.next()[0] == "reload"
        assert running.get("/").status == 200
        stream.close()
    finally:
        running.preview.stop()


def test_live_reload_is_served_but_never_built(served: Served) -> None:
    assert '<script src="/__ssg__/livereload.js"></script>' in served.get("/").text
    script = served.get("/__ssg__/livereload.js")
    assert script.status == 200 and "EventSource" in script.text
    assert run("build", "-s", str(served.root)).exit_code == 0
    for path in (served.root / "_site").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"__ssg__" not in data and b"EventSource" not in data and b"ssg-serve" not in data, path


def test_foreign_host_header_is_refused(served: Served) -> None:
    assert served.get("/", host="evil.example:80").status == 403
    assert served.get("/", host=f"localhost:{served.port}").status == 200


def test_many_idle_connections_do_not_block_reloads(served: Served) -> None:
    epoch = served.get("/").state["epoch"]
    streams = [EventStream(served.port, epoch) for _ in range(20)]
    stalled = [socket.create_connection(("127.0.0.1", served.port)) for _ in range(20)]
    for sock in stalled:
        sock.sendall(b"GET / HTTP/1.1\r\n")  # never finished
    served.write("essays/erstes.md", essay("Erstes Essay", body="Trotz Andrang."))
    wait_until(lambda: "Trotz Andrang." in served.get("/erstes-essay/").text, "the new text")
    assert all(stream.next()[0] == "reload" for stream in streams)
    started = time.monotonic()
    served.preview.stop()
    assert time.monotonic() - started < 3
    for sock in stalled:
        sock.close()


def test_stop_ends_every_thread_it_started(site: Path) -> None:
    before = set(threading.enumerate())
    running = start(site)
    stream = EventStream(running.port, 0)
    assert stream.next()[0] == "reload"
    running.preview.stop()
    wait_until(lambda: set(threading.enumerate()) <= before, "threads to end")


def test_port_in_use_gives_a_clear_message_and_exit_1(site: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(serve_command, ["-s", str(site), "--port", str(port)])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.output
    assert "Traceback" not in result.output


def test_network_host_warns_that_the_preview_is_visible(site: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(serve_command, ["-s", str(site), "--host", "0.0.0.0", "--port", str(port)])
    assert "warning: listening on 0.0.0.0: the preview (drafts included) is visible to your network" in result.output
    assert result.exit_code == 1 and "already in use" in result.output


def test_option_defaults_through_the_cli() -> None:
    params = serve_command.make_context("serve", []).params
    assert params == {
        "site_dir": Path("."),
        "host": "127.0.0.1",
        "port": 8000,
        "open_browser": False,
        "drafts": True,
        "poll": False,
    }
    assert serve_command.make_context("serve", ["--no-drafts"]).params["drafts"] is False
    assert serve_command.make_context("serve", ["--drafts"]).params["drafts"] is True
    flags = serve_command.make_context("serve", ["--poll", "--open", "--port", "0", "--host", "::1"]).params
    assert flags["poll"] is True and flags["open_browser"] is True and flags["port"] == 0 and flags["host"] == "::1"


def cli() -> list[str]:
    """Return the command line that runs `ssg serve` in a new Python process."""
    from ssg.cli import main

    if "serve" in main.commands:
        return [sys.executable, "-m", "ssg", "serve"]
    return [sys.executable, "-c", "from ssg.serve.command import serve_command; serve_command()"]


@pytest.mark.parametrize(("flags", "draft_status"), [([], 200), (["--no-drafts"], 404)])
def test_cli_port_0_prints_the_url_and_ctrl_c_stops_cleanly(site: Path, flags: list[str], draft_status: int) -> None:
    argv = [*cli(), "-s", str(site), "--port", "0", *flags]
    process = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or []], daemon=True).start()
        url = wait_until(lambda: re.search(r"Serving (http://127\.0\.0\.1:\d+/)", lines.get(timeout=DEADLINE)), "URL")
        port = int(url.group(1).split(":")[2].rstrip("/"))
        assert port > 0 and fetch(port, "/erstes-essay/").status == 200
        assert fetch(port, "/ein-entwurf/").status == draft_status
        assert fetch(port, "/fuer-spaeter/").status == draft_status
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=DEADLINE) == 0
        assert "Traceback" not in (process.stderr.read() if process.stderr else "")
    finally:
        process.kill()
        process.wait()


def test_serve_starts_from_the_last_build_and_never_serves_a_file_changed_behind_its_back(site: Path) -> None:
    # The build shows what the preview shows by default (drafts, future essays): the preview can take its files over.
    assert run("build", "-s", str(site), "--drafts", "--future").exit_code == 0
    out = site / "_site"
    built = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    (out / "feed.xml").write_bytes(built["feed.xml"] + b"<!-- von Hand -->")  # before the preview starts
    running = start(site)
    try:
        started = re.fullmatch(STARTED_FROM_BUILD, running.log.lines[0])
        assert started and (int(started[1]), int(started[2])) == (len(built), len(built) - 1), running.log.lines
        page = out / "erstes-essay/index.html"  # changed while the preview serves it, keeping its size
        page.write_bytes(built["erstes-essay/index.html"].replace(b"Der erste Text.", b"Der erste Txet."))
        for path, data in built.items():
            reply = running.get("/" + path)
            assert reply.status == 200 and INJECTED.sub(b"", reply.body) == data, path
    finally:
        running.preview.stop()
    # The preview only reads the output folder: what was changed there by hand stays so.
    assert b"Der erste Txet." in page.read_bytes() and (out / "feed.xml").read_bytes().endswith(b"<!-- von Hand -->")


def test_serve_right_after_a_build_shows_its_files_at_once_then_takes_edits(site: Path) -> None:
    assert run("build", "-s", str(site), "--drafts", "--future").exit_code == 0
    out = site / "_site"
    built = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    running = start(site)
    try:
        at_once = r"Serving the site as ssg build left it in _site/ after \d+\.\d\d s; checking it"
        assert re.fullmatch(at_once, running.log.lines[0]), running.log.lines
        for path, data in built.items():
            reply = running.get("/" + path)
            assert reply.status == 200 and INJECTED.sub(b"", reply.body) == data, path
        whole = f"Built {len(built)} files in \\d+\\.\\d\\d s \\({len(built)} of them as ssg build wrote them in _site/\\)"
        wait_until(lambda: any(re.fullmatch(whole, line) for line in running.log.lines), "the whole first build")
        running.write("essays/erstes.md", essay("Erstes Essay", body="Gleich nach dem Start."))
        wait_until(lambda: "Gleich nach dem Start." in running.get("/erstes-essay/").text, "the edit")
    finally:
        running.preview.stop()


def test_serve_after_a_build_without_drafts_shows_the_drafts(site: Path) -> None:
    # That build left the draft and the future essay out: its files are not what the preview shows.
    assert run("build", "-s", str(site)).exit_code == 0
    running = start(site)
    try:
        assert re.fullmatch(STARTED_FROM_BUILD, running.log.lines[0]), running.log.lines
        assert "Noch geheim." in running.get("/ein-entwurf/").text and "Ein Entwurf" in running.get("/").text
    finally:
        running.preview.stop()


def test_serve_starts_from_an_earlier_preview_and_never_serves_its_file_changed_behind_its_back(site: Path) -> None:
    running = start(site)  # cold: no build, no earlier preview
    try:
        assert re.fullmatch(r"Built \d+ files in \d+\.\d\d s", running.log.lines[0]), running.log.lines
        running.write("essays/erstes.md", essay("Erstes Essay", body="Vor dem Ende geändert."))
        wait_until(lambda: "Vor dem Ende geändert." in running.get("/erstes-essay/").text, "the edit")
        wait_until(lambda: running.preview.loop.idle, "the whole rebuild")
    finally:
        running.preview.stop()
    assert not (site / "_site").exists()  # drafts and future essays never reach the output folder
    # What the preview shows is what a build showing drafts and future essays writes (a clean one, elsewhere).
    assert run("build", "-s", str(site), "--drafts", "--future", "--no-cache", "-o", str(site / "clean")).exit_code == 0
    clean = site / "clean"
    built = {p.relative_to(clean).as_posix(): p.read_bytes() for p in sorted(clean.rglob("*")) if p.is_file()}
    stored = sorted((site / ".ssg-cache/serve/files").iterdir())
    changed = next(p for p in stored if p.read_bytes() == built["erstes-essay/index.html"])
    changed.write_bytes(changed.read_bytes().replace(b"Vor dem Ende", b"Hinter dem Ruecken"))
    again = start(site)
    try:
        at_once = r"Serving the site as the last preview left it in \.ssg-cache/serve/ after \d+\.\d\d s; checking it"
        assert not re.fullmatch(at_once, again.log.lines[0]), again.log.lines  # one of its files changed
        wait_until(lambda: again.preview.loop.idle, "the first build")
        for path, data in built.items():
            reply = again.get("/" + path)
            assert reply.status == 200 and INJECTED.sub(b"", reply.body) == data, path
    finally:
        again.preview.stop()
    third = start(site)  # nothing changed since: the whole site at once
    try:
        assert re.fullmatch(at_once, third.log.lines[0]), third.log.lines
        for path, data in built.items():
            reply = third.get("/" + path)
            assert reply.status == 200 and INJECTED.sub(b"", reply.body) == data, path
    finally:
        third.preview.stop()
    assert not (site / "_site").exists()


class _Quiet:
    def info(self, message: str) -> None:
        pass

    def error(self, message: str) -> None:
        pass


def test_a_preview_saves_what_the_next_starts_from_but_not_while_an_edit_waits(site: Path) -> None:
    from ssg.content.collect import Selection
    from ssg.serve.loop import BuildLoop

    index = site / ".ssg-cache/serve/index.pickle"
    loop = BuildLoop(site, Selection(True, True), _Quiet(), 0.01, lambda: None)
    loop.changed()  # an edit that came in while the first build ran: it is built before anything is saved
    assert loop.change_waiting()
    loop.build()
    assert loop.snapshot.built and not index.exists()
    loop._handled = loop._changes  # as the loop does when it takes the waiting edit up
    assert not loop.change_waiting()
    loop.build()
    assert index.is_file()
