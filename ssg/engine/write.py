"""The only module that writes the output folder: stage, then apply only what changed.

Rendering happens completely before anything here touches the output folder, so a failed
build leaves it as it was. Files whose bytes are unchanged are not rewritten (they keep their
modification time); each changed file is replaced atomically.
"""

from __future__ import annotations

import os
import shutil
import stat as stat_module
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ssg.engine.render import Staged, Stamp
from ssg.errors import Problem, SsgError

# What ssg wrote at a path last time: (cache key, size, mtime_ns).
Record = dict[str, tuple[str, int, int]]


@dataclass(frozen=True)
class WriteReport:
    """What a build did to the output folder."""

    written: int
    unchanged: int
    removed: int
    kept: tuple[str, ...]  # files in the output folder that ssg did not make (found when its set of files changed)
    # Files found in an output folder ssg had no record of (its cache was deleted or damaged, or came from
    # another ssg): perhaps pages of an earlier build. Reported on every build until --clean or they go.
    unrecorded: tuple[str, ...] = ()


def staging_dir(out: Path) -> Path:
    """Return a fresh, empty staging folder beside the output folder."""
    staging = out.parent / f".{out.name}.staging"
    try:
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
    except OSError as exc:
        message = f"cannot write the output folder here ({exc.strerror or exc}): choose another 'output' or -o"
        raise SsgError([Problem(str(out), None, message)]) from None
    return staging


def unchanged_outputs(out: Path, keys: Mapping[str, str], previous: Record) -> dict[str, Stamp]:
    """Return paths whose key matches the last build and whose file nobody has touched since, with its stamp."""
    same = {}
    prefix = os.path.join(str(out), "")
    for rel, key in keys.items():
        known = previous.get(rel)
        if known is None or known[0] != key:
            continue
        try:
            stat = os.stat(prefix + rel)
        except OSError:
            continue
        if stat.st_size == known[1] and stat.st_mtime_ns == known[2]:
            same[rel] = known[1], known[2]
    return same


def all_as_written(out: Path, previous: Record) -> bool:
    """Tell whether every file of the last build is still there as it was written."""
    base = str(out)
    for rel, (_key, size, mtime) in previous.items():
        try:
            stat = os.stat(os.path.join(base, rel))
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
            return False
    return bool(previous)


def apply(
    staging: Path,
    out: Path,
    keys: Mapping[str, str],
    staged: Mapping[str, Staged],
    previous: Record,
    clean: bool,
) -> tuple[WriteReport, Record]:
    """Move staged files into `out`, remove stale ones, and return the report and new record.

    `staged` holds each rendered file's stamp and where below `staging` it is (see render_files); a file
    that was not staged is already in `out` with its bytes. Moving a file keeps its mtime.
    """
    try:
        if len(staged) == len(keys) and all(s[2] == p for p, s in staged.items()) and absent_or_empty(out):
            # A first build: the staging folder becomes the output folder in one step.
            if out.is_dir():
                out.rmdir()
            os.rename(staging, out)
            record = {p: (keys[p], *staged[p][:2]) for p in keys}
            return WriteReport(len(keys), 0, 0, ()), record
        cleared = _clear_the_way(out, [p for p, s in staged.items() if s[2] is not None], previous, clean)
        written, same = _move_staged(staging, out, staged)
        if clean or len(keys) != len(previous) or any(p not in previous for p in keys):
            removed, kept = _remove_stale(out, keys, previous, clean)
            removed += cleared
        else:
            # The same files as last time: nothing to remove, and no need to walk the whole folder for
            # files ssg did not make (they are reported when the site's set of files changes, or with --clean).
            removed, kept = 0, []
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    record = {}
    for rel, key in keys.items():
        record[rel] = (key, *same[rel]) if rel in same else (key, *staged[rel][:2]) if rel in staged else previous[rel]
    return WriteReport(written, len(keys) - written, removed, tuple(sorted(kept))), record


def absent_or_empty(out: Path) -> bool:
    """Tell whether the output folder is missing or an empty folder (not a link to one)."""
    if not os.path.lexists(out):
        return True
    if out.is_symlink() or not out.is_dir():
        return False
    with os.scandir(out) as entries:
        return not any(entries)


def _clear_the_way(out: Path, paths: list[str], previous: Record, clean: bool) -> int:
    """Before anything moves: remove what stands where the site puts a file or needs a folder.

    A folder where a file goes, or a file (or link) where a folder goes, is removed if ssg made all of it
    (a stale page) or with --clean; otherwise the build stops naming it, with the output untouched.
    Return how many files were removed.
    """
    base = str(out)
    blockers: dict[str, bool] = {}  # path below out -> whether it is a folder
    seen: set[str] = set()
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            here = "/".join(parts[:depth])
            if here in seen:
                continue
            seen.add(here)
            try:
                mode = os.lstat(os.path.join(base, here)).st_mode
            except FileNotFoundError:
                break  # nothing stands below it either
            is_folder = stat_module.S_ISDIR(mode)
            if is_folder == (depth == len(parts)):  # a folder for the file, or not a folder on the way
                blockers[here] = is_folder
                break
    foreign = []
    for here, is_folder in sorted(blockers.items()):
        made = [f"{folder}{name}" for folder, name in _files(base, here + "/")] if is_folder else [here]
        if not clean and not all(m in previous for m in made):
            what = "a folder stands where the site puts a file" if is_folder else "stands where the site needs a folder"
            message = f"{what}, and ssg did not make it: move it away, or build with --clean"
            foreign.append(Problem(str(out / here), None, message))
    if foreign:
        raise SsgError(foreign)
    removed = 0
    for here, is_folder in blockers.items():
        if is_folder:
            removed += len(_files(base, here + "/"))
            shutil.rmtree(os.path.join(base, here))
        else:
            removed += 1
            os.unlink(os.path.join(base, here))
    return removed


def _move_staged(staging: Path, out: Path, staged: Mapping[str, Staged]) -> tuple[int, dict[str, Stamp]]:
    """Move staged files into place; return how many, and the stamps of targets that already had the bytes."""
    written = 0
    same: dict[str, Stamp] = {}
    made: set[str] = set()
    for path in sorted(staged):
        size, mtime, name = staged[path]
        if name is None:
            same[path] = size, mtime
            continue
        source, target = os.path.join(staging, name), os.path.join(out, path)
        folder = os.path.dirname(target)
        if folder not in made:
            _make_dir(Path(folder))
            made.add(folder)
        os.replace(source, target)
        written += 1
    return written, same


def _make_dir(folder: Path) -> None:
    """Make sure `folder` is a real folder: a link or file in its place is removed (never written through)."""
    try:
        if stat_module.S_ISDIR(os.lstat(folder).st_mode):
            return  # the usual case, in one system call
        folder.unlink()
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)


def _remove_stale(out: Path, keys: Mapping[str, str], previous: Record, clean: bool) -> tuple[int, list[str]]:
    wanted = set(keys)
    emptied: set[Path] = set()
    removed = 0
    kept = []
    base = str(out)
    for folder, name in _files(base, ""):
        rel = f"{folder}{name}"
        if rel in wanted:
            continue
        if rel in previous or clean:
            os.unlink(os.path.join(base, rel))
            emptied.add(out / folder)
            removed += 1
        else:
            kept.append(rel)
    for emptied_folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        _remove_empty_upwards(emptied_folder, out)
    return removed, kept


def _files(base: str, folder: str) -> list[tuple[str, str]]:
    """Return (folder/ relative to base, name) of every file below base/folder, not following links."""
    found: list[tuple[str, str]] = []
    with os.scandir(os.path.join(base, folder) if folder else base) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found.extend(_files(base, f"{folder}{entry.name}/"))
            else:
                found.append((folder, entry.name))
    return found


def _remove_empty_upwards(folder: Path, out: Path) -> None:
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
