"""QR codes as small standalone SVG files."""

from __future__ import annotations

import re
from html import escape

import zxingcpp

BORDER = 2  # modules of quiet zone around the code: enough on paper, where the page around it is blank
SCALE = 4  # pixels per module at the SVG's natural size

_DARK_RUN = re.compile(rb"\x00+")  # zxing-cpp's images hold 0 for a dark module, 255 for a light one


def qr_svg(target: str) -> bytes:
    """Return a QR code (error correction M) that leads to `target`, drawn as one SVG path."""
    code = zxingcpp.create_barcode(target, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]  # a buffer, unstubbed
    size = image.shape[0] if image.shape else 0
    rows = image.tobytes()
    runs = [
        f"M{match.start() - y * size + BORDER} {y + BORDER}.5h{match.end() - match.start()}"
        for y in range(size)
        for match in _DARK_RUN.finditer(rows, y * size, (y + 1) * size)
    ]
    side = size + 2 * BORDER
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side * SCALE}" height="{side * SCALE}" '
        f'viewBox="0 0 {side} {side}" shape-rendering="crispEdges"><title>{escape(target, quote=False)}</title>'
        f'<path stroke="#000" d="{"".join(runs)}"/></svg>'
    ).encode()
