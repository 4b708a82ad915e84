"""Which files of a static folder are published: the files web hosts read, but no editor or system litter."""

from __future__ import annotations

import os
from pathlib import Path

from ssg.config import SiteConfig
from ssg.theme import Theme, load_theme

# Dot-names that hosts and clients read: /.well-known/ (security.txt, ACME challenges, Matrix, WebFinger),
# Apache's per-folder .htaccess, GitHub Pages' .nojekyll. Any other name starting with a dot is private
# or litter (.git, .env, .DS_Store, .gitignore, an editor's .#lock or .file.swp).
HOST_DOT_NAMES = frozenset({".well-known", ".htaccess", ".nojekyll"})
# Files operating systems leave in folders they show (compared in lower case: Windows ignores case).
SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini"})
# Editors' swap and backup files: vim (.swp, .swo, .swx), emacs and many others (name~).
SWAP_SUFFIXES = (".swp", ".swo", ".swx", "~")


def unpublished_reason(rel: str) -> str | None:
    """Return why the file at `rel` ('a/b.txt', relative to a static folder) is not published, or None if it is."""
    *folders, name = rel.split("/")
    hidden = [f for f in folders if f.startswith(".") and f not in HOST_DOT_NAMES]
    if hidden:
        return f"in the hidden folder {hidden[0]}/"
    if name.lower() in SYSTEM_FILES:
        return "a file the operating system leaves"
    if name.endswith(SWAP_SUFFIXES) or (len(name) > 1 and name.startswith("#") and name.endswith("#")):
        return "an editor's swap or backup file"
    if name.startswith(".") and name not in HOST_DOT_NAMES:
        return "a hidden file"
    return None


def is_published(rel: str) -> bool:
    """Tell whether the file at `rel` (relative to a static folder) is published."""
    return unpublished_reason(rel) is None


def static_folders(config: SiteConfig, theme: Theme) -> list[tuple[Path, str]]:
    """Return (folder, URL prefix) of every static folder, most specific first: the site's at /, the theme's."""
    folders = [(d, "/static/") for d in theme.static_dirs]
    site_static = config.root / config.static
    if site_static.is_dir():
        folders.insert(0, (site_static, "/"))
    return folders


def scan(folder: Path) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Return the published files under `folder` as (path, relative path), the skipped as (relative path, reason).

    A hidden folder (.git) is one skipped entry, 'name/', and is not looked into.
    """
    published: list[tuple[Path, str]] = []
    skipped: list[tuple[str, str]] = []
    for top, dirs, names in os.walk(folder):
        here = Path(top)
        prefix = here.relative_to(folder).as_posix() + "/" if here != folder else ""
        for name in sorted(d for d in dirs if d.startswith(".") and d not in HOST_DOT_NAMES):
            skipped.append((f"{prefix}{name}/", "a hidden folder: nothing in it is published"))
            dirs.remove(name)
        dirs.sort()
        for name in sorted(names):
            reason = unpublished_reason(prefix + name)
            if reason is not None:
                skipped.append((prefix + name, reason))
            elif (here / name).is_file():  # not a dangling link, a pipe or a socket
                published.append((here / name, prefix + name))
    return sorted(published, key=lambda item: item[1]), sorted(skipped)


def skipped_files(config: SiteConfig) -> list[tuple[str, str]]:
    """Return (path from the site folder, reason) of every file or hidden folder in the static folders not published."""
    skipped = []
    for folder, _ in static_folders(config, load_theme(config)):
        shown = folder.relative_to(config.root).as_posix() if folder.is_relative_to(config.root) else str(folder)
        skipped += [(f"{shown}/{rel}", reason) for rel, reason in scan(folder)[1]]
    return skipped
