"""render_site(config) -> Rendered: the whole site in memory, for ssg serve and ssg check; nothing is written."""

from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import jinja2
from jinja2.bccache import Bucket

from ssg.build import (
    BuildOptions,
    BuildReport,
    Plan,
    ProgressFactory,
    check_folders,
    input_digest,
    is_heavy,
    load_site,
    own_outputs,
    plan_all,
    render_in_waves,
)
from ssg.cache import BuildCache, PlanEntry, load_cache, load_index
from ssg.config import SiteConfig
from ssg.content.collect import Signature, Source, read_sources
from ssg.content.files import FileIndex, FileMemo, ImageMemo, read_files
from ssg.content.page import read_page_sources
from ssg.errors import SsgError
from ssg.fingerprint import code_version, fingerprint
from ssg.outputs import Output
from ssg.render import output_paths, render_outputs
from ssg.site import Site
from ssg.theme import References
from ssg.write import Record, all_as_written, unchanged_outputs

OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True)
class Stored:
    """A file in the output folder as `ssg build` wrote and recorded it: read when asked, never if changed since."""

    path: str
    size: int
    mtime_ns: int

    def read(self) -> bytes | None:
        """Return the file's bytes if it is still as recorded (same size and mtime), else None."""
        try:
            # Opened first, then checked: a build replacing the file meanwhile leaves this handle on the old one.
            handle = os.open(self.path, OPEN_FLAGS)  # no waiting on a pipe, no following a link
        except OSError:
            return None
        try:
            stat = os.fstat(handle)
            if not stat_module.S_ISREG(stat.st_mode) or (stat.st_size, stat.st_mtime_ns) != (self.size, self.mtime_ns):
                return None
            with os.fdopen(handle, "rb", closefd=False) as file:
                data = file.read()
        except OSError:
            return None
        finally:
            os.close(handle)
        return data if len(data) == self.size else None

    def current(self) -> bool:
        """Tell whether the file still has the recorded size and mtime."""
        try:
            stat = os.lstat(self.path)
        except OSError:
            return False
        return stat_module.S_ISREG(stat.st_mode) and (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)


File = bytes | Stored  # a rendered file's bytes, or the file in the output folder that holds them


@dataclass(frozen=True)
class Rendered:
    """A site rendered in memory (some files perhaps left in the output folder): ready to serve or check."""

    site: Site
    files: Mapping[str, File]

    def contents(self) -> dict[str, bytes]:
        """Return every file's bytes; raise OSError if a stored file changed since it was recorded."""
        found = {}
        for path, data in self.files.items():
            body = data if isinstance(data, bytes) else data.read()
            if body is None:
                raise OSError(f"{path} changed in the output folder since it was recorded")
            found[path] = body
        return found


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
    files: dict[str, tuple[str, File]] = field(default_factory=dict)  # by path: (cache key, bytes or where)
    sources: dict[str, tuple[Signature, Source]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # of every essay file at the last build
    plan_key: tuple[str, str] = ("", "")  # the last plan's keys: code, config, theme, site facts
    templates: CompiledTemplates = field(default_factory=CompiledTemplates)
    references: References = field(default_factory=dict)  # what each template source loads
    beside: FileMemo = field(default_factory=dict)  # the files beside the texts, by their status
    images: ImageMemo = field(default_factory=dict)  # each image's format and size by its digest
    started: bool = False  # whether the cache of the last `ssg build` was looked at
    recorded: Record = field(default_factory=dict)  # its files in the output folder, until a build succeeds
    built: PlanEntry | None = None  # what that build was made from
    parsed_pending: bool = False  # its parsed essays are still to be loaded

    def start_from_build(self, config: SiteConfig) -> None:
        """Take over what the last `ssg build` left in the site's cache, and its record of the output folder.

        Essay files whose status vouches for their digest are not read, parsed essays are not parsed again,
        and the caller serves each output whose key and file are as recorded from that file.
        """
        self.started = True
        index = load_index(config)
        root = str(config.root)
        for rel, (signature, digest) in index.sources.items():
            self.sources[rel] = (signature, Source(rel, None, None, digest, os.path.join(root, rel)))
        self.references.update(index.references)
        self.recorded = index.outputs.get(str(config.output), {})
        self.built = index.plans.get(str(config.output))
        self.parsed_pending = True

    def load_parsed_essays(self, config: SiteConfig) -> None:
        """Load the last build's parsed essays, if start_from_build left them to load (they take a while)."""
        if self.parsed_pending:
            self.parsed_pending = False
            self.essays = load_cache(config)
            self.essays.saved.clear()  # kept only to save the cache again, which a preview never does

    def forget_changed(self, config: SiteConfig) -> int:
        """Drop stored files that changed in the output folder (the next build renders them); return how many.

        A file that a later `ssg build` recorded with the same key (it wrote, or kept, the same bytes) is
        taken over again as that build left it.
        """
        changed = {p: key for p, (key, data) in self.files.items() if isinstance(data, Stored) and not data.current()}
        if not changed:
            return 0
        same = unchanged_outputs(config.output, changed, load_index(config).outputs.get(str(config.output), {}))
        out = os.path.join(str(config.output), "")
        for path, key in changed.items():
            if path in same:
                self.files[path] = (key, Stored(out + path, *same[path]))
            else:
                del self.files[path]
        return len(changed) - len(same)


Publish = Callable[[Mapping[str, File]], None]
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

    With `memory`, outputs whose cache key is unchanged since the last call are reused; on the first call,
    those whose key and file are as the last `ssg build` recorded them are left in the output folder
    (as Stored), read only when asked for. With `early` too, the site's files are published early:
    on the first call, the last build's files at once if that build had the same inputs (the rest of the
    call then only prepares later calls); later, when only the text of an essay or two changed, the site
    with just their own pages rendered anew (list pages still as before), so a preview shows the edit at once.
    """
    check_folders(config)  # a static folder that would publish the essays' sources is refused here, too
    if memory is not None and not memory.started and options.cache:
        memory.start_from_build(config)  # a preview starts from the last `ssg build`
    recorded = memory.recorded if memory is not None and not memory.files else {}
    sources = read_sources(config, memory.sources) if memory else None
    beside = read_files(config, memory.beside) if memory else None
    if memory is not None and sources is not None and beside is not None and early is not None and recorded:
        as_built = _built_files(config, options, memory, sources, beside)
        if as_built is not None:
            early(as_built)
            # The caller may answer requests from threads now: no forking beside them (there is nothing to
            # render anyway, and nothing to parse unless the parsed essays were lost).
            options = replace(options, jobs=1)
    if memory is not None:
        memory.load_parsed_essays(config)
    memo = memory.essays.essays_for(config) if memory else None
    compiled, references = (memory.templates.for_config(config), memory.references) if memory else (None, None)
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
        seen = [known]  # grows, wave by wave, by what the output folder already holds
        out = os.path.join(str(config.output), "")

        def render(wave: list[Output], wave_keys: list[str]) -> dict[str, int]:
            paths = output_paths(wave)
            wanted = dict(zip(paths, wave_keys, strict=True))
            if recorded:  # serve's first build: every output as the last build wrote it stays in the folder
                same = unchanged_outputs(config.output, wanted, recorded)
                seen[0] = {**seen[0], **{p: (wanted[p], Stored(out + p, *stamp)) for p, stamp in same.items()}}
            else:
                seen[0] = _images_as_built(config, wave, wanted, seen[0])
            have = seen[0]
            todo = [o for o, p, k in zip(wave, paths, wave_keys, strict=True) if have.get(p, ("",))[0] != k]
            tick = progress(len(todo)) if progress and todo else None
            fresh.update(render_outputs(todo, plan.env, options.jobs, tick, is_heavy(plan)))
            return {o.url: _size(fresh[p] if p in fresh else have[p][1]) for o, p in zip(wave, paths, strict=True)}

        keys = render_in_waves(plan, plan.outputs, render)
        known = seen[0]
        files = {p: fresh[p] if p in fresh else known[p][1] for p in keys}
    if memory is not None:
        memory.files = {p: (keys[p], files[p]) for p in keys}
        memory.recorded = {}
    report.rendered = len(fresh)
    return Rendered(plan.site, files)


def _size(data: File) -> int:
    """Return a file's size in bytes, rendered or stored."""
    return len(data) if isinstance(data, bytes) else data.size


def _built_files(
    config: SiteConfig, options: BuildOptions, memory: MemoryCache, sources: list[Source], files: FileIndex
) -> dict[str, File] | None:
    """Return the files of the last `ssg build` if it was made from these very inputs and all are as it wrote them.

    As for a build with nothing changed (see build.build), nothing can differ: no need to plan or compare keys.
    """
    last = memory.built
    if last is None or (last.valid_until is not None and (options.now or datetime.now(config.tz)) >= last.valid_until):
        return None
    digest = input_digest(config, options, sources + read_page_sources(config), files)
    if digest not in (last.inputs, last.inputs_shown_all):
        return None
    if not all_as_written(config.output, memory.recorded):
        return None
    out = os.path.join(str(config.output), "")
    return {p: Stored(out + p, size, mtime) for p, (_key, size, mtime) in memory.recorded.items()}


def _images_as_built(
    config: SiteConfig, outputs: list[Output], keys: dict[str, str], known: dict[str, tuple[str, File]]
) -> dict[str, tuple[str, File]]:
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
    plan: Plan, edited: set[str], known: dict[str, tuple[str, File]], early: Publish
) -> dict[str, tuple[str, File]]:
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
        return {o.url: _size(fresh[p] if p in fresh else known[p][1]) for o, p in zip(wave, wave_paths, strict=True)}

    try:
        keys = render_in_waves(plan, own, render)
    except SsgError:
        return known  # the whole rebuild reports it
    updated = dict(known)
    updated.update({p: (keys[p], data) for p, data in fresh.items()})
    early({p: data for p, (_key, data) in updated.items()})
    return updated
