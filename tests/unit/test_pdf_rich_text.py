"""Markdown (worksheet intros, band texts) reaches the PDF template as runs of text: data, never markup."""

from __future__ import annotations

from pathlib import Path

from ssg.config import SiteConfig
from ssg.markdown import make_parser
from ssg.outputs.pdf import rich_text


def test_markdown_becomes_paragraphs_of_runs_with_their_emphasis() -> None:
    parser = make_parser(SiteConfig(root=Path("/nonexistent")))
    paragraphs = rich_text(parser, 'Eine **geplante** Zeit, *"bitte"* `#read("x")`.\n\n- eins\n- zwei #box[x]')
    first = paragraphs[0]
    assert "".join(run["text"] for run in first) == 'Eine geplante Zeit, „bitte“ #read("x").'
    assert [run["text"] for run in first if run["strong"]] == ["geplante"]
    assert [run["text"] for run in first if run["emph"]] == ["„bitte“"]
    assert [run["text"] for run in first if run["code"]] == ['#read("x")']
    assert ["".join(run["text"] for run in p) for p in paragraphs[1:]] == ["• eins", "• zwei #box[x]"]
