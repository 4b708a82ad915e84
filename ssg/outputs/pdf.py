"""Worksheets as PDF handouts: a sheet's data in, through the theme's Typst template, a PDF out.

The author's texts reach Typst only as JSON data (`sys.inputs.data`), which the template places as text:
nothing written in an essay is ever read as Typst markup, so `#read("/etc/passwd")` prints as itself.
Booklet parts bind these handouts (see booklet_pdf.py) rather than typesetting every sheet again.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import typst
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ssg.config import SiteConfig
from ssg.content.typography import quotes_for
from ssg.engine.fingerprint import digest, fingerprint
from ssg.errors import Problem, SsgError, TemplateError
from ssg.markdown import make_parser
from ssg.outputs import Output, qr
from ssg.theme import Theme, builtin_theme_dir

if TYPE_CHECKING:
    from ssg.content.worksheet import Field, Worksheet
    from ssg.outputs.worksheets import Sheet

TEMPLATE = "pdf/worksheet.typ"  # in a theme folder; a site theme's own replaces the default's
BOOKLET = "pdf/booklet.typ"  # binds a booklet part's handouts, with a cover and its contents

# The UI strings a handout prints: the template's name for each, and the theme's.
STRINGS = {
    "worksheet_for": "worksheet_for",
    "questions": "reflection_questions",
    "assessment": "self_assessment",
    "score_key": "score_key",
    "score_instructions": "score_instructions",
    "choose_one": "choose_one",
    "choose_many": "choose_many",
    "reverse_item": "reverse_item",
    "page_of": "page_of",
    "name": "handout_name",
    "date": "handout_date",
    "total": "handout_total",
    "points": "score_points",
    "contents": "handout_contents",
    "to_essay": "handout_to_essay",
    "booklet": "booklet",
    "booklet_part": "booklet_part",
    "score_reverse_instructions": "score_reverse_instructions",
    "score_range": "score_range",
}


@dataclass(frozen=True)
class Typesetting:
    """What every handout of a build is typeset with: the theme's Typst template and the UI strings it prints.

    Its digest stands for all of it in cache keys.
    """

    source: bytes = field(repr=False)
    folder: str  # the only folder the compiler may read from: the template's own
    shown: str  # the template's name in messages, from the site folder on
    strings: Mapping[str, str]
    language: str
    digest: str
    booklet: bytes = field(repr=False, default=b"")  # the booklet template's source
    booklet_shown: str = ""


def load_typesetting(config: SiteConfig, theme: Theme) -> Typesetting | None:
    """Return the site's typesetting for handouts, or None when site.yml turns PDFs off."""
    if not config.pdf:
        return None
    path, shown = _template(config, theme, TEMPLATE)
    booklet, booklet_shown = _template(config, theme, BOOKLET)
    source, booklet_source = path.read_bytes(), booklet.read_bytes()
    strings = {name: theme.strings[key] for name, key in STRINGS.items() if key in theme.strings}
    parts = [digest(source), shown, digest(booklet_source), booklet_shown, strings, config.language, typesetter()]
    key = fingerprint(parts)
    return Typesetting(source, str(path.parent), shown, strings, config.language, key, booklet_source, booklet_shown)


def fonts_folder() -> Path:
    """Return the folder of the fonts ssg ships for handouts (Noto Emoji), beside those the typst package embeds."""
    return builtin_theme_dir() / "pdf" / "fonts"


@functools.cache
def typesetter() -> str:
    """Return a digest of what typesets beside the templates: the Typst version and the fonts ssg ships."""
    fonts = sorted(fonts_folder().glob("*.ttf"))
    version = str(getattr(typst, "__version__", ""))  # not in the stubs
    return digest(version.encode(), *(p.name.encode() + p.read_bytes() for p in fonts))


def _template(config: SiteConfig, theme: Theme, name: str) -> tuple[Path, str]:
    """Return the theme's Typst template `name` and its name in messages; raise TemplateError if it has none."""
    path = next((d / name for d in theme.dirs if (d / name).is_file()), None)
    if path is None:
        raise TemplateError([Problem(str(theme.dirs[-1]), None, f"the theme has no {name} for PDF handouts")])
    shown = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else str(path)
    if not any(path.resolve().is_relative_to(d.resolve()) for d in (config.root, builtin_theme_dir())):
        raise TemplateError([Problem(shown, None, "is a link to a file outside the site (not allowed)")])
    return path, shown


def sheet_pdf(sheet: Sheet, typesetting: Typesetting, group: str = "") -> Output:
    """Return the handout of one worksheet; `group` keeps it in the process that binds its booklet part."""
    context = {"sheet": sheet, "typesetting": typesetting}
    return Output(
        sheet.pdf_url, context=context, producer=handout, source=sheet.essay.source, threaded=True, group=group,
        cost=SHEET_COST,
    )


SHEET_COST = 10  # a handout takes about ten times the work of binding it into a booklet part


def handout(context: Mapping[str, Any], env: jinja2.Environment) -> bytes:
    """Return the PDF of the sheet `context["sheet"]`, and keep it for its booklet part, rendered next."""
    made = typeset(context["sheet"], context["typesetting"])
    _MADE[_made_key(context["sheet"], context["typesetting"])] = made
    while len(_MADE) > MADE_KEPT:
        _MADE.popitem(last=False)
    return made


# The handouts this process made lately, for the booklet part that binds them: a part renders in the process
# that rendered its sheets just before (one render group). Bounded: a part whose sheets were not rendered in
# this build (their files were current) typesets them itself.
_MADE: OrderedDict[tuple[str, str], bytes] = OrderedDict()
MADE_KEPT = 200


def _made_key(sheet: Sheet, typesetting: Typesetting) -> tuple[str, str]:
    return (typesetting.digest, sheet.pdf_url)


def sheet_bytes(sheet: Sheet, typesetting: Typesetting) -> bytes:
    """Return the handout of `sheet`: the one this process just made for it, or a new one."""
    made = _MADE.pop(_made_key(sheet, typesetting), None)
    return made if made is not None else typeset(sheet, typesetting)


def typeset(sheet: Sheet, typesetting: Typesetting) -> bytes:
    """Return the PDF of one worksheet, typeset with the theme's template."""
    data = document_data(sheet, typesetting)
    try:
        made = compiler(typesetting.folder, typesetting.shown).compile(
            format="pdf",
            sys_inputs={"data": json.dumps(data, ensure_ascii=False, sort_keys=True)},
            timestamp=timestamp(sheet),
        )
    except typst.TypstError as exc:
        raise SsgError([Problem(typesetting.shown, None, f"Typst: {exc.message or exc}")]) from None
    if not isinstance(made, bytes):
        raise SsgError([Problem(typesetting.shown, None, "Typst made no single PDF")])
    return made


def timestamp(*sheets: Sheet) -> int:
    """Return the PDF's creation date: the newest essay's, so the bytes are the same on every build and machine.

    As Unix seconds, at 1970 at the earliest (Typst takes no earlier ones).
    """
    return max(0, int(max((s.essay.updated or s.essay.date) for s in sheets).timestamp()))


@functools.cache
def compiler(folder: str, shown: str) -> typst.Compiler:
    """Return this process's Typst compiler for the template `shown` in `folder`, made once and reused.

    It reads files from `folder` only (the theme's pdf/ folder) and knows only the fonts the typst package
    embeds and the default theme's pdf/fonts/ (Noto Emoji): no system fonts, so a handout looks the same, byte
    for byte, on every machine. The template is
    its main file, read by path: an unchanged file is not parsed again for every sheet. Typst starts
    threads, which a fork would copy half: a process that compiles must never fork again, so handouts are
    made in worker processes only (Output.threaded), never in the process that runs the build.
    """
    check_worker()
    main = os.path.join(folder, os.path.basename(shown))
    return typst.Compiler(input=main, root=folder, font_paths=[str(fonts_folder())], ignore_system_fonts=True)


def check_worker() -> None:
    """Raise RuntimeError in the process that runs the build: Typst's threads would hang its later forks."""
    if multiprocessing.parent_process() is None and "fork" in multiprocessing.get_all_start_methods():
        raise RuntimeError("Typst compiles in worker processes only: its threads would hang any process forked later")


def document_data(sheet: Sheet, typesetting: Typesetting) -> dict[str, Any]:
    """Return everything the template typesets, as plain JSON data: texts stay texts."""
    config = sheet.config
    return {
        "lang": language_code(config),
        "site": config.title,
        "author": config.author.name,
        "title": sheet.title,
        "booklet": None,  # booklets bind handouts (booklet.typ); kept for templates written when they did not
        "strings": dict(typesetting.strings),
        "sheets": [_sheet_data(sheet, _parser(config), typesetting.strings)],
    }


def language_code(config: SiteConfig) -> str:
    """Return the site's language as Typst names it: de for de-CH."""
    return config.language.split("-")[0].lower()


def _sheet_data(sheet: Sheet, parser: MarkdownIt, strings: Mapping[str, str]) -> dict[str, Any]:
    worksheet = sheet.worksheet
    essay = sheet.essay
    quotes = quotes_for(sheet.config.language)
    return {
        "url": sheet.essay_abs_url,
        "title": sheet.title,
        "essay": essay.title,
        "kicker": f"{strings.get('worksheet_for', '')} {quotes[0]}{essay.title}{quotes[1]}",
        "qr": qr.qr_svg(sheet.essay_abs_url).decode(),
        "intro": rich_text(parser, worksheet.intro) if worksheet and worksheet.intro else [],
        "prompts": [{"text": p.text, "hint": p.hint} for p in essay.prompts],
        "fields": [_field_data(f, sheet, strings) for f in worksheet.fields] if worksheet else [],
        "score": _score_data(worksheet, parser, strings) if worksheet and worksheet.score else None,
    }


def _field_data(field: Field, sheet: Sheet, strings: Mapping[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"type": field.type, "label": field.label, "help": field.help}
    if field.type == "text":
        data["lines"] = field.lines
    elif field.type == "scale":
        data.update(points=field.scale_points, left=field.left, right=field.right, reverse="")
        if field.reverse:
            data["reverse"] = f"{strings.get('reverse_item', '')}: {_reverse_pairs(field.scale_points)}"
    elif field.type == "choice":
        data["options"] = list(field.options)
        data["hint"] = strings.get("choose_many" if field.multiple else "choose_one", "")
    else:
        ref = sheet.refs.get(field.id, "")
        data.update(ref=ref, unit=field.unit, value=sheet.constants.get(field.id, ""), range="", formula="")
        if field.type == "number" and field.min is not None and field.max is not None:
            data["range"] = f"{field.min:g}–{field.max:g}"
        if field.id in sheet.formulas:
            data["formula"] = f"{ref} = {sheet.formulas[field.id]}"
    return data


def _reverse_pairs(points: list[int]) -> str:
    return ", ".join(f"{point} → {points[-index]}" for index, point in enumerate(points, 1))


def _score_data(worksheet: Worksheet, parser: MarkdownIt, strings: Mapping[str, str]) -> dict[str, Any]:
    score = worksheet.score
    assert score is not None
    reversed_fields = [f for f in worksheet.fields if f.reverse and f.id in score.sum]
    instructions = strings.get("score_instructions", "")
    if reversed_fields:
        pairs = _reverse_pairs(reversed_fields[0].scale_points)
        instructions += " " + strings.get("score_reverse_instructions", "").format(pairs=pairs)
    bands = [
        {
            "range": strings.get("score_range", "{low}–{high}").format(low=band.low, high=band.high),
            "title": band.title,
            "text": rich_text(parser, band.text) if band.text else [],
        }
        for band in score.bands
    ]
    return {"label": score.label or strings.get("score_key", ""), "instructions": instructions, "bands": bands}


@functools.lru_cache(maxsize=8)
def _parser(config: SiteConfig) -> MarkdownIt:
    return make_parser(config)


Run = dict[str, Any]  # {"text": …, "strong": bool, "emph": bool, "code": bool}


def rich_text(parser: MarkdownIt, text: str) -> list[list[Run]]:
    """Return Markdown as paragraphs of text runs with their emphasis: data for Typst, never markup."""
    paragraphs: list[list[Run]] = []
    lists: list[int | None] = []  # for each open list: the next item's number, or None for bullets
    prefix = ""
    for token in parser.parse(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(int(token.attrGet("start") or 1) if token.type == "ordered_list_open" else None)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open" and lists:
            number = lists[-1]
            prefix = "  " * (len(lists) - 1) + ("• " if number is None else f"{number}. ")
            lists[-1] = None if number is None else number + 1
        elif token.type == "inline":
            runs = _runs(token.children or [])
            if prefix:
                runs.insert(0, _run(prefix))
                prefix = ""
            paragraphs.append(runs)
        elif token.type in ("fence", "code_block"):
            paragraphs.append([_run(token.content.rstrip("\n"), code=True)])
    return paragraphs


def _runs(children: Iterable[Token]) -> list[Run]:
    runs: list[Run] = []
    strong = emph = 0
    for child in children:
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            strong += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            emph += 1 if kind == "em_open" else -1
        elif kind in ("text", "code_inline", "image", "softbreak", "hardbreak"):
            words = {"softbreak": " ", "hardbreak": "\n", "image": child.content}.get(kind, child.content)
            runs.append(_run(words, strong > 0, emph > 0, kind == "code_inline"))
    return runs


def _run(text: str, strong: bool = False, emph: bool = False, code: bool = False) -> Run:
    return {"text": text, "strong": strong, "emph": emph, "code": code}


__all__ = ["BOOKLET", "TEMPLATE", "Typesetting", "handout", "load_typesetting", "sheet_bytes", "sheet_pdf", "typeset"]
