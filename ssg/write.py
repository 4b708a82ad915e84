"""The only module that writes the output folder: stage, then apply only what changed.

Rendering happens completely before anything here touches the output folder, so a failed
build leaves it as it was. Files whose bytes are unchanged are not rewritten (they keep their
modification time); each changed file is replaced atomically.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# What ssg wrote at a path last time: (cache key, size, mtime_ns).
Record = dict[str, tuple[str, int, int]]


@dataclass(frozen=True)
class WriteReport:
    """What a build did to the output folder."""

    written: int
    unchanged: int
    removed: int
    kept: tuple[str, ...]


def staging_dir(out: Path) -> Path:
    """Return a fresh, empty staging folder beside the output folder."""
    staging = out.parent / f".{out.name}.staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def unchanged_outputs(out: Path, keys: Mapping[PurePosixPath, str], previous: Record) -> set[PurePosixPath]:
    """Return paths whose key matches the last build and whose file nobody has touched since."""
    same = set()
    base = str(out)
    for path, key in keys.items():
        rel = str(path)
        known = previous.get(rel)
        if known is None or known[0] != key:
            continue
        try:
            stat = os.stat(os.path.join(base, rel))
        except OSError:
            continue
        if (stat.st_size, stat.st_mtime_ns) == known[1:]:
            same.add(path)
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
    keys: Mapping[PurePosixPath, str],
    staged: Iterable[PurePosixPath],
    previous: Record,
    clean: bool,
) -> tuple[WriteReport, Record]:
    """Move staged files into `out`, remove stale ones, and return the report and new record."""
    try:
        written, kept_same = _move_staged(staging, out, staged)
        removed, kept = _remove_stale(out, keys, previous, clean)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    record = _record(out, keys, previous, set(staged) - kept_same)
    unchanged = len(keys) - written
    return WriteReport(written, unchanged, removed, tuple(sorted(kept))), record


def _move_staged(staging: Path, out: Path, staged: Iterable[PurePosixPath]) -> tuple[int, set[PurePosixPath]]:
    written = 0
    same: set[PurePosixPath] = set()
    made: set[Path] = set()
    for path in sorted(staged):
        source, target = staging / path, out / path
        if _same_bytes(source, target):
            same.add(path)
            continue
        if target.parent not in made:
            _make_dir(target.parent)
            made.add(target.parent)
        os.replace(source, target)
        written += 1
    return written, same


def _make_dir(folder: Path) -> None:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
    folder.mkdir(parents=True, exist_ok=True)


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _remove_stale(out: Path, keys: Mapping[PurePosixPath, str], previous: Record, clean: bool) -> tuple[int, list[str]]:
    wanted = {str(p) for p in keys}
    emptied: set[Path] = set()
    removed = 0
    kept = []
    base = str(out)
    for dirpath, _dirs, names in os.walk(base):
        folder = os.path.relpath(dirpath, base)
        for name in names:
            rel = name if folder == "." else f"{folder}/{name}"
            if rel in wanted:
                continue
            if rel in previous or clean:
                os.unlink(os.path.join(dirpath, name))
                emptied.add(Path(dirpath))
                removed += 1
            else:
                kept.append(rel)
    for emptied_folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        _remove_empty_upwards(emptied_folder, out)
    return removed, kept


def _remove_empty_upwards(folder: Path, out: Path) -> None:
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _record(out: Path, keys: Mapping[PurePosixPath, str], previous: Record, changed: set[PurePosixPath]) -> Record:
    record: Record = {}
    base = str(out)
    for path, key in keys.items():
        rel = str(path)
        known = previous.get(rel)
        if path not in changed and known is not None and known[0] == key:
            record[rel] = known
            continue
        stat = os.stat(os.path.join(base, rel))
        record[rel] = (key, stat.st_size, stat.st_mtime_ns)
    return record
