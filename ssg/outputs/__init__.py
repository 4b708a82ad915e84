"""Outputs: each module plans the files of one part of the site as a list of Output."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2

# Makes an output's bytes from its context; module-level and pure, like a template. One that renders
# templates of the theme names them in Output.templates, so that its cache key covers them.
Producer = Callable[[Mapping[str, Any], jinja2.Environment], bytes]


@dataclass(frozen=True)
class Output:
    """One file of the built site: a template or a producer with its context, or ready bytes."""

    url: str
    template: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    data: bytes | None = None
    source: str = ""
    producer: Producer | None = None
    group: str = ""  # outputs sharing work: consecutive ones with the same group render in one process
    templates: tuple[str, ...] = ()  # templates a producer renders with: part of its cache key
    # Outputs whose file sizes this one shows (a link "PDF, 48 KB"): they render first, and their sizes reach
    # this one's context as `sizes` (by URL) before its cache key is made, so a new size re-renders it.
    sizes_of: tuple[str, ...] = ()
    # Its producer starts threads (Typst's), which a fork would copy half and leave hanging: such outputs
    # render in worker processes only, even one alone, so the process running the build never starts them.
    threaded: bool = False
    # A producer whose bytes follow from its context alone (an image from its file): its cache key leaves out
    # site.yml and the theme, so editing them never makes it again.
    standalone: bool = False
    cost: int = 1  # rendering time in units of an ordinary page: how the render pool shares the work out

    @property
    def recipe(self) -> str:
        """Return what makes this output, for cache keys."""
        if self.producer is not None:
            return f"{self.producer.__module__}.{self.producer.__qualname__}"
        return self.template or "data"


@dataclass(frozen=True)
class PageMeta:
    """What the base template needs to know about any HTML page."""

    url: str
    title: str = ""
    title_key: str = ""
    description: str = ""
    kind: str = "website"
    noindex: bool = False
    image: str = ""  # absolute URL of its preview image (og:image)
