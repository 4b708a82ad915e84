"""The build cache in the site's .ssg-cache/: parsed essays, and what was written where.

Everything in it is keyed by content digests, so a stale or foreign entry is never used; a
missing, damaged or older-version cache file just means a full build. Safe to delete.
Two files: the small output index is all an unchanged rebuild reads; the parsed essays are
read only when something changed.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from jinja2.bccache import Bucket

from ssg.config import SiteConfig
from ssg.content.collect import EssayMemo, Signature
from ssg.content.files import FileMemo, ImageMemo
from ssg.engine.fingerprint import code_version, fingerprint
from ssg.engine.write import Record
from ssg.errors import Problem

FOLDER = ".ssg-cache"
ESSAYS_FILE = "essays.pickle"
INDEX_FILE = "outputs.pickle"
TEMPLATES_FOLDER = "templates"
SERVE_FOLDER = "serve"  # ssg serve's own: the files it rendered (see ssg/engine/store.py) and its index
SERVE_INDEX_FILE = f"{SERVE_FOLDER}/index.pickle"


@dataclass
class BuildCache:
    """Parsed essays, valid for one configuration."""

    config_key: str = ""
    essays: EssayMemo = field(default_factory=dict)
    # Each essay's entry as saved, by path: (digest, pickled entry). Saving after a one-essay edit
    # then pickles one essay, not all of them.
    saved: dict[str, tuple[str, bytes]] = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict[str, object]:
        blobs = {}
        for rel, (digest, essay, problems) in self.essays.items():
            known = self.saved.get(rel)
            if known is None or known[0] != digest:
                # The file's bytes are most of an essay, and collect() reads them anyway and puts them back.
                entry = (digest, replace(essay, raw=b""), problems)
                known = (digest, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
            blobs[rel] = known
        self.saved = blobs
        return {"config_key": self.config_key, "blobs": blobs}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.config_key = state["config_key"]
        self.saved = state["blobs"]
        self.essays = {rel: pickle.loads(blob) for rel, (_digest, blob) in self.saved.items()}

    def digests(self) -> tuple[str, dict[str, str]]:
        """Return what decides whether the cache changed and must be saved again."""
        return self.config_key, {rel: entry[0] for rel, entry in self.essays.items()}

    def essays_for(self, config: SiteConfig) -> EssayMemo:
        """Return the essay memo, emptied if it was made under another configuration."""
        key = fingerprint([code_version(), config])
        if key != self.config_key:
            self.essays.clear()
            self.saved.clear()
            self.config_key = key
        return self.essays


@dataclass(frozen=True)
class PlanEntry:
    """What the last build of an output folder was made from, and what it reported."""

    inputs: str  # digest of code, configuration, options, theme, static files and every essay file
    valid_until: datetime | None  # the first essay date after that build: from then on, it may publish more
    pages: int
    files: int
    warnings: tuple[Problem, ...]
    # The inputs' digest had the build shown drafts and future essays too, if it left none out (and no draft
    # page): then a preview, which shows them, would make the same files. "" otherwise.
    inputs_shown_all: str = ""


@dataclass
class OutputIndex:
    """Per output folder: the files ssg wrote there, and the inputs of the build that wrote them."""

    outputs: dict[str, Record] = field(default_factory=dict)
    plans: dict[str, PlanEntry] = field(default_factory=dict)
    # Each essay file's status when last read (settled, see read_sources) and its digest then: a file
    # with the same status again is not read or hashed; the page that needs its body reads it.
    sources: dict[str, tuple[Signature, str]] = field(default_factory=dict)
    # What each template source loads (by the source's digest): templates are not parsed again to know it.
    references: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    # Per output folder: files found there when ssg had no record of it (see WriteReport.unrecorded).
    unrecorded: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Per output folder: the address of each essay and page by its source file, to name the ones that moved.
    addresses: dict[str, dict[str, str]] = field(default_factory=dict)
    # Each file beside the texts (images, handouts) by path: its status when last read, and what was read.
    files: FileMemo = field(default_factory=dict)
    # Each image's format and size by the digest of its bytes: known without opening it again.
    images: ImageMemo = field(default_factory=dict)


# Where a preview found a file of its last whole build: (cache key, the file, size, mtime_ns).
Placed = tuple[str, str, int, int]


@dataclass
class ServeIndex:
    """What `ssg serve` leaves for the next preview: its files, the inputs of its last whole build, file statuses.

    Written by the preview alone (never the build's index, which a build may be writing meanwhile).
    """

    stored: dict[str, tuple[int, int]] = field(default_factory=dict)  # by cache key: its file's size and mtime_ns
    placed: dict[str, Placed] = field(default_factory=dict)  # by path: every file of the last whole build
    plan: PlanEntry | None = None  # what that build was made from
    sources: dict[str, tuple[Signature, str]] = field(default_factory=dict)  # as OutputIndex.sources
    references: dict[str, tuple[str, ...] | None] = field(default_factory=dict)


def cache_dir(config: SiteConfig) -> Path:
    """Return the site's cache folder, creating it with a .gitignore inside."""
    folder = config.root / FOLDER
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# ssg's build cache: safe to delete\n*\n", encoding="utf-8")
    return folder


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk; a damaged file or a folder that can't be written only means compiling again."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # whatever the damage: compile from the source
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache(config: SiteConfig) -> TemplateCache | None:
    """Return the cache of compiled templates in .ssg-cache/templates/, one folder per ssg version and config.

    Jinja checks each entry against its template's source; the folder's name covers the rest: ssg's
    environment settings, Jinja's and Python's versions, and the site's configuration, because Jinja
    evaluates filters on constants when it compiles (`{{ '/static/style.css' | url }}` becomes the URL
    under the base_url of that moment). Other folders are removed.
    """
    try:
        folder = cache_dir(config) / TEMPLATES_FOLDER
        current = folder / fingerprint([code_version(), config])
        if not current.is_dir():
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
            current.mkdir(parents=True)
    except OSError:
        return None
    return TemplateCache(str(current))


T = TypeVar("T")


def load_cache(config: SiteConfig) -> BuildCache:
    """Return the parsed essays saved by the last build, or an empty cache."""
    return _load(config, ESSAYS_FILE, BuildCache)


def load_index(config: SiteConfig) -> OutputIndex:
    """Return the output index saved by the last build, or an empty one."""
    return _load(config, INDEX_FILE, OutputIndex)


def load_serve_index(root: Path) -> ServeIndex:
    """Return what the last `ssg serve` of the site in `root` left, or an empty index."""
    return _load_file(root / FOLDER / SERVE_INDEX_FILE, ServeIndex)


def save_serve_index(root: Path, index: ServeIndex) -> None:
    """Write the preview's index atomically (a preview ended mid-way leaves the old one)."""
    _save_file(root / FOLDER / SERVE_INDEX_FILE, index)


def save_cache(config: SiteConfig, cache: BuildCache) -> None:
    """Write the parsed essays atomically."""
    _save(config, ESSAYS_FILE, cache)


def save_index(config: SiteConfig, index: OutputIndex) -> None:
    """Write the output index atomically."""
    _save(config, INDEX_FILE, index)


def _load(config: SiteConfig, name: str, kind: type[T]) -> T:
    return _load_file(config.root / FOLDER / name, kind)


def _load_file(path: Path, kind: type[T]) -> T:
    # The version comes first, on its own: a cache from another ssg is not even unpickled.
    try:
        with open(path, "rb") as handle:
            if pickle.load(handle) != code_version():
                return kind()
            value = pickle.load(handle)
    except Exception:  # a damaged cache file, whatever the damage, just means a full build
        return kind()
    return value if isinstance(value, kind) else kind()


def _save(config: SiteConfig, name: str, value: Any) -> None:
    _save_file(cache_dir(config) / name, value)


def _save_file(path: Path, value: Any) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            pickle.dump(code_version(), handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
