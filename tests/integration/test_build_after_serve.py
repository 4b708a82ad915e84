"""`ssg build` after `ssg serve` takes the pages the preview rendered instead of rendering them again, and writes
exactly what a clean build writes; a stored file changed behind the preview's back is rendered anew."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from ssg.config import load_config
from ssg.content.collect import Selection
from ssg.engine.build import BuildOptions, BuildReport, build
from ssg.engine.inmemory import MemoryCache, render_site
from tests.helpers import SITE_YML, essay, make_site, run, tree_digest

SHEET = "prompts: ['Was bleibt?']\nworksheet:\n  title: Blick\n  fields:\n    - {id: ruhe, type: scale, label: Ruhe, min: 1, max: 5}\n"
ESSAYS = {
    f"e{i:02d}.md": essay(f"Essay {i}", date=f"2026-02-{i + 1:02d}", body=f"Text {i} über die Ruhe.", tags="[Ruhe]")
    for i in range(24)
}
ESSAYS["blatt.md"] = "---\ntitle: Blatt\ndate: 2026-03-01\n" + SHEET + "---\nMit Fragen.\n"
NO_PDF = SITE_YML + "pdf: false\n"


def preview(root: Path) -> None:
    """Render the site as `ssg serve` does and leave what the next start (or build) takes."""
    config, _ = load_config(root)
    memory = MemoryCache(on_disk=True)
    render_site(config, BuildOptions(selection=Selection(False, False)), BuildReport(), memory=memory)
    memory.save(config)


def clean_build(root: Path, into: Path) -> dict[str, str]:
    """Return the files of a build from scratch of a copy of the site."""
    shutil.copytree(root, into, ignore=shutil.ignore_patterns(".ssg-cache", "_site"))
    result = run("build", "-s", str(into), "--no-cache", "-q")
    assert result.exit_code == 0, result.output
    return tree_digest(into / "_site")


def stored_inodes(root: Path) -> set[int]:
    return {p.stat().st_ino for p in (root / ".ssg-cache/serve/files").iterdir()}


def test_a_build_after_a_preview_takes_its_pages_and_writes_what_a_clean_build_writes(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", ESSAYS, NO_PDF)
    preview(root)
    report = build(load_config(root)[0], BuildOptions())
    assert report.from_preview > 20  # the essay pages at least
    assert report.from_preview <= report.rendered
    written = [p for p in (root / "_site").rglob("*") if p.is_file()]
    assert any(p.stat().st_ino in stored_inodes(root) for p in written)  # linked, not rendered again
    assert tree_digest(root / "_site") == clean_build(root, tmp_path / "clean")


def test_a_build_over_an_older_output_takes_the_preview_pages_too(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", ESSAYS, NO_PDF)
    assert run("build", "-s", str(root), "-q").exit_code == 0
    # The author previews a new look of every page, then builds: the preview rendered them all already.
    (root / "static").mkdir()
    (root / "themes/default/templates").mkdir(parents=True)
    base = (Path(__file__).parents[2] / "themes/default/templates/base.html").read_text(encoding="utf-8")
    (root / "themes/default/templates/base.html").write_text(base.replace("</body>", "<!-- neu --></body>"), "utf-8")
    preview(root)
    report = build(load_config(root)[0], BuildOptions())
    assert report.from_preview > 20
    assert "<!-- neu -->" in (root / "_site/essay-3/index.html").read_text(encoding="utf-8")
    assert tree_digest(root / "_site") == clean_build(root, tmp_path / "clean")


def test_a_stored_page_changed_behind_the_previews_back_is_rendered_again(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", ESSAYS, NO_PDF)
    preview(root)
    for stored in (root / ".ssg-cache/serve/files").iterdir():
        data = stored.read_bytes()
        with open(stored, "r+b") as handle:  # in place: the same size, a later modification time
            handle.write(data[:1].swapcase() if data[:1].isalpha() else data[:1])
        os.utime(stored, ns=(stored.stat().st_atime_ns, stored.stat().st_mtime_ns + 10**9))
    report = build(load_config(root)[0], BuildOptions())
    assert report.from_preview == 0
    assert tree_digest(root / "_site") == clean_build(root, tmp_path / "clean")


def test_build_verbose_says_how_many_files_it_took_from_the_preview(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", ESSAYS, NO_PDF)
    preview(root)
    result = run("build", "-s", str(root), "-v")
    assert result.exit_code == 0, result.output
    taken = [line for line in result.output.splitlines() if line.startswith("Taken from the last ssg serve: ")]
    assert len(taken) == 1 and int(taken[0].split(": ")[1].split()[0]) > 20
    again = run("build", "-s", str(root), "-v")  # nothing left to take: nothing said
    assert "Taken from" not in again.output


def test_across_file_systems_the_preview_files_are_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(tmp_path / "site", ESSAYS, NO_PDF)
    preview(root)

    def no_link(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    report = build(load_config(root)[0], BuildOptions())
    assert report.from_preview > 20
    written = [p for p in (root / "_site").rglob("*") if p.is_file()]
    assert not any(p.stat().st_ino in stored_inodes(root) for p in written)  # copies, not links
    assert tree_digest(root / "_site") == clean_build(root, tmp_path / "clean")
