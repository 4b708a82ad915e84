"""Benchmark of images beside essays: the corpus with a 12-megapixel phone photo in every tenth essay, ssg alone.

    python3 benchmarks/images.py --essays 1000 --out /tmp/ssg-images [--runs 3] [--keep]

`--keep` measures a corpus this script made before (making the photos takes two minutes). The ssg measured is
a copy of this checkout's `ssg/` and `themes/` taken at the start, so editing the code does not change a run.

Each essay with a photo becomes a folder, essays/<name>/index.md, with foto.jpg beside it (4000 × 3000
pixels, JPEG quality 92, EXIF with a GPS position and orientation 6, as a phone writes it) shown by
`![…](foto.jpg)`. Measured, each in a fresh process (`ssg build -q`): the cold build (no output, no cache),
the rebuild with nothing changed, one photo replaced by another, and one essay's text edited.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import corpus
from measure import Sample, count_pages, edit_one_word, run_timed

SIZE = (4000, 3000)  # 12 megapixels


def photo(seed: int) -> bytes:
    """Return a 12-megapixel JPEG with a phone's EXIF (GPS, orientation 6): smooth light and fine grain."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    small = Image.new("RGB", (40, 30))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(40 * 30)])
    image = small.resize(SIZE, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(SIZE, 24).filter(ImageFilter.GaussianBlur(0.6)).convert("RGB")
    image = Image.blend(image, grain, 0.25)
    draw = ImageDraw.Draw(image)
    for _ in range(40):  # edges, as in a street scene
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        draw.rectangle((x, y, x + rng.randrange(50, 600), y + rng.randrange(50, 400)), outline=(20, 20, 20), width=6)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Kamerafirma"
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 31.0, float(seed % 60)), 3: "E", 4: (13.0, 24.0, 36.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def make_corpus(site: Path, count: int, every: int) -> list[Path]:
    """Write the corpus; turn every `every`-th essay into a folder with a photo beside it; return the photos."""
    corpus.main(["--essays", str(count), "--out", str(site)])
    photos = []
    for number, path in enumerate(corpus.essay_files(site, "ssg")):
        if number % every:
            continue
        folder = path.with_suffix("")
        folder.mkdir()
        text = path.read_text(encoding="utf-8")
        cut = text.index("\n---\n", 3) + 5
        body = text[cut:].split("\n\n")
        body.insert(2, "![Die Straße vor dem Haus, am Morgen](foto.jpg)")
        (folder / "index.md").write_text(text[:cut] + "\n\n".join(body), encoding="utf-8")
        path.unlink()
        (folder / "foto.jpg").write_bytes(photo(number))
        photos.append(folder / "foto.jpg")
    return photos


def frozen_ssg(into: Path) -> dict[str, str]:
    """Copy this checkout's ssg and default theme into `into`; return the environment that runs that copy."""
    repo = Path(__file__).resolve().parent.parent
    shutil.rmtree(into, ignore_errors=True)
    shutil.copytree(repo / "ssg", into / "ssg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(repo / "themes/default", into / "themes/default")
    return {"PYTHONPATH": str(into)}


Timed = tuple[Sample, float]  # a build and the CPU seconds (user and system) of all its processes


def timed(cmd: list[str], site: Path, removals: tuple[Path, ...], gnu_time: str | None, env: dict[str, str]) -> Timed:
    """Run one build in a fresh process; also count its processes' CPU time, which other load on the machine
    does not inflate as it does the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sample = run_timed(cmd, site, removals, gnu_time, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return sample, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def measure(site: Path, photos: list[Path], runs: int, env: dict[str, str]) -> dict[str, list[Timed]]:
    """Time the builds, `runs` times each; every scenario starts from a built site."""
    ssg = [sys.executable, "-m", "ssg", "build", "-q", "-s", str(site)]
    gnu_time = shutil.which("time") if Path("/usr/bin/time").exists() else None
    results: dict[str, list[Timed]] = {"cold": [], "no change": [], "one photo replaced": [], "one essay edited": []}
    replacements = [photo(10_000 + run) for run in range(runs)]  # made before the timings
    for run in range(runs):
        results["cold"].append(timed(ssg, site, (site / "_site", site / ".ssg-cache"), gnu_time, env))
        results["no change"].append(timed(ssg, site, (), gnu_time, env))
        photos[len(photos) // 2].write_bytes(replacements[run])
        results["one photo replaced"].append(timed(ssg, site, (), gnu_time, env))
        edit_one_word(photos[len(photos) // 3].parent / "index.md")
        results["one essay edited"].append(timed(ssg, site, (), gnu_time, env))
    for name, samples in results.items():
        for sample, _cpu in samples:
            if not sample.ok:
                raise SystemExit(f"{name}: ssg failed:\n{sample.stderr_tail()}")
    return results


def main(argv: list[str] | None = None) -> None:
    """Make the corpus, measure, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--essays", type=int, default=1000)
    parser.add_argument("--every", type=int, default=10, help="a photo in every N-th essay (default: 10)")
    parser.add_argument("--out", type=Path, required=True, help="site folder (emptied first)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="measure the corpus already in --out")
    args = parser.parse_args(argv)
    env = frozen_ssg(Path(tempfile.mkdtemp(prefix="ssg-frozen-")))
    kept = sorted(args.out.glob("essays/*/foto.jpg")) if args.keep else []
    photos = kept or make_corpus(args.out, args.essays, args.every)
    megabytes = sum(p.stat().st_size for p in photos) / 1e6
    results = measure(args.out, photos, args.runs, env)
    version = subprocess.run(
        [sys.executable, "-m", "ssg", "--version"], capture_output=True, text=True, env={**os.environ, **env}
    ).stdout.strip()
    print(f"{version}; {args.essays} essays, {len(photos)} photos of 12 megapixels ({megabytes:.0f} MB of JPEG)")
    print(f"{count_pages(args.out / '_site')} HTML pages, {sum(1 for _ in (args.out / '_site').rglob('*.jpg'))} JPEGs")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header = "| build | median (s) | min (s) | max (s) | CPU, median (s) | peak memory (MiB) | runs |"
    print(f"\n{header}\n|---|---:|---:|---:|---:|---:|---:|")
    for name, samples in results.items():
        seconds = [s.seconds for s, _ in samples]
        cpu = statistics.median(c for _, c in samples)
        memory = max(s.rss_kib for s, _ in samples) / 1024
        row = f"| {name} | {statistics.median(seconds):.2f} | {min(seconds):.2f} | {max(seconds):.2f} | {cpu:.2f}"
        print(f"{row} | {memory:.0f} | {len(samples)} |")


if __name__ == "__main__":
    main()
