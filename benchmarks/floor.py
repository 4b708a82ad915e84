"""The bare-library floor of ssg's stack: the least work any build of these essays with these libraries does.

    python benchmarks/floor.py --site SITE --out OUT [--jobs 2]

For each essay in SITE/essays/: read it, split off the front matter, parse it with PyYAML's C loader, render
the body with markdown-it-py (CommonMark), put it into a tiny Jinja2 page and write the file; then an index
listing all essays. With --jobs N > 1 the essays are split across N processes (multiprocessing).
No validation, no worksheets, no feeds: a generator on this stack cannot be faster than this.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

PAGE = """<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><title>{{ title }} – Benchmark-Journal</title></head>
<body><header><a href="/">Benchmark-Journal</a></header>
<main><article><h1>{{ title }}</h1>
<p><time datetime="{{ date }}">{{ date }}</time> · {{ tags | join(", ") }}</p>
{{ body }}
</article></main></body></html>
"""
INDEX = """<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><title>Benchmark-Journal</title></head>
<body><header><a href="/">Benchmark-Journal</a></header>
<main><h1>Benchmark-Journal</h1><ul>
{% for e in essays %}<li><a href="/{{ e.slug }}/">{{ e.title }}</a> <time>{{ e.date }}</time></li>
{% endfor %}</ul></main></body></html>
"""

Entry = tuple[str, str, str]  # (date, slug, title) for the index


class Builder:
    """Holds the parser and templates, made once per process."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.md = MarkdownIt("commonmark")
        env = jinja2.Environment(autoescape=True)
        self.page = env.from_string(PAGE)
        self.index = env.from_string(INDEX)

    def essay(self, path: Path) -> Entry:
        """Build one essay page; return its index entry."""
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta: dict[str, Any] = yaml.load(front, Loader=yaml.CSafeLoader)
        html = self.page.render(
            title=meta["title"], date=meta["date"], tags=meta.get("tags", []), body=Markup(self.md.render(body))
        )
        folder = self.out / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(html, encoding="utf-8")
        day = meta["date"]
        return (day.isoformat() if isinstance(day, date) else str(day), path.stem, str(meta["title"]))

    def write_index(self, entries: list[Entry]) -> None:
        """Write the index of all essays, newest first."""
        essays = [{"date": d, "slug": s, "title": t} for d, s, t in sorted(entries, reverse=True)]
        (self.out / "index.html").write_text(self.index.render(essays=essays), encoding="utf-8")


_worker: Builder | None = None


def _init_worker(out: Path) -> None:
    global _worker
    _worker = Builder(out)


def _build_one(path: Path) -> Entry:
    assert _worker is not None
    return _worker.essay(path)


def build(site: Path, out: Path, jobs: int) -> int:
    """Build every essay of `site` into `out` with `jobs` processes; return the number of essays."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    paths = sorted((site / "essays").glob("*.md"))
    builder = Builder(out)
    if jobs <= 1:
        entries = [builder.essay(p) for p in paths]
    else:
        with multiprocessing.Pool(jobs, initializer=_init_worker, initargs=(out,)) as pool:
            entries = pool.map(_build_one, paths, chunksize=max(1, len(paths) // (jobs * 8)))
    builder.write_index(entries)
    return len(entries)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True, help="an ssg site (SITE/essays/*.md)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (emptied first)")
    parser.add_argument("--jobs", type=int, default=1, help="processes (default: 1)")
    args = parser.parse_args()
    build(args.site, args.out, args.jobs)


if __name__ == "__main__":
    main()
