"""Which of the people in view is the one exercising.

With one person in view, that is them. With more, the person followed so far stays followed:
the pose whose hips are nearest where theirs were, not the biggest one, so a partner or a child
who walks in nearer the camera (and so looks bigger) does not take over the count. When nobody
has been followed yet, or the followed person has been gone a while, the biggest person is taken.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from posecheck.core.keypoints import INDEX, Pose

FOLLOW_RADIUS = 1.5  # torso lengths: a pose farther than this from the followed person's hips is someone else
LOST_SECONDS = 2.0  # the followed person gone this long (others still in view): take the biggest again
SECOND_PERSON_AREA_RATIO = 0.35  # a second body at least this big (vs the followed one) is a person
_TORSO = [INDEX[n] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip")]


@dataclass(frozen=True)
class People:
    main: Pose | None  # the person to coach (None: nobody, or only others while the followed one is away)
    others: int  # other people big enough to be people (not reflections or posters far away)
    main_side: str = ""  # "left" or "right" of the others, in the picture, when there are others


class MainPerson:
    def __init__(self):
        self._hips: np.ndarray | None = None
        self._torso = 0.0
        self._seen = -math.inf

    def choose(self, poses: tuple[Pose, ...], t: float) -> People:
        if not poses:
            return People(None, 0)
        if len(poses) == 1:
            main = poses[0]
        else:
            main = self._followed(poses, t)
            if main is None and t - self._seen <= LOST_SECONDS:
                return People(None, _people_among(poses, max(poses, key=lambda p: p.area)))
            main = main or max(poses, key=lambda p: p.area)
        self._remember(main, t)
        others = [p for p in poses if p is not main]
        count = _people_among(others, main)
        side = ""
        if count:
            biggest_other = max(others, key=lambda p: p.area)
            side = "left" if hips_and_torso(main)[0][0] < hips_and_torso(biggest_other)[0][0] else "right"
        return People(main, count, side)

    def _followed(self, poses: tuple[Pose, ...], t: float) -> Pose | None:
        if self._hips is None or t - self._seen > LOST_SECONDS or not self._torso > 0:
            return None
        distances = [float(np.linalg.norm(hips_and_torso(p)[0] - self._hips)) for p in poses]
        distances = [d if math.isfinite(d) else math.inf for d in distances]
        nearest = int(np.argmin(distances))
        return poses[nearest] if distances[nearest] <= FOLLOW_RADIUS * self._torso else None

    def _remember(self, pose: Pose, t: float) -> None:
        hips, torso = hips_and_torso(pose)
        if np.isfinite(hips).all() and math.isfinite(torso) and torso > 0:
            self._hips, self._torso, self._seen = hips, torso, t


def _people_among(others: list[Pose] | tuple[Pose, ...], main: Pose) -> int:
    """How many of `others` are big enough, next to `main`, to be people in the room."""
    size = main.area
    return sum(1 for p in others if p is not main and math.isfinite(p.area) and p.area >= SECOND_PERSON_AREA_RATIO * size)


def hips_and_torso(pose: Pose) -> tuple[np.ndarray, float]:
    ls, rs, lh, rh = (pose.xy[i] for i in _TORSO)
    with np.errstate(invalid="ignore", over="ignore"):  # landmarks without a place give NaN: no match
        hips = (lh + rh) / 2
        return hips, float(np.linalg.norm((ls + rs) / 2 - hips))
