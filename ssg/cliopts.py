"""Click options shared by several commands (cli.py and serve/command.py)."""

from __future__ import annotations

from pathlib import Path

import click

SITE_OPTION = click.option(
    "-s",
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder holding site.yml and essays/.",
)
