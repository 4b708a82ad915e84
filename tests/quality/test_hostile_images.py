"""Hostile files beside an essay: each a named error, exit 1, no traceback, the previous output untouched."""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers import essay
from tests.photos import phone_jpeg
from tests.quality.test_hostile import assert_clean_failure, break_good_site

ESSAY = essay("Bild", summary="Ein Bild.", body="![Ein Foto](foto.jpg)\n")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(out, "PNG")
    return out.getvalue()


def bomb(side: int = 65535) -> bytes:
    """Return a GIF of a few bytes that claims to be `side` × `side` pixels (65,535: 4.3 billion)."""
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF")
    data = bytearray(out.getvalue())
    data[6:10] = struct.pack("<HH", side, side)  # the logical screen size
    return bytes(data)


def truncated(path: Path) -> None:
    phone_jpeg(path, size=(800, 600))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


CASES: list[tuple[str, str, Callable[[Path], None], str]] = [
    ("wrong extension", "foto.jpg", lambda p: p.write_bytes(png_bytes()),
     "essays/bild/foto.jpg: is a PNG file, not the JPEG image its name says: rename it to end in .png"),
    ("truncated", "foto.jpg", truncated, "essays/bild/foto.jpg: is damaged or cut short: Pillow cannot decode it"),
    ("zero bytes", "foto.jpg", lambda p: p.write_bytes(b""), "essays/bild/foto.jpg: is empty (0 bytes), not a JPEG"),
    ("not an image", "foto.jpg", lambda p: p.write_text("<html>kein Bild</html>"),
     "essays/bild/foto.jpg: is not a JPEG image Pillow can read"),
    ("bomb", "foto.gif", lambda p: p.write_bytes(bomb()),
     "essays/bild/foto.gif: is too large to open safely, a possible decompression bomb"),
    # 100 million pixels: past Pillow's warning limit (89 million), short of its error limit: an error here too.
    ("bomb warning", "foto.gif", lambda p: p.write_bytes(bomb(10_000)),
     "essays/bild/foto.gif: is too large to open safely, a possible decompression bomb"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "name", "write", "expected"), CASES, ids=[c[0] for c in CASES])
def test_hostile_image_is_a_named_error(
    tmp_path: Path, case: str, name: str, write: Callable[[Path], None], expected: str
) -> None:
    def damage(root: Path) -> None:
        folder = root / "essays/bild"
        folder.mkdir()
        (folder / "index.md").write_text(ESSAY.replace("foto.jpg", name), encoding="utf-8")
        write(folder / name)

    attempt = break_good_site(tmp_path, damage, isolate_check=True)
    assert_clean_failure(attempt, [expected], located=False)


def test_image_linked_from_outside_the_site_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "ausserhalb"
    outside.mkdir()
    phone_jpeg(outside / "privat.jpg")

    def damage(root: Path) -> None:
        folder = root / "essays/bild"
        folder.mkdir()
        (folder / "index.md").write_text(ESSAY, encoding="utf-8")
        (folder / "foto.jpg").symlink_to(outside / "privat.jpg")

    attempt = break_good_site(tmp_path, damage)
    message = "essays/bild/index.md:7: 'foto.jpg' (essays/bild/foto.jpg) is a link to a file outside the site folder"
    assert_clean_failure(attempt, [message])
    assert not list((tmp_path / "site/_site").rglob("*.jpg"))


def test_reference_climbing_out_of_the_essays_folder_is_refused(tmp_path: Path) -> None:
    def damage(root: Path) -> None:
        body = "![Ein Foto](../../../../../../etc/passwd)\n"
        (root / "essays/bild.md").write_text(essay("Bild", summary="S.", body=body), encoding="utf-8")

    attempt = break_good_site(tmp_path, damage)
    message = "essays/bild.md:7: reference '../../../../../../etc/passwd' leads out of the essays/ folder"
    assert_clean_failure(attempt, [message])
