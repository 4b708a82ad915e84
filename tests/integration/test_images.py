"""Files beside essays and pages: published next to the text, images upright, without metadata, in smaller sizes."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from PIL import Image

from ssg.config import load_config
from ssg.engine.build import BuildOptions, build
from tests.helpers import SITE_YML, essay, make_site, run, tree_digest
from tests.photos import (
    BLUE,
    RED,
    gif_with_comment,
    metadata_left,
    near,
    phone_jpeg,
    pixel,
    png_with_text,
    webp_with_exif,
)

SUB_PATH = SITE_YML.replace("https://example.org/", "https://example.org/journal/")
SMALL_WIDTHS = "images:\n  widths: [100, 200]\n"


class Images(HTMLParser):
    """The <img> elements and og:image of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.og_image = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "img":
            self.images.append(values)
        if tag == "meta" and values.get("property") == "og:image":
            self.og_image = values["content"]


def images_of(page: Path) -> Images:
    parser = Images()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def folder_essay(root: Path, name: str, body: str, **extra: str) -> Path:
    folder = root / "essays" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text(essay(name.title(), body=body, **extra), encoding="utf-8")
    return folder


def built(root: Path) -> Path:
    result = run("build", "-s", str(root))
    assert result.exit_code == 0, result.output
    return root / "_site"


def test_phone_photo_is_published_upright_and_without_what_identifies_its_place(tmp_path: Path) -> None:
    make_site(tmp_path, {}, SUB_PATH + SMALL_WIDTHS)
    folder = folder_essay(tmp_path, "strasse", "Vorher.\n\n![Die Straße vor dem Haus](strasse.jpg)\n")
    phone_jpeg(folder / "strasse.jpg", size=(400, 300), orientation=6)
    assert metadata_left((folder / "strasse.jpg").read_bytes()), "the test photo carries no metadata"
    out = built(tmp_path)

    published = {p.name: p.read_bytes() for p in (out / "strasse").glob("strasse*.jpg")}
    assert sorted(published) == ["strasse-100w.jpg", "strasse-200w.jpg", "strasse.jpg"]
    for name, data in published.items():
        assert metadata_left(data) == [], name
    # Stored 400 × 300 on its side (left half red): shown 300 × 400, red on top.
    full = published["strasse.jpg"]
    assert near(pixel(full, (150, 40)), RED) and near(pixel(full, (150, 360)), BLUE)
    sizes = {name: Image.open(io.BytesIO(data)).size for name, data in published.items()}
    assert sizes == {"strasse.jpg": (300, 400), "strasse-100w.jpg": (100, 133), "strasse-200w.jpg": (200, 267)}
    assert near(pixel(published["strasse-100w.jpg"], (50, 10)), RED)
    assert near(pixel(published["strasse-100w.jpg"], (50, 120)), BLUE)
    # The colour profile stays.
    assert Image.open(io.BytesIO(full)).info.get("icc_profile")

    page = images_of(out / "strasse/index.html")
    [img] = page.images
    assert img["src"] == "/journal/strasse/strasse.jpg"
    assert (img["width"], img["height"], img["alt"]) == ("300", "400", "Die Straße vor dem Haus")
    assert img["srcset"] == (
        "/journal/strasse/strasse-100w.jpg 100w, /journal/strasse/strasse-200w.jpg 200w, "
        "/journal/strasse/strasse.jpg 300w"
    )
    assert img["sizes"]
    assert "loading" not in img, "the first image of a page should load at once"
    assert page.og_image == "https://example.org/journal/strasse/strasse.jpg"  # at most 1,600 pixels wide


def test_upright_photo_loses_its_metadata_too(tmp_path: Path) -> None:
    # Orientation 1 needs no turning: the published image keeps the source's JPEG quantization, not its metadata.
    make_site(tmp_path, {}, SITE_YML + SMALL_WIDTHS)
    folder = folder_essay(tmp_path, "strasse", "![Die Straße](strasse.jpg)\n")
    phone_jpeg(folder / "strasse.jpg", size=(400, 300), orientation=1)
    out = built(tmp_path)
    for name in ("strasse.jpg", "strasse-100w.jpg", "strasse-200w.jpg"):
        data = (out / "strasse" / name).read_bytes()
        assert metadata_left(data) == [], name
        assert near(pixel(data, (5, 5)), RED), name
    [img] = images_of(out / "strasse/index.html").images
    assert (img["width"], img["height"]) == ("400", "300")


@pytest.mark.parametrize(
    ("name", "write"),
    [("bild.png", png_with_text), ("bild.webp", webp_with_exif), ("bild.gif", gif_with_comment)],
)
def test_png_webp_and_gif_lose_their_metadata_too(tmp_path: Path, name: str, write: object) -> None:
    make_site(tmp_path, {}, SITE_YML + SMALL_WIDTHS)
    folder = folder_essay(tmp_path, "bild", f"![Ein Bild]({name})\n")
    write(folder / name)  # type: ignore[operator]
    assert metadata_left((folder / name).read_bytes())
    out = built(tmp_path)
    stem, extension = name.split(".")
    made = sorted(p.name for p in (out / "bild").iterdir() if p.name != "index.html")
    assert made == [f"{stem}-100w.{extension}", f"{stem}-200w.{extension}", name]
    for file in made:
        data = (out / "bild" / file).read_bytes()
        assert metadata_left(data) == [], file
        assert near(pixel(data, (5, 5)), RED) and near(pixel(data, (pixel_x(file), 5)), BLUE), file
    [img] = images_of(out / "bild/index.html").images
    assert (img["width"], img["height"]) == ("400", "300")


def pixel_x(name: str) -> int:
    width = int(m.group(1)) if (m := re.search(r"-(\d+)w\.", name)) else 400
    return width - 5


def test_metadata_stays_only_when_site_yml_says_so(tmp_path: Path) -> None:
    make_site(tmp_path, {}, SITE_YML + "images:\n  strip_metadata: false\n  widths: [100]\n")
    folder = folder_essay(tmp_path, "strasse", "![Die Straße](strasse.jpg)\n")
    phone_jpeg(folder / "strasse.jpg")
    out = built(tmp_path)
    assert (out / "strasse/strasse.jpg").read_bytes() == (folder / "strasse.jpg").read_bytes()
    assert "GPS IFD" in metadata_left((out / "strasse/strasse-100w.jpg").read_bytes())


def test_every_image_but_the_first_loads_lazily(tmp_path: Path) -> None:
    make_site(tmp_path, {}, SITE_YML)
    folder = folder_essay(tmp_path, "drei", "![Eins](a.png)\n\n![Zwei](b.png)\n\n![Drei](/static/c.png)\n")
    png_with_text(folder / "a.png")
    png_with_text(folder / "b.png")
    (tmp_path / "static").mkdir()
    png_with_text(tmp_path / "static/c.png")
    images = images_of(built(tmp_path) / "drei/index.html").images
    assert [("loading" in i, i.get("decoding")) for i in images] == [(False, None), (True, "async"), (True, "async")]
    assert all(i["loading"] == "lazy" for i in images[1:])


def test_files_beside_essays_are_published_under_each_essays_own_address(tmp_path: Path) -> None:
    essays = {
        "flach.md": essay("Flach", body="![Foto](foto.png) und [das Blatt](handout.pdf#page=2)\n"),
        "auch-flach.md": essay("Auch flach", date="2026-01-16", body="![Foto](foto.png)\n"),
    }
    make_site(tmp_path, essays, SUB_PATH)
    png_with_text(tmp_path / "essays/foto.png", (50, 40))
    (tmp_path / "essays/handout.pdf").write_bytes(b"%PDF-1.4 Handout\n")
    folder = folder_essay(tmp_path, "mappe", "![Foto](foto.png)\n\n[Ton](ton/interview.ogg)\n")
    png_with_text(folder / "foto.png", (60, 40))
    (folder / "ton").mkdir()
    (folder / "ton/interview.ogg").write_bytes(b"OggS audio")
    out = built(tmp_path)

    # Two essays publishing a file of the same name: each under its own address, neither overwritten.
    assert [img["src"] for img in images_of(out / "flach/index.html").images] == ["/journal/flach/foto.png"]
    assert images_of(out / "mappe/index.html").images[0]["width"] == "60"
    assert images_of(out / "flach/index.html").images[0]["width"] == "50"
    assert (out / "auch-flach/foto.png").is_file()
    assert (out / "flach/handout.pdf").read_bytes() == b"%PDF-1.4 Handout\n"
    assert (out / "mappe/ton/interview.ogg").read_bytes() == b"OggS audio"
    page = (out / "flach/index.html").read_text(encoding="utf-8")
    assert 'href="/journal/flach/handout.pdf#page=2"' in page

    # Atom: site paths, resolved against each entry's xml:base; JSON Feed: absolute addresses.
    atom = feedparser.parse((out / "feed.xml").read_bytes())
    entry = next(e for e in atom.entries if e.link.endswith("/flach/"))
    assert 'src="https://example.org/journal/flach/foto.png"' in entry.content[0].value
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    html = next(i["content_html"] for i in items if i["url"].endswith("/flach/"))
    assert 'src="https://example.org/journal/flach/foto.png"' in html
    assert 'href="https://example.org/journal/flach/handout.pdf#page=2"' in html


def test_a_page_folder_publishes_its_files_too(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A")}, SITE_YML)
    folder = tmp_path / "pages/ueber-mich"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text("---\ntitle: Über mich\n---\n\n![Porträt des Autors](portrait.jpg)\n", "utf-8")
    phone_jpeg(folder / "portrait.jpg")
    out = built(tmp_path)
    assert metadata_left((out / "ueber-mich/portrait.jpg").read_bytes()) == []
    page = images_of(out / "ueber-mich/index.html")
    assert page.images[0]["src"] == "/ueber-mich/portrait.jpg"
    assert page.og_image == "https://example.org/ueber-mich/portrait.jpg"


def test_front_matter_image_is_the_preview_image(tmp_path: Path) -> None:
    make_site(tmp_path, {}, SITE_YML)
    folder = folder_essay(tmp_path, "vorschau", "Kein Bild im Text.\n", image="titel.png")
    png_with_text(folder / "titel.png")
    out = built(tmp_path)
    assert images_of(out / "vorschau/index.html").og_image == "https://example.org/vorschau/titel.png"
    assert metadata_left((out / "vorschau/titel.png").read_bytes()) == []


def test_an_essay_without_images_has_no_preview_image(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": essay("A", body="[Link](/archiv/)\n")})
    assert images_of(built(tmp_path) / "a/index.html").og_image == ""


def test_images_are_encoded_again_only_when_their_source_or_settings_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ssg.outputs import images

    encoded: list[str] = []
    real = images._encode
    monkeypatch.setattr(images, "_encode", lambda raw, context: encoded.append(context["name"]) or real(raw, context))
    make_site(tmp_path, {}, SITE_YML + SMALL_WIDTHS)
    folder = folder_essay(tmp_path, "strasse", "![Die Straße](strasse.jpg)\n")
    phone_jpeg(folder / "strasse.jpg")

    def build_now() -> None:
        build(load_config(tmp_path)[0], BuildOptions())

    build_now()
    assert len(encoded) == 3  # the image and two smaller copies
    # The site's title and the essay's text change: pages are rendered again, the image is not.
    (tmp_path / "site.yml").write_text(SITE_YML.replace("Testjournal", "Neu") + SMALL_WIDTHS, encoding="utf-8")
    (folder / "index.md").write_text(essay("Strasse", body="Neu.\n\n![Die Straße](strasse.jpg)\n"), "utf-8")
    encoded.clear()
    build_now()
    assert encoded == []
    # A new width makes that one copy; new bytes make them all again.
    (tmp_path / "site.yml").write_text(SITE_YML + "images:\n  widths: [100, 200, 250]\n", encoding="utf-8")
    build_now()
    assert len(encoded) == 1
    phone_jpeg(folder / "strasse.jpg", size=(420, 300))
    encoded.clear()
    build_now()
    assert len(encoded) == 4


def test_the_same_sources_make_the_same_bytes(tmp_path: Path) -> None:
    digests = []
    for name in ("eins", "zwei"):
        root = make_site(tmp_path / name, {}, SITE_YML + SMALL_WIDTHS)
        folder = folder_essay(root, "strasse", "![Die Straße](strasse.jpg)\n\n![Bild](bild.webp)\n")
        phone_jpeg(folder / "strasse.jpg")
        webp_with_exif(folder / "bild.webp")
        digests.append(tree_digest(built(root)))
    assert digests[0] == digests[1]


def test_image_without_alt_text_is_a_warning_in_build_and_an_error_in_strict_check(tmp_path: Path) -> None:
    make_site(tmp_path, {}, SITE_YML)
    folder = folder_essay(tmp_path, "bild", "Text.\n\n![](foto.png)\n")
    png_with_text(folder / "foto.png")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 0
    assert "essays/bild/index.md:8: warning: image 'foto.png' has no alt text" in result.output
    assert run("check", "-s", str(tmp_path)).exit_code == 0
    strict = run("check", "-s", str(tmp_path), "--strict")
    assert strict.exit_code == 1 and "8: image 'foto.png' has no alt text" in strict.output


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Text.\n\n![Fehlt](fehlt.jpg)\n", "essays/a.md:8: missing file 'fehlt.jpg' (essays/fehlt.jpg)"),
        ("Text.\n\n[Blatt](blatt.pdf)\n", "essays/a.md:8: missing file 'blatt.pdf' (essays/blatt.pdf)"),
        ("Text.\n\n![Pass](../../etc/passwd)\n", "essays/a.md:8: reference '../../etc/passwd' leads out of the essays/"),
        ("Text.\n\n[Pass](../site.yml)\n", "essays/a.md:8: reference '../site.yml' leads out of the essays/ folder"),
    ],
    ids=["missing image", "missing file", "climbing out", "site.yml"],
)
def test_references_to_missing_or_outside_files_are_errors_at_their_line(
    tmp_path: Path, body: str, expected: str
) -> None:
    make_site(tmp_path, {"gut.md": essay("Gut")})
    assert run("build", "-s", str(tmp_path)).exit_code == 0
    before = tree_digest(tmp_path / "_site")
    (tmp_path / "essays/a.md").write_text(essay("A", body=body), encoding="utf-8")
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1 and expected in result.output, result.output
    assert "Traceback" not in result.output
    assert tree_digest(tmp_path / "_site") == before


def test_file_names_with_spaces_umlauts_and_underscores_are_published(tmp_path: Path) -> None:
    body = "![Die Straße](<Die Straße.png>)\n\n![Hof](_hof%20links.png)\n"
    make_site(tmp_path, {"a.md": essay("A", body=body)}, SUB_PATH)
    png_with_text(tmp_path / "essays/Die Straße.png", (40, 30))
    png_with_text(tmp_path / "essays/_hof links.png", (40, 30))
    out = built(tmp_path)
    assert (out / "a/Die Straße.png").is_file() and (out / "a/_hof links.png").is_file()
    images = images_of(out / "a/index.html").images
    assert [i["src"] for i in images] == ["/journal/a/Die%20Stra%C3%9Fe.png", "/journal/a/_hof%20links.png"]
    assert run("check", "-s", str(tmp_path)).exit_code == 0


def test_check_and_serve_read_images_the_last_build_wrote_instead_of_encoding_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ssg.engine.build import BuildReport
    from ssg.engine.inmemory import render_site
    from ssg.outputs import images

    make_site(tmp_path, {}, SITE_YML + SMALL_WIDTHS)
    folder = folder_essay(tmp_path, "strasse", "![Die Straße](strasse.jpg)\n")
    phone_jpeg(folder / "strasse.jpg")
    out = built(tmp_path)
    encoded: list[str] = []
    real = images._encode
    monkeypatch.setattr(images, "_encode", lambda raw, context: encoded.append(context["name"]) or real(raw, context))
    assert run("check", "-s", str(tmp_path)).exit_code == 0
    files = render_site(load_config(tmp_path)[0], BuildOptions(), BuildReport()).files
    assert encoded == []
    assert files["strasse/strasse-100w.jpg"] == (out / "strasse/strasse-100w.jpg").read_bytes()
    # A copy someone changed in the output folder is not trusted: it is made again.
    (out / "strasse/strasse-100w.jpg").write_bytes(b"changed by hand")
    files = render_site(load_config(tmp_path)[0], BuildOptions(), BuildReport()).files
    assert encoded == ["essays/strasse/strasse.jpg"]
    assert metadata_left(files["strasse/strasse-100w.jpg"]) == []


@pytest.mark.parametrize("name", ["logo.png", "logo.gif"])
def test_transparent_palette_images_stay_transparent_in_every_size(tmp_path: Path, name: str) -> None:
    make_site(tmp_path, {}, SITE_YML + SMALL_WIDTHS)
    folder = folder_essay(tmp_path, "logo", f"![Das Logo]({name})\n")
    logo = Image.new("P", (300, 100), 0)
    logo.putpalette([255, 255, 255, 200, 0, 0] + [0, 0, 0] * 254)
    logo.paste(1, (100, 0, 200, 100))
    logo.save(folder / name, transparency=0)
    out = built(tmp_path)
    for file in (name, name.replace(".", "-100w.")):
        with Image.open(out / "logo" / file) as image:
            rgba = image.convert("RGBA")
            assert rgba.getpixel((2, 2))[3] == 0, file  # transparent
            assert rgba.getpixel((rgba.width // 2, 2))[3] == 255, file


def test_check_accepts_a_folder_essays_reference_to_a_file_in_the_essays_folder(tmp_path: Path) -> None:
    make_site(tmp_path, {}, SUB_PATH)
    folder = folder_essay(tmp_path, "mappe", "![Gemeinsames Logo](../logo.png)\n\n[Blatt](../blatt.pdf)\n")
    png_with_text(tmp_path / "essays/logo.png", (40, 30))
    (tmp_path / "essays/blatt.pdf").write_bytes(b"%PDF")
    out = built(tmp_path)
    assert images_of(out / "mappe/index.html").images[0]["src"] == "/journal/mappe/logo.png"
    assert (out / "mappe/blatt.pdf").is_file() and folder.is_dir()
    result = run("check", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output


def test_image_sizes_are_read_once_per_image_not_on_every_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ssg.outputs import images

    opened: list[str] = []
    real = images.measure
    monkeypatch.setattr(images, "measure", lambda file, kind: opened.append(file.rel) or real(file, kind))
    make_site(tmp_path, {}, SITE_YML)
    folder = folder_essay(tmp_path, "strasse", "![Die Straße](strasse.jpg)\n")
    phone_jpeg(folder / "strasse.jpg")
    build(load_config(tmp_path)[0], BuildOptions())
    assert opened == ["essays/strasse/strasse.jpg"]
    (folder / "index.md").write_text(essay("Strasse", body="Neu.\n\n![Die Straße](strasse.jpg)\n"), "utf-8")
    build(load_config(tmp_path)[0], BuildOptions())
    assert opened == ["essays/strasse/strasse.jpg"], "the image was opened again though its bytes did not change"
    [img] = images_of(tmp_path / "_site/strasse/index.html").images
    assert (img["width"], img["height"]) == ("300", "400")


@pytest.mark.parametrize(
    ("images", "expected"),
    [
        ("  widths: [0, 960]\n", "site.yml:9: 'images.widths' must be a list of widths in pixels (1 to 10000)"),
        ("  widths: 480\n", "site.yml:9: 'images.widths' must be a list of widths in pixels"),
        ("  quality: 100\n", "site.yml:8: 'images' quality must be 1 to 95"),
        ("  strip_metadata: vielleicht\n", "site.yml:9: 'strip_metadata' must be true or false"),
    ],
)
def test_image_settings_are_checked_at_their_line(tmp_path: Path, images: str, expected: str) -> None:
    make_site(tmp_path, {"a.md": essay("A")}, SITE_YML + "images:\n" + images)
    result = run("build", "-s", str(tmp_path))
    assert result.exit_code == 1 and expected in result.output, result.output
