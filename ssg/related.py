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


def related_essays(cards: tuple[EssayCard, ...]) -> dict[str, tuple[EssayCard, ...]]:
    """Return, by slug, each essay's related essays (`cards` newest first): most shared tags first, then the
    nearest in time, then the newer; essays sharing no tag are never related."""
    keys = [sorted({urls.slug(name) for name in card.tags}) for card in cards]
    members: dict[str, list[int]] = {}
    for position, tags in enumerate(keys):
        for key in tags:
            members.setdefault(key, []).append(position)  # ascending: newest first
    related: dict[str, tuple[EssayCard, ...]] = {}
    for position, tags in enumerate(keys):
        shared: Counter[int] = Counter()
        for key in tags:
            posting = members[key]
            at = bisect.bisect_left(posting, position)
            shared.update(posting[max(0, at - WINDOW) : at + WINDOW + 1])
        del shared[position]
        best = heapq.nsmallest(MAX_RELATED, shared, key=lambda other: (-shared[other], abs(other - position), other))
        related[cards[position].slug] = tuple(cards[other] for other in best)
    return related
