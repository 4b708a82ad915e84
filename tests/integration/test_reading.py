"""Reading aids in the built pages: a table of contents where asked for, and the page language everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import SITE_YML, built, essay, make_site, run

SECTIONS = "Anfang.\n\n## Eins\n\nText.\n\n### Eins a\n\nText.\n\n## Zwei *betont*\n\nText.\n\n## Eins\n\nNoch einmal.\n"


def contents(html: str) -> list[tuple[str, str]]:
    """Return the (href, text) of each link in the page's table of contents."""
    match = re.search(r'<nav class="toc".*?</nav>', html, flags=re.S)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', match.group(0)) if match else []


def test_toc_true_lists_the_sections_and_links_to_their_headings(tmp_path: Path) -> None:
    out = built(tmp_path, {"a.md": essay("Lang", body=SECTIONS, toc="true")})
    html = (out / "lang" / "index.html").read_text(encoding="utf-8")
    links = contents(html)
    assert links == [("#eins", "Eins"), ("#eins-a", "Eins a"), ("#zwei-betont", "Zwei betont"), ("#eins-1", "Eins")]
    body = html.split('<div class="essay-body"', 1)[1]
    for href, _ in links:
        assert f'id="{href[1:]}"' in body, href  # every entry leads to a heading of the text
    assert re.search(r'<li><a href="#eins">Eins</a>\s*<ol>\s*<li><a href="#eins-a">', html)  # h3 under its h2


def test_the_site_default_counts_headings_and_an_essay_can_say_no(tmp_path: Path) -> None:
    essays = {
        "a.md": essay("Lang", body=SECTIONS),
        "b.md": essay("Kurz", body="Nur.\n\n## Ein Abschnitt\n\nText.\n"),
        "c.md": essay("Ohne", body=SECTIONS, toc="false"),
    }
    out = built(tmp_path, essays, SITE_YML + "toc_min_headings: 3\n")
    assert len(contents((out / "lang" / "index.html").read_text(encoding="utf-8"))) == 4
    assert contents((out / "kurz" / "index.html").read_text(encoding="utf-8")) == []
    assert contents((out / "ohne" / "index.html").read_text(encoding="utf-8")) == []


def test_without_settings_no_essay_has_a_table_of_contents(tmp_path: Path) -> None:
    out = built(tmp_path, {"a.md": essay("Lang", body=SECTIONS)})
    assert contents((out / "lang" / "index.html").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("where", "text", "expected"),
    [
        ("essays/a.md", essay("A", toc="vielleicht"), "essays/a.md:4: 'toc' must be true or false"),
        ("site.yml", SITE_YML + "toc_min_headings: -1\n", "site.yml:8: 'toc_min_headings' must be 0"),
    ],
)
def test_bad_toc_settings_are_errors_at_their_line(tmp_path: Path, where: str, text: str, expected: str) -> None:
    make_site(tmp_path, {"a.md": essay("A")})
    (tmp_path / where).write_text(text, encoding="utf-8")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1
    assert expected in result.output, result.output


def test_every_page_says_its_language(tmp_path: Path) -> None:
    out = built(tmp_path, {"a.md": essay("A", tags="[Eins]", prompts='["Warum?"]', aliases="[/alt/]")})
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        assert '<html lang="de">' in page.read_text(encoding="utf-8"), page


def related(html: str) -> list[str]:
    """Return the addresses the page's related essays link to."""
    match = re.search(r'<section class="related">.*?</section>', html, flags=re.S)
    return re.findall(r'<a href="([^"]+)">', match.group(0)) if match else []


def test_related_essays_follow_shared_tags_and_a_cached_build_keeps_up(tmp_path: Path) -> None:
    essays = {
        "a.md": essay("A", date="2026-01-10", tags="[Ruhe, Zeit]", prompts='["Warum?"]'),
        "b.md": essay("B", date="2026-01-01", tags="[Ruhe, Zeit]"),
        "c.md": essay("C", date="2026-01-09", tags="[Ruhe]"),
        "d.md": essay("D", date="2026-01-08", tags="[Garten]"),
    }
    out = built(tmp_path, essays)
    page = (out / "a" / "index.html").read_text(encoding="utf-8")
    assert related(page) == ["/b/", "/c/"]
    # After the questions and the tags that close the essay (the end's whole order: test_worksheet_navigation.py).
    assert page.index('class="reflection"') < page.index('class="essay-tags"') < page.index('class="related"')
    assert related((out / "d" / "index.html").read_text(encoding="utf-8")) == []
    # Another essay's tags change: the cached rebuild shows it, as a clean build would.
    (tmp_path / "essays" / "d.md").write_text(essay("D", date="2026-01-08", tags="[Ruhe, Zeit]"), encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    assert related((out / "a" / "index.html").read_text(encoding="utf-8")) == ["/d/", "/b/", "/c/"]
    clean = tmp_path / "clean"
    assert run("build", "-s", str(tmp_path), "-o", str(clean), "--no-cache").exit_code == 0
    assert (clean / "a" / "index.html").read_bytes() == (out / "a" / "index.html").read_bytes()


def test_headings_named_like_the_themes_parts_take_ids_of_their_own(tmp_path: Path) -> None:
    body = "## Inhalt\n\nText.\n\n## Fragen\n\nText.\n\n## Fragen\n\nNoch einmal.\n"
    out = built(tmp_path, {"a.md": essay("Teile", body=body, toc="true", prompts="['Was bleibt?']")})
    html = (out / "teile" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), ids  # the skip link and the questions keep their targets
    assert ids.count("inhalt") == 1 and '<main id="inhalt"' in html
    assert ids.count("fragen") == 1
    assert contents(html) == [("#inhalt-1", "Inhalt"), ("#fragen-1", "Fragen"), ("#fragen-1-1", "Fragen")]
