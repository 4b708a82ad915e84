"""`ssg new` and `ssg init`, in the repository and from an installed wheel in a fresh venv."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.helpers import REPO, make_site, run


def test_new_creates_a_skeleton_that_builds_and_refuses_to_overwrite(tmp_path: Path) -> None:
    make_site(tmp_path, {})
    result = run("new", "Über Größe", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = tmp_path / "essays/ueber-groesse.md"
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["title"] == "Über Größe" and front["draft"] is True
    assert "prompts" in front and "summary" in front and "# worksheet:" in text
    assert run("build", "-s", str(tmp_path), "--drafts").exit_code == 0
    assert (tmp_path / "_site/ueber-groesse/index.html").exists()
    path.write_text("meins", encoding="utf-8")
    again = run("new", "Über Größe", "-s", str(tmp_path))
    assert again.exit_code == 1 and "already exists" in again.output
    assert path.read_text(encoding="utf-8") == "meins"


def test_init_makes_a_site_that_builds(tmp_path: Path) -> None:
    site = tmp_path / "journal"
    assert run("init", str(site)).exit_code == 0
    assert run("build", "-s", str(site)).exit_code == 0
    assert (site / "_site/willkommen/arbeitsblatt/index.html").exists()
    again = run("init", str(site))
    assert again.exit_code == 1 and "already exists" in again.output
    # The pages a German site needs, linked from the foot of every page, with what the author fills in marked.
    home = (site / "_site/index.html").read_text(encoding="utf-8")
    footer = home.split('<footer class="site-footer">')[1]
    assert 'href="/impressum/">Impressum</a>' in footer and 'href="/datenschutz/">Datenschutzerklärung</a>' in footer
    assert 'href="/ueber-mich/">Über mich</a>' in home.split("</header>")[0]
    check = run("check", "-s", str(site))
    assert check.exit_code == 0 and check.output.count("placeholders to fill in ([BITTE ERGÄNZEN:") == 3


def test_init_in_english_starts_an_english_site(tmp_path: Path) -> None:
    site = tmp_path / "journal"
    result = run("init", str(site), "--language", "en")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((site / "site.yml").read_text(encoding="utf-8"))["language"] == "en"
    assert sorted(p.name for p in (site / "pages").iterdir()) == ["about.md", "legal-notice.md", "privacy.md"]
    assert run("build", "-s", str(site)).exit_code == 0
    home = (site / "_site/index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in home and "<title>My Journal</title>" in home
    footer = home.split('<footer class="site-footer">')[1]
    assert 'href="/legal-notice/">Legal notice</a>' in footer and 'href="/privacy/">Privacy policy</a>' in footer
    assert (site / "_site/welcome/worksheet/index.html").exists() and (site / "_site/topics/index.html").exists()
    privacy = (site / "_site/privacy/index.html").read_text(encoding="utf-8")
    assert "localStorage" in privacy and "author@example.org" in privacy


def test_version_and_help_have_examples() -> None:
    assert "ssg, version" in run("--version").output
    for command in ("build", "new", "init"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example" in result.output, command


def test_init_and_build_work_from_an_installed_wheel(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(REPO)],
        check=True, env=env, cwd=tmp_path,
    )
    wheel = next((tmp_path / "dist").glob("ssg-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin/python"), "-m", "pip", "install", "-q", str(wheel)]
    subprocess.run(pip, check=True, env=env, cwd=tmp_path)
    ssg = str(venv / "bin/ssg")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    subprocess.run([ssg, "init", "mein-journal"], check=True, env=env, cwd=outside)
    build = subprocess.run([ssg, "build", "-s", "mein-journal"], env=env, cwd=outside, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    page = (outside / "mein-journal/_site/willkommen/index.html").read_text(encoding="utf-8")
    assert "Willkommen" in page and (outside / "mein-journal/_site/static/style.css").exists()
    assert (outside / "mein-journal/_site/impressum/index.html").exists()  # the starter pages are in the wheel
