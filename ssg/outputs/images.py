"""Files beside essays and pages as outputs; images through Pillow: upright, without metadata, in smaller sizes.

Every published file is a producer Output whose key is the digest of its source file's bytes and the image
settings (not the rest of site.yml): a rebuild encodes an image again only when its source or those
settings changed. Each output reads and decodes its source itself, so its bytes never depend on which
other outputs a build renders.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from typing import Any

import jinja2
from PIL import Image, ImageSequence

from ssg.config import SiteConfig
from ssg.content.files import Attachments, ImageInfo, Published, SourceFile
from ssg.engine.fingerprint import digest
from ssg.errors import Problem, SsgError
from ssg.outputs import Output

_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
# What encoding a megapixel costs, in units of an ordinary page: how the render pool shares the work out.
PAGES_PER_MEGAPIXEL = 8


def plan(config: SiteConfig, attachments: Mapping[str, Attachments]) -> list[Output]:
    """Return an output for every file published beside a text, and for each smaller copy of an image."""
    outputs = []
    options = config.images
    for source in sorted(attachments):
        for file in attachments[source].files:
            if file.image is None:
                context: dict[str, Any] = {"file": file.source.path, "digest": file.source.digest}
                outputs.append(Output(file.url, context=context, source=source, producer=copy_file, standalone=True))
                continue
            base = {
                "file": file.source.path,
                "name": file.source.rel,
                "digest": file.source.digest,
                "format": file.image.format,
                "strip": options.strip_metadata,
                "quality": options.quality,
            }
            megapixels = file.image.width * file.image.height / 1_000_000
            for width in (None, *file.widths):
                url = file.url if width is None else file.sized_url(width)
                share = megapixels if width is None else megapixels / 2  # smaller copies decode at a reduced scale
                cost = max(1, round(share * PAGES_PER_MEGAPIXEL))
                outputs.append(
                    Output(
                        url,
                        context={**base, "width": width},
                        source=source,
                        producer=publish_image,
                        standalone=True,
                        cost=cost,
                    )
                )
    return outputs


def copy_file(context: Mapping[str, Any], env: jinja2.Environment) -> bytes:
    """Return a file beside a text as it is (a PDF handout, an audio file)."""
    return _read(context["file"], context.get("name", context["file"]), context["digest"])


def _read(path: str, name: str, expected: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise SsgError([Problem(name, None, f"cannot be read: {exc.strerror}")]) from None
    if digest(data) != expected:
        raise SsgError([Problem(name, None, "changed while the site was being built: build again")])
    return data


def measure(file: SourceFile, expected: str) -> ImageInfo | Problem:
    """Return an image's format and its size as shown (after its EXIF orientation), reading only its header;
    a problem if it is not the image its name says, or too large to open safely."""
    if file.size == 0:
        return Problem(file.rel, None, f"is empty (0 bytes), not a {_NAMES[expected]} image")
    try:
        with _strict(), Image.open(file.path) as image:
            found = str(image.format)
            if found != expected:
                return _wrong_kind(file.rel, expected, found)
            width, height = image.size
            if image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8):
                width, height = height, width
            return ImageInfo(found, width, height, getattr(image, "n_frames", 1))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return Problem(file.rel, None, _too_large(exc))
    except Exception as exc:  # Pillow raises many kinds on hostile files: each is the file's problem
        return Problem(file.rel, None, f"is not a {_NAMES[expected]} image Pillow can read ({_said(exc)})")


ORIENTATION = 0x0112  # the EXIF tag


def _wrong_kind(rel: str, expected: str, found: str) -> Problem:
    name = _NAMES.get(found, found)
    hint = f": rename it to end in {_EXTENSIONS[found]}" if found in _EXTENSIONS else ""
    return Problem(rel, None, f"is a {name} file, not the {_NAMES[expected]} image its name says{hint}")


def _too_large(exc: Exception) -> str:
    return f"is too large to open safely, a possible decompression bomb ({_said(exc)})"


def _said(exc: Exception) -> str:
    return str(exc).rstrip(".") or type(exc).__name__


class _strict(warnings.catch_warnings):
    """Within this block, Pillow's warning about a very large image is an error."""

    def __enter__(self) -> None:
        super().__enter__()
        warnings.simplefilter("error", Image.DecompressionBombWarning)


def publish_image(context: Mapping[str, Any], env: jinja2.Environment) -> bytes:
    """Return an image upright and without metadata (or with it, if site.yml says so), at its own width or
    `width` pixels wide."""
    name = context["name"]
    raw = _read(context["file"], name, context["digest"])
    try:
        with _strict():
            return _encode(raw, context)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise SsgError([Problem(name, None, _too_large(exc))]) from None
    except SsgError:
        raise
    except Exception as exc:  # a truncated or damaged file, found only when its pixels are decoded
        message = f"is damaged or cut short: Pillow cannot decode it ({_said(exc)})"
        raise SsgError([Problem(name, None, message)]) from None


def _encode(raw: bytes, context: Mapping[str, Any]) -> bytes:
    image: Image.Image = Image.open(io.BytesIO(raw))
    kind: str = context["format"]
    width: int | None = context["width"]
    keep = not context["strip"]
    if keep and width is None:
        image.load()  # the whole file is checked, then published as it is
        return raw
    icc = image.info.get("icc_profile")
    exif = image.getexif()
    orientation = exif.get(ORIENTATION, 1)
    if getattr(image, "n_frames", 1) > 1:
        return _animation(image, kind, icc)
    turned = orientation in (5, 6, 7, 8)
    stored = image.size
    if width is not None:
        shown = stored[::-1] if turned else stored
        height = max(1, round(shown[1] * width / shown[0]))
        stored = (height, width) if turned else (width, height)  # the copy's size before it is turned upright
        if kind == "JPEG":
            image.draft(image.mode, stored)  # decode at a reduced scale where that still covers the copy
    image.load()
    options: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if kind == "JPEG" and width is None and orientation in (None, 1):
        # The same quantization as the source: as close to its quality as a new encoding gets.
        image.info = {}
        return _save(image, kind, {**options, "quality": "keep", "subsampling": "keep"}, context)
    source_mode, transparency = image.mode, image.info.get("transparency")
    if width is not None:
        image = _resized(image, stored, Image.Resampling.LANCZOS)  # then turned: fewer pixels to move
    if (method := _UPRIGHT.get(orientation)) is not None:
        image = image.transpose(method)
    if keep:
        exif.pop(ORIENTATION, None)
        options["exif"] = exif.tobytes()
    image.info = {}
    if transparency is not None and image.mode == source_mode:  # not the pixels' alpha after resizing
        options["transparency"] = transparency
    return _save(image, kind, options, context)


# How each EXIF orientation is turned upright (as ImageOps.exif_transpose does).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _resized(image: Image.Image, size: tuple[int, int], resample: Image.Resampling) -> Image.Image:
    if image.mode in ("P", "1", "LA", "PA") or (image.mode == "L" and "transparency" in image.info):
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        image = image.convert("RGB")
    return image.resize(size, resample)


def _save(image: Image.Image, kind: str, options: dict[str, Any], context: Mapping[str, Any]) -> bytes:
    if kind == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options.setdefault("quality", context["quality"])
        options.update(optimize=True)  # progressive encoding took twice as long for 3 % fewer bytes
    elif kind == "WEBP":
        options.update(quality=context["quality"], method=4)
    elif kind == "PNG":
        options.update(optimize=False, compress_level=9 if image.width * image.height < 1_000_000 else 6)
    elif kind == "GIF" and image.mode not in ("P", "L", "1", "RGBA"):
        image = image.convert("P", palette=Image.Palette.ADAPTIVE)  # (Pillow turns RGBA into P with transparency)
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def _animation(image: Image.Image, kind: str, icc: bytes | None) -> bytes:
    """Return an animated GIF or WebP with every frame and its timing, and nothing else."""
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(int(frame.info.get("duration", 100)))
        copy = frame.convert("RGBA")
        copy.info = {}
        frames.append(copy)
    options: dict[str, Any] = {"save_all": True, "append_images": frames[1:], "duration": durations}
    options["loop"] = int(image.info.get("loop", 0))
    if kind == "WEBP":
        options.update(lossless=False, quality=90, method=4)
        if icc:
            options["icc_profile"] = icc
    out = io.BytesIO()
    frames[0].save(out, kind, **options)
    return out.getvalue()


__all__ = ["Published", "measure", "plan"]
