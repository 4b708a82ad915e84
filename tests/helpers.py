"""Helpers for tests that build throwaway sites."""

from __future__ import annotations

import hashlib
import textwrap
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner, Result

from ssg.cli import main

REPO = Path(__file__).resolve().parent.parent

SITE_YML = """\
title: Testjournal
description: Ein Journal für Tests.
base_url: https://example.org/
language: de
author:
  name: Test Autor
  email: test@example.org
"""


def essay(title: str, date: str = "2026-01-15", body: str = "Text.", **extra: str) -> str:
    """Return an essay file's text with front matter."""
    lines = ["---", f"title: {title!r}" if "'" not in title else f'title: "{title}"', f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join([*lines, "---", "", textwrap.dedent(body)]) + "\n"


def make_site(root: Path, essays: dict[str, str], site_yml: str = SITE_YML) -> Path:
    """Write a site folder with site.yml and essays/<name>."""
    (root / "essays").mkdir(parents=True, exist_ok=True)
    (root / "site.yml").write_text(site_yml, encoding="utf-8")
    for name, text in essays.items():
        (root / "essays" / name).write_text(text, encoding="utf-8")
    return root


def run(*args: str) -> Result:
    """Run the ssg command line in-process."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def built(root: Path, essays: dict[str, str], site_yml: str = SITE_YML) -> Path:
    """Write a site, build it with the command line (which must succeed) and return its output folder."""
    make_site(root, essays, site_yml)
    result = run("build", "-s", str(root))
    assert result.exit_code == 0, result.output
    return root / "_site"


def tree_digest(folder: Path) -> dict[str, str]:
    """Return {relative path: sha256} of every file under `folder`."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class LinkParser(HTMLParser):
    """Collects href/src references and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for key in ("href", "src"):
            value = values.get(key)
            if not value:
                continue
            plain_link = tag == "a" and value.startswith(("mailto:", "http:", "https:"))
            canonical = tag == "link" and values.get("rel") == "canonical"
            if not (plain_link or canonical):
                self.refs.append(value)


def page_links(html: str) -> LinkParser:
    """Parse a page and return its references and ids."""
    parser = LinkParser()
    parser.feed(html)
    return parser


def decode_qr_svg(svg: bytes, pixels: int = 4) -> str | None:
    """Rasterize one of ssg's QR SVGs (one path of horizontal strokes and moves) and decode it; None if unreadable."""
    import re

    import zxingcpp

    text = svg.decode("utf-8")
    found = re.search(r'viewBox="0 0 (\d+) \1"', text)
    assert found, "no square viewBox"
    side = int(found.group(1)) * pixels
    image = bytearray(b"\xff") * (side * side)
    x = y = 0.0
    for command, dx, dy in re.findall(r"([MmHh])(-?[\d.]+)(?: (-?[\d.]+))?", text):
        if command in "Mm":
            x, y = (float(dx), float(dy)) if command == "M" else (x + float(dx), y + float(dy))
            continue
        end = float(dx) if command == "H" else x + float(dx)
        left, right, top = round(min(x, end) * pixels), round(max(x, end) * pixels), int(y) * pixels
        for row in range(top, top + pixels):
            image[row * side + left : row * side + right] = bytes(right - left)
        x = end
    result = zxingcpp.read_barcode(memoryview(bytes(image)).cast("B", (side, side)))
    return result.text if result and result.format == zxingcpp.BarcodeFormat.QRCode else None
