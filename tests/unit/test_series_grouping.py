"""Series: parts grouped by their series' slug and put in reading order; the front matter read with its lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ssg import yamlload
from ssg.content.essay import EssayCard
from ssg.content.reader import Reader
from ssg.content.series import SeriesRef, duplicate_parts, parse_series
from ssg.series import group_series

START = datetime(2026, 1, 1, tzinfo=UTC)


def card(slug: str, day: int, series: str | None = None, part: int | None = None) -> EssayCard:
    ref = SeriesRef(series, series.lower().replace(" ", "-"), part) if series else None
    return EssayCard(f"essays/{slug}.md", slug, slug.title(), START + timedelta(days=day), None, (), "",
                     False, (), None, 1, 200, series=ref)


def newest_first(*cards: EssayCard) -> tuple[EssayCard, ...]:
    return tuple(sorted(cards, key=lambda c: (c.date, c.slug), reverse=True))


def test_parts_without_a_number_follow_the_date_then_the_slug() -> None:
    found = group_series(newest_first(card("c", 5, "Weg"), card("a", 9, "Weg"), card("b", 5, "Weg"), card("x", 1)))
    assert [(s.slug, [c.slug for c in s.essays]) for s in found] == [("weg", ["b", "c", "a"])]
    assert [found[0].position(slug) for slug in ("b", "c", "a")] == [1, 2, 3]


def test_numbered_parts_come_first_in_their_order_and_the_others_after_them_by_date() -> None:
    cards = newest_first(
        card("spaet", 1, "Weg"),
        card("drei", 2, "Weg", part=3),
        card("eins", 9, "Weg", part=1),  # newest, yet the first part
        card("frueh", 0, "Weg"),
    )
    (series,) = group_series(cards)
    assert [c.slug for c in series.essays] == ["eins", "drei", "frueh", "spaet"]
    # The position counts the published parts: part 3 without a part 2 is the second.
    assert series.position("drei") == 2


def test_series_are_listed_by_name_and_one_slug_is_one_series_named_as_its_first_part_writes_it() -> None:
    late = EssayCard("essays/z.md", "z", "Z", START + timedelta(days=3), None, (), "", False, (), None, 1, 200,
                     series=SeriesRef("WEG", "weg", None))
    found = group_series(newest_first(late, card("y", 2, "Weg"), card("b", 1, "Anfang")))
    assert [(s.name, [c.slug for c in s.essays]) for s in found] == [("Anfang", ["b"]), ("Weg", ["y", "z"])]
    assert group_series(newest_first(late, card("y", 2, "Weg"))) == group_series(newest_first(card("y", 2, "Weg"), late))


def read(text: str) -> tuple[SeriesRef | None, list[str]]:
    data = yamlload.load(text, line_offset=1)
    assert isinstance(data, yamlload.LineMap)
    reader = Reader("essays/a.md")
    ref = parse_series(data, reader, "de", True)
    return ref, [str(p) for p in reader.problems]


def test_a_name_or_a_name_with_a_part_gives_the_series_its_slug_and_shown_name() -> None:
    assert read("series: Über \"Größe\"\n") == (SeriesRef("Über „Größe“", "ueber-groesse", None), [])
    ref, problems = read("title: A\nseries:\n  name: Weg\n  part: 2\n")
    assert (ref, problems) == (SeriesRef("Weg", "weg", 2), [])
    assert ref is not None and ref.line == 5  # the line of part:, where a duplicate is reported
    assert read("series: 2026\n")[0] == SeriesRef("2026", "2026", None)  # as written, not a number
    assert read("series: Con\n")[0] == SeriesRef("Con", "con-1", None)  # a name Windows cannot hold
    assert read("title: A\n") == (None, [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("series: ''\n", "essays/a.md:2: 'series' must not be empty"),
        ("series: [a, b]\n", "essays/a.md:2: 'series' must be a name or a mapping"),
        ("series:\n  part: 2\n", "essays/a.md:3: series: 'name' is missing"),
        ("series:\n  name: Weg\n  part: zwei\n", "essays/a.md:4: series: 'part' must be a whole number from 1 on, not 'zwei'"),
        ("series:\n  name: Weg\n  part: 0\n", "essays/a.md:4: series: 'part' must be a whole number from 1 on, not 0"),
        ("series:\n  name: Weg\n  part: true\n", "essays/a.md:4: series: 'part' must be a whole number"),
        ('series: "Weg\\x01"\n', "essays/a.md:2: 'series' contains the control"),
    ],
)
def test_a_wrong_series_is_an_error_at_its_line(text: str, message: str) -> None:
    ref, problems = read(text)
    assert ref is None
    assert len(problems) == 1 and problems[0].startswith(message), problems


def test_an_unknown_key_is_a_warning_and_the_series_stands() -> None:
    ref, problems = read("series:\n  name: Weg\n  teil: 2\n")
    assert ref == SeriesRef("Weg", "weg", None)
    assert problems == ["essays/a.md:4: warning: series: unknown key 'teil' (ignored; known: name, part)"]


def test_a_part_number_given_twice_in_one_series_is_an_error_at_the_second() -> None:
    refs = [
        ("essays/a.md", SeriesRef("Weg", "weg", 1, 4)),
        ("essays/b.md", SeriesRef("weg", "weg", 1, 5)),
        ("essays/c.md", SeriesRef("Anderer", "anderer", 1, 4)),  # another series may have a part 1
        ("essays/d.md", SeriesRef("Weg", "weg", None, 4)),
    ]
    assert [str(p) for p in duplicate_parts(refs)] == [
        "essays/b.md:5: series 'weg': part 1 is already essays/a.md (give one of them another 'part')"
    ]
