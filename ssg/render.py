"""Outputs -> bytes: Markdown bodies first, then templates; errors name the source file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePosixPath

import jinja2

from ssg import urls
from ssg.errors import Problem, SsgError
from ssg.markdown import Renderer
from ssg.outputs import Output
from ssg.site import Site
from ssg.theme import template_problem

Progress = Callable[[int], None]


def render_bodies(site: Site, render: Renderer) -> dict[str, str]:
    """Return the HTML of every essay body, keyed by slug."""
    return {essay.slug: render(essay.body) for essay in site.essays}


def render_outputs(
    outputs: Sequence[Output], env: jinja2.Environment, progress: Progress | None = None
) -> dict[PurePosixPath, bytes]:
    """Render every output to bytes; raise SsgError listing every template problem."""
    files: dict[PurePosixPath, bytes] = {}
    problems: dict[Problem, None] = {}
    owners: dict[PurePosixPath, str] = {}
    for output in outputs:
        path = urls.output_path(output.url)
        if path in owners:
            message = f"two pages want the same file {path} ({owners[path] or 'site'} and {output.source or 'site'})"
            problems[Problem(output.source or str(path), None, message)] = None
            continue
        owners[path] = output.source
        try:
            files[path] = render_one(output, env)
        except jinja2.TemplateError as exc:
            problems[template_problem(exc)] = None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems[template_problem(exc)] = None
        if progress is not None:
            progress(1)
    if problems:
        raise SsgError(list(problems))
    return files


def render_one(output: Output, env: jinja2.Environment) -> bytes:
    """Render a single output to bytes."""
    if output.data is not None:
        return output.data
    assert output.template is not None
    template = env.get_template(output.template)
    return template.render(output.context).encode("utf-8")
