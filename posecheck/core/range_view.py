"""Which reading of a rep's range of motion the camera's view can be trusted with.

How turned the body is comes from the picture: the narrower of the shoulders' and the hips' widths
against the torso's length (side-on both girdles are nearly edge-on; the narrower one, so that a
twist or a reaching arm that turns one girdle does not read as the camera). On the renderer's true
landmarks it reads 0.02-0.06 side-on, 0.10-0.12 at 20 degrees, 0.24-0.27 at 45 and 0.35-0.37 at
55; MediaPipe's landmarks read it up to about 0.05 higher. Real side views in the corpus read
0.02-0.23 (a rep's median at most about 0.2); their oblique first shots 0.27-0.37.

- Side-on, a key angle measured on MediaPipe's 3-D points is read on the picture instead: the 3-D
  points under-read a deep bend at every view (a child's pose by 8-28 degrees, a wall sit by up to
  30), while the picture's own angle is within a few degrees when the camera sees the bend
  side-on. Rendered child's poses side-on: median error 12.5 -> 6.4 degrees; wall sits 8.1 -> 2.5.
- Turned too far, no figure is given: the picture's angle turns with the camera (a picture's fold
  seen 22 degrees off side-on from 1 m up reads 19 degrees more than the body's), and the 3-D one
  still under-reads (10-30 degrees at 35-45 degrees of yaw).
- A key angle on the 3-D points gets no figure either once the view is not side-on (beyond
  SIDE_ON_TURN): the 3-D reading is all there is then, and it under-reads the bend there too
  (rendered child's poses read 0.17-0.23 turned, a camera 1 m up counts as turned: 3-D errors
  7-24 degrees, median 12; side-on on the picture: 0.4-6.2).
- A limb the camera barely sees (`[range] seen_limb_only`, see HIDDEN) gets no figure.
"""

from __future__ import annotations

import dataclasses
import math
from collections import deque
from dataclasses import dataclass
from typing import Callable

import numpy as np

from posecheck.core.events import RANGE_NOT_MEASURED
from posecheck.core.keypoints import INDEX, Pose
from posecheck.core.rep_range import SpanTracker
from posecheck.core.signals import OTHER_SIDE, measure_all, point_name, visible_mask, with_inputs
from posecheck.core.template import RangeSpec, Signal, Template, key_unit

SIDE_ON_TURN = 0.15  # at most this turned (about 25 degrees on true landmarks), the picture's angle is the range
TURNED_TOO_FAR = 0.24  # beyond this (about 45 degrees, 30-40 on MediaPipe's), no reading is trustworthy
MAX_TURNS = 2000  # the turn is judged on the rep's positions; a long hold keeps its latest frames
RANGE_TURNED = f"{RANGE_NOT_MEASURED}: you were turned from the camera (turn side-on for a range figure)"
RANGE_NOT_SIDE_ON = (f"{RANGE_NOT_MEASURED}: the camera did not see you quite side-on (put it low, square to "
                     "your side, for a range figure)")
# A one-side key (one knee pulled in) read on a limb MediaPipe barely sees, where the template asks
# (`[range] seen_limb_only`): side-on, the far leg behind the near one. Rendered knee-to-chest reps:
# the far knee's median visibility 0.63-0.92, the near one's 0.95-1.0; below HIDDEN the far leg's
# range was 6-18 degrees off, the near leg's 1-9 (median 2). Not for every exercise: a bird-dog's
# far leg, raised clear of the near one, reads within 2 degrees at a visibility of 0.6.
HIDDEN = 0.8

KeyValue = Callable[[dict, str | None], float | None]  # values, side -> the key signal's value


@dataclass(frozen=True)
class Reading:
    withheld: str | None = None  # why the view gives no figure (a rep note), None when it gives one
    span: float | None = None  # the rep's range read on the picture, when that reading is the one to give
    peak: float | None = None


def body_turn(pose: Pose) -> float:
    """The narrower of the shoulders' and hips' widths in the picture, in torso lengths (0 when
    exactly side-on); NaN when a shoulder or hip is hidden."""
    visible = visible_mask(pose)
    names = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
    if not all(visible[INDEX[name]] for name in names):
        return math.nan
    ls, rs, lh, rh = (pose.xy[INDEX[name]] for name in names)
    torso = float(np.linalg.norm((ls + rs) / 2 - (lh + rh) / 2))
    if torso <= 0:
        return math.nan
    return min(float(np.linalg.norm(ls - rs)), float(np.linalg.norm(lh - rh))) / torso


def on_the_picture(template: Template) -> dict[str, Signal] | None:
    """The key angle, and the signals it combines, measured on the picture; None when the key
    signal is already read there, or is not an angle (a knee twist's sideways drop in torso
    lengths is a movement towards the camera: only the 3-D points see it)."""
    if key_unit(template) != "degrees":
        return None
    needed = with_inputs(template.signals, [template.key_signal])
    if not any(signal.space == "world" for signal in needed.values()):
        return None
    return {name: dataclasses.replace(signal, space="image") for name, signal in needed.items()}


def one_side_points(template: Template) -> list[str]:
    """The key signal's points on one side ("{side}_knee"), through the signals it combines."""
    signals = with_inputs(template.signals, [template.key_signal]).values()
    points = [p for signal in signals for p in signal.points or () if "{side}" in p or "{other}" in p]
    return list(dict.fromkeys(points))


def hidden_note(point: str) -> str:
    return (f"{RANGE_NOT_MEASURED}: your {point.replace('_', ' ')} was hidden from the camera "
            "(film with that side nearer the camera for its range)")


def share_of_full(spec: RangeSpec, phase: str, span: float) -> int:
    """A one-way rep's span as % of the template's full movement from rest."""
    full = abs(spec.full[phase] - spec.rest)
    return max(0, round(100 * span / full)) if full else 0


class RangeView:
    def __init__(self, template: Template, key_value: KeyValue, key_low: bool):
        """`key_value`: the key signal's value for a side, from measured values (the engine's);
        `key_low`: whether the counted end of the key signal is its low end."""
        self._picture = on_the_picture(template)
        self._judged = template.view == "side" or self._picture is not None
        self._key_value, self._low = key_value, key_low
        self._turns: deque[float] = deque(maxlen=MAX_TURNS)
        self._span = SpanTracker()
        seen_only = template.range is not None and template.range.seen_limb_only
        self._side_points = one_side_points(template) if seen_only else []
        self._seen: dict[str, list[float]] = {}  # the moving side's key points: their visibility

    def observe(self, pose: Pose, side: str | None, in_position: bool, in_phase: bool) -> None:
        """One frame of the person: the turn counts while in a counted position, the picture's key
        value (for a key on the 3-D points) while in the starting position."""
        if in_phase and self._judged:
            turn = body_turn(pose)
            if math.isfinite(turn):
                self._turns.append(turn)
        if in_phase and side in OTHER_SIDE:
            for point in self._side_points:
                name = point_name(point, side)
                self._seen.setdefault(name, []).append(float(pose.visibility[INDEX[name]]))
        if not in_position or self._picture is None:
            return
        value = self._key_value(measure_all(self._picture, pose), side)
        if value is not None:
            self._span.add(value)

    def finish(self) -> Reading:
        """The rep's reading, then start afresh for the next rep."""
        turn = float(np.median(self._turns)) if self._turns else math.nan
        low, high = self._span.restart()
        self._turns.clear()
        hidden = self._hidden()
        if math.isfinite(turn) and turn > TURNED_TOO_FAR:
            return Reading(RANGE_TURNED)
        if hidden is not None:
            return Reading(hidden_note(hidden))
        if self._picture is not None and math.isfinite(turn) and turn > SIDE_ON_TURN:
            return Reading(RANGE_NOT_SIDE_ON)  # a deep 3-D bend not seen side-on: no trustworthy reading
        if self._picture is None or not math.isfinite(turn) or low > high:
            return Reading()
        return Reading(span=high - low, peak=low if self._low else high)

    def _hidden(self) -> str | None:
        """The moving side's key point the camera saw least, if it barely saw it; then start afresh."""
        seen = {name: float(np.median(values)) for name, values in self._seen.items() if values}
        self._seen.clear()
        least = min(seen, key=seen.get, default=None)
        return least if least is not None and seen[least] < HIDDEN else None
