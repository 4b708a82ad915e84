"""Outputs -> bytes, in parallel on all cores; errors name the source file or template."""

from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import cast

import jinja2

from ssg import urls
from ssg.engine.parallel import map_chunks
from ssg.errors import Problem, SsgError
from ssg.names import windows_reserved
from ssg.outputs import Output
from ssg.theme import template_problem

Progress = Callable[[int], None]


def output_paths(outputs: Sequence[Output]) -> list[str]:
    """Return each output's file path; raise SsgError if two outputs want the same file, or one's file is
    another's folder (feed.xml and feed.xml/index.html)."""
    owners: dict[str, Output] = {}
    problems = []
    for output in outputs:
        path = urls.output_path(output.url)
        other = owners.setdefault(path, output)
        if other is not output:
            problems.append(_clash(other, output, "{} and {} both want the file " + path))
        bad = next((part for part in path.split("/") if windows_reserved(part)), None)
        if bad is not None:
            message = f"makes {path}, but Windows cannot hold a file or folder named {bad!r}: rename it"
            problems.append(Problem(output.source or "site.yml", None, message))
    folders: set[str] = set()
    for path in owners:
        end = path.rfind("/")
        while end > 0:
            path = path[:end]
            if path in folders:
                break  # and so are the folders above it
            folders.add(path)
            end = path.rfind("/")
    for path in sorted(folders & owners.keys()):
        inside = next(o for p, o in owners.items() if p.startswith(path + "/"))
        problems.append(_clash(owners[path], inside, "{} wants the file " + path + ", which {} needs as a folder"))
    if problems:
        raise SsgError(problems)
    return list(owners)


def _clash(first: Output, second: Output, message: str) -> Problem:
    """Name two outputs that want one place: by their source files, or as pages whose URLs site.yml sets."""
    where = second.source or first.source or "site.yml"
    hint = "" if first.source or second.source else ": change 'urls' in site.yml"
    return Problem(where, None, message.format(first.source or first.url, second.source or second.url) + hint)


def render_one(output: Output, env: jinja2.Environment) -> bytes:
    """Render a single output to bytes."""
    if output.data is not None:
        return output.data
    if output.producer is not None:
        return output.producer(output.context, env)
    assert output.template is not None
    return env.get_template(output.template).render(output.context).encode("utf-8")


Stamp = tuple[int, int]  # a file's (size, mtime_ns)
# A rendered file: its stamp, and where it was staged (None: the output folder already held these bytes).
Staged = tuple[int, int, str | None]


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
    return cast(dict[str, bytes], _render(outputs, env, jobs, progress, None, None, heavy))


def render_files(
    outputs: Sequence[Output],
    env: jinja2.Environment,
    jobs: int,
    progress: Progress | None,
    into: Path,
    heavy: bool = False,
    against: Path | None = None,
    prefix: str = "",
    flat: bool = False,
) -> dict[str, Staged]:
    """Render outputs into files below `into` (their bytes never travel between processes).

    Files are staged at their own path below `into`, so that a first build can make the staging folder the
    output folder. With `against` (an output folder that has files), a file whose bytes are already there is
    not staged: its stamp there is returned instead (the comparison happens where the bytes are, in the
    rendering processes); the others are staged under flat names (`prefix` and their index), with no folders
    to make and remove. With `flat`, every file is staged under such a name, compared with nothing.
    """
    return cast(dict[str, Staged], _render(outputs, env, jobs, progress, into, against, heavy, prefix, flat))


def _render(
    outputs: Sequence[Output],
    env: jinja2.Environment,
    jobs: int,
    progress: Progress | None,
    into: Path | None,
    against: Path | None,
    heavy: bool,
    prefix: str = "",
    flat: bool = False,
) -> dict[str, bytes | Staged]:
    paths = output_paths(outputs)
    results: dict[str, bytes | Staged] = {}
    problems: dict[Problem, None] = {}
    groups = [o.group for o in outputs]
    costs = [o.cost for o in outputs] if any(o.cost != 1 for o in outputs) else []
    work = (outputs, env, into, against, prefix, flat)
    isolate = any(o.threaded for o in outputs)
    chunks = map_chunks(
        _render_chunk, work, len(outputs), jobs, heavy=heavy, groups=groups, costs=costs, isolate=isolate
    )
    # Closed however the loop ends (Ctrl-C in `progress`, say): that ends the workers before anyone cleans up.
    with closing(chunks):
        for done, found in chunks:
            for index, data in done:
                results[paths[index]] = data
            problems.update(dict.fromkeys(found))
            if progress is not None:
                progress(len(done) + len(found))
    if problems:
        root = getattr(env.globals.get("config"), "root", None)
        shown = [_site_relative(p, root) for p in problems] if root else list(problems)
        raise SsgError(sorted(shown, key=lambda p: p.sort_key))
    return {path: results[path] for path in paths}


def _site_relative(problem: Problem, root: Path) -> Problem:
    """Name a template inside the site folder as essays are named: from the site folder on."""
    path = Path(problem.path)
    if path.is_absolute() and path.is_relative_to(root):
        return replace(problem, path=path.relative_to(root).as_posix())
    return problem


def _render_chunk(
    work: tuple[Sequence[Output], jinja2.Environment, Path | None, Path | None, str, bool], indices: range
) -> tuple[list[tuple[int, bytes | Staged]], list[Problem]]:
    outputs, env, into, against, prefix, flat = work
    done: list[tuple[int, bytes | Staged]] = []
    problems: list[Problem] = []
    made: set[str] = set()
    for index in indices:
        try:
            data = render_one(outputs[index], env)
        except SsgError as exc:
            problems.extend(exc.problems)
            continue
        except RecursionError as exc:
            problems.append(template_problem(exc, outputs[index].template))
            continue
        except (jinja2.TemplateError, LookupError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
            problems.append(template_problem(exc))
            continue
        if into is None:
            done.append((index, data))
            continue
        name = f"{prefix}{index}"
        if flat:
            done.append((index, (*_write(os.path.join(into, name), data, made), name)))
            continue
        rel = urls.output_path(outputs[index].url)
        if against is None:
            done.append((index, (*_write(os.path.join(into, rel), data, made), rel)))
            continue
        there = _holding(os.path.join(against, rel), data)
        done.append((index, (*there, None) if there else (*_write(os.path.join(into, name), data, made), name)))
    return done, problems


def _holding(target: str, data: bytes) -> Stamp | None:
    """Return the stamp of `target` if it is a file that holds exactly `data`."""
    try:
        stat = os.stat(target)  # first: opening a pipe someone left there would wait for a writer
        if not stat_module.S_ISREG(stat.st_mode) or stat.st_size != len(data):
            return None
        with open(target, "rb") as handle:
            return (stat.st_size, stat.st_mtime_ns) if handle.read() == data else None
    except OSError:
        return None


def _write(target: str, data: bytes, made: set[str]) -> Stamp:
    folder = os.path.dirname(target)
    if folder not in made:
        # Most pages have a folder of their own below one that exists: one mkdir, where os.makedirs
        # would look at the parent first (a cold build makes 10,000 folders or more).
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        made.add(folder)
    with open(target, "wb") as handle:
        handle.write(data)
        handle.flush()  # a small file may still be in the buffer: its size and time are set by the write
        stat = os.fstat(handle.fileno())  # the open file's status: no second lookup of its path
    return stat.st_size, stat.st_mtime_ns
