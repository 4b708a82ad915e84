"""Site: the published essays and the indexes derived from them; immutable, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ssg import urls
from ssg.config import SiteConfig
from ssg.content.essay import Essay


@dataclass(frozen=True)
class Tag:
    """A tag and its essays, newest first."""

    name: str
    slug: str
    essays: tuple[Essay, ...]


@dataclass(frozen=True)
class Year:
    """One year of the archive."""

    year: int
    essays: tuple[Essay, ...]


@dataclass(frozen=True)
class Site:
    """Everything the outputs need to know about the content."""

    config: SiteConfig
    essays: tuple[Essay, ...]
    tags: tuple[Tag, ...]
    years: tuple[Year, ...]
    _index: dict[str, int] = field(repr=False, compare=False)

    @property
    def worksheet_essays(self) -> tuple[Essay, ...]:
        """Return essays with a worksheet page, in reading order (oldest first)."""
        return tuple(e for e in reversed(self.essays) if e.has_worksheet_page)

    def newer(self, essay: Essay) -> Essay | None:
        """Return the next newer essay, if any."""
        i = self._index[essay.slug]
        return self.essays[i - 1] if i > 0 else None

    def older(self, essay: Essay) -> Essay | None:
        """Return the next older essay, if any."""
        i = self._index[essay.slug]
        return self.essays[i + 1] if i + 1 < len(self.essays) else None

    def tag_slug(self, name: str) -> str:
        """Return the URL slug of a tag name."""
        return urls.slug(name)


def make_site(config: SiteConfig, essays: Sequence[Essay]) -> Site:
    """Build the Site from essays already sorted newest first."""
    ordered = tuple(essays)
    return Site(
        config=config,
        essays=ordered,
        tags=_tags(ordered),
        years=_years(ordered),
        _index={e.slug: i for i, e in enumerate(ordered)},
    )


def _tags(essays: tuple[Essay, ...]) -> tuple[Tag, ...]:
    names: dict[str, str] = {}
    members: dict[str, list[Essay]] = {}
    # Oldest first, so a tag keeps the spelling it was first written with.
    for essay in reversed(essays):
        for name in essay.tags:
            key = urls.slug(name)
            names.setdefault(key, name)
            members.setdefault(key, []).append(essay)
    tags = [Tag(names[k], k, tuple(reversed(members[k]))) for k in members]
    return tuple(sorted(tags, key=lambda t: (t.name.casefold(), t.slug)))


def _years(essays: tuple[Essay, ...]) -> tuple[Year, ...]:
    by_year: dict[int, list[Essay]] = {}
    for essay in essays:
        by_year.setdefault(essay.date.year, []).append(essay)
    return tuple(Year(y, tuple(by_year[y])) for y in sorted(by_year, reverse=True))
