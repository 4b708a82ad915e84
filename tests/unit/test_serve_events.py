"""Which event an open preview page gets when a new build is published."""

from __future__ import annotations

import json
from types import MappingProxyType

import pytest

from ssg.serve.server import Snapshot, events_for

FILES = ["index.html", "a/index.html", "archiv/index.html", "feed.xml", "static/style.css", "a/arbeitsblatt/qr.svg"]


def snapshot(changed: list[str], css_only: bool = False, base_path: str = "/") -> Snapshot:
    files = MappingProxyType({f: b"x" for f in FILES})
    return Snapshot(files, base_path, 20, 10, css_only, (), 2, frozenset(changed))


def kind(events: list[bytes]) -> str:
    lines = events[0].decode().splitlines()
    assert json.loads(lines[2][len("data: ") :]) == {"epoch": 20}
    return lines[1][len("event: ") :]


@pytest.mark.parametrize(
    ("changed", "page", "expected"),
    [
        (["archiv/index.html", "feed.xml"], "/a/", "epoch"),  # only other pages and feeds changed
        (["a/index.html"], "/a/", "reload"),  # this page changed
        (["archiv/index.html"], "/a/index.html", "epoch"),
        (["a/arbeitsblatt/qr.svg"], "/a/", "reload"),  # an image might be on this page
        (["archiv/index.html"], "/gibt-es-nicht/", "reload"),  # a 404 page: reload to be safe
        (["archiv/index.html"], "", "reload"),  # a client that did not say which page it shows
        (["archiv/index.html"], "/%2e%2e/a/", "reload"),
        ([], "/a/", "reload"),  # nothing known about what changed
    ],
)
def test_a_page_reloads_only_when_it_or_what_it_loads_changed(changed: list[str], page: str, expected: str) -> None:
    assert kind(events_for(snapshot(changed), 10, page)) == expected


def test_a_page_that_missed_an_epoch_reloads() -> None:
    assert kind(events_for(snapshot(["archiv/index.html"]), 5, "/a/")) == "reload"


def test_css_only_builds_restyle_and_base_paths_count() -> None:
    assert kind(events_for(snapshot(["static/style.css"], css_only=True), 10, "/a/")) == "css"
    assert kind(events_for(snapshot(["archiv/index.html"], base_path="/j/"), 10, "/j/a/")) == "epoch"
    assert kind(events_for(snapshot(["archiv/index.html"], base_path="/j/"), 10, "/a/")) == "reload"
