"""`ssg init` and `ssg new`: start a site, start an essay. Never overwrites."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from ssg import urls
from ssg.config import load_config
from ssg.errors import Problem, SsgError
from ssg.provenance import Installer, ssg_installer

STARTER = Path(__file__).resolve().parent / "starter"  # the standalone pages `ssg init` writes, by language
LANGUAGES = ("de", "en")

SITE_YML = {
    "de": """\
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
menu:
  - home
  - archive
  - tags
  - worksheets
  - page: ueber-mich
# Impressum and Datenschutzerklärung: a German site must link both from every page.
# Fill in every [BITTE ERGÄNZEN: …] in pages/ before the site goes online (ssg check lists them).
footer_menu:
  - impressum
  - datenschutz
""",
    "en": """\
# Settings of your site. Every key is explained in ssg's README ("site.yml reference").
title: {title}
description: Essays, questions for reflection and worksheets.
base_url: https://example.org/
language: en
timezone: Europe/London
author:
  name: The Author
  email: author@example.org
  # public_key_url: https://example.org/author.asc
theme: default
output: _site
menu:
  - home
  - archive
  - tags
  - worksheets
  - page: about
# A legal notice and a privacy policy, linked from every page (required in Germany and the EU for most sites).
# Fill in every [TO BE COMPLETED: …] in pages/ before the site goes online (ssg check lists them).
footer_menu:
  - legal-notice
  - privacy
""",
}

EXAMPLE_ESSAY = {
    "de": """\
---
title: Willkommen
slug: willkommen
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
""",
    "en": """\
---
title: Welcome
slug: welcome
date: {today}
tags: ["Beginnings"]
summary: The first essay of this journal.
prompts:
  - "What do I want to hold on to here?"
  - text: "What will I deliberately make time for this week?"
    hint: "One sentence is enough."
worksheet:
  title: "How am I today?"
  fields:
    - id: rest
      type: scale
      label: "I feel rested."
      left: "not at all"
      right: "completely"
    - id: focus
      type: scale
      label: "I know what matters today."
      left: "not at all"
      right: "completely"
    - id: note
      type: text
      label: "What is on my mind?"
      lines: 4
  score:
    label: "Your result"
    sum: [rest, focus]
    bands:
      - range: [2, 5]
        title: "Time to breathe"
        text: "Allow yourself a break today."
      - range: [6, 10]
        title: "Well prepared"
        text: "You start the day with clarity."
---

Your journal starts here. Write in **Markdown**; `ssg serve` shows every change at once.
""",
}

NEW_ESSAY = {
    "de": """\
---
title: {title}
slug: {slug}          # the address stays when the title changes
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
""",
    "en": """\
---
title: {title}
slug: {slug}          # the address stays when the title changes
date: {today}
draft: true          # remove this line (or set false) to publish
tags: []
summary: ""
prompts:
  - "A question for reflection?"
# worksheet:
#   title: "Title of the worksheet"
#   fields:
#     - id: example
#       type: scale        # text, scale, choice, number or computed
#       label: "A statement to rate."
#       left: "not at all"
#       right: "completely"
#     - id: thoughts
#       type: text
#       label: "What do I take away?"
#       lines: 4
---

Your text.
""",
}

NEW_PAGE = {
    "de": """\
---
title: {title}
description: ""
# prompts:
#   - "Eine Frage zur Reflexion?"
---

Ihr Text.
""",
    "en": """\
---
title: {title}
description: ""
# prompts:
#   - "A question for reflection?"
---

Your text.
""",
}

# What `ssg new` leaves for the author to replace: an essay still holding one of these is not written yet.
PLACEHOLDER_TEXTS = frozenset({"Ihr Text.", "Your text.", "Eine Frage zur Reflexion?", "A question for reflection?"})


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
INSTALL
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


def write_github_pages_workflow(folder: Path, installer: Installer | None = None) -> tuple[Path, Problem | None]:
    """Write .github/workflows/pages.yml, which builds the site in `folder` and publishes it; never overwrite.

    Return the file and, when it cannot know where a runner gets ssg from, the warning that says what to edit.
    """
    config, _ = load_config(folder)
    path = folder / ".github" / "workflows" / "pages.yml"
    if path.exists():
        raise SsgError([Problem(str(path), None, "already exists; nothing was changed")])
    installer = installer or ssg_installer(config.root)
    output = os.path.relpath(config.output, config.root).replace(os.sep, "/")
    text = GITHUB_PAGES_WORKFLOW.replace("INSTALL", _install_step(installer)).replace("OUTPUT", _yaml_text(output))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if installer.requirement is not None:
        return path, None
    line = text[: text.index(UNKNOWN_SOURCE)].count("\n") + 1
    return path, Problem(str(path), line, "does not say where pip gets ssg: replace this step with ssg's source")


UNKNOWN_SOURCE = "- run: echo "


def _install_step(installer: Installer) -> str:
    """Return the workflow's step that installs ssg, with a comment that says where it comes from."""
    if installer.requirement is not None:
        return f"      # ssg: {installer.why}.\n      - run: pip install {_yaml_text(installer.requirement)}"
    return (
        f"      # ssg: {installer.why}.\n"
        "      # Replace the next line with where pip gets ssg, for example\n"
        '      #   - run: pip install "ssg @ git+https://HOST/PATH/ssg.git@COMMIT"\n'
        "      # (not plain `pip install ssg`: PyPI's \"ssg\" is another project).\n"
        f'      {UNKNOWN_SOURCE}"This workflow does not say where pip gets ssg (see its comment)" >&2 && exit 1'
    )


def skeleton_language(language: str) -> str:
    """Return the language of the skeletons for a site in `language`: German or English."""
    return "de" if language.split("-")[0].lower() == "de" else "en"


def init_site(folder: Path, title: str, today: date, language: str = "de") -> list[Path]:
    """Create a new site in `folder` (site.yml, an example essay, the standalone pages and their menus, in
    `language`); refuse if one is already there, and never overwrite a file."""
    site_yml = folder / "site.yml"
    if site_yml.exists():
        raise SsgError([Problem(str(site_yml), None, "a site already exists here; nothing was changed")])
    essays = folder / "essays"
    essays.mkdir(parents=True, exist_ok=True)
    site_yml.write_text(SITE_YML[language].format(title=_yaml_text(title)), encoding="utf-8")
    made = [site_yml]
    example = essays / ("willkommen.md" if language == "de" else "welcome.md")
    files = [(example, EXAMPLE_ESSAY[language].format(today=today.isoformat()))]
    starters = sorted((STARTER / language).glob("*.md"))
    files += [(folder / "pages" / p.name, p.read_text(encoding="utf-8")) for p in starters]
    for path, text in files:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            made.append(path)
    (folder / ".gitignore").write_text("_site/\n.ssg-cache/\n", encoding="utf-8")
    return made


def new_essay(root: Path, title: str, today: date) -> Path:
    """Create essays/<slug>.md with a front-matter skeleton; refuse to overwrite."""
    path, slug, language = _new_file(root, title, "essays")
    text = NEW_ESSAY[language].format(title=_yaml_text(title), slug=slug, today=today.isoformat())
    path.write_text(text, encoding="utf-8")
    return path


def new_page(root: Path, title: str) -> Path:
    """Create <pages folder>/<slug>.md (a standalone page, no date) with a front-matter skeleton."""
    path, _slug, language = _new_file(root, title, None)
    path.write_text(NEW_PAGE[language].format(title=_yaml_text(title)), encoding="utf-8")
    return path


def _new_file(root: Path, title: str, folder: str | None) -> tuple[Path, str, str]:
    """Return where a new text of this title goes (essays/ or, for None, the pages folder), its slug and the
    language of its skeleton."""
    slug = urls.slug(title)
    if not (root / "site.yml").is_file():
        raise SsgError([Problem(str(root), None, "no site.yml here (is this a site folder? ssg init makes one)")])
    config, _ = load_config(root)
    folder = folder or config.pages
    if not slug:
        raise SsgError([Problem(f"{folder}/", None, f"cannot make a file name from the title {title!r}")])
    if slug in urls.reserved_segments(config.urls):
        message = f"the title makes the URL /{slug}/, which another page of the site has: choose another title"
        raise SsgError([Problem(f"{folder}/", None, message)])
    path = root / folder / f"{slug}.md"
    if path.exists():
        raise SsgError([Problem(str(path.relative_to(root)), None, "already exists; nothing was changed")])
    path.parent.mkdir(parents=True, exist_ok=True)
    return path, slug, skeleton_language(config.language)


def _yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
