"""The build cache never changes the result: after any edits, a cached build equals a clean one, and what
ssg serve shows (starting from the last build's files or an earlier preview's, some changed behind its back)
equals it too."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from ssg.config import SiteConfig, load_config
from ssg.content.collect import Selection
from ssg.engine.build import BuildOptions, BuildReport
from ssg.engine.inmemory import File, MemoryCache, render_site
from ssg.theme import builtin_theme_dir
from tests.helpers import SITE_YML, essay, make_site, run, tree_digest

WORDS = st.sampled_from(["Ruhe", "Zeit", "Begegnung", "Handschlag", "Größe", "Fokus"])
NAMES = st.sampled_from(["a.md", "b.md", "c.md", "d.md"])
PAGES = st.sampled_from(["impressum.md", "ueber.md"])

WORKSHEET = """prompts:
  - "Was brauche ich NICHT?"
worksheet:
  fields:
    - id: ruhe
      type: scale
      label: "Ich bin ruhig."
  score:
    sum: [ruhe]
    bands:
      - range: [1, 5]
        title: "Gut"
"""

# Theme overrides a site may write: each changes what its pages show, and other templates depend on it.
TEMPLATE_EDITS = {
    "tag.html": None,  # extends the default's template
    "base.html": ('<footer class="site-footer">', '<footer class="site-footer">{word}'),  # every page
    "_macros.html": ('<p class="meta">', '<p class="meta">{word}'),  # imported by essay, home and tag pages
    "_worksheet.html": ('<p class="sheet-kicker">', '<p class="sheet-kicker">{word}'),  # via sheet_form_html()
    "_feed_entry.html": ("<h2>", "<h2>{word}"),  # imported by atom.xml, rendered by the JSON Feed's producer
}

EDITS = st.one_of(
    st.tuples(st.just("body"), NAMES, WORDS),
    st.tuples(st.just("title"), NAMES, WORDS),
    st.tuples(st.just("tag"), NAMES, WORDS),
    st.tuples(st.just("worksheet"), NAMES, WORDS),
    st.tuples(st.just("delete"), NAMES, WORDS),
    st.tuples(st.just("rename"), NAMES, NAMES),
    st.tuples(st.just("template"), st.sampled_from(sorted(TEMPLATE_EDITS)), WORDS),
    st.tuples(st.just("untemplate"), st.sampled_from(sorted(TEMPLATE_EDITS)), WORDS),
    st.tuples(st.just("strings"), st.just(""), WORDS),
    st.tuples(st.just("site"), st.just(""), WORDS),
    st.tuples(st.just("static"), st.sampled_from(["static", "themes/mein/static"]), WORDS),
    st.tuples(st.just("touch"), NAMES, WORDS),
    st.tuples(st.just("page"), PAGES, WORDS),
    st.tuples(st.just("unpage"), PAGES, WORDS),
    st.tuples(st.just("repage"), PAGES, PAGES),
    st.tuples(st.just("menu"), PAGES, WORDS),
    st.tuples(st.just("alias"), NAMES, WORDS),
    # Files beside essays: an image shown by an essay (folder or flat), replaced by another, deleted, a handout.
    st.tuples(st.just("image"), NAMES, WORDS),
    st.tuples(st.just("unimage"), NAMES, WORDS),
    st.tuples(st.just("folder"), NAMES, WORDS),
    st.tuples(st.just("handout"), NAMES, WORDS),
    st.tuples(st.just("widths"), st.just(""), WORDS),
    # Series: an essay joins one (with or without a part number, a duplicate one breaking the build), becomes a
    # draft part (which serve shows and build leaves out), or leaves.
    st.tuples(st.just("series"), NAMES, WORDS),
    st.tuples(st.just("draftpart"), NAMES, WORDS),
    st.tuples(st.just("unseries"), NAMES, WORDS),
    # Not edits of the site: a file of the built site (or of the preview's cache) changed behind ssg's back,
    # serve started anew, or started anew from the earlier preview's cache alone (no build's to help).
    st.tuples(st.just("tamper"), st.sampled_from(["index.html", "feed.xml", "page", "store"]), WORDS),
    st.tuples(st.just("restart"), st.just(""), WORDS),
    st.tuples(st.just("reserve"), st.just(""), WORDS),
)
SERIES = {
    "Ruhe": "Weg", "Zeit": "Weg", "Begegnung": "{name: Weg, part: 1}", "Handschlag": "{name: weg, part: 2}",
    "Größe": "Ziel", "Fokus": "{name: Ziel, part: 1}",
}
COLOURS = {"Ruhe": "red", "Zeit": "blue", "Begegnung": "green", "Handschlag": "white", "Größe": "black", "Fokus": "gray"}


def write_essay(root: Path, name: str, title: str, tag: str = "Anfang", body: str = "Text.", extra: str = "") -> None:
    text = essay(f"{title} {name[0]}", date=f"2026-0{'abcd'.index(name[0]) + 1}-10", body=body, tags=f"[{tag}]")
    if extra:
        text = text.replace("\n---\n", "\n" + extra + "---\n", 1)
    (root / "essays" / name).write_text(text, encoding="utf-8")


def apply_edit(root: Path, edit: tuple[str, str, str]) -> None:
    kind, name, word = edit
    path = root / "essays" / name
    if kind == "body":
        write_essay(root, name, "Essay", body=f"Ein Text über {word}.\n\n## {word}\n")
    elif kind == "title":
        write_essay(root, name, word)
    elif kind == "tag":
        write_essay(root, name, "Essay", tag=word)
    elif kind == "worksheet":
        write_essay(root, name, "Blatt", extra=WORKSHEET.replace("Gut", word))
    elif kind == "delete":
        path.unlink(missing_ok=True)
    elif kind == "rename" and path.exists() and name != word:
        path.rename(root / "essays" / word)
    elif kind == "template":
        override = root / "themes/mein/templates" / name
        change = TEMPLATE_EDITS[name]
        if change is None:
            text = '{% extends "!default/' + name + '" %}{% block content %}' + word + "{{ super() }}{% endblock %}"
        else:
            text = (builtin_theme_dir() / "templates" / name).read_text(encoding="utf-8")
            assert change[0] in text
            text = text.replace(change[0], change[1].format(word=word), 1)
        override.write_text(text, encoding="utf-8")
    elif kind == "untemplate":
        (root / "themes/mein/templates" / name).unlink(missing_ok=True)
    elif kind == "strings":
        # A UI string of the site's theme: pages and producers that show it must follow.
        strings = root / "themes/mein/i18n/de.yml"
        strings.parent.mkdir(parents=True, exist_ok=True)
        strings.write_text(f"reflection_questions: {word}\n", encoding="utf-8")
    elif kind == "static":
        (root / name).mkdir(parents=True, exist_ok=True)
        (root / name / "notiz.txt").write_text(word, encoding="utf-8")
    elif kind == "touch" and path.exists():
        path.write_bytes(path.read_bytes())  # same bytes, new modification time
    elif kind == "page":
        (root / "pages").mkdir(exist_ok=True)
        text = f"---\ntitle: {word}\naliases: [/alt-{name[0]}/]\n---\n\nÜber {word}. [Start](/)\n"
        (root / "pages" / name).write_text(text, encoding="utf-8")
    elif kind == "unpage":
        (root / "pages" / name).unlink(missing_ok=True)
    elif kind == "repage" and (root / "pages" / name).exists() and name != word:
        (root / "pages" / name).rename(root / "pages" / word)
    elif kind == "menu":
        # A header menu with a relabelled section, a footer naming a page (an error while the page is missing).
        menu = f"menu:\n  - home\n  - section: archive\n    label: {word}\nfooter_menu:\n  - page: {name[:-3]}\n"
        (root / "site.yml").write_text(SITE_YML + "theme: mein\n" + menu, encoding="utf-8")
    elif kind == "alias":
        write_essay(root, name, "Essay", extra=f"aliases: [/frueher-{word.lower()}/]\n")
    elif kind == "image":
        # A flat essay showing foto-<letter>.jpg (replaced when it is there: new bytes, perhaps a new size).
        width = 300 + 40 * len(word)
        Image.new("RGB", (width, 200), COLOURS[word]).save(root / "essays" / f"foto-{name[0]}.jpg", quality=80)
        write_essay(root, name, "Bild", body=f"![Ein Foto](foto-{name[0]}.jpg)\n\n![Noch eins](foto-{name[0]}.jpg)\n")
    elif kind == "unimage":
        (root / "essays" / f"foto-{name[0]}.jpg").unlink(missing_ok=True)  # an essay showing it fails, as it should
    elif kind == "folder":
        # The essay becomes a folder with its photo beside it (an image that has the flat essay's name, too).
        folder = root / "essays" / name[:-3]
        folder.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        Image.new("RGB", (500, 240), COLOURS[word]).save(folder / "foto.png")
        body = f"![Foto]({'foto.png'})\n\n[Blatt](blatt.pdf)\n"
        (folder / "blatt.pdf").write_bytes(f"%PDF {word}".encode())
        text = essay(f"Mappe {name[0]}", date=f"2026-0{'abcd'.index(name[0]) + 1}-10", body=body, tags="[Bild]")
        (folder / "index.md").write_text(text, encoding="utf-8")
    elif kind == "handout":
        folder = root / "essays" / name[:-3]
        if folder.is_dir():
            (folder / "blatt.pdf").write_bytes(f"%PDF {word} neu".encode())
    elif kind == "series":
        write_essay(root, name, word, extra=f"series: {SERIES[word]}\n")
    elif kind == "draftpart":
        write_essay(root, name, word, extra=f"series: {SERIES[word]}\ndraft: true\n")
    elif kind == "unseries":
        write_essay(root, name, word)
    elif kind == "widths":
        site = SITE_YML + "theme: mein\n" + f"images:\n  widths: [{100 + 20 * len(word)}, 400]\n"
        (root / "site.yml").write_text(site, encoding="utf-8")
    elif kind == "site":
        # The title, and the base URL's path (which templates fold into constants when they are compiled).
        site = SITE_YML.replace("Testjournal", word)
        if len(word) % 2:
            site = site.replace("https://example.org/", "https://example.org/journal/")
        (root / "site.yml").write_text(site + "theme: mein\n", encoding="utf-8")


# Fixed examples under CI (a red CI should mean a change broke something); random ones locally.
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=bool(os.environ.get("CI")),
)
@given(edits=st.lists(EDITS, min_size=1, max_size=5))
@example(edits=[("rename", "a.md", "b.md"), ("body", "a.md", "Ruhe"), ("title", "b.md", "Zeit")])
@example(edits=[("template", "_worksheet.html", "Ruhe"), ("template", "_macros.html", "Zeit"), ("untemplate", "_worksheet.html", "")])
@example(edits=[("template", "base.html", "Ruhe"), ("template", "tag.html", "Zeit"), ("untemplate", "base.html", "")])
@example(edits=[("site", "", "Ruhe"), ("site", "", "Zeit"), ("body", "a.md", "Ruhe")])
@example(edits=[("page", "impressum.md", "Ruhe"), ("menu", "impressum.md", "Zeit"), ("page", "impressum.md", "Fokus")])
@example(edits=[("page", "ueber.md", "Ruhe"), ("repage", "ueber.md", "impressum.md"), ("alias", "a.md", "Zeit")])
@example(edits=[("template", "_feed_entry.html", "Ruhe"), ("strings", "", "Zeit"), ("untemplate", "_feed_entry.html", "")])
@example(edits=[("image", "a.md", "Ruhe"), ("image", "a.md", "Begegnung"), ("widths", "", "Zeit"), ("unimage", "a.md", "")])
@example(edits=[("folder", "b.md", "Ruhe"), ("handout", "b.md", "Zeit"), ("image", "c.md", "Fokus"), ("delete", "c.md", "")])
@example(edits=[("restart", "", "Ruhe"), ("tamper", "index.html", "Zeit"), ("body", "a.md", "Ruhe"), ("restart", "", "")])
@example(edits=[("series", "a.md", "Ruhe"), ("series", "b.md", "Zeit"), ("title", "b.md", "Fokus"), ("body", "a.md", "Zeit")])
@example(edits=[("series", "a.md", "Begegnung"), ("draftpart", "b.md", "Handschlag"), ("series", "c.md", "Ruhe"), ("unseries", "a.md", "")])
@example(edits=[("tamper", "page", "Fokus"), ("restart", "", "Ruhe"), ("tamper", "feed.xml", "Zeit")])
@example(edits=[("body", "a.md", "Ruhe"), ("reserve", "", "Zeit"), ("tag", "b.md", "Fokus"), ("reserve", "", "")])
@example(edits=[("body", "a.md", "Zeit"), ("tamper", "store", "Fokus"), ("reserve", "", "Ruhe"), ("template", "base.html", "Zeit"), ("reserve", "", "")])
def test_cached_build_equals_clean_build(edits: list[tuple[str, str, str]]) -> None:
    root = Path(tempfile.mkdtemp(prefix="ssg-cache-"))
    try:
        make_site(root, {}, SITE_YML + "theme: mein\n")
        (root / "themes/mein/templates").mkdir(parents=True)
        for name in ("a.md", "b.md"):
            write_essay(root, name, "Essay")
        write_essay(root, "c.md", "Blatt", extra=WORKSHEET)
        assert run("build", "-s", str(root)).exit_code == 0
        memory = MemoryCache(on_disk=True)  # as ssg serve keeps it
        saved = False  # whether the last preview left its cache with the site as it is now
        for edit in edits:
            apply_edit(root, edit)
            if edit[0] in ("restart", "reserve"):
                memory = MemoryCache(on_disk=True)
            fresh = not memory.started
            cached = run("build", "-s", str(root))
            clean_out = root / "clean"
            shutil.rmtree(clean_out, ignore_errors=True)
            clean = run("build", "-s", str(root), "--no-cache", "-o", str(clean_out))
            # Edits may break the site (a rename can duplicate a slug): then both builds must fail alike.
            assert cached.exit_code == clean.exit_code, cached.output + clean.output
            if cached.exit_code:
                assert cached.output == clean.output
                saved = False
                continue
            assert tree_digest(root / "_site") == tree_digest(clean_out), edit
            if edit[0] == "tamper":
                tamper(root, edit[1], edit[2])
            # ssg serve, reusing what it rendered and the files of the last build, shows what a clean build makes.
            config, _ = load_config(root)
            clean_files = files_below(clean_out)
            drafts = has_drafts(root)
            if drafts:  # the preview shows drafts: what a clean build with them makes
                shutil.rmtree(clean_out)
                with_drafts = run("build", "-s", str(root), "--no-cache", "--drafts", "-o", str(clean_out))
                assert with_drafts.exit_code == 0, with_drafts.output
                clean_files = files_below(clean_out)
            index, hidden = root / ".ssg-cache/outputs.pickle", root / "outputs.pickle.hidden"
            if edit[0] == "reserve":
                index.rename(hidden)  # this preview starts from the earlier one's cache alone
            try:
                served, started = serve_files(config, memory)
            finally:
                if hidden.exists():
                    hidden.rename(index)
            assert served == clean_files, edit
            # A preview started right after a build (of a site with no drafts) or right after a preview shows its
            # files at once, unless one of them was changed since; never anything else.
            assert started is None or started == clean_files, edit
            if fresh and edit[0] != "tamper" and (edit[0] != "reserve" or saved) and not drafts:
                assert started == clean_files, edit
            elif not fresh:
                assert started is None, edit
            saved = True
    finally:
        shutil.rmtree(root, ignore_errors=True)


def has_drafts(root: Path) -> bool:
    """Tell whether an essay of the site is a draft (the build leaves it out, the preview shows it)."""
    return any("\ndraft: true\n" in p.read_text(encoding="utf-8") for p in (root / "essays").rglob("*.md"))


def tamper(root: Path, name: str, word: str) -> None:
    """Change a built file (or one the preview left in the cache) behind ssg's back: same size (only the mtime
    tells) or another size."""
    out = root / "_site"
    pages = sorted(p for p in out.rglob("index.html") if p.parent != out)
    stored = sorted((root / ".ssg-cache/serve/files").glob("*"))
    if name == "store" and not stored:
        return
    target = stored[len(word) % len(stored)] if name == "store" else pages[len(word) % len(pages)] if name == "page" else out / name
    data = target.read_bytes()
    target.write_bytes(data.replace(b"<", b"[", 1) if len(word) % 2 else data + word.encode())


def serve_files(config: SiteConfig, memory: MemoryCache) -> tuple[dict[str, bytes], dict[str, bytes] | None]:
    """Return every file as ssg serve would answer it (one it finds changed on disk is rendered again), and
    what it showed at once on starting, if it did."""
    options = BuildOptions(selection=Selection(drafts=True, future=True))
    fresh = not memory.started
    published: list[Mapping[str, File]] = []
    files = render_site(config, options, BuildReport(), memory=memory, early=published.append).files
    started = read_all(published[0]) if fresh and published else None
    shown = read_all(files)
    if shown is None:
        memory.forget_changed(config)  # what a request for such a file makes the preview do before answering it
        shown = render_site(config, options, BuildReport(), memory=memory).contents()
    memory.save(config)  # as the preview does after each whole build
    return shown, started


def read_all(files: Mapping[str, File]) -> dict[str, bytes] | None:
    """Return every file's bytes as the preview's server reads them; None if one changed on disk since."""
    shown = {p: data if isinstance(data, bytes) else data.read() for p, data in files.items()}
    return None if any(data is None for data in shown.values()) else shown


def files_below(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
