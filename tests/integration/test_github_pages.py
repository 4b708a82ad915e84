"""`ssg init --github-pages`: a workflow that builds the site with ssg and publishes its output folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ssg import __version__
from ssg.errors import SsgError
from ssg.scaffold import write_github_pages_workflow
from tests.helpers import REPO, SITE_YML, make_site, run

WORKFLOW = Path(".github/workflows/pages.yml")


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def test_init_with_github_pages_writes_a_workflow_that_builds_and_publishes_the_output(tmp_path: Path) -> None:
    site = tmp_path / "journal"
    result = run("init", str(site), "--github-pages")
    assert result.exit_code == 0, result.output
    assert f"Created {site / WORKFLOW}" in result.output
    workflow = yaml.safe_load((site / WORKFLOW).read_text(encoding="utf-8"))
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true; GitHub does not
    build = steps(workflow, "build")
    assert [s.get("uses", s.get("run")) for s in build] == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        f'pip install "ssg=={__version__}"',
        "ssg build",
        "actions/upload-pages-artifact@v3",
    ]
    assert build[1]["with"]["python-version"] == "3.11"
    assert build[-1]["with"]["path"] == "_site" and "output: _site" in (site / "site.yml").read_text(encoding="utf-8")
    assert steps(workflow, "deploy")[0]["uses"] == "actions/deploy-pages@v4"
    # Only the job that publishes may publish; the one running what pip installs reads the repository.
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_the_workflow_publishes_the_sites_own_output_folder(tmp_path: Path) -> None:
    make_site(tmp_path, {}, SITE_YML + "output: öffentlich/web\n")
    path = write_github_pages_workflow(tmp_path)
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert steps(workflow, "build")[-1]["with"]["path"] == "öffentlich/web"


def test_an_existing_workflow_is_never_overwritten(tmp_path: Path) -> None:
    make_site(tmp_path, {})
    path = tmp_path / WORKFLOW
    path.parent.mkdir(parents=True)
    path.write_text("name: mine\n", encoding="utf-8")
    with pytest.raises(SsgError, match="already exists; nothing was changed"):
        write_github_pages_workflow(tmp_path)
    assert path.read_text(encoding="utf-8") == "name: mine\n"


def test_the_readme_shows_the_file_init_writes(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "journal"), "--github-pages").exit_code == 0
    written = (tmp_path / "journal" / WORKFLOW).read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = [body for body in re.findall(r"```yaml\n(.*?)```", readme, flags=re.S) if "upload-pages-artifact" in body]
    assert shown == [written]
