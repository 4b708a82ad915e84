"""The only module that writes the output folder: staging dir, write-if-changed, swap."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST = "output-manifest.json"


@dataclass(frozen=True)
class WriteReport:
    """What a write did to the output folder."""

    written: int
    unchanged: int
    removed: int
    kept: tuple[str, ...]


def write_site(files: Mapping[PurePosixPath, bytes], out: Path, cache: Path, clean: bool) -> WriteReport:
    """Replace `out` with `files`; unchanged files keep their inode and mtime.

    Files in `out` that an earlier build wrote and this one does not are removed; other
    files (put there by hand) are kept unless `clean` is set.
    """
    out = out.resolve()
    staging = out.parent / f".{out.name}.staging"
    previous = out.parent / f".{out.name}.previous"
    for leftover in (staging, previous):
        if leftover.exists():
            shutil.rmtree(leftover)
    ours = _read_manifest(cache, out)
    staging.mkdir(parents=True)
    try:
        unchanged, removed, kept = _carry_over(files, out, staging, ours, clean)
        written = _write_new(files, staging, unchanged)
        _swap(staging, out, previous)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _write_manifest(cache, out, files)
    return WriteReport(written, len(unchanged), removed, tuple(sorted(kept)))


def _carry_over(
    files: Mapping[PurePosixPath, bytes], out: Path, staging: Path, ours: set[str], clean: bool
) -> tuple[set[PurePosixPath], int, list[str]]:
    unchanged: set[PurePosixPath] = set()
    kept: list[str] = []
    removed = 0
    if not out.is_dir():
        return unchanged, removed, kept
    for path in _walk(out):
        rel = PurePosixPath(path.relative_to(out).as_posix())
        new = files.get(rel)
        if new is not None:
            if _same(path, new):
                _link(path, staging / rel)
                unchanged.add(rel)
        elif rel.as_posix() in ours or clean:
            removed += 1
        else:
            _link(path, staging / rel)
            kept.append(rel.as_posix())
    return unchanged, removed, kept


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, _dirs, names in os.walk(folder):
        found.extend(Path(dirpath, n) for n in names)
    return sorted(found)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        shutil.copy2(source, target, follow_symlinks=False)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _write_new(files: Mapping[PurePosixPath, bytes], staging: Path, unchanged: set[PurePosixPath]) -> int:
    made: set[Path] = set()
    written = 0
    for rel in sorted(files):
        if rel in unchanged:
            continue
        target = staging / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(files[rel])
        written += 1
    return written


def _swap(staging: Path, out: Path, previous: Path) -> None:
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    if previous.exists():
        shutil.rmtree(previous)


def _manifest_key(out: Path) -> str:
    return str(out)


def _read_manifest(cache: Path, out: Path) -> set[str]:
    try:
        data = json.loads((cache / MANIFEST).read_text(encoding="utf-8"))
        return set(data.get(_manifest_key(out), []))
    except (OSError, ValueError, AttributeError):
        return set()


def _write_manifest(cache: Path, out: Path, files: Mapping[PurePosixPath, bytes]) -> None:
    path = cache / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    data[_manifest_key(out)] = sorted(p.as_posix() for p in files)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
