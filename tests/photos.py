"""Photos as phones make them, written by Pillow in the tests: GPS position, camera serial number, maker note,
XMP, IPTC, a comment, an ICC profile, and an EXIF orientation."""

from __future__ import annotations

import functools
import io
import struct
from pathlib import Path

from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
ORIENTATION, MAKE, MODEL = 0x0112, 0x010F, 0x0110
MAKER_NOTE, SERIAL, TAKEN = 0x927C, 0xA431, 0x9003
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>GEHEIMER-ORT</rdf:Description></rdf:RDF></x:xmpmeta>'
COMMENT = b"Aufgenommen vor dem Haus von Frau M."
SECRETS = (b"GEHEIMER-ORT", b"SN-0042-7", b"Kamerafirma", b"Frau M.", b"MAKERNOTE", b"IPTC-ORT")
RED, BLUE = (220, 20, 20), (20, 20, 220)


@functools.cache  # its header holds the time it was made: one profile, so the same photo makes the same bytes
def srgb() -> bytes:
    """Return an sRGB ICC profile."""
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def identifying_exif(orientation: int = 1) -> Image.Exif:
    """Return EXIF data that identifies a person and a place."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "Kamerafirma"
    exif[MODEL] = "Modell X"
    exif.get_ifd(EXIF_IFD).update({TAKEN: "2026:01:15 08:30:00", SERIAL: "SN-0042-7", MAKER_NOTE: b"MAKERNOTE-1234"})
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    return exif


def two_colours(size: tuple[int, int]) -> Image.Image:
    """Return an image red on its left half, blue on its right half (as stored)."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def iptc_segment() -> bytes:
    """Return a JPEG APP13 segment with an IPTC record naming a place."""
    record = b"\x1c\x02\x5a" + struct.pack(">H", 8) + b"IPTC-ORT"  # 2:90, City
    block = b"8BIM" + b"\x04\x04" + b"\x00\x00" + struct.pack(">I", len(record)) + record
    payload = b"Photoshop 3.0\x00" + block
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def phone_jpeg(path: Path, size: tuple[int, int] = (400, 300), orientation: int = 6) -> None:
    """Write a JPEG as a phone would: stored sideways with orientation 6, EXIF with GPS, XMP, IPTC, a comment."""
    out = io.BytesIO()
    exif = identifying_exif(orientation)
    two_colours(size).save(out, "JPEG", quality=90, exif=exif, xmp=XMP, comment=COMMENT, icc_profile=srgb())
    data = out.getvalue()
    path.write_bytes(data[:2] + iptc_segment() + data[2:])  # right after the start of image


def png_with_text(path: Path, size: tuple[int, int] = (400, 300)) -> None:
    """Write a PNG with a tEXt chunk naming the author, EXIF with GPS and an ICC profile."""
    info = PngInfo()
    info.add_text("Author", "Frau M.")
    info.add_text("XML:com.adobe.xmp", XMP.decode())
    two_colours(size).save(path, "PNG", pnginfo=info, exif=identifying_exif(), icc_profile=srgb())


def webp_with_exif(path: Path, size: tuple[int, int] = (400, 300)) -> None:
    """Write a WebP with EXIF (GPS), XMP and an ICC profile."""
    two_colours(size).save(path, "WEBP", exif=identifying_exif(), xmp=XMP, icc_profile=srgb(), quality=90)


def gif_with_comment(path: Path, size: tuple[int, int] = (400, 300)) -> None:
    """Write a GIF with a comment."""
    two_colours(size).convert("P", palette=Image.Palette.ADAPTIVE).save(path, "GIF", comment=COMMENT)


def metadata_left(data: bytes) -> list[str]:
    """Return what identifying metadata an image file still holds, read back with Pillow (empty: none)."""
    found = []
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        if len(exif):
            found.append(f"EXIF tags {sorted(exif)}")
        if exif.get_ifd(GPS_IFD):
            found.append("GPS IFD")
        if exif.get_ifd(EXIF_IFD):
            found.append("EXIF IFD (serial number, maker note)")
        for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "Author"):
            if key in image.info:
                found.append(f"info[{key!r}]")
        if getattr(image, "text", None):
            found.append(f"text chunks {sorted(image.text)}")  # type: ignore[attr-defined]
        for marker, _payload in getattr(image, "applist", []):
            if marker not in ("APP0", "APP2"):  # JFIF; the ICC profile, which stays
                found.append(f"segment {marker}")
    found.extend(f"bytes {s!r}" for s in SECRETS if s in data)
    return found


def pixel(data: bytes, xy: tuple[int, int]) -> tuple[int, ...]:
    """Return the RGB colour at `xy` of an image file."""
    with Image.open(io.BytesIO(data)) as image:
        return tuple(image.convert("RGB").getpixel(xy))  # type: ignore[arg-type]


def near(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    """Tell whether a colour is close to the expected one (JPEG shifts colours a little)."""
    return all(abs(a - b) < 40 for a, b in zip(colour, expected, strict=True))
