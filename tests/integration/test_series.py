"""Series: each part says where it stands and links the others, a page per series lists them in order, the
cached build follows other parts' titles and drafts, and a wrong `series:` stops the build at its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ssg.check import check_site
from ssg.config import load_config
from ssg.content.collect import Selection
from ssg.engine.build import BuildOptions, BuildReport, build
from ssg.engine.inmemory import MemoryCache, render_site
from tests.helpers import SITE_YML, built, essay, make_site, page_links, run, tree_digest

PARTS = {
    "a.md": essay("Aufbruch", date="2026-01-05", series="Unterwegs", summary="Der Anfang."),
    "b.md": essay("Mitte", date="2026-01-20", series="Unterwegs"),
    "c.md": essay("Ankunft", date="2026-02-10", series="Unterwegs"),
    "d.md": essay("Allein", date="2026-01-21"),
    "e.md": essay("Entwurf", date="2026-01-22", series="Unterwegs", draft="true"),
    "f.md": essay("Später", date="2099-01-01", series="Unterwegs"),
}


def series_block(html: str) -> str:
    match = re.search(r'<nav class="series".*?</nav>', html, flags=re.S)
    assert match, "no series block"
    return match.group(0)


def parts(block: str) -> list[tuple[str, str]]:
    """Return each listed part as (link or 'current', title)."""
    found = []
    for item in re.findall(r"<li>(.*?)</li>", block, flags=re.S):
        link = re.search(r'<a href="([^"]+)">(.*?)</a>', item)
        current = re.search(r'<span aria-current="page">(.*?)</span>', item)
        found.append((link.group(1), link.group(2)) if link else ("current", current.group(1) if current else ""))
    return found


def test_each_part_shows_its_place_and_links_the_others_in_order(tmp_path: Path) -> None:
    out = built(tmp_path, PARTS)
    block = series_block((out / "mitte/index.html").read_text(encoding="utf-8"))
    # Drafts and future essays are not counted: three published parts.
    assert "Teil 2 von 3" in block
    assert '<a href="/reihen/unterwegs/">Unterwegs</a>' in block
    assert parts(block) == [("/aufbruch/", "Aufbruch"), ("current", "Mitte"), ("/ankunft/", "Ankunft")]
    assert "Teil 1 von 3" in series_block((out / "aufbruch/index.html").read_text(encoding="utf-8"))
    assert "Teil 3 von 3" in series_block((out / "ankunft/index.html").read_text(encoding="utf-8"))
    assert 'class="series"' not in (out / "allein/index.html").read_text(encoding="utf-8")
    # Near the top: after the title, before the text.
    page = (out / "mitte/index.html").read_text(encoding="utf-8")
    assert page.index("<h1>") < page.index('class="series"') < page.index('class="essay-body"')


def test_the_series_page_lists_the_parts_in_order_with_their_cards_and_is_in_the_sitemap(tmp_path: Path) -> None:
    out = built(tmp_path, PARTS)
    page = (out / "reihen/unterwegs/index.html").read_text(encoding="utf-8")
    assert "<h1>Unterwegs</h1>" in page and "<title>Unterwegs" in page
    titles = re.findall(r'<h2><a href="([^"]+)">', page)
    assert titles == ["/aufbruch/", "/mitte/", "/ankunft/"]
    assert re.findall(r'class="series-position">([^<]+)<', page) == ["Teil 1 von 3", "Teil 2 von 3", "Teil 3 von 3"]
    assert "Der Anfang." in page and "5. Januar 2026" in page  # cards: summary and date
    index = (out / "reihen/index.html").read_text(encoding="utf-8")
    assert '<a href="/reihen/unterwegs/">Unterwegs</a> <span class="count">3 Essays</span>' in index
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.org/reihen/unterwegs/" in sitemap and "https://example.org/reihen/</loc>" in sitemap
    # Every link of the new pages leads somewhere: ssg check finds nothing.
    assert [p for p in check_site(tmp_path) if p.severity == "error"] == []
    assert not (out / "reihen/entwurf").exists()
    # With --drafts the draft is a part like the others, and the preview shows it so.
    assert run("build", "-s", str(tmp_path), "--drafts").exit_code == 0
    assert "Teil 2 von 4" in series_block((out / "mitte/index.html").read_text(encoding="utf-8"))


def test_part_numbers_order_the_series_and_the_shown_number_counts_published_parts(tmp_path: Path) -> None:
    out = built(tmp_path, {
        "a.md": essay("Eins", date="2026-03-01", series="{name: Weg, part: 1}"),
        "b.md": essay("Drei", date="2026-01-01", series="{name: Weg, part: 3}"),
        "c.md": essay("Ohne Nummer", date="2026-01-02", series="Weg"),
    })
    block = series_block((out / "drei/index.html").read_text(encoding="utf-8"))
    assert parts(block) == [("/eins/", "Eins"), ("current", "Drei"), ("/ohne-nummer/", "Ohne Nummer")]
    assert "Teil 2 von 3" in block


def test_an_english_site_says_part_of_and_uses_english_url_words(tmp_path: Path) -> None:
    site = SITE_YML.replace("language: de", "language: en")
    out = built(tmp_path, {
        "a.md": essay("First", date="2026-01-05", series="On the Road"),
        "b.md": essay("Second", date="2026-01-06", series="On the Road"),
        "c.md": essay("Alone", date="2026-01-07", series="Con"),  # a name Windows cannot hold as a folder
    }, site)
    block = series_block((out / "second/index.html").read_text(encoding="utf-8"))
    assert "Part 2 of 2" in block and '<a href="/series/on-the-road/">On the Road</a>' in block
    assert (out / "series/on-the-road/index.html").is_file()
    assert (out / "series/con-1/index.html").is_file()
    index = (out / "series/index.html").read_text(encoding="utf-8")
    assert "<h1>Series</h1>" in index and "1 essay" in index and "2 essays" in index
    links = page_links((out / "series/on-the-road/index.html").read_text(encoding="utf-8")).refs
    assert "/first/" in links and "/series/" in links


def header_menu(html: str) -> list[str]:
    match = re.search(r'<header class="site-header">.*?</header>', html, flags=re.S)
    assert match
    return re.findall(r'<a href="([^"]+)"[^>]*>[^<]*</a></li>', match.group(0))


def test_a_site_without_series_has_no_series_pages_and_no_menu_entry(tmp_path: Path) -> None:
    out = built(tmp_path, {"a.md": essay("Allein"), "b.md": essay("Entwurf", series="Weg", draft="true")})
    assert not (out / "reihen").exists()
    assert 'class="series"' not in (out / "allein/index.html").read_text(encoding="utf-8")
    assert header_menu((out / "index.html").read_text(encoding="utf-8")) == ["/", "/archiv/", "/themen/"]
    # A menu naming the section while no series is published leaves it out with a warning at its line.
    (tmp_path / "site.yml").write_text(SITE_YML + "menu:\n  - home\n  - series\n", encoding="utf-8")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0
    assert "site.yml:10: warning: 'menu' entry left out: the site has no series yet" in result.output


def test_the_default_menu_leads_to_the_series_once_there_is_one(tmp_path: Path) -> None:
    out = built(tmp_path, PARTS)
    page = (out / "reihen/index.html").read_text(encoding="utf-8")
    assert header_menu(page) == ["/", "/archiv/", "/themen/", "/reihen/"]
    assert '<a href="/reihen/" aria-current="page">Reihen</a>' in page


def rendered(tmp_path: Path) -> BuildReport:
    return build(load_config(tmp_path)[0], BuildOptions())


def test_a_cached_build_follows_other_parts_titles_dates_and_drafts_but_not_their_text(tmp_path: Path) -> None:
    essays = {name: PARTS[name] for name in ("a.md", "b.md", "c.md", "d.md")}
    out = built(tmp_path, essays)
    first = out / "aufbruch/index.html"

    def edit(name: str, text: str) -> BuildReport:
        (tmp_path / "essays" / name).write_text(text, encoding="utf-8")
        return rendered(tmp_path)

    # Another part's text: its own page and the feeds, no other part (they see its card only).
    before = first.read_bytes()
    report = edit("c.md", essay("Ankunft", date="2026-02-10", series="Unterwegs", body="Ein anderer Text."))
    assert report.rendered == 3 and first.read_bytes() == before
    # Another part's title: every part shows it.
    edit("c.md", essay("Heimkehr", date="2026-02-10", series="Unterwegs"))
    assert parts(series_block(first.read_text(encoding="utf-8")))[2] == ("/heimkehr/", "Heimkehr")
    # A date that moves a part first; then a part becomes a draft; then a new part.
    edit("c.md", essay("Heimkehr", date="2026-01-01", series="Unterwegs"))
    assert "Teil 2 von 3" in series_block(first.read_text(encoding="utf-8"))
    edit("b.md", essay("Mitte", date="2026-01-20", series="Unterwegs", draft="true"))
    assert "Teil 2 von 2" in series_block(first.read_text(encoding="utf-8"))
    edit("d.md", essay("Allein", date="2026-01-21", series="Unterwegs"))
    assert "Teil 2 von 3" in series_block(first.read_text(encoding="utf-8"))
    # A part leaves the series.
    edit("d.md", essay("Allein", date="2026-01-21"))
    assert parts(series_block(first.read_text(encoding="utf-8"))) == [("/heimkehr/", "Heimkehr"), ("current", "Aufbruch")]
    clean = tmp_path / "clean"
    assert run("build", "-s", str(tmp_path), "--no-cache", "-o", str(clean)).exit_code == 0
    assert tree_digest(out) == tree_digest(clean)


def test_the_preview_renders_the_other_parts_again_when_a_part_is_retitled(tmp_path: Path) -> None:
    make_site(tmp_path, {name: PARTS[name] for name in ("a.md", "b.md")})
    config, _ = load_config(tmp_path)
    memory = MemoryCache()
    options = BuildOptions(selection=Selection(drafts=True, future=True))
    files = render_site(config, options, BuildReport(), memory=memory).contents()
    assert "Mitte" in files["aufbruch/index.html"].decode()
    (tmp_path / "essays/b.md").write_text(essay("Neue Mitte", date="2026-01-20", series="Unterwegs"), encoding="utf-8")
    files = render_site(config, options, BuildReport(), memory=memory).contents()
    block = series_block(files["aufbruch/index.html"].decode())
    assert parts(block) == [("current", "Aufbruch"), ("/neue-mitte/", "Neue Mitte")]
    assert "Neue Mitte" in files["reihen/unterwegs/index.html"].decode()


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("series: ''", "essays/kaputt.md:4: 'series' must not be empty"),
        ("series: [Weg, Ziel]", "essays/kaputt.md:4: 'series' must be a name or a mapping"),
        ("series:\n  name: Weg\n  part: zwei", "essays/kaputt.md:6: series: 'part' must be a whole number from 1 on"),
        ("series:\n  name: ''\n  part: 2", "essays/kaputt.md:5: series: 'name' must not be empty"),
        ("series: {name: Unterwegs, part: 1}", "essays/kaputt.md:4: series 'Unterwegs': part 1 is already essays/a.md"),
    ],
)
def test_a_wrong_series_stops_the_build_at_its_line_and_keeps_the_last_site(
    tmp_path: Path, front: str, expected: str
) -> None:
    out = built(tmp_path, {"a.md": essay("Aufbruch", date="2026-01-05", series="{name: Unterwegs, part: 1}")})
    before = tree_digest(out)
    text = f"---\ntitle: Kaputt\ndate: 2026-01-06\n{front}\n---\n\nText.\n"
    (tmp_path / "essays/kaputt.md").write_text(text, encoding="utf-8")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1
    assert expected in result.output and "Traceback" not in result.output
    assert tree_digest(out) == before


def test_lists_name_each_parts_series_with_a_link_to_it(tmp_path: Path) -> None:
    out = built(tmp_path, PARTS)
    link = '<a class="series-link" href="/reihen/unterwegs/">Reihe: Unterwegs</a>'
    home = (out / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r"<article>.*?</article>", home, flags=re.S)
    named = [re.search(r'<h2><a href="([^"]+)">', card).group(1) for card in cards if link in card]  # type: ignore[union-attr]
    assert named == ["/ankunft/", "/mitte/", "/aufbruch/"]  # newest first; "Allein" belongs to no series
    # The series page itself shows each part's place instead.
    assert link not in (out / "reihen/unterwegs/index.html").read_text(encoding="utf-8")


def test_feeds_name_each_parts_series_before_its_text(tmp_path: Path) -> None:
    import json

    import feedparser

    out = built(tmp_path, PARTS)
    atom = feedparser.parse((out / "feed.xml").read_bytes())
    assert not atom.bozo
    by_title = {e.title: e for e in atom.entries}
    mitte = by_title["Mitte"]
    series = [t for t in mitte.tags if t.get("scheme") == "https://example.org/reihen/"]
    assert [(t.term, t.label) for t in series] == [("unterwegs", "Unterwegs")]
    html = mitte.content[0].value
    assert html.index('<a href="https://example.org/reihen/unterwegs/">Reihe: Unterwegs</a>') < html.index("Text.")
    assert "Reihe:" not in by_title["Allein"].content[0].value
    assert not [t for t in by_title["Allein"].get("tags", []) if t.get("scheme")]
    items = {i["title"]: i for i in json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]}
    first = '<p><em><a href="https://example.org/reihen/unterwegs/">Reihe: Unterwegs</a></em></p>'
    assert items["Mitte"]["content_html"].lstrip().startswith(first)
    assert "Reihe:" not in items["Allein"]["content_html"]
