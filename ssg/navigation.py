"""Menus: the entries of site.yml's `menu` and `footer_menu` looked up among the site's pages and essays."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from ssg import urls
from ssg.config import CONFIG_FILE, SECTIONS, MenuEntry, SiteConfig
from ssg.content.essay import Essay
from ssg.content.page import Page
from ssg.errors import Problem


@dataclass(frozen=True)
class MenuLink:
    """One link of a menu: a site URL ('/impressum/') or an address elsewhere, and what it shows."""

    url: str
    label: str = ""  # as written or the title; "" when `label_key` names a UI string
    label_key: str = ""
    external: bool = False


@dataclass(frozen=True)
class Menus:
    """The header's and the footer's menu."""

    header: tuple[MenuLink, ...]
    footer: tuple[MenuLink, ...] = ()


def resolve_menus(
    config: SiteConfig, essays: Sequence[Essay], pages: Sequence[Page], published: set[str], has_worksheets: bool
) -> tuple[Menus, list[Problem]]:
    """Return the site's menus and their problems; `published` holds the source files of published pages."""
    finder = _Finder(config, essays, pages, published, has_worksheets)
    default = _default_header(config, has_worksheets, finder.has_series)
    header = default if config.menu is None else finder.links("menu", config.menu)
    footer = finder.links("footer_menu", config.footer_menu)
    return Menus(header, footer), finder.problems


def _default_header(config: SiteConfig, has_worksheets: bool, has_series: bool) -> tuple[MenuLink, ...]:
    names = [s for s in SECTIONS if (s != "worksheets" or has_worksheets) and (s != "series" or has_series)]
    return tuple(MenuLink(section_url(config, s), label_key=s) for s in names)


def section_url(config: SiteConfig, section: str) -> str:
    """Return the URL of a built-in section of the site."""
    return {
        "home": "/",
        "archive": urls.archive_url(config.urls),
        "tags": urls.tag_index_url(config.urls),
        "worksheets": urls.worksheet_index_url(config.urls),
        "series": urls.series_index_url(config.urls),
    }[section]


class _Finder:
    """Looks menu entries up and collects the problems, each at its line in site.yml."""

    def __init__(
        self, config: SiteConfig, essays: Sequence[Essay], pages: Sequence[Page], published: set[str], sheets: bool
    ) -> None:
        self.config, self.has_worksheets = config, sheets
        self.has_series = any(e.series is not None for e in essays)
        self.pages = {key: p for p in pages for key in (p.slug, p.source, _short(p.source, config.pages))}
        self._essays = essays
        self.published = published
        self.problems: list[Problem] = []

    @functools.cached_property
    def essays(self) -> dict[str, Essay]:
        """Return the essays by slug, source and name in essays/: made only for a menu that names one (a
        preview makes menus on every edit, and most menus name no essay)."""
        return {key: e for e in self._essays for key in (e.slug, e.source, _short(e.source, "essays"))}

    def links(self, name: str, entries: tuple[MenuEntry, ...]) -> tuple[MenuLink, ...]:
        found = [self._link(name, entry) for entry in entries]
        return tuple(link for link in found if link is not None)

    def _link(self, name: str, entry: MenuEntry) -> MenuLink | None:
        kind, target = entry.kind, entry.target
        if kind == "url":
            external = not target.startswith("/")
            return MenuLink(target, entry.label, external=external)
        if kind in ("section", "name") and target in SECTIONS:
            if target == "worksheets" and not self.has_worksheets:
                return self._left_out(entry, name, "the site has no worksheets yet, so no worksheet index")
            if target == "series" and not self.has_series:
                return self._left_out(entry, name, "the site has no series yet, so no index of series")
            return MenuLink(section_url(self.config, target), entry.label, "" if entry.label else target)
        if kind in ("page", "name") and target in self.pages:
            page = self.pages[target]
            if page.source not in self.published:
                return self._left_out(entry, name, f"{page.source} is a draft")
            return MenuLink(page.url, entry.label or page.title)
        if kind in ("essay", "name") and target in self.essays:
            essay = self.essays[target]
            return MenuLink(urls.essay_url(essay.slug), entry.label or essay.title)
        if kind in ("essay", "name") and self._essay_file_exists(target):
            return self._left_out(entry, name, f"the essay {target!r} is not published (a draft, or dated later)")
        self.problems.append(Problem(CONFIG_FILE, entry.line or None, f"'{name}' entry: {self._missing(kind, target)}"))
        return None

    def _left_out(self, entry: MenuEntry, name: str, why: str) -> MenuLink | None:
        """Record why an entry naming something unpublished is left out of its menu; return no link."""
        self.problems.append(Problem(CONFIG_FILE, entry.line or None, f"'{name}' entry left out: {why}", "warning"))
        return None

    def _essay_file_exists(self, target: str) -> bool:
        root = self.config.root
        names = [target, f"essays/{target}", f"essays/{target}.md", f"essays/{target}/index.md"]
        return any((root / n).is_file() and n.endswith(".md") for n in names)

    def _missing(self, kind: str, target: str) -> str:
        pages = ", ".join(sorted({p.slug for p in self.pages.values()})) or "none"
        if kind == "page":
            return f"there is no page {target!r} in {self.config.pages}/ (pages: {pages})"
        if kind == "essay":
            return f"there is no essay {target!r} (give its slug or file, like essays/{target}.md)"
        if kind == "section":
            return f"unknown section {target!r} (known: {', '.join(SECTIONS)})"
        sections = ", ".join(SECTIONS)
        return f"{target!r} is no section ({sections}), page ({pages}) or essay slug or file"


def _short(source: str, folder: str) -> str:
    """Return a source file's name inside its folder ('impressum.md' for pages/impressum.md)."""
    prefix = posixpath.normpath(folder) + "/"
    return source[len(prefix) :] if source.startswith(prefix) else source
