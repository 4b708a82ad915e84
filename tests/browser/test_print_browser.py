"""The browser's print of sheets and the booklet (Chromium, A4): what a reader holds on paper.

Every page numbered and headed with the site and essay, name and date on a sheet's first page, a box for the
total on a blank sheet, no page holding nothing but the footer, and as many pages as the author's sheets need.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

SITE = "Gedanken zur Reflexion"
BOOKLET = "/arbeitsblaetter/heft/"
# The author's sheets: essay title, and the pages each prints on, blank and filled in (answers of one line each).
SHEETS = {
    "der-abschied-aus-den-sozialen-medien": ("Der Abschied aus den sozialen Medien", 4, 4),
    "nur-ein-handschlag": ("Nur ein Handschlag", 4, 3),
    "ein-armband-im-krankenhaus": ("Ein Armband im Krankenhaus", 3, 3),
}
PAGE_NUMBER = re.compile(r"Seite (\d+) von (\d+)")

# A reader who answers everything: a line of text, 7 for each number, the first point of each scale and choice.
FILL = """() => {
  for (const t of document.querySelectorAll('form.worksheet textarea')) t.value = 'Meine Antwort in einer Zeile';
  for (const i of document.querySelectorAll('form.worksheet input.number')) i.value = '7';
  const chosen = new Set();
  for (const r of document.querySelectorAll('form.worksheet input[type=radio]')) {
    const group = r.form.dataset.worksheet + '/' + r.name;
    if (!chosen.has(group)) { chosen.add(group); r.checked = true; }
  }
  for (const f of document.querySelectorAll('form.worksheet')) f.dispatchEvent(new Event('input', {bubbles: true}));
}"""


def printed(page: Page, path: str, filled: bool) -> list[str]:
    """Open `path`, fill it in or not, print it as Chromium does to A4, and return each page's text."""
    page.goto(path)
    if filled:
        page.evaluate(FILL)
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    return [" ".join(p.extract_text().split()) for p in reader.pages]


def without_margins(text: str, essay: str, address: str) -> str:
    """Return a page's text without its running header and footer (and the address, also beside the QR code)."""
    for margin in (SITE, essay, address):
        text = text.replace(margin, "")
    return PAGE_NUMBER.sub("", text).strip()


def check_sheet_pages(pages: list[str], slug: str, first: int, total: int) -> None:
    """Check one sheet's pages: numbered, headed, name and date on its first page, each holding more than margins."""
    essay = SHEETS[slug][0]
    address = f"https://example.org/{slug}/"
    for number, text in enumerate(pages, start=first):
        assert f"Seite {number} von {total}" in text, (number, text[-200:])
        assert SITE in text and essay in text, (number, text[:200])
        assert address in text, number
        body = without_margins(text, essay, address)
        assert len(body) > 60, f"page {number} of {slug} holds only its margins: {text!r}"
    assert re.search(r"Name: .*Datum: .*Zum Essay:", pages[0]), pages[0][:400]
    assert not any("Name:" in text for text in pages[1:])


@pytest.mark.parametrize("filled", [False, True], ids=["blank", "filled"])
@pytest.mark.parametrize("slug", sorted(SHEETS))
def test_a_printed_sheet_has_numbered_pages_with_header_name_and_date(
    page: Page, server: str, slug: str, filled: bool
) -> None:
    page.goto(f"{server}/{slug}/arbeitsblatt/")
    questions = page.locator(".ws-prompt > label, .ws-field > label, .ws-field > legend").all_inner_texts()
    pages = printed(page, f"{server}/{slug}/arbeitsblatt/", filled)
    assert len(pages) == SHEETS[slug][2 if filled else 1], pages
    check_sheet_pages(pages, slug, 1, len(pages))
    # No question is split from itself across a page break.
    for question in questions:
        assert any(" ".join(question.split()) in text for text in pages), question
    text = " ".join(pages)
    assert "_____" not in text  # computed values print as boxes, not as a line of underscores


@pytest.mark.parametrize("filled", [False, True], ids=["blank", "filled"])
def test_a_blank_sheet_has_a_box_for_the_total_and_a_filled_one_the_readers_total(
    page: Page, server: str, filled: bool
) -> None:
    text = " ".join(printed(page, f"{server}/nur-ein-handschlag/arbeitsblatt/", filled))
    assert ("Ihre Summe: Punkte" in text) is not filled, text[-900:]
    # Five scales, each answered with its first point; one of them is reverse-scored (1 counts 5).
    assert ("9 Punkte – Raum für Begegnung" in text) is filled


@pytest.mark.parametrize("filled", [False, True], ids=["blank", "filled"])
def test_the_printed_booklet_has_a_contents_cover_and_each_sheet_on_pages_of_its_own(
    page: Page, server: str, filled: bool
) -> None:
    pages = printed(page, server + BOOKLET, filled)
    cover, sheets = pages[0], pages[1:]
    order = ["der-abschied-aus-den-sozialen-medien", "nur-ein-handschlag", "ein-armband-im-krankenhaus"]
    counts = [SHEETS[slug][2 if filled else 1] for slug in order]
    assert len(pages) == 1 + sum(counts), [p[:80] for p in pages]
    titles = "1. Was kosten mich soziale Medien? 2. Wie begrüße ich Menschen? 3. Wie gut kenne ich die Menschen"
    assert "Inhalt " + titles in cover, cover
    assert not PAGE_NUMBER.search(cover) and SITE in cover  # a cover without header or page number
    first = 2
    for slug, count in zip(order, counts, strict=True):
        check_sheet_pages(sheets[first - 2 : first - 2 + count], slug, first, len(pages))
        first += count
