"""Related essays: for each essay, up to three others sharing the most tags, found through the tags' lists."""

from __future__ import annotations

import bisect
import heapq
from collections import Counter

from ssg import urls
from ssg.content.essay import EssayCard

MAX_RELATED = 3
# Per tag, only the essays nearest in time count (this many on each side): a tag on every essay would
# otherwise make each essay look at all others, n² for the whole site.
WINDOW = 25


Choice = tuple[tuple[int, ...], ...]  # for each card's position, the positions of its related cards
# The last site's choice, by what it depends on (each card's slug and tags, in order): a rebuild whose edits
# left them alone (a text, a title) takes it instead of choosing again (0.3 s at 10,000 essays).
_last: list[tuple[tuple[tuple[str, tuple[str, ...]], ...], Choice]] = []


def related_essays(cards: tuple[EssayCard, ...]) -> dict[str, tuple[EssayCard, ...]]:
    """Return, by slug, each essay's related essays (`cards` newest first): most shared tags first, then the
    nearest in time, then the newer; essays sharing no tag are never related."""
    key = tuple((card.slug, tuple(card.tags)) for card in cards)
    if _last and _last[0][0] == key:
        choice = _last[0][1]
    else:
        choice = _choose(cards)
        _last[:] = [(key, choice)]
    return {card.slug: tuple(cards[other] for other in best) for card, best in zip(cards, choice, strict=True)}


def _choose(cards: tuple[EssayCard, ...]) -> Choice:
    """Return, for each card's position, the positions of its related cards, best first."""
    slugs: dict[str, str] = {}  # a site has few tags and many essays: slug each name once
    keys = [sorted({slugs.get(n) or slugs.setdefault(n, urls.slug(n)) for n in card.tags}) for card in cards]
    members: dict[str, list[int]] = {}
    for position, tags in enumerate(keys):
        for key in tags:
            members.setdefault(key, []).append(position)  # ascending: newest first
    choice: list[tuple[int, ...]] = []
    for position, tags in enumerate(keys):
        shared: Counter[int] = Counter()
        for key in tags:
            posting = members[key]
            at = bisect.bisect_left(posting, position)
            shared.update(posting[max(0, at - WINDOW) : at + WINDOW + 1])
        del shared[position]
        best = heapq.nsmallest(MAX_RELATED, shared, key=lambda other: (-shared[other], abs(other - position), other))
        choice.append(tuple(best))
    return tuple(choice)
