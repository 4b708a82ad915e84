"""`ssg deploy` with the real rsync: to a folder, and over ssh to a throwaway sshd on localhost."""

from __future__ import annotations

import getpass
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import SITE_YML, essay, make_site, run, tree_digest
from tests.quality.conftest import require

ESSAYS = {
    "erstes.md": essay("Erstes Essay", date="2026-01-10", body="Der erste Text.", tags="[Nähe]"),
    "zweites.md": essay("Zweites Essay", date="2026-01-12", body="Der zweite Text.", tags="[Nähe]"),
    "drittes.md": essay("Drittes Essay", date="2026-01-14", body="Der dritte Text."),
}
# rsync's --itemize-changes lines: what changed (sent, created, attributes) and what was deleted.
ITEMIZED = re.compile(r"[<>ch.][fdLDS][.+?a-z ]{9} |\*deleting ")


@dataclass(frozen=True)
class Sshd:
    """A throwaway sshd on localhost that lets the current user in with `key`."""

    port: int
    key: Path

    def ssh_command(self, port: int | None = None) -> str:
        return (
            f"ssh -F /dev/null -p {port or self.port} -i {self.key} -o BatchMode=yes -o StrictHostKeyChecking=no "
            "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    """Start sshd as the current user on a free port with a new host key; stop it afterwards."""
    server, keygen = require("/usr/sbin/sshd"), require("ssh-keygen")
    require("ssh")
    tmp = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "user_key"):
        subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(tmp / name)], check=True)
    (tmp / "authorized_keys").write_bytes((tmp / "user_key.pub").read_bytes())
    if os.geteuid() == 0:
        # sshd run by root wants its privilege separation folder, which Debian's service makes at boot.
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    port = free_port()
    config = tmp / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {tmp / 'host_key'}\nPidFile {tmp / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {tmp / 'authorized_keys'}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nLogLevel ERROR\n",
        encoding="utf-8",
    )
    log = tmp / "sshd.log"
    process = subprocess.Popen([server, "-D", "-f", str(config), "-E", str(log)])
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                pytest.fail(f"sshd stopped: {log.read_text(errors='replace') if log.exists() else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "sshd did not start listening within 10 s"
                time.sleep(0.05)
        yield Sshd(port, tmp / "user_key")
    finally:
        process.terminate()
        process.wait(timeout=10)


def deploy_site(root: Path, target: str, ssh: str = "") -> Path:
    setting = f"deploy:\n  target: {target}\n" + (f"  ssh: {ssh}\n" if ssh else "")
    return make_site(root / "journal", ESSAYS, SITE_YML + setting)


def deploy(root: Path, *args: str) -> list[str]:
    """Run ssg deploy; return rsync's change lines."""
    require("rsync")
    result = run("deploy", "-s", str(root), *args)
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if ITEMIZED.match(line)]


def sent_files(changes: list[str]) -> set[str]:
    return {line.split(" ", 1)[1] for line in changes if line[:2] in ("<f", ">f")}


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    """Return (inode, modification time) of every file: rsync replaces a file it sends, so both change."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def edit_one_essay_and_deploy(root: Path, target: Path) -> tuple[set[str], dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Deploy, edit one essay's text, deploy again; return the files sent, and the target's files before and after."""
    built, on_target = stats(root / "_site"), stats(target)
    (root / "essays/zweites.md").write_text(essay("Zweites Essay", date="2026-01-12", body="Ganz neu.", tags="[Nähe]"), "utf-8")
    changes = deploy(root)
    sent = sent_files(changes)
    assert len(changes) == len(sent), f"changes besides the sent files (folder times?): {changes}"
    rebuilt = stats(root / "_site")
    written = {rel for rel in rebuilt if rebuilt[rel] != built.get(rel)}
    assert written and sent == written, "rsync sent other files than those the build wrote"
    return sent, on_target, stats(target)


def test_a_deploy_copies_the_site_readable_by_the_web_server(tmp_path: Path) -> None:
    root = deploy_site(tmp_path, "../www")
    (root / "static").mkdir()
    (root / "static/.well-known").mkdir()
    (root / "static/.well-known/security.txt").write_text("Contact: mailto:test@example.org\n", encoding="utf-8")
    (root / "static/hände.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>\n", encoding="utf-8")
    old_umask = os.umask(0o077)  # an author whose files only they may read
    try:
        changes = deploy(root)
    finally:
        os.umask(old_umask)
    www = tmp_path / "www"
    assert tree_digest(www) == tree_digest(root / "_site")
    assert sent_files(changes) == set(tree_digest(www))
    assert (www / ".well-known/security.txt").exists() and "hände.svg" in sent_files(changes)
    modes = {p.relative_to(www).as_posix(): p.stat().st_mode & 0o777 for p in www.rglob("*")}
    assert {m for rel, m in modes.items() if (www / rel).is_file()} == {0o644}
    assert {m for rel, m in modes.items() if (www / rel).is_dir()} == {0o755}


def test_after_a_one_essay_edit_only_the_changed_files_are_sent(tmp_path: Path) -> None:
    root = deploy_site(tmp_path, "../www")
    deploy(root)
    www = tmp_path / "www"
    sent, before, after = edit_one_essay_and_deploy(root, www)
    assert "zweites-essay/index.html" in sent and "archiv/index.html" not in sent
    unchanged = set(before) - sent
    assert len(unchanged) > 10
    assert {rel: after[rel] for rel in unchanged} == {rel: before[rel] for rel in unchanged}
    assert all(after[rel] != before[rel] for rel in sent)
    assert "Ganz neu." in (www / "zweites-essay/index.html").read_text(encoding="utf-8")
    assert deploy(root) == [], "a deploy with nothing new changed something"


def test_files_the_site_no_longer_has_are_deleted_and_a_dry_run_changes_nothing(tmp_path: Path) -> None:
    root = deploy_site(tmp_path, "../www")
    deploy(root)
    www = tmp_path / "www"
    (root / "essays/drittes.md").unlink()
    before = tree_digest(www)
    planned = deploy(root, "--dry-run")
    assert "*deleting   drittes-essay/index.html" in planned
    assert tree_digest(www) == before
    assert deploy(root) == planned
    assert not (www / "drittes-essay").exists()
    assert tree_digest(www) == tree_digest(root / "_site")


def test_a_link_out_of_the_site_is_never_followed(tmp_path: Path) -> None:
    root = deploy_site(tmp_path, "../www")
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM", encoding="utf-8")
    run("build", "-s", str(root))
    (root / "_site/geheim.txt").symlink_to(secret)  # a file ssg did not make, kept in the output folder
    deploy(root)
    assert not (tmp_path / "www/geheim.txt").exists() and not (tmp_path / "www/geheim.txt").is_symlink()


def test_a_failing_build_leaves_the_target_untouched(tmp_path: Path) -> None:
    root = deploy_site(tmp_path, "../www")
    deploy(root)
    before = stats(tmp_path / "www")
    (root / "essays/erstes.md").write_text("---\ntitle: Kaputt\ndate: 2026-01-10\ntags: [a\n---\n", encoding="utf-8")
    result = run("deploy", "-s", str(root))
    assert result.exit_code == 1 and "essays/erstes.md:" in result.stderr and "Traceback" not in result.output
    assert stats(tmp_path / "www") == before


def test_deploy_over_ssh_sends_only_what_changed(tmp_path: Path, sshd: Sshd) -> None:
    remote = tmp_path / "server/www"
    remote.parent.mkdir()
    root = deploy_site(tmp_path, f"{getpass.getuser()}@127.0.0.1:{remote}", sshd.ssh_command())
    first = deploy(root)
    assert first and all(line.startswith(("<f", "cd")) for line in first), first  # sent, not received
    assert tree_digest(remote) == tree_digest(root / "_site")
    sent, before, after = edit_one_essay_and_deploy(root, remote)
    assert {rel: after[rel] for rel in set(before) - sent} == {rel: before[rel] for rel in set(before) - sent}
    assert tree_digest(remote) == tree_digest(root / "_site")


def test_an_unreachable_server_is_one_line_and_exit_1(tmp_path: Path, sshd: Sshd) -> None:
    require("rsync")
    closed = free_port()
    root = deploy_site(tmp_path, "127.0.0.1:/srv/journal", sshd.ssh_command(port=closed))
    result = run("deploy", "-s", str(root))
    assert result.exit_code == 1
    # rsync exits with ssh's 255, or with 12 when it notices the closed connection first: the words are the same.
    expected = (
        r"127\.0\.0\.1:/srv/journal: ssh could not connect to the server or log in "
        rf"\(rsync exit (255|12): ssh: connect to host 127\.0\.0\.1 port {closed}: Connection refused\)\n"
    )
    assert re.fullmatch(expected, result.stderr), result.stderr
