"""PDF handouts in the build: the site.yml switch, the cache, a theme's own template and its errors, serve."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdf

from tests.helpers import REPO, SITE_YML, essay, make_site, run, tree_digest

SHEET = "prompts:\n  - Was bleibt?\n  - text: Wofür nehme ich mir Zeit?\n    hint: Ein Satz.\n"
PDF = "e1/arbeitsblatt/e1-arbeitsblatt.pdf"


def _essays(body: str = "Text.") -> dict[str, str]:
    essays = {f"e{i}.md": essay(f"Essay {i}", date=f"2026-01-1{i}", slug=f"e{i}", body=body) for i in range(3)}
    essays["e1.md"] = essays["e1.md"].replace("---\n\n", SHEET + "---\n\n", 1)
    return essays


def test_pdf_false_in_site_yml_makes_no_pdfs_and_no_links(tmp_path: Path) -> None:
    make_site(tmp_path, _essays(), SITE_YML + "pdf: false\n")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    assert not list(out.rglob("*.pdf"))
    assert (out / "e1/arbeitsblatt/index.html").is_file()
    for page in ("e1/arbeitsblatt/index.html", "arbeitsblaetter/index.html", "arbeitsblaetter/heft/index.html"):
        assert ".pdf" not in (out / page).read_text(encoding="utf-8")


def test_a_pdf_setting_that_is_no_yes_or_no_is_an_error_at_its_line(tmp_path: Path) -> None:
    make_site(tmp_path, _essays(), SITE_YML + "pdf: vielleicht\n")
    result = run("build", "-s", str(tmp_path))
    line = (SITE_YML + "pdf: vielleicht\n").splitlines().index("pdf: vielleicht") + 1
    assert result.exit_code == 1
    assert f"site.yml:{line}: 'pdf' must be true or false" in result.output
    assert not (tmp_path / "_site").exists()


def test_the_worksheet_url_word_names_the_pdf(tmp_path: Path) -> None:
    site_yml = SITE_YML.replace("language: de", "language: en")
    make_site(tmp_path, _essays(), site_yml + "urls:\n  worksheet: worksheet\n  worksheets: sheets\n  booklet: all\n")
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == [
        "e1/worksheet/e1-worksheet.pdf", "sheets/all/sheets-all.pdf"
    ]
    page = (out / "e1/worksheet/index.html").read_text(encoding="utf-8")
    assert "Download as PDF</a>" in page


def test_a_text_edit_makes_no_new_pdf_and_a_question_edit_does(tmp_path: Path) -> None:
    from ssg.config import load_config
    from ssg.engine.build import BuildOptions, build

    with_pdf, without = tmp_path / "mit", tmp_path / "ohne"
    make_site(with_pdf, _essays())
    make_site(without, _essays(), SITE_YML + "pdf: false\n")
    for root in (with_pdf, without):
        assert run("build", "-s", str(root)).exit_code == 0
    stamp = (with_pdf / "_site" / PDF).stat().st_mtime_ns
    # The essay's text only: its page and the feeds render again; the sheet, its PDF and the booklet do not.
    rendered = {}
    for root in (with_pdf, without):
        source = root / "essays" / "e1.md"
        source.write_text(source.read_text(encoding="utf-8").replace("Text.", "Ein anderer Text."), encoding="utf-8")
        rendered[root] = build(load_config(root)[0], BuildOptions()).rendered
    assert rendered[with_pdf] == rendered[without]
    assert (with_pdf / "_site" / PDF).stat().st_mtime_ns == stamp
    # A question changes the sheet: a new PDF, whose size the page shows.
    source = with_pdf / "essays" / "e1.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Was bleibt?", "Was bleibt, was geht?"), "utf-8")
    assert run("build", "-s", str(with_pdf)).exit_code == 0
    pdf = with_pdf / "_site" / PDF
    assert "Was bleibt, was geht?" in pypdf.PdfReader(pdf).pages[0].extract_text()
    page = (with_pdf / "_site" / "e1/arbeitsblatt/index.html").read_text(encoding="utf-8")
    assert f"(PDF, {round(pdf.stat().st_size / 1024)} KB)" in page
    assert run("build", "-s", str(with_pdf), "--no-cache", "-o", str(tmp_path / "clean")).exit_code == 0
    assert tree_digest(with_pdf / "_site") == tree_digest(tmp_path / "clean")


def test_a_booklet_bound_after_a_question_edit_is_the_booklet_of_a_clean_build(tmp_path: Path) -> None:
    # The edited sheet's handout is made again; the booklet part then binds it with the unchanged handout,
    # which the process did not make in this build and so typesets for the booklet.
    essays = _essays()
    essays["e2.md"] = essays["e2.md"].replace("---\n\n", SHEET.replace("Was bleibt?", "Was trägt?") + "---\n\n", 1)
    make_site(tmp_path / "site", essays)
    root = tmp_path / "site"
    assert run("build", "-s", str(root)).exit_code == 0
    booklet = root / "_site" / "arbeitsblaetter" / "heft" / "arbeitsblaetter-heft.pdf"
    before = booklet.read_bytes()
    source = root / "essays" / "e1.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Was bleibt?", "Was bleibt, was geht?"), "utf-8")
    assert run("build", "-s", str(root)).exit_code == 0
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(booklet).pages)
    assert booklet.read_bytes() != before and "Was bleibt, was geht?" in text and "Was trägt?" in text
    assert run("build", "-s", str(root), "--no-cache", "-o", str(tmp_path / "clean")).exit_code == 0
    assert tree_digest(root / "_site") == tree_digest(tmp_path / "clean")


def test_a_site_theme_brings_its_own_typst_template_and_hears_of_its_errors(tmp_path: Path) -> None:
    make_site(tmp_path, _essays(), SITE_YML + "theme: eigen\n")
    folder = tmp_path / "themes/eigen/pdf"
    folder.mkdir(parents=True)
    template = folder / "worksheet.typ"
    template.write_text(
        '#let data = json(bytes(sys.inputs.data))\nEIGENES LAYOUT: #data.sheets.at(0).title\n', encoding="utf-8"
    )
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    out = tmp_path / "_site"
    assert "EIGENES LAYOUT: Essay 1" in pypdf.PdfReader(out / PDF).pages[0].extract_text()
    before = tree_digest(out)
    template.write_text("#let data = \n#data.nothing\n", encoding="utf-8")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1
    assert "themes/eigen/pdf/worksheet.typ: Typst: " in result.output
    assert "Traceback" not in result.output
    assert tree_digest(out) == before


def test_builds_with_one_and_with_two_processes_follow_each_other_in_one_process(tmp_path: Path) -> None:
    # Typst's threads would hang a process forked after it compiled: the building process never compiles.
    make_site(tmp_path, _essays())
    script = textwrap.dedent(f"""
        from ssg.cli import main
        for jobs, out in (("1", "a"), ("2", "b"), ("1", "c")):
            try:
                main(["build", "-s", {str(tmp_path)!r}, "-q", "-j", jobs, "-o", {str(tmp_path)!r} + "/" + out])
            except SystemExit as exc:
                assert exc.code == 0, exc.code
        print("built")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "built", done.stderr
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b") == tree_digest(tmp_path / "c")
    assert (tmp_path / "a" / PDF).is_file()


def test_serve_renders_pdfs_in_memory_with_their_sizes_on_the_pages(tmp_path: Path) -> None:
    from ssg.config import load_config
    from ssg.engine.build import BuildOptions, BuildReport
    from ssg.engine.inmemory import MemoryCache, render_site

    make_site(tmp_path, _essays())
    memory = MemoryCache()
    config = load_config(tmp_path)[0]
    files = render_site(config, BuildOptions(), BuildReport(), memory=memory).files
    size = len(files[PDF])
    assert files[PDF].startswith(b"%PDF-")
    assert f"(PDF, {round(size / 1024)} KB)".encode() in files["e1/arbeitsblatt/index.html"]
    source = tmp_path / "essays" / "e1.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Was bleibt?", "Was bleibt heute?"), "utf-8")
    published = []
    report = BuildReport()
    again = render_site(config, BuildOptions(), report, memory=memory, early=published.append).files
    assert "Was bleibt heute?" in pypdf.PdfReader(io.BytesIO(again[PDF])).pages[0].extract_text()
    assert published and published[0][PDF] == again[PDF]
    assert f"(PDF, {round(len(again[PDF]) / 1024)} KB)".encode() in again["e1/arbeitsblatt/index.html"]
    assert not (tmp_path / "_site").exists()
