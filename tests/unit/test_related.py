"""Related essays: the most shared tags first, then the nearest in time; the same answer every time."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from ssg.content.essay import EssayCard
from ssg.related import WINDOW, related_essays

START = datetime(2026, 1, 1, tzinfo=UTC)


def card(slug: str, tags: list[str], day: int) -> EssayCard:
    return EssayCard(f"essays/{slug}.md", slug, slug.title(), START + timedelta(days=day), None, tuple(tags), "",
                     False, (), None, 1, 200)


def newest_first(*cards: EssayCard) -> tuple[EssayCard, ...]:
    return tuple(sorted(cards, key=lambda c: c.date, reverse=True))


def slugs(found: tuple[EssayCard, ...]) -> list[str]:
    return [c.slug for c in found]


def test_most_shared_tags_first_then_nearest_in_time_and_never_unrelated() -> None:
    cards = newest_first(
        card("a", ["Ruhe", "Zeit", "Fokus"], 10),
        card("b", ["Ruhe", "Zeit"], 1),  # two shared tags, long ago
        card("c", ["Ruhe"], 9),  # one shared, the day before
        card("d", ["ruhe"], 8),  # the same tag, spelt otherwise
        card("e", ["Fokus"], 2),
        card("f", ["Garten"], 11),  # nothing shared
    )
    related = related_essays(cards)
    assert slugs(related["a"]) == ["b", "c", "d"]
    assert slugs(related["f"]) == []
    assert "a" not in slugs(related["a"])
    assert related == related_essays(cards)  # deterministic


def test_a_tag_on_every_essay_gives_each_its_neighbours_in_time() -> None:
    cards = newest_first(*(card(f"e{n:04d}", ["Alle"], n) for n in range(4 * WINDOW)))
    related = related_essays(cards)
    assert slugs(related["e0050"]) == ["e0051", "e0049", "e0052"]  # nearest first; at equal distance the newer
    assert slugs(related["e0000"]) == ["e0001", "e0002", "e0003"]


def test_a_rebuild_that_left_tags_and_slugs_alone_shows_the_current_cards_and_one_that_did_not_chooses_anew() -> None:
    first = newest_first(card("a", ["Ruhe"], 3), card("b", ["Ruhe"], 2), card("c", ["Zeit"], 1))
    assert slugs(related_essays(first)["a"]) == ["b"]
    retitled = tuple(c if c.slug != "b" else dataclasses.replace(c, title="Neu") for c in first)
    assert [c.title for c in related_essays(retitled)["a"]] == ["Neu"]  # the choice kept, the card current
    retagged = newest_first(card("a", ["Ruhe"], 3), card("b", ["Garten"], 2), card("c", ["Ruhe"], 1))
    assert slugs(related_essays(retagged)["a"]) == ["c"]
