"""Feed entries end with the essay's reflection questions and a link to its worksheet page (issue #12, item 5)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import feedparser

from ssg.theme import builtin_theme_dir
from tests.helpers import essay, make_site, run, tree_digest

ATOM = "{http://www.w3.org/2005/Atom}"
BASE_URL = "https://example.org/journal/"
SITE_YML = f"title: Journal\nbase_url: {BASE_URL}\nlanguage: de\nauthor:\n  name: A\n"
PROMPTS = """\
prompts:
  - Was brauche ich NICHT?
  - text: Wofür nehme ich mir Zeit?
    hint: Ein Satz genügt.
"""
WORKSHEET = """\
worksheet:
  fields:
    - id: ruhe
      type: scale
      label: Ich bin ruhig.
"""
HOSTILE = """\
prompts:
  - text: '<script>alert("x")</script> & ]]> Frage?'
    hint: '</li></ol><img src=x onerror=alert(1)> &amp; ]]>'
"""


def with_front(text: str, extra: str) -> str:
    """Add front matter lines to an essay file's text."""
    return text.replace("\n---\n", "\n" + extra + "---\n", 1)


def sample_site(root: Path, site_yml: str = SITE_YML) -> Path:
    """Build a site with an essay with questions and worksheet, one with a worksheet only, one with neither."""
    make_site(
        root,
        {
            "fragen.md": with_front(essay("Fragen", "2026-01-03", "Text der Fragen.", slug="fragen"), PROMPTS + WORKSHEET),
            "blatt.md": with_front(essay("Blatt", "2026-01-02", "Text des Blatts.", slug="blatt"), WORKSHEET),
            "text.md": essay("Nur Text", "2026-01-01", "Nur Text.", slug="text"),
        },
        site_yml,
    )
    result = run("build", "-s", str(root))
    assert result.exit_code == 0, result.output
    return root / "_site"


def feed_contents(out: Path) -> dict[str, dict[str, str]]:
    """Return each feed's entry content (HTML) by entry URL; the Atom feed must parse cleanly."""
    raw = (out / "feed.xml").read_bytes()
    assert not feedparser.parse(raw).bozo
    atom = {
        entry.findtext(f"{ATOM}id") or "": entry.findtext(f"{ATOM}content") or ""
        for entry in ElementTree.fromstring(raw).findall(f"{ATOM}entry")
    }
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    return {"feed.xml": atom, "feed.json": {item["url"]: item["content_html"] for item in items}}


class Content(HTMLParser):
    """What a reader sees of an entry's HTML: elements, headings, list items, links and all text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[str] = []
        self.items: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.text = ""
        self._open: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("h2", "li", "a"):
            self._open.append(tag)
            if tag == "h2":
                self.headings.append("")
            elif tag == "li":
                self.items.append("")
            else:
                self.links.append((dict(attrs).get("href") or "", ""))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        if "h2" in self._open:
            self.headings[-1] += data
        if "li" in self._open:
            self.items[-1] += data if not self.items[-1] or not data.strip() else " " + data
        if "a" in self._open:
            self.links[-1] = (self.links[-1][0], self.links[-1][1] + data)


def test_entries_end_with_questions_hints_and_the_absolute_worksheet_link(tmp_path: Path) -> None:
    out = sample_site(tmp_path)
    assert (out / "fragen/arbeitsblatt/index.html").is_file() and (out / "blatt/arbeitsblatt/index.html").is_file()
    feeds = feed_contents(out)
    assert feeds["feed.xml"] == feeds["feed.json"]  # both feeds carry the same entry
    for name, entries in feeds.items():
        html = entries[BASE_URL + "fragen/"]
        seen = Content(html)
        assert seen.headings == ["Fragen zur Reflexion"], name
        assert "ol" in seen.tags and seen.items == ["Was brauche ich NICHT?", "Wofür nehme ich mir Zeit? Ein Satz genügt."]
        assert seen.links == [(BASE_URL + "fragen/arbeitsblatt/", "Zum Arbeitsblatt")], name
        assert html.index("Text der Fragen.") < html.index("Fragen zur Reflexion") < html.index("arbeitsblatt/")

        seen = Content(entries[BASE_URL + "blatt/"])  # a worksheet but no questions: just the link
        assert seen.headings == [] and seen.items == [] and "ol" not in seen.tags, name
        assert seen.links == [(BASE_URL + "blatt/arbeitsblatt/", "Zum Arbeitsblatt")], name

        assert entries[BASE_URL + "text/"] == "<p>Nur Text.</p>\n", name  # neither: nothing appended


def test_an_english_site_gets_english_words_and_its_own_worksheet_urls(tmp_path: Path) -> None:
    site_yml = "title: Journal\nbase_url: https://example.org/\nlanguage: en\nauthor:\n  name: A\nurls:\n  worksheet: sheet\n"
    out = sample_site(tmp_path, site_yml)
    for name, entries in feed_contents(out).items():
        seen = Content(entries["https://example.org/fragen/"])
        assert seen.headings == ["Questions for reflection"], name
        assert seen.links == [("https://example.org/fragen/sheet/", "Open the worksheet")], name
        assert (out / "fragen/sheet/index.html").is_file()


def test_hostile_questions_are_shown_as_written_in_both_feeds(tmp_path: Path) -> None:
    make_site(tmp_path, {"boese.md": with_front(essay("Böse", slug="boese"), HOSTILE)}, SITE_YML)
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    for name, entries in feed_contents(tmp_path / "_site").items():
        seen = Content(entries[BASE_URL + "boese/"])
        assert not {"script", "img"} & set(seen.tags), f"{name}: the question became markup: {seen.tags}"
        assert seen.items == ['<script>alert("x")</script> & ]]> Frage? </li></ol><img src=x onerror=alert(1)> &amp; ]]>']
        assert seen.links == [(BASE_URL + "boese/arbeitsblatt/", "Zum Arbeitsblatt")]


def test_editing_the_entry_template_or_its_words_renews_both_feeds_on_a_cached_build(tmp_path: Path) -> None:
    out = sample_site(tmp_path)
    override = tmp_path / "themes/default/templates/_feed_entry.html"
    override.parent.mkdir(parents=True)
    text = (builtin_theme_dir() / "templates/_feed_entry.html").read_text(encoding="utf-8")
    override.write_text(text.replace("<h2>", "<h2>Eigene ", 1), encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    for name, entries in feed_contents(out).items():
        assert Content(entries[BASE_URL + "fragen/"]).headings == ["Eigene Fragen zur Reflexion"], name
    strings = tmp_path / "themes/default/i18n/de.yml"
    strings.parent.mkdir(parents=True)
    strings.write_text("reflection_questions: Zum Nachdenken\n", encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    for name, entries in feed_contents(out).items():
        assert Content(entries[BASE_URL + "fragen/"]).headings == ["Eigene Zum Nachdenken"], name
    assert run("build", "-s", str(tmp_path), "--no-cache", "-o", str(tmp_path / "clean")).exit_code == 0
    assert tree_digest(out) == tree_digest(tmp_path / "clean")
