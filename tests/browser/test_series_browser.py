"""A series in Chromium: the part's block, the series page and the index fit a phone and a desktop, pass axe in
both colour schemes, and the current part is marked but not a link."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.conftest import QuietHandler
from tests.helpers import SITE_YML, essay, make_site, run

# A long name without spaces: the block must wrap it rather than push the page sideways on a phone.
NAME = "Unterwegsseinundankommen-in-einer-Welt-voller-Bildschirme"
ESSAYS = {
    "a.md": essay("Aufbruch", date="2026-01-05", series=NAME, summary="Wie alles anfing."),
    "b.md": essay("Die Mitte des Weges, an der man sich fragt, ob es weitergeht", date="2026-01-20", series=NAME),
    "c.md": essay("Ankunft", date="2026-02-10", series=NAME),
    "d.md": essay("Nebenbei", date="2026-02-11", series="Kleinigkeiten"),
}
PAGES = {
    "part": "/die-mitte-des-weges-an-der-man-sich-fragt-ob-es-weitergeht/",
    "series": f"/reihen/{NAME.lower()}/",
    "index": "/reihen/",
}


@pytest.fixture(scope="module")
def series_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_site(tmp_path_factory.mktemp("series"), ESSAYS, SITE_YML)
    result = run("build", "-s", str(root))
    assert result.exit_code == 0, result.output
    handler = functools.partial(QuietHandler, directory=str(root / "_site"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_series_pages_are_axe_clean_and_fit(page: Page, series_site: str, kind: str, width: int, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(series_site + PAGES[kind])
    assert response is not None and response.ok
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1280])
def test_the_part_names_its_place_and_leads_to_the_others_by_keyboard(page: Page, series_site: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(series_site + PAGES["part"])
    block = page.get_by_role("navigation", name=f"Reihe: {NAME}")
    assert block.is_visible()
    assert "Teil 2 von 3" in block.inner_text()
    assert [a.inner_text() for a in block.get_by_role("link").all()] == [NAME, "Aufbruch", "Ankunft"]
    current = block.locator('[aria-current="page"]')
    assert current.inner_text() == "Die Mitte des Weges, an der man sich fragt, ob es weitergeht"
    assert current.evaluate("e => e.closest('a')") is None
    # The block sits above the text: seen before reading, not only at the end.
    box = block.bounding_box()
    text = page.locator(".essay-body").bounding_box()
    assert box is not None and text is not None and box["y"] + box["height"] <= text["y"]
    block.get_by_role("link", name="Ankunft").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/ankunft/")
    assert "Teil 3 von 3" in page.get_by_role("navigation", name=f"Reihe: {NAME}").inner_text()
