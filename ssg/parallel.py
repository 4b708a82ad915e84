"""Run a function over chunks of work on all cores (forked workers), or in-process when small."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a process pool costs more than it saves.
THRESHOLD = 200

# The job of the current pool: set before the workers fork, so they inherit it instead of
# receiving it pickled; read-only while the pool runs.
_JOB: tuple[Callable[[Any, Any], Any], Any] | None = None


def map_chunks(
    func: Callable[[T, range], R],
    shared: T,
    total: int,
    jobs: int,
    chunk: int = 64,
    heavy: bool = False,
    groups: Sequence[str] = (),
    costs: Sequence[int] = (),
    isolate: bool = False,
) -> Iterator[R]:
    """Yield `func(shared, indices)` for consecutive index ranges covering `total` items.

    Results arrive in completion order. `shared` reaches forked workers without pickling. Fewer
    than THRESHOLD items run in this process unless they are `heavy` (each worth a process).
    Consecutive items with the same non-empty `groups` entry stay in one range. With `costs` (each item's
    work in units of an ordinary item), ranges hold about equal work, and the costliest start first.
    `isolate` work runs in worker processes however little of it there is and even with one job: it starts
    threads that would hang this process's later forks (Typst's).
    """
    global _JOB
    work = sum(costs) if costs else total
    # Small jobs still reach every worker; few heavy items go one by one, so no two wait on each other.
    chunk = 1 if heavy and total < THRESHOLD else max(1, min(chunk, -(-work // (jobs * 4))))
    chunks = _ranges(total, chunk, groups, costs)
    if costs:
        chunks.sort(key=lambda r: -sum(costs[i] for i in r))
    few = total < 2 if heavy else work < THRESHOLD or total < 2
    if not chunks:
        return
    if "fork" not in multiprocessing.get_all_start_methods() or (not isolate and (jobs <= 1 or few)):
        for indices in chunks:
            yield func(shared, indices)
        return
    _JOB = (func, shared)
    # Objects that exist before the fork are only read by the workers: keep the cycle collector away
    # from them, or each worker's collections write to (and so copy) every page holding one.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(max(1, min(jobs, len(chunks)))) as pool:
            yield from pool.imap_unordered(_run, chunks)
    finally:
        _JOB = None
        gc.unfreeze()


def _ranges(total: int, chunk: int, groups: Sequence[str], costs: Sequence[int] = ()) -> list[range]:
    """Cut 0..total into ranges of about `chunk` items (or `chunk` units of `costs`), never splitting a group."""
    ranges, start = [], 0
    while start < total:
        if costs:
            end, load = start + 1, costs[start]
            while end < total and load + costs[end] <= chunk:
                load += costs[end]
                end += 1
        else:
            end = min(start + chunk, total)
        while groups and 0 < end < total and groups[end] and groups[end] == groups[end - 1]:
            end += 1
        ranges.append(range(start, end))
        start = end
    return ranges


def _run(indices: range) -> Any:
    assert _JOB is not None
    func, shared = _JOB
    return func(shared, indices)
