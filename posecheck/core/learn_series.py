"""Small helpers on one signal's values over a demonstration (core/learn.py): smoothing, filling
the frames a signal was not read, correlation, runs of a mask."""

from __future__ import annotations

import numpy as np


def running_median(values: np.ndarray, width: int) -> np.ndarray:
    if width <= 1 or len(values) < 3:
        return values.copy()
    width = min(width | 1, (len(values) - 1) | 1)
    padded = np.pad(values, width // 2, mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, width), axis=1)


def frames_in(seconds: float, times: np.ndarray) -> int:
    step = float(np.median(np.diff(times))) if len(times) > 1 else 1 / 15
    return max(1, int(round(seconds / max(step, 1e-3))))


def filled(values: np.ndarray) -> np.ndarray | None:
    """NaNs filled from their neighbours; None when most of the signal was not read."""
    finite = np.isfinite(values)
    if finite.sum() < max(5, 0.7 * len(values)):
        return None
    index = np.arange(len(values))
    return np.interp(index, index[finite], values[finite])


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson's correlation, 0 where either is constant."""
    if np.std(a) == 0 or np.std(b) == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    found, start = [], None
    for i, value in enumerate(mask):
        if value and start is None:
            start = i
        elif not value and start is not None:
            found.append((start, i - 1))
            start = None
    if start is not None:
        found.append((start, len(mask) - 1))
    return found
