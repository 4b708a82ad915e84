"""Site: the published essays and the indexes derived from them; immutable, no I/O."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ssg import urls
from ssg.config import SiteConfig
from ssg.content.essay import Essay, EssayCard
from ssg.content.files import Attachments
from ssg.content.page import Page
from ssg.navigation import Menus
from ssg.related import related_essays
from ssg.series import Series, group_series


@dataclass(frozen=True)
class Tag:
    """A tag and its essays, newest first."""

    name: str
    slug: str
    essays: tuple[EssayCard, ...]


@dataclass(frozen=True)
class Year:
    """One year of the archive."""

    year: int
    essays: tuple[EssayCard, ...]


@dataclass(frozen=True)
class Site:
    """Everything the outputs need to know about the content."""

    config: SiteConfig
    essays: tuple[Essay, ...]
    cards: tuple[EssayCard, ...]  # the essays as list pages and links show them, in the same order
    tags: tuple[Tag, ...]
    years: tuple[Year, ...]
    _index: dict[str, int] = field(repr=False, compare=False)
    pages: tuple[Page, ...] = ()  # standalone pages, by file name
    menus: Menus = field(default_factory=lambda: Menus(()))
    # What each essay and page publishes beside it, by source file (texts without such files are left out).
    attachments: Mapping[str, Attachments] = field(default_factory=dict, compare=False)
    _related: dict[str, tuple[EssayCard, ...]] = field(default_factory=dict, repr=False, compare=False)
    series: tuple[Series, ...] = ()  # by name
    _series_by_slug: dict[str, Series] = field(default_factory=dict, repr=False, compare=False)

    @property
    def worksheet_essays(self) -> tuple[Essay, ...]:
        """Return essays with a worksheet page, in reading order (oldest first): the booklet's order."""
        return tuple(e for e in reversed(self.essays) if e.has_worksheet_page)

    @functools.cached_property
    def _worksheet_order(self) -> tuple[tuple[EssayCard, ...], dict[str, int]]:
        """Return the cards of essays with a worksheet page, newest first as on the home page, and their places."""
        cards = tuple(c for c in self.cards if c.has_worksheet_page)
        return cards, {c.slug: i for i, c in enumerate(cards)}

    def worksheet_cards(self) -> tuple[EssayCard, ...]:
        """Return the cards of essays with a worksheet page in the home page's order (newest first)."""
        return self._worksheet_order[0]

    def worksheet_neighbours(self, essay: Essay) -> tuple[EssayCard | None, EssayCard | None]:
        """Return the cards of the next newer and the next older essay with a worksheet page, if any."""
        cards, index = self._worksheet_order
        i = index[essay.slug]
        return (cards[i - 1] if i > 0 else None), (cards[i + 1] if i + 1 < len(cards) else None)

    def card(self, essay: Essay) -> EssayCard:
        """Return an essay's card."""
        return self.cards[self._index[essay.slug]]

    def newer(self, essay: Essay) -> EssayCard | None:
        """Return the card of the next newer essay, if any."""
        i = self._index[essay.slug]
        return self.cards[i - 1] if i > 0 else None

    def older(self, essay: Essay) -> EssayCard | None:
        """Return the card of the next older essay, if any."""
        i = self._index[essay.slug]
        return self.cards[i + 1] if i + 1 < len(self.cards) else None

    def related(self, essay: Essay) -> tuple[EssayCard, ...]:
        """Return up to three essays sharing the most tags with `essay` (see ssg.related)."""
        return self._related.get(essay.slug, ())

    def series_of(self, essay: Essay) -> Series | None:
        """Return the series `essay` is a part of, if any."""
        ref = essay.series
        return None if ref is None else self._series_by_slug.get(ref.slug)

    def tag_slug(self, name: str) -> str:
        """Return the URL slug of a tag name."""
        return urls.slug(name)


def make_site(
    config: SiteConfig,
    essays: Sequence[Essay],
    pages: Sequence[Page] = (),
    menus: Menus | None = None,
    attachments: Mapping[str, Attachments] | None = None,
) -> Site:
    """Build the Site from essays already sorted newest first, and the published pages."""
    ordered = tuple(essays)
    cards = tuple(e.card(config.words_per_minute) for e in ordered)
    series = group_series(cards)
    return Site(
        config=config,
        essays=ordered,
        cards=cards,
        tags=_tags(cards),
        years=_years(cards),
        _index={e.slug: i for i, e in enumerate(ordered)},
        pages=tuple(pages),
        menus=menus or Menus(()),
        attachments=attachments or {},
        _related=related_essays(cards),
        series=series,
        _series_by_slug={s.slug: s for s in series},
    )


def _tags(essays: tuple[EssayCard, ...]) -> tuple[Tag, ...]:
    names: dict[str, str] = {}
    members: dict[str, list[EssayCard]] = {}
    # Oldest first, so a tag keeps the spelling it was first written with.
    for essay in reversed(essays):
        for name in essay.tags:
            key = urls.slug(name)
            names.setdefault(key, name)
            members.setdefault(key, []).append(essay)
    tags = [Tag(names[k], k, tuple(reversed(members[k]))) for k in members]
    return tuple(sorted(tags, key=lambda t: (t.name.casefold(), t.slug)))


def _years(essays: tuple[EssayCard, ...]) -> tuple[Year, ...]:
    by_year: dict[int, list[EssayCard]] = {}
    for essay in essays:
        by_year.setdefault(essay.date.year, []).append(essay)
    return tuple(Year(y, tuple(by_year[y])) for y in sorted(by_year, reverse=True))
