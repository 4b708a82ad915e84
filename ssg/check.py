"""check(config) -> problems: the build pipeline in memory, then links, anchors, origins and content hints."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from ssg import urls
from ssg.config import SiteConfig, load_config
from ssg.content import frontmatter
from ssg.content.collect import Selection, essay_files
from ssg.content.essay import Essay
from ssg.content.files import NO_ALT
from ssg.content.page import Page
from ssg.engine.build import BuildOptions, BuildReport, check_folders
from ssg.engine.inmemory import Rendered, render_site
from ssg.errors import ContentError, Problem, Severity, SsgError
from ssg.markdown import make_parser
from ssg.refs import PageScan, Ref, css_refs, markdown_refs, scan_html
from ssg.scaffold import PLACEHOLDER_TEXTS
from ssg.yamlload import LineMap


@dataclass(frozen=True)
class _Site:
    """The rendered site as the checker sees it: files, scanned pages, essays by source."""

    config: SiteConfig
    files: frozenset[PurePosixPath]
    pages: dict[PurePosixPath, PageScan]
    essays: dict[str, Essay | Page]  # essays and pages by source file

    def where(self, path: PurePosixPath) -> str:
        """Return how to name a built file in a report: the output folder and the file."""
        try:
            folder = self.config.output.relative_to(self.config.root).as_posix()
        except ValueError:
            folder = self.config.output.as_posix()
        return f"{folder}/{path}"


def check_site(root: Path, strict: bool = False, selection: Selection | None = None) -> list[Problem]:
    """Load site.yml in `root` and check the site (with drafts or future essays as `selection` says); config
    errors become problems too."""
    try:
        config, warnings = load_config(root)
    except SsgError as exc:
        return finish(exc.problems, strict)
    return finish([*warnings, *check(config, selection=selection)], strict)


def check(config: SiteConfig, strict: bool = False, selection: Selection | None = None) -> list[Problem]:
    """Render the site in memory (writing nothing) and return every problem a reader would meet."""
    report = BuildReport()
    try:
        rendered = render_site(config, BuildOptions(selection=selection or Selection()), report)
        check_folders(config)
    except SsgError as exc:
        return finish([*report.warnings, *exc.problems], strict)
    site = _index(config, rendered)
    problems = [*report.warnings, *content_hints(config, rendered.site.essays)]
    problems += placeholder_hints(rendered.site.pages)
    skip: dict[PurePosixPath, set[str]] = {}
    md = make_parser(config)
    for text in _texts(rendered):
        refs = markdown_refs(md, text.body, text.body_line)
        skip[PurePosixPath(urls.output_path(urls.essay_url(text.slug)))] = {r.value for r in refs}
        attachments = rendered.site.attachments.get(text.source)
        beside = attachments.link_map() if attachments else {}
        for ref in refs:
            # A file beside the text: the build published it (and the page names it) where the text's own URL is.
            own = beside.get(ref.value)
            if own is not None:
                ref = replace(ref, value=urls.relative_to_base(config.base_path, own.url), written=ref.value)
            found = _essay_ref(site, text, ref)
            problems += [Problem(text.source, ref.line, m, _severity(m)) for m in found]
    problems += _page_problems(site, {PurePosixPath(p): data for p, data in rendered.contents().items()}, skip)
    problems += _redirect_problems(site, rendered)
    return finish(problems, strict)


def finish(problems: Iterable[Problem], strict: bool) -> list[Problem]:
    """Drop repeats, sort by file and line, and with `strict` make every warning an error."""
    unique = dict.fromkeys(replace(p, severity="error") if strict else p for p in problems)
    return sorted(unique, key=lambda p: (p.path, p.line or 0, p.severity, p.message))


def _index(config: SiteConfig, rendered: Rendered) -> _Site:
    files = {PurePosixPath(path): data for path, data in rendered.contents().items()}
    html = sorted(path for path in files if path.suffix == ".html")
    pages = {path: scan_html(files[path].decode("utf-8", "replace")) for path in html}
    essays: dict[str, Essay | Page] = {e.source: e for e in rendered.site.essays}
    essays.update({p.source: p for p in rendered.site.pages})
    return _Site(config, frozenset(files), pages, essays)


def _page_url(path: PurePosixPath) -> str:
    url = "/" + path.as_posix()
    return url[: -len("index.html")] if path.name == "index.html" else url


def _essay_ref(site: _Site, essay: Essay | Page, ref: Ref) -> list[str]:
    base = site.config.base_path
    if base != "/" and ref.value.startswith(base) and not ref.written:
        # The renderer put the base path in front of site-relative links; name them as written.
        ref = replace(ref, written="/" + ref.value[len(base) :])
    parts = urlsplit(ref.value)
    path = unquote(parts.path)
    if not (parts.scheme or parts.netloc) and path.endswith(".md"):
        return [_source_link(site, essay, ref, path)]
    return _ref_problems(site, urls.essay_url(essay.slug), ref)


def _source_link(site: _Site, essay: Essay | Page, ref: Ref, path: str) -> str:
    base = site.config.base_path
    if path.startswith(base):
        source = path[len(base) :]
    else:
        source = posixpath.normpath(posixpath.join(posixpath.dirname(essay.source), path))
    target = site.essays.get(source)
    if target is not None:
        url = urls.essay_url(target.slug)
        return f"link to the file {ref.shown!r} does not work on the site: link to the essay's URL {url!r}"
    folders = [site.config.essays_dir, site.config.pages_dir]
    known = {
        unicodedata.normalize("NFC", p.relative_to(site.config.root).as_posix())
        for f in folders
        for p in essay_files(site.config, f)
    }
    if source in known:
        return f"link to {source}, which is not published (a draft or dated in the future)"
    return f"link to {ref.shown!r}: there is no essay {source}"


def _ref_problems(site: _Site, page_url: str, ref: Ref) -> list[str]:
    """Return what is wrong with a reference from the page at `page_url`."""
    problems = [_ref_problem(site, page_url, ref)]
    if ref.tag == "img" and ref.alt is None:
        problems.append(NO_ALT.format(ref.shown))
    return [p for p in problems if p]


def _ref_problem(site: _Site, page_url: str, ref: Ref) -> str | None:
    base = site.config.base_url
    value = ref.value.replace("\\", "/")  # as browsers read http(s) URLs: \\other.example is //other.example
    parts = urlsplit(urljoin(urls.absolute(base, page_url), value))
    if parts.scheme not in ("http", "https"):
        return None
    written = urlsplit(value)
    own = (parts.scheme, parts.netloc) == urlsplit(base)[:2]
    # A link written with the site's own address (https://example.org/autor.asc) is checked like /autor.asc.
    if not own:
        return _foreign(base, ref, parts.netloc)
    if written.netloc and not parts.path.startswith(urlsplit(base).path):
        return None  # another part of the author's own domain, which this site does not build
    return _internal(site, ref, unquote(parts.path), unquote(parts.fragment))


def _foreign(base_url: str, ref: Ref, netloc: str) -> str | None:
    if not ref.embed or netloc == urlsplit(base_url).netloc:
        return None
    what = {
        "link": "stylesheet or icon",
        "css": "CSS resource (font or image)",
        "base": "<base>, against which the page's relative URLs load,",
        "meta": "automatic redirect (<meta http-equiv=refresh>)",
        "form": "form target",
    }.get(ref.tag, f"<{ref.tag}>")
    return f"{what} {ref.shown!r} is loaded from another site ({netloc}): readers were promised no third-party requests"


def _internal(site: _Site, ref: Ref, path: str, fragment: str) -> str | None:
    base_path = site.config.base_path
    if not path.startswith(base_path):
        return f"link {ref.shown!r} leads outside the site (its pages are under {base_path})"
    rel = path[len(base_path) :]
    target = _target(site.files, rel)
    if target is None and ref.embed:
        folder = "the theme's static/" if rel.startswith("static/") else f"the site's {site.config.static}/"
        return f"missing file {ref.shown!r}: nothing in {folder} folder makes /{rel}"
    if target is None:
        return f"broken link {ref.shown!r}: the site has no page /{rel}"
    ids = site.pages.get(target)
    if fragment and ids is not None and fragment not in ids.ids and fragment.lower() != "top":
        return f"broken anchor {ref.shown!r}: /{_page_url(target).lstrip('/')} has no id {fragment!r}"
    return None


def _target(files: frozenset[PurePosixPath], rel: str) -> PurePosixPath | None:
    try:
        path = PurePosixPath(urls.output_path("/" + rel))
    except ValueError:
        return None
    candidates = [path] if rel.endswith("/") or not rel else [path, path / "index.html"]
    return next((c for c in candidates if c in files), None)


def _page_problems(
    site: _Site, files: dict[PurePosixPath, bytes], skip: dict[PurePosixPath, set[str]]
) -> list[Problem]:
    """Check the references the templates put into pages and stylesheets; one problem per distinct fault."""
    found: dict[str, list[PurePosixPath]] = {}
    for path in sorted(files):
        if path.suffix == ".css":
            refs = css_refs(files[path].decode("utf-8", "replace"))
        elif path in site.pages:
            refs = [r for r in site.pages[path].refs if r.value not in skip.get(path, ())]
        else:
            continue
        for ref in refs:
            messages = _ref_problems(site, _page_url(path), ref)
            if path.name == "404.html" and not _rooted(ref.value):
                messages.append(f"relative link {ref.value!r} in the 404 page breaks when it is shown for a deeper URL")
            for message in messages:
                found.setdefault(message, []).append(path)
    problems = []
    for message, paths in found.items():
        others = len(set(paths)) - 1
        suffix = f" (and on {others} other page{'s' if others > 1 else ''})" if others else ""
        problems.append(Problem(site.where(paths[0]), None, message + suffix, _severity(message)))
    return problems


def _severity(message: str) -> Severity:
    """A missing alt text is a warning (an error with --strict): the page works, if not for everyone."""
    return "warning" if message.startswith("image ") and NO_ALT.split("}", 1)[1] in message else "error"


def _redirect_problems(site: _Site, rendered: Rendered) -> list[Problem]:
    """Follow every page that redirects (aliases, hand-made pages with a meta refresh) to where it ends:
    a loop never ends (an error), a chain of redirects makes readers wait (a warning)."""
    hops: dict[PurePosixPath, PurePosixPath] = {}
    for path, scan in site.pages.items():
        refresh = next((r for r in scan.refs if r.tag == "meta"), None)
        if refresh is None:
            continue
        parts = urlsplit(urljoin(urls.absolute(site.config.base_url, _page_url(path)), refresh.value))
        base = site.config.base_path
        if (parts.scheme, parts.netloc) == urlsplit(site.config.base_url)[:2] and parts.path.startswith(base):
            target = _target(site.files, unquote(parts.path)[len(base) :])
            if target is not None:
                hops[path] = target
    origins = {
        PurePosixPath(urls.output_path(alias)): (text.source, line)
        for text in _texts(rendered)
        for alias, line in _aliases(text)
    }
    problems = []
    for start in sorted(hops):
        seen = [start]
        while seen[-1] in hops and hops[seen[-1]] not in seen:
            seen.append(hops[seen[-1]])
        looped = seen[-1] in hops
        if not looped and len(seen) <= 2:
            continue
        shown = " → ".join("/" + _page_url(p).lstrip("/") for p in [*seen, *([hops[seen[-1]]] if looped else [])])
        where, line = origins.get(start, (site.where(start), None))
        if looped:
            problems.append(Problem(where, line or None, f"redirects in a loop: {shown} (readers never arrive)"))
        else:
            message = f"redirects in a chain: {shown} (let the first lead straight to the last)"
            problems.append(Problem(where, line or None, message, "warning"))
    return problems


def _texts(rendered: Rendered) -> list[Essay | Page]:
    return [*rendered.site.essays, *rendered.site.pages]


def _aliases(text: Essay | Page) -> list[tuple[str, int]]:
    return list(zip(text.aliases, text.alias_lines or [0] * len(text.aliases), strict=True))


def _rooted(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme or parts.netloc or parts.path.startswith("/") or not parts.path)


def content_hints(config: SiteConfig, essays: Sequence[Essay]) -> list[Problem]:
    """Warn about what builds but is probably unintended: repeated titles, missing summaries, empty lists."""
    problems: list[Problem] = []
    titles: dict[str, Essay] = {}
    for essay in sorted(essays, key=lambda e: e.source):
        data = _front_matter(config, essay)
        line = data.line_of("title")
        other = titles.setdefault(essay.title.casefold(), essay)
        if other is not essay:
            problems.append(_warn(essay, line, f"title {essay.title!r} is also the title of {other.source}"))
        if not essay.summary:
            problems.append(_warn(essay, line, "no 'summary': lists, feeds and link previews have no description"))
        for key in ("prompts", "worksheet"):
            if key in data and not data[key]:
                problems.append(_warn(essay, data.line_of(key), f"'{key}' is empty (fill it in or remove it)"))
        left = [p.text for p in essay.prompts if p.text in PLACEHOLDER_TEXTS]
        body = essay.body.strip()
        if body in PLACEHOLDER_TEXTS or left:
            what = repr(left[0] if left else body)
            message = f"still holds the placeholder {what} that ssg new wrote: write it, or mark it 'draft: true'"
            problems.append(_warn(essay, data.line_of("prompts") if left else essay.body_line, message))
    return problems


# How the pages `ssg init` writes (and the author's legal pages) mark what the author must fill in.
PLACEHOLDER = re.compile(r"\[(?:BITTE ERGÄNZEN|TO BE COMPLETED):")


def placeholder_hints(pages: Sequence[Page]) -> list[Problem]:
    """Warn about each page that still holds placeholders to fill in: an Impressum with them is not one."""
    problems = []
    for page in pages:
        found = PLACEHOLDER.search(page.body)
        if found is not None:
            count = len(PLACEHOLDER.findall(page.body))
            line = page.body_line + page.body.count("\n", 0, found.start())
            plural = "s" if count > 1 else ""
            message = f"{count} placeholder{plural} to fill in ({found.group()} …) before the site goes online"
            problems.append(Problem(page.source, line, message, "warning"))
    return problems


def _warn(essay: Essay, line: int, message: str) -> Problem:
    return Problem(essay.source, line, message, "warning")


def _front_matter(config: SiteConfig, essay: Essay) -> LineMap:
    try:
        # The file where it is: its name may be written otherwise than its (composed) source name.
        raw = essay.raw or Path(essay.origin or config.root / essay.source).read_bytes()
        text = frontmatter.normalize(raw, essay.source)
        return frontmatter.split(text, essay.source)[0]
    except (OSError, ContentError):
        return LineMap()
