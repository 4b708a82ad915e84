"""Run the command line interface with `python -m ssg`."""

from ssg.cli import entry

entry()
