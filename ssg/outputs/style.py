"""The stylesheet of the author's theme settings (site.yml theme_options), loaded after the theme's own."""

from __future__ import annotations

from ssg import palette
from ssg.config import ThemeOptions
from ssg.outputs import Output
from ssg.site import Site

THEME_OPTIONS_URL = "/static/theme-options.css"


def plan(site: Site) -> list[Output]:
    """Return /static/theme-options.css when site.yml sets theme options; nothing otherwise."""
    options = site.config.theme_options
    if not options.customized:
        return []
    return [Output(THEME_OPTIONS_URL, "theme-options.css", {"options": options, **accents(options)})]


def accents(options: ThemeOptions) -> dict[str, palette.Accent | None]:
    """Return the accent's shades for the light and the dark scheme (None: the theme's own)."""
    light = palette.parse(options.accent) if options.accent else None
    dark = palette.parse(options.accent_dark) if options.accent_dark else None
    if dark is None and light is not None:
        dark = palette.dark_variant(light)
    return {
        "light": palette.light_accent(light) if light else None,
        "dark": palette.dark_accent(dark) if dark else None,
    }
