"""The posed figure: contacts with the floor, its drawable parts and its 33 MediaPipe landmarks.

`settle` decides once per clip where the body rests (pelvis height, the trunk's base direction,
where hands and feet touch the floor); `pose_figure` then turns any pose into a skeleton whose
planted hands and feet stay put and whose gripping hands hold the shin.

Upright postures: `standing` (trunk up, face towards +u; each pose is set on the floor by its
lowest foot point, the toes kept where the start pose puts them, so bending the knees lowers the
body and pointing the feet lifts it onto the toes) and `seated` (long-sitting on the floor: trunk
up, the legs out along +u; the body rests on the pelvis like a lying one).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from posecheck.synth.body import (SIDES, Build, Skeleton, blend, forward_kinematics,
                                  lateral, set_foot, two_bone_ik, unit, value)

POSTURES = ("quadruped", "supine", "prone", "standing", "seated")


@dataclass(frozen=True)
class Posture:
    kind: str
    base_pitch: float
    pelvis_height: float
    hand_contacts: dict = field(default_factory=dict)  # side -> wrist position on the floor
    foot_contacts: dict = field(default_factory=dict)  # side -> ankle position with the foot flat
    front_sign: float = 1.0  # +1 when the head points to +u (upright postures: the face)
    # Upright postures: how far the camera's look-at point and its default height are raised
    # (a standing person is filmed at hip height, not from the floor); 0 for lying and kneeling.
    camera_raise: float = 0.0
    toe_u: float = 0.0  # standing: where the toes stay along the mat (the middle of the two)


def grounded_offset(skeleton: Skeleton, build: Build, parts: tuple[str, ...]) -> float:
    """How far to lift the skeleton so the lowest of `parts` just touches the floor."""
    lowest = min(skeleton[name][1] - build.radius(_RADIUS_OF[name.rsplit("_", 1)[0]]) for name in parts)
    return -lowest


_RADIUS_OF = {"pelvis": "pelvis", "waist": "waist", "chest": "chest", "neck_base": "chest", "knee": "knee",
              "toe": "foot", "heel": "foot", "head": "neck", "shoulder": "shoulder"}
_WRIST_HEIGHT = 0.028  # wrist centre above the floor with the hand flat


def settle(start_pose: dict, build: Build, kind: str) -> Posture:
    if kind == "quadruped":
        return _settle_quadruped(start_pose, build)
    if kind == "supine":
        return _settle_supine(start_pose, build)
    if kind == "prone":
        return _settle_prone(start_pose, build)
    if kind == "standing":
        return _settle_standing(start_pose, build)
    if kind == "seated":
        return _settle_seated(start_pose, build)
    raise ValueError(f"unknown posture {kind!r}; known: {', '.join(POSTURES)}")


def _settle_quadruped(pose: dict, build: Build) -> Posture:
    """Knees on the floor; the trunk tilted so the straight arms just reach the floor."""
    arm = build.length("upper_arm") + build.length("forearm")
    low, high = -30.0, 30.0
    for _ in range(30):
        pitch = (low + high) / 2
        skeleton, lift = _quadruped_at(pose, build, pitch)
        shoulder_height = skeleton["shoulder_left"][1] + lift
        if shoulder_height > 0.985 * arm + _WRIST_HEIGHT:
            high = pitch
        else:
            low = pitch
    skeleton, lift = _quadruped_at(pose, build, pitch)
    hands = {}
    for side in SIDES:
        wrist = skeleton[f"shoulder_{side}"].copy()
        wrist[0] += 0.03 * build.height
        wrist[1] = _WRIST_HEIGHT - lift  # body frame before lifting
        hands[side] = wrist
    return Posture("quadruped", pitch, lift, hands, {}, 1.0)


def _quadruped_at(pose: dict, build: Build, pitch: float) -> tuple[Skeleton, float]:
    skeleton = forward_kinematics(pose, build, pitch)
    return skeleton, grounded_offset(skeleton, build, ("knee_left", "knee_right", "toe_left", "toe_right"))


def _settle_supine(pose: dict, build: Build) -> Posture:
    """Lying on the back, head towards -u; feet with `plant_foot` set rest flat on the floor."""
    skeleton = forward_kinematics(pose, build, 180.0)
    lift = grounded_offset(skeleton, build, ("pelvis", "waist", "chest"))
    feet = {}
    for side in SIDES:
        ankle = skeleton[f"ankle_{side}"].copy()
        ankle[1] = build.length("ankle_height") + build.radius("foot") * 0.6 - lift
        feet[side] = ankle
    return Posture("supine", 180.0, lift, {}, feet, -1.0)


def _settle_prone(pose: dict, build: Build) -> Posture:
    """Lying on the stomach, face down, head towards +u; hands with `plant_hand` set rest on the
    floor where the start pose puts them (straight below the wrists)."""
    skeleton = forward_kinematics(pose, build, 0.0)
    lift = grounded_offset(skeleton, build, ("pelvis", "waist", "chest"))
    hands = {}
    for side in SIDES:
        wrist = skeleton[f"wrist_{side}"].copy()
        wrist[1] = _WRIST_HEIGHT - lift
        hands[side] = wrist
    return Posture("prone", 0.0, lift, hands, {}, 1.0)


_FEET = ("heel_left", "heel_right", "toe_left", "toe_right")
_STANDING_RAISE = 0.58  # standing: look at about 0.9 m (hip height), camera at about 1 m
_SEATED_RAISE = 0.15  # long-sitting: look at about 0.47 m (chest height sitting)


def _settle_standing(pose: dict, build: Build) -> Posture:
    """Standing on both feet, trunk up, face towards +u; the toes stay where the start pose puts
    them and every pose is set down on its lowest foot point (see `_pose_standing`)."""
    skeleton = _standing_skeleton(pose, build)
    lift = grounded_offset(skeleton, build, _FEET)
    toe_u = float(np.mean([skeleton[f"toe_{side}"][0] for side in SIDES]))
    return Posture("standing", 90.0, lift, {}, {}, 1.0, _STANDING_RAISE, toe_u)


def _settle_seated(pose: dict, build: Build) -> Posture:
    """Long-sitting on the floor: trunk up, legs out along +u, face towards +u; the body rests on
    the pelvis, heels or knees, whichever is lowest in the start pose (the pelvis stays put)."""
    skeleton = forward_kinematics(pose, build, 90.0)
    lift = grounded_offset(skeleton, build, ("pelvis",) + _FEET + ("knee_left", "knee_right"))
    return Posture("seated", 90.0, lift, {}, {}, 1.0, _SEATED_RAISE)


def _standing_skeleton(pose: dict, build: Build) -> Skeleton:
    """A standing pose before it is set on the floor: forward kinematics without `pelvis_dy`
    (added after, so a pose may leave the floor), feet with `plant_foot` turned flat."""
    skeleton = forward_kinematics({k: v for k, v in pose.items() if k != "pelvis_dy"}, build, 90.0)
    joints = skeleton.joints
    for side in SIDES:
        weight = value(pose, f"plant_foot_{side}")
        if weight > 0:
            old_foot = unit(joints[f"toe_{side}"] - joints[f"heel_{side}"])
            shank = unit(joints[f"ankle_{side}"] - joints[f"knee_{side}"])
            set_foot(joints, build, side, shank, unit(blend(old_foot, np.array([1.0, 0.0, 0.0]), weight)))
    return skeleton


def _pose_standing(pose: dict, build: Build, posture: Posture) -> Skeleton:
    """A standing pose set on the floor: its lowest foot point touches it, the toes stay at
    `posture.toe_u` (a squat lowers the body, pointed feet lift it onto the toes), then
    `pelvis_dy` lifts the whole body (a jump)."""
    skeleton = _standing_skeleton(pose, build)
    joints = dict(skeleton.joints)
    for side in SIDES:
        _place_arm(joints, pose, build, posture, side)
    lift = grounded_offset(skeleton, build, _FEET)
    toe_u = float(np.mean([joints[f"toe_{side}"][0] for side in SIDES]))
    shift = np.array([posture.toe_u - toe_u, lift + value(pose, "pelvis_dy"), 0.0])
    return Skeleton({k: v + shift for k, v in joints.items()}, skeleton.head_up, skeleton.head_front)


def pose_figure(pose: dict, build: Build, posture: Posture) -> Skeleton:
    """The skeleton for one pose, on the floor (floor at v = 0)."""
    if posture.kind == "standing":
        return _pose_standing(pose, build, posture)
    skeleton = forward_kinematics(pose, build, posture.base_pitch)
    joints = dict(skeleton.joints)
    for side in SIDES:
        _plant_leg(joints, pose, build, posture, side)
    for side in SIDES:
        _place_arm(joints, pose, build, posture, side)
    lifted = {k: v + np.array([0.0, posture.pelvis_height, 0.0]) for k, v in joints.items()}
    return Skeleton(lifted, skeleton.head_up, skeleton.head_front)


def _plant_leg(joints: dict, pose: dict, build: Build, posture: Posture, side: str) -> None:
    weight = value(pose, f"plant_foot_{side}")
    if weight <= 0 or side not in posture.foot_contacts:
        return
    hip, knee = joints[f"hip_{side}"], joints[f"knee_{side}"]
    target = blend(joints[f"ankle_{side}"], posture.foot_contacts[side], weight)
    pole = knee + 0.3 * unit(knee - (hip + joints[f"ankle_{side}"]) / 2)
    knee, ankle = two_bone_ik(hip, target, build.length("thigh"), build.length("shank"), pole)
    joints[f"knee_{side}"], joints[f"ankle_{side}"] = knee, ankle
    old_foot = unit(joints[f"toe_{side}"] - joints[f"heel_{side}"])
    flat = np.array([posture.front_sign * -1.0, 0.0, 0.0]) if posture.kind == "supine" else old_foot
    foot_dir = unit(blend(old_foot, flat, weight))
    set_foot(joints, build, side, unit(ankle - knee), foot_dir)


def _place_arm(joints: dict, pose: dict, build: Build, posture: Posture, side: str) -> None:
    plant = value(pose, f"plant_hand_{side}") if side in posture.hand_contacts else 0.0
    grips = {leg: value(pose, f"grip_{leg}") for leg in SIDES}
    on_chest = value(pose, "hands_chest")
    if plant <= 0 and max(grips.values()) <= 0 and on_chest <= 0:
        return
    shoulder, elbow, wrist = (joints[f"{p}_{side}"] for p in ("shoulder", "elbow", "wrist"))
    hand_dir = unit(joints[f"hand_{side}"] - wrist)
    target = blend(wrist, posture.hand_contacts[side], plant) if plant > 0 else wrist
    floor_dir = np.array([posture.front_sign, 0.0, 0.0])
    hand_dir = unit(blend(hand_dir, floor_dir, plant))
    for leg, weight in grips.items():
        if weight > 0:
            grip_point, grip_dir = _shin_grip(joints, build, leg, side)
            target = blend(target, grip_point, weight)
            hand_dir = unit(blend(hand_dir, grip_dir, weight))
    trunk_back = unit(joints["pelvis"] - joints["chest"])
    pole = elbow + 0.25 * trunk_back + lateral(side, 0.15)
    if on_chest > 0:
        chest_point, chest_dir = _chest_rest(joints, build, side)
        target = blend(target, chest_point, on_chest)
        hand_dir = unit(blend(hand_dir, chest_dir, on_chest))
        # elbows out to the side and back towards the floor behind the trunk
        pole = blend(pole, shoulder + 0.2 * trunk_back + lateral(side, 0.3) - 0.6 * _anterior(joints), on_chest)
    elbow, wrist = two_bone_ik(shoulder, target, build.length("upper_arm"), build.length("forearm"), pole)
    joints[f"elbow_{side}"], joints[f"wrist_{side}"] = elbow, wrist
    joints[f"hand_{side}"] = wrist + build.length("hand") * hand_dir


def _shin_grip(joints: dict, build: Build, leg: str, hand_side: str) -> tuple[np.ndarray, np.ndarray]:
    """Where a hand holds the shin of `leg` (on its own side of the shin), and where its fingers point."""
    knee, ankle = joints[f"knee_{leg}"], joints[f"ankle_{leg}"]
    shin = unit(ankle - knee)
    offset = build.radius("knee") + build.radius("wrist")
    point = knee + 0.25 * build.length("shank") * shin + lateral(hand_side, offset)
    fingers = unit(lateral(hand_side, -1.0) + 0.3 * shin)
    return point, fingers


def _anterior(joints: dict) -> np.ndarray:
    """Unit vector out of the front of the chest (the upper trunk's direction - 90 degrees)."""
    up = unit(joints["neck_base"] - joints["chest"])
    return np.array([up[1], -up[0], 0.0])


def _chest_rest(joints: dict, build: Build, side: str) -> tuple[np.ndarray, np.ndarray]:
    """Where a wrist rests with the arms folded on the chest, and where its fingers point (to the
    other shoulder)."""
    front = _anterior(joints)
    up = unit(joints["neck_base"] - joints["chest"])
    middle = 0.6 * joints["chest"] + 0.4 * joints["neck_base"]
    point = middle + (build.radius("chest") + build.radius("wrist")) * front + lateral(side, 0.045 * build.height)
    fingers = unit(lateral(side, -1.0) + 0.6 * up)
    return point, fingers
