"""Plan: everything a build renders (the site, its outputs, the environment) and each output's cache key."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from ssg.config import SiteConfig
from ssg.content.essay import Essay
from ssg.engine.fingerprint import code_version, digest, fingerprint, shared_sequences
from ssg.engine.render import output_paths
from ssg.errors import Problem, SsgError
from ssg.outputs import Output, feeds, images, pages, pdf, series, style, taxonomy, worksheets
from ssg.site import Site
from ssg.static_files import scan, static_folders
from ssg.theme import TemplateKeys, Theme


@dataclass(frozen=True)
class Plan:
    """Everything to render: the site, its outputs and the environment they render in."""

    site: Site
    env: jinja2.Environment
    outputs: list[Output]
    key: str  # what any template output may depend on: code, config, all theme files, site facts
    data_key: str  # what producer outputs (feeds in JSON, QR codes) depend on besides the templates they name
    # in Output.templates: code and config
    theme: Theme
    template_keys: TemplateKeys  # what pages of one template depend on: code, config, UI strings, site facts and
    # the templates it renders with
    typesetting: pdf.Typesetting | None = None  # the theme's Typst template for PDF handouts; None: no PDFs


def own_outputs(plan: Plan, essay: Essay) -> list[Output]:
    """Return the outputs made from one essay alone: its page, and its worksheet page, PDF and QR code."""
    return [pages.essay_page(plan.site, essay), *worksheets.essay_outputs(plan.site, essay, plan.typesetting)]


def plan_outputs(site: Site, typesetting: pdf.Typesetting | None = None) -> list[Output]:
    """Return every output of the site except static files (and PDF handouts only with `typesetting`)."""
    outputs = pages.plan(site) + taxonomy.plan(site) + series.plan(site) + worksheets.plan(site, typesetting)
    outputs += style.plan(site)
    outputs += images.plan(site.config, site.attachments)
    # The sitemap lists the pages search engines may index (not "noindex" ones like the home page's page 2).
    html_urls = sorted(o.url for o in outputs if o.url.endswith("/") and not _noindex(o))
    return outputs + feeds.plan(site, html_urls)


def _noindex(output: Output) -> bool:
    page = output.context.get("page") if isinstance(output.context, dict) else None
    return bool(getattr(page, "noindex", False))


def static_outputs(config: SiteConfig, theme: Theme) -> tuple[list[Output], list[Problem]]:
    """Return theme static files under /static/ and the site's static folder at the root, and a warning for
    each theme file that a file in the site's folder replaces (its static/static/style.css, say)."""
    found: dict[str, Output] = {}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    from_site: set[str] = set()
    site_static = (config.root / config.static).resolve()
    for folder, prefix in static_folders(config, theme):
        allowed = (folder.resolve(), config.root.resolve())
        for path, rel in scan(folder)[0]:  # what is published: see ssg/static_files.py
            if not any(path.resolve().is_relative_to(a) for a in allowed):
                message = "is a link to a file outside the site folder (not allowed)"
                problems.append(Problem(str(path.relative_to(config.root)), None, message))
                continue
            url = prefix + rel
            shown = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else str(path)
            if folder.resolve() == site_static:
                from_site.add(url)
            elif url in from_site:
                from_site.discard(url)  # named once: the most specific theme file it replaces
                warnings.append(_shadowing(config, found[url], shown, rel))
            found.setdefault(url, Output(url, data=path.read_bytes(), source=shown))
    if problems:
        raise SsgError(problems)
    return [found[u] for u in sorted(found)], warnings


def _shadowing(config: SiteConfig, site_file: Output, theme_file: str, rel: str) -> Problem:
    """Warn that a file in the site's static folder is published where the theme's file goes."""
    if Path(theme_file).is_absolute():  # the theme inside ssg itself
        theme_file = f"static/{rel} of ssg's default theme"
    message = (
        f"is published at {site_file.url} in place of the theme's {theme_file}: to change the theme's file, "
        f"put yours at themes/{config.theme}/static/{rel}; to keep both, give this one another name"
    )
    return Problem(site_file.source, None, message, "warning")


def output_keys(plan: Plan) -> dict[str, str]:
    """Return each output's cache key: a digest of everything that makes its bytes."""
    return dict(zip(output_paths(plan.outputs), keys_of(plan, plan.outputs), strict=True))


def keys_of(plan: Plan, outputs: list[Output]) -> list[str]:
    """Return the cache keys of some of the plan's outputs, in their order."""
    keys = []
    with shared_sequences():
        for output in outputs:
            if output.data is not None:
                keys.append(digest(output.data))
            elif output.standalone:
                keys.append(fingerprint([code_version(), output.recipe, output.context]))
            elif output.producer is not None:
                rendered = [plan.template_keys(name) for name in output.templates]
                keys.append(fingerprint([plan.data_key, rendered, output.recipe, output.context]))
            else:
                assert output.template is not None
                keys.append(fingerprint([plan.template_keys(output.template), output.recipe, output.context]))
    return keys


def waves(outputs: list[Output]) -> tuple[list[Output], list[Output]]:
    """Split outputs into those whose file sizes other outputs show (PDFs), to render first, and the rest."""
    shown = {url for output in outputs for url in output.sizes_of}
    if not shown:
        return [], outputs
    return [o for o in outputs if o.url in shown], [o for o in outputs if o.url not in shown]


def with_sizes(outputs: list[Output], sizes: Mapping[str, int]) -> list[Output]:
    """Return outputs with the sizes of the files they show in their context, as `sizes` by URL."""
    sized = []
    for output in outputs:
        if output.sizes_of:
            shown = {url: sizes[url] for url in output.sizes_of}
            output = replace(output, context={**output.context, "sizes": shown})
        sized.append(output)
    return sized


RenderWave = Callable[[list[Output], list[str]], Mapping[str, int]]


def render_in_waves(plan: Plan, outputs: list[Output], render: RenderWave) -> dict[str, str]:
    """Render outputs in two waves and return every output's cache key by path.

    First the files whose sizes pages show (PDFs, made in the pool like every output), then the rest, with
    those sizes in their context and so in their keys. `render(outputs, keys)` renders those of a wave that
    need it and returns the size of each of the wave's files by URL.
    """
    paths = output_paths(outputs)  # every clash of the whole site at once
    keys: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for wave in waves(outputs):
        if not wave:
            continue
        wave = with_sizes(wave, sizes)
        wave_keys = keys_of(plan, wave)
        sizes.update(render(wave, wave_keys))
        keys.update(zip(output_paths(wave), wave_keys, strict=True))
    return {path: keys[path] for path in paths}


def is_heavy(plan: Plan) -> bool:
    """Tell whether the site is so big that its list pages are worth a process each."""
    return len(plan.site.essays) >= HEAVY_SITE


HEAVY_SITE = 1000  # essays: from here on archive, tag pages and indexes take tens of milliseconds each
