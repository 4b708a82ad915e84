"""build(config) -> BuildReport: the pipeline as a flat list of named, timed steps."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from ssg.config import SiteConfig
from ssg.content.collect import Selection, collect
from ssg.errors import Problem, SsgError
from ssg.markdown import make_renderer
from ssg.outputs import Output, feeds, pages, taxonomy, worksheets
from ssg.render import Progress, render_bodies, render_outputs
from ssg.site import Site, make_site
from ssg.theme import Theme, load_theme, make_environment
from ssg.write import WriteReport, write_site

ProgressFactory = Callable[[int], Progress | None]


@dataclass(frozen=True)
class BuildOptions:
    """How a build selects essays and treats the output folder."""

    selection: Selection = field(default_factory=Selection)
    clean: bool = False
    now: datetime | None = None


@dataclass
class BuildReport:
    """What a build did: its steps with their durations, and the files."""

    steps: list[tuple[str, float]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    pages: int = 0
    files: int = 0
    write: WriteReport | None = None

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
class Rendered:
    """A site rendered in memory: its files, ready to write or check."""

    site: Site
    files: dict[PurePosixPath, bytes]


def render_site(
    config: SiteConfig, options: BuildOptions, report: BuildReport, progress: ProgressFactory | None = None
) -> Rendered:
    """Run every step up to (not including) writing; raise SsgError with all problems."""
    now = options.now or datetime.now(config.tz)
    with report.step("load"):
        essays, warnings = collect(config, options.selection, now)
        report.warnings.extend(warnings)
        theme = load_theme(config)
        env = make_environment(config, theme)
    with report.step("markdown"):
        site = make_site(config, essays)
        env.globals.update(site=site, now=now)
        bodies = render_bodies(site, make_renderer(config))
    with report.step("plan"):
        outputs = plan_outputs(site, bodies)
        statics = static_outputs(config, theme)
    with report.step("render"):
        files = render_outputs(outputs + statics, env, progress(len(outputs)) if progress else None)
    report.pages = sum(1 for o in outputs if o.template and o.url.endswith(("/", ".html")))
    report.files = len(files)
    return Rendered(site, files)


def plan_outputs(site: Site, bodies: dict[str, str]) -> list[Output]:
    """Return every output of the site except static files."""
    outputs = pages.plan(site, bodies) + taxonomy.plan(site) + worksheets.plan(site)
    html_urls = sorted(o.url for o in outputs if o.url.endswith("/"))
    return outputs + feeds.plan(site, bodies, html_urls)


def static_outputs(config: SiteConfig, theme: Theme) -> list[Output]:
    """Return theme static files under /static/ and the site's static folder at the root."""
    found: dict[str, Output] = {}
    sources = [(d, "/static/") for d in theme.static_dirs]
    site_static = config.root / config.static
    if site_static.is_dir():
        sources.insert(0, (site_static, "/"))
    for folder, prefix in sources:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and not any(p.startswith(".") for p in rel.split("/")):
                url = prefix + rel
                found.setdefault(url, Output(url, data=path.read_bytes(), source=str(path)))
    return [found[u] for u in sorted(found)]


def build(config: SiteConfig, options: BuildOptions, progress: ProgressFactory | None = None) -> BuildReport:
    """Build the site into config.output; on any error the old output stays untouched."""
    report = BuildReport()
    rendered = render_site(config, options, report, progress)
    _check_output_dir(config)
    with report.step("write"):
        report.write = write_site(rendered.files, config.output, cache_dir(config), options.clean)
    return report


def cache_dir(config: SiteConfig) -> Path:
    """Return the site's cache folder, creating it with a .gitignore inside."""
    folder = config.root / ".ssg-cache"
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# ssg's build cache: safe to delete\n*\n", encoding="utf-8")
    return folder


def _check_output_dir(config: SiteConfig) -> None:
    out, root = config.output.resolve(), config.root.resolve()
    protected = [root, config.essays_dir.resolve(), (root / "themes").resolve(), (root / config.static).resolve()]
    if out in protected or out in root.parents or any(p in out.parents for p in protected[1:]):
        message = f"output folder {out} would overwrite the site's own files: choose another 'output'"
        raise SsgError([Problem("site.yml", None, message)])
