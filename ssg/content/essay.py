"""Essay: one Markdown file with front matter, read into a frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from ssg import urls
from ssg.config import SiteConfig
from ssg.content import frontmatter
from ssg.content.aliases import parse_aliases
from ssg.content.files import TextFiles, text_files
from ssg.content.reader import Reader
from ssg.content.series import SeriesRef, parse_series
from ssg.content.typography import smart_quotes
from ssg.content.worksheet import Prompt, Worksheet, parse_prompts, parse_worksheet
from ssg.engine import fingerprint
from ssg.errors import ContentError
from ssg.yamlload import LineMap

KNOWN_KEYS = (
    "title", "date", "updated", "slug", "tags", "summary", "draft", "prompts", "worksheet", "aliases", "image", "toc",
    "series",
)


def reading_minutes(words: int, words_per_minute: int) -> int:
    """Return the reading time of `words` words in whole minutes, at least one."""
    return max(1, round(words / words_per_minute))


@dataclass(frozen=True)
class _FrontMatter:
    """What an essay and its card both tell: the fields read from its front matter."""

    source: str
    slug: str
    title: str
    date: datetime
    updated: datetime | None
    tags: tuple[str, ...]
    summary: str
    draft: bool
    prompts: tuple[Prompt, ...]
    worksheet: Worksheet | None
    # Keyword-only, so that cards and essays made without it (older callers, tests) stay valid.
    series: SeriesRef | None = field(default=None, kw_only=True)

    @property
    def has_worksheet_page(self) -> bool:
        """Tell whether the essay gets a worksheet page (prompts or a worksheet)."""
        return bool(self.prompts) or self.worksheet is not None


@dataclass(frozen=True)
class Essay(_FrontMatter):
    """An essay as its author wrote it, validated, not yet rendered."""

    body_line: int
    words: int
    digest: str = ""
    slug_line: int = 0
    body_offset: int = 0  # where the body starts in the file's normalized text
    # The file's bytes: kept instead of the decoded body, which takes up to twice the memory
    # (one typographic quote makes Python store a whole text with two bytes per character).
    raw: bytes = field(default=b"", repr=False, compare=False)
    origin: str = field(default="", repr=False, compare=False)  # the file to read when `raw` was left out
    card_digest: str = ""  # of what its card shows: file name, front matter, reading time
    aliases: tuple[str, ...] = ()  # old addresses that redirect here ('/alter-titel/')
    alias_lines: tuple[int, ...] = field(default=(), compare=False)
    files: TextFiles = field(default_factory=TextFiles)  # what its Markdown references beside it
    image: str = ""  # front matter: its preview image (og:image), as written
    image_line: int = 0
    toc: bool | None = None  # a table of contents: True, False, or None for the site's toc_min_headings

    def reading_minutes(self, words_per_minute: int) -> int:
        """Return the reading time in whole minutes, at least one."""
        return reading_minutes(self.words, words_per_minute)

    def card(self, words_per_minute: int) -> EssayCard:
        """Return what pages listing or linking to this essay may show of it."""
        # Kept on the essay: a preview makes the site model of 10,000 essays on every edit, from essays that
        # are the same objects as last time (their cards are a tenth of what it waits for).
        known: EssayCard | None = self.__dict__.get("_card")
        if known is not None and known.words_per_minute == words_per_minute:
            return known
        card = self._new_card(words_per_minute)
        object.__setattr__(self, "_card", card)
        return card

    def __getstate__(self) -> dict[str, object]:
        """Return the fields to pickle: not the card, which is made again where it is needed."""
        state = dict(self.__dict__)
        state.pop("_card", None)
        return state

    def _new_card(self, words_per_minute: int) -> EssayCard:
        return EssayCard(
            self.source, self.slug, self.title, self.date, self.updated, self.tags, self.summary, self.draft,
            self.prompts, self.worksheet, self.reading_minutes(words_per_minute), words_per_minute,
            self.card_digest, series=self.series,
        )

    @property
    def body(self) -> str:
        """Return the Markdown body."""
        raw = self.raw
        if not raw and self.origin:
            # An unchanged essay of a rebuild: its bytes are read only if a page needs its body.
            try:
                with open(self.origin, "rb") as handle:
                    raw = handle.read()
            except OSError as exc:
                raise ContentError(self.source, None, f"cannot read file: {exc.strerror}") from None
            if source_digest(self.source, raw) != self.digest:
                raise ContentError(self.source, None, "changed while the site was being built: build again")
        # The bytes it was parsed from (their digest says so): read and checked once already.
        return frontmatter.normalize(raw, self.source, checked=True)[self.body_offset :] if raw else ""


@dataclass(frozen=True)
class EssayCard(_FrontMatter):
    """An essay as pages that list or link to it see it: its front matter and reading time, not its text.

    Its digest covers only these fields, so an edit of an essay's text that leaves its reading time as it
    was changes no list page's cache key.
    """

    minutes: int  # reading time at the site's words_per_minute
    words_per_minute: int
    digest: str = ""  # "" when unknown: then fingerprints feed the fields themselves

    def reading_minutes(self, words_per_minute: int) -> int:
        """Return the reading time in whole minutes (a card knows it at the site's rate only)."""
        if words_per_minute != self.words_per_minute:
            raise ValueError(f"a card knows the reading time at {self.words_per_minute} words per minute only")
        return self.minutes


def timestamp(value: datetime | date) -> str:
    """Return a date or time as RFC 3339 text (feeds): a zone offset in seconds, like the local mean time
    zoneinfo gives dates before 1893 (+00:53:28 in Berlin), is not allowed there, so such times go in UTC."""
    if isinstance(value, datetime) and (offset := value.utcoffset()) is not None and offset.seconds % 60:
        value = value.astimezone(UTC)
    return value.isoformat()


def source_digest(rel: str, raw: bytes) -> str:
    """Return the digest identifying an essay file's name and bytes."""
    return fingerprint.digest(rel.encode("utf-8"), raw)


def load_essay(path: Path, config: SiteConfig, reader: Reader) -> Essay | None:
    """Read one essay file; record problems in `reader`; None if it has errors."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reader.error(None, f"cannot read file: {exc.strerror}")
        return None
    return parse_essay(raw, config, reader)


def parse_essay(raw: bytes, config: SiteConfig, reader: Reader) -> Essay | None:
    """Parse an essay file's bytes; record problems in `reader`; None if it has errors."""
    parsed = frontmatter.read(raw, reader)
    if parsed is None:
        return None
    text, data, body, body_line = parsed
    before = len(reader.problems)
    essay = _build(data, body, body_line, config, reader)
    failed = any(p.severity == "error" for p in reader.problems[before:])
    if failed:
        return None
    # The body is the end of the normalized text: a saved cache keeps only where it starts.
    offset = len(text) - len(body)
    # Everything a card shows comes from the file's name, its front matter (and the site config) and the
    # reading time: their digest stands for the card.
    minutes = b"%d" % essay.reading_minutes(config.words_per_minute)
    card = fingerprint.digest(reader.path.encode(), text[:offset].encode("utf-8", "surrogatepass"), minutes)
    return replace(essay, digest=source_digest(reader.path, raw), body_offset=offset, raw=raw, card_digest=card)


def _build(data: LineMap, body: str, body_line: int, config: SiteConfig, reader: Reader) -> Essay:
    reader.unknown_keys(data, KNOWN_KEYS, "")
    title = reader.text(data, "title", required=True)
    shown = smart_quotes(title, config.language) if config.markdown.typographer else title
    published = parse_date(data, "date", config, reader, required=True)
    tags, tag_lines = reader.text_list(data, "tags", "")
    if isinstance(data.get("tags"), str) and "," in data["tags"]:
        reader.warn(data.line_of("tags"), f"one tag {data['tags']!r}: several tags are a list, like [Eins, Zwei]")
    by_slug: dict[str, str] = {}
    for tag, line in zip(tags, tag_lines, strict=True):
        slug = urls.slug(tag)
        if not slug:
            reader.error(line, f"tag {tag!r} has no letters or digits to make a URL from")
        elif by_slug.setdefault(slug, tag) != tag:
            reader.warn(line, f"tag {tag!r} is the same tag as {by_slug[slug]!r} (one page for both): left out")
    tags = list(by_slug.values())
    updated = parse_date(data, "updated", config, reader, required=False)
    aliases, alias_lines = parse_aliases(data, config, reader)
    if updated is not None and published is not None and updated < published:
        reader.warn(data.line_of("updated"), "'updated' is before 'date': feeds would show an update before the essay")
    return Essay(
        source=reader.path,
        slug=_slug(data, title, config, reader),
        title=shown,
        date=published or datetime(1970, 1, 1, tzinfo=config.tz),
        updated=updated,
        tags=tuple(dict.fromkeys(t for t in tags if t)),
        summary=reader.text(data, "summary"),
        draft=reader.boolean(data, "draft", "", False),
        body_line=body_line,
        prompts=parse_prompts(data.get("prompts"), data.line_of("prompts"), reader),
        worksheet=parse_worksheet(data.get("worksheet"), data.line_of("worksheet"), title, reader),
        words=len(body.split()),
        slug_line=data.line_of("slug") if "slug" in data else data.line_of("title"),
        aliases=aliases,
        alias_lines=alias_lines,
        files=text_files(config, reader.path, body, body_line, "essays", reader.problems.append),
        image=reader.text(data, "image"),
        image_line=data.line_of("image"),
        toc=reader.boolean(data, "toc", "", False) if data.get("toc") is not None else None,
        series=parse_series(data, reader, config.language, config.markdown.typographer),
    )


def _slug(data: LineMap, title: str, config: SiteConfig, reader: Reader) -> str:
    explicit = reader.text(data, "slug")
    if explicit:
        if len(explicit) > urls.MAX_SLUG:
            reader.error(data.line_of("slug"), f"slug is too long: {len(explicit)} characters, at most {urls.MAX_SLUG}")
            return ""
        if not urls.is_safe_slug(explicit):
            hint = urls.slug(explicit)
            msg = f"slug {explicit!r} is not allowed: use lowercase letters, digits and '-' (e.g. {hint!r})"
            reader.error(data.line_of("slug"), msg)
            return ""
        value, line = explicit, data.line_of("slug")
    else:
        value, line = urls.slug(title), data.line_of("title")
        if title and not value:
            reader.error(line, "cannot make a URL from the title: add a 'slug'")
    if value in urls.reserved_segments(config.urls):
        reader.error(line, f"slug {value!r} is reserved for another page of the site: choose another 'slug'")
    return value


def parse_date(data: LineMap, key: str, config: SiteConfig, reader: Reader, required: bool) -> datetime | None:
    """Return a date or time from front matter in the site's time zone; record problems in `reader`."""
    value: Any = data.get(key)
    line = data.line_of(key)
    if value is None:
        if required:
            reader.error(line, f"'{key}' is missing (write it as YYYY-MM-DD)")
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=config.tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=config.tz)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=config.tz)
    reader.error(line, f"'{key}' is not a date: {value!r} (write it as YYYY-MM-DD)")
    return None
