"""Time `ssg serve`'s start and measure its memory: cold (no cache), right after an `ssg build`, and right after
an earlier `ssg serve` (no build in between).

    python3 benchmarks/corpus.py --essays 10000 --out /tmp/c10k
    python3 benchmarks/serve_start.py /tmp/c10k [/tmp/c1k ...]

For each site it runs `ssg build` (nothing to do if the site is built), then `ssg serve` in a fresh process
four times: with that build's cache (`.ssg-cache/` and `_site/`), with it after one essay was edited since
(restored afterwards), cold (cache and output folder moved aside for the run), and then once more with only
what that cold preview left in `.ssg-cache/` (afterwards the build's cache and output folder are put back).
Times are seconds from
starting the process: when the home page and one essay page first answer 200, when the whole site is current
(the preview says it serves the build's files, or its first build is done), and when that first build is
done. Then one word of that essay is changed and the time until its page shows it is taken, and the
process's resident memory is read from /proc/<pid>/status (VmRSS once the first build is done, VmHWM: its
peak). CPU time is the preview process's user and system time (with its worker processes'), read from
/proc/<pid>/stat: when the whole site is current, and what the edit took; on a machine shared with other
work it is the figure that load does not inflate. The essay is restored afterwards. The corpus has no drafts
or future essays, so what serve shows is what `ssg build` writes.

Functions for other scripts: `serve_once(root, essay, url)` starts one preview and returns its figures
(seconds "home", "essay", "shown", "built", "edit"; MiB "VmRSS", "VmHWM", "VmHWM after edit"; CPU seconds
"cpu", "edit cpu"); `serve_cases(root)` runs the four starts above and returns their figures by case name;
`essay_under_test(root)` picks the essay, `memory(pid)` reads VmRSS and VmHWM.
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ssg.config import load_config
from ssg.content.essay import parse_essay
from ssg.content.reader import Reader

DEADLINE = 600.0


def get(port: int, target: str) -> tuple[int, bytes]:
    """Return the status and body of one request, or (0, b'') if the server does not answer yet."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
    try:
        conn.request("GET", target)
        reply = conn.getresponse()
        return reply.status, reply.read()
    except OSError:
        return 0, b""
    finally:
        conn.close()


def free_port() -> int:
    """Return a port nobody listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory(pid: int) -> dict[str, int]:
    """Return VmRSS and VmHWM of a process in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) // 1024
    return found


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user and system, with waited-for children) of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def first_ok(port: int, target: str, start: float, times: dict[str, float], name: str) -> None:
    """Poll `target` until it answers 200; note the time since `start` under `name`."""
    while time.perf_counter() - start < DEADLINE:
        if get(port, target)[0] == 200:
            times[name] = time.perf_counter() - start
            return
        time.sleep(0.02)


def serve_once(root: Path, essay: Path, url: str) -> dict[str, float]:
    """Start `ssg serve` on `root`, time its first pages, an edit, and read its memory; stop it."""
    port = free_port()
    command = [sys.executable, "-m", "ssg", "serve", "-s", str(root), "--port", str(port)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    times: dict[str, float] = {}
    lines: list[str] = []

    def read_output() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip())
            if line.startswith("Serving the site as ") and "shown" not in times:
                times["shown"] = time.perf_counter() - start
            if line.startswith("Built ") and "built" not in times:
                times["built"] = time.perf_counter() - start

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    pages = (("/", "home"), (url, "essay"))
    polls = [threading.Thread(target=first_ok, args=(port, target, start, times, name)) for target, name in pages]
    for poll in polls:
        poll.start()
    for poll in polls:
        poll.join()
    while "built" not in times and time.perf_counter() - start < DEADLINE:
        time.sleep(0.01)
    time.sleep(1.0)  # let the process settle (and save its cache) before reading its memory
    result: dict[str, float] = {**times, **{k: float(v) for k, v in memory(process.pid).items()}}
    result["cpu"] = cpu_seconds(process.pid)
    try:
        with one_word_edited(essay) as word:
            edited = time.perf_counter()
            while time.perf_counter() - edited < DEADLINE:
                if word.encode() in get(port, url)[1]:
                    result["edit"] = time.perf_counter() - edited
                    result["edit cpu"] = cpu_seconds(process.pid) - result["cpu"]
                    break
                time.sleep(0.01)
        result["VmHWM after edit"] = float(memory(process.pid)["VmHWM"])
    finally:
        process.terminate()
        process.wait(timeout=60)
    for line in lines[:2]:
        print("   ", line)
    return result


@contextmanager
def one_word_edited(essay: Path) -> Iterator[str]:
    """Add a word to the essay's text (after its front matter, if it has one), yield it, then restore the file."""
    text = essay.read_text(encoding="utf-8")
    body = text.index("\n---\n", 4) + 5 if text.startswith("---\n") and "\n---\n" in text[4:] else 0
    word = f"Messwort{os.getpid()}"
    try:
        essay.write_text(text[:body] + text[body:].replace(" und ", f" und {word} ", 1), encoding="utf-8")
        yield word
    finally:
        essay.write_text(text, encoding="utf-8")


def essay_under_test(root: Path) -> tuple[Path, str]:
    """Return the middle essay file and its page's address."""
    files = sorted((root / "essays").glob("*.md"))
    essay = files[len(files) // 2]
    config, _ = load_config(root)
    parsed = parse_essay(essay.read_bytes(), config, Reader(str(essay)))
    assert parsed is not None
    return essay, f"/{parsed.slug}/"


def show(kind: str, result: dict[str, float]) -> None:
    """Print one start's figures."""
    seconds = {name: result.get(name, float("nan")) for name in ("home", "essay", "built", "edit")}
    current = min(result.get("shown", seconds["built"]), seconds["built"])
    print(
        f"  {kind}: home page {seconds['home']:.2f} s, essay page {seconds['essay']:.2f} s, "
        f"whole site current {current:.2f} s, first build done {seconds['built']:.2f} s "
        f"({result.get('cpu', float('nan')):.2f} s CPU by then), "
        f"then an edit shown after {seconds['edit']:.2f} s ({result.get('edit cpu', float('nan')):.2f} s CPU); "
        f"VmRSS {result.get('VmRSS', 0):.0f} MiB once current (peak VmHWM {result.get('VmHWM', 0):.0f} MiB, "
        f"{result.get('VmHWM after edit', 0):.0f} MiB after the edit)"
    )


def serve_cases(root: Path) -> dict[str, dict[str, float]]:
    """Build the site, then start the preview with the build's cache, with an essay edited since, cold, and
    after that cold preview (no build in between); return each start's figures by case and print them."""
    essays = len(list((root / "essays").glob("*.md")))
    essay, url = essay_under_test(root)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ssg", "build", "-s", str(root)], check=True, capture_output=True)
    print(f"{root} ({essays} essays): ssg build {time.perf_counter() - start:.2f} s; essay page {url}")
    results = {}
    results["build"] = serve_once(root, essay, url)
    show("with the build's cache", results["build"])
    # The usual case after a while: the site changed since the build (the build's other files still serve).
    text = essay.read_text(encoding="utf-8")
    essay.write_text(text.replace(" und ", " und vorher ", 1), encoding="utf-8")
    try:
        results["build, edited since"] = serve_once(root, essay, url)
        show("with the build's cache, one essay edited since", results["build, edited since"])
    finally:
        essay.write_text(text, encoding="utf-8")
    aside = [(root / name, root / f"{name}.aside") for name in (".ssg-cache", "_site")]
    for path, moved in aside:
        os.rename(path, moved)
    try:
        results["cold"] = serve_once(root, essay, url)
        show("cold (no cache)", results["cold"])
        results["serve"] = serve_once(root, essay, url)
        show("with the cache of that earlier ssg serve (no build)", results["serve"])
    finally:
        for path, moved in aside:
            shutil.rmtree(path, ignore_errors=True)
            os.rename(moved, path)
    return results


def main(roots: list[Path]) -> None:
    """Measure each site: build, serve with the build's cache, serve cold, serve after that serve."""
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for root in roots:
        serve_cases(root)
        print(f"  load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]])
