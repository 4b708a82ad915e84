"""What related essays cost: `ssg.related.related_essays` timed on a corpus's cards (ssg computes it in every
build, serve and check, for every essay).

    python3 benchmarks/corpus.py --essays 10000 --out /tmp/c10k
    python3 benchmarks/related_cost.py /tmp/c10k [--repeat 5]

Loads the site as a build does (every essay parsed, in this process), then calls `related_essays` on its cards
`--repeat` times and prints one JSON object: the essays, wall and CPU milliseconds of each call, and how many
essays got at least one related essay.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ssg import related as related_module
from ssg.config import load_config
from ssg.engine.build import BuildOptions, BuildReport, load_site
from ssg.related import related_essays


def main() -> None:
    """Time related_essays on the site's cards and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="an ssg site, e.g. from benchmarks/corpus.py")
    parser.add_argument("--repeat", type=int, default=5, help="calls to time (default: 5)")
    args = parser.parse_args()
    cards = load_site(load_config(args.site)[0], BuildOptions(), BuildReport()).site.cards
    wall_ms, cpu_ms, related = [], [], {}
    for _ in range(args.repeat):
        related_module._last.clear()  # choose anew, as a build whose tags or slugs changed does
        start, cpu = time.perf_counter(), time.process_time()
        related = related_essays(cards)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        wall_ms.append((time.perf_counter() - start) * 1000)
    # A rebuild whose edits left every slug and tag alone takes the last choice: what that costs.
    start = time.process_time()
    related_essays(cards)
    reused_ms = (time.process_time() - start) * 1000
    found = sum(1 for others in related.values() if others)
    print(json.dumps({"essays": len(cards), "wall_ms": wall_ms, "cpu_ms": cpu_ms, "reused_cpu_ms": reused_ms,
                      "related": found}))


if __name__ == "__main__":
    main()
