"""The `ssg serve` command: parse options, run a Preview until Ctrl-C."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from ssg.cliopts import SITE_OPTION, sigterm_as_interrupt
from ssg.engine.build import tune_collector
from ssg.serve.loop import Preview, ServeOptions
from ssg.serve.server import ServeError, is_loopback


class TerminalLog:
    """Print build messages to stdout and problems to stderr."""

    def info(self, message: str) -> None:
        """Print progress."""
        click.echo(message)

    def error(self, message: str) -> None:
        """Print a problem."""
        click.echo(message, err=True)


@click.command("serve")
@SITE_OPTION
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; other than loopback shows the preview to the network.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port; 0 picks a free one."
)
@click.option("--open", "open_browser", is_flag=True, default=False, help="Open the preview in the web browser.")
@click.option(
    "--drafts/--no-drafts", default=True, show_default=True, help="Show drafts and essays dated in the future."
)
@click.option("--poll", is_flag=True, default=False, help="Poll for changes (network drives, containers).")
def serve_command(site_dir: Path, host: str, port: int, open_browser: bool, drafts: bool, poll: bool) -> None:
    """Preview the site: rebuild on every save and reload the browser.

    Nothing is written to the output folder (the rendered pages are kept in .ssg-cache/, for the next
    preview too); build errors show in the browser while the last good build stays visible.

    \b
    Examples:
      ssg serve                         http://127.0.0.1:8000/
      ssg serve -s ~/journal --open --port 0
      ssg serve --poll --no-drafts
    """
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: the preview (drafts included) is visible to your network.", err=True)
    tune_collector()
    preview = Preview(ServeOptions(site_dir, host, port, drafts, poll), TerminalLog())
    try:
        with sigterm_as_interrupt():
            url = preview.start()
            click.echo(f"Serving {url} (press Ctrl-C to stop)")
            if open_browser:
                webbrowser.open(url)
            preview.wait()
    except ServeError as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        preview.stop()  # first: a build under way prints nothing after this line
        click.echo("Stopped.")
    finally:
        preview.stop()

