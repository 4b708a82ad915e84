"""render_site(config) -> Rendered: the whole site in memory, for ssg serve and ssg check; nothing is written."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import jinja2
from jinja2.bccache import Bucket

from ssg.build import (
    BuildOptions,
    BuildReport,
    Plan,
    ProgressFactory,
    check_folders,
    is_heavy,
    load_site,
    own_outputs,
    plan_all,
    render_in_waves,
)
from ssg.cache import BuildCache, load_index
from ssg.config import SiteConfig
from ssg.content.collect import Signature, Source, read_sources
from ssg.content.files import FileMemo, ImageMemo, read_files
from ssg.errors import SsgError
from ssg.fingerprint import code_version, fingerprint
from ssg.outputs import Output
from ssg.render import output_paths, render_outputs
from ssg.site import Site
from ssg.theme import References
from ssg.write import unchanged_outputs


@dataclass(frozen=True)
class Rendered:
    """A site rendered in memory: its files, ready to serve or check."""

    site: Site
    files: dict[str, bytes]


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory between a long-running process's builds (checked against their source)."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}
        self.config_key = ""

    def for_config(self, config: SiteConfig) -> CompiledTemplates:
        """Return this cache, emptied if the configuration changed: Jinja folds filters on constants into code."""
        key = fingerprint([code_version(), config])
        if key != self.config_key:
            self.codes.clear()
            self.config_key = key
        return self

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


@dataclass
class MemoryCache:
    """What a long-running process (ssg serve) keeps between builds: essays and rendered files."""

    essays: BuildCache = field(default_factory=BuildCache)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    sources: dict[str, tuple[Signature, Source]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # of every essay file at the last build
    plan_key: tuple[str, str] = ("", "")  # the last plan's keys: code, config, theme, site facts
    templates: CompiledTemplates = field(default_factory=CompiledTemplates)
    references: References = field(default_factory=dict)  # what each template source loads
    beside: FileMemo = field(default_factory=dict)  # the files beside the texts, by their status
    images: ImageMemo = field(default_factory=dict)  # each image's format and size by its digest


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
    check_folders(config)  # a static folder that would publish the essays' sources is refused here, too
    sources = read_sources(config, memory.sources) if memory else None
    memo = memory.essays.essays_for(config) if memory else None
    compiled, references = (memory.templates.for_config(config), memory.references) if memory else (None, None)
    beside = read_files(config, memory.beside) if memory else None
    images = memory.images if memory else None
    site = load_site(config, options, report, memo, sources, compiled, references, None, beside, images)
    known = memory.files if memory else {}
    if memory is not None and sources is not None:
        edited = _edited(memory, sources, site)
        memory.digests = {s.rel: s.digest for s in sources}
        memory.plan_key = (site.key, site.data_key)
        if early is not None and edited:
            # Before planning the other 30,000 outputs of a large site: the edit shows that much sooner.
            known = _render_early(site, edited, known, early)
    plan = plan_all(site, report)
    fresh: dict[str, bytes] = {}
    with report.step("render"):
        seen = [known]  # grows by the images the output folder already holds, wave by wave

        def render(wave: list[Output], wave_keys: list[str]) -> dict[str, int]:
            paths = output_paths(wave)
            seen[0] = have = _as_built(config, wave, dict(zip(paths, wave_keys, strict=True)), seen[0])
            todo = [o for o, p, k in zip(wave, paths, wave_keys, strict=True) if have.get(p, ("",))[0] != k]
            tick = progress(len(todo)) if progress and todo else None
            fresh.update(render_outputs(todo, plan.env, options.jobs, tick, is_heavy(plan)))
            return {o.url: len(fresh[p] if p in fresh else have[p][1]) for o, p in zip(wave, paths, strict=True)}

        keys = render_in_waves(plan, plan.outputs, render)
        known = seen[0]
        files = {p: fresh[p] if p in fresh else known[p][1] for p in keys}
    if memory is not None:
        memory.files = {p: (keys[p], files[p]) for p in keys}
    report.rendered = len(fresh)
    return Rendered(plan.site, files)


def _as_built(
    config: SiteConfig, outputs: list[Output], keys: dict[str, str], known: dict[str, tuple[str, bytes]]
) -> dict[str, tuple[str, bytes]]:
    """Add the standalone outputs (images) that the output folder holds as the last build wrote them: serve's
    first build and ssg check read them instead of encoding every image again."""
    wanted = {
        p: keys[p]
        for p, o in zip(keys, outputs, strict=True)
        if o.standalone and known.get(p, ("",))[0] != keys[p]
    }
    if not wanted:
        return known
    same = unchanged_outputs(config.output, wanted, load_index(config).outputs.get(str(config.output), {}))
    found = dict(known)
    for path in sorted(same):
        try:
            with open(os.path.join(config.output, path), "rb") as handle:
                found[path] = (wanted[path], handle.read())
        except OSError:
            continue  # rendered instead
    return found


def _edited(memory: MemoryCache, sources: list[Source], plan: Plan) -> set[str]:
    """Return the essay files whose bytes alone changed since the last build; empty if anything else did."""
    if not memory.files or memory.plan_key != (plan.key, plan.data_key) or len(sources) != len(memory.digests):
        return set()
    edited = {s.rel for s in sources if memory.digests.get(s.rel, "") != s.digest}
    return edited if len(edited) <= EARLY_LIMIT and all(s.rel in memory.digests for s in sources) else set()


def _render_early(
    plan: Plan, edited: set[str], known: dict[str, tuple[str, bytes]], early: Publish
) -> dict[str, tuple[str, bytes]]:
    """Render the edited essays' own outputs, publish them with everything else as it was; return the files."""
    own = [o for essay in plan.site.essays if essay.source in edited for o in own_outputs(plan, essay)]
    paths = output_paths(own)
    if not own or any(p not in known for p in paths):
        return known  # a new page (a changed slug): wait for the whole rebuild
    fresh: dict[str, bytes] = {}

    def render(wave: list[Output], wave_keys: list[str]) -> dict[str, int]:
        wave_paths = output_paths(wave)
        todo = [o for o, p, k in zip(wave, wave_paths, wave_keys, strict=True) if known[p][0] != k]
        fresh.update(render_outputs(todo, plan.env))
        return {o.url: len(fresh[p] if p in fresh else known[p][1]) for o, p in zip(wave, wave_paths, strict=True)}

    try:
        keys = render_in_waves(plan, own, render)
    except SsgError:
        return known  # the whole rebuild reports it
    updated = dict(known)
    updated.update({p: (keys[p], data) for p, data in fresh.items()})
    early(Rendered(plan.site, {p: data for p, (_key, data) in updated.items()}))
    return updated
