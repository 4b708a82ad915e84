"""Deterministic benchmark corpus: German-like essays for ssg and, with the same bodies, for peer generators.

    python benchmarks/corpus.py --essays 1000 --out /tmp/site                   # an ssg site
    python benchmarks/corpus.py --essays 1000 --out /tmp/hugo --layout hugo     # a Hugo site
    python benchmarks/corpus.py --essays 1000 --out /tmp/all --layout all       # /tmp/all/<generator>/ each
    python benchmarks/corpus.py --essays 1000 --out /tmp/eq --equal-work        # ssg, no prompts or worksheet

Essays are made one after another from the seed, so a corpus of 1000 essays is the first 1000 of one of 10000.
Each layout is a complete site: the generator's config and a minimal theme (from skeletons/<layout>/) plus
the essays with front matter in the form that generator reads natively. The layout "ssg-equal" (or
--equal-work) is the ssg site with the same essays minus their prompts and worksheet: ssg then makes one page
per essay plus its lists and feeds, the work each peer does (one page per essay plus an index).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import words as w
from prose import PROMPTS, Prose, markdown_body

HERE = Path(__file__).resolve().parent
SKELETONS = HERE / "skeletons"
LAYOUTS = ("ssg", "hugo", "eleventy", "mkdocs", "pelican")
EQUAL_WORK = "ssg-equal"  # the ssg site without prompts and worksheets (not part of --layout all)
SKELETON_OF = {EQUAL_WORK: "ssg"}
ESSAY_DIRS = {
    "ssg": "essays",
    EQUAL_WORK: "essays",
    "hugo": "content/essays",
    "eleventy": "src/essays",
    "mkdocs": "docs/essays",
    "pelican": "content/essays",
}
FIRST_DAY = date(1996, 1, 1)
LAST_DAY = date(2025, 12, 31)
WORDS_PER_ESSAY = 1500


@dataclass(frozen=True)
class Essay:
    """One generated essay: front matter values and a Markdown body."""

    slug: str
    title: str
    day: date
    tags: list[str]
    summary: str
    prompts: list[str | dict[str, str]]
    worksheet: dict[str, Any]
    body: str


def slugify(text: str) -> str:
    """Return an ASCII slug with German transliteration (ä → ae, ß → ss)."""
    text = text.lower()
    for umlaut, ascii_ in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ascii_)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def unique_title(prose: Prose, taken: set[str]) -> str:
    """Return a title whose slug is not taken yet (and take it)."""
    title = prose.title()
    while slugify(title) in taken:
        title = prose.title()
    taken.add(slugify(title))
    return title


def prompts(prose: Prose) -> list[str | dict[str, str]]:
    """Return four reflection questions; one carries a hint."""
    chosen: list[str | dict[str, str]] = [prose.prompt(p) for p in prose.rng.sample(PROMPTS, 4)]
    chosen[2] = {"text": str(chosen[2]), "hint": prose.rng.choice(w.HINTS)}
    return chosen


def bands(low: int, high: int, titles: tuple[str, str, str], prose: Prose) -> list[dict[str, Any]]:
    """Return three bands that cover low..high exactly once."""
    step = (high - low + 1) // 3
    cuts = [(low, low + step - 1), (low + step, low + 2 * step - 1), (low + 2 * step, high)]
    return [{"range": [a, b], "title": t, "text": prose.sentence(0.3)} for (a, b), t in zip(cuts, titles, strict=True)]


def scale_fields(prose: Prose, count: int) -> list[dict[str, Any]]:
    """Return `count` 1–5 scale fields; the last is reverse-scored."""
    left, right = prose.rng.choice(w.SCALE_ENDS)
    fields: list[dict[str, Any]] = []
    for i in range(count):
        subject = prose.phrase("nom")
        label = f"{subject[0].upper()}{subject[1:]} ist mir {prose.rng.choice(w.PREDICATES)}."
        field: dict[str, Any] = {"id": f"aussage_{i + 1}", "type": "scale", "label": label, "min": 1, "max": 5}
        field.update(left=left, right=right)
        if i == count - 1:
            field["reverse"] = True
        fields.append(field)
    return fields


def worksheet(prose: Prose, title: str) -> dict[str, Any]:
    """Return a worksheet: numbers, a computed value, scales, a choice, a text field and a score."""
    rng = prose.rng
    scales = scale_fields(prose, rng.randint(3, 5))
    options = sorted({prose.noun()[1] for _ in range(4)})
    fields: list[dict[str, Any]] = [
        {"id": "stunden", "type": "number", "label": f"Wie viele Stunden pro Woche schenke ich {prose.phrase('dat')}?",
         "min": 0, "max": 80, "unit": "Stunden"},
        {"id": "wochen", "type": "number", "label": "In wie vielen Wochen im Jahr gelingt mir das?",
         "min": 0, "max": 52, "unit": "Wochen"},
        {"id": "jahr", "type": "computed", "label": "Stunden im Jahr", "formula": "stunden * wochen",
         "decimals": 0, "unit": "Stunden"},
        *scales,
        {"id": "hilfe", "type": "choice", "label": "Was hilft mir am ehesten?", "options": options,
         "multiple": rng.random() < 0.5},
        {"id": "vorsatz", "type": "text", "label": "Was nehme ich mir vor?", "lines": rng.randint(3, 6)},
    ]
    score = {"label": "Ihr Ergebnis", "sum": [f["id"] for f in scales],
             "bands": bands(len(scales), 5 * len(scales), rng.choice(w.BAND_TITLES), prose)}
    return {"title": f"Arbeitsblatt: {title}", "intro": prose.paragraph(30), "fields": fields, "score": score}


def make_essay(seed: int, index: int, taken: set[str]) -> Essay:
    """Return essay number `index` of the corpus with this seed."""
    prose = Prose(random.Random(f"{seed}:{index}"))
    rng = prose.rng
    title = unique_title(prose, taken)
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    return Essay(
        slug=slugify(title),
        title=title,
        day=day,
        tags=rng.sample(w.TAGS, rng.randint(2, 4)),
        summary=f"Ein Essay über {prose.phrase('acc')} und {prose.phrase('acc')}. {prose.sentence(0)}",
        prompts=prompts(prose),
        worksheet=worksheet(prose, title),
        body=markdown_body(prose, rng.randint(int(WORDS_PER_ESSAY * 0.9), int(WORDS_PER_ESSAY * 1.1))),
    )


def essays(count: int, seed: int) -> Iterator[Essay]:
    """Yield the first `count` essays of the corpus."""
    taken: set[str] = set()
    for i in range(count):
        yield make_essay(seed, i, taken)


# --- front matter ---------------------------------------------------------------------------------------


def scalar(value: Any) -> str:
    """Return a YAML scalar: strings double-quoted (JSON strings are valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def yaml_lines(data: dict[str, Any], indent: int = 0) -> list[str]:
    """Return block-style YAML for nested dicts and lists; lists of scalars are written in flow style."""
    pad = "  " * indent
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines += [f"{pad}{key}:", *yaml_lines(value, indent + 1)]
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            lines.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, dict):
                    inner = yaml_lines(item, indent + 2)
                    lines += [f"{pad}  - {inner[0].lstrip()}", *inner[1:]]
                else:
                    lines.append(f"{pad}  - {scalar(item)}")
        elif isinstance(value, list):
            lines.append(f"{pad}{key}: [{', '.join(scalar(v) for v in value)}]")
        else:
            lines.append(f"{pad}{key}: {scalar(value)}")
    return lines


def ssg_source(essay: Essay) -> str:
    """Return the essay as ssg reads it: YAML front matter with prompts and worksheet."""
    meta = {"title": essay.title, "date": essay.day, "tags": essay.tags, "summary": essay.summary,
            "prompts": essay.prompts, "worksheet": essay.worksheet}
    return "---\n" + "\n".join(yaml_lines(meta)) + "\n---\n\n" + essay.body


def ssg_equal_source(essay: Essay) -> str:
    """Return the essay as ssg reads it without prompts and worksheet: the peers' amount of work."""
    meta = {"title": essay.title, "date": essay.day, "tags": essay.tags, "summary": essay.summary}
    return "---\n" + "\n".join(yaml_lines(meta)) + "\n---\n\n" + essay.body


def yaml_source(essay: Essay) -> str:
    """Return the essay with YAML front matter of title, date and tags (Hugo, Eleventy, MkDocs)."""
    meta = {"title": essay.title, "date": essay.day, "tags": essay.tags}
    return "---\n" + "\n".join(yaml_lines(meta)) + "\n---\n\n" + essay.body


def pelican_source(essay: Essay) -> str:
    """Return the essay with Pelican's native metadata header."""
    return f"Title: {essay.title}\nDate: {essay.day.isoformat()}\nTags: {', '.join(essay.tags)}\n\n{essay.body}"


SOURCES = {"ssg": ssg_source, EQUAL_WORK: ssg_equal_source, "hugo": yaml_source, "eleventy": yaml_source,
           "mkdocs": yaml_source, "pelican": pelican_source}


# --- sites ----------------------------------------------------------------------------------------------


def start_site(out: Path, layout: str) -> Path:
    """Empty `out`, copy the layout's skeleton (config, theme) into it; return the essay folder."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(SKELETONS / SKELETON_OF.get(layout, layout), out)
    folder = out / ESSAY_DIRS[layout]
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_sites(corpus: Iterable[Essay], targets: dict[str, Path]) -> int:
    """Write every essay into each target site {layout: folder}; return the number of essays."""
    folders = {layout: start_site(out, layout) for layout, out in targets.items()}
    count = 0
    for essay in corpus:
        for layout, folder in folders.items():
            (folder / f"{essay.slug}.md").write_text(SOURCES[layout](essay), encoding="utf-8")
        count += 1
    return count


def essay_files(site: Path, layout: str) -> list[Path]:
    """Return the essay sources of a written site, sorted by name."""
    return sorted((site / ESSAY_DIRS[layout]).glob("*.md"))


def main(argv: list[str] | None = None) -> None:
    """Command line: write a corpus as an ssg site, one peer's site, or all of them."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--essays", type=int, required=True, help="number of essays")
    parser.add_argument("--out", type=Path, required=True, help="site folder (emptied first)")
    parser.add_argument("--layout", choices=(*LAYOUTS, EQUAL_WORK, "all"), default="ssg",
                        help="generator (default: ssg)")
    parser.add_argument("--equal-work", action="store_true",
                        help='the ssg site without prompts and worksheets (the same as --layout ssg-equal)')
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    if args.equal_work and args.layout not in ("ssg", EQUAL_WORK):
        parser.error("--equal-work applies to the ssg layout only")
    layouts = LAYOUTS if args.layout == "all" else (EQUAL_WORK if args.equal_work else args.layout,)
    targets = {x: args.out / x for x in layouts} if args.layout == "all" else {layouts[0]: args.out}
    count = write_sites(essays(args.essays, args.seed), targets)
    print(f"wrote {count} essays for {', '.join(layouts)} into {args.out}")


if __name__ == "__main__":
    main()
