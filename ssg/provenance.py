"""Where the running ssg came from, as a `pip install` line that another machine (a CI runner) can run.

The name "ssg" on PyPI belongs to another project (a Thai syllable segmenter), so `pip install ssg` must never
be written on the guess that PyPI has this one: the line names what pip recorded when it installed ssg here
(PEP 610's direct_url.json), or the site's own repository when it holds ssg's source.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ssg import __version__


@dataclass(frozen=True)
class Installer:
    """How a CI machine gets this ssg: a pip argument, or None when nothing reachable from there is known."""

    requirement: str | None
    why: str  # one line for the workflow's comment


def ssg_installer(site: Path) -> Installer:
    """Return how a machine building `site` from its repository installs the ssg that runs here."""
    if _holds_ssg_source(site):
        return Installer(".", "this repository holds ssg's own source, so it installs the ssg of the same commit")
    return installer_from(_direct_url())


def installer_from(direct_url: dict[str, object] | None) -> Installer:
    """Return the installer that a PEP 610 record (None: installed from a package index) stands for."""
    if direct_url is None:
        return Installer(
            f"ssg=={__version__}",
            f"ssg {__version__} as installed here, from a package index (PyPI's 'ssg' is another project: "
            "add --index-url for your own index)",
        )
    url = str(direct_url.get("url", ""))
    vcs = direct_url.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id") and _reachable(url):
        return Installer(f"ssg @ git+{url}@{vcs['commit_id']}", "the commit of ssg's git repository installed here")
    if isinstance(direct_url.get("archive_info"), dict) and _reachable(url):
        return Installer(f"ssg @ {url}", "the archive ssg was installed from here")
    where = "a local folder" if "dir_info" in direct_url else "a local file"
    return Installer(None, f"ssg was installed here from {where}, which GitHub cannot reach")


def _direct_url() -> dict[str, object] | None:
    """Return the installed ssg's direct_url.json, or None when pip took it from a package index."""
    try:
        text = metadata.distribution("ssg").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return {"url": ""}  # run from a source folder without being installed
    if text is None:
        return None
    record = json.loads(text)
    return record if isinstance(record, dict) else {"url": ""}


def _reachable(url: str) -> bool:
    """Tell whether another machine can fetch `url` (not a path on this one)."""
    return url.startswith(("https://", "http://", "ssh://", "git@"))


def _holds_ssg_source(site: Path) -> bool:
    """Tell whether `site` is also ssg's source: its pyproject.toml names the project ssg, beside ssg/."""
    try:
        project = tomllib.loads((site / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(project, dict) and project.get("name") == "ssg" and (site / "ssg" / "__init__.py").is_file()
