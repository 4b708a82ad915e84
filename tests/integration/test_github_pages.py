"""`ssg init --github-pages`: a workflow that builds the site with ssg and publishes its output folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ssg import __version__
from ssg.errors import SsgError
from ssg.provenance import installer_from, ssg_installer
from ssg.scaffold import write_github_pages_workflow
from tests.helpers import REPO, SITE_YML, make_site, run

WORKFLOW = Path(".github/workflows/pages.yml")


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


GIT = {"url": "https://example.org/tools/ssg.git", "vcs_info": {"vcs": "git", "commit_id": "0a1b2c", "requested_revision": "v1"}}


@pytest.mark.parametrize(("record", "line"), [
    (GIT, 'pip install "ssg @ git+https://example.org/tools/ssg.git@0a1b2c"'),
    ({"url": "https://example.org/dl/ssg-0.1.0.tar.gz", "archive_info": {}}, 'pip install "ssg @ https://example.org/dl/ssg-0.1.0.tar.gz"'),
    (None, f'pip install "ssg=={__version__}"'),  # from a package index: the version installed here
])
def test_the_workflow_installs_the_ssg_that_made_it(tmp_path: Path, record: dict[str, Any] | None, line: str) -> None:
    make_site(tmp_path, {})
    path, unknown = write_github_pages_workflow(tmp_path, installer_from(record))
    assert unknown is None
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    build = steps(workflow, "build")
    assert [s.get("uses", s.get("run")) for s in build] == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        line,
        "ssg build",
        "actions/upload-pages-artifact@v3",
    ]


def test_a_repository_holding_ssg_itself_installs_that_source(tmp_path: Path) -> None:
    make_site(tmp_path, {})
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "ssg"\n', encoding="utf-8")
    (tmp_path / "ssg").mkdir()
    (tmp_path / "ssg" / "__init__.py").write_text("", encoding="utf-8")
    assert ssg_installer(tmp_path).requirement == "."
    path, unknown = write_github_pages_workflow(tmp_path)
    assert unknown is None and '- run: pip install "."' in path.read_text(encoding="utf-8")
    assert ssg_installer(REPO).requirement == "."  # the author's repository is one


@pytest.mark.parametrize("record", [{"url": "file:///home/me/ssg", "dir_info": {"editable": True}},
                                    {"url": "file:///tmp/ssg-0.1.0.whl", "archive_info": {}},
                                    {"url": "file:///home/me/ssg", "vcs_info": {"vcs": "git", "commit_id": "0a1b2c"}}])
def test_an_ssg_from_this_machine_only_makes_a_step_that_fails_and_says_what_to_edit(tmp_path: Path, record: dict[str, Any]) -> None:
    make_site(tmp_path, {})
    path, unknown = write_github_pages_workflow(tmp_path, installer_from(record))
    text = path.read_text(encoding="utf-8")
    assert "/home/me" not in text and "/tmp/" not in text  # no path of this machine goes into the repository
    assert unknown is not None and unknown.line is not None
    step = text.splitlines()[unknown.line - 1]
    assert "exit 1" in step and "where pip gets ssg" in step
    assert "PyPI's \"ssg\" is another project" in text
    assert not any("pip install" in s.get("run", "") for s in steps(yaml.safe_load(text), "build"))


def test_init_with_github_pages_writes_a_workflow_that_builds_and_publishes_the_output(tmp_path: Path) -> None:
    site = tmp_path / "journal"
    result = run("init", str(site), "--github-pages")
    assert result.exit_code == 0, result.output
    assert f"Created {site / WORKFLOW}" in result.output
    workflow = yaml.safe_load((site / WORKFLOW).read_text(encoding="utf-8"))
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true; GitHub does not
    build = steps(workflow, "build")
    assert [s.get("uses") for s in build] == ["actions/checkout@v4", "actions/setup-python@v5", None, None, "actions/upload-pages-artifact@v3"]
    assert build[3]["run"] == "ssg build"
    installer = ssg_installer(site)  # this test's ssg runs from a checkout: no source GitHub could reach
    if installer.requirement is None:
        assert f"Warning: {site / WORKFLOW}:" in result.output and "where pip gets ssg" in result.output
    else:
        assert build[2]["run"] == f'pip install "{installer.requirement}"'
    assert build[1]["with"]["python-version"] == "3.11"
    assert build[-1]["with"]["path"] == "_site" and "output: _site" in (site / "site.yml").read_text(encoding="utf-8")
    assert steps(workflow, "deploy")[0]["uses"] == "actions/deploy-pages@v4"
    # Only the job that publishes may publish; the one running what pip installs reads the repository.
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_the_workflow_publishes_the_sites_own_output_folder(tmp_path: Path) -> None:
    make_site(tmp_path, {}, SITE_YML + "output: öffentlich/web\n")
    path, _ = write_github_pages_workflow(tmp_path)
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
    assert run("init", str(tmp_path / "journal")).exit_code == 0
    path, _ = write_github_pages_workflow(tmp_path / "journal", installer_from(GIT))
    written = path.read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = [body for body in re.findall(r"```yaml\n(.*?)```", readme, flags=re.S) if "upload-pages-artifact" in body]
    assert shown == [written]
