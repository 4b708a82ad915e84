"""The generators under test: installing the peers when missing, their versions and their build commands.

Everything installed here lives in benchmarks/.peers/ (git-ignored), except Hugo and GNU time, which come
from Debian packages (apt-get).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = HERE / ".peers"
NODE_DIR = PEERS / "node"
VENVS = {"mkdocs": ("mkdocs", "mkdocs"), "pelican": ("pelican[markdown]", "pelican")}  # name: (requirement, bin)


@dataclass
class Tools:
    """Paths of the installed tools; a missing one has an entry in `problems`."""

    ssg: str = ""
    hugo: str = ""
    eleventy: str = ""
    mkdocs: str = ""
    pelican: str = ""
    gnu_time: str | None = None
    ssg_env: dict[str, str] = field(default_factory=dict)  # PYTHONPATH of a frozen copy of ssg, if any
    problems: dict[str, str] = field(default_factory=dict)


def run_quiet(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a setup command, capturing its output."""
    print("  $", " ".join(cmd), flush=True)
    return subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)


def apt_install(package: str) -> bool:
    """Install a Debian package (running apt-get update first if the plain install fails)."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if run_quiet(["apt-get", "install", "-y", "-q", package], env=env).returncode == 0:
        return True
    run_quiet(["apt-get", "update", "-q"], env=env)
    return run_quiet(["apt-get", "install", "-y", "-q", package], env=env).returncode == 0


def ensure_command(name: str, package: str) -> str:
    """Return the path of a command, installing its Debian package when missing ("" if impossible)."""
    found = shutil.which(name)
    if not found and apt_install(package):
        found = shutil.which(name)
    return found or ""


def ensure_eleventy() -> str:
    """Install Eleventy from npm into .peers/node/ when missing; return its command path."""
    binary = NODE_DIR / "node_modules" / ".bin" / "eleventy"
    if not binary.exists():
        if not ensure_command("npm", "npm"):
            return ""
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        cmd = ["npm", "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", "@11ty/eleventy"]
        done = run_quiet(cmd)
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
    return str(binary) if binary.exists() else ""


def ensure_venv(name: str) -> str:
    """Create .peers/<name>/ (a venv) with the peer installed when missing; return its command path."""
    requirement, command = VENVS[name]
    venv = PEERS / name
    binary = venv / "bin" / command
    if not binary.exists():
        run_quiet([sys.executable, "-m", "venv", str(venv)])
        done = run_quiet([str(venv / "bin" / "pip"), "install", "-q", requirement])
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
    return str(binary) if binary.exists() else ""


def ensure_gnu_time() -> str | None:
    """Return GNU time's path, installing Debian's `time` package when missing (None if impossible)."""
    path = Path("/usr/bin/time")
    if not path.exists():
        apt_install("time")
    return str(path) if path.exists() else None


def find_ssg() -> str:
    """Return the ssg command next to this Python (avoids a pyenv shim's start-up), else the one on PATH."""
    beside = Path(sys.executable).parent / "ssg"
    return str(beside) if beside.exists() else shutil.which("ssg") or ""


def install_all() -> Tools:
    """Find or install every tool; record what could not be had."""
    print("Checking the generators (installing missing ones) …", flush=True)
    tools = Tools(ssg=find_ssg(), hugo=ensure_command("hugo", "hugo"), eleventy=ensure_eleventy(),
                  mkdocs=ensure_venv("mkdocs"), pelican=ensure_venv("pelican"))
    tools.gnu_time = ensure_gnu_time()
    for name in ("ssg", "hugo", "eleventy", "mkdocs", "pelican"):
        if not getattr(tools, name):
            tools.problems[name] = f"{name} is not installed and could not be installed"
    return tools


def first_line(cmd: list[str], env: dict[str, str] | None = None) -> str:
    """Return the first line a command prints, or a note that it failed."""
    if not cmd[0]:
        return "not installed"
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env={**os.environ, **(env or {})})
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def versions(tools: Tools) -> dict[str, str]:
    """Return the version of each tool and of the floor's libraries."""
    libs = ", ".join(f"{p} {importlib.metadata.version(p)}" for p in ("PyYAML", "markdown-it-py", "Jinja2"))
    return {
        "ssg": first_line([tools.ssg, "--version"], tools.ssg_env) + commit_note() + snapshot_note(tools),
        "Hugo": first_line([tools.hugo, "version"]),
        "Eleventy": first_line([tools.eleventy, "--version"]) + " (Node " + first_line(["node", "--version"]) + ")",
        "MkDocs": first_line([tools.mkdocs, "--version"]),
        "Pelican": first_line([tools.pelican, "--version"]),
        "floor": f"Python {platform.python_version()}, {libs}",
        "memory and CPU time": "GNU time -f '%M %U %S'" if tools.gnu_time
        else "getrusage(RUSAGE_CHILDREN), one process per run",
    }


def commit_note() -> str:
    """Return the repository's commit (and whether it had uncommitted changes) as a note, "" outside git."""
    repo = HERE.parent
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          check=False)
    if head.returncode != 0:
        return ""
    dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return f", commit {head.stdout.strip()}" + (" with uncommitted changes" if dirty else "")


def snapshot_ssg(folder: Path, tools: Tools) -> None:
    """Copy the ssg package and its themes/ to `folder` and run ssg from there (edits during the run don't count)."""
    spec = importlib.util.find_spec("ssg")
    if spec is None or spec.origin is None:
        return
    package = Path(spec.origin).parent
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(package, folder / "ssg", ignore=shutil.ignore_patterns("__pycache__"))
    if (package.parent / "themes").is_dir():
        shutil.copytree(package.parent / "themes", folder / "themes")
    tools.ssg_env = {"PYTHONPATH": str(folder)}
    print(f"  ssg frozen: {package} copied to {folder}", flush=True)


def snapshot_note(tools: Tools) -> str:
    """Return a note on the frozen copy of ssg, if one is used."""
    if not tools.ssg_env:
        return ""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f" (a copy of the installed package taken at {stamp}, at the start of the run)"


def ssg_has_option(tools: Tools, option: str) -> bool:
    """Return whether `ssg build --help` lists an option."""
    if not tools.ssg:
        return False
    env = {**os.environ, **tools.ssg_env}
    done = subprocess.run([tools.ssg, "build", "--help"], capture_output=True, text=True, check=False, env=env)
    return option in done.stdout


@dataclass(frozen=True)
class Generator:
    """One row of the table: how to build, rebuild and clean one generator's site."""

    name: str  # row label
    key: str  # tool name ("ssg", "floor", "hugo", …)
    cwd: Path
    cold: list[str] | None  # None: only rebuilds, on the output the row before left
    rebuild: list[str] | None  # None: no rebuild columns
    clean: tuple[Path, ...] = ()  # removed inside the cold build's timing
    output: Path | None = None
    essays: Path | None = None  # folder whose middle essay gets one word changed
    prime: bool = False  # an unmeasured build between cold and rebuilds (cold ran with --no-cache)
    env: dict[str, str] | None = None  # extra environment variables


def ssg_build(site: Path, tools: Tools, ssg_args: list[str]) -> tuple[list[str], list[str], bool]:
    """Return ssg's cold-build and rebuild commands for a site, and whether the cold one skips the cache."""
    build = [tools.ssg, "build", "-s", str(site), "-q", *ssg_args]
    no_cache = ssg_has_option(tools, "--no-cache")
    return ([*build, "--no-cache"] if no_cache else build), build, no_cache


def ssg_generators(work: Path, tools: Tools, ssg_args: list[str], layout: str = "ssg",
                   work_label: str = "") -> list[Generator]:
    """Return the rows of ssg and of the bare-library floor, both reading the ssg site `work/layout`
    (`work_label` names its kind of work in ssg's row, and in the floor's when it reads another layout)."""
    site = work / layout
    cold, build, no_cache = ssg_build(site, tools, ssg_args)
    out = work / ("floor" if layout == "ssg" else f"floor-{layout}")
    floor = [sys.executable, str(HERE / "floor.py"), "--site", str(site), "--out", str(out)]
    label = f" ({work_label})" if work_label else ""
    floor_label = label if layout != "ssg" else ""
    return [
        Generator(f"ssg{label}", "ssg", site, cold, build, (site / "_site", site / ".ssg-cache"), site / "_site",
                  site / "essays", prime=no_cache, env=tools.ssg_env),
        Generator(f"floor, 1 process{floor_label}", "floor", work, [*floor, "--jobs", "1"], None, (out,), out),
        Generator(f"floor, 2 processes{floor_label}", "floor", work, [*floor, "--jobs", "2"], None, (out,), out),
    ]


def peer_generators(work: Path, tools: Tools) -> list[Generator]:
    """Return the rows of the peer generators, each on its own copy of the corpus."""
    hugo, eleventy, mkdocs, pelican = (work / x for x in ("hugo", "eleventy", "mkdocs", "pelican"))
    mkdocs_build = [tools.mkdocs, "build", "-q"]
    pelican_build = [tools.pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    return [
        Generator("Hugo", "hugo", hugo, [tools.hugo, "--quiet"], [tools.hugo, "--quiet"],
                  (hugo / "public", hugo / "resources", hugo / ".hugo_build.lock"), hugo / "public",
                  hugo / "content" / "essays"),
        Generator("Eleventy", "eleventy", eleventy, [tools.eleventy, "--quiet"], [tools.eleventy, "--quiet"],
                  (eleventy / "_site",), eleventy / "_site", eleventy / "src" / "essays"),
        Generator("MkDocs", "mkdocs", mkdocs, mkdocs_build, mkdocs_build, (mkdocs / "site",), mkdocs / "site",
                  mkdocs / "docs" / "essays"),
        Generator("MkDocs --dirty", "mkdocs", mkdocs, None, [*mkdocs_build, "--dirty"], (), mkdocs / "site",
                  mkdocs / "docs" / "essays"),
        Generator("Pelican (content cache)", "pelican", pelican, pelican_build, pelican_build,
                  (pelican / "output", pelican / "cache"), pelican / "output", pelican / "content" / "essays"),
    ]
