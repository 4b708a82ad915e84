"""`ssg deploy` settings and refusals, with a stand-in rsync that records how it was called (the real one: tests/quality)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ssg.config import load_config
from ssg.engine.build import BuildOptions, build
from tests.helpers import SITE_YML, essay, make_site, run, tree_digest

ESSAYS = {"erstes.md": essay("Erstes Essay", body="Der erste Text.")}


@pytest.fixture
def fake_rsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put an rsync first on PATH that writes its arguments, one a line, to the file it returns, and succeeds."""
    bin_dir, calls = tmp_path / "bin", tmp_path / "rsync-calls.txt"
    bin_dir.mkdir()
    script = bin_dir / "rsync"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> {calls}\necho ">f+++++++++ index.html"\n', "utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return calls


def site(root: Path, deploy: str = "") -> Path:
    return make_site(root / "journal", ESSAYS, SITE_YML + deploy)


def test_deploy_builds_then_hands_the_output_folder_to_rsync(tmp_path: Path, fake_rsync: Path) -> None:
    root = site(tmp_path, "deploy:\n  target: autor@example.org:/var/www/journal\n  ssh: ssh -p 2222\n")
    result = run("deploy", "-s", str(root))
    assert result.exit_code == 0, result.output
    assert (root / "_site/erstes-essay/index.html").exists()
    args = fake_rsync.read_text(encoding="utf-8").splitlines()
    assert args[-3:] == ["--", f"{root / '_site'}/", "autor@example.org:/var/www/journal/"]
    assert "--rsh" in args and args[args.index("--rsh") + 1] == "ssh -p 2222" and "--dry-run" not in args
    assert result.stdout.splitlines()[-2:] == [
        ">f+++++++++ index.html",
        "Deployed to autor@example.org:/var/www/journal: 1 file(s) sent, 0 deleted.",
    ]
    assert result.stdout.index("Built ") < result.stdout.index(">f+++++++++")


def test_target_option_overrides_site_yml_and_dry_run_is_passed_on(tmp_path: Path, fake_rsync: Path) -> None:
    root = site(tmp_path, "deploy:\n  target: autor@example.org:/var/www/journal\n")
    result = run("deploy", "-s", str(root), "--target", "../www", "--dry-run")
    assert result.exit_code == 0, result.output
    args = fake_rsync.read_text(encoding="utf-8").splitlines()
    assert args[-1] == f"{(tmp_path / 'www').resolve()}/" and "--dry-run" in args and "--compress" not in args
    assert "Dry run: 1 file(s) would be sent to ../www, 0 deleted; nothing was changed." in result.stdout


def test_without_a_target_deploy_says_how_to_set_one_and_builds_nothing(tmp_path: Path, fake_rsync: Path) -> None:
    root = site(tmp_path)
    result = run("deploy", "-s", str(root))
    assert result.exit_code == 1
    assert result.stderr == (
        "site.yml: no deploy target: add 'deploy: {target: user@host:/var/www/site}' (or a folder) or pass --target\n"
    )
    assert not fake_rsync.exists() and not (root / "_site").exists()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("example.org:", "site.yml:9: deploy.target 'example.org:' names no folder of its own on example.org"),
        ("rsync://example.org/site", "site.yml:9: deploy.target 'rsync://example.org/site' is an rsync daemon address"),
        (".", "site.yml:9: deploy.target '.' ("),
        ("-e:/x", "site.yml:9: deploy.target '-e:/x' is neither a folder nor a server folder"),
    ],
)
def test_a_bad_target_in_site_yml_is_named_at_its_line(tmp_path: Path, fake_rsync: Path, target: str, expected: str) -> None:
    root = site(tmp_path, f"deploy:\n  target: {target!r}\n")
    for command in ("deploy", "build"):
        result = run(command, "-s", str(root))
        assert result.exit_code == 1, command
        assert result.stderr.startswith(expected), result.stderr
        assert "Traceback" not in result.output
    assert not fake_rsync.exists()


def test_a_bad_target_option_is_named(tmp_path: Path, fake_rsync: Path) -> None:
    root = site(tmp_path)
    result = run("deploy", "-s", str(root), "--target", "example.org:/")
    assert result.exit_code == 1
    assert result.stderr.startswith("--target: 'example.org:/' names no folder of its own on example.org")
    assert not fake_rsync.exists()


def test_without_rsync_deploy_says_so_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = site(tmp_path, "deploy:\n  target: ../www\n")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run("deploy", "-s", str(root))
    assert result.exit_code == 1
    assert result.stderr == (
        "rsync: is not installed (or not on PATH): ssg deploy copies the site with it (Debian: apt install rsync)\n"
    )
    assert not (tmp_path / "www").exists()


def test_a_failing_build_runs_no_rsync_and_leaves_the_output_as_it_was(tmp_path: Path, fake_rsync: Path) -> None:
    root = site(tmp_path, "deploy:\n  target: ../www\n")
    assert run("deploy", "-s", str(root)).exit_code == 0
    calls = fake_rsync.read_text(encoding="utf-8")
    before = tree_digest(root / "_site")
    (root / "essays/kaputt.md").write_text("---\ntitle: Kaputt\ndate: gestern\n---\nText\n", encoding="utf-8")
    result = run("deploy", "-s", str(root))
    assert result.exit_code == 1
    assert "essays/kaputt.md:3: 'date' is not a date" in result.stderr and "Traceback" not in result.output
    assert fake_rsync.read_text(encoding="utf-8") == calls, "rsync ran after a failed build"
    assert tree_digest(root / "_site") == before


def test_deploy_settings_change_no_output_so_no_rebuild(tmp_path: Path) -> None:
    root = site(tmp_path, "deploy:\n  target: ../www\n")
    config, _ = load_config(root)
    assert config.deploy.target == "../www"
    build(config, BuildOptions())
    (root / "site.yml").write_text(SITE_YML + "deploy:\n  target: autor@example.org:/srv/journal\n", encoding="utf-8")
    moved, _ = load_config(root)
    again = build(moved, BuildOptions())
    assert again.rendered == 0 and "render" not in dict(again.steps)


def test_unknown_deploy_settings_are_warnings(tmp_path: Path) -> None:
    root = site(tmp_path, "deploy:\n  target: ../www\n  port: 22\n")
    result = run("build", "-s", str(root))
    assert result.exit_code == 0
    assert "site.yml:10: warning: unknown setting 'deploy.port' (ignored; known: ssh, target)" in result.stderr


def test_deploy_has_help_with_examples() -> None:
    result = run("deploy", "--help")
    assert result.exit_code == 0 and "Examples:" in result.output and "--dry-run" in result.output
    assert "ssg deploy" in run("--help").output
