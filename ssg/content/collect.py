"""Collect the essays of a site: read, validate, filter drafts and future ones, sort."""

from __future__ import annotations

import os
import stat
import time
import unicodedata
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ssg.config import SiteConfig
from ssg.content.essay import Essay, parse_essay, source_digest
from ssg.content.reader import Reader
from ssg.content.series import duplicate_parts
from ssg.engine.parallel import map_chunks
from ssg.errors import Problem, SsgError


@dataclass(frozen=True)
class Selection:
    """Which essays a build publishes besides the ordinary ones."""

    drafts: bool = False
    future: bool = False


def essay_files(config: SiteConfig, folder: Path | None = None) -> list[Path]:
    """Return the essay files (or the Markdown files in `folder`) in a stable order, skipping editor leftovers."""
    return [Path(path) for path, _linked in _scan(str(folder or config.essays_dir), False)]


def scan_files(folder: str) -> list[tuple[str, bool]]:
    """Return (path, reached through a link) for every file below `folder` that is not a Markdown text."""
    return _scan(folder, False, texts=False)


def _scan(
    folder: str, linked: bool, depth: int = 0, seen: set[tuple[int, int]] | None = None, texts: bool = True
) -> list[tuple[str, bool]]:
    """Return (path, reached through a link) for every essay file (or, not `texts`, every other file) below
    `folder`, sorted.

    A folder reached again through a link (a loop, or a second way in) is read once.
    """
    found: list[tuple[str, bool]] = []
    seen = set() if seen is None else seen
    try:
        status = os.stat(folder)
        if (status.st_dev, status.st_ino) in seen:
            return found
        seen.add((status.st_dev, status.st_ino))
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.name.startswith(".") or entry.name.endswith("~"):
            continue
        through_link = linked or entry.is_symlink()
        try:
            is_dir = entry.is_dir()
        except OSError:  # a link that leads to itself: reading it reports that
            is_dir = False
        if entry.name.startswith("_") and (texts or is_dir):
            continue  # a text or folder left out on purpose; a file beside a text may be named so
        if is_dir:
            if depth < 20:  # a link loop ends here
                found.extend(_scan(entry.path, through_link, depth + 1, seen, texts))
        elif entry.name.endswith(".md") == texts:
            found.append((entry.path, through_link))
    return found


# A parsed essay and its warnings, by source path; valid while the file's digest is the same.
EssayMemo = dict[str, tuple[str, Essay, list[Problem]]]


@dataclass(frozen=True)
class Source:
    """One essay file as read: its path relative to the site, and its bytes or why it could not be read."""

    rel: str
    raw: bytes | None  # None if unreadable, or not read because its status vouches for `digest`
    problem: Problem | None = None
    digest: str = ""  # of the file's name and bytes; "" if unreadable
    path: str = ""  # where the file is


# What a file's status says about its bytes: size, modification and change time (the kernel sets the
# latter on every write; no tool can set it back), inode.
Signature = tuple[int, int, int, int]
RACY_NS = 50_000_000


def read_sources(
    config: SiteConfig, seen: dict[str, tuple[Signature, Source]] | None = None, folder: Path | None = None
) -> list[Source]:
    """Read every essay file of the site (or every Markdown file in `folder`), in a stable order.

    With `seen` (the status and source of each file last time, updated in place), a file whose status
    is unchanged since it was last read is not read again: its old source stands, bytes or not.
    """
    root = str(config.root)
    prefix = root.rstrip(os.sep) + os.sep
    sources = []
    signatures: dict[str, tuple[Signature, Source]] = {}
    for name, linked in _scan(str(folder or config.essays_dir), False):
        rel = name[len(prefix) :] if name.startswith(prefix) else os.path.relpath(name, root)
        rel = rel.replace(os.sep, "/")
        if not rel.isascii():
            # macOS writes names decomposed ("U" + combining diaeresis): the same name, the same slug and URL.
            rel = unicodedata.normalize("NFC", rel)
        if not rel.isascii() and not _is_utf8(rel):
            # Its name makes the page's URL and shows in feeds: it must be text.
            shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            unnamed = Problem(shown, None, "the file name is not valid UTF-8: rename it")
            sources.append(Source(shown, None, unnamed, "", name))
            continue
        signature = _signature(name) if seen is not None else None
        known = seen.get(rel) if seen is not None else None
        if known is not None and signature is not None and known[0] == signature:
            source = known[1]
        else:
            read_at = time.time_ns()
            raw, problem = read_file(name, rel, config, linked)
            source = Source(rel, raw, problem, source_digest(rel, raw) if raw is not None else "", name)
            # File times are coarse (a few milliseconds): a file changed again within that tick of being
            # read keeps its status, so only a status older than that may stand for the bytes.
            if signature is not None and signature[1] > read_at - RACY_NS:
                signature = None
        if signature is not None and source.problem is None and source.digest:
            signatures[rel] = (signature, source)
        sources.append(source)
    if seen is not None:
        seen.clear()
        seen.update(signatures)
    return sources


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _signature(name: str) -> Signature | None:
    try:
        stat = os.stat(name)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def collect(
    config: SiteConfig,
    selection: Selection,
    now: datetime,
    memo: EssayMemo | None = None,
    jobs: int = 1,
    sources: list[Source] | None = None,
) -> tuple[list[Essay], list[Problem]]:
    """Return the published essays newest first and the warnings; raise with all errors.

    `memo` (updated in place) skips parsing files whose bytes are unchanged since it was filled;
    the others are parsed in `jobs` processes. `sources` are the files as read by read_sources.
    """
    loaded: dict[str, tuple[Essay | None, list[Problem]]] = {}
    todo: list[tuple[str, bytes]] = []
    known = memo if memo is not None else {}
    for source in sources if sources is not None else read_sources(config):
        rel, raw = source.rel, source.raw
        entry = known.get(rel)
        if source.problem is not None or not source.digest:
            loaded[rel] = (None, [source.problem] if source.problem else [])
        elif entry is not None and entry[0] == source.digest:
            loaded[rel] = (_with_body(entry[1], raw, source.path), entry[2])
        else:
            if raw is None:  # not read, its status vouched for it, but it was not parsed before
                raw, problem = read_file(source.path, rel, config, True)
                if raw is None:
                    loaded[rel] = (None, [problem] if problem else [])
                    continue
            todo.append((rel, raw))
    raws = dict(todo)
    with closing(map_chunks(_parse_chunk, (config, todo), len(todo), jobs)) as chunks:  # ends the workers on Ctrl-C
        for results in chunks:
            for rel, (essay, found) in results.items():
                loaded[rel] = (_with_body(essay, raws[rel], "") if essay else None, found)
    if memo is not None:
        memo.clear()
        memo.update({rel: (e.digest, e, found) for rel, (e, found) in loaded.items() if e is not None})
    return _finish(loaded, selection, now)


def drop_bytes(seen: dict[str, tuple[Signature, Source]], memo: EssayMemo) -> None:
    """Forget the bytes of the files whose status vouches for them (read again only if a page needs the body).

    A long-running preview would otherwise hold every essay file, twice the size of its parsed essays.
    """
    for rel, (signature, source) in seen.items():
        if source.raw is None:
            continue
        seen[rel] = (signature, Source(rel, None, None, source.digest, source.path))
        entry = memo.get(rel)
        if entry is not None and entry[0] == source.digest:
            memo[rel] = (entry[0], _with_body(entry[1], None, source.path), entry[2])


def _with_body(essay: Essay, raw: bytes | None, path: str) -> Essay:
    """Put back the file's bytes, which a saved cache and the parsing workers leave out, or where to read them."""
    if raw is not None and essay.raw is raw:
        return essay
    if raw is None and not essay.raw and essay.origin == path:
        return essay  # a preview's unchanged essay, as the last build left it: the same object keeps its card
    # A shallow copy with two fields set: dataclasses.replace would run every field through __init__.
    copy = object.__new__(Essay)
    copy.__dict__.update(essay.__dict__)
    object.__setattr__(copy, "raw", raw if raw is not None else b"")
    object.__setattr__(copy, "origin", "" if raw is not None else path)
    return copy


def read_file(path: str, rel: str, config: SiteConfig, linked: bool) -> tuple[bytes | None, Problem | None]:
    """Return a source file's bytes, or the problem that kept it from being read."""
    try:
        outside = linked and not _inside(Path(path), config.root)
    except (RuntimeError, OSError):  # pathlib's word for a link loop
        return None, Problem(rel, None, "is a link that leads back to itself: remove it")
    if outside:
        return None, Problem(rel, None, "is a link to a file outside the site folder (not allowed)")
    try:
        # Not blocking: opening a named pipe would otherwise wait for a writer.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb", buffering=0) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None, Problem(rel, None, "is not a regular file (a pipe, socket or device): remove it")
            return handle.read(), None  # unbuffered: one read for the whole file
    except OSError as exc:
        return None, Problem(rel, None, f"cannot read file: {exc.strerror}")


def _parse_chunk(
    work: tuple[SiteConfig, list[tuple[str, bytes]]], indices: range
) -> dict[str, tuple[Essay | None, list[Problem]]]:
    config, todo = work
    results: dict[str, tuple[Essay | None, list[Problem]]] = {}
    for index in indices:
        rel, raw = todo[index]
        reader = Reader(rel)
        essay = parse_essay(raw, config, reader)
        if essay is not None:
            essay = replace(essay, raw=b"")  # the caller has the bytes: don't send them back
        results[rel] = (essay, reader.problems)
    return results


def is_selected(draft: bool, selection: Selection) -> bool:
    """Tell whether an undated text (a page) is published: drafts only when asked for."""
    return selection.drafts or not draft


def _finish(
    loaded: dict[str, tuple[Essay | None, list[Problem]]], selection: Selection, now: datetime
) -> tuple[list[Essay], list[Problem]]:
    essays = [loaded[rel][0] for rel in sorted(loaded) if loaded[rel][0] is not None]
    problems = [p for rel in sorted(loaded) for p in loaded[rel][1]]
    problems.extend(_duplicate_slugs([e for e in essays if e is not None]))
    # Drafts and future essays count, as for slugs: publishing one must not break the build later.
    problems.extend(duplicate_parts((e.source, e.series) for e in essays if e is not None))
    if any(p.severity == "error" for p in problems):
        raise SsgError(sorted(problems, key=_order))
    published = [e for e in essays if e is not None and _selected(e, selection, now)]
    published.sort(key=lambda e: (e.date, e.title, e.slug), reverse=True)
    return published, sorted(problems, key=_order)


def _order(problem: Problem) -> tuple[str, int, str]:
    return (problem.path, problem.line or 0, problem.message)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _selected(essay: Essay, selection: Selection, now: datetime) -> bool:
    if essay.draft and not selection.drafts:
        return False
    return selection.future or essay.date <= now


def _duplicate_slugs(essays: list[Essay]) -> list[Problem]:
    first: dict[str, Essay] = {}
    problems = []
    for essay in essays:
        other = first.setdefault(essay.slug, essay)
        if other is not essay:
            msg = f"slug '{essay.slug}' is already used by {other.source} (give one of them another 'slug')"
            problems.append(Problem(essay.source, essay.slug_line or None, msg))
    return problems
