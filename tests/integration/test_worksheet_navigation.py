"""Finding one's way between essays and worksheets: lists mark essays with a worksheet, a worksheet page leads
back to its essay and on to its neighbours in the order of the worksheet index, which is the home page's."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.helpers import SITE_YML, essay, run
from tests.helpers import built as built_site

ESSAYS = {
    "a.md": essay("Alt", date="2026-01-01", prompts='["Warum?"]', tags="[Eins]"),
    "b.md": essay("Ohne Blatt", date="2026-01-02", tags="[Eins]"),
    "c.md": essay("Mitte", date="2026-01-03", prompts='["Wie?"]', tags="[Eins]"),
    "d.md": essay("Neu", date="2026-01-04", prompts='["Wann?"]'),
}


def built(root: Path, essays: dict[str, str] = ESSAYS, site_yml: str = SITE_YML) -> Path:
    return built_site(root, essays, site_yml)


def read(out: Path, path: str) -> str:
    return (out / path.strip("/") / "index.html").read_text(encoding="utf-8")


def essay_order(html: str) -> list[str]:
    """Return the essay addresses a list page's headings link to, top to bottom."""
    return re.findall(r'<h2><a href="(/[a-z-]+/)">', html)


def sheet_order(html: str) -> list[str]:
    """Return the essay addresses the worksheet index lists its sheets for, top to bottom."""
    return re.findall(r'<p class="meta">Arbeitsblatt zum Essay <a href="(/[a-z-]+/)">', html)


def pager(html: str) -> dict[str, tuple[str, str]]:
    """Return the worksheet pager's links: {"older"|"newer": (href, text)}."""
    match = re.search(r'<nav class="pager[^"]*" aria-label="Weitere Arbeitsblätter">(.*?)</nav>', html, flags=re.S)
    links = re.findall(r'<a class="(older|newer)" rel="\w+" href="([^"]+)"><span>[^<]+</span> ([^<]+)</a>', match.group(1)) if match else []
    return {kind: (href, text) for kind, href, text in links}


def marks(html: str) -> list[tuple[str, str]]:
    """Return each worksheet mark's link and its words for screen readers (sign hidden, title spelt out)."""
    found = re.findall(
        r'<a class="ws-mark" href="([^"]+)"><span class="ws-mark-sign" aria-hidden="true">✎</span> Arbeitsblatt'
        r'<span class="visually-hidden">: ([^<]+)</span></a>',
        html,
    )
    assert len(found) == html.count('class="ws-mark"'), "a mark without its words"
    return found


def test_the_worksheet_index_lists_sheets_in_the_home_pages_order(tmp_path: Path) -> None:
    out = built(tmp_path)
    home = [url for url in essay_order(read(out, "/")) if url != "/ohne-blatt/"]  # b has no worksheet
    assert home == ["/neu/", "/mitte/", "/alt/"]
    assert sheet_order(read(out, "/arbeitsblaetter/")) == home


def test_a_worksheet_page_leads_back_to_its_essay_and_on_to_its_neighbours(tmp_path: Path) -> None:
    out = built(tmp_path)
    middle = read(out, "/mitte/arbeitsblatt/")
    back = re.search(r'<p class="back-to-essay[^"]*"><a href="([^"]+)">(.*?)</a></p>', middle)
    assert back is not None and back.group(1) == "/mitte/"
    assert re.sub(r"<[^>]+>", "", back.group(2)) == "← Zurück zum Essay Mitte"
    assert middle.index('class="back-to-essay') < middle.index("<h1")  # before the sheet, not after it
    # Neighbours as the index lists them: an essay without a worksheet is skipped.
    assert pager(middle) == {"older": ("/alt/arbeitsblatt/", "Alt"), "newer": ("/neu/arbeitsblatt/", "Neu")}
    assert pager(read(out, "/neu/arbeitsblatt/")) == {"older": ("/mitte/arbeitsblatt/", "Mitte")}
    assert pager(read(out, "/alt/arbeitsblatt/")) == {"newer": ("/mitte/arbeitsblatt/", "Mitte")}


def test_a_lone_worksheet_has_no_pager(tmp_path: Path) -> None:
    out = built(tmp_path, {"a.md": ESSAYS["a.md"], "b.md": ESSAYS["b.md"]})
    assert 'aria-label="Weitere Arbeitsblätter"' not in read(out, "/alt/arbeitsblatt/")


def test_home_archive_and_tag_pages_mark_essays_with_a_worksheet(tmp_path: Path) -> None:
    out = built(tmp_path)
    expected = [("/neu/arbeitsblatt/", "Neu"), ("/mitte/arbeitsblatt/", "Mitte"), ("/alt/arbeitsblatt/", "Alt")]
    assert marks(read(out, "/")) == expected
    assert marks(read(out, "/archiv/")) == expected
    assert marks(read(out, "/themen/eins/")) == expected[1:]
    # The essay page itself needs no mark: its button leads to the worksheet.
    assert marks(read(out, "/mitte/")) == []


def test_english_sites_mark_and_navigate_in_english(tmp_path: Path) -> None:
    out = built(tmp_path, site_yml=SITE_YML.replace("language: de", "language: en"))
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<span class="ws-mark-sign" aria-hidden="true">✎</span> Worksheet<span class="visually-hidden">: Neu</span>' in home
    sheet = next(out.glob("mitte/*/index.html")).read_text(encoding="utf-8")
    assert 'aria-label="More worksheets"' in sheet and "<span>Older worksheet</span> Alt" in sheet
    assert "<summary>More actions</summary>" in sheet


def test_a_neighbours_new_title_or_draft_status_reaches_a_cached_build(tmp_path: Path) -> None:
    out = built(tmp_path)
    essays = tmp_path / "essays"
    # A new title at the same address, then a new address: the neighbour's page follows both.
    (essays / "a.md").write_text(essay("Ganz alt", date="2026-01-01", prompts='["Warum?"]', slug="alt"), encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    assert pager(read(out, "/mitte/arbeitsblatt/"))["older"] == ("/alt/arbeitsblatt/", "Ganz alt")
    (essays / "a.md").write_text(essay("Ganz alt", date="2026-01-01", prompts='["Warum?"]'), encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    assert pager(read(out, "/mitte/arbeitsblatt/"))["older"] == ("/ganz-alt/arbeitsblatt/", "Ganz alt")
    (essays / "d.md").write_text(essay("Neu", date="2026-01-04", prompts='["Wann?"]', draft="true"), encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    assert "newer" not in pager(read(out, "/mitte/arbeitsblatt/"))
    (essays / "e.md").write_text(essay("Neuer", date="2026-01-05", prompts='["Ob?"]'), encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    assert pager(read(out, "/mitte/arbeitsblatt/"))["newer"] == ("/neuer/arbeitsblatt/", "Neuer")
    clean = tmp_path / "clean"
    assert run("build", "-s", str(tmp_path), "-o", str(clean), "--no-cache").exit_code == 0
    for page in ("mitte/arbeitsblatt", "ganz-alt/arbeitsblatt", "neuer/arbeitsblatt", "arbeitsblaetter", ""):
        assert (clean / page / "index.html").read_bytes() == (out / page / "index.html").read_bytes(), page
    shutil.rmtree(clean)


def test_the_end_of_an_essay_comes_in_one_order(tmp_path: Path) -> None:
    out = built(tmp_path)
    html = read(out, "/mitte/")
    order = ['class="reflection"', 'class="worksheet-link"', 'class="essay-tags"', "</article>", 'class="reply"',
             'class="related"', 'class="pager"']
    places = [html.index(mark) for mark in order]
    assert places == sorted(places), [mark for mark, _ in sorted(zip(order, places, strict=True), key=lambda p: p[1])]
    # Every part after the text is named for screen readers: a heading each, the neighbours a labelled nav.
    for part in ("reflection", "reply", "related"):
        section = html[html.index(f'class="{part}"') :]
        assert re.match(r'class="[^"]+"[^>]*>\s*<h2[ >]', section), part
    assert '<h2 class="visually-hidden">Themen</h2>' in html
    assert '<nav class="pager" aria-label="Weitere Essays">' in html
