"""Build the author's own site and throwaway sites; inspect the output like a reader would."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from ssg.check import check_site
from tests.helpers import REPO, SITE_YML, decode_qr_svg, essay, make_site, page_links, run, tree_digest


@pytest.fixture(scope="module")
def author_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("author")
    shutil.copy(REPO / "site.yml", root / "site.yml")
    shutil.copytree(REPO / "essays", root / "essays")
    shutil.copytree(REPO / "pages", root / "pages")
    result = run("build", "-s", str(root))
    assert result.exit_code == 0, result.output
    return root / "_site"


def resolve(out: Path, base_path: str, page: Path, ref: str) -> Path | None:
    """Map a reference in a page to the file it points at (None for other origins)."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page
    if parts.path.startswith("/"):
        assert parts.path.startswith(base_path), f"{ref} is outside the base path {base_path}"
        target = out / unquote(parts.path[len(base_path) :])
    else:
        target = page.parent / unquote(parts.path)
    return target / "index.html" if parts.path.endswith("/") else target


def assert_links_resolve(out: Path, base_path: str = "/") -> int:
    checked = 0
    ids = {p: page_links(p.read_text(encoding="utf-8")).ids for p in out.rglob("*.html")}
    for page in ids:
        for ref in page_links(page.read_text(encoding="utf-8")).refs:
            target = resolve(out, base_path, page, ref)
            assert target is not None, f"{page}: request to another origin: {ref}"
            assert target.is_file(), f"{page.relative_to(out)}: broken link {ref}"
            fragment = urlsplit(ref).fragment
            if fragment and target.suffix == ".html":
                assert fragment in ids[target.resolve()], f"{page}: missing anchor {ref}"
            checked += 1
    return checked


def test_author_site_has_every_page(author_site: Path) -> None:
    for rel in [
        "index.html",
        "404.html",
        "feed.xml",
        "feed.json",
        "sitemap.xml",
        "robots.txt",
        "archiv/index.html",
        "themen/index.html",
        "themen/kommunikation/index.html",
        "der-abschied-aus-den-sozialen-medien/index.html",
        "nur-ein-handschlag/index.html",
        "ein-armband-im-krankenhaus/index.html",
        "static/style.css",
    ]:
        assert (author_site / rel).is_file(), rel


def test_every_qr_code_leads_to_its_essay(author_site: Path) -> None:
    codes = sorted(author_site.rglob("qr.svg"))
    assert len(codes) == 3
    for code in codes:
        slug = code.parent.parent.name  # <essay>/arbeitsblatt/qr.svg
        assert decode_qr_svg(code.read_bytes()) == f"https://example.org/{slug}/", code


def test_home_lists_essays_newest_first_with_german_dates(author_site: Path) -> None:
    html = (author_site / "index.html").read_text(encoding="utf-8")
    first = html.index("Ein Armband im Krankenhaus")
    assert first < html.index("Nur ein Handschlag") < html.index("Der Abschied aus den sozialen Medien")
    assert "12. März 2026" in html
    assert "Min. Lesezeit" in html
    assert '<html lang="de">' in html


def test_essay_page_has_questions_reply_link_and_structure(author_site: Path) -> None:
    html = (author_site / "der-abschied-aus-den-sozialen-medien/index.html").read_text(encoding="utf-8")
    assert "Fragen zur Reflexion" in html
    assert 'id="irrtum-1"' in html and "<blockquote>" in html
    assert "mailto:autor@example.org?subject=" in html
    assert '<meta property="og:title" content="Der Abschied aus den sozialen Medien">' in html
    assert '<link rel="canonical" href="https://example.org/der-abschied-aus-den-sozialen-medien/">' in html
    assert 'rel="next"' in html and "Nur ein Handschlag" in html


def test_every_internal_link_resolves(author_site: Path) -> None:
    assert assert_links_resolve(author_site) > 30


def test_feeds_parse_and_carry_full_content(author_site: Path) -> None:
    atom = feedparser.parse((author_site / "feed.xml").read_bytes())
    assert not atom.bozo, atom.get("bozo_exception")
    assert next(e.title for e in atom.entries) == "Ein Armband im Krankenhaus"
    assert "Zu verkaufen" in atom.entries[0].content[0].value
    data = json.loads((author_site / "feed.json").read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert all(item["date_published"].endswith("+01:00") for item in data["items"])


def test_feeds_and_pages_escape_titles(tmp_path: Path) -> None:
    title = "Fish & Chips <script>alert(1)</script>"
    make_site(tmp_path, {"fish.md": essay(title, slug="fish", summary=json.dumps('"quoted" & <b>'))})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    page = (out / "fish/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "Fish &amp; Chips &lt;script&gt;" in page
    atom = feedparser.parse((out / "feed.xml").read_bytes())
    assert not atom.bozo
    assert atom.entries[0].title == title
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["title"] == title


def test_text_fields_take_plain_values_as_written(tmp_path: Path) -> None:
    # YAML reads 12:30 as 750 (base 60), 0755 as 493 and yes as true: in text fields the author meant the text.
    text = essay("12:30", slug="0755", tags="[0x1F, yes]", summary="2026-01-01", prompts="[42]")
    text = text.replace("prompts: [42]", "prompts: [42]\nworksheet:\n  fields:\n    - {id: w, type: choice, label: 1_000, options: [01, 1, no]}")
    make_site(tmp_path, {"a.md": text})
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "_site/0755/index.html").read_text(encoding="utf-8")
    assert "<h1>12:30</h1>" in page and "2026-01-01" in page and "<li>42" in page
    assert 'href="/themen/0x1f/"' in page and 'href="/themen/yes/"' in page
    sheet = (tmp_path / "_site/0755/arbeitsblatt/index.html").read_text(encoding="utf-8")
    assert all(f'value="{option}"' in sheet for option in ("01", "1", "no")) and "1_000" in sheet


def test_tags_that_make_the_same_page_count_once(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A", tags="[Humor, humor, Eins, EINS, Humor]")})
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0
    assert "essays/a.md:4: warning: tag 'humor' is the same tag as 'Humor' (one page for both): left out" in result.output
    assert "tag 'EINS' is the same tag as 'Eins'" in result.output
    page = (tmp_path / "_site/a/index.html").read_text(encoding="utf-8")
    assert page.count('href="/themen/humor/"') == 1 and page.count('href="/themen/eins/"') == 1
    assert (tmp_path / "_site/themen/humor/index.html").read_text(encoding="utf-8").count('href="/a/"') == 1


def test_umlaut_titles_make_transliterated_slugs(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("Über Größe", body="## Schöne Grüße\n\nText.")})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    page = tmp_path / "_site/ueber-groesse/index.html"
    assert 'id="schoene-gruesse"' in page.read_text(encoding="utf-8")


def test_drafts_and_future_essays_need_flags(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {"d.md": essay("Entwurf", draft="true"), "f.md": essay("Zukunft", date="2999-01-01"), "n.md": essay("Jetzt")},
    )
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    assert (out / "jetzt/index.html").exists()
    assert not (out / "entwurf").exists() and not (out / "zukunft").exists()
    assert run("build", "-s", str(tmp_path), "--drafts", "--future").exit_code == 0
    assert (out / "entwurf/index.html").exists() and (out / "zukunft/index.html").exists()


def test_sub_path_base_url_links_all_resolve(tmp_path: Path) -> None:
    site_yml = "title: T\nbase_url: https://example.org/journal/\nlanguage: de\n"
    body = "Siehe [den anderen](/zwei/) und [Anker](/zwei/#abschnitt).\n"
    make_site(
        tmp_path,
        {"eins.md": essay("Eins", body=body, tags='["Ä Tag"]'), "zwei.md": essay("Zwei", body="## Abschnitt\n")},
        site_yml,
    )
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    html = (out / "eins/index.html").read_text(encoding="utf-8")
    assert 'href="/journal/zwei/"' in html and 'href="/journal/static/style.css"' in html
    assert assert_links_resolve(out, "/journal/") > 10
    assert "https://example.org/journal/eins/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_two_builds_give_identical_bytes(tmp_path: Path) -> None:
    shutil.copy(REPO / "site.yml", tmp_path / "site.yml")
    shutil.copytree(REPO / "essays", tmp_path / "essays")
    shutil.copytree(REPO / "pages", tmp_path / "pages")
    assert run("build", "-s", str(tmp_path), "-o", str(tmp_path / "a")).exit_code == 0
    assert run("build", "-s", str(tmp_path), "-o", str(tmp_path / "b")).exit_code == 0
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


@pytest.mark.parametrize("output", ["absent", "empty", "full", "link"])
def test_every_kind_of_output_folder_gets_the_same_site(tmp_path: Path, output: str) -> None:
    make_site(tmp_path, {"a.md": essay("A"), "b.md": essay("B")})
    assert run("build", "-s", str(tmp_path), "-o", str(tmp_path / "reference")).exit_code == 0
    out = tmp_path / "_site"
    if output == "empty":
        out.mkdir()
    elif output == "full":
        assert run("build", "-s", str(tmp_path), "--no-cache").exit_code == 0
        (out / "a/index.html").write_text("stale", encoding="utf-8")
    elif output == "link":
        (tmp_path / "elsewhere").mkdir()
        out.symlink_to(tmp_path / "elsewhere")
    assert run("build", "-s", str(tmp_path), "--no-cache").exit_code == 0
    assert tree_digest(out) == tree_digest(tmp_path / "reference")
    assert out.is_symlink() == (output == "link")
    assert not list(tmp_path.glob(".*staging*"))
    # The record of what was written holds: an unchanged rebuild rewrites nothing.
    assert "0 written" in run("build", "-s", str(tmp_path)).output


def test_unchanged_rebuild_rewrites_nothing(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A"), "b.md": essay("B")})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    files = sorted((tmp_path / "_site").rglob("*.*"))
    before = {p: p.stat().st_mtime_ns for p in files}
    result = run("build", "-s", str(tmp_path))
    assert "0 written" in result.output
    assert {p: p.stat().st_mtime_ns for p in files} == before


def test_a_full_rebuild_rewrites_only_the_files_whose_bytes_differ(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A"), "b.md": essay("B")})
    assert run("build", "-s", str(tmp_path), "-o", str(tmp_path / "reference")).exit_code == 0
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    (out / "a/index.html").write_text("stale", encoding="utf-8")  # another size
    page = out / "b/index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("<html", "<HTML", 1), encoding="utf-8")  # the same size, other bytes
    (out / "feed.json").unlink()
    os.mkfifo(out / "feed.json")  # must be replaced, not opened (that would wait for a writer)
    touched = {"a/index.html", "b/index.html", "feed.json"}
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = run("build", "-s", str(tmp_path), "--no-cache")  # every page rendered again
    assert result.exit_code == 0 and f"{len(touched)} written" in result.output
    assert tree_digest(out) == tree_digest(tmp_path / "reference")
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    changed = {p.relative_to(out).as_posix() for p in after if after[p] != before.get(p)}
    assert changed == touched
    assert not list(tmp_path.glob(".*staging*"))


def test_a_template_edit_rewrites_only_the_pages_made_with_it(tmp_path: Path) -> None:
    from ssg.config import load_config
    from ssg.engine.build import BuildOptions, build
    from ssg.theme import builtin_theme_dir

    extra = {"tags": '["Ruhe"]', "prompts": '["Was bleibt?"]'}
    essays = {f"e{i}.md": essay(f"Essay {i}", date=f"2026-01-1{i}", **extra) for i in range(3)}
    make_site(tmp_path, essays, SITE_YML + "theme: mein\n")
    templates = tmp_path / "themes/mein/templates"
    templates.mkdir(parents=True)
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"

    def edit_and_build(name: str, old: str, new: str) -> set[str]:
        """Override a default template with one change; build; return the files rendered and rewritten."""
        files = sorted(out.rglob("*.*"))
        before = {p: p.stat().st_mtime_ns for p in files}
        text = (builtin_theme_dir() / "templates" / name).read_text(encoding="utf-8")
        assert old in text
        (templates / name).write_text(text.replace(old, new, 1), encoding="utf-8")
        report = build(load_config(tmp_path)[0], BuildOptions())
        rewritten = {p.relative_to(out).as_posix() for p in files if p.stat().st_mtime_ns != before[p]}
        assert report.rendered == len(rewritten)  # nothing else was even rendered
        return rewritten

    # A page template: only its pages.
    assert edit_and_build("tag.html", "{% block content %}", "{% block content %}<p>Neu</p>") == {"themen/ruhe/index.html"}
    # A template of macros: the pages importing it (essay pages, home page, tag page), not the others.
    rewritten = edit_and_build("_macros.html", '<p class="meta">', '<p class="meta">Neu ')
    assert {"index.html", "themen/ruhe/index.html", "essay-0/index.html"} <= rewritten
    assert not any(p.startswith(("archiv", "arbeitsbl", "essay-0/arbeitsblatt", "feed")) for p in rewritten)
    # The worksheet form, which Python renders for worksheet pages and booklet through sheet_form_html().
    rewritten = edit_and_build("_worksheet.html", '<p class="sheet-kicker">', '<p class="sheet-kicker">Neu ')
    assert rewritten == {f"essay-{i}/arbeitsblatt/index.html" for i in range(3)} | {"arbeitsblaetter/heft/index.html"}
    assert run("build", "-s", str(tmp_path), "--no-cache", "-o", str(tmp_path / "clean")).exit_code == 0
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


def test_what_stands_in_the_way_stops_the_build_before_anything_moves(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A"), "b.md": essay("B")})
    (tmp_path / "static").mkdir()
    (tmp_path / "static/notizen").write_text("eine Datei", encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    # A folder of the user's where a page goes: the build stops, naming it, and changes nothing.
    (out / "feed.json").unlink()
    (out / "feed.json").mkdir()
    (out / "feed.json/mein.txt").write_text("meins", encoding="utf-8")
    (tmp_path / "essays/b.md").write_text(essay("B", body="Ein neuer Text."), encoding="utf-8")
    before = tree_digest(out)
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{out / 'feed.json'}: a folder stands where the site puts a file" in result.output
    assert tree_digest(out) == before
    # A file ssg made where a folder is now needed goes without asking: it is a stale page of the site.
    (tmp_path / "static/notizen").unlink()
    (tmp_path / "static/notizen").mkdir()
    (tmp_path / "static/notizen/a.txt").write_text("im Ordner", encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 1  # the user's folder still stands
    result = run("build", "-s", str(tmp_path), "--clean")
    assert result.exit_code == 0, result.output
    assert run("build", "-s", str(tmp_path), "--no-cache", "-o", str(tmp_path / "clean")).exit_code == 0
    assert tree_digest(out) == tree_digest(tmp_path / "clean")
    # Without --clean, too, once nothing of the user's is in the way.
    (tmp_path / "static/notizen/a.txt").unlink()
    (tmp_path / "static/notizen").rmdir()
    (tmp_path / "static/notizen").write_text("wieder eine Datei", encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    shutil.rmtree(tmp_path / "clean")
    assert run("build", "-s", str(tmp_path), "--no-cache", "-o", str(tmp_path / "clean")).exit_code == 0
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


@pytest.mark.parametrize(
    ("urls", "expected"),
    [
        ("urls:\n  archive: feed.xml\n", "site.yml: /feed.xml wants the file feed.xml, which /feed.xml/ needs as a folder"),
        ("urls:\n  tags: archiv\n", "site.yml: /archiv/ and /archiv/ both want the file archiv/index.html"),
    ],
)
def test_url_words_that_clash_with_other_pages_are_refused(tmp_path: Path, urls: str, expected: str) -> None:
    make_site(tmp_path, {"a.md": essay("A", tags="[Eins]")}, SITE_YML + urls)
    for command in ("build", "check"):
        result = run(command, "-s", str(tmp_path))
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert expected.replace("site.yml: ", "") in result.output, result.output
    assert not (tmp_path / "_site").exists()


def test_without_its_record_ssg_says_which_files_may_be_left_until_clean(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A"), "b.md": essay("B")})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    shutil.rmtree(tmp_path / ".ssg-cache")  # "safe to delete": but with it goes the record of what ssg wrote
    (tmp_path / "essays/b.md").write_text(essay("B neu"), encoding="utf-8")  # a new title: a new URL
    for _ in range(2):  # on the build that finds them and on every one after, until they are gone
        result = run("build", "-s", str(tmp_path))
        assert result.exit_code == 0 and "may be left from an earlier one" in result.output, result.output
        assert "ssg build --clean" in result.output
    assert (tmp_path / "_site/b/index.html").exists()
    result = run("build", "-s", str(tmp_path), "--clean")
    assert "may be left" not in result.output and not (tmp_path / "_site/b").exists()
    assert "may be left" not in run("build", "-s", str(tmp_path)).output
    assert run("build", "-s", str(tmp_path), "--no-cache", "-o", str(tmp_path / "clean")).exit_code == 0
    assert tree_digest(tmp_path / "_site") == tree_digest(tmp_path / "clean")


def test_foreign_files_are_kept_unless_clean(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A"), "b.md": essay("B")})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    (out / "google123.html").write_text("verification", encoding="utf-8")
    (tmp_path / "essays/b.md").unlink()
    result = run("build", "-s", str(tmp_path))
    assert "--clean" in result.output
    assert (out / "google123.html").exists() and not (out / "b").exists()
    assert run("build", "-s", str(tmp_path), "--clean").exit_code == 0
    assert not (out / "google123.html").exists()


def test_site_theme_overrides_and_extends_the_default(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("Erstes", body="Text.")}, SITE_YML + "theme: mein\n")
    theme = tmp_path / "themes/mein"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    (theme / "i18n").mkdir()
    (theme / "templates/essay.html").write_text(
        '{% extends "!default/essay.html" %}{% block content %}<p class="mein">Vorwort</p>{{ super() }}{% endblock %}',
        encoding="utf-8",
    )
    (theme / "static/extra.css").write_text("body{}", encoding="utf-8")
    (theme / "i18n/de.yml").write_text("reflection_questions: Meine Fragen\n", encoding="utf-8")
    (tmp_path / "essays/a.md").write_text(
        essay("Erstes", body="Text.").replace("---\n\n", 'prompts: ["Warum?"]\n---\n\n'), "utf-8"
    )
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "_site/erstes/index.html").read_text(encoding="utf-8")
    assert '<p class="mein">Vorwort</p>' in page and "Text." in page
    assert "Meine Fragen" in page and "Fragen zur Reflexion" not in page
    assert (tmp_path / "_site/static/extra.css").exists() and (tmp_path / "_site/static/style.css").exists()


def test_a_site_static_file_replacing_a_theme_file_is_a_warning_naming_both(tmp_path: Path) -> None:
    # The site's static folder is published at the root and the theme's at /static/: so the site's
    # static/static/style.css silently took the place of the theme's stylesheet.
    site = make_site(tmp_path / "site", {"a.md": essay("Erstes")})
    (site / "static/static").mkdir(parents=True)
    (site / "static/static/style.css").write_text("body { color: red }", encoding="utf-8")
    (site / "static/static/eigen.css").write_text("p {}", encoding="utf-8")  # the theme has none: fine
    expected = (
        "static/static/style.css: warning: is published at /static/style.css in place of the theme's "
        "static/style.css of ssg's default theme: to change the theme's file, put yours at "
        "themes/default/static/style.css; to keep both, give this one another name"
    )
    result = run("build", "-s", str(site))
    assert result.exit_code == 0, result.output
    assert expected in result.output.splitlines()
    assert "eigen.css" not in result.output
    assert (site / "_site/static/style.css").read_text(encoding="utf-8") == "body { color: red }"
    assert expected in [str(p) for p in check_site(site)]

    # A site theme's own stylesheet replaces the default's as it should; the site file still replaces that.
    (site / "site.yml").write_text(SITE_YML + "theme: mein\n", encoding="utf-8")
    (site / "themes/mein/static").mkdir(parents=True)
    (site / "themes/mein/static/style.css").write_text("body {}", encoding="utf-8")
    warnings = [p for p in check_site(site) if "in place of" in p.message]
    assert [(p.path, p.severity) for p in warnings] == [("static/static/style.css", "warning")]
    assert "the theme's themes/mein/static/style.css: " in warnings[0].message
    assert "put yours at themes/mein/static/style.css;" in warnings[0].message


def test_essay_linking_outside_the_site_is_refused(tmp_path: Path) -> None:
    make_site(tmp_path / "site", {"a.md": essay("A")})
    outside = tmp_path / "geheim.md"
    outside.write_text(essay("Geheim", body="GEHEIM"), encoding="utf-8")
    (tmp_path / "site/essays/link.md").symlink_to(outside)
    result = run("build", "-s", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert "essays/link.md: is a link to a file outside the site folder" in result.output
    assert not (tmp_path / "site/_site").exists()


def test_raw_html_can_be_switched_off(tmp_path: Path) -> None:
    body = "<b>fett</b> und <script>alert(1)</script>\n"
    make_site(tmp_path, {"a.md": essay("A", body=body)}, SITE_YML + "markdown:\n  html: false\n")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    page = (tmp_path / "_site/a/index.html").read_text(encoding="utf-8")
    assert "<b>fett</b>" not in page and "&lt;b&gt;fett&lt;/b&gt;" in page and "<script>alert" not in page


def test_later_home_pages_have_their_own_title_and_stay_out_of_the_sitemap(tmp_path: Path) -> None:
    essays = {f"e{i}.md": essay(f"Essay {i}", date=f"2026-01-1{i}") for i in range(3)}
    make_site(tmp_path, essays, SITE_YML + "per_page: 1\n")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    second = (tmp_path / "_site/seite/2/index.html").read_text(encoding="utf-8")
    assert "<title>Seite 2 von 3 – Testjournal</title>" in second and 'content="noindex"' in second
    sitemap = (tmp_path / "_site/sitemap.xml").read_text(encoding="utf-8")
    assert "/seite/2/" not in sitemap and "<loc>https://example.org/</loc>" in sitemap


def test_home_page_is_paginated_and_every_page_links_on(tmp_path: Path) -> None:
    essays = {f"e{i}.md": essay(f"Essay {i}", date=f"2026-01-{i + 10}") for i in range(5)}
    make_site(tmp_path, essays, SITE_YML + "per_page: 2\n")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    first = (out / "index.html").read_text(encoding="utf-8")
    assert "Essay 4" in first and "Essay 3" in first and "Essay 2" not in first
    assert 'href="/seite/2/"' in first and "Seite 1 von 3" in first
    third = (out / "seite/3/index.html").read_text(encoding="utf-8")
    assert "Essay 0" in third and 'href="/seite/2/"' in third and "/seite/4/" not in third
    archive = (out / "archiv/index.html").read_text(encoding="utf-8")
    assert all(f"Essay {i}" in archive for i in range(5))
    assert assert_links_resolve(out) > 20


def test_no_cache_build_still_leaves_a_full_cache_behind(tmp_path: Path) -> None:
    from ssg.config import load_config
    from ssg.engine.cache import load_cache, load_index

    make_site(tmp_path, {"a.md": essay("A"), "b.md": essay("B")})
    assert run("build", "-s", str(tmp_path), "--no-cache").exit_code == 0
    config, _ = load_config(tmp_path)
    cache = load_cache(config)
    assert sorted(cache.essays) == ["essays/a.md", "essays/b.md"]
    index = load_index(config)
    assert index.plans[str(config.output)].files > 0 and index.outputs[str(config.output)]


def test_a_scheduled_essay_appears_once_its_date_has_come(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from ssg.config import load_config
    from ssg.engine.build import BuildOptions, build

    make_site(tmp_path, {"a.md": essay("Heute", date="2026-03-01"), "b.md": essay("Morgen", date="2026-03-02")})
    config, _ = load_config(tmp_path)
    before = datetime(2026, 3, 1, 12, tzinfo=config.tz)
    first = build(config, BuildOptions(now=before))
    assert not (config.output / "morgen").exists() and first.write and first.write.written
    again = build(config, BuildOptions(now=before + timedelta(hours=1)))
    assert again.write and again.write.written == 0 and not (config.output / "morgen").exists()
    later = build(config, BuildOptions(now=before + timedelta(days=1)))
    assert (config.output / "morgen/index.html").is_file() and later.write and later.write.written
    assert "Morgen" in (config.output / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign pickle", "empty"])
def test_a_damaged_cache_means_a_full_build(tmp_path: Path, damage: str) -> None:
    import pickle

    make_site(tmp_path, {"a.md": essay("A"), "b.md": essay("B")})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    reference = tree_digest(tmp_path / "_site")
    (tmp_path / "essays/a.md").write_text(essay("A", body="Neuer Text."), encoding="utf-8")
    files = sorted((tmp_path / ".ssg-cache").glob("*.pickle"))
    assert len(files) == 2
    compiled = sorted((tmp_path / ".ssg-cache/templates").glob("*/*"))
    assert compiled  # compiled templates: damaged the same way
    for path in files + compiled:
        data = path.read_bytes()
        path.write_bytes(
            {
                "garbage": b"\x80\x05nonsense" * 10,
                "truncated": data[: len(data) // 2],
                "foreign pickle": pickle.dumps("0.1.0+other") + pickle.dumps({"x": 1}),
                "empty": b"",
            }[damage]
        )
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert tree_digest(tmp_path / "_site") != reference
    clean = tmp_path / "clean"
    assert run("build", "-s", str(tmp_path), "--no-cache", "-o", str(clean)).exit_code == 0
    assert tree_digest(tmp_path / "_site") == tree_digest(clean)


def test_preview_memory_sees_quick_same_size_edits_and_skips_settled_files(tmp_path: Path) -> None:
    import time

    from ssg.config import load_config
    from ssg.engine.build import BuildOptions, BuildReport
    from ssg.engine.inmemory import MemoryCache, render_site

    make_site(tmp_path, {"a.md": essay("A", body="Erster Text."), "b.md": essay("B")})
    config, _ = load_config(tmp_path)
    memory = MemoryCache()
    page = "a/index.html"
    assert "Erster Text." in render_site(config, BuildOptions(), BuildReport(), memory=memory).files[page].decode()
    # Same size, same coarse file time: the preview must still notice.
    (tmp_path / "essays/a.md").write_text(essay("A", body="Zweiter Txt."), encoding="utf-8")
    assert "Zweiter Txt." in render_site(config, BuildOptions(), BuildReport(), memory=memory).files[page].decode()
    time.sleep(0.1)
    render_site(config, BuildOptions(), BuildReport(), memory=memory)
    settled = memory.sources["essays/b.md"][1]
    render_site(config, BuildOptions(), BuildReport(), memory=memory)
    assert memory.sources["essays/b.md"][1] is settled  # not read again


def test_preview_shows_an_edited_essay_before_the_pages_that_list_it(tmp_path: Path) -> None:
    from ssg.config import load_config
    from ssg.engine.build import BuildOptions, BuildReport
    from ssg.engine.inmemory import File, MemoryCache, Rendered, render_site

    make_site(tmp_path, {f"e{i}.md": essay(f"Essay {i}", date=f"2026-01-1{i}", body=f"Text {i}.") for i in range(4)})
    config, _ = load_config(tmp_path)
    memory = MemoryCache()
    shown: list[Mapping[str, File]] = []

    def render() -> Rendered:
        return render_site(config, BuildOptions(), BuildReport(), memory=memory, early=shown.append)

    before = render().files
    assert not shown  # a first build has nothing to show early
    (tmp_path / "essays/e1.md").write_text(essay("Essay 1", date="2026-01-11", body="Neuer Text."), encoding="utf-8")
    after = render().files
    assert len(shown) == 1
    early = shown[0]
    page, feed = "essay-1/index.html", "feed.xml"
    assert b"Neuer Text." in early[page] and early[page] == after[page]
    assert early[feed] == before[feed] != after[feed]  # the feed (full texts) follows with the rest
    assert set(early) == set(after) and all(early[p] in (before[p], after[p]) for p in early)
    assert after == render_site(config, BuildOptions(), BuildReport()).files
    # Anything but edited essay text (a new essay, a changed site.yml) means one whole rebuild.
    (tmp_path / "essays/e4.md").write_text(essay("Essay 4", date="2026-01-14"), encoding="utf-8")
    render()
    (tmp_path / "site.yml").write_text(SITE_YML.replace("Testjournal", "Journal"), encoding="utf-8")
    config, _ = load_config(tmp_path)
    (tmp_path / "essays/e2.md").write_text(essay("Essay 2", date="2026-01-12", body="Anders."), encoding="utf-8")
    render()
    assert len(shown) == 1


def test_one_process_and_two_build_the_same_bytes(tmp_path: Path) -> None:
    # Enough essays for worker processes, and booklet parts whose forms a worker renders once for two pages.
    sheet = "worksheet:\n  fields:\n    - id: ruhe\n      type: scale\n      label: Ruhe\n      min: 1\n      max: 5\n"
    essays = {f"e{i:03}.md": essay(f"Essay {i}", date="2026-01-10", body=f"Text {i}.").replace("---\n\n", sheet + "---\n\n", 1) for i in range(120)}
    make_site(tmp_path, essays, SITE_YML + "booklet_size: 7\n")
    assert run("build", "-s", str(tmp_path), "-j", "1", "-o", str(tmp_path / "one")).exit_code == 0
    assert run("build", "-s", str(tmp_path), "-j", "2", "-o", str(tmp_path / "two")).exit_code == 0
    one = tree_digest(tmp_path / "one")
    assert sum(1 for p in one if p.endswith("arbeitsblatt/index.html")) == 120
    assert one == tree_digest(tmp_path / "two")


def test_rebuilds_trust_settled_file_status_but_see_every_edit(tmp_path: Path) -> None:
    import time

    from ssg.config import load_config
    from ssg.engine.cache import load_index

    make_site(tmp_path, {f"e{i}.md": essay(f"Essay {i}", date=f"2026-01-1{i}", body=f"Text {i}.") for i in range(4)})
    time.sleep(0.1)  # settled: their status may now stand for their bytes
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    config, _ = load_config(tmp_path)
    assert sorted(load_index(config).sources) == [f"essays/e{i}.md" for i in range(4)]
    for body in ("Text X.", "Text Y."):  # same size, right after the build: the status alone can't tell
        (tmp_path / "essays/e1.md").write_text(essay("Essay 1", date="2026-01-11", body=body), encoding="utf-8")
        assert run("build", "-s", str(tmp_path)).exit_code == 0
        assert body in (tmp_path / "_site/essay-1/index.html").read_text(encoding="utf-8")
    # The feed shows every essay's full text, also of those not read by the rebuild.
    assert run("build", "-s", str(tmp_path), "--no-cache", "-o", str(tmp_path / "clean")).exit_code == 0
    assert tree_digest(tmp_path / "_site") == tree_digest(tmp_path / "clean")


def test_a_text_edit_rewrites_list_pages_only_when_what_they_show_changes(tmp_path: Path) -> None:
    extra = {"tags": '["Ruhe"]', "prompts": '["Was bleibt?"]'}
    make_site(tmp_path, {f"e{i}.md": essay(f"Essay {i}", date=f"2026-01-1{i}", **extra) for i in range(3)})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    files = sorted(out.rglob("*.*"))

    def rewritten() -> set[str]:
        return {p.relative_to(out).as_posix() for p in files if p.stat().st_mtime_ns != before[p]}

    before = {p: p.stat().st_mtime_ns for p in files}
    edited = tmp_path / "essays/e1.md"
    edited.write_text(essay("Essay 1", date="2026-01-11", body="Ein anderer Text.", **extra), encoding="utf-8")
    from ssg.config import load_config
    from ssg.engine.build import BuildOptions, build

    report = build(load_config(tmp_path)[0], BuildOptions())
    # Neighbours, tag page, archive, home page, worksheet page and booklet show no text of the essay, and
    # three more words leave its reading time as it was: they are not even rendered again.
    assert report.rendered == 3
    assert rewritten() == {"essay-1/index.html", "feed.xml", "feed.json"}

    before = {p: p.stat().st_mtime_ns for p in files}
    long_text = " ".join(["Wort"] * 2000)  # ten minutes of reading, which lists show
    edited.write_text(essay("Essay 1", date="2026-01-11", body=long_text, **extra), encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    assert {"index.html", "themen/ruhe/index.html"} <= rewritten()
    assert "10 Min" in (out / "themen/ruhe/index.html").read_text(encoding="utf-8")
    assert run("build", "-s", str(tmp_path), "--no-cache", "-o", str(tmp_path / "clean")).exit_code == 0
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


def test_a_site_past_the_sitemap_limit_gets_a_sitemap_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xml.etree import ElementTree

    from ssg.outputs import feeds

    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", 4)  # sitemaps.org allows 50,000: a site that big is slow to test
    make_site(tmp_path, {f"e{i}.md": essay(f"Essay {i}", date=f"2026-01-1{i}") for i in range(5)})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ElementTree.fromstring((out / "sitemap.xml").read_bytes())
    assert index.tag == f"{ns}sitemapindex"
    parts = [urlsplit(loc.text or "").path for loc in index.iter(f"{ns}loc")]
    pages: list[str] = []
    for part in parts:
        urlset = ElementTree.fromstring((out / part.lstrip("/")).read_bytes())
        assert urlset.tag == f"{ns}urlset"
        entries = list(urlset.iter(f"{ns}url"))
        assert 0 < len(entries) <= 4
        pages += [urlsplit(e.findtext(f"{ns}loc") or "").path for e in entries]
        assert all(e.findtext(f"{ns}lastmod") for e in entries if "/essay-" in (e.findtext(f"{ns}loc") or ""))
    html = sorted("/" + p.relative_to(out).as_posix().removesuffix("index.html") for p in out.rglob("index.html"))
    assert len(parts) > 1 and sorted(pages) == html


def test_compiled_templates_follow_their_source_and_ssg_version(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A")}, SITE_YML + "theme: eigen\n")
    override = tmp_path / "themes/eigen/templates/essay.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "!default/essay.html" %}{% block meta %}<meta name="x" content="1">{% endblock %}')
    old_version = tmp_path / ".ssg-cache/templates/0.0.1-0000"
    old_version.mkdir(parents=True)
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    assert not old_version.exists()  # compiled by another ssg: removed
    assert '<meta name="x" content="1">' in (tmp_path / "_site/a/index.html").read_text(encoding="utf-8")
    override.write_text('{% extends "!default/essay.html" %}{% block meta %}<meta name="x" content="2">{% endblock %}')
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    assert '<meta name="x" content="2">' in (tmp_path / "_site/a/index.html").read_text(encoding="utf-8")


def test_a_cache_folder_that_cannot_be_written_only_costs_the_next_build_time(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A")})
    (tmp_path / ".ssg-cache").write_text("not a folder", encoding="utf-8")
    for _ in range(2):
        result = run("build", "-s", str(tmp_path))
        assert result.exit_code == 0, result.output
        assert ".ssg-cache: warning: cannot save the build cache" in result.output
    assert run("build", "-s", str(tmp_path), "--no-cache", "-o", str(tmp_path / "clean")).exit_code == 0
    assert tree_digest(tmp_path / "_site") == tree_digest(tmp_path / "clean")


def test_an_essays_own_outputs_are_those_the_whole_plan_makes_from_it(tmp_path: Path) -> None:
    # ssg serve shows an edit from these before it plans the rest: they must be the plan's own, key for key.
    from ssg.config import load_config
    from ssg.engine.build import BuildOptions, BuildReport, load_site, plan_all
    from ssg.engine.plan import keys_of, own_outputs

    sheet = "prompts: ['Was bleibt?']\n"
    essays = {f"e{i}.md": essay(f"Essay {i}", date=f"2026-01-1{i}", tags="[Ruhe]") for i in range(3)}
    essays["e1.md"] = essays["e1.md"].replace("---\n\n", sheet + "---\n\n", 1)
    make_site(tmp_path, essays)
    report = BuildReport()
    plan = plan_all(load_site(load_config(tmp_path)[0], BuildOptions(), report), report)
    for item in plan.site.essays:
        planned = [o for o in plan.outputs if o.source == item.source]
        own = own_outputs(plan, item)
        # Essay page, or essay page, worksheet page, its PDF and its QR code.
        assert len(own) == (4 if item.source == "essays/e1.md" else 1)
        assert sorted(zip([o.url for o in own], keys_of(plan, own), strict=True)) == sorted(
            zip([o.url for o in planned], keys_of(plan, planned), strict=True)
        )


def test_feeds_carry_rfc3339_times_even_for_old_dates(tmp_path: Path) -> None:
    # Before 1893 zoneinfo gives Berlin its local mean time, +00:53:28: RFC 3339 has no seconds in offsets.
    make_site(tmp_path, {"alt.md": essay("Alt", date="1850-01-01"), "neu.md": essay("Neu", date="2026-01-01")})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    atom = (tmp_path / "_site/feed.xml").read_text(encoding="utf-8")
    assert "<published>1849-12-31T23:06:32+00:00</published>" in atom
    assert "<published>2026-01-01T00:00:00+01:00</published>" in atom
    items = json.loads((tmp_path / "_site/feed.json").read_text(encoding="utf-8"))["items"]
    assert sorted(i["date_published"] for i in items) == ["1849-12-31T23:06:32+00:00", "2026-01-01T00:00:00+01:00"]


def test_preview_takes_over_what_a_later_build_left_and_renders_what_was_changed_by_hand(tmp_path: Path) -> None:
    from ssg.config import load_config
    from ssg.content.collect import Selection
    from ssg.engine.build import BuildOptions, BuildReport
    from ssg.engine.inmemory import MemoryCache, Stored, render_site

    make_site(tmp_path, {"a.md": essay("A", body="Erster Text.")})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    config, _ = load_config(tmp_path)
    memory = MemoryCache()
    options = BuildOptions(selection=Selection(drafts=True, future=True))
    render_site(config, options, BuildReport(), memory=memory)
    page, home = tmp_path / "_site/a/index.html", tmp_path / "_site/index.html"
    built = {"a/index.html": page.read_bytes(), "index.html": home.read_bytes()}
    page.write_bytes(built["a/index.html"] + b"<!-- von Hand -->")
    stat = home.stat()
    os.utime(home, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # the same bytes, touched
    assert run("build", "-s", str(tmp_path)).exit_code == 0  # rewrites the page, keeps the home page's bytes
    assert memory.forget_changed(config) == 0  # both as that build recorded them: served from there again
    for path, data in built.items():
        stored = memory.files[path][1]
        assert isinstance(stored, Stored) and stored.read() == data
    page.write_bytes(built["a/index.html"].replace(b"Erster Text.", b"Erster Txet."))
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000))
    assert memory.forget_changed(config) == 1 and "a/index.html" not in memory.files
    assert render_site(config, options, BuildReport(), memory=memory).files["a/index.html"] == built["a/index.html"]
