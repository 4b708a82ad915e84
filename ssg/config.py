"""Read site.yml into a frozen SiteConfig, collecting every problem at once."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from ssg import palette, yamlload
from ssg.content.reader import control_problem
from ssg.errors import ConfigError, Problem
from ssg.names import windows_reserved
from ssg.targets import parse_target

CONFIG_FILE = "site.yml"


@dataclass(frozen=True)
class Author:
    """Who writes the site and how readers reach them privately."""

    name: str = "Der Autor"
    email: str = ""
    public_key_url: str = ""
    messenger: str = ""


@dataclass(frozen=True)
class Deploy:
    """Where `ssg deploy` copies the built site (a folder, or user@host:/path), and the ssh command to reach it."""

    target: str = ""
    ssh: str = ""


@dataclass(frozen=True)
class UrlSegments:
    """The words used in URLs; German by default."""

    tags: str = "themen"
    archive: str = "archiv"
    worksheets: str = "arbeitsblaetter"
    worksheet: str = "arbeitsblatt"
    booklet: str = "heft"
    page: str = "seite"
    series: str = "reihen"


# The URL words by the site's language: German for German sites, English for every other language.
ENGLISH_URLS = UrlSegments("topics", "archive", "worksheets", "worksheet", "booklet", "page", "series")


def url_words(language: str) -> UrlSegments:
    """Return the default URL words of a site in `language`."""
    return UrlSegments() if language.split("-")[0].split("_")[0].lower() == "de" else ENGLISH_URLS


@dataclass(frozen=True)
class MarkdownOptions:
    """Switches for the Markdown renderer."""

    html: bool = True
    typographer: bool = True


@dataclass(frozen=True)
class ImageOptions:
    """How images beside essays are published."""

    # Photos carry where and when they were taken and the camera's serial number: removed unless said otherwise.
    strip_metadata: bool = True
    widths: tuple[int, ...] = (480, 960, 1600)  # smaller copies for phones (srcset); never wider than the image
    quality: int = 82  # JPEG and WebP quality of every image ssg encodes anew
    sizes: str = "(max-width: 44rem) calc(100vw - 2.5rem), 40rem"  # how wide images show: the theme's column


FONTS = ("serif", "sans")  # theme_options.font: the text's font family


@dataclass(frozen=True)
class ThemeOptions:
    """What an author changes most in the theme: the accent colour (light and dark) and the text font."""

    accent: str = ""  # #rrggbb; "" keeps the theme's own
    accent_dark: str = ""  # "" derives it from accent
    font: str = ""  # one of FONTS; "" keeps the theme's (serif)

    @property
    def customized(self) -> bool:
        """Tell whether any option is set (then pages load /static/theme-options.css)."""
        return bool(self.accent or self.accent_dark or self.font)


SECTIONS = ("home", "archive", "tags", "worksheets", "series")  # built-in pages a menu entry may name
MENU_KINDS = ("page", "essay", "section", "url")


@dataclass(frozen=True)
class MenuEntry:
    """One entry of a menu as site.yml writes it; what it names is looked up once the content is read.

    `kind` is one of MENU_KINDS, or "name" for a bare word (a section, or a page's or essay's slug or file).
    """

    kind: str
    target: str
    label: str = ""
    line: int = field(default=0, compare=False)  # not part of cache keys: moving a line changes no page


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yml says, with defaults filled in and paths resolved."""

    root: Path
    title: str = "Mein Journal"
    description: str = ""
    language: str = "de"
    base_url: str = "https://example.org/"
    author: Author = field(default_factory=Author)
    theme: str = "default"
    output: Path = Path("_site")
    timezone: str = "Europe/Berlin"
    urls: UrlSegments = field(default_factory=UrlSegments)
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    images: ImageOptions = field(default_factory=ImageOptions)
    static: str = "static"
    pages: str = "pages"
    menu: tuple[MenuEntry, ...] | None = None  # None: the default header (home, archive, tags, worksheets)
    footer_menu: tuple[MenuEntry, ...] = ()
    words_per_minute: int = 200
    feed_items: int = 20
    per_page: int = 20
    booklet_size: int = 50
    toc_min_headings: int = 0  # essays with this many headings (h2, h3) get a table of contents; 0: only toc: true
    theme_options: ThemeOptions = field(default_factory=ThemeOptions)
    extra_css: tuple[str, ...] = ()  # files of the static folder, loaded after the theme's stylesheet
    pdf: bool = True  # a PDF handout of each worksheet and booklet part, made with Typst
    # Where the site is copied shapes none of its bytes: left out of comparisons, so of every cache key.
    deploy: Deploy = field(default_factory=Deploy, compare=False)

    @property
    def base_path(self) -> str:
        """Return the path part of base_url, always ending in '/'."""
        return urlsplit(self.base_url).path or "/"

    @property
    def tz(self) -> ZoneInfo:
        """Return the site's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def essays_dir(self) -> Path:
        """Return the folder holding the essays."""
        return self.root / "essays"

    @property
    def pages_dir(self) -> Path:
        """Return the folder holding the standalone pages."""
        return self.root / self.pages

    def with_output(self, output: Path) -> SiteConfig:
        """Return a copy writing to another output directory."""
        return replace(self, output=output.resolve())


_SECTIONS: dict[str, type[Any]] = {
    "author": Author,
    "urls": UrlSegments,
    "markdown": MarkdownOptions,
    "deploy": Deploy,
    "images": ImageOptions,
    "theme_options": ThemeOptions,
}
_MENUS = ("menu", "footer_menu")
_LISTS = ("extra_css",)
_SIMPLE = {f.name for f in fields(SiteConfig)} - set(_SECTIONS) - set(_MENUS) - set(_LISTS) - {"root"}


def load_config(root: Path) -> tuple[SiteConfig, list[Problem]]:
    """Load `root/site.yml`; raise ConfigError listing all errors; return warnings."""
    path = root / CONFIG_FILE
    rel = CONFIG_FILE
    if not path.is_file():
        message = "no site.yml here: is this a site folder? (ssg init FOLDER starts a new site)"
        raise ConfigError([Problem(str(path), None, message)])
    try:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
        data = yamlload.load(text) or yamlload.LineMap()
    except UnicodeDecodeError:
        raise ConfigError([Problem(rel, None, "file is not valid UTF-8")]) from None
    except yamlload.YamlError as exc:
        raise ConfigError([Problem(rel, exc.line, exc.message)]) from None
    if not isinstance(data, yamlload.LineMap):
        raise ConfigError([Problem(rel, 1, "site.yml must be a mapping of settings")])
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        line = data.line_of(key)
        if key == "images":
            values[key] = _images(value, line, problems)
        elif key in _SECTIONS:
            values[key] = _section(_SECTIONS[key], key, value, line, problems)
        elif key in _MENUS:
            values[key] = _menu(key, value, line, problems)
        elif key in _LISTS:
            values[key] = _text_list(key, value, line, problems)
        elif key in _SIMPLE:
            values[key] = _coerce(SiteConfig, key, value, line, problems, data.written(key))
        else:
            known = ", ".join(sorted([*_SECTIONS, *_MENUS, *_LISTS, *_SIMPLE]))
            problems.append(Problem(rel, line, f"unknown setting '{key}' (ignored; known: {known})", "warning"))
    config = _finish(root, values, data, problems)
    errors = [p for p in problems if p.severity == "error"]
    if errors or config is None:
        raise ConfigError(problems)
    return config, problems


_ANNOTATION_TYPES: dict[str, type[Any]] = {"str": str, "bool": bool, "int": int, "Path": str}


def _field_type(cls: type[Any], name: str) -> type[Any]:
    annotation = next(f.type for f in fields(cls) if f.name == name)
    return _ANNOTATION_TYPES[str(annotation)]


def _coerce(cls: type[Any], key: str, value: Any, line: int, problems: list[Problem], written: str | None) -> Any:
    """Return `value` as the setting's type; text settings take a plain value as written (12:30, not 750)."""
    expected = _field_type(cls, key)
    if expected is bool and isinstance(value, bool):
        return value
    if expected is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if expected is str and (isinstance(value, str) or written is not None):
        text = (value if isinstance(value, str) else str(written)).strip()
        if (problem := control_problem(text)) is not None:
            problems.append(Problem(CONFIG_FILE, line, f"'{key}' {problem}"))
            return None
        return text
    if expected is str and value is None:
        return ""
    problems.append(Problem(CONFIG_FILE, line, f"'{key}' must be {_TYPE_NAMES[expected]}"))
    return None


_TYPE_NAMES = {str: "text", bool: "true or false", int: "a whole number"}


def _section(
    cls: type[Any], name: str, value: Any, line: int, problems: list[Problem], skip: tuple[str, ...] = ()
) -> Any:
    if value is None:
        return cls()
    if not isinstance(value, yamlload.LineMap):
        problems.append(Problem(CONFIG_FILE, line, f"'{name}' must be a mapping"))
        return cls()
    known = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, item in value.items():
        item_line = value.line_of(key)
        if key in skip:
            continue
        if key not in known:
            msg = f"unknown setting '{name}.{key}' (ignored; known: {', '.join(sorted(known))})"
            problems.append(Problem(CONFIG_FILE, item_line, msg, "warning"))
            continue
        coerced = _coerce(cls, key, item, item_line, problems, value.written(key))
        if coerced is not None:
            kwargs[key] = coerced
    return cls(**kwargs)


MAX_WIDTH = 10_000  # pixels: wider copies would be larger than any screen shows


def _images(value: Any, line: int, problems: list[Problem]) -> ImageOptions:
    """Read the images section: `widths` is a list of whole numbers, the rest as in any section."""
    options: ImageOptions = _section(ImageOptions, "images", value, line, problems, skip=("widths",))
    if not isinstance(value, yamlload.LineMap) or "widths" not in value:
        return options
    widths = value["widths"]
    if widths is None:
        return replace(options, widths=())
    if not isinstance(widths, list) or not all(
        isinstance(w, int) and not isinstance(w, bool) and 0 < w <= MAX_WIDTH for w in widths
    ):
        message = f"'images.widths' must be a list of widths in pixels (1 to {MAX_WIDTH}), like [480, 960, 1600]"
        problems.append(Problem(CONFIG_FILE, value.line_of("widths"), message))
        return options
    return replace(options, widths=tuple(sorted(set(widths))))


def _text_list(name: str, value: Any, line: int, problems: list[Problem]) -> tuple[str, ...]:
    """Read a list of texts, one per line (- css/mein.css)."""
    if value is None:
        return ()
    if not isinstance(value, yamlload.LineList) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(CONFIG_FILE, line, f"'{name}' must be a list of file names (- css/mein.css)"))
        return ()
    return tuple(v.strip() for v in value)


def _menu(name: str, value: Any, line: int, problems: list[Problem]) -> tuple[MenuEntry, ...]:
    """Read a menu: a list of entries, each a bare name or a mapping like {page: impressum, label: Impressum}."""
    if value is None:
        return ()
    if not isinstance(value, yamlload.LineList):
        problems.append(Problem(CONFIG_FILE, line, f"'{name}' must be a list of entries (- home, - page: impressum)"))
        return ()
    entries = []
    for index, (item, item_line) in enumerate(zip(value, value.item_lines, strict=True)):
        written = item if isinstance(item, str) else value.written(index)
        if written is not None:
            entry: MenuEntry | None = MenuEntry("name", written.strip(), "", item_line)
        elif isinstance(item, yamlload.LineMap):
            entry = _menu_mapping(name, item, problems)
        else:
            entry = None
            hint = "a name (home, archive, impressum) or a mapping like {page: impressum, label: Impressum}"
            problems.append(Problem(CONFIG_FILE, item_line, f"'{name}' entries must be {hint}"))
        if entry is not None:
            if not entry.target or (problem := control_problem(entry.target + entry.label)) is not None:
                problem = "must not be empty" if not entry.target else problem
                problems.append(Problem(CONFIG_FILE, entry.line, f"'{name}' entry {problem}"))
            else:
                entries.append(entry)
    return tuple(entries)


def _menu_mapping(name: str, item: yamlload.LineMap, problems: list[Problem]) -> MenuEntry | None:
    kinds = [k for k in MENU_KINDS if k in item]
    for key in item:
        if key not in (*MENU_KINDS, "label"):
            known = ", ".join([*MENU_KINDS, "label"])
            message = f"'{name}' entry: unknown key '{key}' (known: {known})"
            problems.append(Problem(CONFIG_FILE, item.line_of(key), message))
            return None
    if len(kinds) != 1:
        what = "names two things" if kinds else "names nothing"
        message = f"'{name}' entry {what}: give exactly one of {', '.join(MENU_KINDS)}"
        problems.append(Problem(CONFIG_FILE, item.line, message))
        return None
    kind = kinds[0]
    texts = {}
    for key in (kind, "label"):
        value = item.get(key)
        text = value if isinstance(value, str) else item.written(key)
        if key in item and text is None:
            problems.append(Problem(CONFIG_FILE, item.line_of(key), f"'{name}' entry: '{key}' must be text"))
            return None
        texts[key] = (text or "").strip()
    entry = MenuEntry(kind, texts[kind], texts["label"], item.line_of(kind))
    if kind == "url":
        return _checked_url(name, entry, problems)
    if kind == "section" and entry.target not in SECTIONS:
        message = f"'{name}' entry: unknown section '{entry.target}' (known: {', '.join(SECTIONS)})"
        problems.append(Problem(CONFIG_FILE, entry.line, message))
        return None
    return entry


def _checked_url(name: str, entry: MenuEntry, problems: list[Problem]) -> MenuEntry | None:
    """An address entry is a web or mail address, or a path on the site, and needs a label."""
    parts = urlsplit(entry.target)
    on_site = entry.target.startswith("/") and not entry.target.startswith("//") and "\\" not in entry.target
    web = parts.scheme in ("http", "https") and bool(parts.netloc)
    mail = parts.scheme == "mailto" and "@" in parts.path
    if bad := sorted({c for c in entry.target if c in ' "<>\\^`{|}' or ord(c) < 33}):
        shown = " ".join(repr(c) for c in bad)
        message = f"'{name}' entry: url {entry.target!r} holds {shown}, which an address cannot (percent-encode it)"
        problems.append(Problem(CONFIG_FILE, entry.line, message))
        return None
    if not (on_site or web or mail):
        message = f"'{name}' entry: url {entry.target!r} must be a web address (https://…), mailto: or a site path (/…)"
        problems.append(Problem(CONFIG_FILE, entry.line, message))
        return None
    if not entry.label:
        problems.append(Problem(CONFIG_FILE, entry.line, f"'{name}' entry: an address needs a 'label' to show"))
        return None
    return entry


def _finish(root: Path, values: dict[str, Any], data: yamlload.LineMap, problems: list[Problem]) -> SiteConfig | None:
    # A setting of the wrong type is reported already: check the others with its default, to report them all at once.
    values = {key: value for key, value in values.items() if value is not None}
    given = data.get("urls")
    words = url_words(values.get("language", "de"))
    if isinstance(values.get("urls"), UrlSegments) and isinstance(given, yamlload.LineMap):
        values["urls"] = replace(words, **{k: getattr(values["urls"], k) for k in given if k in words.__dict__})
    else:
        values["urls"] = words
    output = values.pop("output", None)
    config = SiteConfig(root=root.resolve(), **values)
    config = config.with_output(root / output) if output else config.with_output(root / "_site")
    _check_base_url(config, data, problems)
    _check_language(config, data, problems)
    _check_timezone(config, data, problems)
    _check_segments(config, data, problems)
    _check_pages_folder(config, data, problems)
    _check_author(config, data, problems)
    _check_deploy(config, data, problems)
    _check_theme_options(config, data, problems)
    _check_extra_css(config, data, problems)
    checks = [
        ("title", not config.title, "must not be empty: it names the site on every page and in the feeds"),
        ("booklet_size", config.booklet_size < 1, "must be 1 or more"),
        ("per_page", config.per_page < 0, "must be 0 (all essays) or more"),
        ("feed_items", config.feed_items < 0, "must be 0 (all essays) or more"),
        ("words_per_minute", config.words_per_minute <= 0, "must be 1 or more"),
        ("images", not 1 <= config.images.quality <= 95, "quality must be 1 to 95"),
        ("toc_min_headings", config.toc_min_headings < 0, "must be 0 (only essays with toc: true) or more"),
    ]
    for key, broken, rule in checks:
        if broken:
            problems.append(Problem(CONFIG_FILE, data.line_of(key), f"'{key}' {rule}"))
    problems.sort(key=lambda p: p.line or 0)  # in the order of the file
    return config


def _check_pages_folder(config: SiteConfig, data: yamlload.LineMap, problems: list[Problem]) -> None:
    folder = config.pages
    if not folder or folder.startswith(("/", ".")) or "\\" in folder or ".." in folder.split("/"):
        message = f"'pages' must name a folder inside the site folder, like 'pages', not {folder!r}"
        problems.append(Problem(CONFIG_FILE, data.line_of("pages"), message))
    elif (config.root / folder).resolve() in (config.essays_dir.resolve(), config.root.resolve()):
        message = f"'pages' folder {folder!r} must be a folder of its own, not the essays or the site folder"
        problems.append(Problem(CONFIG_FILE, data.line_of("pages"), message))


def _check_author(config: SiteConfig, data: yamlload.LineMap, problems: list[Problem]) -> None:
    """The author's address and key become links on every page: only a mail address and a web address work."""
    author = data.get("author")
    line_of = author.line_of if isinstance(author, yamlload.LineMap) else (lambda _key: data.line_of("author"))
    email = config.author.email
    if email and (email.count("@") != 1 or any(c in email for c in " ?#&/<>\"") or email.startswith("@")):
        problems.append(Problem(CONFIG_FILE, line_of("email"), f"author.email {email!r} is not a mail address"))
    key_url = config.author.public_key_url
    parts = urlsplit(key_url)
    if key_url and not (key_url.startswith("/") and not key_url.startswith("//")) and (
        parts.scheme not in ("http", "https") or not parts.netloc
    ):
        message = f"author.public_key_url {key_url!r} must be a web address (https://…) or a path on the site (/…)"
        problems.append(Problem(CONFIG_FILE, line_of("public_key_url"), message))


def _check_deploy(config: SiteConfig, data: yamlload.LineMap, problems: list[Problem]) -> None:
    """A target deploy cannot use, or one whose copy would delete the site's own files, is an error at its line."""
    section = data.get("deploy")
    if not isinstance(section, yamlload.LineMap) or "target" not in section:
        return
    try:
        parse_target(config.deploy.target, config.root, config.output)
    except ValueError as exc:
        problems.append(Problem(CONFIG_FILE, section.line_of("target"), f"deploy.target {exc}"))


def _check_base_url(config: SiteConfig, data: yamlload.LineMap, problems: list[Problem]) -> None:
    parts = urlsplit(config.base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        msg = f"base_url must be an absolute http(s) URL like https://example.org/, not {config.base_url!r}"
        problems.append(Problem(CONFIG_FILE, data.line_of("base_url"), msg))
    elif not config.base_url.endswith("/"):
        object.__setattr__(config, "base_url", config.base_url + "/")


def _check_language(config: SiteConfig, data: yamlload.LineMap, problems: list[Problem]) -> None:
    try:
        Locale.parse(config.language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        msg = f"unknown language {config.language!r} (use a code like 'de' or 'en')"
        problems.append(Problem(CONFIG_FILE, data.line_of("language"), msg))


def _check_timezone(config: SiteConfig, data: yamlload.LineMap, problems: list[Problem]) -> None:
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"unknown time zone {config.timezone!r} (use a name like 'Europe/Berlin')"
        problems.append(Problem(CONFIG_FILE, data.line_of("timezone"), msg))


def _check_segments(config: SiteConfig, data: yamlload.LineMap, problems: list[Problem]) -> None:
    urls = data.get("urls")
    for f in fields(UrlSegments):
        segment = getattr(config.urls, f.name)
        if not segment or segment in (".", "..") or any(c in segment for c in "/\\?#%" + os.sep) or (
            len(segment.encode("utf-8")) > 200 or windows_reserved(segment)
        ):
            line = urls.line_of(f.name) if isinstance(urls, yamlload.LineMap) else data.line
            problems.append(Problem(CONFIG_FILE, line, f"urls.{f.name} must be one plain path word"))


def _check_theme_options(config: SiteConfig, data: yamlload.LineMap, problems: list[Problem]) -> None:
    """Colours must be #rrggbb (and readable), the font one the theme offers; colours are kept as #rrggbb."""
    given = data.get("theme_options")
    if not isinstance(given, yamlload.LineMap):
        return
    options = config.theme_options
    found: dict[str, str] = {}
    for key, background, scheme in (("accent", palette.LIGHT_BG, "light"), ("accent_dark", palette.DARK_BG, "dark")):
        text = getattr(options, key)
        line = given.line_of(key)
        if key in given and given[key] is None:
            message = f"theme_options.{key} is empty: write the colour in quotes, like \"#8a4b2a\""
            message += " (YAML reads # as the start of a comment)"
            problems.append(Problem(CONFIG_FILE, line, message))
        elif text and (colour := palette.parse(text)) is None:
            message = f"theme_options.{key} {text!r} is not a colour: write it as #rrggbb in quotes, like \"#8a4b2a\""
            problems.append(Problem(CONFIG_FILE, line, message))
        elif text and colour is not None:
            found[key] = palette.css(colour)
            ratio = palette.contrast(colour, background)
            if ratio < palette.READABLE:
                message = (
                    f"theme_options.{key} {text!r} is hard to read as link text on the {scheme} page "
                    f"(contrast {ratio:.1f}:1, at least {palette.READABLE}:1 is needed): choose a "
                    + ("darker" if scheme == "light" else "lighter")
                    + " colour"
                )
                problems.append(Problem(CONFIG_FILE, line, message, "warning"))
    font = {"sans-serif": "sans"}.get(options.font, options.font)
    if font and font not in FONTS:
        message = f"theme_options.font {options.font!r} is not a font of the theme (known: {', '.join(FONTS)})"
        problems.append(Problem(CONFIG_FILE, given.line_of("font"), message))
    elif font:
        found["font"] = font
    object.__setattr__(config, "theme_options", replace(options, **found))


def _check_extra_css(config: SiteConfig, data: yamlload.LineMap, problems: list[Problem]) -> None:
    """Each extra stylesheet is a .css file of the site's static folder, as a plain path inside it."""
    given = data.get("extra_css")
    lines = given.item_lines if isinstance(given, yamlload.LineList) else []
    kept = []
    for index, name in enumerate(config.extra_css):
        line = lines[index] if index < len(lines) else data.line_of("extra_css")
        rel = name.lstrip("/")
        parts = rel.split("/")
        shown = f"{config.static}/{rel}"
        if not rel.endswith(".css") or any(c in rel for c in ' "<>\\^`{|}#?%') or any(
            p in ("", ".", "..") or p.startswith(".") for p in parts
        ):
            message = f"extra_css: {name!r} must be a .css file in the static folder, written like css/mein.css"
            problems.append(Problem(CONFIG_FILE, line, message))
        elif not (config.root / config.static / rel).is_file():
            message = f"extra_css: {shown} does not exist (extra_css lists files of the '{config.static}' folder)"
            problems.append(Problem(CONFIG_FILE, line, message))
        else:
            kept.append(rel)
    object.__setattr__(config, "extra_css", tuple(kept))
