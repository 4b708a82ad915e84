"""File sizes as pages show them beside a PDF link."""

from __future__ import annotations

from babel import Locale

from ssg.theme import file_size


def test_sizes_read_as_kilobytes_or_megabytes_in_the_sites_language() -> None:
    german, english = Locale.parse("de"), Locale.parse("en")
    assert file_size(1, german) == "1 KB"  # never "0 KB"
    assert file_size(48 * 1024 + 100, german) == "48 KB"
    assert file_size(1024 * 1024 + 200 * 1024, german) == "1,2 MB"
    assert file_size(1024 * 1024 + 200 * 1024, english) == "1.2 MB"
