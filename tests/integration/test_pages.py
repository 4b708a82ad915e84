"""Standalone pages, menus and aliases: a whole website around the essays."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from tests.helpers import SITE_YML, essay, make_site, page_links, run, tree_digest

ESSAYS = {
    "eins.md": essay("Eins", date="2026-01-10", tags="[Ruhe]", prompts='["Was bleibt?"]'),
    "zwei.md": essay("Zwei", date="2026-02-10", body="Zum [Impressum](/impressum/)."),
}
IMPRESSUM = "---\ntitle: Impressum\ndescription: Wer hier schreibt.\nupdated: 2026-03-01\n---\n\nAngaben nach § 5 DDG.\n"
UEBER = '---\ntitle: Über mich\nprompts:\n  - "Was suchen Sie hier?"\n---\n\nIch schreibe [Essays](/).\n'
MENUS = """\
menu:
  - home
  - section: archive
    label: Alle Essays
  - page: ueber-mich
  - essay: eins
  - url: https://example.com/
    label: Anderswo
footer_menu:
  - impressum
  - pages/datenschutz.md
"""


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def site_with_pages(root: Path, site_yml: str = SITE_YML + MENUS) -> Path:
    make_site(root, ESSAYS, site_yml)
    write(root, "pages/impressum.md", IMPRESSUM)
    write(root, "pages/Über mich.md", UEBER)
    write(root, "pages/datenschutz.md", "---\ntitle: Datenschutzerklärung\n---\n\nKeine Cookies.\n")
    return root


def build(root: Path, *args: str) -> str:
    result = run("build", "-s", str(root), *args)
    assert result.exit_code == 0, result.output
    return result.output


def read(root: Path, rel: str) -> str:
    return (root / "_site" / rel).read_text(encoding="utf-8")


def nav(html: str, label: str) -> list[tuple[str, str, bool]]:
    """Return (href, text, current) of each link in the <nav> with aria-label `label`."""
    block = re.search(rf'<nav[^>]*aria-label="{label}">(.*?)</nav>', html, re.S)
    assert block, f"no navigation {label!r}"
    links = re.findall(r'<a href="([^"]*)"( aria-current="page")?>([^<]*)</a>', block.group(1))
    return [(href, text, bool(current)) for href, current, text in links]


def test_pages_render_with_their_template_and_stay_out_of_lists_and_feeds(tmp_path: Path) -> None:
    root = site_with_pages(tmp_path)
    build(root)
    page = read(root, "ueber-mich/index.html")  # the slug comes from the file name, transliterated
    assert "<h1>Über mich</h1>" in page and "Ich schreibe" in page and "Was suchen Sie hier?" in page
    assert 'class="standalone-page"' in page
    impressum = read(root, "impressum/index.html")
    assert "Stand: 1. März 2026" in impressum and '<meta name="description" content="Wer hier schreibt.">' in impressum
    for listing in ("index.html", "archiv/index.html", "themen/index.html", "themen/ruhe/index.html"):
        main = read(root, listing).split("<main")[1].split("</main>")[0]
        assert "/impressum/" not in main and "/ueber-mich/" not in main and "/datenschutz/" not in main
    essays = ["https://example.org/zwei/", "https://example.org/eins/"]
    assert [i["url"] for i in json.loads(read(root, "feed.json"))["items"]] == essays
    assert [e.link for e in feedparser.parse(read(root, "feed.xml")).entries] == essays
    assert "Über mich" not in read(root, "arbeitsblaetter/index.html").split("<footer")[0].split("</header>")[1]
    sitemap = read(root, "sitemap.xml")
    assert "<loc>https://example.org/ueber-mich/</loc>" in sitemap
    assert re.search(r"<loc>https://example.org/impressum/</loc>\s*<lastmod>2026-03-01</lastmod>", sitemap)


def test_menus_link_the_right_pages_and_mark_the_current_one(tmp_path: Path) -> None:
    root = site_with_pages(tmp_path)
    build(root)
    header = nav(read(root, "ueber-mich/index.html"), "Hauptnavigation")
    assert header == [
        ("/", "Essays", False),
        ("/archiv/", "Alle Essays", False),
        ("/ueber-mich/", "Über mich", True),
        ("/eins/", "Eins", False),
        ("https://example.com/", "Anderswo", False),
    ]
    assert [c for _, _, c in nav(read(root, "archiv/index.html"), "Hauptnavigation")] == [0, 1, 0, 0, 0]
    for rel in ("index.html", "eins/index.html", "eins/arbeitsblatt/index.html", "404.html", "themen/index.html"):
        footer = nav(read(root, rel), "Weitere Seiten")
        assert [(h, t) for h, t, _ in footer] == [("/impressum/", "Impressum"), ("/datenschutz/", "Datenschutzerklärung")]
    assert nav(read(root, "impressum/index.html"), "Weitere Seiten")[0][2] is True


def test_without_menu_the_header_is_as_before_and_there_is_no_footer_menu(tmp_path: Path) -> None:
    root = site_with_pages(tmp_path, SITE_YML)
    build(root)
    html = read(root, "index.html")
    assert [(h, t, c) for h, t, c in nav(html, "Hauptnavigation")] == [
        ("/", "Essays", True), ("/archiv/", "Archiv", False), ("/themen/", "Themen", False),
        ("/arbeitsblaetter/", "Arbeitsblätter", False),
    ]
    assert 'aria-label="Weitere Seiten"' not in html


def test_menus_and_redirects_under_a_base_path(tmp_path: Path) -> None:
    site_yml = SITE_YML.replace("https://example.org/", "https://example.org/journal/") + MENUS
    root = site_with_pages(tmp_path, site_yml)
    write(root, "essays/eins.md", essay("Eins", date="2026-01-10", aliases="[/alt/eins/, 'https://example.org/journal/erstes.html']"))
    build(root)
    assert ("/journal/impressum/", "Impressum", False) in nav(read(root, "index.html"), "Weitere Seiten")
    for rel in ("alt/eins/index.html", "erstes.html"):
        redirect = read(root, rel)
        assert '<meta http-equiv="refresh" content="0; url=/journal/eins/">' in redirect
        assert '<link rel="canonical" href="https://example.org/journal/eins/">' in redirect
        assert '<meta name="robots" content="noindex">' in redirect and 'href="/journal/eins/">Eins</a>' in redirect
    assert "alt/eins" not in read(root, "sitemap.xml") and "erstes.html" not in read(root, "sitemap.xml")
    assert "alt/eins" not in read(root, "index.html")


def test_a_moved_address_is_named_with_the_alias_that_keeps_it(tmp_path: Path) -> None:
    root = site_with_pages(tmp_path)
    build(root)
    write(root, "essays/eins.md", essay("Eins neu", date="2026-01-10"))
    output = build(root)
    assert (
        "essays/eins.md:2: warning: its address moved from /eins/ to /eins-neu/: links to the old one now end on the "
        "404 page; add 'aliases: [\"/eins/\"]' to its front matter to send them on"
    ) in output
    assert not (root / "_site/eins/index.html").exists()
    write(root, "essays/eins.md", essay("Eins neu", date="2026-01-10", aliases="[/eins/]"))
    output = build(root)
    assert "address moved" not in output  # the old address leads there again
    assert "url=/eins-neu/" in read(root, "eins/index.html")


def test_drafts_are_left_out_and_their_menu_entry_with_a_warning(tmp_path: Path) -> None:
    root = site_with_pages(tmp_path)
    write(root, "pages/Über mich.md", UEBER.replace("title:", "draft: true\ntitle:"))
    output = build(root)
    assert "site.yml:12: warning: 'menu' entry left out: pages/Über mich.md is a draft" in output
    assert not (root / "_site/ueber-mich").exists()
    assert "/ueber-mich/" not in read(root, "index.html")
    build(root, "--drafts", "-o", str(root / "drafts"))
    assert (root / "drafts/ueber-mich/index.html").is_file()


BAD_PAGES = [
    ("yaml", "pages/kaputt.md", "---\ntitle: [kaputt\n---\n", "pages/kaputt.md:2: YAML syntax error: the list opened"),
    ("title", "pages/kaputt.md", "---\ndescription: Ohne Titel\n---\n", "pages/kaputt.md:2: 'title' is missing"),
    ("slug", "pages/kaputt.md", "---\ntitle: X\nslug: ../etc\n---\n", "pages/kaputt.md:3: slug '../etc' is not allowed"),
    ("reserved", "pages/archiv.md", "---\ntitle: Archiv\n---\n", "pages/archiv.md:2: slug 'archiv' is reserved"),
    ("essay clash", "pages/eins.md", "---\ntitle: Eins\n---\n", "pages/eins.md:2: slug 'eins' is already used by essays/eins.md"),
    ("page clash", "pages/zwei/index.md", "---\ntitle: Z\nslug: impressum\n---\n", "slug 'impressum' is already used by pages/impressum.md"),
    ("alias clash", "pages/neu.md", "---\ntitle: Neu\naliases: [/zwei/]\n---\n", "pages/neu.md:3: alias '/zwei/' is the address of essays/zwei.md"),
    ("alias twice", "pages/neu.md", "---\ntitle: Neu\naliases: [/eins-alt/]\n---\n", "pages/neu.md:3: alias '/eins-alt/' is also an alias of essays/eins.md"),
    ("alias elsewhere", "pages/neu.md", "---\ntitle: Neu\naliases: ['https://other.example/x/']\n---\n", "pages/neu.md:3: alias 'https://other.example/x/' must be a path on this site"),
    ("static clash", "static/impressum/index.html", "<p>x</p>", "both want the file impressum/index.html"),
]


@pytest.mark.parametrize(("case", "name", "text", "expected"), BAD_PAGES, ids=[c[0] for c in BAD_PAGES])
def test_bad_pages_are_named_with_file_and_line_and_leave_the_output_alone(
    tmp_path: Path, case: str, name: str, text: str, expected: str
) -> None:
    root = site_with_pages(tmp_path)
    write(root, "essays/eins.md", essay("Eins", date="2026-01-10", aliases="[/eins-alt/]"))
    build(root)
    before = tree_digest(root / "_site")
    write(root, name, text)
    result = run("build", "-s", str(root))
    assert result.exit_code == 1 and expected in result.output, result.output
    assert "Traceback" not in result.output
    assert tree_digest(root / "_site") == before


BAD_MENUS = [
    ("no page", "menu:\n  - page: kontakt\n", "site.yml:9: 'menu' entry: there is no page 'kontakt' in pages/"),
    ("no name", "footer_menu:\n  - kontakt\n", "site.yml:9: 'footer_menu' entry: 'kontakt' is no section"),
    ("no essay", "menu:\n  - essay: drei\n", "site.yml:9: 'menu' entry: there is no essay 'drei'"),
    ("two things", "menu:\n  - page: impressum\n    essay: eins\n", "site.yml:9: 'menu' entry names two things"),
    ("section", "menu:\n  - section: blog\n", "site.yml:9: 'menu' entry: unknown section 'blog'"),
    ("url", "menu:\n  - url: javascript:alert(1)\n    label: X\n", "site.yml:9: 'menu' entry: url 'javascript:alert(1)' must be"),
    ("quote", "menu:\n  - url: 'https://example.com/?q=\"x\"'\n    label: X\n", "site.yml:9: 'menu' entry: url 'https://example.com/?q=\"x\"' holds '\"'"),
    ("label", "menu:\n  - url: https://example.com/\n", "site.yml:9: 'menu' entry: an address needs a 'label'"),
    ("key", "menu:\n  - page: impressum\n    titel: X\n", "site.yml:10: 'menu' entry: unknown key 'titel'"),
    ("not a list", "menu: home\n", "site.yml:8: 'menu' must be a list"),
]


@pytest.mark.parametrize(("case", "menu", "expected"), BAD_MENUS, ids=[c[0] for c in BAD_MENUS])
def test_bad_menu_entries_are_errors_at_their_line(tmp_path: Path, case: str, menu: str, expected: str) -> None:
    root = site_with_pages(tmp_path, SITE_YML)
    build(root)
    before = tree_digest(root / "_site")
    (root / "site.yml").write_text(SITE_YML + menu, encoding="utf-8")
    result = run("build", "-s", str(root))
    assert result.exit_code == 1 and expected in result.output, result.output
    assert tree_digest(root / "_site") == before


def test_page_errors_and_essay_errors_are_reported_together(tmp_path: Path) -> None:
    root = site_with_pages(tmp_path)
    write(root, "essays/kaputt.md", "---\ntitle: X\n---\n")
    write(root, "pages/kaputt.md", "---\ntitle: [\n---\n")
    result = run("build", "-s", str(root))
    assert result.exit_code == 1
    assert "essays/kaputt.md:2: 'date' is missing" in result.output and "pages/kaputt.md:3: YAML syntax error" in result.output


def test_check_follows_links_in_pages_and_redirect_loops(tmp_path: Path) -> None:
    root = site_with_pages(tmp_path)
    write(root, "pages/impressum.md", IMPRESSUM + "\nSiehe [Kontakt](/kontakt/).\n")
    write(root, "essays/eins.md", essay("Eins", date="2026-01-10", aliases="[/alt/]"))
    # A hand-made redirect in static/ that sends readers to the alias, which leads on: a chain.
    write(root, "static/ganz-alt/index.html", '<meta http-equiv="refresh" content="0; url=/alt/">')
    result = run("check", "-s", str(root), "--format", "grouped")
    assert "pages/impressum.md\n  9: broken link '/kontakt/': the site has no page /kontakt/" in result.output
    assert "warning: redirects in a chain: /ganz-alt/ → /alt/ → /eins/" in result.output
    write(root, "static/kreis/index.html", '<meta http-equiv="refresh" content="0; url=/kreis2/">')
    write(root, "static/kreis2/index.html", '<meta http-equiv="refresh" content="0; url=/kreis/">')
    result = run("check", "-s", str(root), "--format", "grouped")
    assert result.exit_code == 1
    assert "redirects in a loop: /kreis/ → /kreis2/ → /kreis/ (readers never arrive)" in result.output


def test_pages_folder_is_settable_and_protected(tmp_path: Path) -> None:
    root = make_site(tmp_path, ESSAYS, SITE_YML + "pages: seiten\nfooter_menu: [impressum]\n")
    write(root, "seiten/impressum.md", IMPRESSUM)
    build(root)
    assert (root / "_site/impressum/index.html").is_file()
    (root / "site.yml").write_text(SITE_YML + "pages: seiten\nstatic: seiten\n", encoding="utf-8")
    result = run("build", "-s", str(root))
    assert result.exit_code == 1 and "would publish the site's own files" in result.output


def test_new_page_makes_a_page_that_builds(tmp_path: Path) -> None:
    root = make_site(tmp_path, ESSAYS)
    result = run("new", "--page", "Über mich", "-s", str(root))
    assert result.exit_code == 0, result.output
    text = (root / "pages/ueber-mich.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Über mich"\n')
    assert run("new", "--page", "Über mich", "-s", str(root)).exit_code == 1  # never overwrites
    assert run("new", "--page", "Archiv", "-s", str(root)).exit_code == 1  # the archive's address
    build(root)
    assert "<h1>Über mich</h1>" in read(root, "ueber-mich/index.html")


def test_new_essay_writes_its_slug_so_a_new_title_keeps_the_address(tmp_path: Path) -> None:
    root = make_site(tmp_path, {})
    assert run("new", "Erster Gedanke", "-s", str(root)).exit_code == 0
    path = root / "essays/erster-gedanke.md"
    assert "\nslug: erster-gedanke " in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("Erster Gedanke", "Ein anderer Titel"), encoding="utf-8")
    build(root, "--drafts")
    assert (root / "_site/erster-gedanke/index.html").is_file()


def test_page_links_resolve_and_pages_build_the_same_bytes_twice(tmp_path: Path) -> None:
    root = site_with_pages(tmp_path)
    build(root, "-o", str(root / "a"))
    build(root, "-o", str(root / "b"))
    assert tree_digest(root / "a") == tree_digest(root / "b")
    html = (root / "a/ueber-mich/index.html").read_text(encoding="utf-8")
    assert "/impressum/" in page_links(html).refs
