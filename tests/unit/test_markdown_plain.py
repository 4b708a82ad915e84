"""The plain-text shortcut of the Markdown renderers gives exactly what markdown-it would."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ssg.config import SiteConfig, load_config
from ssg.markdown import is_plain, make_inline_renderer, make_parser, make_renderer
from tests.helpers import SITE_YML

SAFE = "aäbzAÖ09ß ,;:?!.()/%„“‚‘”’«»‹›–—…-crtmpCRTMP"
ALPHABET = SAFE + "_*#>+='\"<&[]`~|\\\n\t"


def config_for(language: str, typographer: bool) -> SiteConfig:
    root = Path(tempfile.mkdtemp(prefix="ssg-md-"))
    yml = SITE_YML.replace("language: de", f"language: {language}")
    yml += f"markdown:\n  typographer: {str(typographer).lower()}\n"
    (root / "site.yml").write_text(yml, encoding="utf-8")
    (root / "essays").mkdir()
    config, problems = load_config(root)
    assert not problems, problems
    return config


CONFIGS = [config_for(lang, typo) for lang in ("de", "en") for typo in (True, False)]


@settings(max_examples=400, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(st.text(alphabet=SAFE, max_size=30), st.text(alphabet=ALPHABET, max_size=30)),
    index=st.integers(0, len(CONFIGS) - 1),
)
@example(text="Woran erkennen Sie das?", index=0)
@example(text="Ein „Zitat“ – gut… (Seite 3)", index=0)
def test_plain_text_renders_as_markdown_it_renders_it(text: str, index: int) -> None:
    config = CONFIGS[index]
    md = make_parser(config)
    if is_plain(text):
        assert make_renderer(config)(text) == md.render(text)
        assert make_inline_renderer(config)(text) == md.renderInline(text)


@pytest.mark.parametrize("text", ["1. Liste", "- Punkt", "a -- b", "(c) 2026", "Ein \"Zitat\"", "a_b_", "x  ", "a..."])
def test_markdown_and_typography_are_not_plain(text: str) -> None:
    assert not is_plain(text)


def test_the_shortcut_is_taken_for_questions() -> None:
    assert is_plain("Woran erkennen Sie, dass Ihnen etwas fehlt?")


PIECES = st.sampled_from(["&quot;", "&#39;", "&#34;", '\\"', "\\'", "`'`", '"', "'", "\n\n", "> ", "- ", "[^1]", "[a](b)"])


@settings(max_examples=300, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(
    parts=st.lists(st.one_of(st.text(alphabet=ALPHABET, max_size=12), PIECES), max_size=8),
    index=st.integers(0, len(CONFIGS) - 1),
)
@example(parts=["Er sagte &quot;ja&quot; und ", "'", "nein", "'"], index=0)
def test_the_quote_prefilter_changes_nothing(parts: list[str], index: int) -> None:
    text = "".join(parts)
    config = CONFIGS[index]
    assert make_parser(config).render(text) == make_parser(config, prefilter=False).render(text)
