"""A valid but hostile site: `<script>`, quotes and `&` in every text field come out as text everywhere.

The site is tests/quality/hostile/valid/escaping/ (with `markdown.html: false`, so even Markdown fields must
escape raw HTML). Pages, the Atom and JSON feeds and the worksheet data the browser script reads are checked.
"""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest

from ssg import yamlload
from ssg.content import frontmatter
from tests.quality.conftest import build

SITE = Path(__file__).parent / "hostile" / "valid" / "escaping"


@pytest.fixture(scope="module")
def escaping_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("escaping") / "site"
    shutil.copytree(SITE, root)
    return build(root)


def front_matter() -> yamlload.LineMap:
    text = (SITE / "essays/boese.md").read_text(encoding="utf-8")
    return frontmatter.split(text, "essays/boese.md")[0]


class PageAudit(HTMLParser):
    """Collects the page's text, its scripts and any attribute that would run code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.dangerous: list[str] = []
        self._script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.dangerous += [f"<{tag} {k}>" for k in values if k.startswith("on")]
        self.dangerous += [f"<{tag} {k}={v}>" for k, v in values.items() if v.strip().lower().startswith("javascript:")]
        self.text += [v for k, v in values.items() if k in ("alt", "title", "content", "value", "aria-label")]
        if tag == "script":
            self._script = values
            self.scripts.append((values, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts[-1] = (self._script, self.scripts[-1][1] + data)
        else:
            self.text.append(data)


def audit(path: Path) -> PageAudit:
    page = PageAudit()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_no_page_runs_injected_code(escaping_site: Path) -> None:
    pages = sorted(escaping_site.rglob("*.html"))
    assert len(pages) >= 9
    for path in pages:
        page = audit(path)
        assert page.dangerous == [], path
        for attrs, content in page.scripts:
            if attrs.get("type") == "application/json":
                json.loads(content)
                assert "</" not in content, path
            else:
                assert attrs.get("src") and not content.strip(), f"{path}: inline script {content[:80]!r}"
        raw = path.read_text(encoding="utf-8")
        assert "&amp;amp;" not in raw and "&amp;lt;" not in raw and "&amp;quot;" not in raw, f"{path}: escaped twice"


def test_every_text_field_shows_literally(escaping_site: Path) -> None:
    data = front_matter()
    sheet, fields = data["worksheet"], data["worksheet"]["fields"]
    expectations = {
        "boese/index.html": [
            data["title"],
            data["summary"],
            data["tags"][0],
            data["prompts"][0],
            data["prompts"][1]["hint"],
        ],
        "boese/arbeitsblatt/index.html": [
            sheet["title"],
            sheet["score"]["label"],
            sheet["score"]["bands"][0]["title"],
            *[f["label"] for f in fields],
            fields[0]["help"],
            fields[0]["unit"],
            fields[2]["left"],
            fields[2]["right"],
            *fields[3]["options"],
        ],
        "index.html": [data["title"], data["summary"]],
    }
    for rel, texts in expectations.items():
        shown = "".join(audit(escaping_site / rel).text)
        for text in texts:
            assert text in shown, f"{rel} does not show {text!r} literally"


def test_pages_menus_and_redirects_show_their_texts_literally(escaping_site: Path) -> None:
    page = frontmatter.split((SITE / "pages/boese-seite.md").read_text(encoding="utf-8"), "p")[0]
    config = yamlload.load((SITE / "site.yml").read_text(encoding="utf-8"))
    shown = "".join(audit(escaping_site / "boese-seite/index.html").text)
    for text in (page["title"], page["description"], page["prompts"][0], config["menu"][1]["label"]):
        assert text in shown, text
    assert config["footer_menu"][0]["label"] in "".join(audit(escaping_site / "index.html").text)
    assert 'href="https://example.org/?a=1&amp;b=%222%22"' in (escaping_site / "index.html").read_text("utf-8")
    for rel in ("früher/seite/index.html", "alt.html"):
        assert page["title"] in "".join(audit(escaping_site / rel).text), rel


def test_site_settings_show_literally(escaping_site: Path) -> None:
    config = yamlload.load((SITE / "site.yml").read_text(encoding="utf-8"))
    for rel in ("index.html", "boese/index.html", "archiv/index.html", "404.html"):
        shown = "".join(audit(escaping_site / rel).text)
        assert config["title"] in shown and config["author"]["name"] in shown, rel
    assert config["description"] in "".join(audit(escaping_site / "index.html").text)


def test_markdown_fields_escape_raw_html_when_html_is_off(escaping_site: Path) -> None:
    essay_page = "".join(audit(escaping_site / "boese/index.html").text)
    assert '<script>alert("body")</script>' in essay_page.replace("“", '"').replace("„", '"')
    sheet_page = "".join(audit(escaping_site / "boese/arbeitsblatt/index.html").text)
    assert "<img src=x onerror=alert(1)>" in sheet_page


def test_feeds_carry_the_fields_unchanged(escaping_site: Path) -> None:
    data = front_matter()
    atom = feedparser.parse((escaping_site / "feed.xml").read_bytes())
    assert not atom.bozo, atom.get("bozo_exception")
    entry = atom.entries[0]
    assert (entry.title, entry.summary) == (data["title"], data["summary"])
    assert data["tags"][0] in [t.term for t in entry.tags]
    assert "<script>" not in entry.content[0].value and "&lt;script&gt;" in entry.content[0].value
    config = yamlload.load((SITE / "site.yml").read_text(encoding="utf-8"))
    assert atom.feed.title == config["title"] and atom.feed.author_detail.name == config["author"]["name"]
    item = json.loads((escaping_site / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert (item["title"], item["summary"], item["tags"][0]) == (data["title"], data["summary"], data["tags"][0])


def worksheet_data(page: Path) -> dict[str, Any]:
    audit_page = audit(page)
    blocks = [json.loads(c) for a, c in audit_page.scripts if a.get("type") == "application/json"]
    assert len(blocks) == 1
    result: dict[str, Any] = blocks[0]["sheet"]
    return result


def test_worksheet_data_for_the_browser_keeps_every_text(escaping_site: Path) -> None:
    data = front_matter()
    sheet = worksheet_data(escaping_site / "boese/arbeitsblatt/index.html")
    assert (sheet["essay"], sheet["title"]) == (data["title"], data["worksheet"]["title"])
    assert [f["label"] for f in sheet["fields"]] == [f["label"] for f in data["worksheet"]["fields"]]
    assert sheet["fields"][3]["options"] == list(data["worksheet"]["fields"][3]["options"])
    assert [p["text"] for p in sheet["prompts"]] == [data["prompts"][0], data["prompts"][1]["text"]]
    assert sheet["score"]["bands"][0]["title"] == data["worksheet"]["score"]["bands"][0]["title"]
