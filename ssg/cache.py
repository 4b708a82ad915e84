"""The build cache in the site's .ssg-cache/: parsed essays and what was written where.

Everything in it is keyed by content digests, so a stale or foreign entry is never used; a
missing, damaged or older-version cache file just means a full build. Safe to delete.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

from ssg.config import SiteConfig
from ssg.content.collect import EssayMemo
from ssg.fingerprint import code_version, fingerprint
from ssg.write import Record

FOLDER = ".ssg-cache"
FILE = "build.pickle"


@dataclass
class BuildCache:
    """Parsed essays (valid for one configuration) and, per output folder, the written files."""

    config_key: str = ""
    essays: EssayMemo = field(default_factory=dict)
    outputs: dict[str, Record] = field(default_factory=dict)
    plans: dict[str, str] = field(default_factory=dict)

    def __getstate__(self) -> dict[str, object]:
        # Bodies are most of the bytes and are in the essay files anyway: collect() puts them back.
        essays = {rel: (d, replace(e, body=""), p) for rel, (d, e, p) in self.essays.items()}
        return {"config_key": self.config_key, "essays": essays, "outputs": self.outputs, "plans": self.plans}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    def digests(self) -> tuple[str, dict[str, str], dict[str, Record], dict[str, str]]:
        """Return what decides whether the cache changed and must be saved again."""
        essays = {rel: entry[0] for rel, entry in self.essays.items()}
        return self.config_key, essays, dict(self.outputs), dict(self.plans)

    def essays_for(self, config: SiteConfig) -> EssayMemo:
        """Return the essay memo, emptied if it was made under another configuration."""
        key = fingerprint([code_version(), config])
        if key != self.config_key:
            self.essays.clear()
            self.config_key = key
        return self.essays


def cache_dir(config: SiteConfig) -> Path:
    """Return the site's cache folder, creating it with a .gitignore inside."""
    folder = config.root / FOLDER
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# ssg's build cache: safe to delete\n*\n", encoding="utf-8")
    return folder


def load_cache(config: SiteConfig) -> BuildCache:
    """Return the cache saved by the last build, or an empty one."""
    try:
        with open(config.root / FOLDER / FILE, "rb") as handle:
            version, cache = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return BuildCache()
    return cache if version == code_version() and isinstance(cache, BuildCache) else BuildCache()


def save_cache(config: SiteConfig, cache: BuildCache) -> None:
    """Write the cache atomically."""
    folder = cache_dir(config)
    tmp = folder / f"{FILE}.{os.getpid()}.tmp"
    with open(tmp, "wb") as handle:
        pickle.dump((code_version(), cache), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, folder / FILE)
