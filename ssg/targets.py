"""Where `ssg deploy` copies the site: a folder on this machine or user@host:/path over ssh; pure parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

EXAMPLE = "user@host:/var/www/site"
_REMOTE = re.compile(r"(?:(?P<user>[^@:/\s]+)@)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^@:/\[\]\s]+):(?P<path>.*)", re.S)
_DAEMON = re.compile(r"(?:[^@/:\[]+@)?(?:\[[^\]/]*\]|[^/:\[]*)::")  # [user@]host::module
_HOST = re.compile(r"\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_][A-Za-z0-9_.-]*")
# Remote folders whose contents are surely not only the site: deploy deletes what the site does not have.
_WHOLE = frozenset({"", "/", "~", "~/", ".", "./"})


@dataclass(frozen=True)
class Target:
    """A deploy target: `host` is None for a folder on this machine."""

    text: str  # as the author wrote it
    path: str  # the folder: on the server as written, or this machine's as an absolute path
    host: str | None = None
    user: str | None = None

    @property
    def remote(self) -> bool:
        """Tell whether the target is on another machine (reached over ssh)."""
        return self.host is not None

    @property
    def rsync_destination(self) -> str:
        """Return the target as rsync's destination argument, ending in '/' (the folder itself)."""
        if self.host is None:
            return self.path.rstrip("/") + "/"
        user = f"{self.user}@" if self.user else ""
        return f"{user}{self.host}:{self.path.rstrip('/')}/"


def parse_target(text: str, root: Path, output: Path) -> Target:
    """Return the target `text` names, relative folders from the site folder `root`; raise ValueError saying why not."""
    text = text.strip()
    if not text:
        raise ValueError(f"is empty: name a folder or {EXAMPLE}")
    if any(ord(c) < 32 or c == "\x7f" for c in text):
        raise ValueError("contains a control character: remove it")
    if text.startswith("rsync://") or _DAEMON.match(text):
        raise ValueError(f"{text!r} is an rsync daemon address, which ssg does not use: write {EXAMPLE} (over ssh)")
    colon, slash = text.find(":"), text.find("/")
    if colon > 0 and (slash < 0 or colon < slash):  # rsync's own rule: a colon before any slash means a host
        return _remote(text)
    return _local(text, root, output)


def _remote(text: str) -> Target:
    found = _REMOTE.fullmatch(text)
    host = found.group("host") if found else ""
    user = found.group("user") if found else None
    if not found or not _HOST.fullmatch(host) or (user or "").startswith("-"):
        raise ValueError(f"{text!r} is neither a folder nor a server folder like {EXAMPLE}")
    path = found.group("path")
    if path.strip() in _WHOLE:
        raise ValueError(
            f"{text!r} names no folder of its own on {host}: deploy deletes what the site does not have there, "
            f"so name the site's folder, like {host}:/var/www/site"
        )
    return Target(text, path, host, user)


def _local(text: str, root: Path, output: Path) -> Target:
    folder = (root / Path(text).expanduser()).resolve()
    root, output = root.resolve(), output.resolve()
    named = repr(text) if text == str(folder) else f"{text!r} ({folder})"
    if folder == root or folder in root.parents or root in folder.parents:
        raise ValueError(
            f"{named} is or holds the site folder, or is inside it: deploy deletes what the site does not have "
            "in the target, so choose a folder outside the site"
        )
    if folder == output or folder in output.parents or output in folder.parents:
        raise ValueError(f"{named} is or holds the output folder, or is inside it: choose another folder")
    if folder == Path.home():
        raise ValueError(f"{named} is your home folder: deploy deletes what the site does not have there")
    return Target(text, str(folder))
