"""Pure drawing functions: they take an RGB frame and data, and draw on the frame in place."""

from __future__ import annotations

import cv2
import numpy as np

from posecheck.core.engine import EngineState
from posecheck.core.keypoints import BONES, INDEX, Pose
from posecheck.core.signals import visible_mask

BONE_COLOUR = (80, 220, 255)
JOINT_COLOUR = (255, 255, 255)
HIDDEN_COLOUR = (140, 140, 140)
PANEL_COLOUR = (20, 24, 32)
GOOD, WARN, INFO = (110, 230, 120), (255, 190, 60), (235, 235, 235)
FONT = cv2.FONT_HERSHEY_SIMPLEX


def draw_skeleton(rgb: np.ndarray, pose: Pose) -> None:
    visible = visible_mask(pose)
    thickness = max(2, rgb.shape[0] // 240)
    for a, b in BONES:
        ia, ib = INDEX[a], INDEX[b]
        start, end = _pt(pose.xy[ia]), _pt(pose.xy[ib])
        if start and end:
            colour = BONE_COLOUR if visible[ia] and visible[ib] else HIDDEN_COLOUR
            cv2.line(rgb, start, end, colour, thickness, cv2.LINE_AA)
    for i in range(11, 33):
        if point := _pt(pose.xy[i]):
            cv2.circle(rgb, point, thickness + 1, JOINT_COLOUR if visible[i] else HIDDEN_COLOUR, -1, cv2.LINE_AA)


def draw_angle_label(rgb: np.ndarray, pose: Pose, joint: str, value: float) -> None:
    scale = rgb.shape[0] / 720
    point = _pt(pose.xy[INDEX[joint]])
    if point is None:
        return
    x, y = point
    _text(rgb, f"{value:.0f} deg", (x + 10, y - 10), 0.6 * scale, BONE_COLOUR)


def draw_panel(rgb: np.ndarray, state: EngineState, title: str) -> None:
    """Counter, phase, hold timer and the current cue, in a bar at the top of the frame."""
    height, width = rgb.shape[:2]
    scale = max(height, width) / 1000
    bar = int(110 * scale)
    overlay = rgb.copy()
    cv2.rectangle(overlay, (0, 0), (width, bar), PANEL_COLOUR, -1)
    cv2.addWeighted(overlay, 0.72, rgb, 0.28, 0, dst=rgb)
    line = int(34 * scale)
    sides = ", ".join(f"{side} {n}" for side, n in sorted(state.reps_by_side.items()) if side != "all")
    counter = f"Reps {state.reps}" + (f"  ({sides})" if sides else "")
    _text(rgb, f"{title}  |  {counter}", (int(12 * scale), line), 0.8 * scale, INFO)
    phase = state.phase or ("ready" if state.in_position else "get into position")
    if state.key_value is not None:
        phase += f"  |  {state.key_value:.0f}"
    _text(rgb, phase, (int(12 * scale), 2 * line), 0.65 * scale, GOOD if state.phase else INFO)
    if state.hold_elapsed is not None and state.hold_target:
        done = min(state.hold_elapsed / state.hold_target, 1.0)
        x0, y0 = int(width * 0.55), int(1.45 * line)
        x1 = int(width * 0.97)
        cv2.rectangle(rgb, (x0, y0), (x1, y0 + int(14 * scale)), (70, 70, 70), -1)
        cv2.rectangle(rgb, (x0, y0), (x0 + int((x1 - x0) * done), y0 + int(14 * scale)),
                      GOOD if done >= 1 else WARN, -1)
        _text(rgb, f"hold {state.hold_elapsed:.0f}/{state.hold_target:.0f} s", (x0, y0 - int(6 * scale)),
              0.6 * scale, INFO)
    message = state.guidance or state.cue
    if message:
        _text(rgb, message, (int(12 * scale), 3 * line - int(4 * scale)), 0.6 * scale, WARN)


def annotate(rgb: np.ndarray, pose: Pose | None, state: EngineState, title: str,
             key_joint: str | None = None) -> np.ndarray:
    out = rgb.copy()
    if pose is not None:
        draw_skeleton(out, pose)
        if key_joint and state.key_value is not None:
            draw_angle_label(out, pose, key_joint, state.key_value)
    draw_panel(out, state, title)
    return out


MAX_PIXEL = 100_000  # far outside any frame, well inside what OpenCV's integer points take


def _pt(xy) -> tuple[int, int] | None:
    """A landmark as a pixel, or None when it has no place (NaN or infinite: nothing is drawn)."""
    x, y = float(xy[0]), float(xy[1])
    if not (np.isfinite(x) and np.isfinite(y)):
        return None
    return int(round(np.clip(x, -MAX_PIXEL, MAX_PIXEL))), int(round(np.clip(y, -MAX_PIXEL, MAX_PIXEL)))


def _text(rgb, text, origin, scale, colour) -> None:
    thickness = max(1, int(round(scale * 2)))
    cv2.putText(rgb, text, origin, FONT, scale, (0, 0, 0), thickness + 2, cv2.LINE_AA)
    cv2.putText(rgb, text, origin, FONT, scale, colour, thickness, cv2.LINE_AA)
