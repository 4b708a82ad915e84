"""The worksheet on screen: the same frame as its essay, a polite word when answers are saved, the reverse
mark said where it stands, quiet placeholders for values not computed yet, and footers at the window's foot."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.test_site_browser import PAGE_TYPES, WIDTHS, visit

SOCIAL = "/der-abschied-aus-den-sozialen-medien/arbeitsblatt/"
P = "der-abschied-aus-den-sozialen-medien"


def frame(page: Page) -> list[float]:
    return list(page.evaluate(
        "['header.site-header', 'main', 'footer.site-footer'].map(s => {"
        " const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.width]; }).flat()"
    ))


@pytest.mark.parametrize("width", WIDTHS)
def test_essay_and_worksheet_share_one_frame(page: Page, server: str, width: int) -> None:
    visit(page, server, "/der-abschied-aus-den-sozialen-medien/", width)
    essay = frame(page)
    visit(page, server, SOCIAL, width)
    assert frame(page) == essay  # no sideways jump between an essay and its worksheet


def test_saving_is_said_politely_in_the_status_line(page: Page, server: str) -> None:
    visit(page, server, SOCIAL, 1280)
    status = page.locator(f"#blatt-{P} .ws-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == ""
    page.fill(f"#{P}-frage-1", "Eine Antwort.")
    assert status.inner_text() == "In diesem Browser gespeichert."
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"#blatt-{P} [data-action=clear]")
    assert status.inner_text() == ""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_reverse_mark_is_explained_where_it_appears(page: Page, server: str, width: int) -> None:
    visit(page, server, SOCIAL, width)
    marks = page.locator(f"#blatt-{P} legend .reverse-mark")
    assert marks.count() >= 1
    for mark in marks.all():
        assert mark.is_visible() and mark.inner_text() == "⟲ (umgekehrt gewertet)"
        assert mark.get_attribute("title") is None  # not hidden in a tooltip


def test_values_not_computed_yet_look_quiet_on_screen_and_blank_on_paper(page: Page, server: str) -> None:
    visit(page, server, SOCIAL, 1280)
    out = page.locator(f"#{P}-minuten_pro_woche")
    muted = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--muted').trim()")
    style = out.locator(".pending").evaluate("e => [getComputedStyle(e).fontStyle, getComputedStyle(e).color]")
    assert out.inner_text() == "noch nicht berechnet"
    assert style[0] == "italic"
    assert style[1] == page.evaluate(f"(() => {{ const e = document.createElement('i'); e.style.color = '{muted}';"
                                     " document.body.append(e); const c = getComputedStyle(e).color; e.remove(); return c; })()")
    page.emulate_media(media="print")
    # On paper an empty box to write the value in, like a number's (no line of underscores, no placeholder).
    assert out.inner_text() == "" and out.get_attribute("data-empty") is not None
    assert out.evaluate("e => getComputedStyle(e).borderBottomStyle") != "none"
    page.emulate_media(media="screen")
    page.fill(f"#{P}-netze", "2")
    page.fill(f"#{P}-minuten_pro_netz", "5")
    page.fill(f"#{P}-interaktion", "10")
    page.fill(f"#{P}-beitraege", "1")  # (2 × 5 + 10) × 1
    assert out.inner_text() == "20"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", ["404", "tags", "tag"])
def test_the_footer_of_a_short_page_sits_at_the_bottom_of_the_window(page: Page, server: str, kind: str, width: int) -> None:
    visit(page, server, PAGE_TYPES[kind], width)
    page.set_viewport_size({"width": width, "height": 1400})  # tall enough for each of these pages
    height = page.evaluate("window.innerHeight")
    assert page.evaluate("document.documentElement.scrollHeight") <= height, "the page scrolls"
    bottom = page.evaluate("document.querySelector('footer.site-footer').getBoundingClientRect().bottom")
    assert abs(bottom - height) <= 1, f"footer ends at {bottom} px in a {height} px window"
