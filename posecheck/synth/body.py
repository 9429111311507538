"""The figure's skeleton: proportions, forward kinematics from joint angles, and two-bone IK.

Everything is in the body frame, metres: u along the mat (the sagittal plane's horizontal), v up,
w lateral with the figure's RIGHT side at +w. Sagittal directions are angles in degrees in the
(u, v) plane (0 = +u, 90 = up). A segment's anterior (belly/face) side is its direction - 90.

Joint angles (the keys of a pose dict; limb keys end in `_left` / `_right`):
  trunk_pitch  direction of the lower trunk (pelvis -> waist) plus the posture's base direction
  lumbar       flexion between lower and middle trunk (+ rounds the back, - arches it)
  thoracic     flexion between middle and upper trunk
  neck         flexion of the head against the upper trunk (+ chin to chest)
  shoulder_*   flexion: 0 = arm along the trunk towards the feet, 90 = arm at right angles, 180 = overhead
  shoulder_abduct_*  the whole arm swung out of the sagittal plane, away from the midline (- = across
               the body): the upper arm turns from its sagittal direction towards its own side
  elbow_*      flexion (0 = straight)
  wrist_*      hand direction against the forearm
  hip_*        flexion: 0 = thigh in line with the trunk, 90 = at right angles, < 0 = extension
  hip_abduct_* the whole leg swung out of the sagittal plane, away from the midline (0 = in the
               plane): the thigh turns from its sagittal direction d towards its own side s,
               cos(a) d + sin(a) s, and the knee, shank and foot turn with it about the hip (the
               axis d x s), so a bent knee stays bent (on all fours: a fire hydrant)
  knee_*       flexion (0 = straight)
  ankle_*      foot direction against the shank - 90 (0 = foot at right angles, -90 = pointed)
  plant_hand_* 0..1: how far the hand is pulled to its floor contact (two-bone IK)
  plant_foot_* 0..1: the same for the foot
  grip_left, grip_right  0..1: both hands pulled onto that shin, just below the knee
  hands_chest  0..1: both forearms folded onto the chest, hands towards the other shoulder (IK)
  pelvis_dy    metres added to the pelvis height
  leg_roll_left, leg_roll_right  degrees both legs, hip joints included, turn about the body's long
               axis (u) through the pelvis, towards that side (0 by default): lying on the back
               with the knees bent, the knees fall to that side and the pelvis rolls with them
  pelvis_dx    metres the pelvis moves along the mat (+u; 0 by default: sitting back on the heels
               from all fours moves it back, towards -u, while planted hands stay put)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SIDES = ("left", "right")
LATERAL = {"left": -1.0, "right": 1.0}


@dataclass(frozen=True)
class Build:
    """Body proportions: standing height and ratios against an average adult (1.0)."""

    height: float = 1.70
    legs: float = 1.0
    arms: float = 1.0
    trunk: float = 1.0
    shoulders: float = 1.0
    girth: float = 1.0  # scales every limb and trunk thickness (slim < 1 < heavy)

    def length(self, part: str) -> float:
        ratio, scale = _LENGTHS[part]
        return self.height * ratio * getattr(self, scale)

    def radius(self, part: str) -> float:
        return self.height * _RADII[part] * self.girth


# Fractions of standing height (after Drillis & Contini), and which ratio scales them.
_LENGTHS = {
    "thigh": (0.245, "legs"), "shank": (0.240, "legs"), "foot": (0.145, "legs"), "ankle_height": (0.035, "legs"),
    "upper_arm": (0.180, "arms"), "forearm": (0.150, "arms"), "hand": (0.100, "arms"),
    "lower_trunk": (0.100, "trunk"), "middle_trunk": (0.100, "trunk"), "upper_trunk": (0.105, "trunk"),
    "neck": (0.050, "trunk"), "hip_width": (0.095, "shoulders"), "shoulder_width": (0.200, "shoulders"),
    "head": (0.068, "trunk"),
}
_RADII = {
    "pelvis": 0.066, "waist": 0.058, "chest": 0.068, "neck_base": 0.040, "neck": 0.030,
    "hip": 0.050, "knee": 0.031, "ankle": 0.020, "foot": 0.018,
    "shoulder": 0.034, "elbow": 0.026, "wrist": 0.019, "hand": 0.017,
}


def direction(angle: float) -> np.ndarray:
    """Unit vector of a sagittal angle, in the body frame (w = 0)."""
    a = math.radians(angle)
    return np.array([math.cos(a), math.sin(a), 0.0])


def lateral(side: str, amount: float) -> np.ndarray:
    return np.array([0.0, 0.0, LATERAL[side] * amount])


@dataclass
class Skeleton:
    """Joint positions (body frame) plus the head's axes, for drawing and for landmarks."""

    joints: dict[str, np.ndarray]
    head_up: np.ndarray  # unit vector from chin to crown
    head_front: np.ndarray  # unit vector the face points to

    def __getitem__(self, name: str) -> np.ndarray:
        return self.joints[name]


def value(pose: dict, key: str, default: float = 0.0) -> float:
    return float(pose.get(key, default))


def trunk_chain(pose: dict, build: Build, base_pitch: float) -> dict[str, np.ndarray]:
    """Pelvis, waist, chest, neck base, shoulders and head, from the trunk and neck angles."""
    lower = base_pitch + value(pose, "trunk_pitch")
    middle = lower - value(pose, "lumbar")
    upper = middle - value(pose, "thoracic")
    head = upper - value(pose, "neck")
    pelvis = np.array([value(pose, "pelvis_dx"), value(pose, "pelvis_dy"), 0.0])
    waist = pelvis + build.length("lower_trunk") * direction(lower)
    chest = waist + build.length("middle_trunk") * direction(middle)
    neck_base = chest + build.length("upper_trunk") * direction(upper)
    neck_top = neck_base + build.length("neck") * direction(head)
    head_center = neck_top + build.length("head") * (0.85 * direction(head) + 0.25 * direction(head - 90))
    # Shoulder joints sit below the base of the neck, a little towards the back.
    shoulder_mid = neck_base - 0.025 * build.height * direction(upper) + 0.008 * build.height * direction(upper + 90)
    joints = {"pelvis": pelvis, "waist": waist, "chest": chest, "neck_base": neck_base,
              "neck_top": neck_top, "head": head_center, "shoulder_mid": shoulder_mid}
    for side in SIDES:
        joints[f"shoulder_{side}"] = shoulder_mid + lateral(side, build.length("shoulder_width") / 2)
        joints[f"hip_{side}"] = pelvis + lateral(side, build.length("hip_width") / 2)
    joints["_angles"] = np.array([lower, middle, upper, head])
    return joints


def arm_chain(joints: dict, pose: dict, build: Build, side: str, upper_dir: float) -> None:
    arm = upper_dir + 180 + value(pose, f"shoulder_{side}")
    fore = arm + value(pose, f"elbow_{side}")
    hand = fore + value(pose, f"wrist_{side}")
    elbow = joints[f"shoulder_{side}"] + build.length("upper_arm") * direction(arm)
    wrist = elbow + build.length("forearm") * direction(fore)
    joints[f"elbow_{side}"] = elbow
    joints[f"wrist_{side}"] = wrist
    joints[f"hand_{side}"] = wrist + build.length("hand") * direction(hand)
    abduct = value(pose, f"shoulder_abduct_{side}")
    if abduct:
        swing_out(joints, f"shoulder_{side}", direction(arm), side, abduct, ("elbow", "wrist", "hand"))


def leg_chain(joints: dict, pose: dict, build: Build, side: str, lower_dir: float) -> None:
    thigh = lower_dir + 180 + value(pose, f"hip_{side}")
    shank = thigh - value(pose, f"knee_{side}")
    foot = shank + 90 + value(pose, f"ankle_{side}")
    knee = joints[f"hip_{side}"] + build.length("thigh") * direction(thigh)
    ankle = knee + build.length("shank") * direction(shank)
    joints[f"knee_{side}"] = knee
    joints[f"ankle_{side}"] = ankle
    set_foot(joints, build, side, direction(shank), direction(foot))
    abduct = value(pose, f"hip_abduct_{side}")
    if abduct:
        swing_out(joints, f"hip_{side}", direction(thigh), side, abduct, ("knee", "ankle", "heel", "toe"))


def swing_out(joints: dict, root: str, limb_dir: np.ndarray, side: str, angle: float, parts: tuple) -> None:
    """Turn a limb about its root so its first segment goes from `limb_dir` (sagittal) towards its
    own side by `angle` degrees; the rest of the limb turns rigidly with it."""
    axis = unit(np.cross(limb_dir, lateral(side, 1.0)))
    rotation = rotation_matrix(axis, math.radians(angle))
    origin = joints[root]
    for part in parts:
        name = f"{part}_{side}"
        joints[name] = origin + rotation @ (joints[name] - origin)


def rotation_matrix(axis: np.ndarray, angle: float) -> np.ndarray:
    """Rotation by `angle` radians about the unit `axis` (right-handed, Rodrigues)."""
    x, y, z = axis
    k = np.array([[0.0, -z, y], [z, 0.0, -x], [-y, x, 0.0]])
    return np.eye(3) + math.sin(angle) * k + (1.0 - math.cos(angle)) * (k @ k)


def set_foot(joints: dict, build: Build, side: str, shank_dir: np.ndarray, foot_dir: np.ndarray) -> None:
    ankle = joints[f"ankle_{side}"]
    heel = ankle + build.length("ankle_height") * shank_dir - 0.22 * build.length("foot") * foot_dir
    joints[f"heel_{side}"] = heel
    joints[f"toe_{side}"] = heel + build.length("foot") * foot_dir


def forward_kinematics(pose: dict, build: Build, base_pitch: float) -> Skeleton:
    """All joints from the angles alone (no contacts), pelvis at height `pelvis_dy`."""
    joints = trunk_chain(pose, build, base_pitch)
    lower, _, upper, head = joints.pop("_angles")
    for side in SIDES:
        arm_chain(joints, pose, build, side, upper)
        leg_chain(joints, pose, build, side, lower)
    roll = value(pose, "leg_roll_right") - value(pose, "leg_roll_left")
    if roll:
        roll_legs(joints, roll)
    return Skeleton(joints, head_up=direction(head), head_front=direction(head - 90))


def roll_legs(joints: dict, angle: float) -> None:
    """Turn both legs, hip joints included, about the long axis (u) through the pelvis by `angle`
    degrees, towards the figure's right (+w) when positive."""
    rotation = rotation_matrix(np.array([1.0, 0.0, 0.0]), math.radians(angle))
    origin = joints["pelvis"]
    for side in SIDES:
        for part in ("hip", "knee", "ankle", "heel", "toe"):
            name = f"{part}_{side}"
            joints[name] = origin + rotation @ (joints[name] - origin)


def two_bone_ik(root: np.ndarray, target: np.ndarray, len_a: float, len_b: float,
                pole: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Middle joint and end point of a two-bone limb reaching for `target`, bending towards `pole`.

    Out of reach, the limb points straight at the target and stops short of it.
    """
    to_target = target - root
    distance = float(np.linalg.norm(to_target))
    axis = to_target / max(distance, 1e-9)
    reach = min(max(distance, abs(len_a - len_b) + 1e-6), len_a + len_b - 1e-6)
    along = (len_a ** 2 - len_b ** 2 + reach ** 2) / (2 * reach)
    height = math.sqrt(max(len_a ** 2 - along ** 2, 0.0))
    bend = (pole - root) - np.dot(pole - root, axis) * axis
    norm = np.linalg.norm(bend)
    bend = bend / norm if norm > 1e-9 else np.array([0.0, 1.0, 0.0])
    middle = root + along * axis + height * bend
    end = root + reach * axis
    return middle, end


def blend(a: np.ndarray, b: np.ndarray, weight: float) -> np.ndarray:
    return a + (b - a) * weight


def unit(vector: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 1e-9 else vector
