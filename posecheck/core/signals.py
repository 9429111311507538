"""Turn one pose into the template's signals (angles in degrees, heights and distances in torso
lengths)."""

from __future__ import annotations

import math

import numpy as np

from posecheck.core import geometry, silhouette
from posecheck.core.keypoints import INDEX, Pose
from posecheck.core.template import DERIVED_KINDS, ONE_SIDE_KINDS, OUTLINE_KIND, SIDES, Signal

MIN_VISIBILITY = 0.25  # below this MediaPipe is guessing: the point is treated as hidden
FRAME_MARGIN = 0.02  # points this far (fraction of the image) outside the frame are out of view

OTHER_SIDE = {"left": "right", "right": "left"}


def point_name(point: str, side: str | None) -> str:
    if side is None:
        return point
    return point.replace("{side}", side).replace("{other}", OTHER_SIDE[side])


def with_inputs(signals: dict[str, Signal], names) -> dict[str, Signal]:
    """The named signals and every signal they are worked out from, in their own order (a derived
    signal after those it combines, as `measure_all` needs)."""
    needed, stack = set(), list(names)
    while stack:
        signal = signals[stack.pop()]
        needed.add(signal.name)
        stack.extend(signal.signals or ())
    return {name: signal for name, signal in signals.items() if name in needed}


def visible_mask(pose: Pose) -> np.ndarray:
    width, height = pose.image_size
    x, y = pose.xy[:, 0], pose.xy[:, 1]
    inside = ((x > -FRAME_MARGIN * width) & (x < (1 + FRAME_MARGIN) * width)
              & (y > -FRAME_MARGIN * height) & (y < (1 + FRAME_MARGIN) * height))
    return inside & (pose.visibility >= MIN_VISIBILITY) & np.isfinite(x) & np.isfinite(y)


def resolve_point(points: np.ndarray, visible: np.ndarray, name: str) -> np.ndarray | None:
    """A landmark's position (from `points`: image xy or world xyz), or the midpoint of a
    left/right pair for `mid_*`; None if hidden."""
    if name.startswith("mid_"):
        base = name[4:]
        found = [points[INDEX[f"{s}_{base}"]] for s in SIDES if visible[INDEX[f"{s}_{base}"]]]
        return np.mean(found, axis=0) if found else None
    index = INDEX[name]
    return points[index] if visible[index] else None


def torso_length(points: np.ndarray, visible: np.ndarray) -> float:
    shoulder = resolve_point(points, visible, "mid_shoulder")
    hip = resolve_point(points, visible, "mid_hip")
    if shoulder is None or hip is None:
        return math.nan
    return geometry.distance(shoulder, hip)


def signal_points(signal: Signal, pose: Pose) -> np.ndarray:
    """The coordinates a signal is measured on: world 3-D where the signal asks for it and the
    estimator gave it, else the image."""
    return pose.world if signal.space == "world" and pose.world is not None else pose.xy


def measure(signal: Signal, points: np.ndarray, visible: np.ndarray, side: str | None,
            scale: float) -> float:
    """The signal's value in this pose (for one side when it is per-side); NaN if not visible."""
    found = [resolve_point(points, visible, point_name(p, side)) for p in signal.points]
    if any(p is None for p in found):
        return math.nan
    three_d = points.shape[1] == 3
    if signal.kind == "angle":
        return geometry.joint_angle(*found)
    if signal.kind == "bend":
        if three_d:
            return geometry.bend_3d(*found)
        a, b, _ = found
        return geometry.bend(*found, up_sign=1.0 if b[0] >= a[0] else -1.0)
    if signal.kind == "elevation":
        return geometry.elevation(*found)
    if signal.kind == "height":
        a, b = found
        return float((b[1] - a[1]) / scale) if scale > 0 else math.nan
    if signal.kind == "distance":
        return geometry.distance(*found) / scale if scale > 0 else math.nan
    raise ValueError(f"unknown signal kind {signal.kind}")


def measure_all(signals: dict[str, Signal], pose: Pose) -> dict[tuple[str, str | None], float]:
    """Every signal, keyed by (name, side); side is None for signals that are not per side."""
    visible = visible_mask(pose)
    scales = {}
    values = {}
    for signal in signals.values():
        if signal.kind in DERIVED_KINDS:
            continue
        if signal.kind == OUTLINE_KIND:
            values[(signal.name, None)] = outline(signal, pose, visible)
            continue
        points = signal_points(signal, pose)
        space = points.shape[1]
        if space not in scales:
            scales[space] = torso_length(points, visible)
        for side in (SIDES if signal.per_side else (None,)):
            values[(signal.name, side)] = measure(signal, points, visible, side, scales[space])
    for signal in signals.values():
        if signal.kind == "side_match":
            values[(signal.name, None)] = side_match(values, signal)
        elif signal.kind in ONE_SIDE_KINDS:
            seen = [v for s in SIDES if math.isfinite(v := values[(signal.signals[0], s)])]
            pick = max if signal.kind == "larger_side" else min
            values[(signal.name, None)] = pick(seen) if seen else math.nan
        elif signal.kind == "sum":
            for side in (SIDES if signal.per_side else (None,)):
                values[(signal.name, side)] = sum(value_of(values, signals[name], side) for name in signal.signals)
    return values


def outline(signal: Signal, pose: Pose, visible: np.ndarray) -> float:
    """A silhouette measure read by the estimator (in trunk lengths), where the view shows it: both
    are measured along the trunk, so a trunk pointing at the camera makes them meaningless."""
    trunk = [resolve_point(pose.xy, visible, name) for name in ("mid_shoulder", "mid_hip")]
    if any(p is None for p in trunk) or not silhouette.seen_from_the_side(pose.world):
        return math.nan
    return silhouette.read(signal.measure, pose)


def value_of(values: dict, signal: Signal, side: str | None) -> float:
    """A measured signal's value on `side` (ignored for a signal not measured per side)."""
    return values[(signal.name, side if signal.per_side else None)]


def clearly_larger_side(values: dict, name: str, margin: float) -> str | None:
    left, right = values[(name, "left")], values[(name, "right")]
    if not (math.isfinite(left) and math.isfinite(right)) or abs(left - right) < margin:
        return None
    return "left" if left > right else "right"


def side_match(values: dict, signal: Signal) -> float:
    first, second = (clearly_larger_side(values, name, signal.margin) for name in signal.signals)
    if first is None or second is None:
        return math.nan
    return 1.0 if first == second else 0.0


def part_name(point: str) -> str:
    """'left_knee' -> 'left knee', for messages."""
    return point.replace("mid_", "").replace("_", " ")
