"""The reader's side of a worksheet and of an essay's end in Chromium: a toolbar that takes one row, a menu for
the other actions on phones that the keyboard can open and leave, the end of an essay in order and with room,
and German lines that never start with a dash nor split "E-Mail"."""

from __future__ import annotations

import itertools

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.test_site_browser import PAGE_TYPES, WIDTHS, visit

SOCIAL = "/der-abschied-aus-den-sozialen-medien/arbeitsblatt/"
ESSAY = "/der-abschied-aus-den-sozialen-medien/"
TOOLS = "#blatt-der-abschied-aus-den-sozialen-medien .ws-tools"
ACTIONS = ["Drucken", "Leer drucken", "Als Datei speichern", "Datei laden", "Antworten löschen"]


def boxes(page: Page, selector: str) -> list[dict[str, float]]:
    """Return the bounding boxes of the visible elements matching `selector`, in document order."""
    return list(page.evaluate(
        "s => [...document.querySelectorAll(s)].filter(e => e.getClientRects().length)"
        ".map(e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, right: r.right, bottom: r.bottom}; })",
        selector,
    ))


def no_overflow(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_at_1280_px_the_toolbar_is_one_row_with_deleting_set_apart(page: Page, server: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    visit(page, server, SOCIAL, 1280)
    tools = page.locator(TOOLS)
    controls = boxes(page, f"{TOOLS} :is(button, .file-button)")
    assert len(controls) == len(ACTIONS)
    assert [page.locator(f"{TOOLS} :is(button, .file-button)").nth(i).inner_text().strip() for i in range(5)] == ACTIONS
    assert max(c["y"] for c in controls) - min(c["y"] for c in controls) < 2, "the toolbar wraps"
    box = tools.bounding_box()
    assert box is not None and box["height"] < 80
    assert page.locator(f"{TOOLS} summary").is_hidden()  # nothing folded away on a wide screen
    # "Antworten löschen" stands apart: more room before it than between the others.
    gaps = [b["x"] - a["right"] for a, b in itertools.pairwise(controls)]
    assert gaps[-1] > max(gaps[:-1]) + 4, gaps
    no_overflow(page, 1280)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_at_390_px_the_toolbar_is_one_row_and_the_menu_opens_over_the_sheet(page: Page, server: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    visit(page, server, SOCIAL, 390)
    box = page.locator(TOOLS).bounding_box()
    assert box is not None and box["height"] < 100, f"the toolbar takes {box and box['height']} px"
    assert page.get_by_role("button", name="Drucken", exact=True).is_visible()
    more = page.locator(f"{TOOLS} summary")
    assert more.is_visible() and more.inner_text().strip().startswith("Weitere Aktionen")
    assert page.get_by_role("button", name="Als Datei speichern").is_hidden()
    first = page.locator("#der-abschied-aus-den-sozialen-medien-fragen").bounding_box()
    more.click()
    for name in ACTIONS[1:]:
        assert page.locator(f"{TOOLS} :is(button, .file-button)", has_text=name).is_visible(), name
    # The open menu lies over the sheet: the first question stays where it was, and nothing sticks out.
    assert page.locator("#der-abschied-aus-den-sozialen-medien-fragen").bounding_box() == first
    for item in boxes(page, f"{TOOLS} .ws-more-items :is(button, .file-button)"):
        assert item["x"] >= 0 and item["right"] <= 390
    no_overflow(page, 390)
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
    page.mouse.click(195, 20)  # a click elsewhere closes it
    assert page.get_by_role("button", name="Als Datei speichern").is_hidden()


def test_at_390_px_every_action_is_reachable_by_keyboard(page: Page, server: str) -> None:
    visit(page, server, SOCIAL, 390)
    page.get_by_role("button", name="Drucken", exact=True).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate("document.activeElement.parentElement.open") is False
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is True
    reached = []
    for _ in range(4):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("(document.activeElement.closest('label') || document.activeElement).textContent.trim()"))
    assert reached == ACTIONS[1:]
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate("document.activeElement.parentElement.open") is False
    # An action chosen from the menu is done and closes it; the keyboard's focus goes back to the menu's button.
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    with page.expect_download():
        page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Als Datei speichern").is_hidden()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


def test_a_wider_window_unfolds_the_menu_into_the_row(page: Page, server: str) -> None:
    visit(page, server, SOCIAL, 390)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_function("document.querySelector('.ws-more').open")
    assert page.get_by_role("button", name="Antworten löschen").is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_end_of_an_essay_comes_in_order_with_room_between(page: Page, server: str, width: int, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    visit(page, server, ESSAY, width)
    parts = [".reflection", ".worksheet-link", ".essay-tags .tags", ".reply", ".related", ".pager"]
    placed = [boxes(page, f"main {part}")[0] for part in parts]
    for (above, below), name in zip(itertools.pairwise(placed), parts[1:], strict=True):
        assert below["y"] - above["bottom"] >= 16, f"{name} crowds what comes before it"
    no_overflow(page, width)


WORD_ON_ONE_LINE = """([selector, word]) => {
  const hits = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.essay-body, script')) continue;  // the author's text is left as written
      for (let i = node.data.indexOf(word); i >= 0; i = node.data.indexOf(word, i + 1)) {
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + word.length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        hits.push(tops.size);
      }
    }
  }
  return hits;
}"""

DASH_STARTS_A_LINE = """(selector) => {
  const bad = [];
  for (const root of document.querySelectorAll(selector)) {
    if (root.closest('.essay-body')) continue;  // the author's text is left as written
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.essay-body, .visually-hidden, script')) continue;  // the author's text as written
      for (let i = node.data.indexOf('–'); i > 1; i = node.data.indexOf('–', i + 1)) {
        const before = document.createRange(); before.setStart(node, i - 2); before.setEnd(node, i - 1);
        const dash = document.createRange(); dash.setStart(node, i); dash.setEnd(node, i + 1);
        if (Math.round(dash.getBoundingClientRect().top) > Math.round(before.getBoundingClientRect().top)) {
          bad.push(node.data.slice(Math.max(0, i - 20), i + 10));
        }
      }
    }
  }
  return bad;
}"""


# Where the theme's own words stand (the author's text, in essays and their front matter, is left as written).
UI_TEXT = "footer.site-footer, .reply, .booklet-cover, .privacy-note, .ws-tools, .pager, .back-to-essay, .meta"


@pytest.mark.parametrize("path", [ESSAY, PAGE_TYPES["booklet"]])
def test_german_lines_never_split_e_mail_nor_start_with_a_dash(page: Page, server: str, path: str) -> None:
    visit(page, server, path, 390)
    checked = 0
    for width in range(300, 441, 5):
        page.set_viewport_size({"width": width, "height": 800})
        lines = page.evaluate(WORD_ON_ONE_LINE, [UI_TEXT, "E\u2011Mail"])
        assert all(n == 1 for n in lines), f"'E-Mail' split at {width} px"
        checked += len(lines)
        assert page.evaluate(WORD_ON_ONE_LINE, [UI_TEXT, "E-Mail"]) == [], "a breakable hyphen in 'E-Mail'"
        assert page.evaluate(DASH_STARTS_A_LINE, UI_TEXT) == [], f"a line starts with a dash at {width} px"
    if path == ESSAY:
        assert checked > 0  # the reply's "Per E-Mail antworten" was looked at


@pytest.mark.parametrize("width", range(300, 441, 20))
def test_no_paragraph_of_the_footer_ends_with_a_word_alone(page: Page, server: str, width: int) -> None:
    visit(page, server, ESSAY, width)
    lone = page.evaluate("""() => [...document.querySelectorAll('footer.site-footer p')].flatMap(p => {
      const words = [];
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.data.matchAll(/\\S+/g)) {
          const r = document.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
          words.push(Math.round(r.getClientRects()[0].top));
        }
      }
      const last = words.at(-1);
      return words.length > 2 && words.filter(top => top === last).length === 1 && words[0] !== last ? [p.textContent.trim()] : [];
    })""")
    assert lone == []


def test_german_text_is_hyphenated_where_lines_are_narrow(page: Page, server: str) -> None:
    visit(page, server, ESSAY, 390)
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.evaluate("getComputedStyle(document.querySelector('.essay-body')).hyphens") == "auto"
    assert page.evaluate("getComputedStyle(document.querySelector('.reply')).hyphens") == "auto"
