"""How well the camera sees the person, and when the view or the person changed.

`ViewWatch` follows the person's size and place in the picture, and which way the body faces the
camera. A sudden jump (a camera moved or a video cut to another angle) or the person gone for a
while (someone else may come back) means what was learned about this person's range no longer
holds: `changed` says so, once. A person too small in the picture gets landmarks too coarse to
judge form by.
"""

from __future__ import annotations

import math

import warnings
from collections import deque
from dataclasses import dataclass

import numpy as np

from posecheck.core.geometry import joint_angle
from posecheck.core.keypoints import INDEX, Pose
from posecheck.core.range_view import body_turn
from posecheck.core.silhouette import trunk_in_picture

MIN_TORSO_FRACTION = 0.07  # torso shorter than this share of the picture's longer side: too small
ABSENT_SECONDS = 2.0  # gone this long, and whoever comes back is learned afresh
RECENT_SECONDS = 0.5  # the view now...
BEFORE_SECONDS = 3.0  # ...against the view just before
SCALE_JUMP = 0.35  # torso length changed by more than this fraction
PLACE_JUMP = 1.0  # the hips moved by more than this many torso lengths
# A cut to another camera angle, seen on MediaPipe's 3-D points: the hips AND the shoulders
# turned by more than FACING_JUMP about the vertical while the body kept its shape (every joint
# angle within SAME_SHAPE). In the corpus's two-angle clips a cut turns both lines by 26-42
# degrees, and a held pose wobbles by 1-2; but an oblique bird-dog's reach also turns them by
# 26-30, and its hip and shoulder angles change by far more than a cut's.
FACING_JUMP = 25.0
SAME_SHAPE = 20.0
# The picture (a thumbnail's mean grey change from one frame to the next, when the estimator gives
# it) confirms a cut: at the corpus's real cuts it jumps by 6.2-16.4, at MediaPipe's 3-D flips on
# still renders by 0.2-0.8 (benchmarks/cut_pictures.py).
PICTURE_CUT = 4.0
PICTURE_WINDOW = 0.6  # seconds: the picture jump is looked for this far around the body's change
# Below this everywhere in that window, the picture stayed while the person's points jumped in size
# or place: another detection taken for the person (a ball between the knees), not a new view.
# At the corpus's view changes the picture moved by 1.6-9.1; at that glitch by at most 0.36.
PICTURE_STILL = 1.0
# A cut the 3-D points barely show (from 45 degrees to side-on, MediaPipe's hip line turns by 13
# degrees) still changes how wide the body is in the picture (range_view.body_turn: 0.23 -> 0.10
# torso lengths on that render). Taken as a cut only when the picture was still just before its
# jump (a held pose: the corpus's real cuts come after 0.0-0.5 grey levels a frame, a cobra rising
# or a dead-bug's arm moving keep it at 0.9-3.8) and the width changed by TURN_CUT or more (at the
# corpus's cuts by 0.19-0.55; at its picture jumps that are no cut, by at most 0.10, all while moving),
# and by more than twice its interquartile spread before (the corpus's cuts: 1.9-45 times it; a
# close-up bridge whose widths jitter by 0.1 a frame: under 1 time).
TURN_CUT = 0.1
MIN_IN_PLANE = 0.5  # a trunk pointing nearly at the camera is taken as at most this foreshortened
_TORSO = [INDEX[n] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip")]
_AXES = ((INDEX["left_hip"], INDEX["right_hip"]), (INDEX["left_shoulder"], INDEX["right_shoulder"]))
# The joints whose 3-D angles give the body's shape: (a, vertex, b) for each side's elbow,
# shoulder, hip and knee.
_JOINTS = tuple(tuple(tuple(INDEX[f"{side}_{name}"] for name in names) for side in ("left", "right"))
                for names in (("shoulder", "elbow", "wrist"), ("hip", "shoulder", "elbow"),
                              ("shoulder", "hip", "knee"), ("hip", "knee", "ankle")))


@dataclass(frozen=True)
class ViewReport:
    changed: bool = False  # the view or the person changed: re-learn
    # When a cut to another camera angle began, the person keeping their pose; None: no such cut.
    # A held position ends there; whether what was learned still holds depends on the signal
    # (the engine keeps a range learned on 3-D points, re-learns one read on the picture).
    cut_at: float | None = None
    too_small: bool = False


@dataclass(frozen=True)
class _Look:
    """One frame's view of the person."""

    t: float
    torso: float  # pixels
    centre: np.ndarray  # the hips' midpoint, pixels
    facing: np.ndarray  # (2,) hip and shoulder lines' direction about the vertical, degrees; NaN unknown
    shape: np.ndarray  # (8,) 3-D joint angles, each joint's two sides sorted; NaN unknown
    turn: float  # the body's width in the picture, torso lengths (range_view.body_turn); NaN unknown


class ViewWatch:
    def __init__(self):
        self._history: deque[_Look] = deque()
        self._pictures: deque[tuple[float, float]] = deque()  # (t, picture change), the known ones
        self._last_seen: float | None = None
        self._absent = False

    def update(self, pose: Pose | None, t: float, picture_change: float = math.nan) -> ViewReport:
        self._remember_picture(t, picture_change)
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
        self._history.append(_Look(t, torso, centre, _facing(pose), _shape(pose), body_turn(pose)))
        while self._history and self._history[0].t < t - RECENT_SECONDS - BEFORE_SECONDS:
            self._history.popleft()
        jumped, cut_at = self._jumped(t)
        if jumped or cut_at is not None:
            self._history.clear()
        too_small = torso < MIN_TORSO_FRACTION * max(pose.image_size)
        return ViewReport(changed=returned or jumped, cut_at=cut_at, too_small=too_small)

    def _jumped(self, t: float) -> tuple[bool, float | None]:
        """(the view changed, when a cut to another angle began or None)"""
        recent = [look for look in self._history if look.t >= t - RECENT_SECONDS]
        before = [look for look in self._history if look.t < t - RECENT_SECONDS]
        if len(recent) < 3 or len(before) < 10:
            return False, None
        scale_now = float(np.median([look.torso for look in recent]))
        scale_before = float(np.median([look.torso for look in before]))
        centre_now = np.median([look.centre for look in recent], axis=0)
        centre_before = np.median([look.centre for look in before], axis=0)
        moved = np.linalg.norm(centre_now - centre_before) / scale_before
        jumped = abs(scale_now / scale_before - 1) > SCALE_JUMP or moved > PLACE_JUMP
        if jumped and self._picture_stayed(recent[0].t - PICTURE_WINDOW, recent[-1].t):
            jumped = False
        return jumped, self._cut(before, recent)

    def _picture_stayed(self, start: float, end: float) -> bool:
        """Whether the picture is known to have barely changed between `start` and `end`."""
        changes = [change for t, change in self._pictures if start <= t <= end]
        return bool(changes) and max(changes) < PICTURE_STILL

    def _cut(self, before: list[_Look], recent: list[_Look]) -> float | None:
        """When a cut to another shot began: seen on the 3-D points and, where the picture is
        known, confirmed by it."""
        cut_at = _camera_cut(before, recent)
        if not self._pictures:
            return cut_at
        picture = self._picture_jump(recent[0].t - PICTURE_WINDOW, recent[-1].t)
        if picture is None:
            return None  # the body turned but the picture stayed: MediaPipe's 3-D points flipped
        if cut_at is None and self._still_before(picture) and _width_changed(before, recent):
            return picture
        return cut_at

    def _still_before(self, t: float) -> bool:
        """Whether the picture barely changed in the PICTURE_WINDOW before `t` (a held pose)."""
        changes = [change for when, change in self._pictures if t - PICTURE_WINDOW <= when < t]
        return len(changes) >= 3 and float(np.median(changes)) < PICTURE_STILL

    def _remember_picture(self, t: float, change: float) -> None:
        if math.isfinite(change):
            self._pictures.append((t, change))
        while self._pictures and self._pictures[0][0] < t - RECENT_SECONDS - BEFORE_SECONDS:
            self._pictures.popleft()

    def _picture_jump(self, start: float, end: float) -> float | None:
        """When the picture jumped by PICTURE_CUT or more between `start` and `end`, or None."""
        jumps = [(change, t) for t, change in self._pictures if start <= t <= end and change >= PICTURE_CUT]
        return max(jumps)[1] if jumps else None


def _torso_and_centre(pose: Pose) -> tuple[float, np.ndarray]:
    """The picture's torso length, lengthened back where the trunk turns towards the camera (a
    forward fold seen from the front-oblique is no camera jump), and the hips' midpoint."""
    ls, rs, lh, rh = (pose.xy[i] for i in _TORSO)
    with np.errstate(invalid="ignore", over="ignore"):  # landmarks without a place: NaN, skipped by the caller
        shoulders, hips = (ls + rs) / 2, (lh + rh) / 2
        return float(np.linalg.norm(shoulders - hips)) / max(MIN_IN_PLANE, trunk_in_picture(pose.world)), hips


def _facing(pose: Pose) -> np.ndarray:
    """The hip line's and the shoulder line's direction about the vertical (3-D points), as
    undirected angles in [0, 180): MediaPipe swapping left and right changes nothing."""
    if pose.world is None:
        return np.full(2, np.nan)
    angles = []
    for left, right in _AXES:
        dx, _, dz = pose.world[left] - pose.world[right]
        angles.append(np.degrees(np.arctan2(dz, dx)) % 180.0 if np.hypot(dx, dz) > 1e-6 else np.nan)
    return np.array(angles)


def _shape(pose: Pose) -> np.ndarray:
    """The body's 3-D joint angles, each left/right pair sorted (MediaPipe may swap the sides)."""
    if pose.world is None:
        return np.full(2 * len(_JOINTS), np.nan)
    with np.errstate(invalid="ignore"):
        return np.concatenate([np.sort([joint_angle(*pose.world[list(side)]) for side in joint])
                               for joint in _JOINTS])


def _camera_cut(before: list[_Look], recent: list[_Look], turn: float = FACING_JUMP) -> float | None:
    """When the recent frames began to show the same body from another angle (both lines turned
    by more than `turn`), or None."""
    if not _camera_turned(before, recent, turn):
        return None
    start = _mean_direction(before)
    turned = (look.t for look in recent if np.all(np.abs(_wrap(look.facing - start)) > turn / 2))
    return next(turned, recent[0].t)


def _width_changed(before: list[_Look], recent: list[_Look]) -> bool:
    """Whether the body's width in the picture changed between the windows by TURN_CUT or more,
    and by more than twice its spread before (a close-up whose landmarks jitter by 0.1 a frame
    changes no view)."""
    widths = [[look.turn for look in looks if math.isfinite(look.turn)] for looks in (before, recent)]
    if len(widths[0]) < 5 or len(widths[1]) < 3:
        return False
    q1, q3 = np.percentile(widths[0], [25, 75])
    change = abs(float(np.median(widths[1])) - float(np.median(widths[0])))
    return change >= max(TURN_CUT, 2 * (q3 - q1))


def _camera_turned(before: list[_Look], recent: list[_Look], turn: float) -> bool:
    turned = _turn(before, recent)
    return bool(np.all(turned > turn)) and _same_shape(before, recent)


def _same_shape(before: list[_Look], recent: list[_Look]) -> bool:
    """Whether the body kept its shape (every 3-D joint angle within SAME_SHAPE)."""
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a joint never seen: an all-NaN column
        reshaped = np.abs(np.nanmedian([look.shape for look in recent], axis=0)
                          - np.nanmedian([look.shape for look in before], axis=0))
    return bool(np.isfinite(reshaped).any() and np.nanmax(reshaped) <= SAME_SHAPE)


def _turn(before: list[_Look], recent: list[_Look]) -> np.ndarray:
    """How far each line turned between the two windows (degrees; NaN where unknown)."""
    return np.abs(_wrap(_mean_direction(recent) - _mean_direction(before)))


def _mean_direction(looks: list[_Look]) -> np.ndarray:
    """The circular mean of undirected angles (averaged as doubled angles)."""
    doubled = np.radians(2 * np.array([look.facing for look in looks]))
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # no 3-D points at all: NaN
        mean = np.arctan2(np.nanmean(np.sin(doubled), axis=0), np.nanmean(np.cos(doubled), axis=0))
    return np.degrees(mean) / 2


def _wrap(difference: np.ndarray) -> np.ndarray:
    """An undirected angle difference into [-90, 90)."""
    return (difference + 90.0) % 180.0 - 90.0
