"""Reading a long essay: its table of contents and heading links work with the keyboard, and the footer
keeps no word alone on a line."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.browser.conftest import QuietHandler
from tests.browser.test_site_browser import PAGE_TYPES, visit
from tests.helpers import SITE_YML, essay, make_site, run

LONG = essay(
    "Ein langer Essay",
    toc="true",
    body="Am Anfang.\n\n## Erster Abschnitt\n\n" + "Ein Absatz mit Text. " * 60
    + "\n\n### Ein Unterabschnitt\n\nText.\n\n## Zweiter Abschnitt\n\n" + "Noch mehr Text. " * 80
    + "\n\n## Dritter Abschnitt\n\n" + "Und am Ende. " * 80 + "\n",
)


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_site(tmp_path_factory.mktemp("long-essay"), {"lang.md": LONG}, SITE_YML)
    result = run("build", "-s", str(root))
    assert result.exit_code == 0, result.output
    handler = functools.partial(QuietHandler, directory=str(root / "_site"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/ein-langer-essay/"
    httpd.shutdown()
    httpd.server_close()


def focused(page: Page) -> dict[str, str] | None:
    return page.evaluate(  # type: ignore[no-any-return]
        "(() => { const a = document.activeElement; if (!a || a.tagName !== 'A') return null;"
        " return {text: a.textContent.trim(), href: a.getAttribute('href'), label: a.getAttribute('aria-label') || '',"
        " opacity: getComputedStyle(a).opacity}; })()"
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_contents_and_heading_links_work_with_the_keyboard(page: Page, long_site: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(long_site)
    toc = page.get_by_role("navigation", name="Inhalt")
    assert [a.inner_text() for a in toc.get_by_role("link").all()] == [
        "Erster Abschnitt", "Ein Unterabschnitt", "Zweiter Abschnitt", "Dritter Abschnitt"
    ]
    for _ in range(30):
        page.keyboard.press("Tab")
        now = focused(page)
        if now and now["text"] == "Zweiter Abschnitt":
            break
    else:
        pytest.fail("Tab never reached the table of contents")
    page.keyboard.press("Enter")
    page.wait_for_url("**#zweiter-abschnitt")
    heading = page.get_by_role("heading", name="Zweiter Abschnitt", exact=True)  # its name holds no link label
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < 700 / 2, "the section's heading is not at the top of the window"
    # The next Tab reaches the heading's own link, shown while focused and named for screen readers.
    page.keyboard.press("Tab")
    link = focused(page)
    assert link == {
        "text": "#", "href": "#zweiter-abschnitt", "label": "Link zu diesem Abschnitt: Zweiter Abschnitt", "opacity": "1"
    }
    page.keyboard.press("Enter")
    page.wait_for_url("**#zweiter-abschnitt")


def test_heading_links_show_on_hover_only(page: Page, long_site: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(long_site)
    anchor = page.get_by_role("link", name="Link zu diesem Abschnitt: Dritter Abschnitt")
    assert anchor.evaluate("a => getComputedStyle(a).opacity") == "0"
    page.get_by_role("heading", name="Dritter Abschnitt").hover()
    assert anchor.evaluate("a => getComputedStyle(a).opacity") == "1"


def test_without_javascript_the_contents_still_lead_to_each_section(browser: Browser, long_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(long_site)
        assert page.locator(".heading-anchor").count() == 0
        page.get_by_role("navigation", name="Inhalt").get_by_role("link", name="Dritter Abschnitt").click()
        page.wait_for_url("**#dritter-abschnitt")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_a_long_essay_is_axe_clean_and_fits(page: Page, long_site: str, width: int, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(long_site)
    page.get_by_role("heading", name="Erster Abschnitt").hover()
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


LAST_LINE_WORDS = """(p) => {
  const words = [];
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/[^ \\n\\t]+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = range.getClientRects();
      if (rects.length) words.push([m[0], Math.round(rects[rects.length - 1].top)]);
    }
  }
  if (!words.length) return [];
  const last = words[words.length - 1][1];
  if (words.every(w => w[1] === last)) return null;  // one line
  return words.filter(w => w[1] === last).map(w => w[0]);
}"""


@pytest.mark.parametrize("width", [320, 390, 768, 1280])
def test_no_footer_line_is_one_word_alone(page: Page, server: str, width: int) -> None:
    visit(page, server, PAGE_TYPES["essay"], width)
    for paragraph in page.locator("footer.site-footer p").all():
        last = paragraph.evaluate(LAST_LINE_WORDS)
        assert last is None or len(last) > 1, f"{paragraph.inner_text()!r} ends in {last} alone at {width} px"
