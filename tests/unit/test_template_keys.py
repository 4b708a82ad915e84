"""Which templates a page depends on: followed through extends, include, import and rendering globals."""

from __future__ import annotations

import jinja2

from ssg.theme import TemplateKeys

TEMPLATES = {
    "base.html": "<main>{% block content %}{% endblock %}</main>",
    "page.html": '{% extends "base.html" %}{% from "_m.html" import m %}{% block content %}{{ m() }}{% endblock %}',
    "_m.html": '{% macro m() %}{% include "_part.html" %}{% endmacro %}',
    "_part.html": "Teil",
    "sheet.html": '{% extends "base.html" %}{% block content %}{{ sheet_form_html(x) }}{% endblock %}',
    "_worksheet.html": "Formular",
    "dynamic.html": "{% include name %}",
    "missing.html": '{% include "nirgends.html" %}',
    "broken.html": "{% if %}",
    "alone.html": "Nur ich",
}


def keys(templates: dict[str, str]) -> TemplateKeys:
    return TemplateKeys(jinja2.Environment(loader=jinja2.DictLoader(templates)), "base", "whole")


def test_a_template_renders_with_what_it_extends_imports_and_includes_transitively() -> None:
    assert sorted(keys(TEMPLATES).sources("page.html") or {}) == ["_m.html", "_part.html", "base.html", "page.html"]
    assert sorted(keys(TEMPLATES).sources("alone.html") or {}) == ["alone.html"]


def test_a_global_that_renders_a_template_counts_as_using_it() -> None:
    assert sorted(keys(TEMPLATES).sources("sheet.html") or {}) == ["_worksheet.html", "base.html", "sheet.html"]


def test_what_cannot_be_followed_falls_back_to_the_whole_theme() -> None:
    for name in ("dynamic.html", "missing.html", "broken.html", "gibt-es-nicht.html"):
        assert keys(TEMPLATES)(name) == "whole", name


def test_a_key_changes_with_any_template_it_renders_with_and_only_then() -> None:
    before = keys(TEMPLATES)
    edited = keys({**TEMPLATES, "_part.html": "Anders"})
    assert before("page.html") != edited("page.html")
    assert before("alone.html") == edited("alone.html") and before("sheet.html") == edited("sheet.html")
    assert before("page.html") != TemplateKeys(before.env, "other base", "whole")("page.html")
