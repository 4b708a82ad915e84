"""Names every file system can hold: what a portable output path may not contain."""

from __future__ import annotations

# Names Windows cannot give a file or folder, whatever the case or extension: a site cloned there breaks.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)


def windows_reserved(segment: str) -> bool:
    """Tell whether Windows refuses `segment` as a file or folder name (CON, nul.txt, Com1, …)."""
    return segment.split(".", 1)[0].lower() in WINDOWS_RESERVED
