"""What is drawn (tapered capsules with a material) and the 33 true landmarks, from a skeleton."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posecheck.core.keypoints import LANDMARK_NAMES
from posecheck.synth.body import SIDES, Build, Skeleton, lateral, unit


@dataclass(frozen=True)
class Part:
    """A tapered capsule from a (radius ra) to b (radius rb); a sphere when a == b."""

    a: np.ndarray
    b: np.ndarray
    ra: float
    rb: float
    material: str


def head_radius(build: Build) -> float:
    return 0.052 * build.height


def head_frame(skeleton: Skeleton) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Centre, up, front and the unit vector to the figure's right."""
    return skeleton["head"], unit(skeleton.head_up), unit(skeleton.head_front), np.array([0.0, 0.0, 1.0])


def figure_parts(skeleton: Skeleton, build: Build, hair_style: str = "short") -> list[Part]:
    return (_trunk_parts(skeleton, build) + _head_parts(skeleton, build, hair_style)
            + [p for side in SIDES for p in _arm_parts(skeleton, build, side) + _leg_parts(skeleton, build, side)])


def _trunk_parts(s: Skeleton, build: Build) -> list[Part]:
    r = build.radius
    shoulders_in = [s[f"shoulder_{side}"] * 0.85 + s["shoulder_mid"] * 0.15 for side in SIDES]
    return [
        Part(s["hip_left"], s["hip_right"], r("pelvis"), r("pelvis"), "bottom"),
        Part(s["pelvis"], s["waist"], r("pelvis") * 0.97, r("waist"), "top"),
        Part(s["waist"], s["chest"], r("waist"), r("chest"), "top"),
        Part(s["chest"], s["neck_base"], r("chest"), r("neck_base") * 1.5, "top"),
        Part(shoulders_in[0], shoulders_in[1], r("shoulder") * 1.35, r("shoulder") * 1.35, "top"),
        Part(s["chest"] * 0.6 + s["neck_base"] * 0.4 + lateral("left", 0.06 * build.height),
             s["chest"] * 0.6 + s["neck_base"] * 0.4 + lateral("right", 0.06 * build.height),
             r("chest") * 0.85, r("chest") * 0.85, "top"),
        Part(s["neck_base"], s["neck_top"], r("neck") * 1.15, r("neck"), "skin"),
    ]


def _head_parts(s: Skeleton, build: Build, hair_style: str) -> list[Part]:
    center, up, front, right = head_frame(s)
    radius = head_radius(build)
    parts = [
        Part(center - 0.35 * radius * up + 0.18 * radius * front, center + 0.3 * radius * up,
             0.86 * radius, 0.95 * radius, "skin"),
        Part(center + 0.55 * radius * front - 0.15 * radius * up, center + 1.08 * radius * front - 0.3 * radius * up,
             0.16 * radius, 0.09 * radius, "skin"),  # nose
    ]
    hair_radius = 1.0 * radius
    parts.append(Part(center - 0.12 * radius * front + 0.42 * radius * up,
                      center - 0.36 * radius * front - 0.1 * radius * up, hair_radius, hair_radius * 0.97, "hair"))
    if hair_style == "bun":
        bun = center - 0.95 * radius * front + 0.45 * radius * up
        parts.append(Part(bun, bun, 0.42 * radius, 0.42 * radius, "hair"))
    for side in SIDES:
        sign = 1.0 if side == "right" else -1.0
        eye = center + 0.80 * radius * front + 0.12 * radius * up + sign * 0.36 * radius * right
        parts.append(Part(eye, eye, 0.12 * radius, 0.12 * radius, "eye"))
        brow = center + 0.86 * radius * front + 0.36 * radius * up + sign * 0.36 * radius * right
        parts.append(Part(brow - 0.12 * radius * front, brow + 0.05 * radius * front, 0.07 * radius, 0.07 * radius, "hair"))
        ear = center + 0.96 * radius * sign * right - 0.08 * radius * front - 0.1 * radius * up
        parts.append(Part(ear + 0.1 * radius * up, ear - 0.12 * radius * up, 0.2 * radius, 0.16 * radius, "skin"))
        mouth = center + 0.86 * radius * front - 0.52 * radius * up + sign * 0.18 * radius * right
        parts.append(Part(mouth, mouth - sign * 0.3 * radius * right, 0.07 * radius, 0.07 * radius, "lips"))
    return parts


def _arm_parts(s: Skeleton, build: Build, side: str) -> list[Part]:
    r = build.radius
    shoulder, elbow, wrist, hand = (s[f"{p}_{side}"] for p in ("shoulder", "elbow", "wrist", "hand"))
    sleeve_end = shoulder + 0.55 * (elbow - shoulder)
    thumb_dir = unit(hand - wrist) * 0.5 + lateral(side, -0.7) * 0.5
    return [
        Part(shoulder, elbow, r("shoulder"), r("elbow"), "skin"),
        Part(shoulder, sleeve_end, r("shoulder") * 1.18, r("elbow") * 1.22, "top"),
        Part(elbow, wrist, r("elbow"), r("wrist"), "skin"),
        Part(wrist, hand, r("hand") * 1.15, r("hand") * 0.85, "skin"),
        Part(wrist + 0.2 * (hand - wrist), wrist + 0.35 * (hand - wrist) + 0.045 * build.height * unit(thumb_dir),
             r("hand") * 0.55, r("hand") * 0.45, "skin"),
    ]


def _leg_parts(s: Skeleton, build: Build, side: str) -> list[Part]:
    r = build.radius
    hip, knee, ankle, heel, toe = (s[f"{p}_{side}"] for p in ("hip", "knee", "ankle", "heel", "toe"))
    return [
        Part(hip, knee, r("hip"), r("knee"), "bottom"),
        Part(knee, ankle, r("knee"), r("ankle"), "bottom"),
        Part(ankle, heel, r("ankle") * 1.05, r("foot") * 1.15, "feet"),
        Part(heel, toe, r("foot") * 1.15, r("foot") * 0.85, "feet"),
        Part(ankle, heel + 0.55 * (toe - heel), r("ankle") * 1.05, r("foot") * 1.1, "feet"),
    ]


def true_landmarks(skeleton: Skeleton, build: Build) -> np.ndarray:
    """(33, 3) body-frame positions of MediaPipe's landmarks, in LANDMARK_NAMES order."""
    center, up, front, right = head_frame(skeleton)
    radius = head_radius(build)
    points: dict[str, np.ndarray] = {"nose": center + 1.08 * radius * front - 0.3 * radius * up}
    for side in SIDES:
        sign = 1.0 if side == "right" else -1.0
        eye = center + 0.80 * radius * front + 0.12 * radius * up + sign * 0.36 * radius * right
        points[f"{side}_eye"] = eye
        points[f"{side}_eye_inner"] = eye + 0.1 * radius * front - sign * 0.14 * radius * right
        points[f"{side}_eye_outer"] = eye - 0.12 * radius * front + sign * 0.16 * radius * right
        points[f"{side}_ear"] = center + 0.98 * radius * sign * right - 0.08 * radius * front - 0.1 * radius * up
        points[f"mouth_{side}"] = center + 0.86 * radius * front - 0.52 * radius * up + sign * 0.18 * radius * right
        for joint in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel"):
            points[f"{side}_{joint}"] = skeleton[f"{joint}_{side}"]
        points[f"{side}_foot_index"] = skeleton[f"toe_{side}"]
        wrist, hand = skeleton[f"wrist_{side}"], skeleton[f"hand_{side}"]
        along = hand - wrist
        points[f"{side}_index"] = wrist + 0.95 * along + lateral(side, -0.012 * build.height)
        points[f"{side}_pinky"] = wrist + 0.8 * along + lateral(side, 0.012 * build.height)
        points[f"{side}_thumb"] = wrist + 0.45 * along + lateral(side, -0.03 * build.height)
    return np.array([points[name] for name in LANDMARK_NAMES])


# How deep inside the drawn surface each landmark sits (metres per metre of height), so the
# visibility test does not call a joint hidden by its own limb.
def landmark_depth_margin(build: Build) -> np.ndarray:
    margins = []
    for name in LANDMARK_NAMES:
        joint = name.split("_", 1)[-1] if name.startswith(("left_", "right_")) else name
        margins.append(_MARGIN.get(joint, 0.02) * build.height)
    return np.array(margins)


_MARGIN = {"shoulder": 0.05, "hip": 0.07, "elbow": 0.03, "knee": 0.035, "wrist": 0.025, "ankle": 0.03,
           "heel": 0.02, "foot_index": 0.02, "ear": 0.025}
