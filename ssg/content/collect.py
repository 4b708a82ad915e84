"""Collect the essays of a site: read, validate, filter drafts and future ones, sort."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ssg.config import SiteConfig
from ssg.content.essay import Essay, load_essay
from ssg.content.reader import Reader
from ssg.errors import Problem, SsgError


@dataclass(frozen=True)
class Selection:
    """Which essays a build publishes besides the ordinary ones."""

    drafts: bool = False
    future: bool = False


def essay_files(config: SiteConfig) -> list[Path]:
    """Return the essay files in a stable order, skipping editor leftovers."""
    folder = config.essays_dir
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*.md"):
        rel = path.relative_to(folder)
        if any(part.startswith((".", "_")) or part.endswith("~") for part in rel.parts):
            continue
        found.append(path)
    return sorted(found)


def collect(config: SiteConfig, selection: Selection, now: datetime) -> tuple[list[Essay], list[Problem]]:
    """Return the published essays newest first and the warnings; raise with all errors."""
    problems: list[Problem] = []
    essays: list[Essay] = []
    for path in essay_files(config):
        rel = path.relative_to(config.root).as_posix()
        if not _inside(path, config.root):
            problems.append(Problem(rel, None, "is a link to a file outside the site folder (not allowed)"))
            continue
        reader = Reader(rel)
        essay = load_essay(path, config, reader)
        problems.extend(reader.problems)
        if essay is not None:
            essays.append(essay)
    problems.extend(_duplicate_slugs(essays))
    if any(p.severity == "error" for p in problems):
        raise SsgError(sorted(problems, key=_order))
    published = [e for e in essays if _selected(e, selection, now)]
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
            problems.append(Problem(essay.source, None, msg))
    return problems
