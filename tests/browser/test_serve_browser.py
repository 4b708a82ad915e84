"""A page open in Chromium follows the author's saves: it reloads, shows build errors, restyles in place."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ssg.serve.loop import Preview, ServeOptions
from tests.helpers import essay, make_site

TIMEOUT_MS = 10_000


class Quiet:
    """Swallows the preview's terminal messages."""

    def info(self, message: str) -> None:
        pass

    def error(self, message: str) -> None:
        pass


@dataclass(frozen=True)
class Site:
    url: str
    root: Path

    def save(self, name: str, text: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    root = make_site(tmp_path / "site", {"erstes.md": essay("Erstes Essay", body="Der erste Text.")})
    (root / "themes" / "default" / "static").mkdir(parents=True)
    (root / "themes" / "default" / "static" / "style.css").write_text("body { color: rgb(1, 2, 3); }\n", "utf-8")
    preview = Preview(ServeOptions(root, port=0), Quiet())
    url = preview.start()
    yield Site(url, root)
    preview.stop()


def test_open_page_reloads_after_the_essay_is_saved(page: Page, site: Site) -> None:
    page.goto(site.url + "erstes-essay/")
    page.evaluate("window.notReloaded = true")
    site.save("essays/erstes.md", essay("Erstes Essay", body="Gerade gespeichert."))
    expect(page.locator("article")).to_contain_text("Gerade gespeichert.", timeout=TIMEOUT_MS)
    assert page.evaluate("window.notReloaded") is None


def test_broken_save_shows_overlay_until_fixed(page: Page, site: Site) -> None:
    page.goto(site.url + "erstes-essay/")
    site.save("essays/erstes.md", essay("Erstes Essay", body="Kaputt.", slug="'<b>fett</b>'"))
    overlay = page.locator("#ssg-build-errors")
    expect(overlay).to_be_visible(timeout=TIMEOUT_MS)
    expect(overlay).to_contain_text("essays/erstes.md:4: slug '<b>fett</b>'")
    assert overlay.locator("b").count() == 0, "error text must never become markup"
    expect(page.locator("article")).to_contain_text("Der erste Text.")
    fresh = page.context.new_page()
    fresh.goto(site.url + "erstes-essay/")
    expect(fresh.locator("#ssg-build-errors")).to_contain_text("essays/erstes.md:4:")
    fresh.close()
    site.save("essays/erstes.md", essay("Erstes Essay", body="Repariert."))
    expect(page.locator("article")).to_contain_text("Repariert.", timeout=TIMEOUT_MS)
    expect(overlay).to_have_count(0)


def test_stylesheet_change_restyles_without_reload(page: Page, site: Site) -> None:
    page.goto(site.url + "erstes-essay/")
    page.evaluate("window.notReloaded = true")
    site.save("themes/default/static/style.css", "body { color: rgb(4, 5, 6); }\n")
    color = "getComputedStyle(document.body).color === 'rgb(4, 5, 6)'"
    page.wait_for_function(f"() => {color}", timeout=TIMEOUT_MS)
    assert page.evaluate("window.notReloaded") is True
    assert "?v=" in page.evaluate("document.querySelector('link[rel=stylesheet]').href")
