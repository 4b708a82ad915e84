"""Theme lookup (site theme over the built-in default), the Jinja environment, UI strings."""

from __future__ import annotations

import functools
import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes
from babel.core import Locale, get_global
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from ssg import urls, yamlload
from ssg.config import SiteConfig
from ssg.content.essay import Essay, timestamp
from ssg.content.files import Attachments
from ssg.content.page import Page
from ssg.css import css_content, css_string
from ssg.engine.fingerprint import digest, fingerprint
from ssg.errors import ContentError, Problem, SsgError, TemplateError
from ssg.markdown import BodyRenderer, NestingError, make_inline_renderer, make_renderer
from ssg.toc import make_toc


def builtin_theme_dir() -> Path:
    """Return the default theme: inside the wheel, or at the repository top in a checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "themes" / "default", package.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise TemplateError([Problem(str(package), None, "the default theme is missing from this installation")])


@dataclass(frozen=True)
class Theme:
    """The ordered theme folders (most specific first) and what is read from them."""

    dirs: tuple[Path, ...]
    strings: dict[str, str]
    warnings: tuple[Problem, ...] = ()

    @property
    def static_dirs(self) -> tuple[Path, ...]:
        """Return static folders, most specific first."""
        return tuple(d / "static" for d in self.dirs if (d / "static").is_dir())


def load_theme(config: SiteConfig) -> Theme:
    """Find the site's theme folders and read their UI strings."""
    builtin = builtin_theme_dir()
    own = config.root / "themes" / config.theme
    if config.theme != "default" and not own.is_dir():
        msg = f"theme '{config.theme}' not found (looked in {own.relative_to(config.root)}/)"
        raise TemplateError([Problem("site.yml", None, msg)])
    dirs = tuple(dict.fromkeys(d for d in (own, config.root / "themes" / "default", builtin) if d.is_dir()))
    strings, warnings = _strings(dirs, config.language, config.root)
    code = config.language.split("-")[0].lower()
    if code != "en" and not any((d / "i18n" / f"{code}.yml").is_file() for d in dirs):
        message = f"the theme has no UI strings for '{code}': buttons and labels stay English"
        warnings.append(Problem("site.yml", None, message + f" (add i18n/{code}.yml to a theme)", "warning"))
    warnings.extend(_replaced_stylesheets(dirs, builtin, config.root))
    return Theme(dirs=dirs, strings=strings, warnings=tuple(warnings))


def _replaced_stylesheets(dirs: tuple[Path, ...], builtin: Path, root: Path) -> list[Problem]:
    """Warn about a site theme's static/style.css much smaller than the default's: it replaces it, all of it.

    A stylesheet of less than half the default's size is most likely meant as an addition (a new accent
    colour, say), and leaves the pages without the theme's layout.
    """
    default = builtin / "static" / "style.css"
    if not default.is_file():
        return []
    warnings = []
    for folder in dirs:
        own = folder / "static" / "style.css"
        if folder != builtin and own.is_file() and own.stat().st_size < default.stat().st_size // 2:
            message = (
                "replaces the default theme's whole stylesheet, so pages lose its layout and colours; "
                "to add to it, put your rules in a file of the site's static folder (static/mein.css) "
                "and list it under 'extra_css:' in site.yml (see 'Making the theme your own' in the README)"
            )
            warnings.append(Problem(_shown(own, root), None, message, "warning"))
    return warnings


def _strings(dirs: tuple[Path, ...], language: str, root: Path) -> tuple[dict[str, str], list[Problem]]:
    """Merge the UI strings: English first, then the language, then its region; a site's theme over the default.

    Raise TemplateError for broken files or placeholders; return the strings and warnings (names that have
    no English string: typos, most likely).
    """
    merged: dict[str, str] = {}
    problems: list[Problem] = []
    english: dict[str, set[str]] = {}  # each English string's {placeholders}
    wanted = ["en", language.split("-")[0].lower(), language.lower()]
    for code in dict.fromkeys(wanted):
        for folder in reversed(dirs):
            path = folder / "i18n" / f"{code}.yml"
            if not path.is_file():
                continue
            shown = _shown(path, root)
            for key, text, line in _read_strings(path, shown, problems):
                merged[key] = text
                fields = _placeholders(text)
                if fields is None:
                    message = f"UI string '{key}' has a broken {{placeholder}} (write {{{{ and }}}} for braces)"
                    problems.append(Problem(shown, line, message))
                elif code == "en":
                    english[key] = fields
                elif key not in english:
                    message = f"UI string '{key}' has no English version, so no template uses it: a typo?"
                    problems.append(Problem(shown, line, message, "warning"))
                elif unknown := fields - english[key]:
                    offered = ", ".join(f"{{{f}}}" for f in sorted(english[key])) or "none"
                    message = f"UI string '{key}' uses {{{min(unknown)}}}, which it is not given (it has: {offered})"
                    problems.append(Problem(shown, line, message))
    if any(p.severity == "error" for p in problems):
        raise TemplateError([p for p in problems if p.severity == "error"])
    return merged, problems


def _placeholders(text: str) -> set[str] | None:
    """Return the names of a format string's {placeholders}; None if it is malformed."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    return {re.split(r"[.\[]", name, maxsplit=1)[0] for _, name, _, _ in parsed if name is not None}


def _read_strings(path: Path, shown: str, problems: list[Problem]) -> list[tuple[str, str, int]]:
    """Read one i18n file: (name, text, line) of each string (numbers count as text); record problems."""
    try:
        data = yamlload.load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(Problem(shown, None, "file is not valid UTF-8"))
        return []
    except OSError as exc:
        problems.append(Problem(shown, None, f"cannot read file: {exc.strerror or exc}"))
        return []
    except yamlload.YamlError as exc:
        problems.append(Problem(shown, exc.line, exc.message))
        return []
    if data is None:
        return []
    if not isinstance(data, yamlload.LineMap):
        problems.append(Problem(shown, 1, "UI strings must be a mapping of 'name: text' lines"))
        return []
    strings = []
    for key, value in data.items():
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            strings.append((str(key), str(value), data.line_of(key)))
        else:
            hint = " (put it in quotes)" if value is None or isinstance(value, bool) else ""
            problems.append(Problem(shown, data.line_of(key), f"UI string '{key}' must be text{hint}"))
    return strings


def _shown(path: Path, root: Path) -> str:
    """Name a theme file relative to the site when it is inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses templates linking to files outside the site or the theme."""

    def __init__(self, searchpath: list[str], allowed: list[str]) -> None:
        super().__init__(searchpath)
        self.allowed = [Path(a).resolve() for a in allowed]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(a) for a in self.allowed):
            raise TemplateError([Problem(filename, None, "is a link to a file outside the site (not allowed)")])
        return source, filename, uptodate


def make_environment(
    config: SiteConfig, theme: Theme, compiled: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    """Return the one Jinja environment of a build: autoescape on, strict undefined.

    `compiled` keeps compiled templates between builds (each checked against its source).
    """
    template_dirs = [str(d / "templates") for d in theme.dirs if (d / "templates").is_dir()]
    builtin = str(builtin_theme_dir() / "templates")
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"!default": jinja2.FileSystemLoader(builtin)}),
            _ConfinedLoader(template_dirs, [str(config.root), str(builtin_theme_dir())]),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        auto_reload=False,  # one environment per build: no need to stat two template files per page
        bytecode_cache=compiled,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    render_md = make_renderer(config)
    # Pure functions of their text; lists and worksheets repeat dates, labels and band texts a lot.
    render_short = functools.lru_cache(maxsize=4096)(lambda text: render_md(text, None, False))
    render_inline = functools.lru_cache(maxsize=4096)(make_inline_renderer(config))
    locale = Locale.parse(config.language.replace("-", "_"))  # parsed once: babel re-parses a name on every call
    long_date = functools.lru_cache(maxsize=4096)(lambda day: format_date(day, format="long", locale=locale))
    env.filters.update(
        url=lambda url: urls.relative_to_base(config.base_path, url),
        abs_url=lambda url: urls.absolute(config.base_url, url),
        date=lambda value: long_date(value.date() if isinstance(value, datetime) else value),
        isodate=functools.lru_cache(maxsize=4096)(timestamp),  # every page shows a few dates, lists many
        markdown=lambda text: Markup(render_short(text)),
        inline=lambda text: Markup(render_inline(text)),
        tojson_compact=lambda value: Markup(json.dumps(value, ensure_ascii=False, sort_keys=True)),
        filesize=lambda size: file_size(size, locale),
        css_string=css_string,
        css_content=css_content,
    )
    env.globals.update(
        t=_translator(theme.strings),
        config=config,
        lang=config.language,
        urls=urls,
        og_locale=og_locale(config.language),
        body=_page_body(render_body := _body_renderer(render_md)),
        render_body=render_body,
        toc=make_toc(config),
        sheet_form_html=_sheet_forms(env),
        has_worksheets=False,
        scheduled=frozenset(),
    )
    return env


Body = Callable[[Essay | Page, Attachments | None, bool], Markup]


def _body_renderer(render_md: BodyRenderer) -> Body:
    """Return `render_body(text, files, absolute)`: an essay's or page's HTML with its files' URLs, remembered for
    the few texts used twice (feeds)."""

    @functools.lru_cache(maxsize=64)
    def html(digest: str, text: str, files: Attachments | None, absolute: bool) -> Markup:
        return Markup(render_md(text, files.link_map() if files else None, absolute))

    def render_body(essay: Essay | Page, files: Attachments | None = None, absolute: bool = False) -> Markup:
        try:
            return html(essay.digest, essay.body, files, absolute)
        except NestingError as exc:
            raise ContentError(essay.source, essay.body_line + exc.line - 1, str(exc)) from None

    return render_body


def _page_body(render_body: Body) -> Callable[..., Markup]:
    """Return `body(essay)` for templates: the text with the files its page's context publishes beside it
    (`attachments`, by source), so that what a page shows is always part of its cache key."""

    @jinja2.pass_context
    def body(context: jinja2.runtime.Context, essay: Essay | Page) -> Markup:
        files: dict[str, Attachments] = context.get("attachments") or {}
        return render_body(essay, files.get(essay.source), False)

    return body


def _sheet_forms(env: jinja2.Environment) -> Callable[[Any], Markup]:
    """Return `sheet_form_html(sheet)`: the `sheet_form` macro of _worksheet.html, once per sheet and process.

    A worksheet page and its booklet part show the same form; the booklet no longer renders it again.
    """
    done: dict[str, Markup] = {}

    def sheet_form_html(sheet: Any) -> Markup:
        form = done.get(sheet.digest)
        if form is None:
            if len(done) >= 512:
                done.clear()
            form = done[sheet.digest] = Markup(env.get_template("_worksheet.html").module.sheet_form(sheet))  # type: ignore[attr-defined]
        return form

    return sheet_form_html


# Globals that render a template of their own: a template using one depends on that template, too.
RENDERING_GLOBALS = {"sheet_form_html": ("_worksheet.html",)}


References = dict[str, tuple[str, ...] | None]  # by digest of a template's source: the templates it loads


class TemplateKeys:
    """Each template's share of its pages' cache keys: a digest of the sources it renders with.

    A template renders with itself and every template it extends, includes or imports, followed through
    those (and through RENDERING_GLOBALS); editing one template then re-renders only the pages that use it.
    When the analysis cannot follow a template (a name chosen at run time, a missing or broken template),
    its key is `whole`, which covers every file of the theme. What each template source references is
    remembered in `references` (kept between builds: parsing the templates costs more than the rest).
    """

    def __init__(self, env: jinja2.Environment, base: str, whole: str, references: References | None = None) -> None:
        self.env, self.base, self.whole = env, base, whole
        self.references = {} if references is None else references
        self.known: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        key = self.known.get(name)
        if key is None:
            sources = self.sources(name)
            key = self.whole if sources is None else fingerprint([self.base, sorted(sources.items())])
            self.known[name] = key
        return key

    def sources(self, name: str) -> dict[str, str] | None:
        """Return the source of every template `name` renders with, by name; None if that can't be known."""
        found: dict[str, str] = {}
        todo = [name]
        loader = self.env.loader
        assert loader is not None
        while todo:
            current = todo.pop()
            if current in found:
                continue
            try:
                source, filename, _ = loader.get_source(self.env, current)
            except (jinja2.TemplateError, SsgError, OSError, UnicodeDecodeError):
                return None  # the render reports it
            found[current] = source
            referenced = self._referenced(source, current, filename)
            if referenced is None:
                return None
            todo.extend(referenced)
        return found

    def _referenced(self, source: str, name: str, filename: str | None) -> tuple[str, ...] | None:
        key = digest(source.encode("utf-8", "surrogatepass"))
        if key not in self.references:
            self.references[key] = _references(self.env, source, name, filename)
        return self.references[key]


def _references(env: jinja2.Environment, source: str, name: str, filename: str | None) -> tuple[str, ...] | None:
    """Return the templates a template source loads by name, or None if it chooses one at run time."""
    try:
        tree = env.parse(source, name, filename)
    except jinja2.TemplateError:
        return None  # the render reports it
    referenced = list(jinja2.meta.find_referenced_templates(tree))
    if None in referenced:
        return None
    # Every mention of a rendering global counts, wherever it is (jinja2.meta leaves out globals).
    used = {node.name for node in tree.find_all(jinja2.nodes.Name)}
    referenced.extend(t for g, templates in RENDERING_GLOBALS.items() if g in used for t in templates)
    return tuple(sorted({n for n in referenced if n is not None}))


def file_size(size: int, locale: Locale) -> str:
    """Return a file's size for readers: "48 KB", "1,2 MB" (1 KB = 1024 bytes; never "0 KB")."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{format_decimal(round(size / 1024 / 1024, 1), format='#,##0.0', locale=locale)} MB"


def og_locale(language: str) -> str:
    """Return an Open Graph locale like de_DE for a language code like de."""
    code = language.replace("-", "_")
    likely = str(get_global("likely_subtags").get(code.lower(), code))
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else code


def _translator(strings: dict[str, str]) -> Any:
    def t(key: str, **values: Any) -> str:
        if key not in strings:
            raise KeyError(f"no UI string '{key}' in the theme's i18n files")
        return strings[key].format(**values) if values else strings[key]

    return t


def template_problem(exc: Exception, name: str | None = None) -> Problem:
    """Turn a Jinja error into a Problem naming the template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(exc.filename or exc.name or "template", exc.lineno, f"template error: {exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        including = _template_frame(exc)  # the template that asked for it, if any
        if including:
            return Problem(including[0], including[1], f"template error: template '{exc.name}' not found")
        return Problem(str(exc.name or "template"), None, "template not found")
    frame = _template_frame(exc)
    message = f"template error: {exc}" if str(exc) else f"template error: {type(exc).__name__}"
    if isinstance(exc, RecursionError):
        # Most often an override that extends itself: {% extends "essay.html" %} in essay.html.
        message = "template error: a template extends, includes or imports itself, directly or through others"
        message += f" (an override extends the default's template as \"!default/{name}\")" if name else ""
    return Problem(frame[0], frame[1], message) if frame else Problem(name or "template", None, message)


def _template_frame(exc: Exception) -> tuple[str, int] | None:
    tb = exc.__traceback__
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".svg", ".json")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
