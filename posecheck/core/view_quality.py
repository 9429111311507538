"""How well the camera sees the person, and when the view or the person changed.

`ViewWatch` follows the person's size and place in the picture. A sudden jump (a camera moved or
a video cut to another angle) or the person gone for a while (someone else may come back) means
what was learned about this person's range no longer holds: `changed` says so, once. A person
too small in the picture gets landmarks too coarse to judge form by.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from posecheck.core.keypoints import INDEX, Pose

MIN_TORSO_FRACTION = 0.07  # torso shorter than this share of the picture's longer side: too small
ABSENT_SECONDS = 2.0  # gone this long, and whoever comes back is learned afresh
RECENT_SECONDS = 0.5  # the view now...
BEFORE_SECONDS = 3.0  # ...against the view just before
SCALE_JUMP = 0.35  # torso length changed by more than this fraction
PLACE_JUMP = 1.0  # the hips moved by more than this many torso lengths
_TORSO = [INDEX[n] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip")]


@dataclass(frozen=True)
class ViewReport:
    changed: bool = False  # the view or the person changed: re-learn
    too_small: bool = False


class ViewWatch:
    def __init__(self):
        self._history: deque[tuple[float, float, np.ndarray]] = deque()  # (t, torso px, hip centre)
        self._last_seen: float | None = None
        self._absent = False

    def update(self, pose: Pose | None, t: float) -> ViewReport:
        if pose is None:
            if self._last_seen is not None and t - self._last_seen >= ABSENT_SECONDS:
                self._absent = True
            return ViewReport()
        self._last_seen = t
        returned, self._absent = self._absent, False
        if returned:
            self._history.clear()
        torso, centre = _torso_and_centre(pose)
        if not np.isfinite(torso) or torso <= 0:
            return ViewReport(changed=returned)
        self._history.append((t, torso, centre))
        while self._history and self._history[0][0] < t - RECENT_SECONDS - BEFORE_SECONDS:
            self._history.popleft()
        jumped = self._jumped(t)
        if jumped:
            self._history.clear()
        too_small = torso < MIN_TORSO_FRACTION * max(pose.image_size)
        return ViewReport(changed=returned or jumped, too_small=too_small)

    def _jumped(self, t: float) -> bool:
        recent = [(s, c) for when, s, c in self._history if when >= t - RECENT_SECONDS]
        before = [(s, c) for when, s, c in self._history if when < t - RECENT_SECONDS]
        if len(recent) < 3 or len(before) < 10:
            return False
        scale_now = float(np.median([s for s, _ in recent]))
        scale_before = float(np.median([s for s, _ in before]))
        centre_now = np.median([c for _, c in recent], axis=0)
        centre_before = np.median([c for _, c in before], axis=0)
        moved = np.linalg.norm(centre_now - centre_before) / scale_before
        return abs(scale_now / scale_before - 1) > SCALE_JUMP or moved > PLACE_JUMP


def _torso_and_centre(pose: Pose) -> tuple[float, np.ndarray]:
    ls, rs, lh, rh = (pose.xy[i] for i in _TORSO)
    with np.errstate(invalid="ignore", over="ignore"):  # landmarks without a place: NaN, skipped by the caller
        shoulders, hips = (ls + rs) / 2, (lh + rh) / 2
        return float(np.linalg.norm(shoulders - hips)), hips
