"""Which references name a file beside a text, where it is published, and which may not be published."""

from __future__ import annotations

import pytest

from ssg.content.files import Published, SourceFile, resolve

FLAT, FOLDER = "essays/flach.md", "essays/mappe/index.md"


@pytest.mark.parametrize(
    ("value", "source", "expected"),
    [
        ("foto.jpg", FLAT, ("essays/foto.jpg", "foto.jpg")),
        ("./bilder/hof.png", FLAT, ("essays/bilder/hof.png", "bilder/hof.png")),
        ("foto.jpg", FOLDER, ("essays/mappe/foto.jpg", "foto.jpg")),
        ("a/../foto.jpg?v=2#oben", FOLDER, ("essays/mappe/foto.jpg", "foto.jpg")),
        ("../gemeinsam/logo.png", FOLDER, ("essays/gemeinsam/logo.png", "gemeinsam/logo.png")),
        ("Die%20Stra%C3%9Fe.jpg", FLAT, ("essays/Die Straße.jpg", "Die Straße.jpg")),
    ],
)
def test_a_file_beside_the_text_is_published_below_its_address(
    value: str, source: str, expected: tuple[str, str]
) -> None:
    assert resolve(value, source, "essays") == expected


@pytest.mark.parametrize(
    "value",
    ["/static/foto.jpg", "https://example.org/foto.jpg", "//example.org/foto.jpg", "mailto:a@example.org",
     "#abschnitt", "../andere-seite/", "andere.md", "andere.md#teil", "data:image/png;base64,AAAA", ""],
)  # fmt: skip
def test_pages_anchors_and_other_sites_are_no_files_beside_the_text(value: str) -> None:
    assert resolve(value, FLAT, "essays") is None


@pytest.mark.parametrize(
    "value",
    ["../../etc/passwd", "../site.yml", "%2e%2e/%2e%2e/etc/passwd", "..%2F..%2Fetc%2Fpasswd", "mappe/../../x.jpg",
     "bilder/..%5C..%5Cx.jpg", "foto%00.jpg"],
)  # fmt: skip
def test_references_out_of_the_folder_or_with_odd_names_are_errors(value: str) -> None:
    found = resolve(value, FLAT, "essays")
    assert isinstance(found, str) and repr(value) in found


def test_smaller_copies_are_named_by_their_width() -> None:
    file = Published("/strasse/bilder/hof.2.jpg", SourceFile("essays/bilder/hof.2.jpg", "/x"))
    assert file.sized_url(480) == "/strasse/bilder/hof.2-480w.jpg"
