"""The preview's HTTP server: the last good build (from memory, or from the files ssg build wrote), live-reload
injection, build events."""

from __future__ import annotations

import contextlib
import errno
import functools
import ipaddress
import json
import mimetypes
import posixpath
import socket
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from types import MappingProxyType
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote_to_bytes

EVENTS_PATH = "/__ssg__/events"
SCRIPT_PATH = "/__ssg__/livereload.js"
MAX_TARGET = 2048
KEEPALIVE_SECONDS = 15.0
HTML = "text/html; charset=utf-8"
_TEXT_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".txt": "text/plain"}
_TEXT_TYPES |= {".xml": "application/xml", ".json": "application/json", ".svg": "image/svg+xml"}
# Shown (with the error overlay injected) while no build has ever succeeded.
WAITING_PAGE = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>ssg preview</title></head>\n'
    b"<body><h1>ssg preview</h1><p>The site could not be built yet. "
    b"This page reloads by itself once the errors are fixed.</p></body></html>\n"
)
# How often a request for a file that changed in the output folder waits for the rebuild that renders it.
STALE_RETRIES = 3
STALE_WAIT_SECONDS = 30.0
CHANGED_ON_DISK = b"This file changed in the output folder behind ssg's back; it is being rendered again: reload.\n"


class Stored(Protocol):
    """A file's bytes left where `ssg build` wrote them."""

    def read(self) -> bytes | None:
        """Return the bytes, or None if the file changed since it was recorded."""
        ...


File = bytes | Stored


class ServeError(Exception):
    """The preview cannot start (port in use, unknown host, no site)."""


@dataclass(frozen=True)
class Snapshot:
    """One published state of the preview: the last good build and the current build errors."""

    files: Mapping[str, File] = field(default_factory=lambda: MappingProxyType({}))  # by path: 'a/index.html'
    base_path: str = "/"
    epoch: int = 0
    previous_epoch: int = 0
    css_only: bool = False
    problems: tuple[str, ...] = ()
    version: int = 0
    changed: frozenset[str] = frozenset()  # the files that differ from the previous epoch

    @property
    def built(self) -> bool:
        """Return whether any build has succeeded yet."""
        return self.epoch > 0


class SnapshotSource(Protocol):
    """Where the server gets the current snapshot and waits for the next one."""

    @property
    def snapshot(self) -> Snapshot:
        """Return the current snapshot."""
        ...

    def wait_change(self, version: int, timeout: float) -> Snapshot | None:
        """Return the snapshot once its version differs from `version` or on timeout; None when stopping."""
        ...

    def recheck(self, version: int, timeout: float) -> Snapshot | None:
        """Have stored files that changed on disk rendered again; return the next snapshot as wait_change does."""
        ...


@dataclass(frozen=True)
class Reply:
    """An HTTP response before it is sent."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    location: str = ""
    stale: bool = False  # the file changed in the output folder: a rebuild renders it


def is_loopback(host: str) -> bool:
    """Return whether `host` only reaches this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def content_type(key: str) -> str:
    """Return the Content-Type of a site file, with charset=utf-8 for text."""
    name = posixpath.basename(key)
    text = _TEXT_TYPES.get(posixpath.splitext(name)[1].lower())
    if text:
        return f"{text}; charset=utf-8"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def decode_path(raw: str) -> str | None:
    """Percent-decode a request path exactly once; return None if it is unsafe or malformed."""
    if not raw.startswith("/") or "\\" in raw:
        return None
    try:
        path = unquote_to_bytes(raw.encode("latin-1")).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    if any(ord(c) < 32 or c in "\x7f\\" for c in path):
        return None
    segments = path.split("/")[1:]
    if any(s in (".", "..") for s in segments) or "" in segments[:-1]:
        return None
    return path


def route(snapshot: Snapshot, target: str) -> Reply:
    """Map a raw request target to a reply from the snapshot's files; reads only files the snapshot names."""
    if len(target) > MAX_TARGET:
        return Reply(414, b"URL too long\n")
    raw_path, _, query = target.partition("#")[0].partition("?")
    path = decode_path(raw_path)
    if path is None:
        return Reply(400, b"Bad request path\n")
    if not snapshot.built:
        return Reply(503, WAITING_PAGE, HTML)
    base = snapshot.base_path
    if not path.startswith(base):
        return Reply(302, location=base) if path == "/" else _not_found(snapshot)
    rel = path[len(base) :]
    key = page_file(rel)
    if key in snapshot.files:
        return _file(snapshot.files[key], 200, content_type(key))
    if f"{rel}/index.html" in snapshot.files:
        return Reply(301, location=raw_path + "/" + (f"?{query}" if query else ""))
    return _not_found(snapshot)


def _not_found(snapshot: Snapshot) -> Reply:
    page = snapshot.files.get("404.html")
    return _file(page, 404, HTML) if page is not None else Reply(404, b"Not found\n")


def _file(data: File, status: int, kind: str) -> Reply:
    body = data if isinstance(data, bytes) else data.read()
    return Reply(status, body, kind) if body is not None else Reply(503, CHANGED_ON_DISK, stale=True)


def inject(html: bytes, snapshot: Snapshot) -> bytes:
    """Add the live-reload script and the current build state before </body>."""
    state = {"epoch": snapshot.epoch, "events": EVENTS_PATH, "problems": list(snapshot.problems)}
    # Escaped so that no error text can ever close the script element.
    data = json.dumps(state).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    tag = f'<script id="ssg-serve-state" type="application/json">{data}</script><script src="{SCRIPT_PATH}"></script>'
    at = html.lower().rfind(b"</body>")
    at = len(html) if at < 0 else at
    return html[:at] + tag.encode() + html[at:]


def events_for(snapshot: Snapshot, client_epoch: int, page: str = "") -> list[bytes]:
    """Return the server-sent events that bring `page`, showing `client_epoch`, up to `snapshot`."""
    messages = []
    if snapshot.built and snapshot.epoch != client_epoch:
        kind = "reload"
        if snapshot.previous_epoch == client_epoch:
            kind = "css" if snapshot.css_only else "epoch" if _unaffected(snapshot, page) else "reload"
        messages.append(_event(kind, {"epoch": snapshot.epoch}, snapshot.epoch))
    if snapshot.problems:
        messages.append(_event("problems", {"problems": list(snapshot.problems)}))
    return messages


def _unaffected(snapshot: Snapshot, page: str) -> bool:
    """Tell whether only other pages (or feeds) changed: the page need not reload, just learn the epoch."""
    path = decode_path(page)
    if path is None or not path.startswith(snapshot.base_path) or not snapshot.changed:
        return False
    rel = path[len(snapshot.base_path) :]
    key = page_file(rel)
    return key in snapshot.files and key not in snapshot.changed and all(
        k.endswith((".html", ".xml", ".json")) for k in snapshot.changed
    )


def page_file(rel: str) -> str:
    """Return the file that serves a request path relative to the base path ('' and 'a/' mean their index.html)."""
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def _event(kind: str, data: dict[str, Any], event_id: int | None = None) -> bytes:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data)}\n\n".encode()


@functools.cache
def livereload_script() -> bytes:
    """Return the live-reload script that the server injects into HTML pages."""
    return resources.files("ssg.serve").joinpath("livereload.js").read_bytes()


class PreviewHandler(BaseHTTPRequestHandler):
    """Answer GET and HEAD from the current snapshot; stream build events."""

    server: PreviewServer
    server_version = "ssg-preview"
    sys_version = ""
    timeout = 30

    def do_GET(self) -> None:
        """Send a file, a redirect, an error page or the event stream."""
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        """Send the headers GET would send."""
        self._respond(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the terminal for build messages."""

    def _respond(self, send_body: bool) -> None:
        if not self._host_allowed():
            self._send(Reply(403, b"This preview only answers to localhost.\n"), send_body)
            return
        path = self.path.partition("?")[0]
        if path == EVENTS_PATH:
            self._stream_events(send_body)
            return
        if path == SCRIPT_PATH:
            self._send(Reply(200, livereload_script(), "text/javascript; charset=utf-8"), send_body)
            return
        source = self.server.source
        snapshot = source.snapshot
        reply = route(snapshot, self.path)
        for _ in range(STALE_RETRIES):
            # Someone changed a file of the last `ssg build`: never serve it, wait until it is rendered.
            if not reply.stale or (newer := source.recheck(snapshot.version, STALE_WAIT_SECONDS)) is None:
                break
            snapshot = newer
            reply = route(snapshot, self.path)
        if reply.content_type == HTML:
            reply = Reply(reply.status, inject(reply.body, snapshot), HTML)
        self._send(reply, send_body)

    def _host_allowed(self) -> bool:
        # A web page elsewhere must not read drafts through DNS rebinding: check the Host header.
        host = self.headers.get("Host")
        if not self.server.loopback_only or host is None:
            return True
        name = host[1:].partition("]")[0] if host.startswith("[") else host.rpartition(":")[0] or host
        return is_loopback(name) or name.lower().endswith(".localhost")

    def _send(self, reply: Reply, send_body: bool) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if reply.location:
            self.send_header("Location", reply.location)
        self.end_headers()
        if send_body:
            self.wfile.write(reply.body)

    def _stream_events(self, send_body: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not send_body:
            return
        source = self.server.source
        client = self._client_epoch(source.snapshot.epoch)
        page = parse_qs(self.path.partition("?")[2]).get("page", [""])[0]
        self.wfile.write(b"retry: 1000\n\n")
        version = -1
        while (snapshot := source.wait_change(version, KEEPALIVE_SECONDS)) is not None:
            if snapshot.version == version:
                self.wfile.write(b": keep-alive\n\n")  # also notices pages that went away
                continue
            version = snapshot.version
            self.wfile.write(b"".join(events_for(snapshot, client, page)))
            client = snapshot.epoch if snapshot.built else client

    def _client_epoch(self, current: int) -> int:
        # On reconnect the browser sends the id of the last event it saw; a new page sends its own epoch.
        given = self.headers.get("Last-Event-ID") or parse_qs(self.path.partition("?")[2]).get("epoch", [""])[0]
        return int(given) if given.isdigit() else current


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server that can close its open connections on shutdown."""

    daemon_threads = True
    request_queue_size = 128  # the default 5 makes bursts of connections (tabs, a crawler) wait for SYN retries

    def __init__(self, address: tuple[str, int], source: SnapshotSource) -> None:
        self.source = source
        self.loopback_only = is_loopback(address[0])
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, PreviewHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Remember the connection, then handle it in its own thread."""
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget and close a finished connection."""
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut every open connection so that its handler thread ends now."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore pages that went away mid-answer; report real bugs."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


def open_server(host: str, port: int, source: SnapshotSource) -> PreviewServer:
    """Bind the preview server; raise ServeError with a message for people."""
    try:
        return PreviewServer((host, port), source)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            msg = f"port {port} on {host} is already in use: stop the other server or pick another with --port"
            raise ServeError(f"{msg} (--port 0 picks a free one)") from None
        if exc.errno == errno.EACCES:
            raise ServeError(f"not allowed to use port {port} on {host}: pick a port above 1023") from None
        raise ServeError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
