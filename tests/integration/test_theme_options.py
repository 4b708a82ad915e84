"""The author's own look: theme_options and extra_css in site.yml, checked at their line, published in order."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ssg import palette
from ssg.theme import builtin_theme_dir
from tests.helpers import SITE_YML, essay, make_site, run, tree_digest

GOOD = {"gut.md": essay("Gut", body="Ein guter Text.")}


def stylesheets(html: str) -> list[str]:
    """Return the stylesheets a page loads, in order."""
    return re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)


def test_accent_font_and_extra_css_are_published_and_load_after_the_theme(tmp_path: Path) -> None:
    settings = 'theme_options:\n  accent: "#8A4B2A"\n  font: sans\nextra_css:\n  - css/mein.css\n  - /drucken.css\n'
    make_site(tmp_path, GOOD, SITE_YML + settings)
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "static" / "css" / "mein.css").write_text("h1 { letter-spacing: 0.1em; }\n", encoding="utf-8")
    (tmp_path / "static" / "drucken.css").write_text("@media print { h1 { color: black; } }\n", encoding="utf-8")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output
    out = tmp_path / "_site"
    for page in ("index.html", "gut/index.html", "404.html"):
        html = (out / page).read_text(encoding="utf-8")
        expected = ["/static/style.css", "/static/theme-options.css", "/css/mein.css", "/drucken.css"]
        assert stylesheets(html) == expected, page
    assert (out / "css" / "mein.css").read_text(encoding="utf-8") == "h1 { letter-spacing: 0.1em; }\n"
    css = (out / "static" / "theme-options.css").read_text(encoding="utf-8")
    assert "--accent: #8a4b2a;" in css  # written as #rrggbb, whatever the case in site.yml
    assert "--font-text: var(--font-sans);" in css
    # The dark scheme gets an accent of its own, derived and readable on the dark page.
    dark = re.search(r'data-theme="dark"\] \{\s*--accent: (#[0-9a-f]{6});', css)
    assert dark is not None and dark.group(1) != "#8a4b2a"
    colour = palette.parse(dark.group(1))
    assert colour is not None and palette.contrast(colour, palette.DARK_BG) >= palette.READABLE
    # The custom properties it sets are the theme's own.
    theme_css = (builtin_theme_dir() / "static" / "style.css").read_text(encoding="utf-8")
    for name in set(re.findall(r"(--[a-z-]+):", css)):
        assert f"{name}:" in theme_css, name


def test_a_site_without_theme_settings_loads_the_theme_stylesheet_alone(tmp_path: Path) -> None:
    make_site(tmp_path, GOOD)
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    assert stylesheets((tmp_path / "_site" / "index.html").read_text(encoding="utf-8")) == ["/static/style.css"]
    assert not (tmp_path / "_site" / "static" / "theme-options.css").exists()


def test_a_chosen_dark_accent_is_used_as_written(tmp_path: Path) -> None:
    make_site(tmp_path, GOOD, SITE_YML + 'theme_options:\n  accent: "#205080"\n  accent_dark: "#9cc4ee"\n')
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    css = (tmp_path / "_site" / "static" / "theme-options.css").read_text(encoding="utf-8")
    assert css.count("--accent: #9cc4ee;") == 2 and "--accent: #205080;" in css


BAD = [
    ("not a colour", 'theme_options:\n  accent: "#8a4b2"\n', "site.yml:9: theme_options.accent '#8a4b2' is not a colour"),
    ("a name", "theme_options:\n  font: serif\n  accent_dark: hellblau\n", "site.yml:10: theme_options.accent_dark 'hellblau' is"),
    ("unquoted", "theme_options:\n  accent: #8a4b2a\n", "site.yml:9: theme_options.accent is empty: write the colour in quotes"),
    ("font", "theme_options:\n  font: comic sans\n", "site.yml:9: theme_options.font 'comic sans' is not a font of the theme (known: serif, sans)"),
    ("missing css", "extra_css:\n  - css/da.css\n  - css/fehlt.css\n", "site.yml:10: extra_css: static/css/fehlt.css does not exist"),
    ("outside", "extra_css:\n  - ../site.yml\n", "site.yml:9: extra_css: '../site.yml' must be a .css file in the static folder"),
    ("not a list", "extra_css: css/da.css\n", "site.yml:8: 'extra_css' must be a list of file names"),
]


@pytest.mark.parametrize(("case", "settings", "expected"), BAD, ids=[c[0] for c in BAD])
def test_bad_theme_settings_are_errors_at_their_line(tmp_path: Path, case: str, settings: str, expected: str) -> None:
    make_site(tmp_path, GOOD)
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "static" / "css" / "da.css").write_text("p { margin: 0; }\n", encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    before = tree_digest(tmp_path / "_site")
    (tmp_path / "site.yml").write_text(SITE_YML + settings, encoding="utf-8")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1
    assert expected in result.output, result.output
    assert tree_digest(tmp_path / "_site") == before


def test_all_theme_setting_problems_come_at_once(tmp_path: Path) -> None:
    settings = 'theme_options:\n  accent: "rot"\n  font: mono\nextra_css:\n  - fehlt.css\n'
    make_site(tmp_path, GOOD, SITE_YML + settings)
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1
    for expected in ("site.yml:9: theme_options.accent", "site.yml:10: theme_options.font", "site.yml:12: extra_css"):
        assert expected in result.output


def test_an_accent_too_light_to_read_is_a_warning(tmp_path: Path) -> None:
    make_site(tmp_path, GOOD, SITE_YML + 'theme_options:\n  accent: "#f0c000"\n')
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0
    assert "site.yml:9: warning: theme_options.accent '#f0c000' is hard to read" in result.output
    assert "choose a darker colour" in result.output


def test_a_short_site_stylesheet_that_replaces_the_theme_is_named_with_the_way_to_add_to_it(tmp_path: Path) -> None:
    make_site(tmp_path, GOOD, SITE_YML + "theme: mein\n")
    (tmp_path / "themes" / "mein" / "static").mkdir(parents=True)
    (tmp_path / "themes" / "mein" / "static" / "style.css").write_text(":root { --accent: #205080; }\n")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0
    assert "themes/mein/static/style.css: warning: replaces the default theme's whole stylesheet" in result.output
    assert "extra_css" in result.output
    # A whole stylesheet of one's own (a copy of the default, changed) is deliberate: no warning.
    shutil.copy(builtin_theme_dir() / "static" / "style.css", tmp_path / "themes" / "mein" / "static" / "style.css")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0 and "replaces the default theme" not in result.output
