"""A phone loads the small copy of an essay's photo, a wide window a larger one; the page keeps its layout."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Route

from tests.browser.conftest import QuietHandler
from tests.helpers import SITE_YML, essay, make_site, run
from tests.photos import phone_jpeg

IMAGE = "img[alt='Die Straße vor dem Haus']"


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from http.server import ThreadingHTTPServer

    root = make_site(tmp_path_factory.mktemp("photo-site"), {}, SITE_YML)
    folder = root / "essays/strasse"
    folder.mkdir()
    body = "Ein Absatz vorher.\n\n![Die Straße vor dem Haus](strasse.jpg)\n\nEin Absatz danach.\n"
    (folder / "index.md").write_text(essay("Die Straße", body=body), encoding="utf-8")
    phone_jpeg(folder / "strasse.jpg", size=(2400, 1800), orientation=6)  # shown 1800 × 2400
    result = run("build", "-s", str(root))
    assert result.exit_code == 0, result.output
    handler = functools.partial(QuietHandler, directory=str(root / "_site"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/die-strasse/"
    httpd.shutdown()
    httpd.server_close()


def loaded_image(browser: Browser, url: str, width: int) -> dict[str, object]:
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(f'document.querySelector("{IMAGE}").complete', timeout=10_000)
        return dict(
            page.eval_on_selector(
                IMAGE,
                "img => ({src: img.currentSrc, natural: img.naturalWidth, shown: img.getBoundingClientRect().width,"
                " ratio: img.getBoundingClientRect().height / img.getBoundingClientRect().width})",
            )
        )
    finally:
        context.close()


def test_phone_loads_the_small_copy(browser: Browser, photo_site: str) -> None:
    image = loaded_image(browser, photo_site, 390)
    assert str(image["src"]).endswith("/die-strasse/strasse-480w.jpg"), image
    assert float(str(image["shown"])) <= 390
    assert abs(float(str(image["ratio"])) - 2400 / 1800) < 0.01  # upright: taller than wide


def test_wide_window_loads_a_larger_copy(browser: Browser, photo_site: str) -> None:
    image = loaded_image(browser, photo_site, 1280)
    assert str(image["src"]).endswith("/die-strasse/strasse-960w.jpg"), image


def test_photo_has_its_size_before_it_loads(browser: Browser, photo_site: str) -> None:
    # The photo's bytes held back: the page already reserves its height (it does not jump when they arrive).
    context = browser.new_context(viewport={"width": 390, "height": 800}, device_scale_factor=1)
    held: list[Route] = []
    try:
        page = context.new_page()
        page.route("**/*.jpg", lambda route: held.append(route))
        page.goto(photo_site, wait_until="domcontentloaded")
        box = page.eval_on_selector(IMAGE, "img => img.getBoundingClientRect().height")
        assert float(box) > 300, "the page does not reserve the photo's height while it loads"
    finally:
        context.close()
