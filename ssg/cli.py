"""The `ssg` command line: parse options, call one core function, map errors to exit codes."""

from __future__ import annotations

import json
import os
import shlex
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from ssg import __version__
from ssg.cliopts import INTERRUPTED, SITE_OPTION, sigterm_as_interrupt
from ssg.config import SiteConfig, load_config
from ssg.content.collect import Selection
from ssg.engine.build import BuildOptions, BuildReport, build, tune_collector
from ssg.engine.render import Progress
from ssg.errors import Problem, SsgError
from ssg.scaffold import LANGUAGES, init_site, new_essay, new_page, write_github_pages_workflow
from ssg.static_files import skipped_files


class _Commands(click.Group):
    """The command group; `serve` (web server, file watcher) is imported only when it is used or listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), "serve"])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name == "serve":
            from ssg.serve.command import serve_command

            return serve_command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; Ctrl-C or SIGTERM ends it with one line and exit code 130 (`ssg serve` says "Stopped.")."""
        try:
            with sigterm_as_interrupt():
                return super().invoke(ctx)
        except KeyboardInterrupt:
            # On a terminal, end the line that shows ^C (or the progress bar) first.
            click.echo(("\n" if sys.stderr.isatty() else "") + "Interrupted.", err=True)
            ctx.exit(INTERRUPTED)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ssg")
def main() -> None:
    """ssg builds a private website from Markdown essays with reflection questions and worksheets.

    \b
    Examples:
      ssg build                 build the site in the current folder into _site/
      ssg serve                 preview it at http://127.0.0.1:8000/
      ssg new "Über Größe"      start essays/ueber-groesse.md
      ssg init mein-journal     start a new site
      ssg deploy                build, then copy the site to 'deploy.target' in site.yml
    """


def _load(site_dir: Path, quiet: bool) -> SiteConfig:
    config, warnings = load_config(site_dir)
    _print_problems(warnings, quiet)
    return config


def _print_problems(problems: list[Problem], quiet: bool) -> None:
    if quiet:
        return
    for problem in problems:
        click.echo(str(problem), err=True)


def _guard(verbose: bool, action: Callable[[], Any]) -> Any:
    """Run `action`; show unexpected failures without a traceback unless verbose."""
    tune_collector()
    try:
        return action()
    except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
        raise
    except BrokenPipeError:
        # Whoever read the output stopped reading (`ssg build -v | head`): nothing left to tell them.
        _silence_stdout()
        sys.exit(1)
    except Exception as exc:
        if verbose:
            traceback.print_exc()
        else:
            click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --verbose for details)", err=True)
        sys.exit(1)


def _named_folder(value: str | None) -> Path | None:
    # Not click.Path: it turns "" into Path(""), which is ".", whatever folder the command runs in.
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter("name a folder (-o . is the current one)")
    return Path(value)


@main.command("build")
@SITE_OPTION
@click.option(
    "-o",
    "--output",
    callback=lambda _context, _param, value: _named_folder(value),
    help="Output folder [default: 'output' from site.yml, _site].",
)
@click.option("--drafts", is_flag=True, help="Include essays marked draft: true.")
@click.option("--future", is_flag=True, help="Include essays dated in the future.")
@click.option("--clean", is_flag=True, help="Also delete files in the output folder that ssg did not make.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes to render with [default: all cores].")
@click.option("--no-cache", "no_cache", is_flag=True, help="Ignore .ssg-cache/ and render everything.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print each step's time, and tracebacks of internal errors.")
def build_command(
    site_dir: Path,
    output: Path | None,
    drafts: bool,
    future: bool,
    clean: bool,
    jobs: int | None,
    no_cache: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the site into its output folder.

    Nothing is changed if the build fails: the previous output stays as it was.

    \b
    Examples:
      ssg build
      ssg build -s ~/journal -o /tmp/preview --drafts
    """

    def run() -> BuildReport:
        config = _load(site_dir, quiet)
        if output is not None:
            config = config.with_output(output)
        options = BuildOptions(
            selection=Selection(drafts=drafts, future=future),
            clean=clean,
            jobs=jobs or os.cpu_count() or 1,
            cache=not no_cache,
        )
        report = build(config, options, _progress_factory(quiet))
        _LAST[:] = [report]  # freeing what a big build made takes a while: entry() skips it
        _print_problems(report.warnings, quiet)
        if not quiet:
            _summary(config, report, verbose)
        return report

    _guard(verbose, run)


# The report of the last build in this process, with everything the build made.
_LAST: list[BuildReport] = []


def entry() -> None:
    """Run the command line, then end the process without freeing every object one by one.

    After a build of 10,000 essays that teardown alone takes a few tenths of a second.
    """
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that went away, or a stream already closed
            code = code or 1
    os._exit(code)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing what is left of it can't fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is no file (a test runner's buffer)
        pass


def _progress_factory(quiet: bool) -> Callable[[int], Progress | None]:
    def factory(total: int) -> Progress | None:
        if quiet or total < 500 or not sys.stderr.isatty():
            return None
        bar = click.progressbar(length=total, label="Rendering", file=sys.stderr)
        bar.__enter__()
        done = [0]

        def update(n: int) -> None:
            bar.update(n)
            done[0] += n
            if done[0] >= total:
                bar.__exit__(None, None, None)

        return update

    return factory


def _summary(config: SiteConfig, report: BuildReport, verbose: bool) -> None:
    write = report.write
    assert write is not None
    try:
        where = config.output.relative_to(Path.cwd().resolve())
    except ValueError:
        where = config.output
    click.echo(
        f"Built {report.pages} pages ({report.files} files) in {report.seconds:.2f} s into {where}/: "
        f"{write.written} written, {write.unchanged} unchanged, {write.removed} removed."
    )
    if write.unrecorded:
        click.echo(
            f"{len(write.unrecorded)} file(s) in {where}/ that this build did not make may be left from an earlier "
            "one: ssg had no record of what it wrote there (its cache was deleted or damaged, or came from another "
            "version). ssg build --clean removes every file the build does not make.",
            err=True,
        )
    elif write.kept:
        click.echo(f"Kept {len(write.kept)} file(s) ssg did not make (use --clean to delete them).", err=True)
    if verbose:
        if report.from_preview:
            click.echo(f"Taken from the last ssg serve: {report.from_preview} file(s) it had rendered the same.")
        for path, reason in skipped_files(config):
            click.echo(f"Not published: {path} ({reason})")
        for name, seconds in report.steps:
            click.echo(f"  {name:<10} {seconds * 1000:8.1f} ms")


@main.command("check")
@SITE_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings as errors: exit 1 if there is any.")
@click.option("--drafts", is_flag=True, help="Check essays and pages marked draft: true, too.")
@click.option("--future", is_flag=True, help="Check essays dated in the future, too.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "grouped", "json"]),
    default="text",
    show_default=True,
    help="text: one 'path:line: message' per problem (editors and CI jump to it); grouped: by file; "
    "json: a list of {path, line, severity, message}.",
)
@click.option("-v", "--verbose", is_flag=True, help="Print tracebacks of internal errors.")
def check_command(site_dir: Path, strict: bool, drafts: bool, future: bool, output_format: str, verbose: bool) -> None:
    """Check the site without writing anything: content and config errors, broken links and anchors,
    missing files and alt texts, resources from other sites, and hints (warnings).

    Exit code 0 when there are no errors (with --strict: no warnings either), 1 otherwise.

    \b
    Examples:
      ssg check
      ssg check -s ~/journal --strict --format json
    """
    from ssg.check import check_site  # imported here: builds don't need it

    selection = Selection(drafts=drafts, future=future)
    problems: list[Problem] = _guard(verbose, lambda: check_site(site_dir, strict, selection))
    if output_format == "json":
        click.echo(json.dumps([_problem_json(p) for p in problems], ensure_ascii=False, indent=2))
    elif output_format == "grouped":
        _print_grouped(problems)
    else:
        for problem in problems:
            click.echo(str(problem))
        _print_summary(problems)
    if any(p.severity == "error" for p in problems):
        sys.exit(1)


@main.command("deploy")
@SITE_OPTION
@click.option("--target", help="A folder or user@host:/path [default: 'deploy.target' from site.yml].")
@click.option("-n", "--dry-run", is_flag=True, help="Build, then only show what would change on the target.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print the rsync command, and tracebacks of internal errors.")
def deploy_command(site_dir: Path, target: str | None, dry_run: bool, quiet: bool, verbose: bool) -> None:
    """Build the site as ssg build does, then make the target a copy of it with rsync.

    A failed build copies nothing. Only changed files are sent; files the site no longer has are deleted
    on the target once everything new is in place. Each change is printed as rsync itemizes it.

    \b
    Examples:
      ssg deploy                                   to 'deploy.target' in site.yml
      ssg deploy --dry-run                         show what would change
      ssg deploy --target autor@example.org:/var/www/journal
    """
    from ssg.deploy import DeployError, deploy  # imported here: builds don't need it

    def run() -> None:
        config = _load(site_dir, quiet)
        options = BuildOptions(jobs=os.cpu_count() or 1)

        def built(build_report: BuildReport) -> None:
            _LAST[:] = [build_report]
            _print_problems(build_report.warnings, quiet)
            if not quiet:
                _summary(config, build_report, False)

        change = None if quiet else click.echo
        progress = _progress_factory(quiet)
        try:
            report = deploy(config, options, target, dry_run, progress=progress, built=built, change=change)
        except DeployError as exc:  # one line, not "Build failed": the build may well have succeeded
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            sys.exit(1)
        _print_problems([Problem("rsync", None, m, "warning") for m in report.messages], quiet)
        if verbose:
            click.echo("rsync command: " + " ".join(shlex.quote(part) for part in report.command))
        if not quiet:
            where, sent, deleted = report.target.text, report.sent, report.deleted
            if dry_run:
                click.echo(f"Dry run: {sent} file(s) would be sent to {where}, {deleted} deleted; nothing was changed.")
            else:
                click.echo(f"Deployed to {where}: {sent} file(s) sent, {deleted} deleted.")

    _guard(verbose, run)


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {"path": problem.path, "line": problem.line, "severity": problem.severity, "message": problem.message}


def _print_grouped(problems: list[Problem]) -> None:
    """Print one header per file, then its problems as `  line: message`, then a summary."""
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.path, []).append(problem)
    for path, group in by_file.items():
        click.echo(path)
        for p in group:
            where = f"{p.line}: " if p.line else ""
            click.echo(f"  {where}{'warning: ' if p.severity == 'warning' else ''}{p.message}")
        click.echo()
    _print_summary(problems)


def _print_summary(problems: list[Problem]) -> None:
    """Print how many errors and warnings were found in how many files."""
    by_file = {p.path for p in problems}
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if not problems:
        click.echo("No problems found.")
    else:
        files = f"{len(by_file)} file" + ("s" if len(by_file) != 1 else "")
        click.echo(f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {files}.")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@main.command("new")
@click.argument("title")
@click.option("--page", is_flag=True, help="Make a standalone page (no date, not in lists or feeds) in pages/.")
@SITE_OPTION
def new_command(title: str, page: bool, site_dir: Path) -> None:
    """Start a new essay: essays/<slug>.md with a front-matter skeleton (with --page: pages/<slug>.md).

    \b
    Examples:
      ssg new "Über Größe"          creates essays/ueber-groesse.md
      ssg new --page "Impressum"    creates pages/impressum.md
    """
    make = (lambda: new_page(site_dir, title)) if page else (lambda: new_essay(site_dir, title, date.today()))
    path = _scaffold(make, site_dir)
    click.echo(f"Created {path}")


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The site's title [default: Mein Journal, or My Journal in English].")
@click.option(
    "--language", type=click.Choice(LANGUAGES), default="de", show_default=True, help="The site's language."
)
@click.option("--github-pages", is_flag=True, help="Also write .github/workflows/pages.yml: publish with GitHub Pages.")
def init_command(folder: Path, title: str | None, language: str, github_pages: bool) -> None:
    """Start a new site in FOLDER: site.yml, an example essay, and the pages a site needs (about, legal
    notice, privacy policy) linked from its menus.

    \b
    Examples:
      ssg init mein-journal && cd mein-journal && ssg build
      ssg init my-journal --language en --title "Notes on Reflection"
    """
    title = title if title is not None else ("Mein Journal" if language == "de" else "My Journal")
    if not title.strip():
        raise click.BadParameter("must not be empty: it names the site on every page", param_hint="--title")
    for path in _scaffold(lambda: init_site(folder, title, date.today(), language), folder):
        click.echo(f"Created {path}")
    if github_pages:
        workflow, unknown = _scaffold(lambda: write_github_pages_workflow(folder), folder)
        click.echo(f"Created {workflow}")
        if unknown is not None:
            click.echo(f"Warning: {unknown}", err=True)
    click.echo(f"Next: cd {folder} && ssg serve")


T = TypeVar("T")


def _scaffold(make: Callable[[], T], where: Path) -> T:
    """Run `ssg new`/`ssg init`'s work; its problems are messages, not a failed build."""
    try:
        return make()
    except OSError as exc:
        raise click.ClickException(f"cannot write {exc.filename or where}: {exc.strerror or exc}") from None
    except SsgError as exc:
        raise click.ClickException("\n".join(str(p) for p in exc.problems)) from None


__all__ = ["SsgError", "main"]
