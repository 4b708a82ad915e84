"""build(config) -> BuildReport: the pipeline as a flat list of named, timed steps."""

from __future__ import annotations

import gc
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import PurePosixPath

import jinja2

from ssg.cache import BuildCache, PlanEntry, cache_dir, load_cache, load_index, save_cache, save_index
from ssg.config import SiteConfig
from ssg.content.collect import EssayMemo, Selection, Signature, Source, collect, read_sources
from ssg.errors import Problem, SsgError
from ssg.fingerprint import code_version, digest, fingerprint, shared_sequences, tree_fingerprint
from ssg.outputs import Output, feeds, pages, taxonomy, worksheets
from ssg.render import Progress, output_paths, render_files, render_outputs
from ssg.site import Site, make_site
from ssg.theme import Theme, load_theme, make_environment
from ssg.write import Record, WriteReport, all_as_written, apply, staging_dir, unchanged_outputs

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
    write: WriteReport | None = None
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


@dataclass(frozen=True)
class Plan:
    """Everything to render: the site, its outputs and the environment they render in."""

    site: Site
    env: jinja2.Environment
    outputs: list[Output]
    key: str  # what every template output depends on: code, config, theme files, site facts
    data_key: str  # what producer outputs (feeds in JSON, QR codes) depend on: code and config


@dataclass(frozen=True)
class Rendered:
    """A site rendered in memory: its files, ready to serve or check."""

    site: Site
    files: dict[PurePosixPath, bytes]


def prepare(
    config: SiteConfig,
    options: BuildOptions,
    report: BuildReport,
    memo: EssayMemo | None = None,
    sources: list[Source] | None = None,
) -> Plan:
    """Load the content and theme and plan every output; raise SsgError with all problems."""
    now = options.now or datetime.now(config.tz)
    with report.step("load"):
        essays, warnings = collect(config, options.selection, now, memo, options.jobs, sources)
        report.warnings.extend(warnings)
        theme = load_theme(config)
        env = make_environment(config, theme)
    with report.step("plan"):
        site = make_site(config, essays)
        # The only site-wide facts templates see besides their context: part of every cache key.
        facts = {
            "has_worksheets": bool(site.worksheet_essays),
            "scheduled": frozenset(e.slug for e in essays if e.date > now),
        }
        env.globals.update(facts)
        outputs = plan_outputs(site) + static_outputs(config, theme)
        data_key = fingerprint([code_version(), config])
        key = fingerprint([data_key, tree_fingerprint(list(theme.dirs)), facts])
    report.pages = sum(1 for o in outputs if o.template and o.url.endswith(("/", ".html")))
    report.files = len(outputs)
    return Plan(site, env, outputs, key, data_key)


@dataclass
class MemoryCache:
    """What a long-running process (ssg serve) keeps between builds: essays and rendered files."""

    essays: BuildCache = field(default_factory=BuildCache)
    files: dict[PurePosixPath, tuple[str, bytes]] = field(default_factory=dict)
    sources: dict[str, tuple[Signature, Source]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # of every essay file at the last build
    plan_key: tuple[str, str] = ("", "")  # the last plan's keys: code, config, theme, site facts


Publish = Callable[[Rendered], None]
EARLY_LIMIT = 3  # edited essays whose own pages are published before the rest of a rebuild


def render_site(
    config: SiteConfig,
    options: BuildOptions,
    report: BuildReport,
    progress: ProgressFactory | None = None,
    memory: MemoryCache | None = None,
    early: Publish | None = None,
) -> Rendered:
    """Render the whole site in memory (for serve and check); nothing is written.

    With `memory`, outputs whose cache key is unchanged since the last call are reused. With `early`
    too, when only the text of an essay or two changed, `early` first gets the site with just their
    own pages rendered anew (list pages still as before), so a preview can show the edit at once.
    """
    sources = read_sources(config, memory.sources) if memory else None
    plan = prepare(config, options, report, memory.essays.essays_for(config) if memory else None, sources)
    known = memory.files if memory else {}
    if memory is not None and sources is not None:
        edited = _edited(memory, sources, plan)
        memory.digests = {s.rel: s.digest for s in sources}
        memory.plan_key = (plan.key, plan.data_key)
        if early is not None and edited:
            known = _render_early(plan, edited, known, early)
    with report.step("render"):
        keys = output_keys(plan)
        todo = [o for o, p in zip(plan.outputs, keys, strict=True) if known.get(p, ("",))[0] != keys[p]]
        fresh = render_outputs(todo, plan.env, options.jobs, progress(len(todo)) if progress else None, _heavy(plan))
        files = {p: fresh[p] if p in fresh else known[p][1] for p in keys}
    if memory is not None:
        memory.files = {p: (keys[p], files[p]) for p in keys}
    report.rendered = len(fresh)
    return Rendered(plan.site, files)


def _edited(memory: MemoryCache, sources: list[Source], plan: Plan) -> set[str]:
    """Return the essay files whose bytes alone changed since the last build; empty if anything else did."""
    if not memory.files or memory.plan_key != (plan.key, plan.data_key) or len(sources) != len(memory.digests):
        return set()
    edited = {s.rel for s in sources if memory.digests.get(s.rel, "") != s.digest}
    return edited if len(edited) <= EARLY_LIMIT and all(s.rel in memory.digests for s in sources) else set()


def _render_early(
    plan: Plan, edited: set[str], known: dict[PurePosixPath, tuple[str, bytes]], early: Publish
) -> dict[PurePosixPath, tuple[str, bytes]]:
    """Render the edited essays' own outputs, publish them with everything else as it was; return the files."""
    own = [o for o in plan.outputs if o.source in edited and o.data is None]
    paths = output_paths(own)
    if not own or any(p not in known for p in paths):
        return known  # a new page (a changed slug): wait for the whole rebuild
    keys = dict(zip(paths, _keys(plan, own), strict=True))
    todo = [o for o, p in zip(own, paths, strict=True) if known[p][0] != keys[p]]
    try:
        fresh = render_outputs(todo, plan.env)
    except SsgError:
        return known  # the whole rebuild reports it
    updated = dict(known)
    updated.update({p: (keys[p], data) for p, data in fresh.items()})
    early(Rendered(plan.site, {p: data for p, (_key, data) in updated.items()}))
    return updated


def plan_outputs(site: Site) -> list[Output]:
    """Return every output of the site except static files."""
    outputs = pages.plan(site) + taxonomy.plan(site) + worksheets.plan(site)
    html_urls = sorted(o.url for o in outputs if o.url.endswith("/"))
    return outputs + feeds.plan(site, html_urls)


def static_outputs(config: SiteConfig, theme: Theme) -> list[Output]:
    """Return theme static files under /static/ and the site's static folder at the root."""
    found: dict[str, Output] = {}
    problems: list[Problem] = []
    sources = [(d, "/static/") for d in theme.static_dirs]
    site_static = config.root / config.static
    if site_static.is_dir():
        sources.insert(0, (site_static, "/"))
    for folder, prefix in sources:
        allowed = (folder.resolve(), config.root.resolve())
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and not any(p.startswith(".") for p in rel.split("/")):
                if not any(path.resolve().is_relative_to(a) for a in allowed):
                    message = "is a link to a file outside the site folder (not allowed)"
                    problems.append(Problem(str(path.relative_to(config.root)), None, message))
                    continue
                url = prefix + rel
                found.setdefault(url, Output(url, data=path.read_bytes(), source=str(path)))
    if problems:
        raise SsgError(problems)
    return [found[u] for u in sorted(found)]


def output_keys(plan: Plan) -> dict[PurePosixPath, str]:
    """Return each output's cache key: a digest of everything that makes its bytes."""
    return dict(zip(output_paths(plan.outputs), _keys(plan, plan.outputs), strict=True))


def _keys(plan: Plan, outputs: list[Output]) -> list[str]:
    keys = []
    with shared_sequences():
        for output in outputs:
            if output.data is not None:
                keys.append(digest(output.data))
            elif output.producer is not None:
                keys.append(fingerprint([plan.data_key, output.recipe, output.context]))
            else:
                keys.append(fingerprint([plan.key, output.recipe, output.context]))
    return keys


def _heavy(plan: Plan) -> bool:
    """Tell whether the site is so big that its list pages are worth a process each."""
    return len(plan.site.essays) >= HEAVY_SITE


HEAVY_SITE = 1000  # essays: from here on archive, tag pages and indexes take tens of milliseconds each


def input_digest(config: SiteConfig, options: BuildOptions, sources: list[Source]) -> str:
    """Return a digest of every input of a build but the clock: code, config, options, theme, static files, essays."""
    theme = load_theme(config)
    static = config.root / config.static
    essays = [(s.rel, s.digest, s.problem) for s in sources]
    trees = [tree_fingerprint(list(theme.dirs)), tree_fingerprint([static] if static.is_dir() else [])]
    return fingerprint([code_version(), config, options.selection, trees, essays])


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
        sources = read_sources(config)
        inputs = input_digest(config, options, sources)
        check_output_dir(config)
    last = index.plans.get(out)
    if options.cache and not options.clean and last is not None and last.inputs == inputs:
        # The same inputs as the last build, whose files are all still as written: nothing can differ.
        current = last.valid_until is None or options.now < last.valid_until
        if current and all_as_written(config.output, previous):
            report.pages, report.files, report.warnings = last.pages, last.files, list(last.warnings)
            report.write = WriteReport(0, len(previous), 0, ())
            return report
    with report.step("cache"):
        cache = load_cache(config)
        before = cache.digests()
    memo = cache.essays_for(config)
    if not options.cache:
        memo.clear()  # parse everything afresh, and remember it for the next build
    plan = prepare(config, options, report, memo, sources)
    del sources  # the essay files' bytes
    report.write, index.outputs[out] = _render_and_write(plan, options, report, previous, progress)
    upcoming = [e.date for _, e, _ in memo.values() if e.date > options.now]
    warnings = tuple(report.warnings)
    index.plans[out] = PlanEntry(inputs, min(upcoming, default=None), report.pages, report.files, warnings)
    with report.step("save"):
        save_index(config, index)
        if cache.digests() != before:
            save_cache(config, cache)
    report.made = (plan, cache, index)
    return report


def _render_and_write(
    plan: Plan, options: BuildOptions, report: BuildReport, previous: Record, progress: ProgressFactory | None
) -> tuple[WriteReport, Record]:
    out = plan.site.config.output
    with report.step("render"):
        keys = output_keys(plan)
        same = unchanged_outputs(out, keys, previous) if options.cache else set()
        todo = [o for o, p in zip(plan.outputs, keys, strict=True) if p not in same]
        staging = staging_dir(out)
        try:
            tick = progress(len(todo)) if progress else None
            staged = render_files(todo, plan.env, options.jobs, tick, staging, _heavy(plan))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    report.rendered = len(staged)
    with report.step("write"):
        return apply(staging, out, keys, staged, previous, options.clean)


def tune_collector() -> None:
    """Make Python's cycle collector run far less often, for a process that builds sites.

    A build holds hundreds of thousands of long-lived objects (essays, worksheets, the cache); with the
    default thresholds the collector rescans them all every few thousand allocations, which was a third
    of a one-essay rebuild at 10,000 essays.
    """
    gc.set_threshold(50_000, 20, 100)


def check_output_dir(config: SiteConfig) -> None:
    """Refuse an output folder that would overwrite the site's own files."""
    out, root = config.output.resolve(), config.root.resolve()
    protected = [root, config.essays_dir.resolve(), (root / "themes").resolve(), (root / config.static).resolve()]
    if out in protected or out in root.parents or any(p in out.parents for p in protected[1:]):
        message = f"output folder {out} would overwrite the site's own files: choose another 'output'"
        raise SsgError([Problem("site.yml", None, message)])


_check_output_dir = check_output_dir  # the name ssg.check imports
__all__ = ["BuildOptions", "BuildReport", "MemoryCache", "Rendered", "build", "cache_dir", "prepare", "render_site"]
