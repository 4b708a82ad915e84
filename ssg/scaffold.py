"""`ssg init` and `ssg new`: start a site, start an essay. Never overwrites."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from ssg import __version__, urls
from ssg.config import load_config
from ssg.errors import Problem, SsgError

SITE_YML = """\
# Settings of your site. Every key is explained in ssg's README ("site.yml reference").
title: {title}
description: Essays, Fragen zur Reflexion und Arbeitsblätter.
base_url: https://example.org/
language: de
timezone: Europe/Berlin
author:
  name: Der Autor
  email: autor@example.org
  # public_key_url: https://example.org/autor.asc
  # messenger: "Threema: ABCD1234"
theme: default
output: _site
"""

EXAMPLE_ESSAY = """\
---
title: Willkommen
date: {today}
tags: ["Anfang"]
summary: Das erste Essay dieses Journals.
prompts:
  - "Was möchte ich hier festhalten?"
  - text: "Wofür nehme ich mir diese Woche bewusst Zeit?"
    hint: "Ein Satz genügt."
worksheet:
  title: "Wie geht es mir heute?"
  fields:
    - id: ruhe
      type: scale
      label: "Ich fühle mich ausgeruht."
      left: "trifft nicht zu"
      right: "trifft voll zu"
    - id: fokus
      type: scale
      label: "Ich weiß, was heute wichtig ist."
      left: "trifft nicht zu"
      right: "trifft voll zu"
    - id: notiz
      type: text
      label: "Was beschäftigt mich?"
      lines: 4
  score:
    label: "Ihr Ergebnis"
    sum: [ruhe, fokus]
    bands:
      - range: [2, 5]
        title: "Zeit zum Durchatmen"
        text: "Gönnen Sie sich heute eine Pause."
      - range: [6, 10]
        title: "Gut aufgestellt"
        text: "Sie starten mit Klarheit in den Tag."
---

Hier beginnt Ihr Journal. Schreiben Sie in **Markdown**; `ssg serve` zeigt jede Änderung sofort.
"""

NEW_ESSAY = """\
---
title: {title}
date: {today}
draft: true          # remove this line (or set false) to publish
tags: []
summary: ""
prompts:
  - "Eine Frage zur Reflexion?"
# worksheet:
#   title: "Titel des Arbeitsblatts"
#   fields:
#     - id: beispiel
#       type: scale        # text, scale, choice, number or computed
#       label: "Eine Aussage, die man einschätzt."
#       left: "trifft nicht zu"
#       right: "trifft voll zu"
#     - id: gedanken
#       type: text
#       label: "Was nehme ich mit?"
#       lines: 4
---

Ihr Text.
"""


GITHUB_PAGES_WORKFLOW = """\
# Publishes the site with GitHub Pages whenever main changes, and by hand (Actions > Publish > Run workflow).
# Once, in the repository's Settings > Pages, set "Source" to "GitHub Actions", and set base_url in
# site.yml to the site's address (https://USER.github.io/REPOSITORY/, or your own domain).
# The built folder goes up as it is, without Jekyll: the static folder needs no .nojekyll.
name: Publish
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      # ssg, pinned to the version this site was made with. If you get ssg from its git repository
      # instead of PyPI: pip install "ssg @ git+https://HOST/PATH/ssg.git@vVERSION"
      - run: pip install "ssg==VERSION"
      - run: ssg build
      - uses: actions/upload-pages-artifact@v3
        with:
          path: OUTPUT
  deploy:
    needs: build
    # Only this job may publish: the build job runs what pip installs.
    permissions:
      pages: write
      id-token: write
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def write_github_pages_workflow(folder: Path) -> Path:
    """Write .github/workflows/pages.yml, which builds the site in `folder` and publishes it; never overwrite."""
    config, _ = load_config(folder)
    path = folder / ".github" / "workflows" / "pages.yml"
    if path.exists():
        raise SsgError([Problem(str(path), None, "already exists; nothing was changed")])
    output = os.path.relpath(config.output, config.root).replace(os.sep, "/")
    text = GITHUB_PAGES_WORKFLOW.replace("VERSION", __version__).replace("OUTPUT", _yaml_text(output))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def init_site(folder: Path, title: str, today: date) -> list[Path]:
    """Create a new site in `folder`; refuse if one is already there."""
    site_yml = folder / "site.yml"
    if site_yml.exists():
        raise SsgError([Problem(str(site_yml), None, "a site already exists here; nothing was changed")])
    essays = folder / "essays"
    essays.mkdir(parents=True, exist_ok=True)
    example = essays / "willkommen.md"
    site_yml.write_text(SITE_YML.format(title=_yaml_text(title)), encoding="utf-8")
    if not example.exists():
        example.write_text(EXAMPLE_ESSAY.format(today=today.isoformat()), encoding="utf-8")
    (folder / ".gitignore").write_text("_site/\n.ssg-cache/\n", encoding="utf-8")
    return [site_yml, example]


def new_essay(root: Path, title: str, today: date) -> Path:
    """Create essays/<slug>.md with a front-matter skeleton; refuse to overwrite."""
    slug = urls.slug(title)
    if not slug:
        raise SsgError([Problem("essays/", None, f"cannot make a file name from the title {title!r}")])
    if not (root / "site.yml").is_file():
        raise SsgError([Problem(str(root), None, "no site.yml here (is this a site folder? ssg init makes one)")])
    config, _ = load_config(root)
    if slug in urls.reserved_segments(config.urls):
        message = f"the title makes the URL /{slug}/, which another page of the site has: choose another title"
        raise SsgError([Problem("essays/", None, message)])
    path = root / "essays" / f"{slug}.md"
    if path.exists():
        raise SsgError([Problem(str(path.relative_to(root)), None, "already exists; nothing was changed")])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NEW_ESSAY.format(title=_yaml_text(title), today=today.isoformat()), encoding="utf-8")
    return path


def _yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
