"""deploy(config) -> DeployReport: build the site as `ssg build` does, then make the target a copy of it with rsync."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ssg.config import CONFIG_FILE, SiteConfig
from ssg.engine.build import BuildOptions, BuildReport, ProgressFactory, build
from ssg.errors import Problem, SsgError
from ssg.targets import EXAMPLE, Target, parse_target

# How rsync copies the output folder (README, "Publishing", says why each one):
RSYNC_FLAGS = (
    "--recursive",
    "--links",  # a link inside the site stays a link ...
    "--safe-links",  # ... and one that points out of the site is not copied (never followed: no --copy-links)
    "--times",  # ssg leaves unchanged files' times alone, so size and time tell rsync what changed
    "--omit-dir-times",  # a folder's time changes with its files: only noise on the server
    "--perms",  # with --chmod: files readable by the web server, whatever this machine's umask
    "--chmod=D755,F644",
    "--delay-updates",  # changed files land together at the end, not one by one over a slow upload
    "--delete-delay",  # files the site no longer has go only after everything new is in place
    "--itemize-changes",  # one line per change, passed on to the author ...
    "--8-bit-output",  # ... with file names as they are (UTF-8), not escaped as in a C locale's \#303\#244
)
REMOTE_FLAGS = ("--compress",)  # pages and feeds are text: smaller over the network

# rsync's exit codes (man rsync, EXIT VALUES) in words; 255 is ssh's own.
EXIT_MEANINGS = {
    1: "rsync did not understand its command (is it older than 3.1?)",
    2: "the two rsync programs do not understand each other (update rsync on the server)",
    3: "rsync could not find the files to copy or the target folder",
    4: "rsync refused an option (is it older than 3.1, here or on the server?)",
    5: "rsync could not start copying on the server",
    10: "the network connection failed",
    11: "a file could not be read or written (does the target's parent folder exist, and may you write there?)",
    12: "the connection broke off, or rsync is not installed on the server",
    14: "rsync could not start its remote shell (is the ssh command right?)",
    20: "rsync was interrupted",
    23: "some files could not be copied",
    24: "some files vanished while they were copied (did a build run at the same time?)",
    30: "the server stopped answering",
    35: "the server stopped answering",
    255: "ssh could not connect to the server or log in",
}


@dataclass(frozen=True)
class DeployReport:
    """What a deploy did: the build, the rsync command and the changes it reported, one line each."""

    build: BuildReport
    target: Target
    command: tuple[str, ...]
    changes: tuple[str, ...]
    messages: tuple[str, ...]  # what rsync and ssh said besides the changes
    dry_run: bool

    @property
    def sent(self) -> int:
        """Return the number of files whose bytes were (or would be) sent."""
        return sum(1 for c in self.changes if c[:2] in ("<f", ">f"))

    @property
    def deleted(self) -> int:
        """Return the number of files and folders deleted (or to be deleted) on the target."""
        return sum(1 for c in self.changes if c.startswith("*deleting"))


class DeployError(SsgError):
    """The site could not be copied: one problem, naming the target, the setting or rsync."""


def choose_target(config: SiteConfig, override: str | None) -> Target:
    """Return the target from --target (when given) or from site.yml's deploy.target."""
    if override is not None:
        try:
            return parse_target(override, config.root, config.output)
        except ValueError as exc:
            raise DeployError([Problem("--target", None, str(exc))]) from None
    if not config.deploy.target:
        message = f"no deploy target: add 'deploy: {{target: {EXAMPLE}}}' (or a folder) or pass --target"
        raise DeployError([Problem(CONFIG_FILE, None, message)])
    try:
        return parse_target(config.deploy.target, config.root, config.output)
    except ValueError as exc:  # load_config reported it at its line already; this is for a config made in code
        raise DeployError([Problem(CONFIG_FILE, None, f"deploy.target {exc}")]) from None


def rsync_command(rsync: str, source: Path, target: Target, ssh: str = "", dry_run: bool = False) -> list[str]:
    """Return the rsync command that makes `target` a copy of the folder `source`."""
    command = [rsync, *RSYNC_FLAGS]
    if target.remote:
        command += REMOTE_FLAGS
        if ssh:
            command += ["--rsh", ssh]  # otherwise rsync's own default: $RSYNC_RSH, or ssh
    if dry_run:
        command.append("--dry-run")
    return [*command, "--", str(source).rstrip("/") + "/", target.rsync_destination]


# How ssh says it could not connect or log in. rsync usually exits with ssh's 255 then, but when it notices the
# closed connection before ssh's exit it says 12 (seen about one run in three against a closed port).
SSH_FAILURES = re.compile(r"^ssh: |Permission denied \(|Host key verification failed|kex_exchange_identification")


def explain_failure(code: int, stderr: str) -> str:
    """Return what an rsync exit code means, with the line of rsync's or ssh's output that says the most."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    ssh_said = [line for line in lines if SSH_FAILURES.search(line)]
    meaning = EXIT_MEANINGS[255] if ssh_said else EXIT_MEANINGS.get(code, "rsync failed")
    telling = [line for line in lines if not line.startswith("rsync error:") and "unexpectedly closed" not in line]
    detail = (ssh_said or telling or lines or [""])[0]
    return f"{meaning} (rsync exit {code}{': ' + detail if detail else ''})"


def deploy(
    config: SiteConfig,
    options: BuildOptions,
    target: str | None = None,
    dry_run: bool = False,
    *,
    progress: ProgressFactory | None = None,
    built: Callable[[BuildReport], None] | None = None,
    change: Callable[[str], None] | None = None,
) -> DeployReport:
    """Build the site into config.output, then copy it to the target.

    `built` hears of the finished build before copying starts, `change` of each change as rsync reports it.
    Raise SsgError for a failed build (then nothing is copied) and DeployError when the copy fails.
    """
    chosen = choose_target(config, target)
    rsync = shutil.which("rsync")
    if rsync is None:
        message = "is not installed (or not on PATH): ssg deploy copies the site with it (Debian: apt install rsync)"
        raise DeployError([Problem("rsync", None, message)])
    report = build(config, options, progress)
    if built is not None:
        built(report)
    command = rsync_command(rsync, config.output, chosen, config.deploy.ssh, dry_run)
    changes: list[str] = []
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: rsync can never block on a full one
        try:
            copy = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, encoding="utf-8", errors="replace")
        except OSError as exc:
            raise DeployError([Problem("rsync", None, f"cannot be started: {exc.strerror or exc}")]) from None
        with copy:
            assert copy.stdout is not None
            for line in copy.stdout:
                changes.append(line.rstrip("\n"))
                if change is not None:
                    change(changes[-1])
        errors.seek(0)
        said = errors.read().decode("utf-8", errors="replace")
    if copy.returncode != 0:
        raise DeployError([Problem(chosen.text, None, explain_failure(copy.returncode, said))])
    messages = tuple(line for line in said.splitlines() if line.strip())
    return DeployReport(report, chosen, tuple(command), tuple(changes), messages, dry_run)


__all__ = ["DeployError", "DeployReport", "choose_target", "deploy", "rsync_command"]
