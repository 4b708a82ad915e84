"""Watch a site's sources with watchdog and flag every relevant change; debouncing is the build loop's job."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from ssg.static_files import HOST_DOT_NAMES

CONFIG_NAME = "site.yml"
# Reading a file (as every build does) produces "opened" and "closed_no_write": reacting to those would loop.
CHANGE_TYPES = frozenset({"created", "deleted", "modified", "moved", "closed", "attrib"})
_TEMP_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", "___jb_tmp___", "___jb_old___")
_TEMP_NAMES = frozenset({"4913"})  # vim probes whether it may write a folder with this file name


def is_editor_leftover(name: str) -> bool:
    """Return whether a file name is an editor's swap, backup, lock or temporary file."""
    hidden = name.startswith(".") and name not in HOST_DOT_NAMES  # .htaccess is published: its edits count
    return hidden or name.endswith(_TEMP_SUFFIXES) or name in _TEMP_NAMES


class _Relay(FileSystemEventHandler):
    """Pass relevant events on to the watcher; runs on watchdog's thread."""

    def __init__(self, relevant: Callable[[str], bool], changed: Callable[[], None]) -> None:
        self._relevant = relevant
        self._changed = changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Flag a change when the event touches a file the site is built from."""
        if event.event_type not in CHANGE_TYPES or (event.is_directory and event.event_type == "modified"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if any(self._relevant(_text(p)) for p in paths if p):
            self._changed()


def _text(path: str | bytes) -> str:
    return path.decode(errors="replace") if isinstance(path, bytes) else path


class Watcher:
    """Watch site.yml and the source folders of one site; call `changed` on every relevant event."""

    def __init__(self, root: Path, changed: Callable[[], None], poll: bool = False) -> None:
        self.root = root.resolve()
        self._ignored: tuple[Path, ...] = ()
        self._observer: BaseObserver = PollingObserver(timeout=0.5) if poll else Observer()
        self._observer.name = "ssg-serve-watcher"
        self._relay = _Relay(self._relevant, changed)
        self._watches: dict[Path, tuple[ObservedWatch, int]] = {}
        self._top_names: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start watching the site folder itself (for site.yml and new source folders)."""
        self._observer.schedule(self._relay, str(self.root), recursive=False)
        self._observer.start()

    def sync(self, folders: Iterable[Path], ignored: Iterable[Path] = ()) -> None:
        """Watch each existing folder (given as root / name) recursively, re-watch replaced ones; skip `ignored`."""
        wanted = list(folders)
        with self._lock:
            self._ignored = tuple(p.resolve() for p in ignored)
            self._top_names = frozenset(_top_name(self.root, f) for f in wanted)
            for folder in wanted:
                self._ensure(folder)

    def stop(self) -> None:
        """Stop the observer thread and wait for it."""
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)

    def _ensure(self, folder: Path) -> None:
        try:
            inode = folder.stat().st_ino if folder.is_dir() else 0
        except OSError:
            inode = 0
        known = self._watches.get(folder)
        if known is not None and known[1] == inode:
            return
        if known is not None:
            del self._watches[folder]
            with contextlib.suppress(KeyError):  # watchdog may already have dropped a deleted folder's watch
                self._observer.unschedule(known[0])
        if inode:
            watch = self._observer.schedule(self._relay, str(folder), recursive=True)
            self._watches[folder] = (watch, inode)

    def _relevant(self, raw: str) -> bool:
        path = Path(raw)
        if is_editor_leftover(path.name) or any(path == p or p in path.parents for p in self._ignored):
            return False
        if path.parent == self.root:
            return path.name == CONFIG_NAME or path.name in self._top_names
        return True


def _top_name(root: Path, folder: Path) -> str:
    try:
        return folder.relative_to(root).parts[0]
    except (ValueError, IndexError):
        return ""
