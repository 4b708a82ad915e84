"""A booklet part links to the first and last part and its neighbours, never to all parts."""

from __future__ import annotations

from ssg.outputs.worksheets import BookletPart, part_window


def parts(count: int) -> list[BookletPart]:
    return [BookletPart(n, f"/b/{n}/", (), n, n) for n in range(1, count + 1)]


def numbers(count: int, current: int) -> list[int | None]:
    return [p.number if p else None for p in part_window(parts(count), current)]


def test_few_parts_are_all_shown() -> None:
    assert numbers(1, 1) == [1]
    assert numbers(5, 3) == [1, 2, 3, 4, 5]


def test_many_parts_show_ends_neighbours_and_gaps() -> None:
    assert numbers(200, 1) == [1, 2, 3, None, 200]
    assert numbers(200, 100) == [1, None, 98, 99, 100, 101, 102, None, 200]
    assert numbers(200, 4) == [1, 2, 3, 4, 5, 6, None, 200]
    assert numbers(200, 200) == [1, None, 198, 199, 200]


def test_the_window_stays_small() -> None:
    assert max(len(part_window(parts(2000), n)) for n in range(1, 2001)) == 9
