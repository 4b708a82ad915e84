"""Texts written into a page's print rules stay CSS strings: no title can end the string or the <style>."""

from __future__ import annotations

import re

from ssg.css import css_content, css_string


def test_plain_words_and_addresses_stay_readable() -> None:
    assert css_string("Nur ein Handschlag") == '"Nur ein Handschlag"'
    assert css_string("https://example.org/a-b/") == '"https://example.org/a-b/"'
    assert css_string("Über „Wert“") == '"Über \\201e Wert\\201c "'


def test_quotes_backslashes_line_breaks_and_a_closing_style_tag_are_escaped() -> None:
    hostile = 'a"b\'c\\d\ne</style><script>x</script>;}'
    quoted = css_string(hostile)
    inner = quoted[1:-1]
    assert not re.search(r"[\"'<>;{}\n]", inner), inner
    assert "\\22 " in inner and "\\5c " in inner and "\\3c /style" in inner
    # Read back as CSS reads it: each escape is one character, ended by one space.
    assert re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)), inner) == hostile


def test_page_numbers_keep_the_languages_word_order() -> None:
    counters = {"number": "counter(page)", "total": "counter(pages)"}
    assert css_content("Seite {number} von {total}", **counters) == '"Seite " counter(page) " von " counter(pages)'
    assert css_content("{number}/{total}", **counters) == 'counter(page) "/" counter(pages)'
