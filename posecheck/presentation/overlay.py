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


def draw_skeleton(rgb: np.ndarray, pose: Pose, thickness: int | None = None, joint_radius: int | None = None,
                  colours: tuple = (BONE_COLOUR, JOINT_COLOUR, HIDDEN_COLOUR)) -> None:
    """The bones and joints; those MediaPipe did not see in `colours`' last (hidden) colour."""
    bone_colour, joint_colour, hidden_colour = colours
    visible = visible_mask(pose)
    thickness = thickness or max(2, rgb.shape[0] // 240)
    joint_radius = joint_radius or thickness + 1
    for a, b in BONES:
        ia, ib = INDEX[a], INDEX[b]
        start, end = _pt(pose.xy[ia]), _pt(pose.xy[ib])
        if start and end:
            colour = bone_colour if visible[ia] and visible[ib] else hidden_colour
            cv2.line(rgb, start, end, colour, thickness, cv2.LINE_AA)
    for i in range(11, 33):
        if point := _pt(pose.xy[i]):
            cv2.circle(rgb, point, joint_radius, joint_colour if visible[i] else hidden_colour, -1, cv2.LINE_AA)


def draw_angle_label(rgb: np.ndarray, pose: Pose, joint: str, value: float) -> None:
    point = _pt(pose.xy[INDEX[joint]])
    if point is None:
        return
    size = _unit(rgb) * 0.45
    _label(rgb, f"{value:.0f} deg", (point[0] + int(size), point[1] - int(size)), size, BONE_COLOUR)


# Sizes as shares of a frame's unit (its height, or 1.6x its width if that is smaller, so that a
# portrait phone video is not overrun): figures read from 2-3 m on a laptop screen.
FIGURE = 0.1  # the rep count's digits
TEXT = 0.042  # labels and the cue
MARGIN = 0.02


def _unit(rgb: np.ndarray) -> float:
    height, width = rgb.shape[:2]
    return min(height, 1.6 * width)


def draw_panel(rgb: np.ndarray, state: EngineState, title: str) -> None:
    """The coach's view in the frame: the rep count (with sides) and the exercise at the top left,
    a hold bar that fills while the position is held at the top right, and the current cue in a
    box along the bottom. Each text is drawn once, on its own dark box."""
    height, width = rgb.shape[:2]
    unit, margin = _unit(rgb), int(MARGIN * _unit(rgb))
    figure, text = FIGURE * unit, TEXT * unit
    sides = "  ".join(f"{side[0].upper()} {n}" for side, n in sorted(state.reps_by_side.items()) if side != "all")
    right = _label(rgb, f"{state.reps}", (margin, margin), figure, INFO)
    right = _label(rgb, "reps" + (f"  {sides}" if sides else ""), (right + margin // 2, margin), text, INFO)
    phase = state.phase or ("Ready" if state.in_position else "Get into position")
    below = margin + int(figure * 1.45)
    below = _label_bottom(rgb, _fit(f"{title}: {phase}", width - 2 * margin, text * 0.8), (margin, below),
                          text * 0.8, GOOD if state.phase else INFO) + margin // 2
    if state.hold_elapsed is not None and state.hold_target:
        bar_width = int(width * 0.36)
        beside = width - margin - bar_width > right + margin  # a portrait frame has no room beside
        top = margin if beside else below
        draw_hold_bar(rgb, state.hold_elapsed, state.hold_target, text,
                      (width - margin - bar_width, top) if beside else (margin, top), bar_width if beside else
                      width - 2 * margin)
    message = state.guidance or state.cue
    if message:
        lines = _wrap(message, width - 2 * margin, text)
        y = height - margin - len(lines) * _box_height(text)
        for line in lines:
            y = _label_bottom(rgb, line, (margin, y), text, WARN)


def draw_hold_bar(rgb: np.ndarray, elapsed: float, target: float, text: float, top_left: tuple[int, int],
                  bar_width: int) -> None:
    """'Hold 6 / 15 s' above a bar that fills towards the target."""
    done = min(elapsed / target, 1.0)
    bar_height = max(6, int(text * 0.5))
    x0, top = top_left
    y0 = _label_bottom(rgb, f"Hold {elapsed:.0f} / {target:.0f} s", (x0, top), text, GOOD if done >= 1 else INFO)
    cv2.rectangle(rgb, (x0, y0), (x0 + bar_width, y0 + bar_height), (70, 70, 70), -1)
    cv2.rectangle(rgb, (x0, y0), (x0 + int(bar_width * done), y0 + bar_height), GOOD if done >= 1 else WARN, -1)


def annotate(rgb: np.ndarray, pose: Pose | None, state: EngineState, title: str,
             key_joint: str | None = None) -> np.ndarray:
    """The frame with the skeleton, the key angle (for a reviewer; leave `key_joint` out for a
    person exercising) and the coach's panel."""
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


def _font(pixels: float) -> tuple[float, int]:
    """OpenCV's font scale and stroke for capital letters `pixels` tall."""
    scale = pixels / 22.0  # FONT_HERSHEY_SIMPLEX's capitals are 22 px tall at scale 1
    return scale, max(1, int(round(pixels / 11)))


def _fit(text: str, max_width: float, pixels: float) -> str:
    """`text`, shortened with an ellipsis until it fits `max_width` at this size."""
    scale, thickness = _font(pixels)
    if cv2.getTextSize(text, FONT, scale, thickness)[0][0] <= max_width:
        return text
    while len(text) > 4 and cv2.getTextSize(text + "...", FONT, scale, thickness)[0][0] > max_width:
        text = text[:-1]
    return text.rstrip() + "..."


def _wrap(text: str, max_width: float, pixels: float, max_lines: int = 2) -> list[str]:
    """`text` in lines that fit `max_width`; the last one shortened if it does not all fit."""
    scale, thickness = _font(pixels)
    lines: list[str] = []
    for word in text.split():
        if lines and cv2.getTextSize(f"{lines[-1]} {word}", FONT, scale, thickness)[0][0] <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return [_fit(line, max_width, pixels) for line in lines]


def _label_bottom(rgb, text: str, top_left: tuple[int, int], pixels: float, colour) -> int:
    """As `_label`; returns the box's bottom edge instead."""
    _label(rgb, text, top_left, pixels, colour)
    return top_left[1] + _box_height(pixels)


def _box_height(pixels: float) -> int:
    """The height of a label's box at this size (the same for any text)."""
    scale, thickness = _font(pixels)
    (_, h), baseline = cv2.getTextSize("Hg", FONT, scale, thickness)
    return h + baseline + 2 * max(2, int(pixels * 0.3))


def _label(rgb, text: str, top_left: tuple[int, int], pixels: float, colour) -> int:
    """`text` with capitals `pixels` tall on a dark box whose top left is `top_left`; drawn once
    (no shadow copy). Returns the box's right edge."""
    scale, thickness = _font(pixels)
    (w, _), _ = cv2.getTextSize(text, FONT, scale, thickness)
    (_, h), baseline = cv2.getTextSize("Hg", FONT, scale, thickness)  # one height for every label
    pad = max(2, int(pixels * 0.3))
    x, y = top_left
    x1, y1 = x + w + 2 * pad, y + h + baseline + 2 * pad
    region = rgb[max(y, 0):max(y1, 0), max(x, 0):max(x1, 0)]
    if region.size:
        region[:] = (region * 0.25 + np.array(PANEL_COLOUR) * 0.75).astype(rgb.dtype)
    cv2.putText(rgb, text, (x + pad, y + pad + h), FONT, scale, colour, thickness, cv2.LINE_AA)
    return x1


CANVAS_COLOUR = (245, 246, 248)  # a light card: the skeleton's colours are drawn darker on it
CARD_BONE, CARD_JOINT, CARD_HIDDEN = (21, 101, 192), (20, 24, 32), (170, 170, 170)


def pose_pictures(poses: list[Pose], width: int = 320, height: int = 240, margin: float = 0.08) -> list[np.ndarray]:
    """Each pose's skeleton alone on a blank card, all at one scale and place (fitted to their
    landmarks together), so that the start position and the positions reached compare at a glance.
    A pose with no landmark in place gives a blank card."""
    points = [pose.xy[np.isfinite(pose.xy).all(axis=1)] for pose in poses]
    known = [p for p in points if len(p)]
    cards = [np.full((height, width, 3), CANVAS_COLOUR, np.uint8) for _ in poses]
    if not known:
        return cards
    every = np.concatenate(known)
    low, high = every.min(axis=0), every.max(axis=0)
    size = np.maximum(high - low, 1e-6)
    scale = min(width * (1 - 2 * margin) / size[0], height * (1 - 2 * margin) / size[1])
    offset = np.array([width, height]) / 2 - (low + high) / 2 * scale
    for card, pose in zip(cards, poses):
        placed = Pose(pose.xy * scale + offset, pose.depth, pose.visibility, (width, height), pose.world)
        _draw_on_card(card, placed)
    return cards


def _draw_on_card(rgb: np.ndarray, pose: Pose) -> None:
    thickness = max(3, rgb.shape[0] // 80)
    draw_skeleton(rgb, pose, thickness, thickness, (CARD_BONE, CARD_JOINT, CARD_HIDDEN))
    visible = visible_mask(pose)
    if (nose := _pt(pose.xy[INDEX["nose"]])) and visible[INDEX["nose"]]:  # the head, to tell which way it faces
        cv2.circle(rgb, nose, thickness * 2, CARD_JOINT, -1, cv2.LINE_AA)
