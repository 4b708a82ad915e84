"""Readers fill in worksheets in a real Chromium: storage, live values, files, print, privacy, a11y."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

SOCIAL = "/der-abschied-aus-den-sozialen-medien/arbeitsblatt/"
HANDSHAKE = "/nur-ein-handschlag/arbeitsblatt/"
BOOKLET = "/arbeitsblaetter/heft/"
P = "der-abschied-aus-den-sozialen-medien"


def fill_social(page: Page) -> None:
    page.fill(f"#{P}-frage-1", "Vieles brauche ich nicht.\nZweite Zeile.")
    page.fill(f"#{P}-frage-2", "Eine Zeile wie eine Marke:\n  <!-- ssg:verzicht -->\nund weiter.")
    page.fill(f"#{P}-netze", "18")
    page.fill(f"#{P}-minuten_pro_netz", "5")
    page.fill(f"#{P}-beitraege", "7")
    page.fill(f"#{P}-interaktion", "30")
    for field, value in [("erreichbar", 5), ("unterbrechen", 4), ("likes", 3), ("kontakte", 2), ("geplant", 1)]:
        page.check(f"#{P}-{field}-{value}")
    page.check(f"#{P}-kanal-1")
    page.check(f"#{P}-kanal-3")
    page.fill(f"#{P}-verzicht", "Auf die meisten Netzwerke.")


def save_answers(page: Page, path: Path) -> Path:
    """Click the sheet's save button and keep the downloaded file at `path`."""
    with page.expect_download() as info:
        page.click(f"#blatt-{P} [data-action=save]")
    info.value.save_as(path)
    return path


def output_text(page: Page, field: str) -> str:
    return page.locator(f"#{P}-{field}").inner_text()


def test_answers_survive_a_reload(page: Page, server: str) -> None:
    page.goto(server + SOCIAL)
    fill_social(page)
    page.reload()
    assert page.input_value(f"#{P}-frage-1") == "Vieles brauche ich nicht.\nZweite Zeile."
    assert page.input_value(f"#{P}-netze") == "18"
    assert page.is_checked(f"#{P}-erreichbar-5") and page.is_checked(f"#{P}-geplant-1")
    assert page.is_checked(f"#{P}-kanal-1") and page.is_checked(f"#{P}-kanal-3")
    assert not page.is_checked(f"#{P}-kanal-2")
    assert page.input_value(f"#{P}-verzicht") == "Auf die meisten Netzwerke."


def test_computed_values_and_score_band_update_live(page: Page, server: str) -> None:
    page.goto(server + SOCIAL)
    assert output_text(page, "minuten_pro_woche") == "noch nicht berechnet"  # quiet, not a line to fill in
    fill_social(page)
    # (18 * 5 + 30) * 7 = 840 minutes a week; 840 * 52 / 60 = 728 hours a year.
    assert output_text(page, "minuten_pro_beitrag") == "120"
    assert output_text(page, "minuten_pro_woche") == "840"
    assert output_text(page, "stunden_pro_jahr") == "728"
    # 5 + 4 + 3 + 2 + reverse(1 -> 5) = 19: the top band.
    total = page.locator(f"#blatt-{P} [data-score-total]").inner_text()
    assert total.startswith("19")
    band = page.locator(f"#blatt-{P} .band.current .band-title").inner_text()
    assert band == "Viel Raum für Entlastung"
    # Screen readers hear total and band together, from one live region; computed values stay quiet.
    live = page.locator(f"#blatt-{P} [role=status][aria-atomic=true]")
    assert normalized(live.inner_text()) == "19 Punkte – Viel Raum für Entlastung"
    assert page.locator(f"#blatt-{P} output[data-computed][aria-live=off]").count() == 4
    page.check(f"#{P}-geplant-5")
    assert page.locator(f"#blatt-{P} [data-score-total]").inner_text().startswith("15")
    assert page.locator(f"#blatt-{P} .band.current .band-title").inner_text() == "Teils bewusst, teils Gewohnheit"


def test_markdown_file_holds_every_answer_and_loads_back(page: Page, server: str, tmp_path: Path) -> None:
    page.goto(server + SOCIAL)
    fill_social(page)
    path = save_answers(page, tmp_path / "antworten.md")
    text = path.read_text(encoding="utf-8")
    data = page.evaluate(f"JSON.parse(document.querySelector('#blatt-{P} script.ws-data').textContent).sheet")
    assert len(data["prompts"]) >= 4 and len(data["fields"]) >= 10
    for prompt in data["prompts"]:
        assert f"{prompt['text']}\n" in text, prompt
    for field in data["fields"]:
        assert f"### {field['label']}\n" in text, field
    for answer in [
        "Vieles brauche ich nicht.",
        "18 Netzwerke",
        "- Telefon jederzeit\n- E-Mail\n",
        "728 Stunden",
        "Auf die meisten Netzwerke.",
    ]:
        assert answer in text, answer
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"#blatt-{P} [data-action=clear]")
    assert page.input_value(f"#{P}-netze") == ""
    page.set_input_files(f"#blatt-{P} input[type=file]", str(path))
    page.wait_for_function(f"document.querySelector('#{P}-netze').value === '18'")
    assert page.input_value(f"#{P}-frage-1") == "Vieles brauche ich nicht.\nZweite Zeile."
    assert page.is_checked(f"#{P}-kanal-3") and page.is_checked(f"#{P}-erreichbar-5")
    assert page.input_value(f"#{P}-frage-2") == "Eine Zeile wie eine Marke:\n  <!-- ssg:verzicht -->\nund weiter."
    page.reload()
    assert page.input_value(f"#{P}-verzicht") == "Auf die meisten Netzwerke."


def test_clear_empties_storage_after_confirmation(page: Page, server: str) -> None:
    page.goto(server + SOCIAL)
    fill_social(page)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('ssg:')).length") == 1
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click(f"#blatt-{P} [data-action=clear]")
    assert page.input_value(f"#{P}-netze") == "18"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"#blatt-{P} [data-action=clear]")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('ssg:')).length") == 0
    page.reload()
    assert page.input_value(f"#{P}-netze") == ""
    assert not page.is_checked(f"#{P}-erreichbar-5")


def test_page_works_without_javascript(browser: Browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + SOCIAL)
    page.fill(f"#{P}-netze", "3")
    page.check(f"#{P}-likes-4")
    assert page.is_checked(f"#{P}-likes-4")
    assert page.locator(".ws-tools").is_hidden()
    first_prompt = normalized(page.locator(".ws-prompt label").first.inner_text())
    assert first_prompt in " ".join(pdf_text(page))
    assert "Ohne JavaScript speichert diese Seite Ihre Antworten nicht" in page.locator("main").inner_text()
    # Submitting (Enter in a sheet's only number field does) must not send the answers anywhere.
    page.fill(f"#{P}-frage-1", "Mein Tagebuch")
    page.locator(f"#blatt-{P} form").evaluate("form => form.requestSubmit()")
    page.wait_for_timeout(300)
    assert page.url == server + SOCIAL
    context.close()


def pdf_text(page: Page) -> list[str]:
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    page.emulate_media(media="screen")
    return [" ".join(p.extract_text().split()) for p in reader.pages]


def normalized(text: str) -> str:
    return " ".join(text.split())


def test_worksheet_pdf_holds_every_question(page: Page, server: str) -> None:
    page.goto(server + HANDSHAKE)
    prompts = page.locator(".ws-prompt label").all_inner_texts()
    legends = page.locator(".ws-scale legend").all_inner_texts()
    text = " ".join(pdf_text(page))
    for question in prompts + legends:
        assert normalized(question) in text, question
    assert "Auswertung" in text or "Ihr Ergebnis" in text
    assert "https://example.org/nur-ein-handschlag/" in text


def test_booklet_pdf_starts_each_worksheet_on_a_new_page(page: Page, server: str) -> None:
    page.goto(server + BOOKLET)
    titles = [normalized(t) for t in page.locator("article.sheet h1[id$='-titel']").all_inner_texts()]
    assert len(titles) == 3
    pages = pdf_text(page)
    starts = []
    for title in titles:
        index = next(i for i, text in enumerate(pages) if i > 0 and title in text)  # the cover lists them all
        starts.append(index)
        assert "Arbeitsblatt zum Essay" in pages[index][:200], f"{title} does not start its page"
    assert starts == sorted(set(starts)), starts
    for question in page.locator(".ws-prompt label").all_inner_texts():
        assert normalized(question) in " ".join(pages)


def test_typed_answers_appear_in_print_and_blank_print_hides_them(page: Page, server: str) -> None:
    page.goto(server + SOCIAL)
    assert "19 Punkte" not in " ".join(pdf_text(page))
    fill_social(page)
    printed = " ".join(pdf_text(page))
    assert "Auf die meisten Netzwerke." in printed
    assert "19 Punkte – Viel Raum für Entlastung" in printed  # the reader's total goes on paper, too
    page.evaluate(f"window.print = () => {{ window.__printed = document.querySelector('#{P}-verzicht').value; }}")
    page.click(f"#blatt-{P} [data-action=print-blank]")
    assert page.evaluate("window.__printed") == ""
    assert page.input_value(f"#{P}-verzicht") == "Auf die meisten Netzwerke."


@pytest.mark.parametrize("path", ["/", "/nur-ein-handschlag/", SOCIAL, BOOKLET, "/arbeitsblaetter/"])
def test_no_request_leaves_the_site(page: Page, server: str, path: str) -> None:
    origin = urlsplit(server).netloc
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert seen, "no request was recorded"
    foreign = [u for u in seen if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != origin]
    assert foreign == []


@pytest.mark.parametrize("path", ["/", "/nur-ein-handschlag/", SOCIAL, BOOKLET])
def test_no_serious_accessibility_violations(page: Page, server: str, path: str) -> None:
    page.goto(server + path)
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def test_a_file_from_another_worksheet_is_refused_and_answers_are_replaced_only_when_asked(
    page: Page, server: str, tmp_path: Path
) -> None:
    page.goto(server + SOCIAL)
    fill_social(page)
    path = save_answers(page, tmp_path / "social.md")
    handshake = "nur-ein-handschlag"
    page.goto(server + HANDSHAKE)
    page.fill(f"#{handshake}-frage-2", "Meine Antwort")
    page.set_input_files(f"#blatt-{handshake} input[type=file]", str(path))
    status = page.locator(f"#blatt-{handshake} .ws-status")
    page.wait_for_function(f"document.querySelector('#blatt-{handshake} .ws-status').textContent.length > 0")
    assert "anderen Arbeitsblatt" in status.inner_text() and P in status.inner_text()
    assert page.input_value(f"#{handshake}-frage-2") == "Meine Antwort"
    assert page.input_value(f"#{handshake}-frage-1") == ""
    # Its own file replaces answers only after a yes; choosing the same file again is noticed.
    page.goto(server + SOCIAL)
    page.fill(f"#{P}-netze", "99")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.set_input_files(f"#blatt-{P} input[type=file]", str(path))
    page.wait_for_timeout(300)
    assert page.input_value(f"#{P}-netze") == "99"
    page.once("dialog", lambda dialog: dialog.accept())
    page.set_input_files(f"#blatt-{P} input[type=file]", str(path))
    page.wait_for_function(f"document.querySelector('#{P}-netze').value === '18'")


def test_two_tabs_of_one_sheet_keep_each_others_answers(browser: Browser, server: str) -> None:
    context = browser.new_context()
    single, booklet = context.new_page(), context.new_page()
    single.goto(server + SOCIAL)
    booklet.goto(server + BOOKLET)
    booklet.fill(f"#{P}-frage-2", "Im Heft geschrieben")
    single.wait_for_function(f"document.querySelector('#{P}-frage-2').value === 'Im Heft geschrieben'")
    single.fill(f"#{P}-frage-1", "Auf der Seite geschrieben")
    booklet.wait_for_function(f"document.querySelector('#{P}-frage-1').value === 'Auf der Seite geschrieben'")
    booklet.reload()
    assert booklet.input_value(f"#{P}-frage-2") == "Im Heft geschrieben"
    assert booklet.input_value(f"#{P}-frage-1") == "Auf der Seite geschrieben"
    context.close()


def test_a_decimal_comma_counts_and_numbers_out_of_range_are_marked_not_used(browser: Browser, server: str) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(server + HANDSHAKE)
    field, other = "#nur-ein-handschlag-menschen", "#nur-ein-handschlag-minuten"
    page.click(field)
    page.keyboard.type("3,5")  # typed, as a reader does: a number input dropped the comma (35)
    page.click(other)
    page.keyboard.type("7")
    assert page.input_value(field) == "3,5"
    assert page.locator("#nur-ein-handschlag-sekunden_pro_person").inner_text() == "120,0"  # 7 * 60 / 3.5
    page.fill(field, "-5")  # the sheet asks for 1 to 1000
    assert page.get_attribute(field, "aria-invalid") == "true"
    assert page.locator("#nur-ein-handschlag-sekunden_pro_person").inner_text() == "noch nicht berechnet"
    page.fill(field, "4")
    assert page.get_attribute(field, "aria-invalid") is None
    context.close()


def test_a_sheets_own_print_buttons_in_the_booklet_print_that_sheet_alone(page: Page, server: str) -> None:
    page.goto(server + BOOKLET)
    page.fill(f"#{P}-frage-1", "Meine Antwort")
    page.fill("#nur-ein-handschlag-frage-1", "Andere Antwort")
    # What the page looks like at the moment print is called.
    page.evaluate(
        "window.print = () => { window.__one = document.body.classList.contains('print-one');"
        " window.__target = Array.from(document.querySelectorAll('article.print-target')).map(a => a.id);"
        " window.__answers = Array.from(document.querySelectorAll('textarea')).map(t => t.value).filter(Boolean); }"
    )
    page.click("#blatt-nur-ein-handschlag [data-action=print-blank]")
    assert page.evaluate("window.__one") and page.evaluate("window.__target") == ["blatt-nur-ein-handschlag"]
    assert "Andere Antwort" not in page.evaluate("window.__answers")
    page.click(f"#blatt-{P} [data-action=print]")
    assert page.evaluate("window.__target") == [f"blatt-{P}"]
    assert page.input_value("#nur-ein-handschlag-frage-1") == "Andere Antwort"
    assert "print-one" not in (page.get_attribute("body", "class") or "")
    # And on paper, with those marks, only that sheet shows: no cover, no other sheet.
    page.evaluate(f"document.body.classList.add('print-one'); document.querySelector('#blatt-{P}').classList.add('print-target')")
    page.emulate_media(media="print")
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('article.sheet, .booklet-cover'))"
        ".filter(e => getComputedStyle(e).display !== 'none').map(e => e.id || e.className)"
    )
    assert shown == [f"blatt-{P}"]
    page.emulate_media(media="screen")


def test_pages_ask_for_nothing_the_site_lacks(page: Page, server: str) -> None:
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    for path in ("/", SOCIAL):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    assert failed == []
    # Browsers ask for /favicon.ico unless a page names its icon (headless Chromium does not ask at all).
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon and page.request.get(server + icon).status == 200


def test_the_focus_ring_of_a_chosen_scale_circle_stands_apart_from_its_fill(page: Page, server: str) -> None:
    page.goto(server + SOCIAL)
    page.check(f"#{P}-likes-3")
    page.focus(f"#{P}-likes-3")
    page.keyboard.press("ArrowRight")  # keyboard focus: focus-visible, and the next circle is chosen
    style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                          " return [document.activeElement.id, s.outlineOffset, s.boxShadow]; })()")
    assert style[0] == f"{P}-likes-4" and style[1] == "3px" and "0px 0px 0px 2px" in style[2], style
