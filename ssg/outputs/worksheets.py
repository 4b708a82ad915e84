"""Interactive and printable worksheet pages, their QR codes, the worksheet index and the booklet."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import jinja2
from babel import Locale
from babel.numbers import format_decimal

from ssg import urls
from ssg.config import SiteConfig, UrlSegments
from ssg.content import formula
from ssg.content.essay import Essay, EssayCard
from ssg.content.worksheet import Field, Worksheet
from ssg.outputs import Output, PageMeta, booklet_pdf, pdf, qr
from ssg.site import Site


@dataclass(frozen=True)
class Sheet:
    """What the templates and the browser script need to show one essay's worksheet.

    Everything but the essay and the config is derived lazily: only rendered sheets need it.
    """

    essay: EssayCard  # a sheet shows no essay text: its key stays the same when only the text changes
    config: SiteConfig

    @property
    def digest(self) -> str:
        """Return the card's digest: a sheet is made from its essay's card and the site config alone."""
        return self.essay.digest

    @property
    def worksheet(self) -> Worksheet | None:
        """Return the essay's worksheet, if it has one."""
        return self.essay.worksheet

    @property
    def slug(self) -> str:
        """Return the essay's slug."""
        return self.essay.slug

    @property
    def url(self) -> str:
        """Return the worksheet page's URL."""
        return urls.worksheet_url(self.config.urls, self.essay.slug)

    @property
    def title(self) -> str:
        """Return the worksheet's title (the essay's when it has only prompts)."""
        return self.worksheet.title if self.worksheet else self.essay.title

    @property
    def pdf_url(self) -> str:
        """Return the URL of the worksheet as a PDF handout."""
        return urls.worksheet_pdf_url(self.config.urls, self.essay.slug)

    @property
    def qr_url(self) -> str:
        """Return the URL of the QR code leading to the essay."""
        return self.url + "qr.svg"

    @property
    def essay_abs_url(self) -> str:
        """Return the essay's absolute URL, for paper."""
        return urls.absolute(self.config.base_url, urls.essay_url(self.essay.slug))

    @functools.cached_property
    def refs(self) -> dict[str, str]:
        """Return the letters naming number and computed fields on paper."""
        return _refs(self.worksheet)

    @functools.cached_property
    def formulas(self) -> dict[str, str]:
        """Return each computed field's formula for people."""
        return _formulas(self.worksheet, self.config.language) if self.worksheet else {}

    @functools.cached_property
    def constants(self) -> dict[str, str]:
        """Return the values of formulas without inputs."""
        return _constants(self.worksheet, self.config.language) if self.worksheet else {}

    @functools.cached_property
    def data(self) -> dict[str, Any]:
        """Return the data the browser script reads."""
        return _script_data(self.config.base_url, self.essay, self.worksheet, self.essay_abs_url)


def plan(site: Site, typesetting: pdf.Typesetting | None = None) -> list[Output]:
    """Return each worksheet page with its QR code, the index and the booklet; with `typesetting`, their PDFs."""
    config = site.config
    sheets = [sheet_context(site, essay) for essay in site.worksheet_essays]
    if not sheets:
        return []
    parts = booklet_parts(config.urls, sheets, config.booklet_size)
    # Pages list the parts by number and range only: a part's sheets stay out of other pages' keys.
    links = [replace(part, sheets=()) for part in parts]
    outputs: list[Output] = []
    if typesetting is not None:
        outputs.extend(booklet_pdf.plan(parts, typesetting))
    with_pdf = typesetting is not None
    # The worksheet index lists the sheets as the home page lists essays, newest first, and each sheet links to
    # its neighbours in that order; the booklet keeps reading order, so a new essay changes only its last part.
    listed = sheets[::-1]
    neighbours = {
        sheet.slug: (listed[i - 1] if i > 0 else None, listed[i + 1] if i + 1 < len(listed) else None)
        for i, sheet in enumerate(listed)
    }
    for part in parts:
        # A part's worksheet pages and the part itself show the same forms: kept together, one process
        # renders each form once (see sheet_form in theme.py).
        group = f"booklet-{part.number}"
        outputs.extend(sheet_page(sheet, group, with_pdf, neighbours[sheet.slug]) for sheet in part.sheets)
        nearby = part_window(links, part.number)
        context = {"page": PageMeta(part.url, title_key="booklet"), "part": part, "nearby": nearby, "total": len(parts)}
        outputs.append(Output(part.url, "booklet.html", context, group=group, sizes_of=_pdfs(with_pdf, part.pdf_url)))
    outputs.extend(sheet_qr(sheet) for sheet in sheets)
    index_url = urls.worksheet_index_url(config.urls)
    index_context = {"page": PageMeta(index_url, title_key="worksheets"), "sheets": listed, "parts": links}
    shown = _pdfs(with_pdf, *(s.pdf_url for s in sheets), *(p.pdf_url for p in parts))
    outputs.append(Output(index_url, "worksheets.html", index_context, sizes_of=shown))
    return outputs


def essay_outputs(site: Site, essay: Essay, typesetting: pdf.Typesetting | None = None) -> list[Output]:
    """Return an essay's worksheet page and QR code (and PDF, with `typesetting`), if it has a worksheet page."""
    if not essay.has_worksheet_page:
        return []
    sheet = sheet_context(site, essay)
    newer, older = (None if card is None else Sheet(card, site.config) for card in site.worksheet_neighbours(essay))
    handout = [pdf.sheet_pdf(sheet, typesetting)] if typesetting is not None else []
    return [*handout, sheet_page(sheet, with_pdf=typesetting is not None, neighbours=(newer, older)), sheet_qr(sheet)]


def sheet_page(
    sheet: Sheet, group: str = "", with_pdf: bool = False, neighbours: tuple[Sheet | None, Sheet | None] = (None, None)
) -> Output:
    """Return a worksheet page linking to the next newer and older sheet (`neighbours`); `group` keeps it with
    the booklet part that shows the same form."""
    page = PageMeta(sheet.url, sheet.title, description=sheet.essay.summary)
    # The neighbours' cards are part of the key: a neighbour's new title, slug or draft status re-renders the page.
    context = {"page": page, "sheet": sheet, "newer": neighbours[0], "older": neighbours[1]}
    shown = _pdfs(with_pdf, sheet.pdf_url)
    return Output(sheet.url, "worksheet.html", context, source=sheet.essay.source, group=group, sizes_of=shown)


def _pdfs(with_pdf: bool, *pdf_urls: str) -> tuple[str, ...]:
    """Return the PDFs whose file sizes a page shows beside its links to them: none when PDFs are off."""
    return pdf_urls if with_pdf else ()


def sheet_qr(sheet: Sheet) -> Output:
    """Return the QR code of a worksheet page, which leads to the essay."""
    return Output(sheet.qr_url, context={"target": sheet.essay_abs_url}, producer=qr_svg, source=sheet.essay.source)


@dataclass(frozen=True)
class BookletPart:
    """One print job of worksheets: all of them, or a part of a long series."""

    number: int
    url: str
    sheets: tuple[Sheet, ...]
    first: int
    last: int
    pdf_url: str = ""


NEARBY = 2  # parts before and after the current one that a booklet part links to


def part_window(parts: list[BookletPart], number: int) -> tuple[BookletPart | None, ...]:
    """Return the parts a booklet part links to: the first, the last and those near part `number`.

    None stands for a gap. Linking every part from every part would grow with the square of the parts
    (the worksheet index lists them all, once).
    """
    shown = [p for p in parts if p.number in (1, len(parts)) or abs(p.number - number) <= NEARBY]
    window: list[BookletPart | None] = []
    for part in shown:
        if window and window[-1] is not None and part.number > window[-1].number + 1:
            window.append(None)
        window.append(part)
    return tuple(window)


def booklet_parts(segments: UrlSegments, sheets: list[Sheet], size: int) -> list[BookletPart]:
    """Split the worksheets into booklets of at most `size` sheets (one page per booklet)."""
    parts = []
    for number, start in enumerate(range(0, len(sheets), size), 1):
        url, pdf_url = urls.booklet_part_url(segments, number), urls.booklet_pdf_url(segments, number)
        chunk = tuple(sheets[start : start + size])
        parts.append(BookletPart(number, url, chunk, start + 1, start + len(chunk), pdf_url))
    return parts


def sheet_context(site: Site, essay: Essay) -> Sheet:
    """Return the Sheet of an essay with prompts or a worksheet."""
    return Sheet(site.card(essay), site.config)


def qr_svg(context: Mapping[str, Any], env: jinja2.Environment) -> bytes:
    """Return a QR code leading to `context["target"]`, as a standalone SVG."""
    return qr.qr_svg(context["target"])


@functools.cache
def _number(language: str) -> Any:
    locale = Locale.parse(language.replace("-", "_"))
    return lambda value: format_decimal(value, locale=locale)


def _refs(sheet: Worksheet | None) -> dict[str, str]:
    """Give number and computed fields letters (A, B, …) so paper formulas can name them."""
    numeric = [f.id for f in sheet.fields if f.type in ("number", "computed")] if sheet else []
    return {field_id: _letter(i) for i, field_id in enumerate(numeric)}


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else f"{chr(ord('A') + index // 26 - 1)}{chr(ord('A') + index % 26)}"


def _formulas(sheet: Worksheet, language: str) -> dict[str, str]:
    names = _refs(sheet)
    return {f.id: formula.describe(f.formula, names, _number(language)) for f in sheet.fields if f.formula is not None}


def _constants(sheet: Worksheet, language: str) -> dict[str, str]:
    """Return the values of formulas without inputs, so they show even without JavaScript."""
    values = {}
    for field in sheet.fields:
        if field.formula is not None and not formula.references(field.formula):
            value = formula.evaluate(field.formula, {})
            if value is not None:
                values[field.id] = format_decimal(
                    round(value, field.decimals),
                    format=f"#,##0.{'0' * field.decimals}" if field.decimals else "#,##0",
                    locale=language.replace("-", "_"),
                )
    return values


def _script_data(base_url: str, essay: EssayCard, sheet: Worksheet | None, essay_abs_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": f"ssg:{base_url}:{essay.slug}",
        "slug": essay.slug,
        "essay": essay.title,
        "url": essay_abs_url,
        "title": sheet.title if sheet else essay.title,
        "prompts": [{"name": f"frage-{i}", "text": p.text} for i, p in enumerate(essay.prompts, 1)],
        "fields": [_field_data(f) for f in sheet.fields] if sheet else [],
        "score": None,
    }
    if sheet and sheet.score:
        score = sheet.score
        data["score"] = {
            "label": score.label,
            "sum": list(score.sum),
            "bands": [{"low": b.low, "high": b.high, "title": b.title} for b in score.bands],
        }
    return data


def _field_data(field: Field) -> dict[str, Any]:
    data: dict[str, Any] = {"id": field.id, "type": field.type, "label": field.label}
    if field.type == "scale":
        data.update(min=int(field.min or 0), max=int(field.max or 0), reverse=field.reverse)
    elif field.type == "choice":
        data.update(options=list(field.options), multiple=field.multiple)
    elif field.type in ("number", "computed"):
        data["unit"] = field.unit
    if field.formula is not None:
        data.update(formula=formula.to_json(field.formula), decimals=field.decimals)
    return data
