"""PDF handouts as a coach hands them out: every text of the sheet in them, pages as expected, fonts embedded,
the same bytes on every build, hostile texts printed as themselves, and a first page whose QR code leads to
the essay."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image

from ssg.content.typography import smart_quotes
from tests.helpers import essay, make_site, run, tree_digest
from tests.quality.conftest import WORKSHEET, require

SITE = """\
title: Werkstatt Journal
base_url: https://example.org/journal/
language: de
booklet_size: 2
"""

HOSTILE_TITLE = '#read("/etc/passwd") und #include "worksheet.typ"'
HOSTILE_PROMPT = '$ # @ * _ <x> [Link](x) \\ #let x = 1 #eval("1+1")'
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenhalterungsvorrichtungsprüfungsverordnung"
RTL = ("שלום", "עולם", "مرحبا", "بالعالم")
HOSTILE = f"""\
prompts:
  - text: '{HOSTILE_PROMPT}'
    hint: "שלום עולם · مرحبا بالعالم 🙂🎉 Ende"
worksheet:
  title: '{LONG_WORD} #image("/etc/hostname")'
  intro: '**fett** #strong[nicht] $a^2$ \\<label> // #read'
  fields:
    - id: a
      type: scale
      label: '#{{panic("boom")}}'
      left: '#lorem(5)'
      right: ']) #read("x")'
      reverse: true
    - id: b
      type: choice
      label: Wahl
      options: ['#pagebreak()', '<b>fett</b>']
  score:
    label: '@ref #set page(fill: red)'
    sum: [a]
    bands:
      - range: [1, 3]
        title: '#box[x]'
        text: 'Band `#read("/etc/passwd")`'
      - range: [4, 5]
        title: '=Überschrift'
"""

SHEETS = {
    "voll.md": ("voll", essay("Ein volles Blatt", date="2026-01-10", slug="voll"), WORKSHEET),
    "fragen.md": ("fragen", essay("Nur Fragen", date="2026-01-11", slug="fragen"), 'prompts:\n  - Was brauche ich NICHT?\n  - text: Wofür nehme ich mir Zeit?\n    hint: Ein Satz genügt.\n'),
    "boese.md": ("boese", essay(HOSTILE_TITLE, date="2026-01-12", slug="boese"), HOSTILE),
}


def _site(root: Path) -> Path:
    essays = {name: text.replace("---\n\n", front + "---\n\n", 1) for name, (_slug, text, front) in SHEETS.items()}
    return make_site(root, essays, SITE)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _site(tmp_path_factory.mktemp("handouts"))
    result = run("build", "-s", str(root), "-q")
    assert result.exit_code == 0, result.output
    return root / "_site"


def sheet_pdf(out: Path, slug: str) -> Path:
    return out / slug / "arbeitsblatt" / f"{slug}-arbeitsblatt.pdf"


def pages_text(path: Path) -> list[str]:
    """Return each page's text, with words hyphenated at line ends joined again."""
    texts = [page.extract_text() for page in pypdf.PdfReader(path).pages]
    return [re.sub(r"[\u00ad-]\n", "", text) for text in texts]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_handout_holds_every_question_label_anchor_band_and_the_address(built: Path) -> None:
    text = flat(" ".join(pages_text(sheet_pdf(built, "voll"))))
    expected = [
        "Werkstatt Journal", "Ein volles Blatt", "Name:", "Datum:", "Selbsteinschätzung", "Bitte ehrlich ausfüllen",
        "Wie viele Stunden pro Woche?", "Stunden", "Stunden pro Jahr", "B = A × 52", "Ich finde Ruhe.", "nie", "immer",
        "Wie erreicht man mich?", "Brief", "E-Mail", "Besuch", "Mehrere Antworten möglich", "Was nehme ich mit?",
        "Ergebnis", "Ihre Summe", "1–2 Punkte", "Unruhig", "Zeit für eine Pause.", "3–5 Punkte", "Gelassen",
        "Weiter so.", "https://example.org/journal/voll/", "Zum Essay",
    ]
    missing = [item for item in expected if item not in text]
    assert not missing, missing
    questions = flat(" ".join(pages_text(sheet_pdf(built, "fragen"))))
    for item in ("Fragen zur Reflexion", "1. Was brauche ich NICHT?", "2. Wofür nehme ich mir Zeit?", "Ein Satz genügt."):
        assert item in questions


def test_every_page_has_the_header_and_a_page_number_and_more_than_the_footer(built: Path) -> None:
    for slug in ("voll", "fragen", "boese"):
        pages = pages_text(sheet_pdf(built, slug))
        for number, text in enumerate(pages, 1):
            assert text.startswith("Werkstatt Journal"), (slug, number, text[:80])
            assert f"Seite {number} von {len(pages)}" in text
            body = [line for line in text.splitlines()[1:] if "example.org/journal/" not in line and "Zum Essay" not in line]
            assert any(line.strip() for line in body), (slug, number, text)


def test_handouts_have_the_pages_expected_and_booklets_start_each_sheet_on_an_odd_page(built: Path) -> None:
    counts = {slug: len(pypdf.PdfReader(sheet_pdf(built, slug)).pages) for slug in ("voll", "fragen", "boese")}
    assert counts["fragen"] == 1  # two questions fit on one page with the name and date fields
    assert 1 <= counts["voll"] <= 2
    # booklet_size 2: part 1 holds the two oldest sheets, part 2 the third. A cover, then each sheet on an odd page.
    first = built / "arbeitsblaetter" / "heft" / "arbeitsblaetter-heft.pdf"
    second = built / "arbeitsblaetter" / "heft" / "2" / "arbeitsblaetter-heft-2.pdf"
    pages = pages_text(first)
    starts = 3
    expected = 2 + counts["voll"] + (counts["voll"] % 2) + counts["fragen"]
    assert len(pages) == expected
    assert "Ein volles Blatt" in pages[starts - 1] and "Name:" in pages[starts - 1]
    later = starts + counts["voll"] + counts["voll"] % 2
    assert later % 2 == 1 and "Nur Fragen" in pages[later - 1] and "Name:" in pages[later - 1]
    cover = flat(pages[0])
    assert "Heft mit allen Arbeitsblättern" in cover and "Teil 1 von 2" in cover and "Inhalt" in cover
    assert re.search(rf"Ein volles Blatt\W*{starts}\b", cover), cover
    assert re.search(rf"Nur Fragen\W*{later}\b", cover), cover
    assert not pages[1].strip()  # the back of the cover stays blank: no lone header or footer
    assert len(pypdf.PdfReader(second).pages) == 2 + counts["boese"]


def _fonts(resources: object) -> list[object]:
    """Return the fonts of a page's resources and of the pages placed on it (a booklet's handout pages)."""
    resources = resources.get_object() if resources is not None else {}  # type: ignore[attr-defined]
    fonts = [font.get_object() for font in resources.get("/Font", {}).values()]
    for placed in resources.get("/XObject", {}).values():
        placed = placed.get_object()
        if placed.get("/Subtype") == "/Form":
            fonts += _fonts(placed.get("/Resources"))
    return fonts


def test_fonts_are_embedded(built: Path) -> None:
    for path in sorted(built.rglob("*.pdf")):
        fonts = 0
        for page in pypdf.PdfReader(path).pages:
            for font in _fonts(page.get("/Resources")):
                descendants = font.get("/DescendantFonts")
                inner = descendants[0].get_object() if descendants else font
                descriptor = inner["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (path, font)
                fonts += 1
        assert fonts, path


def test_emoji_are_set_in_the_emoji_font_only_where_a_sheet_has_them(built: Path) -> None:
    def font_names(path: Path) -> set[str]:
        return {str(font.get_object()["/BaseFont"]).split("+")[-1] for page in pypdf.PdfReader(path).pages
                for font in page["/Resources"].get("/Font", {}).values()}
    assert any(name.startswith("NotoEmoji") for name in font_names(sheet_pdf(built, "boese")))
    assert not any(name.startswith("NotoEmoji") for name in font_names(sheet_pdf(built, "voll")))


def test_a_booklet_holds_each_handout_as_it_is_with_the_booklet_page_number(built: Path) -> None:
    handout = pages_text(sheet_pdf(built, "voll"))
    booklet = pages_text(built / "arbeitsblaetter" / "heft" / "arbeitsblaetter-heft.pdf")
    for number, text in enumerate(handout, 1):
        page = booklet[2 + number - 1]  # the sheet starts on page 3
        assert f"Seite {number} von {len(handout)}" in page
        assert flat(text) in flat(page)  # every word of the handout's page, in its order
        assert page.split()[-1] == str(2 + number), page  # the booklet's own page number, drawn over the handout


def test_two_builds_make_the_same_bytes(built: Path, tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert run("build", "-s", str(root), "-q", "-j", "1").exit_code == 0
    ours = {k: v for k, v in tree_digest(root / "_site").items() if k.endswith(".pdf")}
    assert len(ours) == 5
    assert ours == {k: v for k, v in tree_digest(built).items() if k.endswith(".pdf")}


def test_hostile_texts_print_as_themselves_and_no_file_is_read(built: Path) -> None:
    pages = pages_text(sheet_pdf(built, "boese"))
    text = flat(" ".join(pages))
    literal = [
        smart_quotes(HOSTILE_TITLE, "de"), HOSTILE_PROMPT,  # titles get the language's quotes, as on the page f'{LONG_WORD} #image("/etc/hostname")',
        "fett #strong[nicht] $a^2$ <label> // #read", '#{panic("boom")}', "#lorem(5)", ']) #read("x")', "#pagebreak()",
        "<b>fett</b>", "@ref #set page(fill: red)", "#box[x]", 'Band #read("/etc/passwd")', "=Überschrift", "Ende",
    ]
    missing = [item for item in literal if item not in text]
    assert not missing, missing
    assert all(word in text for word in RTL)
    assert "🙂🎉 Ende" in text  # emoji print as emoji (Noto Emoji), not as gaps
    passwd = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    assert passwd not in text and "root:" not in text
    assert "sys.inputs" not in text  # the template did not include itself
    assert len(pages) <= 2  # '#pagebreak()' broke no page


def test_the_first_page_shows_a_qr_code_leading_to_the_essay(built: Path, tmp_path: Path) -> None:
    pdftoppm = require("pdftoppm")
    for slug in ("voll", "fragen", "boese"):
        prefix = tmp_path / slug
        subprocess.run([pdftoppm, "-r", "150", "-f", "1", "-l", "1", "-png", sheet_pdf(built, slug), prefix], check=True)
        (png,) = tmp_path.glob(f"{slug}*.png")
        image = Image.open(png).convert("L")
        dark = sum(image.histogram()[:128])
        assert dark > 5000, f"{slug}: the first page is (almost) blank"  # a blank page has none
        codes = zxingcpp.read_barcodes(image)
        assert [c.text for c in codes] == [f"https://example.org/journal/{slug}/"]


def test_pages_link_to_their_pdfs_with_the_size_of_the_file(built: Path) -> None:
    sheet = (built / "voll" / "arbeitsblatt" / "index.html").read_text(encoding="utf-8")
    size = sheet_pdf(built, "voll").stat().st_size
    link = re.search(r'<a class="pdf-link" href="([^"]+)"[^>]*>([^<]+)</a> <span class="pdf-size">\(([^)]+)\)', sheet)
    assert link is not None
    assert link.group(1) == "/journal/voll/arbeitsblatt/voll-arbeitsblatt.pdf"
    assert link.group(2) == "Als PDF herunterladen" and link.group(3) == f"PDF, {round(size / 1024)} KB"
    index = (built / "arbeitsblaetter" / "index.html").read_text(encoding="utf-8")
    for slug in ("voll", "fragen", "boese"):
        kb = round(sheet_pdf(built, slug).stat().st_size / 1024)
        assert f'href="/journal/{slug}/arbeitsblatt/{slug}-arbeitsblatt.pdf"' in index and f"(PDF, {kb} KB)" in index
    booklet = (built / "arbeitsblaetter" / "heft" / "2" / "index.html").read_text(encoding="utf-8")
    kb = round((built / "arbeitsblaetter" / "heft" / "2" / "arbeitsblaetter-heft-2.pdf").stat().st_size / 1024)
    assert 'href="/journal/arbeitsblaetter/heft/2/arbeitsblaetter-heft-2.pdf"' in booklet
    assert f"Heft als PDF herunterladen</a> <span class=\"pdf-size\">(PDF, {kb} KB)" in booklet
