"""ssg serve's files on disk: each rendered file in .ssg-cache/serve/files/, named by its cache key.

A cache key is a digest of everything that makes a file's bytes, so a file named by its key never needs to
change: a rebuild adds files under new keys, and a page being read while the preview moves on keeps its
bytes. The preview holds only where each file is (`Stored`), reads it when asked, and never serves one that
changed since it was written. The next preview starts from these files as it does from the last build's.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat as stat_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ssg.engine.cache import FOLDER, SERVE_FOLDER, ServeIndex, load_serve_index
from ssg.engine.render import Staged

OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
FILES_FOLDER = "files"
STAGING_FOLDER = "staging"
# Why a hard link may fail where a copy works: another file system, none supported, too many links.
NO_LINK_HERE = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP}


@dataclass(frozen=True)
class Stored:
    """A file on disk as ssg wrote and recorded it: read when asked, never if changed since."""

    path: str
    size: int
    mtime_ns: int

    def read(self) -> bytes | None:
        """Return the file's bytes if it is still as recorded (same size and mtime), else None."""
        try:
            # Opened first, then checked: a build replacing the file meanwhile leaves this handle on the old one.
            handle = os.open(self.path, OPEN_FLAGS)  # no waiting on a pipe, no following a link
        except OSError:
            return None
        try:
            stat = os.fstat(handle)
            if not stat_module.S_ISREG(stat.st_mode) or (stat.st_size, stat.st_mtime_ns) != (self.size, self.mtime_ns):
                return None
            with os.fdopen(handle, "rb", closefd=False) as file:
                data = file.read()
        except OSError:
            return None
        finally:
            os.close(handle)
        return data if len(data) == self.size else None

    @property
    def stamp(self) -> tuple[int, int]:
        """Return the recorded size and mtime."""
        return self.size, self.mtime_ns

    def current(self) -> bool:
        """Tell whether the file still has the recorded size and mtime."""
        try:
            stat = os.lstat(self.path)
        except OSError:
            return False
        return stat_module.S_ISREG(stat.st_mode) and (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)


class FileStore:
    """The preview's rendered files in a folder of the site's cache, by cache key."""

    def __init__(self, folder: Path, stored: dict[str, tuple[int, int]]) -> None:
        self.folder = folder
        self.files = os.path.join(folder, FILES_FOLDER, "")
        self.stored = stored  # by key: the size and mtime its file had when written
        self.swept = False  # files no index names (from a preview that ended mid-way) are removed once

    @classmethod
    def open(cls, root: Path, index: ServeIndex) -> FileStore | None:
        """Return the store of the site in `root` with what `index` recorded; None if it cannot be written."""
        folder = root / FOLDER / SERVE_FOLDER
        try:
            (folder / FILES_FOLDER).mkdir(parents=True, exist_ok=True)
        except OSError:
            return None  # a read-only site: the preview keeps its files in memory
        return cls(folder, dict(index.stored))

    def get(self, key: str) -> Stored | None:
        """Return the file of `key` if the store holds it as written."""
        stamp = self.stored.get(key)
        if stamp is None:
            return None
        stored = Stored(self.files + key, *stamp)
        if not stored.current():
            del self.stored[key]  # rendered again, under the same name
            return None
        return stored

    def staging(self) -> Path:
        """Return a fresh, empty staging folder inside the store (what a preview ended mid-way left is removed)."""
        staging = self.folder / STAGING_FOLDER
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        return staging

    def add(self, staging: Path, staged: Mapping[str, Staged], keys: Mapping[str, str]) -> dict[str, Stored]:
        """Move the files staged (by path, under their flat names) into the store; return each one's Stored."""
        found: dict[str, Stored] = {}
        for path, (size, mtime, name) in staged.items():
            key = keys[path]
            stored = self.get(key)
            assert name is not None
            if stored is None:  # (another output with the same key, already moved: the same bytes)
                os.replace(os.path.join(staging, name), self.files + key)  # keeps its mtime
                self.stored[key] = (size, mtime)
                stored = Stored(self.files + key, size, mtime)
            found[path] = stored
        return found

    def put(self, key: str, data: bytes) -> Stored:
        """Write one file's bytes under its key (atomically) unless the store holds it; return its Stored."""
        stored = self.get(key)
        if stored is not None:
            return stored
        tmp = os.path.join(self.folder, STAGING_FOLDER + f".{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            handle.write(data)
        stat = os.stat(tmp)
        os.replace(tmp, self.files + key)
        self.stored[key] = (stat.st_size, stat.st_mtime_ns)
        return Stored(self.files + key, stat.st_size, stat.st_mtime_ns)

    def keep_only(self, keys: set[str]) -> None:
        """Remove the files of every other key (and, the first time, files no record names)."""
        for key in [k for k in self.stored if k not in keys]:
            del self.stored[key]
            with contextlib.suppress(OSError):
                os.unlink(self.files + key)
        if not self.swept:
            self.swept = True
            with contextlib.suppress(OSError), os.scandir(self.files) as entries:
                for entry in entries:
                    if entry.name not in self.stored:
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)


class PreviewFiles:
    """The files an earlier `ssg serve` of the site left in its store, for `ssg build` to take; only read, and
    its index only when first asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = os.path.join(root, FOLDER, SERVE_FOLDER, FILES_FOLDER, "")
        self._stored: dict[str, tuple[int, int]] | None = None

    def take(self, wanted: Mapping[str, str], staging: Path, name_of: Callable[[str], str]) -> dict[str, Staged]:
        """Put into `staging` the files rendered with the keys `wanted` (by output path), each under
        `name_of(path)`; return their stamps and names. Each is a hard link to the stored file (a copy across
        file systems), taken only if that file is still as recorded."""
        if self._stored is None:
            self._stored = load_serve_index(self.root).stored
        taken: dict[str, Staged] = {}
        for path, key in wanted.items():
            stamp = self._stored.get(key)
            if stamp is None:
                continue
            name = name_of(path)
            target = os.path.join(staging, name)
            if _link_or_copy(Stored(self.files + key, *stamp), target):
                status = os.lstat(target)
                taken[path] = (status.st_size, status.st_mtime_ns, name)
        return taken


def _link_or_copy(stored: Stored, target: str) -> bool:
    """Make `target` hold the stored file's recorded bytes; tell whether it does (False: render it instead)."""
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(stored.path, target, follow_symlinks=False)
        except OSError as exc:
            if exc.errno not in NO_LINK_HERE:
                return False  # removed by a preview running now, say
            data = stored.read()
            if data is None:
                return False
            with open(target, "wb") as handle:
                handle.write(data)
            return True
        status = os.lstat(target)  # the same file: as recorded, or changed since and not to be used
        if stat_module.S_ISREG(status.st_mode) and (status.st_size, status.st_mtime_ns) == stored.stamp:
            return True
        os.unlink(target)
    except OSError:
        pass
    return False
