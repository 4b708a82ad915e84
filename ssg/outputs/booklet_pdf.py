"""A booklet part as one PDF, bound from its sheets' handouts: a cover with contents, each sheet on an odd page.

Binding places each handout's pages as they are (Typst 0.14 embeds PDF pages), so no sheet is typeset twice:
a part costs about a tenth of typesetting its sheets again, and far less memory.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import typst

from ssg.errors import Problem, SsgError
from ssg.outputs import Output
from ssg.outputs.pdf import (
    Typesetting,
    check_worker,
    fonts_folder,
    language_code,
    sheet_bytes,
    sheet_pdf,
    timestamp,
)

if TYPE_CHECKING:
    from ssg.outputs.worksheets import BookletPart, Sheet

# The page tree of a PDF that Typst wrote (uncompressed): `<</Type/Pages/Count 3/Kids[…]>>`.
_PAGE_COUNT = re.compile(rb"<</Type/Pages/Count (\d+)/")


def plan(parts: Sequence[BookletPart], typesetting: Typesetting) -> list[Output]:
    """Return the handout of every sheet and of every booklet part, each part after its own sheets.

    A part and its sheets form one render group, so the process that makes the handouts binds them.
    """
    outputs: list[Output] = []
    for part in parts:
        group = f"booklet-pdf-{part.number}"
        outputs.extend(sheet_pdf(sheet, typesetting, group) for sheet in part.sheets)
        context = {"sheets": part.sheets, "typesetting": typesetting, "part": (part.number, len(parts))}
        outputs.append(
            Output(part.pdf_url, context=context, producer=booklet, threaded=True, group=group, cost=len(part.sheets))
        )
    return outputs


def booklet(context: Mapping[str, Any], env: jinja2.Environment) -> bytes:
    """Return the PDF of a booklet part: its cover with contents, then its sheets' handouts."""
    typesetting: Typesetting = context["typesetting"]
    sheets: tuple[Sheet, ...] = context["sheets"]
    handouts = [sheet_bytes(sheet, typesetting) for sheet in sheets]
    data = cover_data(sheets, context["part"], typesetting, [page_count(h, typesetting) for h in handouts])
    check_worker()
    # The compiler may read this folder only, which holds nothing but the handouts, as 1.pdf, 2.pdf, …
    with tempfile.TemporaryDirectory(prefix="ssg-booklet-") as folder:
        for number, handout in enumerate(handouts, 1):
            Path(folder, f"{number}.pdf").write_bytes(handout)
        try:
            made = typst.Compiler(root=folder, font_paths=[str(fonts_folder())], ignore_system_fonts=True).compile(
                input=typesetting.booklet,
                format="pdf",
                sys_inputs={"data": json.dumps(data, ensure_ascii=False, sort_keys=True)},
                timestamp=timestamp(*sheets),
            )
        except typst.TypstError as exc:
            raise SsgError([Problem(typesetting.booklet_shown, None, f"Typst: {exc.message or exc}")]) from None
    if not isinstance(made, bytes):
        raise SsgError([Problem(typesetting.booklet_shown, None, "Typst made no single PDF")])
    return made


def page_count(handout: bytes, typesetting: Typesetting) -> int:
    """Return the number of pages of a handout Typst made."""
    found = _PAGE_COUNT.findall(handout)
    if len(found) != 1:
        raise SsgError([Problem(typesetting.shown, None, "made a PDF whose pages ssg cannot count")])
    return int(found[0])


def cover_data(
    sheets: Sequence[Sheet], part: tuple[int, int], typesetting: Typesetting, pages: Sequence[int]
) -> dict[str, Any]:
    """Return what the booklet template prints besides the handouts, as plain JSON data: texts stay texts."""
    config = sheets[0].config
    strings = typesetting.strings
    number, total = part
    return {
        "lang": language_code(config),
        "site": config.title,
        "author": config.author.name,
        "title": strings.get("booklet", ""),
        "subtitle": strings.get("booklet_part", "").format(number=number, total=total) if total > 1 else "",
        "strings": dict(strings),
        "sheets": [{"title": sheet.title, "pages": count} for sheet, count in zip(sheets, pages, strict=True)],
    }


__all__ = ["booklet", "cover_data", "page_count", "plan"]
