"""Colours of the theme settings: read an author's colour, derive the accent's shades, measure contrast."""

from __future__ import annotations

import re
from dataclasses import dataclass

RGB = tuple[int, int, int]

# The default theme's page and ink colours (themes/default/static/style.css, section 1): the accent is measured
# against them, and its shades are mixed with them.
LIGHT_BG: RGB = (0xFB, 0xF8, 0xF2)
LIGHT_TEXT: RGB = (0x2A, 0x25, 0x1F)
DARK_BG: RGB = (0x1B, 0x18, 0x15)
WHITE: RGB = (0xFF, 0xFF, 0xFF)
BLACK: RGB = (0, 0, 0)

READABLE = 4.5  # WCAG AA for text: links are text
DARK_TARGET = 7.0  # a derived dark-mode accent aims a little higher, like the default's (8.5:1)

_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def parse(text: str) -> RGB | None:
    """Return the colour written as #rgb or #rrggbb, or None if `text` is not one."""
    match = _HEX.fullmatch(text.strip())
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def css(colour: RGB) -> str:
    """Return the colour as #rrggbb."""
    return "#{:02x}{:02x}{:02x}".format(*colour)


def _luminance(colour: RGB) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """Return the WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: RGB, b: RGB, share_of_b: float) -> RGB:
    """Return `a` mixed with `b`; `share_of_b` 0 gives a, 1 gives b."""
    return (
        round(a[0] + (b[0] - a[0]) * share_of_b),
        round(a[1] + (b[1] - a[1]) * share_of_b),
        round(a[2] + (b[2] - a[2]) * share_of_b),
    )


def dark_variant(accent: RGB) -> RGB:
    """Return the accent lightened (in steps of 5 %) until it reads well on the dark page."""
    step = 0
    colour = accent
    while contrast(colour, DARK_BG) < DARK_TARGET and step < 20:
        step += 1
        colour = mix(accent, WHITE, step / 20)
    return colour


@dataclass(frozen=True)
class Accent:
    """The accent's custom properties for one colour scheme."""

    accent: str
    strong: str  # links on hover, button fills on hover
    soft: str  # highlighted score band, text selection
    on_accent: str  # text on accent fills (buttons, chosen scale points)
    focus: str


def light_accent(accent: RGB) -> Accent:
    """Return the light scheme's accent shades."""
    on = LIGHT_BG if contrast(accent, LIGHT_BG) >= contrast(accent, LIGHT_TEXT) else LIGHT_TEXT
    return Accent(css(accent), css(mix(accent, BLACK, 0.2)), css(mix(accent, LIGHT_BG, 0.85)), css(on), css(accent))


def dark_accent(accent: RGB) -> Accent:
    """Return the dark scheme's accent shades."""
    strong = css(mix(accent, WHITE, 0.35))
    return Accent(css(accent), strong, css(mix(accent, DARK_BG, 0.8)), css(DARK_BG), strong)
