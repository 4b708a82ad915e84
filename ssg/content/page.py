"""Page: a standalone page (Über mich, Impressum, Datenschutz) read like an essay, but without a date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from ssg import urls
from ssg.config import SiteConfig
from ssg.content import frontmatter
from ssg.content.aliases import parse_aliases
from ssg.content.collect import Selection, Source, read_sources
from ssg.content.essay import parse_date, source_digest
from ssg.content.files import TextFiles, text_files
from ssg.content.reader import Reader
from ssg.content.typography import smart_quotes
from ssg.content.worksheet import Prompt, parse_prompts
from ssg.errors import Problem
from ssg.yamlload import LineMap

KNOWN_KEYS = ("title", "slug", "description", "draft", "updated", "prompts", "aliases", "image")


@dataclass(frozen=True)
class Page:
    """A page that is not an essay: in the sitemap and menus, never in lists or feeds."""

    source: str
    slug: str
    title: str
    description: str
    draft: bool
    updated: datetime | None
    prompts: tuple[Prompt, ...]
    aliases: tuple[str, ...]
    body_line: int
    body: str = field(repr=False)
    digest: str = ""  # of the file's name and bytes: stands for every field in cache keys
    slug_line: int = field(default=0, compare=False)
    alias_lines: tuple[int, ...] = field(default=(), compare=False)
    files: TextFiles = field(default_factory=TextFiles)  # what its Markdown references beside it
    image: str = ""  # front matter: its preview image (og:image), as written
    image_line: int = 0

    @property
    def url(self) -> str:
        """Return the page's URL."""
        return urls.essay_url(self.slug)


def parse_page(raw: bytes, config: SiteConfig, reader: Reader) -> Page | None:
    """Parse a page file's bytes; record problems in `reader`; None if it has errors."""
    parsed = frontmatter.read(raw, reader)
    if parsed is None:
        return None
    _text, data, body, body_line = parsed
    before = len(reader.problems)
    reader.unknown_keys(data, (*KNOWN_KEYS, "date"), "")
    if "date" in data:
        # The commonest slip when a page is made from an essay: say what it means instead of just ignoring it.
        message = "a page has no 'date' (ignored): a dated text that belongs in lists and feeds is an essay"
        reader.warn(data.line_of("date"), message)
    title = reader.text(data, "title", required=True)
    title = smart_quotes(title, config.language) if config.markdown.typographer else title
    slug, slug_line = _slug(data, config, reader)
    aliases, alias_lines = parse_aliases(data, config, reader)
    page = Page(
        source=reader.path,
        slug=slug,
        title=title,
        description=reader.text(data, "description"),
        draft=reader.boolean(data, "draft", "", False),
        updated=parse_date(data, "updated", config, reader, required=False),
        prompts=parse_prompts(data.get("prompts"), data.line_of("prompts"), reader),
        aliases=aliases,
        body_line=body_line,
        body=body,
        digest=source_digest(reader.path, raw),
        slug_line=slug_line,
        alias_lines=alias_lines,
        files=text_files(config, reader.path, body, body_line, config.pages, reader.problems.append),
        image=reader.text(data, "image"),
        image_line=data.line_of("image"),
    )
    return None if any(p.severity == "error" for p in reader.problems[before:]) else page


def _slug(data: LineMap, config: SiteConfig, reader: Reader) -> tuple[str, int]:
    """Return the page's slug: as given, or from its file name (its folder's for pages/<name>/index.md)."""
    if "slug" in data:
        explicit = reader.text(data, "slug")
        line = data.line_of("slug")
        if not urls.is_safe_slug(explicit) or len(explicit) > urls.MAX_SLUG:
            hint = urls.slug(explicit)[: urls.MAX_SLUG]
            message = f"slug {explicit!r} is not allowed: use lowercase letters, digits and '-' (e.g. {hint!r})"
            reader.error(line, message)
            return "", line
        value = explicit
    else:
        path = PurePosixPath(reader.path)
        name = path.parent.name if path.name == "index.md" else path.stem
        value, line = urls.slug(name), data.line_of("title")
        if not value:
            reader.error(None, f"cannot make a URL from the file name {path.name!r}: add a 'slug'")
            return "", line
    if value in urls.reserved_segments(config.urls):
        reader.error(line, f"slug {value!r} is reserved for another page of the site: choose another 'slug'")
    return value, line


def read_page_sources(config: SiteConfig) -> list[Source]:
    """Read every page file of the site (none when the pages folder is absent)."""
    folder = config.pages_dir
    if not folder.exists():
        return []
    if not folder.is_dir():
        problem = Problem(config.pages, None, "is not a folder: the pages folder must be one")
        return [Source(config.pages, None, problem)]
    return read_sources(config, None, folder)


def collect_pages(config: SiteConfig, sources: list[Source]) -> tuple[list[Page], list[Problem]]:
    """Return every page (drafts too, by file name) and every problem of every page file, errors included."""
    pages: list[Page] = []
    problems: list[Problem] = []
    for source in sources:
        if source.problem is not None or source.raw is None:
            problems.extend([source.problem] if source.problem else [])
            continue
        reader = Reader(source.rel)
        page = parse_page(source.raw, config, reader)
        problems.extend(reader.problems)
        if page is not None:
            pages.append(page)
    first: dict[str, Page] = {}
    for page in pages:
        other = first.setdefault(page.slug, page)
        if other is not page:
            message = f"slug '{page.slug}' is already used by {other.source} (give one of them another 'slug')"
            problems.append(Problem(page.source, page.slug_line or None, message))
    return pages, problems


def published(pages: list[Page], selection: Selection) -> list[Page]:
    """Return the pages a build publishes: drafts only when asked for."""
    return [p for p in pages if selection.drafts or not p.draft]


def slug_clashes(pages: list[Page], essay_slugs: dict[str, str]) -> list[Problem]:
    """Return an error for each page whose URL an essay has (`essay_slugs`: slug -> essay file)."""
    problems = []
    for page in pages:
        if page.slug in essay_slugs:
            other = essay_slugs[page.slug]
            message = f"slug '{page.slug}' is already used by {other} (give one of them another 'slug')"
            problems.append(Problem(page.source, page.slug_line or None, message))
    return problems
