"""The quality gate's shared pieces: built sites (the author's and a generated one), tools, a site generator."""

from __future__ import annotations

import os
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers import REPO, run

BASE_URL = "https://example.org/journal/"
BASE_PATH = "/journal/"
CACHE = Path(os.environ.get("SSG_TEST_CACHE", Path.home() / ".cache" / "ssg-tests"))
VNU_JAR = CACHE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SETUP_HINT = "run `bash tests/setup-quality.sh` (it installs nginx, Java and vnu-jar; CI runs it)"

GENERATED_ESSAYS = 200
TAGS = ["Begegnung", "Wertschätzung", "Erreichbarkeit", "Gesundheit", "Arbeit", "Stille", "Größe", "Öffentlichkeit"]
WORDS = ["Heute", "denke", "ich", "über", "Nähe", "und", "Abstand,", "Zeit,", "die", "man", "schenkt", "nimmt."]

WORKSHEET = """\
worksheet:
  intro: Bitte *ehrlich* ausfüllen – es gibt kein Richtig & Falsch.
  fields:
    - id: stunden
      type: number
      label: Wie viele Stunden pro Woche?
      min: 0
      unit: Stunden
    - id: jahr
      type: computed
      label: Stunden pro Jahr
      formula: stunden * 52
    - id: ruhe
      type: scale
      label: Ich finde Ruhe.
      left: nie
      right: immer
    - id: wege
      type: choice
      label: Wie erreicht man mich?
      options: [Brief, E-Mail, Besuch]
      multiple: true
    - id: notiz
      type: text
      label: Was nehme ich mit?
      lines: 4
  score:
    label: Ergebnis
    sum: [ruhe]
    bands:
      - range: [1, 2]
        title: Unruhig
        text: Zeit für eine **Pause**.
      - range: [3, 5]
        title: Gelassen
        text: Weiter so.
"""


def require(tool: str) -> str:
    """Return the path of a tool the quality gate needs; fail (never skip) when it is missing."""
    path = Path(tool) if "/" in tool else None
    found = str(path) if path is not None and path.is_file() else shutil.which(tool, path=_search_path())
    if not found:
        pytest.fail(f"{tool} is missing: {SETUP_HINT}", pytrace=False)
    return found


def _search_path() -> str:
    return os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


def build(root: Path) -> Path:
    """Build the site in `root` with ssg and return its output folder."""
    result = run("build", "-s", str(root), "-q")
    assert result.exit_code == 0, result.output
    return root / "_site"


def copy_author_site(root: Path) -> Path:
    """Copy the author's site into `root`, published under the sub-path /journal/."""
    text = (REPO / "site.yml").read_text(encoding="utf-8")
    (root / "site.yml").write_text(text.replace("base_url: https://example.org/", f"base_url: {BASE_URL}"), "utf-8")
    shutil.copytree(REPO / "essays", root / "essays")
    shutil.copytree(REPO / "pages", root / "pages")
    return root


@pytest.fixture(scope="session")
def author_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The author's own site, built under a sub-path base_url."""
    return build(copy_author_site(tmp_path_factory.mktemp("author")))


@pytest.fixture(scope="session")
def generated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A larger generated site (200 essays with tags, prompts, worksheets, images), built under a sub-path."""
    root = tmp_path_factory.mktemp("generated")
    write_corpus(root, GENERATED_ESSAYS)
    return build(root)


def write_corpus(root: Path, count: int, seed: int = 7) -> None:
    """Write a site with `count` essays that use every feature, linking to each other."""
    rng = random.Random(seed)
    (root / "essays").mkdir(parents=True)
    (root / "static" / "bilder").mkdir(parents=True)
    (root / "static" / "bilder" / "punkt.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle cx="4" cy="4" r="4"/></svg>\n', "utf-8"
    )
    (root / "site.yml").write_text(
        f"title: Ein großes Journal\ndescription: Viele Essays & Fragen.\nbase_url: {BASE_URL}\nlanguage: de\n"
        "timezone: Europe/Berlin\nfeed_items: 0\nauthor:\n  name: Die Autorin\n  email: autorin@example.org\n",
        "utf-8",
    )
    first = date(2023, 1, 1)
    for i in range(count):
        day = first + timedelta(days=3 * i)
        (root / "essays" / f"essay-{i:03d}.md").write_text(_essay(i, day, rng), "utf-8")


def _essay(i: int, day: date, rng: random.Random) -> str:
    tags = rng.sample(TAGS, rng.randint(0, 3))
    front = [
        "---",
        f'title: "Essay {i}: Über Nähe & Abstand"',
        f"date: {day.isoformat()}" if i % 4 else f"date: {day.isoformat()}T07:30:00+02:00",
        f"slug: essay-{i:03d}",
        f"tags: [{', '.join(tags)}]",
        f"summary: Zusammenfassung {i} mit „Anführungszeichen“ & Ampersand.",
    ]
    if i % 3 == 0:
        front += [
            "prompts:",
            "  - Was brauche ich NICHT?",
            "  - text: Wofür nehme ich mir Zeit?",
            "    hint: Ein Satz.",
        ]
    if i % 5 == 0:
        front.append(WORKSHEET.rstrip("\n"))
    return "\n".join([*front, "---", "", _body(i, rng)])


def _body(i: int, rng: random.Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 120)))
    link = f"Siehe [das vorige Essay](/essay-{i - 1:03d}/#teil-1)." if i else "Das erste Essay."
    picture = "![Ein Punkt](/bilder/punkt.svg)\n\n" if i % 10 == 0 else ""
    return f"""\
{words}

## Teil 1

{link} Mehr im [Archiv](/archiv/) und bei [anderen](https://example.com/).[^1]

> Ein Zitat mit *Betonung* und **Stärke**.

- Punkt eins
  - eingerückt mit `Code`
- Punkt zwei

| Spalte | Wert |
|---|---|
| a & b | 1 |

{picture}## Teil 2

1. Erstens
2. Zweitens

[^1]: Eine Fußnote zu Essay {i}.
"""
