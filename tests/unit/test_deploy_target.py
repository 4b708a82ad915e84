"""Deploy targets as authors write them, and the rsync command and failure messages made from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssg.deploy import explain_failure, rsync_command
from ssg.targets import Target, parse_target

ROOT = Path("/home/autor/journal")
OUTPUT = ROOT / "_site"


@pytest.mark.parametrize(
    ("text", "user", "host", "path", "destination"),
    [
        ("autor@example.org:/var/www/journal", "autor", "example.org", "/var/www/journal", "autor@example.org:/var/www/journal/"),
        ("example.org:/srv/site/", None, "example.org", "/srv/site/", "example.org:/srv/site/"),
        ("web-1.example.org:public_html", None, "web-1.example.org", "public_html", "web-1.example.org:public_html/"),
        ("deploy@[2001:db8::1]:/srv/site", "deploy", "[2001:db8::1]", "/srv/site", "deploy@[2001:db8::1]:/srv/site/"),
        ("meinserver:/srv/ordner mit leerzeichen", None, "meinserver", "/srv/ordner mit leerzeichen", "meinserver:/srv/ordner mit leerzeichen/"),
    ],
)
def test_server_targets(text: str, user: str | None, host: str, path: str, destination: str) -> None:
    target = parse_target(text, ROOT, OUTPUT)
    assert (target.user, target.host, target.path, target.remote) == (user, host, path, True)
    assert target.rsync_destination == destination


@pytest.mark.parametrize(("text", "folder"), [("../www", "/home/autor/www"), ("/var/www/journal", "/var/www/journal")])
def test_folder_targets_are_taken_from_the_site_folder(text: str, folder: str) -> None:
    target = parse_target(text, ROOT, OUTPUT)
    assert not target.remote and target.path == folder
    assert target.rsync_destination == folder + "/"


def test_a_colon_after_a_slash_is_part_of_a_folder_name_as_for_rsync(tmp_path: Path) -> None:
    target = parse_target("../www/a:b", tmp_path / "journal", tmp_path / "journal/_site")
    assert not target.remote and target.path == str(tmp_path.resolve() / "www/a:b")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty: name a folder or user@host:/var/www/site"),
        ("   ", "is empty"),
        ("example.org:", "'example.org:' names no folder of its own on example.org"),
        ("example.org:/", "names no folder of its own on example.org"),
        ("autor@example.org:~", "names no folder of its own"),
        ("example.org:.", "names no folder of its own"),
        ("rsync://example.org/site", "rsync daemon address"),
        ("example.org::site", "rsync daemon address"),
        ("autor@[2001:db8::1]::site", "rsync daemon address"),
        ("-oProxyCommand=touch_x:/srv", "is neither a folder nor a server folder"),
        ("-l@example.org:/srv", "is neither a folder nor a server folder"),
        ("a b:/srv", "is neither a folder nor a server folder"),
        ("host\n:/srv", "control character"),
        (".", "is or holds the site folder"),
        ("/", "is or holds the site folder"),
        ("/home/autor", "is or holds the site folder"),
        ("public", "is or holds the site folder, or is inside it"),
        ("_site", "is or holds the site folder, or is inside it"),
    ],
)
def test_targets_that_cannot_work_or_would_delete_too_much_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_target(text, ROOT, OUTPUT)


def test_an_output_folder_outside_the_site_is_protected_too(tmp_path: Path) -> None:
    root, output = tmp_path / "journal", tmp_path / "public"
    for text in ("../public", "../public/deeper", str(tmp_path)):
        with pytest.raises(ValueError, match="folder"):
            parse_target(text, root, output)
    assert parse_target("../www", root, output).path == str((tmp_path / "www").resolve())


def test_rsync_command_for_a_folder() -> None:
    target = Target("../www", "/home/autor/www")
    assert rsync_command("/usr/bin/rsync", OUTPUT, target) == [
        "/usr/bin/rsync",
        "--recursive",
        "--links",
        "--safe-links",
        "--times",
        "--omit-dir-times",
        "--perms",
        "--chmod=D755,F644",
        "--delay-updates",
        "--delete-delay",
        "--itemize-changes",
        "--8-bit-output",
        "--",
        "/home/autor/journal/_site/",
        "/home/autor/www/",
    ]


def test_rsync_command_for_a_server_compresses_and_takes_the_ssh_command() -> None:
    target = parse_target("autor@example.org:/var/www/journal", ROOT, OUTPUT)
    command = rsync_command("rsync", OUTPUT, target, "ssh -p 2222", dry_run=True)
    assert "--checksum" not in command and "--copy-links" not in command
    assert command[-7:] == [
        "--compress",
        "--rsh",
        "ssh -p 2222",
        "--dry-run",
        "--",
        "/home/autor/journal/_site/",
        "autor@example.org:/var/www/journal/",
    ]
    # Without an ssh command rsync uses its own default ($RSYNC_RSH, or ssh).
    assert "--rsh" not in rsync_command("rsync", OUTPUT, target)


def test_failures_are_explained_in_words_with_the_line_that_says_most() -> None:
    stderr = (
        "ssh: connect to host example.org port 22: Connection refused\n"
        "rsync: connection unexpectedly closed (0 bytes received so far) [sender]\n"
        "rsync error: unexplained error (code 255) at io.c(232) [sender=3.2.7]\n"
    )
    assert explain_failure(255, stderr) == (
        "ssh could not connect to the server or log in "
        "(rsync exit 255: ssh: connect to host example.org port 22: Connection refused)"
    )
    # rsync may notice the closed connection before ssh's exit code: the words follow what ssh said.
    early = "ssh: connect to host example.org port 22: Connection refused\nrsync error: error in rsync protocol data stream (code 12)\n"
    assert explain_failure(12, early).startswith("ssh could not connect to the server or log in (rsync exit 12: ssh: connect")
    denied = "Warning: Permanently added 'example.org'\nautor@example.org: Permission denied (publickey).\n"
    assert explain_failure(255, denied) == (
        "ssh could not connect to the server or log in (rsync exit 255: autor@example.org: Permission denied (publickey).)"
    )
    missing_remote = "bash: line 1: rsync: command not found\nrsync: connection unexpectedly closed\n"
    assert explain_failure(12, missing_remote).startswith("the connection broke off, or rsync is not installed on the server")
    assert "rsync: command not found" in explain_failure(12, missing_remote)
    assert explain_failure(23, "").startswith("some files could not be copied (rsync exit 23)")
    assert explain_failure(99, "rsync error: something\n") == "rsync failed (rsync exit 99: rsync error: something)"
