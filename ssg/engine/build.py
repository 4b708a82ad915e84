"""build(config) -> BuildReport: the pipeline as a flat list of named, timed steps."""

from __future__ import annotations

import gc
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import jinja2

from ssg import urls
from ssg.config import SiteConfig
from ssg.content.collect import EssayMemo, Selection, Source, collect, read_sources
from ssg.content.files import FileIndex, ImageMemo, attach_all, read_files, remembered
from ssg.content.page import collect_pages, published, read_page_sources, slug_clashes
from ssg.engine.cache import FOLDER as CACHE_FOLDER
from ssg.engine.cache import (
    OutputIndex,
    PlanEntry,
    cache_dir,
    load_cache,
    load_index,
    save_cache,
    save_index,
    template_cache,
)
from ssg.engine.fingerprint import code_version, fingerprint, tree_fingerprint
from ssg.engine.parallel import signals_held
from ssg.engine.plan import Plan, is_heavy, plan_outputs, render_in_waves, static_outputs
from ssg.engine.render import Progress, Staged, output_paths, render_files
from ssg.engine.store import PreviewFiles
from ssg.engine.write import Record, WriteReport, absent_or_empty, all_as_written, apply, staging_dir, unchanged_outputs
from ssg.errors import Problem, SsgError
from ssg.navigation import resolve_menus
from ssg.outputs import Output, images, pdf, redirects
from ssg.site import Site, make_site
from ssg.theme import References, TemplateKeys, load_theme, make_environment

ProgressFactory = Callable[[int], Progress | None]


@dataclass(frozen=True)
class BuildOptions:
    """How a build selects essays, uses the cores and the cache, and treats the output folder."""

    selection: Selection = field(default_factory=Selection)
    clean: bool = False
    now: datetime | None = None
    jobs: int = 1
    cache: bool = True


@dataclass
class BuildReport:
    """What a build did: its steps with their durations, and the files."""

    steps: list[tuple[str, float]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    pages: int = 0
    files: int = 0
    rendered: int = 0
    from_preview: int = 0  # of them, taken from what an earlier `ssg serve` rendered
    write: WriteReport | None = None
    left_out: int | None = None  # essays and pages not published (drafts, future essays); None: not known
    # What the build made (plan, parsed essays): kept for a caller that ends the process right after
    # and would rather not spend time freeing it.
    made: tuple[object, ...] = ()

    @property
    def seconds(self) -> float:
        """Return the total time of all steps."""
        return sum(s for _, s in self.steps)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time one named step."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.steps.append((name, time.perf_counter() - start))


def load_site(
    config: SiteConfig,
    options: BuildOptions,
    report: BuildReport,
    memo: EssayMemo | None = None,
    sources: list[Source] | None = None,
    compiled: jinja2.BytecodeCache | None = None,
    references: References | None = None,
    page_sources: list[Source] | None = None,
    files: FileIndex | None = None,
    image_memo: ImageMemo | None = None,
) -> Plan:
    """Load the content and theme and make the site and its keys: a plan with no outputs yet (see plan_all).

    `compiled` keeps compiled templates between builds, `references` what each template loads (both
    checked against the template's source); `files` are the files beside the texts as read, `image_memo`
    the sizes of images by their digest. Raise SsgError with all problems.
    """
    now = options.now or datetime.now(config.tz)
    with report.step("load"):
        beside = (read_files(config) if files is None else files, image_memo if image_memo is not None else {})
        site = load_content(config, options.selection, now, report, memo, sources, page_sources, options.jobs, beside)
        theme = load_theme(config)
        report.warnings.extend(theme.warnings)
        env = make_environment(config, theme, compiled)
        typesetting = pdf.load_typesetting(config, theme)
    with report.step("site"):
        essays = site.essays
        # The only site-wide facts templates see besides their context: part of every cache key.
        facts = {
            "has_worksheets": bool(site.worksheet_essays),
            "scheduled": frozenset(e.slug for e in essays if e.date > now),
            "menus": site.menus,
        }
        env.globals.update(facts)
        data_key = fingerprint([code_version(), config])
        key = fingerprint([data_key, tree_fingerprint(list(theme.dirs)), facts])
        template_keys = TemplateKeys(env, fingerprint([data_key, theme.strings, facts]), key, references)
    return Plan(site, env, [], key, data_key, theme, template_keys, typesetting)


def load_content(
    config: SiteConfig,
    selection: Selection,
    now: datetime,
    report: BuildReport,
    memo: EssayMemo | None,
    sources: list[Source] | None,
    page_sources: list[Source] | None,
    jobs: int,
    beside: tuple[FileIndex, ImageMemo] = ({}, {}),
) -> Site:
    """Read essays, pages, the files beside them and menus into the Site; raise SsgError with the problems of all
    of them at once."""
    try:
        essays, problems = collect(config, selection, now, memo, jobs, sources)
        failed = False
    except SsgError as exc:
        essays, problems, failed = [], list(exc.problems), True
    all_pages, found = collect_pages(config, read_page_sources(config) if page_sources is None else page_sources)
    problems += found
    pages_now = published(all_pages, selection)
    if memo is not None:  # every essay parsed without errors is in it, published or not
        report.left_out = len(memo) - len(essays) + len(all_pages) - len(pages_now)
    menus = None
    files, image_memo = beside
    attachments, found = attach_all(config, [*essays, *pages_now], files, remembered(images.measure, image_memo))
    problems += found
    if not failed:  # with essays missing, every menu entry naming one would be reported too
        problems += slug_clashes(pages_now, {e.slug: e.source for e in essays})
        has_sheets = any(e.has_worksheet_page for e in essays)
        menus, found = resolve_menus(config, essays, all_pages, {p.source for p in pages_now}, has_sheets)
        problems += found
    if failed or any(p.severity == "error" for p in problems):
        raise SsgError(sorted(dict.fromkeys(problems), key=lambda p: p.sort_key))
    report.warnings.extend(problems)
    return make_site(config, essays, pages_now, menus, attachments)


def plan_all(plan: Plan, report: BuildReport) -> Plan:
    """Return the plan with every output of the site."""
    with report.step("plan"):
        static, shadowing = static_outputs(plan.site.config, plan.theme)
        report.warnings.extend(shadowing)
        outputs = plan_outputs(plan.site, plan.typesetting) + static
        outputs += redirects.plan(plan.site, outputs)
    report.pages = sum(1 for o in outputs if o.template and o.url.endswith(("/", ".html")))
    report.files = len(outputs)
    return replace(plan, outputs=outputs)


# Outputs to render in a wave from which the preview's store is looked at (reading its index takes a moment).
FROM_PREVIEW_AT_LEAST = 20
def input_digest(config: SiteConfig, options: BuildOptions, sources: list[Source], files: FileIndex) -> str:
    """Return a digest of every input of a build but the clock: code, config, options, theme, static files, essays
    and pages and the files beside them."""
    theme = load_theme(config)
    static = config.root / config.static
    essays = [(s.rel, s.digest, s.problem) for s in sources]
    beside = [(f.rel, f.digest, f.problem) for f in files.values()]
    trees = [tree_fingerprint(list(theme.dirs)), tree_fingerprint([static] if static.is_dir() else [])]
    return fingerprint([code_version(), config, options.selection, trees, essays, beside])


def build(config: SiteConfig, options: BuildOptions, progress: ProgressFactory | None = None) -> BuildReport:
    """Build the site into config.output; on any error the old output stays untouched."""
    report = BuildReport()
    options = replace(options, now=options.now or datetime.now(config.tz))
    assert options.now is not None
    out = str(config.output)
    # Even without the cache, its record of which files ssg wrote is needed to remove stale ones.
    with report.step("cache"):
        index = load_index(config)
        previous = index.outputs.get(out, {})
    with report.step("read"):
        sources = _read_sources(config, index, options.cache)
        page_sources = read_page_sources(config)
        files = read_files(config, index.files if options.cache else None)
        inputs = input_digest(config, options, sources + page_sources, files)
        check_folders(config)
    last = index.plans.get(out)
    if options.cache and not options.clean and last is not None and last.inputs == inputs:
        # The same inputs as the last build, whose files are all still as written: nothing can differ.
        current = last.valid_until is None or options.now < last.valid_until
        if current and all_as_written(config.output, previous):
            report.pages, report.files, report.warnings = last.pages, last.files, list(last.warnings)
            report.write = WriteReport(0, len(previous), 0, (), still_there(config.output, index.unrecorded.get(out)))
            return report
    with report.step("cache"):
        cache = load_cache(config)
        before = cache.digests()
    memo = cache.essays_for(config)
    if not options.cache:
        memo.clear()  # parse everything afresh, and remember it for the next build
    compiled = template_cache(config) if options.cache else None
    if not options.cache:
        index.references.clear()
    image_memo = index.images if options.cache else {}
    references = index.references
    site = load_site(config, options, report, memo, sources, compiled, references, page_sources, files, image_memo)
    # Only the sizes of images this build uses are kept.
    used = {f.source.digest for a in site.site.attachments.values() for f in a.files if f.image}
    index.images = {d: info for d, info in image_memo.items() if d in used}
    plan = plan_all(site, report)
    everything = replace(options, selection=Selection(drafts=True, future=True))
    shown_all = input_digest(config, everything, sources + page_sources, files) if report.left_out == 0 else ""
    del sources  # the essay files' bytes
    unrecorded = not previous and not absent_or_empty(config.output)
    report.write, index.outputs[out] = _render_and_write(plan, options, report, previous, progress)
    earlier = index.unrecorded.get(out)
    left = report.write.kept if unrecorded else still_there(config.output, earlier, index.outputs[out])
    index.unrecorded[out] = left
    report.write = replace(report.write, unrecorded=left)
    upcoming = [e.date for _, e, _ in memo.values() if e.date > options.now]
    warnings = tuple(report.warnings)
    index.plans[out] = PlanEntry(inputs, min(upcoming, default=None), report.pages, report.files, warnings, shown_all)
    # Said once, by the build that moved them (not repeated by the next build with nothing changed).
    index.addresses[out], moved = moved_addresses(plan.site, index.addresses.get(out, {}), index.outputs[out])
    report.warnings.extend(moved)
    with report.step("save"):
        try:
            save_index(config, index)
            if cache.digests() != before:
                save_cache(config, cache)
        except OSError as exc:  # the site is built; only the next build can't reuse this one
            message = f"cannot save the build cache ({exc.strerror or exc}): the next build starts from scratch"
            report.warnings.append(Problem(CACHE_FOLDER, None, message, "warning"))
    report.made = (plan, cache, index)
    return report


def moved_addresses(site: Site, before: dict[str, str], written: Record) -> tuple[dict[str, str], list[Problem]]:
    """Return each essay's and page's address by source file, and a warning for each whose address moved
    since the last build and whose old address now leads nowhere (no alias keeps it)."""
    texts = [(e.source, urls.essay_url(e.slug), e.slug_line) for e in site.essays]
    texts += [(p.source, p.url, p.slug_line) for p in site.pages]
    now = {source: url for source, url, _line in texts}
    problems = []
    for source, url, line in texts:
        old = before.get(source)
        if old is not None and old != url and urls.output_path(old) not in written:
            message = (
                f"its address moved from {old} to {url}: links to the old one now end on the 404 page; "
                f"add 'aliases: [\"{old}\"]' to its front matter to send them on"
            )
            problems.append(Problem(source, line or None, message, "warning"))
    return now, problems


def still_there(out: Path, files: tuple[str, ...] | None, made: Record | None = None) -> tuple[str, ...]:
    """Return those of `files` that are still in `out` and not made by ssg since."""
    base = str(out)
    return tuple(f for f in files or () if (made is None or f not in made) and os.path.lexists(os.path.join(base, f)))


def _render_and_write(
    plan: Plan, options: BuildOptions, report: BuildReport, previous: Record, progress: ProgressFactory | None
) -> tuple[WriteReport, Record]:
    out = plan.site.config.output
    staged: dict[str, Staged] = {}
    waves_done: list[int] = []
    with report.step("render"):
        staging = staging_dir(out)
        against = None if absent_or_empty(out) else out
        preview = PreviewFiles(plan.site.config.root)  # what an earlier `ssg serve` rendered

        def render(wave: list[Output], wave_keys: list[str]) -> dict[str, int]:
            paths = output_paths(wave)
            wanted = dict(zip(paths, wave_keys, strict=True))
            same = unchanged_outputs(out, wanted, previous) if options.cache else {}
            # Files staged under flat names are named by their position in a wave: each wave has a prefix of its own.
            prefix = f"{len(waves_done)}-"
            taken: dict[str, Staged] = {}
            if options.cache and len(wanted) - len(same) >= FROM_PREVIEW_AT_LEAST:
                # What an earlier `ssg serve` rendered under the same keys: the same bytes, by construction.
                changed = {p: k for p, k in wanted.items() if p not in same}
                flat = {p: f"{prefix}p{i}" for i, p in enumerate(changed)}  # beside render_files' "{prefix}{i}"
                name_of = (lambda p: p) if against is None else flat.__getitem__
                taken = preview.take(changed, staging, name_of)
                staged.update(taken)
                report.from_preview += len(taken)
            todo = [o for o, p in zip(wave, paths, strict=True) if p not in same and p not in taken]
            tick = progress(len(todo)) if progress and todo else None
            waves_done.append(len(todo))
            staged.update(render_files(todo, plan.env, options.jobs, tick, staging, is_heavy(plan), against, prefix))
            return {o.url: staged[p][0] if p in staged else previous[p][1] for o, p in zip(wave, paths, strict=True)}

        try:
            keys = render_in_waves(plan, plan.outputs, render)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    report.rendered = len(staged)
    # Ctrl-C waits for this step: the output folder holds the old build or the new one, never a mix.
    with report.step("write"), signals_held():
        return apply(staging, out, keys, staged, previous, options.clean)


def _read_sources(config: SiteConfig, index: OutputIndex, trust: bool) -> list[Source]:
    """Read the essay files, skipping those whose status vouches for their last digest; remember statuses."""
    seen = {}
    if trust:
        root = str(config.root)
        for rel, (signature, digest) in index.sources.items():
            seen[rel] = (signature, Source(rel, None, None, digest, os.path.join(root, rel)))
    sources = read_sources(config, seen)
    index.sources = {rel: (signature, source.digest) for rel, (signature, source) in seen.items()}
    return sources


def tune_collector() -> None:
    """Make Python's cycle collector run far less often, for a process that builds sites.

    A build holds hundreds of thousands of long-lived objects (essays, worksheets, the cache); with the
    default thresholds the collector rescans them all every few thousand allocations, which was a third
    of a one-essay rebuild at 10,000 essays.
    """
    gc.set_threshold(50_000, 20, 100)


def check_folders(config: SiteConfig) -> None:
    """Refuse an output folder that would overwrite the site's own files, and a static folder that would
    publish them (essays, drafts among them, themes, the cache)."""
    out, root = config.output.resolve(), config.root.resolve()
    essays, themes, cache = config.essays_dir.resolve(), (root / "themes").resolve(), (root / CACHE_FOLDER).resolve()
    static, own_pages = (root / config.static).resolve(), config.pages_dir.resolve()
    problems = []
    protected = [root, essays, themes, static, cache, own_pages]
    if out in protected or out in root.parents or any(p in out.parents for p in protected[1:]):
        message = f"output folder {out} would overwrite the site's own files: choose another 'output'"
        problems.append(Problem("site.yml", None, message))
    elif out.exists() and not out.is_dir():
        problems.append(Problem("site.yml", None, f"output folder {out} is a file: choose another 'output'"))
    if not essays.is_dir():
        what = "is not a folder" if essays.exists() else "is missing"
        message = f"the essays folder {what}: ssg new \"Title\" makes it with a first essay"
        problems.append(Problem("essays", None, message))
    own = [essays, themes, cache, out, own_pages]
    if static == root or static in root.parents or any(f == static or static in f.parents for f in own) or (
        essays in static.parents or own_pages in static.parents
    ):
        message = f"'static' folder {static} would publish the site's own files (essays, pages, themes, cache or "
        problems.append(Problem("site.yml", None, message + "output): give it a folder of its own"))
    if problems:
        raise SsgError(problems)


__all__ = ["BuildOptions", "BuildReport", "build", "cache_dir", "load_site", "plan_all"]
