"""Input from other systems: decomposed Unicode, tags without letters, names Windows cannot hold, typos."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from tests.helpers import SITE_YML, essay, make_site, run, tree_digest


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_decomposed_unicode_in_names_and_text_gives_the_same_site_as_composed(tmp_path: Path) -> None:
    composed, decomposed = tmp_path / "nfc", tmp_path / "nfd"
    text = essay("Übung macht Größe", tags="[Übung]", body="Schöne Grüße.")
    page = "---\ntitle: Über mich\n---\n\nÄrger.\n"
    make_site(composed, {"übung.md": text})
    (composed / "pages").mkdir()
    (composed / "pages" / "Über mich.md").write_text(page, encoding="utf-8")
    make_site(decomposed, {nfd("übung.md"): nfd(text)}, nfd(SITE_YML))
    (decomposed / "pages").mkdir()
    (decomposed / "pages" / nfd("Über mich.md")).write_text(nfd(page), encoding="utf-8")
    assert (decomposed / "essays" / nfd("übung.md")).exists() and nfd("ü") != "ü"
    for root in (composed, decomposed):
        result = run("build", "-s", str(root))
        assert result.exit_code == 0, result.output
    assert (decomposed / "_site/uebung-macht-groesse/index.html").is_file()
    assert (decomposed / "_site/themen/uebung/index.html").is_file()
    assert (decomposed / "_site/ueber-mich/index.html").is_file()
    assert tree_digest(composed / "_site") == tree_digest(decomposed / "_site")


def test_a_tag_or_title_without_letters_gets_a_portable_address_and_shows_as_written(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("🌱", tags="['🌱', '★ ✓']")})
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output
    out = tmp_path / "_site"
    assert "<h1>🌱</h1>" in (out / "u1f331/index.html").read_text(encoding="utf-8")
    assert "🌱" in (out / "themen/u1f331/index.html").read_text(encoding="utf-8")
    assert "★ ✓" in (out / "themen/u2605-u2713/index.html").read_text(encoding="utf-8")
    assert all(p.relative_to(out).as_posix().isascii() for p in out.rglob("*"))


def test_names_windows_cannot_hold_are_changed_or_refused(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("Con", tags="[nul, LPT1]")})
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output
    out = tmp_path / "_site"
    assert (out / "con-1/index.html").is_file()
    assert (out / "themen/nul-1/index.html").is_file() and (out / "themen/lpt1-1/index.html").is_file()
    before = tree_digest(out)
    for name, text, expected in [
        ("essays/b.md", essay("B", slug="aux"), "essays/b.md:4: slug 'aux' is not allowed"),
        ("essays/c.md", essay("C", aliases="[/alt/com1/]"), "essays/c.md:4: alias '/alt/com1/' holds a name Windows"),
        ("static/prn.txt", "x", "static/prn.txt: makes prn.txt, but Windows cannot hold a file or folder named 'prn.txt'"),
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        result = run("build", "-s", str(tmp_path))
        assert result.exit_code == 1 and expected in result.output, result.output
        assert tree_digest(out) == before
        path.unlink()
    (tmp_path / "site.yml").write_text(SITE_YML + "urls:\n  archive: Nul\n", encoding="utf-8")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1 and "site.yml:9: urls.archive must be one plain path word" in result.output


def test_a_misspelt_field_key_says_so_and_nothing_misleading_follows(tmp_path: Path) -> None:
    sheet = """worksheet:
  fields:
    - id: ruhe
      type: scale
      lable: "Ich bin ruhig."
  score:
    sum: [ruhe]
    bands:
      - range: [1, 5]
        title: Gut
"""
    text = essay("A").replace("---\n\n", sheet + "---\n\n", 1)
    make_site(tmp_path, {"a.md": text})
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "essays/a.md:8: worksheet field 'ruhe': 'label' is missing: is 'lable' a misspelling of it?",
        "essays/a.md:8: warning: worksheet field 'ruhe': unknown key 'lable' (ignored; known: help, id, label, left, "
        "max, min, reverse, right, type)",
        "Build failed: 1 error.",
    ]


def test_yaml_slips_are_named_where_they_are(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": "---\ntitle: A\ndate: 2026-01-01\nprompts:\n\t- Frage\n---\n"})
    result = run("build", "-s", str(tmp_path))
    assert "essays/a.md:5: YAML syntax error: a tab in the indentation; YAML allows only spaces there" in result.output


def test_build_without_site_yml_suggests_ssg_init(tmp_path: Path) -> None:
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1 and "ssg init FOLDER starts a new site" in result.output


def test_straight_quotes_in_titles_become_the_languages_typographic_quotes(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": "---\ntitle: Über \"Größe\" und Rock'n'Roll\ndate: 2026-01-15\n---\n\nEin \"Text\".\n"})
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages/p.md").write_text("---\ntitle: '\"Kontakt\"'\n---\n", encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    html = (out / "ueber-groesse-und-rock-n-roll/index.html").read_text(encoding="utf-8")
    assert "<h1>Über „Größe“ und Rock’n’Roll</h1>" in html and "Ein „Text“." in html
    assert "<title>Über „Größe“ und Rock’n’Roll – Testjournal</title>" in html
    assert "<h1>„Kontakt“</h1>" in (out / "p/index.html").read_text(encoding="utf-8")
    (tmp_path / "site.yml").write_text(SITE_YML + "markdown:\n  typographer: false\n", encoding="utf-8")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    html = (out / "ueber-groesse-und-rock-n-roll/index.html").read_text(encoding="utf-8")
    assert "<h1>Über &#34;Größe&#34; und Rock&#39;n&#39;Roll</h1>" in html
