"""Errors meant for people: every problem names a file and, where one exists, a line."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import IO, Literal

import click

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as `path:line`."""

    path: str
    line: int | None
    message: str
    severity: Severity = "error"

    @property
    def sort_key(self) -> tuple[str, int, str]:
        """Return a key ordering problems by file, line and message."""
        return (self.path, self.line or 0, self.message)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class SsgError(click.ClickException):
    """A user-facing failure: printed without traceback, exit code 1."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file: IO[str] | None = None) -> None:
        """Print every problem on its own line, then a one-line count."""
        out = file if file is not None else sys.stderr
        for problem in self.problems:
            click.echo(str(problem), file=out)
        errors = sum(1 for p in self.problems if p.severity == "error")
        noun = "error" if errors == 1 else "errors"
        click.echo(f"Build failed: {errors} {noun}.", file=out)


class ConfigError(SsgError):
    """A problem in site.yml."""


class ContentError(SsgError):
    """A problem in an essay file; `ContentError(path, line, message)` for a single one."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__([Problem(path, line, message)])


class TemplateError(SsgError):
    """A problem in a theme template."""
