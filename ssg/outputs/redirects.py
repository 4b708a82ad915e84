"""Redirect pages: one at each alias (an old address) of an essay or page, pointing to where it is now."""

from __future__ import annotations

from collections.abc import Iterable

from ssg import urls
from ssg.content.essay import Essay
from ssg.content.page import Page
from ssg.errors import Problem, SsgError
from ssg.outputs import Output, PageMeta
from ssg.site import Site


def plan(site: Site, taken: Iterable[Output]) -> list[Output]:
    """Return a redirect page per alias; raise SsgError for an alias another output (or alias) already has."""
    owners = {urls.output_path(o.url): o for o in taken}
    outputs: list[Output] = []
    problems = []
    texts: list[tuple[Essay | Page, str]] = [(e, urls.essay_url(e.slug)) for e in site.essays]
    texts += [(p, p.url) for p in site.pages]
    mine: dict[str, str] = {}  # alias file -> the file whose alias it is
    for text, target in texts:
        for alias, line in zip(text.aliases, text.alias_lines or [0] * len(text.aliases), strict=True):
            path = urls.output_path(alias)
            other = owners.get(path)
            if alias == target:
                problems.append(Problem(text.source, line or None, f"alias {alias!r} is this text's own address"))
            elif other is not None:
                what = other.source or "a page of the site"
                message = f"alias {alias!r} is the address of {what} ({other.url}): an alias is an address that is gone"
                problems.append(Problem(text.source, line or None, message))
            elif path in mine:
                message = f"alias {alias!r} is also an alias of {mine[path]}: an old address leads to one place only"
                problems.append(Problem(text.source, line or None, message))
            else:
                mine[path] = text.source
                page = PageMeta(alias, text.title, noindex=True)
                outputs.append(Output(alias, "redirect.html", {"page": page, "target": target}, source=text.source))
    if problems:
        raise SsgError(problems)
    return outputs
