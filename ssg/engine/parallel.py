"""Run a function over chunks of work on all cores (forked workers), or in-process when small."""

from __future__ import annotations

import gc
import multiprocessing
import signal
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a process pool costs more than it saves.
THRESHOLD = 200

# The job of the current pool: set before the workers fork, so they inherit it instead of
# receiving it pickled; read-only while the pool runs.
_JOB: tuple[Callable[[Any, Any], Any], Any] | None = None

# The signals that end a build: the parent process alone handles them, and ends its workers.
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


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
) -> Generator[R, None, None]:
    """Yield `func(shared, indices)` for consecutive index ranges covering `total` items.

    Results arrive in completion order. `shared` reaches forked workers without pickling. Fewer
    than THRESHOLD items run in this process unless they are `heavy` (each worth a process).
    Consecutive items with the same non-empty `groups` entry stay in one range. With `costs` (each item's
    work in units of an ordinary item), ranges hold about equal work, and the costliest start first.
    `isolate` work runs in worker processes however little of it there is and even with one job: it starts
    threads that would hang this process's later forks (Typst's). Close the iterator
    (`contextlib.closing`) when it may not be consumed to the end: closing it ends the workers.
    Workers ignore SIGINT and die quietly of SIGTERM: Ctrl-C reaches the caller alone, as KeyboardInterrupt.
    """
    global _JOB
    # Small jobs still reach every worker; few heavy items go one by one, so no two wait on each other.
    work = sum(costs) if costs else total
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
        # Workers start with the stop signals blocked, so none reaches one before it chose how to take them.
        with signals_held():
            workers = max(1, min(jobs, len(chunks)))
            pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_started)
        try:
            yield from pool.imap_unordered(_run, chunks)
        finally:
            with signals_held():  # a second Ctrl-C must not leave workers behind
                pool.terminate()
    finally:
        _JOB = None
        gc.unfreeze()


@contextmanager
def signals_held() -> Iterator[None]:
    """Delay SIGINT and SIGTERM until the block ends, then act on them as before.

    They are blocked in this thread (and so in processes forked in it). In the main thread Python's handlers
    are held too: another thread may take the signal, and Python would run the handler at once.
    """
    noted: list[int] = []

    def note(signum: int, _frame: FrameType | None) -> None:
        noted.append(signum)

    main = threading.current_thread() is threading.main_thread()
    # (None: a handler not installed from Python, which cannot be put back.)
    handlers = {s: h for s in STOP_SIGNALS if (h := signal.getsignal(s)) is not None} if main else {}
    for stop in handlers:
        signal.signal(stop, note)
    masks = hasattr(signal, "pthread_sigmask")  # not on Windows, where nothing forks
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS) if masks else set()
    try:
        yield
    finally:
        if masks:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # what was pending arrives now, at `note`
        for stop, handler in handlers.items():
            signal.signal(stop, handler)
        for signum in dict.fromkeys(noted):
            handler = handlers[signal.Signals(signum)]
            if callable(handler):
                handler(signum, None)  # Python's own for SIGINT raises KeyboardInterrupt
            elif handler != signal.SIG_IGN:
                signal.raise_signal(signum)


def _worker_started() -> None:
    """Leave stopping to the parent: it hears Ctrl-C and ends the pool, whose SIGTERM ends a worker silently.

    Without this a worker takes Ctrl-C (sent to the whole process group) or the parent's own SIGTERM handler
    (inherited) as a KeyboardInterrupt of its own, and prints its traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


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
