"""What the command line's modules share (cli.py and serve/command.py): Click options and interrupt handling."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import click

SITE_OPTION = click.option(
    "-s",
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder holding site.yml and essays/.",
)

# The exit code of an interrupted command, as shells report a process that Ctrl-C (SIGINT, 2) ended: 128 + 2.
INTERRUPTED = 130


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Let `kill`, an IDE's stop button and container stops end a command as cleanly as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
