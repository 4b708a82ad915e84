"""HTML validity: every kind of page ssg makes passes the W3C Nu HTML Checker (vnu.jar) without errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.helpers import essay
from tests.photos import phone_jpeg
from tests.quality.conftest import SETUP_HINT, VNU_JAR, build, require

PAGE_TYPES = ["home", "essay", "worksheet", "booklet", "worksheets", "tag", "tags", "archive", "404"]
ESCAPING_SITE = Path(__file__).parent / "hostile" / "valid" / "escaping"

Report = dict[Path, list[str]]


def page_type(rel: str) -> str:
    """Name the kind of page a built file is, from its place in the default URL scheme."""
    parts = rel.split("/")
    simple = {"index.html": "home", "404.html": "404", "archiv/index.html": "archive", "themen/index.html": "tags"}
    simple |= {"arbeitsblaetter/index.html": "worksheets", "arbeitsblaetter/heft/index.html": "booklet"}
    if rel in simple:
        return simple[rel]
    if parts[0] == "themen":
        return "tag"
    if parts[0] == "reihen":
        return "series index" if len(parts) == 2 else "series"
    return "worksheet" if parts[1:2] == ["arbeitsblatt"] else "essay"


def sample(out: Path, per_type: int) -> list[Path]:
    """Return up to `per_type` pages of each kind (all of them for the small sites), plus the QR codes."""
    chosen: dict[str, list[Path]] = {}
    for path in sorted(out.rglob("*.html")):
        chosen.setdefault(page_type(path.relative_to(out).as_posix()), []).append(path)
    pages = [p for group in chosen.values() for p in group[:per_type]]
    return pages + sorted(out.rglob("qr.svg"))[:per_type]


@pytest.fixture(scope="session")
def escaping_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("escaping-html") / "site"
    shutil.copytree(ESCAPING_SITE, root)
    # An essay with photos beside it: its <img> elements carry width, height, srcset, sizes, loading, decoding.
    folder = root / "essays/foto-<&>"
    folder.mkdir()
    body = '![Die Straße "vorne" & <hinten>](strasse.jpg)\n\n![Zweites Bild](<zwei & drei.jpg>)\n\n[Blatt](blatt.pdf)\n'
    (folder / "index.md").write_text(essay("Fotos & <Bilder>", summary="Mit Fotos.", body=body), encoding="utf-8")
    phone_jpeg(folder / "strasse.jpg", size=(1200, 900))
    phone_jpeg(folder / "zwei & drei.jpg", size=(600, 400), orientation=1)
    (folder / "blatt.pdf").write_bytes(b"%PDF-1.4\n")
    # A series whose name needs escaping: its block on each part, its page and the index of series.
    for number, day in ((1, "2026-01-16"), (2, "2026-01-17")):
        text = essay(f"Teil <{number}> & mehr", date=day, series='\'Reihe "<&>" </nav>\'')
        (root / "essays" / f"reihe-{number}.md").write_text(text, encoding="utf-8")
    return build(root)


@pytest.fixture(scope="session")
def sites(author_site: Path, generated_site: Path, escaping_out: Path) -> dict[str, Path]:
    return {"author": author_site, "generated": generated_site, "escaping": escaping_out}


@pytest.fixture(scope="session")
def vnu_report(sites: dict[str, Path]) -> Report:
    """Run the Nu checker once over a sample of every site (it is slow to start); return errors per file."""
    java = require("java")
    jar = require(str(VNU_JAR))
    files = sample(sites["author"], 1000) + sample(sites["escaping"], 1000) + sample(sites["generated"], 12)
    command = [java, "-Xss4m", "-jar", jar, "--errors-only", "--also-check-svg", "--format", "json", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if not result.stderr.startswith("{"):
        pytest.fail(f"vnu.jar did not run: {result.stderr[-2000:]} ({SETUP_HINT})", pytrace=False)
    messages = json.loads(result.stderr)["messages"]
    report: Report = {path: [] for path in files}
    for message in messages:
        path = Path(unquote(message.get("url", "file:(vnu)").removeprefix("file:")))
        where = f"line {message.get('lastLine', '?')}"
        report.setdefault(path, []).append(f"{where}: {message['message']} [{message.get('extract', '').strip()}]")
    return report


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_type_is_valid_html(kind: str, vnu_report: Report, sites: dict[str, Path]) -> None:
    checked = {
        name: [p for p in vnu_report if p.is_relative_to(out) and page_type(p.relative_to(out).as_posix()) == kind]
        for name, out in sites.items()
    }
    assert checked["author"] and checked["generated"], f"no {kind} page was checked"
    errors = {str(p): vnu_report[p] for pages in checked.values() for p in pages if vnu_report[p]}
    assert errors == {}


@pytest.mark.parametrize("kind", ["series", "series index"])
def test_series_pages_are_valid_html(kind: str, vnu_report: Report, escaping_out: Path) -> None:
    checked = [p for p in vnu_report if p.is_relative_to(escaping_out) and page_type(p.relative_to(escaping_out).as_posix()) == kind]
    assert checked, f"no {kind} page was checked"
    parts = [p for p in vnu_report if p.is_relative_to(escaping_out) and p.parent.name.startswith("teil-")]
    assert parts and all('class="series"' in p.read_text(encoding="utf-8") for p in parts)
    assert {str(p): vnu_report[p] for p in checked + parts if vnu_report[p]} == {}


def test_every_page_of_the_author_site_was_checked(vnu_report: Report, author_site: Path) -> None:
    assert set(author_site.rglob("*.html")) <= set(vnu_report)


def test_qr_codes_are_valid_svg(vnu_report: Report) -> None:
    codes = [p for p in vnu_report if p.name == "qr.svg"]
    assert codes
    assert {str(p): vnu_report[p] for p in codes if vnu_report[p]} == {}
