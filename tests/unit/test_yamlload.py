"""The line-tracking YAML loader: values, lines, aliases and errors."""

from __future__ import annotations

import datetime

import pytest

from ssg import yamlload


def test_values_and_types() -> None:
    data = yamlload.load("a: text\nb: 3\nc: 1.5\nd: true\ne: null\nf: 2026-03-01\ng: [x, 2]\nh: {i: j}\n")
    assert data == {"a": "text", "b": 3, "c": 1.5, "d": True, "e": None, "f": datetime.date(2026, 3, 1),
                    "g": ["x", 2], "h": {"i": "j"}}
    assert type(data["b"]) is int and type(data["d"]) is bool


def test_lines_of_keys_and_items_with_offset() -> None:
    data = yamlload.load("title: x\nlist:\n  - one\n  - two\nmap:\n  k: v\n", line_offset=1)
    assert isinstance(data, yamlload.LineMap)
    assert data.line == 2 and data.line_of("title") == 2 and data.line_of("map") == 6
    assert data.line_of("missing") == 2
    assert isinstance(data["list"], yamlload.LineList) and data["list"].item_lines == [4, 5]
    assert data["map"].line_of("k") == 7


def test_alias_reuses_the_anchored_value() -> None:
    data = yamlload.load("a: &x {k: [1, 2]}\nb: *x\n")
    assert data["b"] is data["a"] and data["b"]["k"] == [1, 2]


@pytest.mark.parametrize("text", ["a: &x [1, *x]\n", "a: &x\n  b: *x\n"])
def test_recursive_alias_is_refused(text: str) -> None:
    with pytest.raises(yamlload.YamlError, match="refers to the list or mapping that contains it"):
        yamlload.load(text)


def test_alias_bomb_is_capped() -> None:
    text = "k0: &k0 [x, x]\n" + "".join(f"k{i}: &k{i} [*k{i - 1}, *k{i - 1}]\n" for i in range(1, 60))
    with pytest.raises(yamlload.YamlError, match="too many YAML aliases"):
        yamlload.load(text)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: 2026-02-30\n", 2, "cannot read '2026-02-30'"),
        ("a: !!int abc\n", 1, "cannot read 'abc'"),
        ("a: 1\n? [x, y]\n: z\n", 2, "mapping keys must be plain text"),
        ("a: !custom x\n", 1, "YAML error"),
        ("a: [1,\n", 2, "YAML syntax error"),
        ("a: 1\nb: 2\na: 3\n", 3, "the key 'a' is given twice (first on line 1)"),
        ("m:\n  x: 1\n  y: 2\n  x: 1\n", 4, "the key 'x' is given twice (first on line 2)"),
        ("a: {x: 1, x: 2}\n", 1, "the key 'x' is given twice"),
        ("1: a\n'1': b\n", 2, "the key '1' is given twice"),
    ],
)
def test_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(yamlload.YamlError) as caught:
        yamlload.load(text)
    assert caught.value.line == line and message in caught.value.message


def test_other_standard_tags_still_work() -> None:
    assert yamlload.load("a: !!set {x, y}\n")["a"] == {"x", "y"}
    assert yamlload.load("a: !!str 3\n")["a"] == "3"


SCALARS = ["", "~", "null", "Null", "true", "yes", "No", "off", "0", "-12", "0x1F", "0o17", "1_000", "3.5", "-.inf",
           ".NaN", "1e3", "2026-03-01", "2026-03-01 10:00:00", "2026-03-01T10:00:00Z", "'3'", '"true"', "Text",
           "„Zitat“", "12:30", "1:20:00", "+1", "0b101", "a b"]


@pytest.mark.parametrize("scalar", SCALARS)
def test_plain_values_mean_what_pyyaml_says(scalar: str) -> None:
    import math

    import yaml

    mine, theirs = yamlload.load(f"a: {scalar}\n")["a"], yaml.safe_load(f"a: {scalar}\n")["a"]
    assert type(mine) is type(theirs)
    assert mine == theirs or (isinstance(mine, float) and math.isnan(mine) and math.isnan(theirs))


def test_a_lone_equals_sign_or_merge_mark_is_text() -> None:
    # PyYAML itself fails on these ("could not determine a constructor"): an author means the characters.
    assert yamlload.load("a: =\nb: <<\n") == {"a": "=", "b": "<<"}


def test_plain_values_keep_how_they_were_written() -> None:
    data = yamlload.load("a: 12:30\nb: Text\nc: [0x1F, x, yes, 2026-01-01]\nd: ~\ne: {f: 0755}\n")
    assert data["a"] == 750 and data.written("a") == "12:30"
    assert data.written("b") is None and data.written("d") is None  # text, and null, need no second form
    assert [data["c"].written(i) for i in range(4)] == ["0x1F", None, "yes", "2026-01-01"]
    assert data["e"].written("f") == "0755" and data.written("e") is None
