"""QR codes as small standalone SVG files."""

from __future__ import annotations

import functools
import re
from html import escape

import zxingcpp

BORDER = 2  # modules of quiet zone around the code: enough on paper, where the page around it is blank
SCALE = 4  # pixels per module at the SVG's natural size

# zxing-cpp's images hold 0 for a dark module and 255 for a light one; rows are joined with "\n" here.
# A run of light modules ending its row is one move to the start of the next row.
_RUN = re.compile(rb"\x00+|\xff*\n|\xff+")


def qr_svg(target: str) -> bytes:
    """Return a QR code (error correction M) that leads to `target`, drawn as one SVG path."""
    code = zxingcpp.create_barcode(target, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]  # a buffer, unstubbed
    size = image.shape[0] if image.shape else 0
    pixels = image.tobytes()
    runs = _RUN.findall(b"\n".join([pixels[start : start + size] for start in range(0, len(pixels), size)]))
    if runs and runs[-1][0] == 0xFF:
        runs.pop()  # light modules at the very end: nothing to draw
    # Each row is drawn left to right as horizontal strokes through the middle of its modules: dark runs
    # as lines, light runs as moves; one lookup per run keeps the drawing out of Python-level loops.
    path = f"M{BORDER} {BORDER}.5" + "".join(map(_commands(size).__getitem__, runs))
    side = size + 2 * BORDER
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side * SCALE}" height="{side * SCALE}" '
        f'viewBox="0 0 {side} {side}" shape-rendering="crispEdges"><title>{escape(target, quote=False)}</title>'
        f'<path stroke="#000" d="{path}"/></svg>'
    ).encode()


@functools.lru_cache(maxsize=64)
def _commands(size: int) -> dict[bytes, str]:
    """Return the path command for every run of modules a code of `size` × `size` modules can have."""
    commands = {b"\x00" * n: f"h{n}" for n in range(1, size + 1)}
    commands.update({b"\xff" * n: f"m{n} 0" for n in range(1, size + 1)})
    commands.update({b"\xff" * n + b"\n": f"m{n - size} 1" for n in range(size + 1)})
    return commands
