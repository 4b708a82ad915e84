"""`ssg check`: the build pipeline in memory plus links, anchors, origins and hints; it never writes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ssg.check import check_site
from ssg.config import load_config
from tests.helpers import REPO, SITE_YML, essay, make_site, run, tree_digest

SUB_PATH_YML = SITE_YML.replace("https://example.org/", "https://example.org/journal/")

ZWEI = essay("Zwei", summary="Die zweite.", body="## Abschnitt\n\nText mit Fußnote.[^1]\n\n[^1]: Die Fußnote.\n")


def check(root: Path, *args: str) -> tuple[int, str]:
    """Run ssg check; most tests read its grouped view (one header per file), where a file's problems stand together."""
    if "--format" not in args:
        args = (*args, "--format", "grouped")
    result = run("check", "-s", str(root), *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def site_digest(root: Path) -> dict[str, str]:
    return {k: v for k, v in tree_digest(root).items() if not k.startswith(".ssg-cache/")}


def test_author_site_is_clean_but_for_the_placeholders_only_the_author_can_fill_in(tmp_path: Path) -> None:
    shutil.copy(REPO / "site.yml", tmp_path / "site.yml")
    shutil.copytree(REPO / "essays", tmp_path / "essays")
    shutil.copytree(REPO / "pages", tmp_path / "pages")
    code, output = check(tmp_path, "--format", "json")
    problems = json.loads(output)
    assert code == 0
    assert {(p["path"], p["severity"]) for p in problems} == {
        ("pages/datenschutz.md", "warning"), ("pages/impressum.md", "warning"), ("pages/ueber-mich.md", "warning")
    }
    assert all("placeholders to fill in ([BITTE ERGÄNZEN:" in p["message"] for p in problems)
    # Once the author has filled them in, nothing is left, even when strict.
    for page in (tmp_path / "pages").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"\[BITTE ERGÄNZEN:[^\]]*\]", "Angabe", text), encoding="utf-8")
    code, output = check(tmp_path, "--strict")
    assert (code, output.strip()) == (0, "No problems found.")


def test_working_links_of_every_kind_pass(tmp_path: Path) -> None:
    body = """\
        Nach [oben](#top), zur [Fußnote](/zwei/#fn1), zum [Abschnitt](/zwei/#abschnitt), [relativ](../zwei/),
        [ohne Schrägstrich](/zwei), [Archiv](/archiv/), [Feed](/feed.xml), [extern](https://example.com/x.js),
        [Mail](mailto:a@example.org), ![Ein Bild](/bilder/foto.jpg) und ![Daten](data:image/gif;base64,R0lGOD==).

        <img src="/journal/bilder/foto.jpg" alt="">
        """
    make_site(tmp_path, {"eins.md": essay("Eins", summary="S.", body=body), "zwei.md": ZWEI}, SUB_PATH_YML)
    (tmp_path / "static/bilder").mkdir(parents=True)
    (tmp_path / "static/bilder/foto.jpg").write_bytes(b"\xff\xd8")
    code, output = check(tmp_path, "--strict")
    assert code == 0, output


def test_broken_links_and_anchors_name_the_essay_line(tmp_path: Path) -> None:
    body = """\
        Erste Zeile.

        Siehe [x](/andere-seite/#abschnitt) und
        [kaputt](/zwei/#nirgends) und [gut](/zwei/#abschnitt).

        - Liste mit [relativ](../fehlt/)
        """
    make_site(tmp_path, {"eins.md": essay("Eins", summary="S.", body=body), "zwei.md": ZWEI}, SUB_PATH_YML)
    code, output = check(tmp_path)
    assert code == 1
    assert "essays/eins.md\n" in output
    assert "  9: broken link '/andere-seite/#abschnitt': the site has no page /andere-seite/" in output
    assert "  10: broken anchor '/zwei/#nirgends': /zwei/ has no id 'nirgends'" in output
    assert "  12: broken link '../fehlt/'" in output
    assert "#abschnitt'" not in output.replace("/andere-seite/#abschnitt'", "")
    assert "3 errors, 0 warnings in 1 file." in output


def test_links_to_essay_source_files(tmp_path: Path) -> None:
    body = "[da](zwei.md) [auch](./zwei.md#abschnitt) [fehlt](drei.md)\n\n[Entwurf](entwurf.md)\n"
    essays = {
        "eins.md": essay("Eins", summary="S.", body=body),
        "zwei.md": ZWEI,
        "entwurf.md": essay("Entwurf", summary="S.", draft="true"),
    }
    make_site(tmp_path, essays)
    code, output = check(tmp_path)
    assert code == 1
    assert "7: link to the file 'zwei.md' does not work on the site: link to the essay's URL '/zwei/'" in output
    assert "7: link to the file './zwei.md#abschnitt' does not work" in output
    assert "7: link to 'drei.md': there is no essay essays/drei.md" in output
    assert "9: link to essays/entwurf.md, which is not published (a draft or dated in the future)" in output


def test_images_need_a_file_and_alt_text(tmp_path: Path) -> None:
    body = '![](/bilder/da.jpg)\n\n![Foto](/bilder/fehlt.jpg)\n\n<img src="/bilder/da.jpg">\n'
    make_site(tmp_path, {"eins.md": essay("Eins", summary="S.", body=body)})
    (tmp_path / "static/bilder").mkdir(parents=True)
    (tmp_path / "static/bilder/da.jpg").write_bytes(b"\xff\xd8")
    code, output = check(tmp_path)
    assert code == 1
    assert "  7: warning: image '/bilder/da.jpg' has no alt text" in output
    assert (
        "  9: missing file '/bilder/fehlt.jpg': nothing in the site's static/ folder makes /bilder/fehlt.jpg" in output
    )
    assert "  11: warning: image '/bilder/da.jpg' has no alt text" in output


def test_resources_from_other_sites_are_errors_plain_links_are_fine(tmp_path: Path) -> None:
    body = """\
        [Ein Link](https://example.com/seite/) ist erlaubt.

        ![Logo](https://cdn.example.com/logo.png)

        <script src="https://cdn.example.com/x.js"></script>
        <iframe src="//video.example.net/embed/1" title="Video"></iframe>
        <p style="background: url('https://img.example.net/bg.png')">Text</p>
        """
    make_site(tmp_path, {"eins.md": essay("Eins", summary="S.", body=body)})
    code, output = check(tmp_path)
    assert code == 1
    assert "example.com/seite" not in output
    for line, what in [
        (9, "<img> 'https://cdn.example.com/logo.png'"),
        (11, "<script>"),
        (12, "<iframe>"),
        (13, "CSS resource (font or image) 'https://img.example.net/bg.png'"),
    ]:
        assert f"  {line}: {what}" in output, output
    assert output.count("readers were promised no third-party requests") == 4


def test_quieter_ways_to_reach_another_site_are_errors_too(tmp_path: Path) -> None:
    body = """\
        <base href="https://e1.example/">

        <a href="/" ping="/zaehler https://e2.example/ping">Start</a>

        <p style='background: image-set("https://e3.example/a.png" 1x, "/static/b.png" 2x)'>Bild</p>

        <meta http-equiv="refresh" content="0; url=https://e4.example/">

        <form action="https://e5.example/senden"><button formaction="https://e6.example/">Los</button></form>

        <img src="\\\\e7.example/x.png" alt="Ein Bild">
        """
    make_site(tmp_path, {"eins.md": essay("Eins", summary="S.", body=body)})
    code, output = check(tmp_path)
    assert code == 1
    for line, what in [
        (7, "<base>, against which the page's relative URLs load, 'https://e1.example/'"),
        (9, "<a> 'https://e2.example/ping'"),
        (11, "CSS resource (font or image) 'https://e3.example/a.png'"),
        (13, "automatic redirect (<meta http-equiv=refresh>) 'https://e4.example/'"),
        (15, "form target 'https://e5.example/senden'"),
        (15, "<button> 'https://e6.example/'"),
    ]:
        assert f"  {line}: {what}" in output, output
    assert "e7.example/x.png' is loaded from another site (e7.example)" in output  # a backslash is a slash
    assert "missing file '/zaehler'" in output and "missing file '/static/b.png'" in output


def test_template_problems_name_a_built_page_once(tmp_path: Path) -> None:
    make_site(tmp_path, {"eins.md": essay("Eins", summary="S."), "zwei.md": ZWEI}, SITE_YML + "theme: mein\n")
    templates = tmp_path / "themes/mein/templates"
    templates.mkdir(parents=True)
    (templates / "base.html").write_text(
        '{% extends "!default/base.html" %}\n'
        '{% block head %}<link rel="stylesheet" href="https://fonts.example.com/css?family=Serif">{% endblock %}\n'
        "{% block scripts %}<a href=\"{{ '/impressum/' | url }}\">Impressum</a>"
        '<a href="kontakt/">Kontakt</a>{% endblock %}\n',
        encoding="utf-8",
    )
    code, output = check(tmp_path)
    assert code == 1
    assert "_site/404.html\n" in output
    assert "stylesheet or icon 'https://fonts.example.com/css?family=Serif' is loaded from another site" in output
    assert "broken link '/impressum/': the site has no page /impressum/ (and on " in output
    assert output.count("broken link '/impressum/'") == 1
    assert "relative link 'kontakt/' in the 404 page breaks" in output


def test_theme_stylesheet_fonts_from_other_sites_are_errors(tmp_path: Path) -> None:
    make_site(tmp_path, {"eins.md": essay("Eins", summary="S.")}, SITE_YML + "theme: mein\n")
    static = tmp_path / "themes/mein/static"
    static.mkdir(parents=True)
    (static / "style.css").write_text(
        '@import "https://fonts.example.com/font.css";\n@font-face { src: url(/static/fehlt.woff2); }\n', "utf-8"
    )
    code, output = check(tmp_path)
    assert code == 1
    assert "_site/static/style.css\n" in output
    assert "'https://fonts.example.com/font.css' is loaded from another site (fonts.example.com)" in output
    assert "missing file '/static/fehlt.woff2'" in output


def test_hints_are_warnings_and_strict_makes_them_fail(tmp_path: Path) -> None:
    essays = {
        "a.md": essay("Gleich", summary="S.", author="X"),
        "b.md": essay("gleich", slug="b", prompts="[]", worksheet=""),
    }
    make_site(tmp_path, essays)
    code, output = check(tmp_path)
    assert code == 0, output
    assert "  5: warning: unknown key 'author'" in output
    assert "essays/b.md\n  2: warning: no 'summary': lists, feeds and link previews have no description" in output
    assert "  2: warning: title 'gleich' is also the title of essays/a.md" in output
    assert "  5: warning: 'prompts' is empty" in output
    assert "  6: warning: 'worksheet' is empty" in output
    assert "0 errors, 5 warnings in 2 files." in output
    code, strict_output = check(tmp_path, "--strict")
    assert code == 1
    assert "5 errors, 0 warnings" in strict_output and "warning:" not in strict_output


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"a.md": "---\ntitle: X\ndate: 2026-01-01\ntags: [a, b\n---\n"}, "essays/a.md\n  4: YAML syntax error: the list opened with '[' here is not closed"),
        ({"a.md": "---\ntitle: X\n"}, "essays/a.md\n  1: front matter is not closed"),
        (
            {"a.md": essay("A", summary="S."), "b.md": essay("A", summary="S.")},
            "slug 'a' is already used by essays/a.md",
        ),
        ({"a.md": essay("A", worksheet="{fields: [{id: x, type: slider, label: L}]}")}, "unknown type 'slider'"),
    ],
)
def test_content_errors_are_reported_like_build(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    make_site(tmp_path, files)
    code, output = check(tmp_path)
    assert code == 1
    assert expected in output, output


def test_config_errors_and_a_dangerous_output_folder(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A", summary="S.")}, "title: T\nbase_url: example.org\n")
    code, output = check(tmp_path)
    assert code == 1 and "site.yml\n  2: base_url must be an absolute" in output
    make_site(tmp_path, {}, SITE_YML + "output: essays\n")
    code, output = check(tmp_path)
    assert code == 1 and "would overwrite the site's own files" in output


def test_json_format_lists_every_problem(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A", body="[x](/nirgends/)\n", colour="rot")})
    result = run("check", "-s", str(tmp_path), "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert {"path": "essays/a.md", "line": 7, "severity": "error", "message": problems[2]["message"]} == problems[2]
    assert [(p["line"], p["severity"]) for p in problems] == [(2, "warning"), (4, "warning"), (7, "error")]
    assert problems[2]["message"].startswith("broken link '/nirgends/'")


def test_check_writes_nothing(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A", summary="S.", body="[x](/nirgends/)\n")})
    before = site_digest(tmp_path)
    assert check(tmp_path)[0] == 1
    assert not (tmp_path / "_site").exists()
    assert site_digest(tmp_path) == before
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    built = site_digest(tmp_path)
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "_site").rglob("*")}
    assert check(tmp_path)[0] == 1
    assert site_digest(tmp_path) == built
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "_site").rglob("*")} == mtimes


def test_check_site_returns_problems_for_editors(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A", body="[x](/nirgends/)\n")})
    problems = check_site(tmp_path)
    assert [(p.path, p.line, p.severity) for p in problems] == [
        ("essays/a.md", 2, "warning"),
        ("essays/a.md", 6, "error"),
    ]
    assert load_config(tmp_path)[1] == []
    assert {p.severity for p in check_site(tmp_path, strict=True)} == {"error"}


README_ESSAYS = {
    "handschlag.md": """\
---
title: Nur ein Handschlag
date: 2026-03-12
summary: Über Begegnung.
colour: blau
---

Ein Handschlag sagt mehr als viele Worte. Wie im Essay über
[Erreichbarkeit](/erreichbarkeit/#planung) beschrieben, und in [Armband](armband.md).

![](/bilder/haende.jpg)

<script src="https://cdn.example.com/zaehler.js"></script>
""",
    "armband.md": "---\ntitle: Ein Armband im Krankenhaus\ndate: 2026-04-02\nprompts: []\n---\n\nText.\n",
}


def test_readme_example_output_is_what_check_prints(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```text\n\$ ssg check\n(.*?)```", readme, flags=re.S)
    assert example, "README.md has no ssg check example"
    site_yml = "title: Gedanken zur Reflexion\nbase_url: https://example.org/journal/\nlanguage: de\n"
    make_site(tmp_path, README_ESSAYS, site_yml)
    code, output = check(tmp_path, "--format", "text")
    assert code == 1
    assert output == example.group(1)
    # The default view: every problem on one line, `path:line: message`, as build prints them.
    problems = output.splitlines()[:-1]
    assert problems and all(re.match(r"[^\s:]+(:\d+)?: ", line) for line in problems)
    assert run("check", "-s", str(tmp_path)).output == output


def test_check_finds_what_drafts_and_future_essays_would_publish(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "a.md": essay("Entwurf", summary="S.", draft="true", body="Zur [Seite](/gibt-es-nicht/)."),
        "b.md": essay("Später", summary="S.", date="2099-01-01", body="Zur [Seite](/auch-nicht/)."),
    })
    assert check(tmp_path, "--format", "text") == (0, "No problems found.\n")
    code, output = check(tmp_path, "--format", "text", "--drafts", "--future")
    assert code == 1
    assert "essays/a.md:8: broken link '/gibt-es-nicht/'" in output and "essays/b.md:7: broken link '/auch-nicht/'" in output


def test_a_published_essay_still_holding_ssg_news_placeholders_is_a_warning(tmp_path: Path) -> None:
    make_site(tmp_path, {})
    assert run("new", "Halb fertig", "-s", str(tmp_path)).exit_code == 0
    path = tmp_path / "essays/halb-fertig.md"
    assert check(tmp_path, "--strict", "--format", "text")[0] == 0  # a draft: nothing to say yet
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    code, output = check(tmp_path, "--format", "text")
    assert code == 0
    assert "essays/halb-fertig.md:8: warning: still holds the placeholder 'Eine Frage zur Reflexion?'" in output


def test_links_written_with_the_sites_own_address_are_checked_like_site_links(tmp_path: Path) -> None:
    body = "[Schlüssel](https://example.org/autor.asc), [Start](https://example.org/), [fremd](https://example.com/x)"
    make_site(tmp_path, {"a.md": essay("A", summary="S.", body=body)})
    code, output = check(tmp_path, "--format", "text")
    assert code == 1
    assert "essays/a.md:7: broken link 'https://example.org/autor.asc': the site has no page /autor.asc" in output
    assert output.count("broken link") == 1
