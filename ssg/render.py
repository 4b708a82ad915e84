"""Outputs -> bytes, in parallel on all cores; errors name the source file or template."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

import jinja2

from ssg import urls
from ssg.errors import Problem, SsgError
from ssg.outputs import Output
from ssg.parallel import map_chunks
from ssg.theme import template_problem

Progress = Callable[[int], None]


def output_paths(outputs: Sequence[Output]) -> list[str]:
    """Return each output's file path; raise SsgError if two outputs want the same file."""
    owners: dict[str, Output] = {}
    problems = []
    for output in outputs:
        path = urls.output_path(output.url)
        other = owners.setdefault(path, output)
        if other is not output:
            message = f"two pages want the same file {path} ({other.source or 'site'} and {output.source or 'site'})"
            problems.append(Problem(output.source or str(path), None, message))
    if problems:
        raise SsgError(problems)
    return list(owners)


def render_one(output: Output, env: jinja2.Environment) -> bytes:
    """Render a single output to bytes."""
    if output.data is not None:
        return output.data
    if output.producer is not None:
        return output.producer(output.context, env)
    assert output.template is not None
    return env.get_template(output.template).render(output.context).encode("utf-8")


Stamp = tuple[int, int]  # a written file's (size, mtime_ns)


def render_outputs(
    outputs: Sequence[Output],
    env: jinja2.Environment,
    jobs: int = 1,
    progress: Progress | None = None,
    heavy: bool = False,
) -> dict[str, bytes]:
    """Render outputs in `jobs` processes and return every file's bytes; raise SsgError listing every problem.

    `heavy` outputs are worth a process each even when there are few of them.
    """
    return cast(dict[str, bytes], _render(outputs, env, jobs, progress, None, heavy))


def render_files(
    outputs: Sequence[Output],
    env: jinja2.Environment,
    jobs: int,
    progress: Progress | None,
    into: Path,
    heavy: bool = False,
) -> dict[str, Stamp]:
    """Render outputs into files below `into` (their bytes never travel between processes); return their stamps."""
    return cast(dict[str, Stamp], _render(outputs, env, jobs, progress, into, heavy))


def _render(
    outputs: Sequence[Output],
    env: jinja2.Environment,
    jobs: int,
    progress: Progress | None,
    into: Path | None,
    heavy: bool,
) -> dict[str, bytes | Stamp]:
    paths = output_paths(outputs)
    results: dict[str, bytes | Stamp] = {}
    problems: dict[Problem, None] = {}
    groups = [o.group for o in outputs]
    for done, found in map_chunks(_render_chunk, (outputs, env, into), len(outputs), jobs, heavy=heavy, groups=groups):
        for index, data in done:
            results[paths[index]] = data
        problems.update(dict.fromkeys(found))
        if progress is not None:
            progress(len(done) + len(found))
    if problems:
        raise SsgError(sorted(problems, key=lambda p: p.sort_key))
    return {path: results[path] for path in paths}


def _render_chunk(
    work: tuple[Sequence[Output], jinja2.Environment, Path | None], indices: range
) -> tuple[list[tuple[int, bytes | Stamp]], list[Problem]]:
    outputs, env, into = work
    done: list[tuple[int, bytes | Stamp]] = []
    problems: list[Problem] = []
    made: set[str] = set()
    for index in indices:
        try:
            data = render_one(outputs[index], env)
        except SsgError as exc:
            problems.extend(exc.problems)
            continue
        except (jinja2.TemplateError, KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append(template_problem(exc))
            continue
        if into is None:
            done.append((index, data))
        else:
            done.append((index, _write(os.path.join(into, urls.output_path(outputs[index].url)), data, made)))
    return done, problems


def _write(target: str, data: bytes, made: set[str]) -> Stamp:
    folder = os.path.dirname(target)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    with open(target, "wb") as handle:
        handle.write(data)
    stat = os.stat(target)
    return stat.st_size, stat.st_mtime_ns
