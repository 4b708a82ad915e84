"""What the preview answers from a snapshot whose files are partly left in the output folder."""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType

from ssg.engine.inmemory import Stored
from ssg.serve.server import Snapshot, route


def stored(path: Path) -> Stored:
    stat = path.stat()
    return Stored(str(path), stat.st_size, stat.st_mtime_ns)


def test_a_stored_file_is_answered_while_unchanged_and_never_once_changed(tmp_path: Path) -> None:
    page, missing = tmp_path / "index.html", tmp_path / "404.html"
    page.write_bytes(b"<p>gebaut</p>")
    missing.write_bytes(b"<p>nicht da</p>")
    files = MappingProxyType({"index.html": stored(page), "404.html": stored(missing)})
    snapshot = Snapshot(files, "/", 20, 10)
    assert route(snapshot, "/") == route(snapshot, "/index.html")
    assert (route(snapshot, "/").status, route(snapshot, "/").body) == (200, b"<p>gebaut</p>")
    assert (route(snapshot, "/weg/").status, route(snapshot, "/weg/").body) == (404, b"<p>nicht da</p>")
    page.write_bytes(b"<p>von Hand</p>")  # another size
    before = missing.stat()
    missing.write_bytes(b"<p>nicht de</p>")  # the same size: only the modification time tells
    os.utime(missing, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))  # file times may be coarse
    for target in ("/", "/weg/"):
        reply = route(snapshot, target)
        assert reply.stale and reply.status == 503 and b"von Hand" not in reply.body and b"nicht de" not in reply.body

