"""Feeds: Atom (RFC 4287) and JSON Feed 1.1 validate, every date carries a time zone, the sitemap is sound."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import feedparser
import pytest

from tests.helpers import essay, make_site
from tests.quality.conftest import BASE_URL, build

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")
RAW_HTML_BODY = """\
Zeile eins<br>Zeile zwei mit &amp; Zeichen.

<hr>

<p>Ein <img src="/journal/static/style.css" alt="Bild"> ohne Ende-Tag, ein ]]&gt; und ein ]]> im Text.</p>

<details><summary>Mehr</summary>Versteckt & offen</details>
"""


@pytest.fixture(scope="module")
def raw_html_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose essays use raw HTML (markdown.html is on by default) that is not well-formed XML."""
    root = tmp_path_factory.mktemp("raw-html")
    site_yml = f"title: Roh\nbase_url: {BASE_URL}\nlanguage: de\nauthor:\n  name: A\n"
    make_site(root, {"roh.md": essay("Roh", summary="Roh & <echt>.", body=RAW_HTML_BODY)}, site_yml)
    return build(root)


@pytest.fixture(params=["author", "generated", "raw_html"])
def site(request: pytest.FixtureRequest) -> Path:
    out: Path = request.getfixturevalue(f"{request.param}_site")
    return out


def test_atom_feed_is_valid(site: Path) -> None:
    raw = (site / "feed.xml").read_bytes()
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    root = ElementTree.fromstring(raw)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None, f"the feed has no <{name}>"
    assert root.find(f"{ATOM}author/{ATOM}name") is not None, "the feed has no author"
    self_link = [e.get("href") for e in root.findall(f"{ATOM}link") if e.get("rel") == "self"]
    assert self_link == [BASE_URL + "feed.xml"]
    entries = root.findall(f"{ATOM}entry")
    assert entries
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i and i.startswith(BASE_URL) for i in ids)
    for entry in entries:
        assert_atom_entry(entry)


def assert_atom_entry(entry: ElementTree.Element) -> None:
    title = entry.findtext(f"{ATOM}id")
    for name in ("title", "updated", "published"):
        assert entry.find(f"{ATOM}{name}") is not None, f"{title}: no <{name}>"
    links = [link.get("href") for link in entry.findall(f"{ATOM}link") if link.get("rel") in (None, "alternate")]
    assert links == [title]
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert len(content) == 0, f"{title}: <content type='html'> holds XML elements instead of escaped HTML"
    assert (content.text or "").strip(), f"{title}: empty content"


def test_atom_entries_carry_the_whole_essay(raw_html_site: Path, generated_site: Path) -> None:
    root = ElementTree.fromstring((raw_html_site / "feed.xml").read_bytes())
    html = root.findtext(f"{ATOM}entry/{ATOM}content") or ""
    for line in RAW_HTML_BODY.splitlines():
        assert line.removeprefix("<p>").removesuffix("</p>") in html, f"{line!r} is not in the feed entry: {html}"
    assert len(feedparser.parse((generated_site / "feed.xml").read_bytes()).entries) == 200


def test_json_feed_has_the_required_fields(site: Path) -> None:
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert feed["home_page_url"] == BASE_URL and feed["feed_url"] == BASE_URL + "feed.json"
    for author in feed.get("authors", []):
        assert any(isinstance(author.get(k), str) and author[k] for k in ("name", "url", "avatar")), author
    assert isinstance(feed["items"], list) and feed["items"]
    ids = [item["id"] for item in feed["items"]]
    assert len(set(ids)) == len(ids)
    for item in feed["items"]:
        assert_json_item(item)


def assert_json_item(item: dict[str, Any]) -> None:
    assert isinstance(item["id"], str) and item["id"]
    assert isinstance(item.get("content_html"), str) or isinstance(item.get("content_text"), str), item["id"]
    assert item["url"].startswith(BASE_URL)
    for key in ("title", "summary"):
        assert isinstance(item.get(key, ""), str)
    assert all(isinstance(tag, str) for tag in item.get("tags", []))
    for key in ("date_published", "date_modified"):
        if key in item:
            assert RFC3339.match(item[key]), f"{item['id']}: {key} {item[key]!r} lacks a time zone"


def test_every_feed_date_carries_a_time_zone(site: Path) -> None:
    root = ElementTree.fromstring((site / "feed.xml").read_bytes())
    stamps = [e.text or "" for e in root.iter() if e.tag in (f"{ATOM}updated", f"{ATOM}published")]
    assert stamps and [s for s in stamps if not RFC3339.match(s)] == []
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    dates = [item[k] for item in feed["items"] for k in ("date_published", "date_modified") if k in item]
    assert dates and [d for d in dates if not RFC3339.match(d)] == []


class DateParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stamps: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "time" and values.get("datetime"):
            self.stamps.append(str(values["datetime"]))
        if tag == "meta" and str(values.get("property", "")).endswith("_time"):
            self.stamps.append(str(values.get("content")))


def test_dates_in_pages_carry_a_time_zone(site: Path) -> None:
    stamps = []
    for page in sorted(site.rglob("*.html")):
        parser = DateParser()
        parser.feed(page.read_text(encoding="utf-8"))
        stamps += [(page.name, s) for s in parser.stamps]
    assert stamps and [s for s in stamps if not RFC3339.match(s[1])] == []


def test_sitemap_lists_every_page_once(site: Path) -> None:
    root = ElementTree.fromstring((site / "sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP}urlset"
    locs = [u.findtext(f"{SITEMAP}loc") or "" for u in root.findall(f"{SITEMAP}url")]
    assert len(set(locs)) == len(locs) and all(loc.startswith(BASE_URL) for loc in locs)
    pages = {BASE_URL + p.relative_to(site).parent.as_posix() + "/" for p in site.rglob("index.html")}
    assert {loc.replace(BASE_URL + "/", BASE_URL) for loc in locs} <= {p.replace("/./", "/") for p in pages}
    assert BASE_URL in locs
