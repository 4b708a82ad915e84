"""Series: the published essays grouped by their `series:` front matter, each series in reading order."""

from __future__ import annotations

from dataclasses import dataclass

from ssg.content.essay import EssayCard


@dataclass(frozen=True)
class Series:
    """A series and its published parts in reading order (their cards: a part's text is no part of it)."""

    name: str
    slug: str
    essays: tuple[EssayCard, ...]

    def position(self, slug: str) -> int:
        """Return the 1-based position of the essay with `slug` among the parts."""
        return next(i for i, card in enumerate(self.essays, 1) if card.slug == slug)


def group_series(cards: tuple[EssayCard, ...]) -> tuple[Series, ...]:
    """Return every series of the published essays (`cards` newest first), by name.

    Parts with a number come first, in its order; parts without one follow by date, then slug. Names that
    make the same slug are one series, shown as its first part writes it.
    """
    members: dict[str, list[EssayCard]] = {}
    for card in cards:
        if card.series is not None:
            members.setdefault(card.series.slug, []).append(card)
    found = []
    for slug, parts in members.items():
        parts.sort(key=_reading_order)
        first = parts[0].series
        assert first is not None
        found.append(Series(first.name, slug, tuple(parts)))
    return tuple(sorted(found, key=lambda s: (s.name.casefold(), s.slug)))


def _reading_order(card: EssayCard) -> tuple[bool, int, object, str]:
    part = card.series.part if card.series is not None else None
    return (part is None, part or 0, card.date, card.slug)
