"""The colour scheme switch: its script runs before the stylesheet, and the privacy texts name what it stores."""

from __future__ import annotations

import re
from pathlib import Path

from ssg.theme import builtin_theme_dir
from tests.helpers import REPO, essay, make_site, run

SCRIPT = builtin_theme_dir() / "static" / "theme.js"


def test_the_scheme_is_applied_before_the_stylesheet_loads(tmp_path: Path) -> None:
    """A deferred or later script would paint the page in the system's scheme first, then switch: a flash."""
    make_site(tmp_path, {"a.md": essay("A")})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    for page in ("index.html", "a/index.html", "404.html"):
        head = (tmp_path / "_site" / page).read_text(encoding="utf-8").split("</head>")[0]
        tags = re.findall(r"<script[^>]*>|<link rel=\"stylesheet\"[^>]*>", head)
        assert tags[0] == '<script src="/static/theme.js">', tags  # neither defer nor async
        assert "stylesheet" in tags[1], page
    assert (tmp_path / "_site" / "static" / "theme.js").is_file()


def test_every_privacy_text_names_the_entry_the_switch_stores() -> None:
    key = re.search(r'var KEY = "([^"]+)"', SCRIPT.read_text(encoding="utf-8"))
    assert key is not None
    for text in (REPO / "pages/datenschutz.md", REPO / "ssg/starter/de/datenschutz.md", REPO / "ssg/starter/en/privacy.md"):
        assert f"`{key.group(1)}`" in text.read_text(encoding="utf-8"), text
