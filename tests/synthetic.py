"""Stick-figure landmark sequences with exactly known angles, for testing the engine without video.

They prove the state machine, thresholds and timing logic do what the templates say on clean,
controlled input (with added jitter, gaps and framing problems). They do not prove that MediaPipe
finds those angles on real people: the corpus tests do that.
"""

from __future__ import annotations

import math

import numpy as np

from posecheck.core.engine import Engine
from posecheck.core.keypoints import INDEX, Detection, Pose

WIDTH, HEIGHT = 1280, 720
FACE = ("nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
        "right_eye_outer", "mouth_left", "mouth_right")


def _unit(degrees: float, base: tuple[float, float]) -> np.ndarray:
    """`base` rotated by `degrees`, turning from it towards image-down first."""
    bx, by = base
    a = math.radians(degrees)
    # rotate clockwise on screen (y down) when base points right, so 90 deg from (1,0) is (0,1)
    return np.array([bx * math.cos(a) - by * math.sin(a), bx * math.sin(a) + by * math.cos(a)])


def _pose(points: dict[str, np.ndarray], hidden: set[str] = frozenset(), offset=(0.0, 0.0)) -> Pose:
    xy = np.zeros((33, 2))
    depth = np.zeros(33)
    visibility = np.full(33, 0.99)
    for name, index in INDEX.items():
        if name in points:
            xy[index] = points[name]
        elif name in FACE:
            xy[index] = points["nose"] + np.array([0.0, 5.0])
        elif name.endswith(("pinky", "index", "thumb")):
            xy[index] = points[name.split("_")[0] + "_wrist"] + np.array([-8.0, 6.0])
        elif name.endswith(("heel", "foot_index")):
            xy[index] = points[name.split("_")[0] + "_ankle"] + np.array([6.0, 4.0])
        depth[index] = -50.0 if name.startswith("left") else 50.0
        if name in hidden:
            visibility[index] = 0.05
    return Pose(xy + np.array(offset), depth, visibility, (WIDTH, HEIGHT))


def quadruped(spine: float = 0.0, arm: dict | None = None, leg: dict | None = None,
              trunk_tilt: float = 0.0, knee_bend: dict | None = None, hidden=frozenset(),
              offset=(0.0, 0.0), back_curve: float = 0.0) -> Pose:
    """On hands and knees, side view, facing left. Angles as the templates measure them:
    spine = head bend above (+) or below (-) the back line; arm[side] = hip-shoulder-elbow;
    leg[side] = shoulder-hip-knee; knee_bend[side] = hip-knee-ankle (when the leg is raised);
    back_curve = the back's outline as the estimator reads it from the silhouette (NaN: none)."""
    arm = {"left": 90.0, "right": 90.0} | (arm or {})
    leg = {"left": 90.0, "right": 90.0} | (leg or {})
    knee_bend = {"left": 180.0, "right": 180.0} | (knee_bend or {})
    hip = np.array([800.0, 400.0])
    forward = np.array([-math.cos(math.radians(trunk_tilt)), -math.sin(math.radians(trunk_tilt))])
    points: dict[str, np.ndarray] = {}
    for side, shift in (("left", 0.0), ("right", 6.0)):
        h = hip + (shift, 0)
        s = h + 300 * forward
        points[f"{side}_hip"], points[f"{side}_shoulder"] = h, s
        elbow_dir = _unit(arm[side], tuple(-forward))
        points[f"{side}_elbow"] = s + 110 * elbow_dir
        points[f"{side}_wrist"] = s + 220 * elbow_dir
        knee_dir = _unit(-leg[side], tuple(forward))
        knee = h + 200 * knee_dir
        points[f"{side}_knee"] = knee
        if leg[side] > 120:
            shin = _unit(-(180 - knee_bend[side]), tuple(knee_dir))
            points[f"{side}_ankle"] = knee + 200 * shin
        else:
            points[f"{side}_ankle"] = knee + np.array([200.0, 0.0])
        neck_dir = _unit(spine, tuple(forward))
        points[f"{side}_ear"] = s + 110 * neck_dir
    points["nose"] = points["left_ear"] + 40 * forward + np.array([0, 10.0])
    return _pose(points, set(hidden), offset).with_outline(back_curve=back_curve)


# In a real cat-cow the back's tilt and the hip angle together move 10-17 degrees between cat and
# cow while the head-and-back curve (`spine`) moves 60-100, and the back's outline falls by
# 0.07-0.15 trunk lengths from cat to cow: the corpus's four cat-cow clips.
BACK_SHARE = 0.15
OUTLINE_PER_DEGREE = -0.0012


def cat_cow(spine: float = 0.0, **kwargs) -> Pose:
    """On all fours, the whole back curving (not just the head): the back's tilt follows the
    spine curve by BACK_SHARE, shoulders up in cow and down in cat, and its outline bulges up in
    cat and sags in cow. `quadruped(spine=...)` alone moves only the head: a head nod."""
    return quadruped(spine=spine, trunk_tilt=kwargs.pop("trunk_tilt", 0.0) + BACK_SHARE * spine,
                     back_curve=OUTLINE_PER_DEGREE * spine, **kwargs)


def lying(pull: dict | None = None, head_lift: float = 0.0, other_foot_lift: float = 0.0,
          hidden=frozenset(), offset=(0.0, 0.0)) -> Pose:
    """Lying on the back, side view, head left. pull[side] = shoulder-hip-knee angle (125 = knees
    bent, feet on the floor; below 90 = knee towards the chest)."""
    pull = {"left": 125.0, "right": 125.0} | (pull or {})
    points: dict[str, np.ndarray] = {}
    for side, shift in (("left", 0.0), ("right", 6.0)):
        h = np.array([700.0 + shift, 500.0])
        s = np.array([400.0 + shift, 500.0])
        points[f"{side}_hip"], points[f"{side}_shoulder"] = h, s
        points[f"{side}_elbow"] = s + (120, 10)
        points[f"{side}_wrist"] = s + (230, 10)
        knee_dir = _unit(pull[side], (-1.0, 0.0))  # 180 = straight out to the right
        knee = h + 200 * knee_dir
        points[f"{side}_knee"] = knee
        ankle = knee + (110, 170) if pull[side] > 100 else knee + (120, -40)
        points[f"{side}_ankle"] = np.array(ankle, float)
        if pull[side] < 100:  # both hands hold the pulled knee
            for hand_side in ("left", "right"):
                points[f"{hand_side}_wrist"] = knee + (20, 20)
        points[f"{side}_ear"] = s + (-110, -head_lift * 300)
    if other_foot_lift:
        points["left_ankle"] = points["left_ankle"] - (0, other_foot_lift * 300)
    points["nose"] = points["left_ear"] + (-20, -40)
    return _pose(points, set(hidden), offset)


def kneeling_upright(spine: float = 0.0) -> Pose:
    """Kneeling with the back upright (not a starting position for cat-cow or bird-dog)."""
    points = {}
    for side, shift in (("left", 0.0), ("right", 6.0)):
        h = np.array([700.0 + shift, 450.0])
        s = h + (0, -300)
        points[f"{side}_hip"], points[f"{side}_shoulder"] = h, s
        points[f"{side}_elbow"], points[f"{side}_wrist"] = s + (0, 110), s + (0, 220)
        points[f"{side}_knee"], points[f"{side}_ankle"] = h + (0, 200), h + (200, 200)
        points[f"{side}_ear"] = s + 110 * _unit(spine, (0.0, -1.0))
    points["nose"] = points["left_ear"] + (-40, 0)
    return _pose(points)


def sequence(keyframes: list[tuple[float, dict]], make, fps: float = 30.0, jitter: float = 0.0,
             seed: int = 0):
    """Interpolate keyword arguments between (time, kwargs) keyframes and yield Detections.

    Numeric kwargs and dicts of numbers are interpolated linearly; `jitter` adds Gaussian pixel
    noise to every landmark (MediaPipe's frame-to-frame noise is a few pixels).
    """
    rng = np.random.default_rng(seed)
    end = keyframes[-1][0]
    for i in range(int(end * fps) + 1):
        t = i / fps
        kwargs = _interpolate(keyframes, t)
        pose = make(**kwargs)
        if jitter:
            pose = pose.with_xy(pose.xy + rng.normal(0, jitter, pose.xy.shape))
        yield Detection(t, (pose,))


def _interpolate(keyframes, t):
    for (t0, a), (t1, b) in zip(keyframes, keyframes[1:]):
        if t0 <= t <= t1:
            w = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            return {k: _mix(a[k], b.get(k, a[k]), w) for k in a}
    return dict(keyframes[-1][1])


def _mix(a, b, w):
    if isinstance(a, dict):
        return {k: a[k] + (b.get(k, a[k]) - a[k]) * w for k in a}
    if isinstance(a, (int, float)):
        return a + (b - a) * w
    return a


def run_engine(template, detections) -> Engine:
    """Feed every detection to a new engine and finish it."""
    engine = Engine(template)
    for detection in detections:
        engine.update(detection)
    engine.finish()
    return engine


def truth_detections(script) -> list[Detection]:
    """A rendered clip's true landmarks (picture and 3-D) as detections: no MediaPipe."""
    from posecheck.synth import render_clip

    clip = render_clip(script)
    out = []
    for i, t in enumerate(clip.times()):
        pose = clip.truth_pose(i)
        out.append(Detection(float(t), (pose.with_xy(pose.xy, clip.truth_world(i)),)))
    return out
