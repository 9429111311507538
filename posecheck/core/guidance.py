"""What the person is told about the picture (nobody in view, two people, not side-on, a part of
the body out of frame, too small, not in the starting position), and the one cue on screen.

A situation must last a moment before it is said (brief glitches say nothing) and is cleared once
it ends; the cue on screen changes at most every CUE_MIN_SECONDS, except for guidance, which is
said at once, and fades after twice that. Pure state over time; the engine calls it per frame.
"""

from __future__ import annotations

import math

import numpy as np

from posecheck.core.events import Event
from posecheck.core.keypoints import INDEX, Pose
from posecheck.core.signals import point_name
from posecheck.core.template import ONE_SIDE_KINDS, SIDES, Template

# How long a situation must last before the user is told about it (s): brief glitches say nothing.
GUIDANCE_DELAY = {"no_person": 1.0, "two_people": 1.0, "turn_side_on": 1.5, "out_of_frame": 1.0,
                  "position": 2.0, "too_small": 1.5}
GUIDANCE_TEXT = {
    "no_person": "I can't see you: move into the camera's view.",
    "turn_side_on": "Turn side-on to the camera: I need to see you from the side for this exercise.",
    "too_small": "You are small in the picture: move the camera closer so I can check your form.",
}
# While one of these is active, form rules are not judged: the camera cannot see them well enough.
VIEW_ISSUES = ("turn_side_on", "too_small")
SIDE_ON_MAX_SHOULDER_RATIO = 0.65  # shoulder span / torso length above this means facing the camera
CUE_MIN_SECONDS = 2.5


class Guidance:
    """The situations being told, and the cue on screen."""

    def __init__(self) -> None:
        self._since: dict[str, float] = {}
        self._told: dict[str, str] = {}
        self._cue_since = -math.inf

    def issue(self, code: str, active: bool, t: float, new: list[Event], text: str = "") -> None:
        """The situation `code` is (or is not) the case at `t`; guidance and its clearing go to `new`."""
        if not active:
            self._since.pop(code, None)
            if code in self._told:
                del self._told[code]
                new.append(Event("guidance_clear", t, "", code=code))
            return
        since = self._since.setdefault(code, t)
        message = text or GUIDANCE_TEXT.get(code, "")
        if code not in self._told and t - since >= GUIDANCE_DELAY[code]:
            self._told[code] = message
            new.append(Event("guidance", since, message, code=code))

    @property
    def message(self) -> str:
        """The guidance being told now (the first still the case), or ''."""
        return next(iter(self._told.values()), "")

    def view_unclear(self) -> bool:
        """Whether the camera cannot see the form well enough to judge it."""
        return any(code in self._told for code in VIEW_ISSUES)

    def cue(self, current: str, t: float, new: list[Event]) -> str:
        """The cue on screen at `t`, given the cue shown so far and this frame's events."""
        for event in new:
            if event.kind in ("form", "guidance") and event.message:
                if t - self._cue_since >= CUE_MIN_SECONDS or event.kind == "guidance":
                    current, self._cue_since = event.message, t
        if current and t - self._cue_since > 2 * CUE_MIN_SECONDS:
            current = ""
        return current


def people_issues(main: Pose | None, others: int, main_side: str) -> list[tuple[str, bool, str]]:
    """(code, active, text) for nobody in view and for someone else in view."""
    crowded = main is not None and others > 0
    text = (f"Someone else is in view: I'm following the person on the {main_side}. Only the person "
            "exercising should be in the frame.") if crowded else ""
    return [("no_person", main is None, ""), ("two_people", crowded, text)]


def view_issues(template: Template, required, pose: Pose, visible: np.ndarray) -> list[tuple[str, bool, str]]:
    """(code, active, text) for a side-on exercise seen from the front and a part out of frame."""
    issues = [("turn_side_on", facing_camera(pose, visible), "")] if template.view == "side" else []
    missing = missing_part(required, visible)
    text = f"I can't see your {missing}: move so your whole body is in the frame." if missing else ""
    return issues + [("out_of_frame", missing is not None, text)]


def facing_camera(pose: Pose, visible: np.ndarray) -> bool:
    """Whether the person faces the camera (shoulders wide against the torso) rather than side-on."""
    ls, rs, lh, rh = (INDEX[n] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip"))
    if not visible[[ls, rs, lh, rh]].all():
        return False
    span = np.linalg.norm(pose.xy[ls] - pose.xy[rs])
    torso = np.linalg.norm((pose.xy[ls] + pose.xy[rs]) / 2 - (pose.xy[lh] + pose.xy[rh]) / 2)
    return torso > 0 and span / torso > SIDE_ON_MAX_SHOULDER_RATIO


Part = tuple[str, list[int]]  # a label for messages, and landmarks any one of which will do


def required_parts(template: Template) -> list[list[list[Part]]]:
    """What the position and phases must see (hidden_ok parts excepted): per signal, its
    alternatives (one per side for a per-side signal, any of which will do: in a side view the
    far limb is hidden behind the body), each a list of parts that must all be seen."""
    conditions = list(template.position.conditions)
    for phase in template.phases:
        conditions += [c for c in phase.conditions if not c.hidden_ok]
    required = []
    # A larger_side (smaller_side) signal needs what its per-side signal needs, on either side.
    names = [n for c in conditions for n in (template.signals[c.signal].signals
                                             if template.signals[c.signal].kind in ONE_SIDE_KINDS else (c.signal,))]
    for name in dict.fromkeys(names):
        signal = template.signals[name]
        alternatives = []
        for side in (SIDES if signal.per_side else (None,)):
            parts = []
            for point in signal.points:
                point = point_name(point, side)
                if point.startswith("mid_"):
                    parts.append((point[4:].replace("_", " "), [INDEX[f"{s}_{point[4:]}"] for s in SIDES]))
                else:
                    parts.append((point.replace("_", " "), [INDEX[point]]))
            alternatives.append(parts)
        required.append(alternatives)
    return required


def missing_part(required: list[list[list[Part]]], visible: np.ndarray) -> str | None:
    """The first part the camera must see and does not, or None."""
    for alternatives in required:
        missing = [[label for label, indices in parts if not visible[indices].any()] for parts in alternatives]
        if all(missing):
            return min(missing, key=len)[0]
    return None
