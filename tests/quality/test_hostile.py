"""Hostile input: broken sites fail cleanly (exit 1, file:line, no traceback, nothing written); tricky ones build.

The sites live in tests/quality/hostile/: `invalid/<case>/` holds the files that break a good site and
`expect.txt` (its first line is the `path:line: message` ssg must print, further lines more text it must
print); `valid/<case>/` are complete sites that must build. Cases too big or too odd for the repository
(5 MB, deep nesting, symlinks leading out of the site) are made here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssg.cli import main
from tests.helpers import SITE_YML, essay, make_site, run, tree_digest

HOSTILE = Path(__file__).parent / "hostile"
INVALID = sorted(p.name for p in (HOSTILE / "invalid").iterdir() if p.is_dir())
GOOD = essay("Gut", summary="Ein gutes Essay.", body="Ein guter Text.")
LOCATED = re.compile(r"^(\S+?):(\d+): (.*)$")


def ssg(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ssg in its own process: a crash (even of the interpreter) must not take the test run with it."""
    command = [sys.executable, "-m", "ssg", *args, "-s", str(root)]
    return subprocess.run(command, cwd=root.parent, capture_output=True, text=True, timeout=300, check=False)


def outside_output(tmp_path: Path) -> dict[str, str]:
    """Digest everything under tmp_path except the output folder and ssg's cache."""
    skip = ("site/_site/", "site/.ssg-cache/")
    return {k: v for k, v in tree_digest(tmp_path).items() if not k.startswith(skip)}


@dataclass(frozen=True)
class Attempt:
    build: subprocess.CompletedProcess[str]
    check_code: int
    check_json: str

    @property
    def output(self) -> str:
        return self.build.stdout + self.build.stderr


def break_good_site(tmp_path: Path, damage: Callable[[Path], None], isolate_check: bool = False) -> Attempt:
    """Build a good site, damage it, then build and check again; the old output must stay as it was.

    The build always runs in its own process; the check does too with `isolate_check` (input that may crash).
    """
    root = make_site(tmp_path / "site", {"gut.md": GOOD})
    assert run("build", "-s", str(root), "-q").exit_code == 0
    built = tree_digest(root / "_site")
    damage(root)
    before = outside_output(tmp_path)
    build = ssg(root, "build")
    if isolate_check:
        checked = ssg(root, "check", "--format", "json")
        attempt = Attempt(build, checked.returncode, checked.stdout)
    else:
        result = CliRunner().invoke(main, ["check", "-s", str(root), "--format", "json"], catch_exceptions=False)
        attempt = Attempt(build, result.exit_code, result.stdout)
    assert tree_digest(root / "_site") == built, "a failed build changed the previous output"
    assert outside_output(tmp_path) == before, "ssg wrote outside its output folder"
    return attempt


def assert_clean_failure(attempt: Attempt, expected: list[str], located: bool = True) -> None:
    """Exit 1, the expected `path:line: message`, no traceback, and `ssg check` reports the same."""
    output = attempt.output
    assert attempt.build.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output, output
    for text in expected:
        assert text in output, output
    if located:
        assert any(LOCATED.match(line) for line in output.splitlines()), f"no path:line in {output}"
    assert attempt.check_code == 1 and attempt.check_json.startswith("["), f"ssg check: {attempt.check_json}"
    problems = json.loads(attempt.check_json)
    path, line, message = located_parts(expected[0])
    assert any(p["path"] == path and p["line"] == line and message in p["message"] for p in problems), problems


def located_parts(text: str) -> tuple[str, int | None, str]:
    """Split `path:line: message` (or `path: message`) into its parts."""
    match = LOCATED.match(text)
    if match:
        return match.group(1), int(match.group(2)), match.group(3)
    path, _, message = text.partition(": ")
    return path, None, message


@pytest.mark.parametrize("case", INVALID)
def test_invalid_site_fails_cleanly(tmp_path: Path, case: str) -> None:
    folder = HOSTILE / "invalid" / case
    expected = (folder / "expect.txt").read_text(encoding="utf-8").splitlines()

    def damage(root: Path) -> None:
        shutil.copytree(folder, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expect.txt"))

    assert_clean_failure(break_good_site(tmp_path, damage), expected)


def nested_yaml(depth: int) -> str:
    return f"---\ntitle: Tief\ndate: 2026-01-01\ntags: {'[' * depth}{']' * depth}\n---\n\nText.\n"


@pytest.mark.parametrize("depth", [3_000, 100_000], ids=["deep", "deeper-than-the-c-stack"])
def test_deeply_nested_yaml_fails_cleanly(tmp_path: Path, depth: int) -> None:
    def damage(root: Path) -> None:
        (root / "essays/tief.md").write_text(nested_yaml(depth), encoding="utf-8")

    attempt = break_good_site(tmp_path, damage, isolate_check=True)
    assert attempt.build.returncode != -11, "ssg crashed (segmentation fault)"
    assert_clean_failure(attempt, ["essays/tief.md:4: "])


def test_essay_linked_from_outside_the_site_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "ausserhalb"
    outside.mkdir()
    (outside / "geheim.md").write_text(essay("Geheim", body="GEHEIMNIS"), encoding="utf-8")

    def damage(root: Path) -> None:
        (root / "essays/geheim.md").symlink_to(outside / "geheim.md")

    # A link has no line to point at; naming the file is what there is.
    attempt = break_good_site(tmp_path, damage)
    assert_clean_failure(attempt, ["essays/geheim.md: is a link to a file outside the site folder"], located=False)


def test_static_file_linked_from_outside_the_site_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "ausserhalb"
    outside.mkdir()
    (outside / "geheim.txt").write_text("GEHEIMNIS\n", encoding="utf-8")

    def damage(root: Path) -> None:
        (root / "static").mkdir()
        (root / "static/geheim.txt").symlink_to(outside / "geheim.txt")

    attempt = break_good_site(tmp_path, damage)
    assert "GEHEIMNIS" not in "".join(p.read_text("utf-8", "replace") for p in (tmp_path / "site/_site").rglob("*.txt"))
    assert_clean_failure(attempt, ["static/geheim.txt: is a link to a file outside the site folder"], located=False)


def build_valid(tmp_path: Path, essays: dict[str, str]) -> Path:
    root = make_site(tmp_path / "site", essays, SITE_YML)
    before = outside_output(tmp_path)
    result = ssg(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert outside_output(tmp_path) == before
    return root / "_site"


def test_five_megabyte_essay_builds_completely(tmp_path: Path) -> None:
    paragraph = "Ein Satz mit *Betonung*, einem [Link](/archiv/) und Umlauten: äöü ß. " * 8
    chunks = [f"## Abschnitt {i}\n\n{paragraph}\n\n- Punkt eins\n- Punkt zwei\n\n" for i in range(8_000)]
    body = "".join(chunks) + "ENDE-DES-ESSAYS\n"
    assert len(body.encode()) > 5_000_000
    out = build_valid(tmp_path, {"gross.md": essay("Groß", summary="Sehr lang.", body=body)})
    page = (out / "gross/index.html").read_text(encoding="utf-8")
    assert "ENDE-DES-ESSAYS" in page and 'id="abschnitt-5199"' in page


def nested_list(depth: int) -> str:
    return "\n".join("  " * i + f"- Ebene {i}" for i in range(depth))


@pytest.mark.parametrize(
    "body",
    [nested_list(12), "> " * 25 + "Tief zitiert", nested_list(12) + "\n\n" + "> " * 25 + "Tief zitiert"],
    ids=["list-12-levels", "quote-25-levels", "both"],
)
def test_deeply_nested_markdown_loses_nothing(tmp_path: Path, body: str) -> None:
    text = f"Anfang.\n\n{body}\n\nENDE-DES-ESSAYS\n"
    out = build_valid(tmp_path, {"tief.md": essay("Tief", summary="Tief.", body=text)})
    page = (out / "tief/index.html").read_text(encoding="utf-8")
    for word in re.findall(r"Ebene \d+|Tief zitiert|ENDE-DES-ESSAYS", text):
        assert word in page, f"{word!r} is missing from the page"


@pytest.mark.parametrize("depth", [200, 10_000])
def test_absurdly_nested_markdown_builds_fully_or_fails_cleanly(tmp_path: Path, depth: int) -> None:
    text = "> " * depth + "Ganz unten\n\n" + nested_list(depth // 10) + "\n\nENDE-DES-ESSAYS\n"
    root = make_site(tmp_path / "site", {"gut.md": GOOD, "tief.md": essay("Tief", summary="Tief.", body=text)})
    result = ssg(root, "build")
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    if result.returncode == 0:
        page = (root / "_site/tief/index.html").read_text(encoding="utf-8")
        assert "Ganz unten" in page and "ENDE-DES-ESSAYS" in page, "the build dropped text it could not nest"
    else:
        assert result.returncode == 1 and re.search(r"^essays/tief\.md:\d+: ", output, re.M), output
