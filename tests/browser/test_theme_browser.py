"""The reader's colour scheme: system, light or dark, chosen in the header, remembered, readable in both."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.test_site_browser import PAGE_TYPES, visit

DARK_BG = "rgb(27, 24, 21)"
LIGHT_BG = "rgb(251, 248, 242)"
TOKENS = ["--bg", "--surface", "--text", "--muted", "--accent", "--accent-soft", "--border", "--border-strong", "--focus"]


def open_page(browser: Browser, scheme: str, javascript: bool = True) -> Page:
    context = browser.new_context(locale="de-DE", color_scheme=scheme, java_script_enabled=javascript)  # type: ignore[arg-type]
    return context.new_page()


@pytest.fixture
def light_system(browser: Browser) -> Iterator[Page]:
    page = open_page(browser, "light")
    yield page
    page.context.close()


def background(page: Page) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def tokens(page: Page) -> list[str]:
    script = "names => names.map(n => getComputedStyle(document.documentElement).getPropertyValue(n).trim())"
    return list(page.evaluate(script, TOKENS))


def test_the_chosen_scheme_survives_a_reload_and_other_pages(light_system: Page, server: str) -> None:
    page = light_system
    visit(page, server, PAGE_TYPES["essay"], 1280)
    switch = page.get_by_role("group", name="Farbschema")
    assert switch.is_visible()
    assert switch.get_by_role("button", name="System").get_attribute("aria-pressed") == "true"
    assert background(page) == LIGHT_BG
    switch.get_by_role("button", name="Dunkel").click()
    assert background(page) == DARK_BG
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert background(page) == DARK_BG
    assert switch.get_by_role("button", name="Dunkel").get_attribute("aria-pressed") == "true"
    assert switch.get_by_role("button", name="System").get_attribute("aria-pressed") == "false"
    visit(page, server, PAGE_TYPES["worksheet"], 390)
    assert background(page) == DARK_BG
    # Back to the system's scheme: nothing stays stored.
    page.get_by_role("group", name="Farbschema").get_by_role("button", name="System").click()
    assert background(page) == LIGHT_BG
    assert page.evaluate("localStorage.getItem('ssg:color-scheme')") is None


def test_light_wins_over_a_dark_system_and_is_reachable_by_keyboard(browser: Browser, server: str) -> None:
    page = open_page(browser, "dark")
    try:
        visit(page, server, PAGE_TYPES["home"], 390)
        assert background(page) == DARK_BG
        light = page.get_by_role("button", name="Hell")
        light.focus()
        page.keyboard.press("Enter")
        assert background(page) == LIGHT_BG
        assert light.get_attribute("aria-pressed") == "true"
        assert page.evaluate("localStorage.getItem('ssg:color-scheme')") == "light"
    finally:
        page.context.close()


def test_the_switch_sets_the_same_dark_colours_as_the_system(browser: Browser, server: str) -> None:
    """style.css holds the dark colours twice (system and switch): they must not drift apart."""
    system = open_page(browser, "dark")
    chosen = open_page(browser, "light")
    try:
        visit(system, server, PAGE_TYPES["essay"], 1280)
        visit(chosen, server, PAGE_TYPES["essay"], 1280)
        chosen.get_by_role("button", name="Dunkel").click()
        assert tokens(chosen) == tokens(system)
        assert tokens(system)[0] == "#1b1815"
    finally:
        system.context.close()
        chosen.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_without_javascript_pages_follow_the_system_and_hide_the_switch(browser: Browser, server: str, scheme: str) -> None:
    page = open_page(browser, scheme, javascript=False)
    try:
        visit(page, server, PAGE_TYPES["essay"], 390)
        assert background(page) == (DARK_BG if scheme == "dark" else LIGHT_BG)
        assert not page.locator(".scheme-switch").is_visible()
    finally:
        page.context.close()
