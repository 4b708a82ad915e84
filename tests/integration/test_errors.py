"""Bad input: a clear `path:line: message`, exit 1, no traceback, the previous output untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SITE_YML, essay, make_site, run, tree_digest

GOOD = essay("Gut", body="Ein guter Text.")


def build_then_break(tmp_path: Path, name: str, broken: str | bytes) -> tuple[str, int]:
    """Build a good site, then break one file; return the failed build's output and exit code."""
    make_site(tmp_path, {"gut.md": GOOD})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    before = tree_digest(tmp_path / "_site")
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(broken, bytes):
        target.write_bytes(broken)
    else:
        target.write_text(broken, encoding="utf-8")
    result = run("build", "-s", str(tmp_path))
    assert tree_digest(tmp_path / "_site") == before, "a failed build changed the output"
    assert "Traceback" not in result.output
    return result.output, result.exit_code


CASES = [
    ("yaml syntax", "essays/kaputt.md", "---\ntitle: X\ndate: 2026-01-01\ntags: [a, b\n---\nText\n", "essays/kaputt.md:4: YAML syntax error: the list opened"),
    ("yaml bad indent", "essays/kaputt.md", "---\ntitle: X\n  date: 2026-01-01\n---\n", "essays/kaputt.md:3:"),
    ("missing title", "essays/kaputt.md", "---\ndate: 2026-01-01\n---\nText\n", "'title' is missing"),
    ("bad date", "essays/kaputt.md", "---\ntitle: X\ndate: gestern\n---\n", "essays/kaputt.md:3: 'date' is not a date"),
    ("no front matter", "essays/kaputt.md", "Nur Text\n", "essays/kaputt.md:1: missing front matter"),
    ("unterminated", "essays/kaputt.md", "---\ntitle: X\n", "essays/kaputt.md:1: front matter is not closed"),
    ("escaping slug", "essays/kaputt.md", "---\ntitle: X\ndate: 2026-01-01\nslug: ../../etc\n---\n", ":4: slug '../../etc'"),
    ("absolute slug", "essays/kaputt.md", "---\ntitle: X\ndate: 2026-01-01\nslug: /etc/passwd\n---\n", ":4: slug"),
    ("reserved slug", "essays/kaputt.md", "---\ntitle: X\ndate: 2026-01-01\nslug: themen\n---\n", "reserved"),
    ("duplicate slug", "essays/zwei.md", essay("Gut"), "slug 'gut' is already used by essays/gut.md"),
    ("not a mapping", "essays/kaputt.md", "---\n- a\n- b\n---\n", "essays/kaputt.md:2: front matter must be a mapping"),
    ("prompts not a list", "essays/kaputt.md", "---\ntitle: X\ndate: 2026-01-01\nprompts: Frage?\n---\n", ":4: 'prompts'"),
    ("control in title", "essays/kaputt.md", '---\ntitle: "N\\x01"\ndate: 2026-01-01\n---\n', ":2: 'title' contains the control"),
    ("control in tags", "essays/kaputt.md", '---\ntitle: X\ndate: 2026-01-01\ntags: [a, "b\\x02"]\n---\n', ":4: 'tags' contains"),
    ("control in text", "essays/kaputt.md", "---\ntitle: X\ndate: 2026-01-01\n---\n\nEin \x01 Text\n", ":6: the file contains the control"),
    ("key twice", "essays/kaputt.md", "---\ntitle: X\ndate: 2026-01-01\ntitle: Y\n---\n", ":4: YAML error: the key 'title'"),
    ("ui strings syntax", "themes/default/i18n/de.yml", "print: [Drucken\n", "themes/default/i18n/de.yml:1: YAML syntax error: the list opened"),
    ("ui strings list", "themes/default/i18n/de.yml", "- Drucken\n", "themes/default/i18n/de.yml:1: UI strings must be"),
    ("ui string not text", "themes/default/i18n/de.yml", "a: x\nprint: {x: 1}\nb: ja\nsave_file: no\n",
     "i18n/de.yml:2: UI string 'print' must be text\nthemes/default/i18n/de.yml:4: UI string 'save_file' must be"),
    ("ui string placeholder", "themes/default/i18n/de.yml", 'x: y\ntag_intro: "Über {nosuch}"\n',
     "themes/default/i18n/de.yml:2: UI string 'tag_intro' uses {nosuch}, which it is not given (it has: {name})"),
    ("ui string brace", "themes/default/i18n/de.yml", 'tag_intro: "Über {name"\n',
     "themes/default/i18n/de.yml:1: UI string 'tag_intro' has a broken {placeholder}"),
    ("ui strings latin-1", "themes/default/i18n/de.yml", "print: Drücken\n".encode("latin-1"), "de.yml: file is not valid"),
]


@pytest.mark.parametrize(("case", "name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_content_errors_name_file_and_line(tmp_path: Path, case: str, name: str, text: str, expected: str) -> None:
    output, code = build_then_break(tmp_path, name, text)
    assert code == 1
    assert expected in output, output


def test_non_utf8_file_is_an_error(tmp_path: Path) -> None:
    output, code = build_then_break(tmp_path, "essays/latin1.md", "---\ntitle: Größe\n---\n".encode("latin-1"))
    assert code == 1
    assert "essays/latin1.md:2: file is not valid UTF-8" in output


def test_all_errors_of_a_build_are_reported_together(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "a.md": "---\ntitle: A\n---\n",
            "b.md": "---\ntitle: B\ndate: nie\n---\n",
            "c.md": "---\ndate: 2026-01-01\n---\n",
        },
    )
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1
    for expected in ["essays/a.md:", "essays/b.md:3:", "essays/c.md:"]:
        assert expected in result.output
    assert "3 errors" in result.output
    assert not (tmp_path / "_site").exists()


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    text = "\ufeff---\r\ntitle: Mit BOM\r\ndate: 2026-01-01\r\n---\r\n\r\nText mit CRLF.\r\n"
    make_site(tmp_path, {})
    (tmp_path / "essays/bom.md").write_bytes(text.encode("utf-8"))
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Text mit CRLF." in (tmp_path / "_site/mit-bom/index.html").read_text(encoding="utf-8")


def test_unknown_keys_are_warnings_not_silent(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": "---\ntitle: A\ndate: 2026-01-01\nauthor: X\n---\n"}, SITE_YML + "colour: blue\n")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0
    assert "essays/a.md:4: warning: unknown key 'author'" in result.output
    assert "site.yml:8: warning: unknown setting 'colour'" in result.output


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["---", "title: Bombe", "date: 2026-01-01", 'a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 15):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join(['*' + chr(96 + i)] * 9)}]")
    output, code = build_then_break(tmp_path, "essays/bombe.md", "\n".join([*lines, "---", ""]))
    assert code == 1
    assert "essays/bombe.md:" in output and "too many YAML aliases" in output


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("title: T\nbase_url: example.org\n", "site.yml:2: base_url must be an absolute"),
        ("title: T\nlanguage: xx-nope\n", "site.yml:2: unknown language"),
        ("title: [1, 2\n", "site.yml:1: YAML syntax error: the list opened"),
        ("title: T\nurls:\n  tags: a/b\n", "site.yml:3: urls.tags"),
        ("title: T\ntimezone: Mars/Olympus\n", "site.yml:2: unknown time zone"),
        ("title: T\nmarkdown:\n  html: vielleicht\n", "site.yml:3: 'html' must be true or false"),
        ('title: T\ndescription: "Neu\\x1b[31m"\n', "site.yml:2: 'description' contains the control character U+001B"),
        ("title: T\nauthor:\n  name: \"A\\x07\"\n", "site.yml:3: 'name' contains the control character U+0007"),
        ("title: T\nauthor:\n  email: kein Mail\n", "site.yml:3: author.email 'kein Mail' is not a mail address"),
        ("title: T\nauthor:\n  public_key_url: javascript:alert(1)\n", "site.yml:3: author.public_key_url"),
    ],
)
def test_config_errors_name_the_line(tmp_path: Path, config: str, expected: str) -> None:
    make_site(tmp_path, {"gut.md": GOOD}, config)
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1
    assert expected in result.output, result.output
    assert "Traceback" not in result.output


def test_missing_site_yml_and_usage_errors(tmp_path: Path) -> None:
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1 and "no site.yml" in result.output
    assert run("build", "--nope").exit_code == 2


def test_broken_template_names_template_and_line(tmp_path: Path) -> None:
    make_site(tmp_path, {"gut.md": GOOD}, SITE_YML + "theme: mein\n")
    templates = tmp_path / "themes/mein/templates"
    templates.mkdir(parents=True)
    (templates / "essay.html").write_text('{% extends "!default/essay.html" %}\n{% block content %}\n{{ essay.title\n', "utf-8")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1
    assert "essay.html:3: template error" in result.output, result.output


def test_template_linking_outside_the_site_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIMNIS", encoding="utf-8")
    site = tmp_path / "site"
    make_site(site, {"gut.md": GOOD}, SITE_YML + "theme: mein\n")
    (site / "themes/mein/templates").mkdir(parents=True)
    (site / "themes/mein/templates/404.html").symlink_to(secret)
    result = run("build", "-s", str(site))
    assert result.exit_code == 1
    assert "themes/mein/templates/404.html: is a link to a file outside the site" in result.output
    assert not (site / "_site").exists()


def test_a_reader_that_stops_reading_causes_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    make_site(tmp_path, {"gut.md": GOOD})
    # As in `ssg build -v | head -1` when head has already gone: every write to stdout fails.
    proc = subprocess.Popen(
        [sys.executable, "-m", "ssg", "build", "-s", str(tmp_path), "-v"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    errors = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in errors and "internal error" not in errors, errors
    assert (tmp_path / "_site/gut/index.html").is_file()  # the site itself was built


def test_a_file_name_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    import os

    make_site(tmp_path, {"gut.md": GOOD})
    with open(os.path.join(os.fsencode(tmp_path / "essays"), b"caf\xe9.md"), "w", encoding="utf-8") as handle:
        handle.write(essay("Café"))
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1
    assert "essays/caf\ufffd.md: the file name is not valid UTF-8: rename it" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{% extends "essay.html" %}\n', "essay.html:1: template error: a template extends, includes or imports itself"),
        ('{% extends "!default/essay.html" %}\n{% block content %}\n{{ 1 / 0 }}\n{% endblock %}\n',
         "essay.html:3: template error: division by zero"),
        ('{% extends "!default/essay.html" %}\n{% block content %}\n\n{{ 10.0 ** 1000 }}\n{% endblock %}\n',
         "essay.html:4: template error: (34, 'Numerical result out of range')"),
    ],
)
def test_any_failing_template_names_its_file_and_line(tmp_path: Path, template: str, expected: str) -> None:
    output, code = build_then_break(tmp_path, "themes/default/templates/essay.html", template)
    assert code == 1 and f"themes/default/templates/{expected}" in output, output
    assert "internal error" not in output and str(tmp_path) not in output  # named from the site folder on


def test_a_link_loop_or_a_pipe_among_the_essays_is_named_not_waited_for(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    make_site(tmp_path, {"gut.md": GOOD})
    (tmp_path / "essays/selbst.md").symlink_to("selbst.md")
    os.mkfifo(tmp_path / "essays/rohr.md")
    for command in ("build", "check"):
        # In a process of its own: opening the pipe for reading would wait for a writer forever.
        done = subprocess.run(
            [sys.executable, "-m", "ssg", command, "-s", str(tmp_path)], capture_output=True, text=True, timeout=120
        )
        output = done.stdout + done.stderr
        assert done.returncode == 1 and "internal error" not in output, output
        assert "rohr.md" in output and "is not a regular file" in output
        assert "selbst.md" in output and "is a link that leads back to itself" in output
    assert not (tmp_path / "_site").exists()


def test_places_that_cannot_be_written_are_named(tmp_path: Path) -> None:
    make_site(tmp_path, {"gut.md": GOOD})
    (tmp_path / "eine-datei").write_text("x", encoding="utf-8")
    result = run("build", "-s", str(tmp_path), "-o", str(tmp_path / "eine-datei/out"))
    assert result.exit_code == 1 and "cannot write the output folder here (Not a directory)" in result.output
    result = run("init", str(tmp_path / "eine-datei/neu"))
    assert result.exit_code == 1 and "cannot write" in result.output and "Not a directory" in result.output
    assert not list(tmp_path.glob(".*staging*"))
    result = run("new", "Wort " * 60, "-s", str(tmp_path))  # the slug is cut at a word: a name a disk can hold
    assert result.exit_code == 0 and (tmp_path / "essays" / ('-'.join(['wort'] * 40) + '.md')).is_file(), result.output
    (tmp_path / "essays").rename(tmp_path / "essays-weg")
    (tmp_path / "essays").write_text("kein Ordner", encoding="utf-8")
    result = run("new", "Neu", "-s", str(tmp_path))
    assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("static: essays\n", "'static' folder {root}/essays would publish the site's own files"),
        ("static: essays/bilder\n", "'static' folder {root}/essays/bilder would publish"),
        ("static: .\n", "'static' folder {root} would publish"),
        ("output: .ssg-cache\n", "output folder {root}/.ssg-cache would overwrite the site's own files"),
        ("output: eine-datei\n", "output folder {root}/eine-datei is a file"),
    ],
)
def test_folders_that_would_publish_or_overwrite_the_sites_own_files(tmp_path: Path, settings: str, expected: str) -> None:
    make_site(tmp_path, {"gut.md": GOOD, "entwurf.md": essay("Entwurf", draft="true")}, SITE_YML + settings)
    (tmp_path / "essays/bilder").mkdir()
    (tmp_path / "eine-datei").write_text("bleibt", encoding="utf-8")
    for command in ("build", "check"):
        result = run(command, "-s", str(tmp_path))
        assert result.exit_code == 1 and expected.format(root=tmp_path) in result.output, result.output
    assert not (tmp_path / "_site").exists() and (tmp_path / "eine-datei").read_text(encoding="utf-8") == "bleibt"


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_missing_essays_folder_is_an_error_not_an_empty_site(tmp_path: Path, kind: str) -> None:
    make_site(tmp_path, {"gut.md": GOOD})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    before = tree_digest(tmp_path / "_site")
    (tmp_path / "essays/gut.md").unlink()
    (tmp_path / "essays").rmdir()
    if kind == "file":
        (tmp_path / "essays").write_text("kein Ordner", encoding="utf-8")
    for command in ("build", "check"):
        result = run(command, "-s", str(tmp_path))
        assert result.exit_code == 1 and "the essays folder is" in result.output, result.output
    assert tree_digest(tmp_path / "_site") == before


def test_a_language_without_ui_strings_is_a_warning(tmp_path: Path) -> None:
    make_site(tmp_path, {"gut.md": GOOD}, SITE_YML.replace("language: de", "language: fr"))
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0
    assert "site.yml: warning: the theme has no UI strings for 'fr'" in result.output
    assert "no UI strings" in run("build", "-s", str(tmp_path)).output  # also when nothing changed


def test_a_ui_string_no_template_uses_is_a_warning(tmp_path: Path) -> None:
    make_site(tmp_path, {"gut.md": GOOD})
    (tmp_path / "themes/default/i18n").mkdir(parents=True)
    (tmp_path / "themes/default/i18n/de.yml").write_text("archive: Sammlung\narchiev: Sammlung\n", encoding="utf-8")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0
    assert "themes/default/i18n/de.yml:2: warning: UI string 'archiev' has no English version" in result.output
    assert "'archive'" not in result.output


def test_a_missing_template_is_named_where_it_is_asked_for(tmp_path: Path) -> None:
    template = '{% extends "!default/essay.html" %}\n{% block content %}\n{% include "fehlt.html" %}\n{% endblock %}\n'
    output, code = build_then_break(tmp_path, "themes/default/templates/essay.html", template)
    assert code == 1 and "themes/default/templates/essay.html:3: template error: template 'fehlt.html' not found" in output


def test_a_folder_link_loop_among_the_essays_reads_each_essay_once(tmp_path: Path) -> None:
    make_site(tmp_path, {"gut.md": GOOD, "komma.md": essay("Komma", tags="Eins, Zwei")})
    (tmp_path / "essays/schleife").symlink_to(".")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "already used" not in result.output
    assert "essays/komma.md:4: warning: one tag 'Eins, Zwei': several tags are a list" in result.output


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (f"slug: {'x' * 201}", ":4: slug is too long: 201 characters, at most 200"),
    ],
)
def test_names_too_long_for_a_disk_are_refused_or_cut(tmp_path: Path, front: str, expected: str) -> None:
    output, code = build_then_break(tmp_path, "essays/lang.md", f"---\ntitle: Lang\ndate: 2026-01-01\n{front}\n---\n")
    assert code == 1 and expected in output, output
    long_title = essay("Wort " * 60, tags=f"[{'Thema ' * 60}]")
    make_site(tmp_path, {"gut.md": GOOD, "lang.md": long_title})
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "_site" / "-".join(["wort"] * 40) / "index.html").is_file()
    assert (tmp_path / "_site/themen" / "-".join(["thema"] * 33) / "index.html").is_file()


def test_an_empty_site_title_is_named_in_site_yml(tmp_path: Path) -> None:
    make_site(tmp_path, {"gut.md": GOOD}, SITE_YML.replace("title: Testjournal", 'title: ""'))
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1 and "site.yml:1: 'title' must not be empty" in result.output
    result = run("init", str(tmp_path / "neu"), "--title", " ")
    assert result.exit_code == 2 and "--title" in result.output and not (tmp_path / "neu").exists()


def test_an_empty_output_name_and_a_reserved_new_title_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_site(tmp_path, {"gut.md": GOOD})
    monkeypatch.chdir(tmp_path / "essays")  # "" would have meant: build into this folder
    result = run("build", "-s", str(tmp_path), "-o", "")
    assert result.exit_code == 2 and "name a folder" in result.output
    assert sorted(p.name for p in (tmp_path / "essays").iterdir()) == ["gut.md"]
    result = run("new", "Themen", "-s", str(tmp_path))
    assert result.exit_code == 1 and "the title makes the URL /themen/" in result.output
    assert "Build failed" not in result.output and not (tmp_path / "essays/themen.md").exists()


def test_new_needs_a_site_and_an_update_before_the_date_is_a_warning(tmp_path: Path) -> None:
    result = run("new", "Erster Text", "-s", str(tmp_path))
    assert result.exit_code == 1 and "no site.yml here" in result.output and not (tmp_path / "essays").exists()
    make_site(tmp_path, {"gut.md": essay("Gut", date="2026-03-01", updated="2026-02-01")})
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0 and "essays/gut.md:4: warning: 'updated' is before 'date'" in result.output


def test_site_yml_problems_come_all_at_once_and_a_misspelt_setting_names_the_known_ones(tmp_path: Path) -> None:
    site_yml = "title: X\nbase_url: example.org\ntimezone: Mars/Olympus\nper_page: viele\ntitel: Y\nurls: {tag: t}\n"
    make_site(tmp_path, {"gut.md": GOOD}, site_yml)
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("site.yml:2: base_url must be an absolute http(s) URL")
    assert lines[1].startswith("site.yml:3: unknown time zone 'Mars/Olympus'")
    assert lines[2] == "site.yml:4: 'per_page' must be a whole number"
    assert lines[3].startswith("site.yml:5: warning: unknown setting 'titel' (ignored; known: author, base_url,")
    assert " title, " in lines[3]  # the setting meant
    assert lines[4].startswith("site.yml:6: warning: unknown setting 'urls.tag' (ignored; known: archive, booklet,")
    assert lines[-1] == "Build failed: 3 errors."
    assert not (tmp_path / "_site").exists()


def test_url_words_follow_the_sites_language_unless_set(tmp_path: Path) -> None:
    english = SITE_YML.replace("language: de", "language: en")
    body = essay("Hello", tags="[Calm]", prompts='["Why?"]')
    make_site(tmp_path, {"hello.md": body}, english)
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    for rel in ("topics/calm/index.html", "archive/index.html", "worksheets/booklet/index.html", "hello/worksheet/index.html"):
        assert (out / rel).is_file(), rel
    (tmp_path / "site.yml").write_text(english + "urls:\n  tags: themes\n", encoding="utf-8")
    assert run("build", "-s", str(tmp_path), "--clean").exit_code == 0
    assert (out / "themes/calm/index.html").is_file() and (out / "archive/index.html").is_file()
