"""Where a cold build's time goes, per essay: one process, each step and each kind of output timed.

    python3 benchmarks/corpus.py --essays 10000 --out /tmp/c10k
    python3 benchmarks/cost_per_essay.py /tmp/c10k

Runs a cold build (old output and cache removed, `--jobs 1`) in this process, with the rendering of
every output, the writing of every file and all Markdown rendering (essay bodies, intros, band texts:
part of the pages' times) timed, and prints milliseconds per essay for each build step and each
template or producer. The build's own steps (`ssg build -v`) are printed too.

Then it times the bare-library floor's stages (floor.py: read and split, YAML with the C loader, Markdown
with the CommonMark preset, a tiny Jinja2 page, writing one file) on the same essays in the same process,
and sets ssg's share of the same kinds of work (reading, front matter, the essay page with its Markdown,
writing that page) against the cold-build target of 1.25 × the floor.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path

import jinja2
import yaml
from floor import Builder
from markupsafe import Markup

from ssg import markdown as markdown_module
from ssg import theme
from ssg.config import SiteConfig, load_config
from ssg.content.files import Link
from ssg.engine import render
from ssg.engine.build import BuildOptions, build, tune_collector
from ssg.markdown import BodyRenderer
from ssg.outputs import Output

MARKDOWN = "Markdown"


def main(root: Path) -> None:
    """Build `root` cold in one process and print the time per essay of each step and output kind."""
    config, _ = load_config(root)
    shutil.rmtree(config.output, ignore_errors=True)
    shutil.rmtree(root / ".ssg-cache", ignore_errors=True)
    spent: defaultdict[str, float] = defaultdict(float)
    count: Counter[str] = Counter()
    render_one, write = render.render_one, render._write

    def timed_render(output: Output, env: jinja2.Environment) -> bytes:
        start = time.perf_counter()
        try:
            return render_one(output, env)
        finally:
            kind = output.template or (output.producer.__name__ if output.producer else "static file")
            spent[kind] += time.perf_counter() - start
            count[kind] += 1

    def timed_write(target: str, data: bytes, made: set[str]) -> render.Stamp:
        start = time.perf_counter()
        try:
            return write(target, data, made)
        finally:
            spent["writing files"] += time.perf_counter() - start
            count["writing files"] += 1

    make_renderer = markdown_module.make_renderer

    def timed_markdown(config: SiteConfig) -> BodyRenderer:
        markdown = make_renderer(config)

        def timed(text: str, files: Mapping[str, Link] | None = None, absolute: bool = False) -> str:
            start = time.perf_counter()
            try:
                return markdown(text, files, absolute)
            finally:
                spent[MARKDOWN] += time.perf_counter() - start
                count[MARKDOWN] += 1

        return timed

    render.render_one = timed_render
    render._write = timed_write
    theme.make_renderer = timed_markdown  # type: ignore[attr-defined]  # theme.py's imported name
    tune_collector()  # as the command line does
    report = build(config, BuildOptions(jobs=1, cache=False))
    essays = count["essay.html"] or 1
    print(f"{root}: {essays} essays, {report.files} files, {report.seconds:.2f} s in one process")
    print("build steps (ms per essay):")
    for name, seconds in report.steps:
        print(f"  {name:<24} {seconds * 1000 / essays:7.3f}")
    print("rendering and writing, inside the render step (ms per essay; files):")
    markdown = spent.pop(MARKDOWN)
    for kind, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {kind:<24} {seconds * 1000 / essays:7.3f}   ({count[kind]} files)")
    print(f"Markdown, inside the pages above: {markdown * 1000 / essays:.3f} ms per essay ({count[MARKDOWN]} texts)")
    floor = floor_costs(root)
    print("the floor (floor.py), the same essays in this process (ms per essay):")
    for name, ms in floor.items():
        print(f"  {name:<24} {ms:7.3f}")
    steps = dict(report.steps)  # the first "cache" step is the only one before "read"
    shared = (steps["read"] + steps["load"] + spent["essay.html"]) * 1000 / essays
    shared += spent["writing files"] * 1000 / count["writing files"]  # one of its files per essay
    budget = 1.25 * floor["total"]
    ratio = shared / floor["total"]
    print(f"1.25 × the floor: {budget:.3f} ms per essay. ssg's part of the floor's kind of work (reading, front")
    print(f"matter, the essay page with its Markdown, writing it): {shared:.3f} ms ({ratio:.2f} × the floor)")


def floor_costs(root: Path) -> dict[str, float]:
    """Run floor.py's steps for every essay of `root` in this process; return ms per essay for each and in total."""
    spent: defaultdict[str, float] = defaultdict(float)
    paths = sorted((root / "essays").glob("*.md"))
    with tempfile.TemporaryDirectory() as out:
        builder = Builder(Path(out))
        for path in paths:
            start = time.perf_counter()
            _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
            parsed = time.perf_counter()
            meta = yaml.load(front, Loader=yaml.CSafeLoader)
            loaded = time.perf_counter()
            html = Markup(builder.md.render(body))
            rendered = time.perf_counter()
            page = builder.page.render(title=meta["title"], date=meta["date"], tags=meta.get("tags", []), body=html)
            paged = time.perf_counter()
            folder = Path(out) / path.stem
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_text(page, encoding="utf-8")
            written = time.perf_counter()
            for name, begin, end in (
                ("read and split", start, parsed),
                ("YAML (C loader)", parsed, loaded),
                ("Markdown (CommonMark)", loaded, rendered),
                ("page (Jinja2)", rendered, paged),
                ("writing 1 file", paged, written),
            ):
                spent[name] += end - begin
    costs = {name: seconds * 1000 / len(paths) for name, seconds in spent.items()}
    costs["total"] = sum(costs.values())
    return costs


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]).resolve())
