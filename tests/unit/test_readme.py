"""The README's commands and examples are true: CI runs its test command, its YAML parses as written."""

from __future__ import annotations

import re
from pathlib import Path

from ssg import yamlload
from ssg.config import load_config
from ssg.content.reader import Reader
from ssg.content.worksheet import parse_worksheet
from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", README, flags=re.S)


def yaml_block(marker: str) -> str:
    return next(body for lang, body in BLOCKS if lang == "yaml" and body.startswith(marker))


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second() -> None:
    assert README.startswith("# ")
    first, second = BLOCKS[0], BLOCKS[1]
    assert first[0] == second[0] == "sh"
    assert "ssg build" in first[1] and "pytest" in second[1]
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert second[1].strip() in ci


def test_worksheet_example_parses_without_problems() -> None:
    data = yamlload.load(yaml_block("worksheet:"))
    reader = Reader("README.md")
    sheet = parse_worksheet(data["worksheet"], 1, "Essay", reader)
    assert reader.problems == []
    assert sheet is not None and sheet.score is not None
    assert [f.type for f in sheet.fields][:3] == ["number", "number", "computed"]
    assert sheet.total({"likes": 5, "erreichbar": 5, "geplant": 1}) == 15


def test_site_yml_reference_loads_without_warnings(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text(yaml_block("title:"), encoding="utf-8")
    config, warnings = load_config(tmp_path)
    assert warnings == []
    assert config.base_path == "/"
    assert config.urls.worksheet == "arbeitsblatt"


def test_every_custom_property_of_the_theme_is_documented() -> None:
    css = (REPO / "themes" / "default" / "static" / "style.css").read_text(encoding="utf-8")
    section = README.split("## Making the theme your own", 1)[1].split("\n## ", 1)[0]
    defined = set(re.findall(r"^\s*(--[a-z-]+):", css, flags=re.M))
    documented = set(re.findall(r"`(--[a-z-]+)`", section))
    assert defined and defined <= documented, sorted(defined - documented)
