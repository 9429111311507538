"""File names that fit: most file systems take at most 255 bytes per name, and UTF-8 letters
outside ASCII take two to four bytes each."""

from __future__ import annotations

from pathlib import Path

MAX_NAME_BYTES = 200  # leaves room for a suffix or a "-2"


def fit_name(stem: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """`stem` cut to at most `max_bytes` of UTF-8, never in the middle of a letter."""
    return stem.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")


def fit_file_name(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """A file name (stem and suffix) cut to fit, keeping its suffix: "long….mp4"."""
    path = Path(name)
    suffix = path.suffix if len(path.suffix) <= 10 else ""
    return (fit_name(path.stem if suffix else path.name, max_bytes) or "video") + suffix
