"""QR codes: every code ssg draws decodes back to its target."""

from __future__ import annotations

import re

import pytest

from ssg.outputs.qr import qr_svg
from tests.helpers import decode_qr_svg


@pytest.mark.parametrize(
    "target",
    [
        "https://example.org/a/",
        "https://example.org/journal/essays/der-abschied-aus-den-sozialen-medien/",
        "https://example.org/" + "lang/" * 60,
        "https://example.org/grüße/?q=ä&x=<1>",
    ],
)
def test_code_decodes_to_its_target(target: str) -> None:
    assert decode_qr_svg(qr_svg(target)) == target


def test_svg_is_standalone_escaped_and_deterministic() -> None:
    svg = qr_svg("https://example.org/?a=<b>&c")
    assert svg == qr_svg("https://example.org/?a=<b>&c")
    text = svg.decode()
    assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<title>https://example.org/?a=&lt;b&gt;&amp;c</title>" in text
    assert "href" not in text  # nothing to fetch


def test_a_broken_code_does_not_decode() -> None:
    # The decoder check above must be able to fail: wipe the rows of the top finder patterns.
    svg = qr_svg("https://example.org/a/").decode()
    path = re.search(r' d="([^"]+)"', svg)
    assert path
    rows = re.split(r"(?<=\d)(?=m-?\d+ 1)", path.group(1))  # each row's strokes, then the move to the next
    blank = [re.sub(r"h(\d+)", r"m\1 0", row) for row in rows[:7]]  # the finder patterns' rows, undrawn
    damaged = svg.replace(path.group(1), "".join(blank + rows[7:]))
    assert damaged != svg and decode_qr_svg(damaged.encode()) is None
    assert decode_qr_svg(svg.replace(path.group(1), "".join(rows)).encode()) == "https://example.org/a/"
