"""An essay's card (what lists show of it) is kept on the essay, and never outlives a change of the essay."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

from ssg.config import load_config
from ssg.content.essay import Essay, parse_essay
from ssg.content.reader import Reader

TEXT = b"---\ntitle: Ruhe\ndate: 2026-01-02\ntags: [Ruhe]\n---\n" + b"Wort " * 400 + b"\n"


def essay(tmp_path: Path) -> Essay:
    (tmp_path / "site.yml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    config, _ = load_config(tmp_path)
    found = parse_essay(TEXT, config, Reader("essays/ruhe.md"))
    assert found is not None
    return found


def test_the_card_is_made_once_per_reading_rate(tmp_path: Path) -> None:
    parsed = essay(tmp_path)
    first = parsed.card(200)
    assert parsed.card(200) is first
    assert first.minutes == 2
    slow = parsed.card(100)
    assert slow.minutes == 4 and slow.words_per_minute == 100


def test_a_changed_essay_gets_a_card_of_its_own(tmp_path: Path) -> None:
    parsed = essay(tmp_path)
    parsed.card(200)
    renamed = dataclasses.replace(parsed, title="Stille", tags=("Stille",))
    assert renamed.card(200).title == "Stille"
    assert renamed.card(200).tags == ("Stille",)
    assert parsed.card(200).title == "Ruhe"


def test_a_pickled_essay_leaves_its_card_behind(tmp_path: Path) -> None:
    parsed = essay(tmp_path)
    before = len(pickle.dumps(parsed))
    parsed.card(200)
    assert len(pickle.dumps(parsed)) == before
    copy = pickle.loads(pickle.dumps(parsed))
    assert copy == parsed
    assert copy.card(200) == parsed.card(200)
