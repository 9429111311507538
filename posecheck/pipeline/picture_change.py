"""How much the whole picture changed from the previous analysed frame: the mean absolute change,
in grey levels, of a 64x36 grey thumbnail. On the corpus's edited clips a camera cut moves it by
6-16; MediaPipe's 3-D flips on a still render by under 1; a real clip's median frame by 0.04-2.1,
and up to 22 with no cut at all (benchmarks/cut_pictures.py). So it confirms a cut that the body
also shows (core/view_quality.py), and never makes one alone."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Iterable

import cv2
import numpy as np

from posecheck.core.keypoints import Detection

THUMBNAIL = (64, 36)


class PictureChange:
    """Called with each analysed frame in turn: its change from the one before (NaN for the first)."""

    def __init__(self) -> None:
        self._previous: np.ndarray | None = None

    def __call__(self, rgb: np.ndarray) -> float:
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        small = cv2.resize(grey, THUMBNAIL, interpolation=cv2.INTER_AREA).astype(np.float32)
        change = math.nan if self._previous is None else float(np.mean(np.abs(small - self._previous)))
        self._previous = small
        return change


def lacks_picture_changes(detections: list[Detection]) -> bool:
    """Whether these detections were saved before picture changes were kept."""
    return len(detections) > 1 and not any(math.isfinite(d.picture_change) for d in detections)


def with_picture_changes(detections: list[Detection], frames: Iterable[np.ndarray]) -> list[Detection]:
    """The detections with the picture changes of their frames (the same frames, in order)."""
    change = PictureChange()
    return [replace(d, picture_change=change(rgb)) for d, rgb in zip(detections, frames)]
