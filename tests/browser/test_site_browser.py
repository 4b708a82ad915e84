"""The author's whole site in Chromium: every page type carries the legal pages' links, the menu works by keyboard."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WIDTHS = [390, 1280]
PAGE_TYPES = {
    "home": "/",
    "essay": "/nur-ein-handschlag/",
    "worksheet": "/der-abschied-aus-den-sozialen-medien/arbeitsblatt/",
    "booklet": "/arbeitsblaetter/heft/",
    "worksheet index": "/arbeitsblaetter/",
    "archive": "/archiv/",
    "tags": "/themen/",
    "tag": "/themen/humor/",
    "page": "/impressum/",
    "404": "/gibt-es-nicht/",
}


def visit(page: Page, server: str, path: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(server + (path if path != "/gibt-es-nicht/" else "/404.html"))
    assert response is not None and response.ok, path


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_every_page_type_links_impressum_and_datenschutz_visibly(
    page: Page, server: str, kind: str, width: int, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    visit(page, server, PAGE_TYPES[kind], width)
    footer = page.locator("footer.site-footer nav.footer-menu")
    for name, url in (("Impressum", "/impressum/"), ("Datenschutzerklärung", "/datenschutz/")):
        link = footer.get_by_role("link", name=name, exact=True)
        assert link.is_visible(), f"{kind}: no visible link to {name}"
        assert link.get_attribute("href") == url
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{kind}: {name} off screen"
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_the_header_menu_is_usable_with_the_keyboard_alone(page: Page, server: str, width: int) -> None:
    visit(page, server, "/", width)
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const a = document.activeElement;"
            " return a && a.closest('header nav') ? [a.textContent.trim(), a.getAttribute('href')] : null; })()"
        )
        if focused:
            reached.append(tuple(focused))
        if ("Über mich", "/ueber-mich/") in reached:
            break
    assert [name for name, _ in reached] == ["Essays", "Archiv", "Themen", "Arbeitsblätter", "Über mich"]
    # The focused entry shows that it has focus, and Enter follows it.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/ueber-mich/")
    current = page.locator('header nav a[aria-current="page"]')
    assert current.count() == 1 and current.inner_text() == "Über mich"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_axe_finds_no_violations(page: Page, server: str, kind: str, width: int, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    visit(page, server, PAGE_TYPES[kind], width)
    violations = Axe().run(page).response["violations"]
    assert violations == [] or [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations
    ] == []
