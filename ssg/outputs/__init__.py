"""Outputs: each module plans the files of one part of the site as a list of Output."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Output:
    """One file of the built site: a template with its context, or ready bytes."""

    url: str
    template: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    data: bytes | None = None
    source: str = ""


@dataclass(frozen=True)
class Page:
    """What the base template needs to know about any HTML page."""

    url: str
    title: str = ""
    title_key: str = ""
    description: str = ""
    kind: str = "website"
    noindex: bool = False
