"""What a whole website costs beside its essays: standalone pages, menus and an alias (redirect page) per essay.

    python3 benchmarks/site_extras.py                  # 1000 and 10000 essays
    python3 benchmarks/site_extras.py --sizes 200      # a smoke run

For each size it writes the benchmark corpus twice: as it is, and with the three pages `ssg init` writes,
a header and a footer menu, and `aliases: [/alt/<slug>/]` in every essay (so one redirect page per essay:
the most a site will ever have). Each is built with `ssg build` in fresh processes, one after the other in the
same run: cold (no output, no cache), again with nothing changed, and after a one-word edit of one essay.
Prints a Markdown table with the times, peak memory and the ratio of the site with extras to the plain one.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import corpus
from measure import Sample, edit_one_word, run_timed

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MENUS = """
menu:
  - home
  - archive
  - tags
  - worksheets
  - page: ueber-mich
footer_menu:
  - impressum
  - datenschutz
"""


def add_extras(site: Path) -> None:
    """Give a corpus site the starter pages, both menus and an alias in every essay."""
    shutil.copytree(REPO / "ssg" / "starter" / "de", site / "pages")
    with open(site / "site.yml", "a", encoding="utf-8") as handle:
        handle.write(MENUS)
    for path in corpus.essay_files(site, "ssg"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("---\n", f"---\naliases: [/alt/{path.stem}/]\n", 1), encoding="utf-8")


def freeze(folder: Path) -> dict[str, str]:
    """Copy ssg (package and themes) to `folder`; return the environment that runs that copy.

    Edits to ssg while the benchmark runs would otherwise change its version and so empty its cache.
    """
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(REPO / "ssg", folder / "ssg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "themes", folder / "themes")
    return {"PYTHONPATH": str(folder)}


def measure(site: Path, env: dict[str, str]) -> dict[str, Sample]:
    """Return the cold build, the no-change rebuild and the one-essay rebuild of `site`."""
    build = [sys.executable, "-m", "ssg", "build", "-s", str(site), "-q"]
    gnu_time = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    samples = {"cold": run_timed(build, site, (site / "_site", site / ".ssg-cache"), gnu_time, env)}
    samples["no change"] = run_timed(build, site, (), gnu_time, env)
    edit_one_word(corpus.essay_files(site, "ssg")[0])
    samples["one essay"] = run_timed(build, site, (), gnu_time, env)
    for name, sample in samples.items():
        if not sample.ok:
            sys.exit(f"{site}: {name} build failed:\n{sample.stderr_tail()}")
    return samples


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="essay counts, comma-separated")
    parser.add_argument("--work", type=Path, default=HERE / ".work" / "extras", help="where the sites go")
    args = parser.parse_args(argv)
    env = freeze(args.work / "frozen-ssg")
    rows = ["| essays | site | cold build | no change | one essay | peak memory |", "|---|---|---|---|---|---|"]
    for size in [int(x) for x in args.sizes.split(",")]:
        results = {}
        for variant in ("plain", "extras"):
            site = args.work / f"{size}-{variant}"
            corpus.write_sites(corpus.essays(size, 1), {"ssg": site})
            if variant == "extras":
                add_extras(site)
            results[variant] = measure(site, env)
            shutil.rmtree(site)
        for variant, samples in results.items():
            times = " | ".join(f"{samples[k].seconds:.2f} s" for k in ("cold", "no change", "one essay"))
            peak = max(s.rss_kib for s in samples.values()) / 1024
            rows.append(f"| {size} | {variant} | {times} | {peak:.0f} MiB |")
        extras, plain = results["extras"], results["plain"]
        ratios = " | ".join(f"{extras[k].seconds / plain[k].seconds:.2f} ×" for k in ("cold", "no change", "one essay"))
        rows.append(f"| {size} | extras ÷ plain | {ratios} | |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
