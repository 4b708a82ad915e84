"""ssg: a static site generator for reflective writing."""

__version__ = "0.1.0"
