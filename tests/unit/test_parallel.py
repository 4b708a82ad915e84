"""Splitting work into chunks for the worker processes."""

from __future__ import annotations

import os
import signal
from types import FrameType

import pytest

from ssg.engine.parallel import _ranges, map_chunks, signals_held


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


def _signal_handlers(_shared: None, indices: range) -> list[tuple[object, object]]:
    return [(signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) for _ in indices]


def test_workers_leave_ctrl_c_and_sigterm_to_the_parent() -> None:
    """A worker that took Ctrl-C (sent to the whole process group) or the parent's SIGTERM handler (inherited,
    and triggered by the pool's own shutdown) as a KeyboardInterrupt would print its traceback."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)  # as `ssg serve` has it
    try:
        found = {h for part in map_chunks(_signal_handlers, None, 4, 2, heavy=True) for h in part}
        assert signal.getsignal(signal.SIGTERM) is interrupt
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert found == {(signal.SIG_IGN, signal.SIG_DFL)}


def test_signals_held_delays_an_interrupt_to_the_end_of_the_block() -> None:
    steps = []
    with pytest.raises(KeyboardInterrupt):
        with signals_held():
            os.kill(os.getpid(), signal.SIGINT)
            steps.append("after the signal")
        steps.append("after the block")
    assert steps == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert not signal.pthread_sigmask(signal.SIG_BLOCK, []) & {signal.SIGINT, signal.SIGTERM}
