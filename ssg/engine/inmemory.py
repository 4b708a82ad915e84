"""render_site(config) -> Rendered: the whole site in memory, for ssg serve and ssg check; nothing is written."""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import jinja2
from jinja2.bccache import Bucket

from ssg.config import SiteConfig
from ssg.content.collect import Signature, Source, drop_bytes, read_sources
from ssg.content.files import FileMemo, ImageMemo, read_files
from ssg.content.page import read_page_sources
from ssg.engine.build import (
    BuildOptions,
    BuildReport,
    ProgressFactory,
    check_folders,
    input_digest,
    load_site,
    plan_all,
)
from ssg.engine.cache import (
    BuildCache,
    PlanEntry,
    ServeIndex,
    load_cache,
    load_index,
    load_serve_index,
    save_cache,
    save_serve_index,
    template_cache,
)
from ssg.engine.fingerprint import code_version, fingerprint
from ssg.engine.plan import Plan, is_heavy, own_outputs, render_in_waves
from ssg.engine.render import output_paths, render_files, render_outputs
from ssg.engine.store import FileStore, Stored
from ssg.engine.write import Record, unchanged_outputs
from ssg.errors import SsgError
from ssg.outputs import Output
from ssg.site import Site
from ssg.theme import References

__all__ = ["File", "MemoryCache", "Rendered", "Stored", "render_site"]

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
    """Compiled templates kept in memory between a long-running process's builds (checked against their source);
    with the site's cache on disk too, those that `ssg build` or an earlier preview compiled, and for them."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}
        self.config_key = ""
        self.disk: jinja2.BytecodeCache | None = None

    def for_config(self, config: SiteConfig, disk: bool = False) -> CompiledTemplates:
        """Return this cache, emptied if the configuration changed: Jinja folds filters on constants into code."""
        key = fingerprint([code_version(), config])
        if key != self.config_key:
            self.codes.clear()
            self.config_key = key
            # The first edit after a preview's start renders in this process, whose first build rendered
            # nothing here (the files were on disk, or rendered in worker processes): without the compiled
            # templates on disk it would compile every template an essay page uses first.
            self.disk = template_cache(config) if disk else None
        return self

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
        elif self.disk is not None:
            self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                self.codes[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)


@dataclass
class MemoryCache:
    """What a long-running process (ssg serve) keeps between builds: essays and rendered files.

    With `on_disk`, rendered files are kept in the site's cache (`ssg/engine/store.py`) rather than in memory, and
    `save` leaves what the next preview starts from.
    """

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
    on_disk: bool = False  # keep rendered files in the site's cache, for this preview and the next
    store: FileStore | None = None
    placed: dict[str, Stored] = field(default_factory=dict)  # the last preview's files, until a build succeeds
    served: PlanEntry | None = None  # what the last preview's last whole build was made from
    done: PlanEntry | None = None  # what this one's last whole build was made from, to save
    essays_saved: object = None  # the parsed essays' digests as loaded or last saved

    def start_from_build(self, config: SiteConfig) -> None:
        """Take over what the last `ssg build` (and, `on_disk`, the last preview) left in the site's cache.

        Essay files whose status vouches for their digest are not read, parsed essays are not parsed again,
        and the caller serves each output whose key and file are as recorded from that file.
        """
        self.started = True
        index = load_index(config)
        served = load_serve_index(config.root) if self.on_disk else ServeIndex()
        self.store = FileStore.open(config.root, served) if self.on_disk else None
        if self.store is None:
            served = ServeIndex()
        root = str(config.root)
        for rel, (signature, digest) in {**index.sources, **served.sources}.items():
            self.sources[rel] = (signature, Source(rel, None, None, digest, os.path.join(root, rel)))
        self.references.update(index.references)
        self.references.update(served.references)
        self.recorded = index.outputs.get(str(config.output), {})
        self.built = index.plans.get(str(config.output))
        self.placed = {p: Stored(file, size, mtime) for p, (_key, file, size, mtime) in served.placed.items()}
        self.served = served.plan
        self.parsed_pending = True

    def load_parsed_essays(self, config: SiteConfig) -> None:
        """Load the last build's parsed essays, if start_from_build left them to load (they take a while)."""
        if self.parsed_pending:
            self.parsed_pending = False
            self.essays = load_cache(config)
            self.essays.saved.clear()  # the pickled essays: kept only to save the cache again
            self.essays_saved = self.essays.digests()

    def forget_changed(self, config: SiteConfig) -> int:
        """Drop stored files that changed on disk (the next build renders them); return how many.

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
                if self.store is not None:
                    self.store.get(key)  # forgets it
        return len(changed) - len(same)

    def save(self, config: SiteConfig) -> None:
        """Leave what the next preview starts from: the index of the files of the last whole build, and the
        parsed essays if they changed; then remove the files no longer needed. Each file is replaced whole,
        so a preview ended at any moment leaves the old state or the new one."""
        store, done = self.store, self.done
        if store is None or done is None:
            return
        placed = {p: (k, d.path, d.size, d.mtime_ns) for p, (k, d) in self.files.items() if isinstance(d, Stored)}
        keys = {k for p, (k, d) in self.files.items() if isinstance(d, Stored) and d.path.startswith(store.files)}
        stored = {k: stamp for k, stamp in store.stored.items() if k in keys}
        sources = {rel: (signature, source.digest) for rel, (signature, source) in self.sources.items()}
        index = ServeIndex(stored, placed if len(placed) == len(self.files) else {}, done, sources, self.references)
        try:
            save_serve_index(config.root, index)
            if self.essays.digests() != self.essays_saved:
                save_cache(config, self.essays)
                self.essays.saved.clear()
                self.essays_saved = self.essays.digests()
        except OSError:
            return  # the next preview starts with less; this one is not affected
        store.keep_only(keys)
        self.done = None
        drop_bytes(self.sources, self.essays.essays)
        _return_freed_memory()


def _return_freed_memory() -> None:
    """Give the memory freed by a preview's build back to the system (glibc keeps it otherwise)."""
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


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
    """Render the whole site in memory (for serve and check); nothing is written to the output folder.

    With `memory`, outputs whose cache key is unchanged since the last call are reused; on the first call,
    those whose key and file are as the last `ssg build` recorded them are left in the output folder
    (as Stored), read only when asked for, and so are those the last preview left in the cache when the
    memory is `on_disk` (which also keeps what it renders there). With `early` too, the site's files are
    published early: on the first call, the last build's (or preview's) files at once if it had the same
    inputs (the rest of the call then only prepares later calls); later, when only the text of an essay or two
    changed, the site with just their own pages rendered anew (list pages still as before), so a preview shows
    the edit at once.
    """
    check_folders(config)  # a static folder that would publish the essays' sources is refused here, too
    options = replace(options, now=options.now or datetime.now(config.tz))
    if memory is not None and not memory.started and options.cache:
        memory.start_from_build(config)  # a preview starts from the last `ssg build`
    recorded = memory.recorded if memory is not None and not memory.files else {}
    sources = read_sources(config, memory.sources) if memory else None
    beside = read_files(config, memory.beside) if memory else None
    store = memory.store if memory is not None else None
    inputs = ""
    digest_inputs = bool(store or (early and recorded))  # for the start of this preview or the next
    if memory is not None and sources is not None and beside is not None and digest_inputs and _left_before(memory):
        inputs = input_digest(config, options, sources + read_page_sources(config), beside)
        as_left = _files_as_left(config, options, memory, inputs) if early is not None else None
        if as_left is not None and early is not None:
            early(as_left)
            # The caller may answer requests from threads now: no forking beside them (there is nothing to
            # render anyway, and nothing to parse unless the parsed essays were lost).
            options = replace(options, jobs=1)
    if memory is not None:
        memory.load_parsed_essays(config)
    memo = memory.essays.essays_for(config) if memory else None
    compiled = memory.templates.for_config(config, store is not None) if memory else None
    references = memory.references if memory else None
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
    if sources is not None and beside is not None and digest_inputs and not inputs:
        # After the edit is shown: what the next preview's start compares with.
        inputs = input_digest(config, options, sources + read_page_sources(config), beside)
    plan = plan_all(site, report)
    fresh: dict[str, File] = {}
    with report.step("render"):
        seen = [known]  # grows, wave by wave, by what the output folder already holds
        out = os.path.join(str(config.output), "")

        def render(wave: list[Output], wave_keys: list[str]) -> dict[str, int]:
            paths = output_paths(wave)
            wanted = dict(zip(paths, wave_keys, strict=True))
            if recorded:  # serve's first build: every output as the last build wrote it stays in the folder
                same = unchanged_outputs(config.output, wanted, recorded)
                seen[0] = {**seen[0], **{p: (wanted[p], Stored(out + p, *stamp)) for p, stamp in same.items()}}
            elif store is None:
                seen[0] = _images_as_built(config, wave, wanted, seen[0])
            if store is not None:  # what an earlier build of this preview or the last one left in the cache
                seen[0] = _from_store(store, wanted, seen[0])
            have = seen[0]
            todo = [o for o, p, k in zip(wave, paths, wave_keys, strict=True) if have.get(p, ("",))[0] != k]
            tick = progress(len(todo)) if progress and todo else None
            if store is not None and todo:
                staging = store.staging()
                staged = render_files(
                    todo, plan.env, options.jobs, tick, staging, is_heavy(plan), prefix="s", flat=True
                )
                fresh.update(store.add(staging, staged, wanted))
            else:
                fresh.update(render_outputs(todo, plan.env, options.jobs, tick, is_heavy(plan)))
            return {o.url: _size(fresh[p] if p in fresh else have[p][1]) for o, p in zip(wave, paths, strict=True)}

        keys = render_in_waves(plan, plan.outputs, render)
        known = seen[0]
        files = {p: fresh[p] if p in fresh else known[p][1] for p in keys}
        if store is not None:  # the edited essays' own pages, published early from memory
            files = {p: store.put(keys[p], data) if isinstance(data, bytes) else data for p, data in files.items()}
    if memory is not None:
        memory.files = {p: (keys[p], files[p]) for p in keys}
        memory.recorded = {}
        memory.placed = {}
        if store is not None and memo is not None:
            upcoming = [e.date for _, e, _ in memo.values() if options.now and e.date > options.now]
            warnings = tuple(report.warnings)
            memory.done = PlanEntry(inputs, min(upcoming, default=None), report.pages, report.files, warnings)
    report.rendered = len(fresh)
    return Rendered(plan.site, files)


def _left_before(memory: MemoryCache) -> bool:
    """Tell whether a preview's build may publish the files as an earlier build left them (its first build)."""
    return bool(memory.recorded or memory.placed)


def _size(data: File) -> int:
    """Return a file's size in bytes, rendered or stored."""
    return len(data) if isinstance(data, bytes) else data.size


def _from_store(
    store: FileStore, keys: dict[str, str], known: dict[str, tuple[str, File]]
) -> dict[str, tuple[str, File]]:
    """Add the outputs whose files the store holds under their key."""
    found = {}
    for path, key in keys.items():
        if known.get(path, ("",))[0] != key and (stored := store.get(key)) is not None:
            found[path] = (key, stored)
    return {**known, **found} if found else known


def _files_as_left(
    config: SiteConfig, options: BuildOptions, memory: MemoryCache, inputs: str
) -> dict[str, File] | None:
    """Return the files of the last preview or `ssg build` if it was made from these very inputs and all are as
    it wrote them.

    As for a build with nothing changed (see build.build), nothing can differ: no need to plan or compare keys.
    """
    out = os.path.join(str(config.output), "")
    built = {p: Stored(out + p, size, mtime) for p, (_key, size, mtime) in memory.recorded.items()}
    for last, files in ((memory.served, memory.placed), (memory.built, built)):
        if last is None or not files:
            continue
        assert options.now is not None
        if last.valid_until is not None and options.now >= last.valid_until:
            continue
        if inputs in (last.inputs, last.inputs_shown_all) and all(f.current() for f in files.values()):
            return dict(files)
    return None


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
