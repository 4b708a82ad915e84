"""The site's static folder: what hosts read is published (and previewed), editor and system litter is not."""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable
from pathlib import Path

from ssg.serve.loop import Preview, ServeOptions
from tests.helpers import essay, make_site, run

PUBLISHED = {
    ".well-known/security.txt": "Contact: mailto:autor@example.org\n",
    ".well-known/acme-challenge/token-1": "token-1.key\n",
    ".htaccess": "ErrorDocument 404 /404.html\n",
    ".nojekyll": "",
    "CNAME": "journal.example.org\n",
    "_redirects": "/alt/ /neu/ 301\n",
    "_headers": "/*\n  X-Frame-Options: DENY\n",
    "bilder/punkt.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
}
LITTER = {
    ".DS_Store": "Bud1",
    "bilder/.DS_Store": "Bud1",
    "bilder/Thumbs.db": "thumbs",
    "desktop.ini": "[.ShellClassInfo]\n",
    "bilder/.punkt.svg.swp": "vim",
    "notiz.txt~": "backup",
    "#notiz.txt#": "emacs",
    ".env": "SECRET=1\n",
    ".git/config": "[core]\n",
    ".well-known/.DS_Store": "Bud1",
}


class Log:
    """The preview's log, kept: what it says does not matter here."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, message: str) -> None:
        self.lines.append(message)

    def error(self, message: str) -> None:
        self.lines.append(message)


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def site_with_static(root: Path) -> Path:
    make_site(root, {"erstes.md": essay("Erstes Essay")})
    for rel, text in {**PUBLISHED, **LITTER}.items():
        path = root / "static" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_host_files_are_published_and_litter_is_not(tmp_path: Path) -> None:
    root = site_with_static(tmp_path)
    result = run("build", "-s", str(root))
    assert result.exit_code == 0, result.output
    out = root / "_site"
    for rel, text in PUBLISHED.items():
        assert (out / rel).read_text(encoding="utf-8") == text, rel
    assert [rel for rel in LITTER if (out / rel).exists()] == []
    assert not (out / ".git").exists()


def test_verbose_build_names_each_file_it_does_not_publish(tmp_path: Path) -> None:
    root = site_with_static(tmp_path)
    quiet = run("build", "-s", str(root))
    assert "Not published" not in quiet.output
    verbose = run("build", "-s", str(root), "-v")  # also when nothing changed since the last build
    lines = [line for line in verbose.output.splitlines() if line.startswith("Not published: ")]
    assert lines == [
        "Not published: static/#notiz.txt# (an editor's swap or backup file)",
        "Not published: static/.DS_Store (a file the operating system leaves)",
        "Not published: static/.env (a hidden file)",
        "Not published: static/.git/ (a hidden folder: nothing in it is published)",
        "Not published: static/.well-known/.DS_Store (a file the operating system leaves)",
        "Not published: static/bilder/.DS_Store (a file the operating system leaves)",
        "Not published: static/bilder/.punkt.svg.swp (an editor's swap or backup file)",
        "Not published: static/bilder/Thumbs.db (a file the operating system leaves)",
        "Not published: static/desktop.ini (a file the operating system leaves)",
        "Not published: static/notiz.txt~ (an editor's swap or backup file)",
    ]


def test_the_preview_serves_the_files_the_build_writes(tmp_path: Path) -> None:
    root = site_with_static(tmp_path)
    assert run("build", "-s", str(root)).exit_code == 0
    built = {p.relative_to(root / "_site").as_posix() for p in (root / "_site").rglob("*") if p.is_file()}
    preview = Preview(ServeOptions(root, port=0), Log())
    preview.start()
    try:
        port = int(preview.url.split(":")[2].split("/")[0])
        wait_until(lambda: get(port, "/")[0] == 200, "the first build")
        assert set(preview.loop.snapshot.files) == built
        assert get(port, "/.well-known/security.txt") == (200, PUBLISHED[".well-known/security.txt"].encode())
        for rel in LITTER:
            assert get(port, "/" + rel.replace("#", "%23"))[0] == 404, rel
        # .htaccess is published, so saving it is a change the preview picks up (other dot-files are ignored).
        (root / "static/.htaccess").write_text("ErrorDocument 404 /fehlt.html\n", encoding="utf-8")
        wait_until(lambda: b"fehlt" in get(port, "/.htaccess")[1], "the saved .htaccess")
    finally:
        preview.stop()
