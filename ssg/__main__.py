"""Run the command line interface with `python -m ssg`."""

from ssg.cli import main

main()
