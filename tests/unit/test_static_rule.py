"""Which files of a static folder a build publishes: what hosts read, never editor or system litter."""

from __future__ import annotations

import pytest

from ssg.static_files import is_published, unpublished_reason


@pytest.mark.parametrize(
    "rel",
    [
        ".well-known/security.txt",
        ".well-known/acme-challenge/Xk3-token",
        ".htaccess",
        "bilder/.htaccess",
        ".nojekyll",
        "CNAME",
        "_redirects",
        "_headers",
        "robots.txt",
        "bilder/hände.jpg",
        "favicon.ico",
        "notiz.txt.bak.html",
        "#",
    ],
)
def test_host_files_and_ordinary_files_are_published(rel: str) -> None:
    assert is_published(rel), unpublished_reason(rel)


@pytest.mark.parametrize(
    ("rel", "reason"),
    [
        (".DS_Store", "a file the operating system leaves"),
        ("bilder/.DS_Store", "a file the operating system leaves"),
        ("Thumbs.db", "a file the operating system leaves"),
        ("bilder/thumbs.DB", "a file the operating system leaves"),
        ("desktop.ini", "a file the operating system leaves"),
        ("Desktop.ini", "a file the operating system leaves"),
        ("style.css.swp", "an editor's swap or backup file"),
        (".style.css.swp", "an editor's swap or backup file"),
        ("style.css.swo", "an editor's swap or backup file"),
        ("style.css~", "an editor's swap or backup file"),
        ("#style.css#", "an editor's swap or backup file"),
        (".#style.css", "a hidden file"),
        (".env", "a hidden file"),
        (".gitignore", "a hidden file"),
        (".htpasswd", "a hidden file"),
        (".git/config", "in the hidden folder .git/"),
        ("bilder/.thumbnails/a.png", "in the hidden folder .thumbnails/"),
        (".well-known/.DS_Store", "a file the operating system leaves"),
        (".well-known/.git/HEAD", "in the hidden folder .git/"),
    ],
)
def test_litter_and_private_files_are_not_published(rel: str, reason: str) -> None:
    assert unpublished_reason(rel) == reason
    assert not is_published(rel)
