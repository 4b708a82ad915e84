"""Splitting work into chunks for the worker processes."""

from __future__ import annotations

from ssg.parallel import _ranges, map_chunks


def test_ranges_cover_everything_once_and_keep_groups_whole() -> None:
    groups = ["", "a", "a", "a", "", "", "b", "b", "", ""]
    ranges = _ranges(len(groups), 2, groups)
    assert [i for r in ranges for i in r] == list(range(len(groups)))
    for r in ranges:
        for group in {groups[i] for i in r} - {""}:
            assert all(groups[i] != group for i in range(len(groups)) if i not in r)


def test_map_chunks_in_processes_gives_every_result() -> None:
    def square_all(offset: int, indices: range) -> list[int]:
        return [offset + i * i for i in indices]

    found = sorted(x for part in map_chunks(square_all, 1, 500, 2, groups=["g"] * 100 + [""] * 400) for x in part)
    assert found == sorted(1 + i * i for i in range(500))


def test_ranges_share_costly_items_out_evenly() -> None:
    # Four images costing 100 pages each among 400 ordinary pages: no range holds much more than its share.
    costs = [1] * 200 + [100] * 4 + [1] * 200
    ranges = _ranges(len(costs), 100, [], costs)
    assert [i for r in ranges for i in r] == list(range(len(costs)))
    assert max(sum(costs[i] for i in r) for r in ranges) <= 100
    assert sum(1 for r in ranges if any(costs[i] > 1 for i in r)) == 4
