"""The synthetic renderer's generalization controls and look-alike exercises (posecheck.synth):
range of motion (`depth`), camera elevation, true 3-D world landmarks, hip abduction, the prone
posture and large supine trunk flexion, and the look-alike motion scripts (fire-hydrant,
donkey-kick, quadruped-hip-extension, superman, sit-up, crunch, leg-pull-in) that the app must not
count as bird-dog or knee-to-chest.

Fast: no MediaPipe. These prove the renderer draws what the scripts say and knows the truth; they
say nothing about what MediaPipe or the engine make of it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from posecheck.synth import Build, MotionScript, render_clip
from posecheck.synth.body import forward_kinematics
from posecheck.synth.motion import load_motion
from posecheck.synth.parts import figure_parts

SMALL = dict(width=320, height=180, fps=10.0)
HIP_L, HIP_R, KNEE_L, KNEE_R, WRIST_L, WRIST_R = 23, 24, 25, 26, 15, 16


def hold_time(clip, rep: int = 1, key: int = 0) -> float:
    per_rep = len(clip.motion.sequence)
    start, end = clip.labels["holds"][(rep - 1) * per_rep + key]
    return (start + end) / 2


# --- depth (range of motion) ---------------------------------------------------------------

def test_depth_scales_the_key_pose_angles_around_the_start():
    full = render_clip(MotionScript(exercise="bird-dog", reps=1, sides="right", holds=1.0, **SMALL))
    half = render_clip(MotionScript(exercise="bird-dog", reps=1, sides="right", holds=1.0, depth=0.5, **SMALL))
    over = render_clip(MotionScript(exercise="bird-dog", reps=1, sides="right", holds=1.0, depth=1.2, **SMALL))
    t = hold_time(full)
    start = full.motion.start
    for joint in ("hip_left", "knee_left", "shoulder_right", "neck"):
        key = full.pose_at(t)[joint]
        assert half.pose_at(t)[joint] == pytest.approx(start[joint] + 0.5 * (key - start[joint]))
        assert over.pose_at(t)[joint] == pytest.approx(start[joint] + 1.2 * (key - start[joint]))
    assert half.pose_at(t)["hip_left"] == pytest.approx((80 + -8) / 2)  # halfway from 80 to -8
    assert half.pose_at(t)["plant_hand_right"] == 0.0  # the reaching hand still leaves the floor
    assert half.pose_at(t)["plant_hand_left"] == 1.0
    assert half.labels["depth"] == 0.5 and "depth" not in full.labels
    for key in ("reps", "accept", "sides", "holds", "rep_times", "faults"):
        assert half.labels[key] == full.labels[key]


def test_depth_composes_with_a_fault_scale():
    base = MotionScript(exercise="cat-cow", reps=1, faults="shallow_cat", holds=1.0, **SMALL)
    shallow, half = render_clip(base), render_clip(base.with_(depth=0.5))
    t = sum(shallow.labels["phases"]["cat"][0]) / 2
    start = shallow.motion.start["trunk_pitch"]
    assert shallow.pose_at(t)["trunk_pitch"] == pytest.approx(start + 0.33 * 18)
    assert half.pose_at(t)["trunk_pitch"] == pytest.approx(start + 0.5 * 0.33 * 18)
    assert half.labels["faults"] == shallow.labels["faults"]


# --- camera ------------------------------------------------------------------------------

def test_camera_elevation_puts_the_camera_that_high_above_the_target():
    clip = render_clip(MotionScript(exercise="bird-dog", camera_elevation=45, camera_yaw=30, **SMALL))
    offset = clip.camera.position - np.array([0.0, 0.32, 0.0])
    elevation = math.degrees(math.atan2(offset[1], math.hypot(offset[0], offset[2])))
    assert elevation == pytest.approx(45, abs=0.01)
    assert -clip.camera.rotation[2][1] == pytest.approx(math.sin(math.radians(45)), abs=1e-6)  # looks down 45
    assert clip.labels["view"] == "side, facing left, camera yaw 30, camera elevation 45"
    # the whole movement stays in frame (the distance search)
    for index in range(0, clip.frame_count, 7):
        xy = clip.truth_landmarks[index][:, :2]
        assert (xy[:, 0] > 0).all() and (xy[:, 0] < clip.size[0]).all()
        assert (xy[:, 1] > 0).all() and (xy[:, 1] < clip.size[1]).all()


def test_camera_elevation_zero_is_level_with_the_target():
    level = render_clip(MotionScript(exercise="cat-cow", camera_elevation=0, distance=3.0, **SMALL))
    height = render_clip(MotionScript(exercise="cat-cow", camera_height=0.32, distance=3.0, **SMALL))
    assert np.allclose(level.camera.position, height.camera.position)
    assert np.allclose(level.world_down, [0.0, 1.0, 0.0])
    with pytest.raises(ValueError, match="camera_elevation"):
        render_clip(MotionScript(exercise="cat-cow", camera_elevation=-20))


def test_defaults_change_nothing():
    script = MotionScript(exercise="bird-dog", reps=1, holds=1.0, **SMALL)
    explicit = script.with_(depth=1.0, camera_elevation=None)
    a, b = render_clip(script), render_clip(explicit)
    assert np.array_equal(a.render_frame(0)[0], b.render_frame(0)[0])
    assert a.labels == b.labels and "depth" not in a.labels
    assert a.camera.position[1] == pytest.approx(script.camera_height)
    build = Build()
    pose = load_motion("bird-dog").start
    plain = forward_kinematics(pose, build, 0.0)
    zero = forward_kinematics(dict(pose, hip_abduct_left=0.0, hip_abduct_right=0.0, shoulder_abduct_left=0.0),
                              build, 0.0)
    assert all(np.array_equal(plain[k], zero[k]) for k in plain.joints)


# --- true world landmarks ----------------------------------------------------------------

def test_truth_world_is_hip_centred_metres_in_camera_axes():
    build = Build(height=1.8, legs=1.05)
    clip = render_clip(MotionScript(exercise="bird-dog", reps=1, holds=1.0, build=build, camera_yaw=25,
                                    camera_elevation=20, **SMALL))
    index = int(round(hold_time(clip) * clip.fps))
    world = clip.truth_world(index)
    assert world.shape == (33, 3)
    assert np.allclose((world[HIP_L] + world[HIP_R]) / 2, 0.0, atol=1e-9)
    for hip, knee in ((HIP_L, KNEE_L), (HIP_R, KNEE_R)):
        assert np.linalg.norm(world[knee] - world[hip]) == pytest.approx(build.length("thigh"), abs=1e-9)
    # Perspective projection of world + t (t = the hips in camera coordinates) is the 2-D truth:
    # solve for t by least squares, then every landmark must land within a hundredth of a pixel.
    xy = clip.truth_landmarks[index][:, :2]
    f, (cx, cy) = clip.camera.focal, clip.camera.center
    rows, rhs = [], []
    for (x, y), (X, Y, Z) in zip(xy, world):
        rows += [[f, 0, -(x - cx)], [0, f, -(y - cy)]]
        rhs += [(x - cx) * Z - f * X, (y - cy) * Z - f * Y]
    t, *_ = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)
    cam = world + t
    projected = cam[:, :2] * f / cam[:, 2:] + np.array([cx, cy])
    assert np.abs(projected - xy).max() < 0.01
    assert t[2] > 1.0  # the hips are in front of the camera
    # the same values come from drawing the frames
    tiny = render_clip(MotionScript(exercise="cat-cow", reps=1, holds=0.2, tempo=0.3, lead_in=0.2, tail=0.2,
                                    width=96, height=54, fps=5.0, noise=0))
    drawn = [tiny.truth_world(i) for i, _ in enumerate(tiny.frames())]
    fresh = render_clip(tiny.script)
    assert all(np.allclose(d, fresh.truth_world(i)) for i, d in enumerate(drawn))


def test_world_down_is_gravity_in_camera_axes():
    level = render_clip(MotionScript(exercise="knee-to-chest", camera_height=0.32, **SMALL))
    assert np.allclose(level.world_down, [0.0, 1.0, 0.0])
    high = render_clip(MotionScript(exercise="knee-to-chest", camera_elevation=45, camera_yaw=-40, **SMALL))
    down = high.world_down
    assert np.linalg.norm(down) == pytest.approx(1.0)
    assert down[0] == pytest.approx(0.0, abs=1e-9)  # no roll: image x stays horizontal
    assert down[1] == pytest.approx(math.cos(math.radians(45))) and down[2] == pytest.approx(math.sin(math.radians(45)))
    # lying on the back: the trunk is level (perpendicular to gravity), the bent knees are up
    world = high.truth_world(0)
    trunk = world[11] - world[23]  # left hip -> left shoulder
    assert abs(trunk @ down) < 0.1 * np.linalg.norm(trunk)
    assert (world[25] - world[27]) @ down < -0.25  # knee well above the ankle


# --- hip abduction, prone, sit-up ----------------------------------------------------------

def test_hip_abduction_swings_the_knee_sideways():
    build = Build()
    pose = dict(load_motion("fire-hydrant").start)
    before = forward_kinematics(pose, build, 0.0)
    after = forward_kinematics(dict(pose, hip_abduct_right=50.0), build, 0.0)
    thigh = build.length("thigh")
    assert np.array_equal(before["knee_left"], after["knee_left"])
    assert np.array_equal(before["hip_right"], after["hip_right"])
    moved = after["knee_right"] - before["knee_right"]
    assert moved[2] == pytest.approx(thigh * math.sin(math.radians(50)), abs=1e-9)  # out to the right (+w)
    assert after["knee_right"][1] > before["knee_right"][1] + 0.1  # and up, the knee bent on all fours
    for a, b in (("hip", "knee"), ("knee", "ankle"), ("ankle", "heel"), ("heel", "toe")):
        assert np.linalg.norm(after[f"{a}_right"] - after[f"{b}_right"]) == pytest.approx(
            np.linalg.norm(before[f"{a}_right"] - before[f"{b}_right"]))
    bend = lambda s: np.dot(s["hip_right"] - s["knee_right"], s["ankle_right"] - s["knee_right"])  # noqa: E731
    assert bend(after) == pytest.approx(bend(before))  # the knee keeps its angle
    left = forward_kinematics(dict(pose, hip_abduct_left=50.0), build, 0.0)
    assert left["knee_left"][2] < before["knee_left"][2] - 0.3  # the left leg goes out to -w


def test_prone_lies_face_down_and_sit_up_pivots_on_the_pelvis():
    superman = render_clip(MotionScript(exercise="superman", reps=1, **SMALL))
    assert superman.posture.kind == "prone"
    start = superman.skeleton_at(0.0)
    assert start["pelvis"][1] < 0.15 and start["chest"][1] < 0.15  # lying on the floor
    assert start.head_front[1] < -0.5  # face down
    assert superman.labels["view"] == "side, lying on the front, head left"
    sit = render_clip(MotionScript(exercise="sit-up", reps=1, **SMALL))
    lying, up = sit.skeleton_at(0.0), sit.skeleton_at(hold_time(sit))
    assert np.allclose(lying["pelvis"], up["pelvis"])  # the pelvis stays put on the floor
    trunk = up["neck_base"] - up["pelvis"]
    assert math.degrees(math.atan2(trunk[1], abs(trunk[0]))) > 70  # sitting up
    for side in ("left", "right"):
        assert np.allclose(lying[f"ankle_{side}"], up[f"ankle_{side}"], atol=1e-6)  # feet planted


# --- look-alike exercises ------------------------------------------------------------------

LOOKALIKES = ("fire-hydrant", "donkey-kick", "quadruped-hip-extension", "superman", "sit-up", "crunch",
              "leg-pull-in", "head-nod")
QUADRUPED = ("fire-hydrant", "donkey-kick", "quadruped-hip-extension", "head-nod")


def lowest_surface(clip, t: float) -> float:
    return min(min(p.a[1] - p.ra, p.b[1] - p.rb) for p in figure_parts(clip.skeleton_at(t), clip.script.build))


@pytest.mark.parametrize("exercise", LOOKALIKES)
def test_lookalike_renders_its_key_pose_with_the_right_labels(exercise):
    clip = render_clip(MotionScript(exercise=exercise, reps=3, camera_yaw=-20, camera_elevation=30, **SMALL))
    motion = clip.motion
    labels = clip.labels
    assert labels["exercise"] == exercise and labels["reps"] == 3 and labels["accept"] == [3, 3]
    assert len(labels["rep_times"]) == 3 and labels["faults"] == []
    if motion.sides:
        assert labels["sides"] == ["right leg", "left leg", "right leg"]
    else:
        assert "sides" not in labels
    t = hold_time(clip, rep=1)
    index = int(round(t * clip.fps))
    rgb, landmarks = clip.render_frame(index)
    assert rgb.shape == (180, 320, 3) and rgb.std() > 10
    xy = landmarks[:, :2]
    assert (xy[:, 0] > 0).all() and (xy[:, 0] < 320).all() and (xy[:, 1] > 0).all() and (xy[:, 1] < 180).all()
    for when in (0.0, t):
        assert lowest_surface(clip, when) > -0.012, when  # nothing sinks into the floor
    key, start = clip.skeleton_at(t), clip.skeleton_at(0.0)
    wrists = [key[f"wrist_{side}"][1] for side in ("left", "right")]
    if exercise in QUADRUPED or exercise == "leg-pull-in":
        assert max(wrists) < 0.08, wrists  # both hands on the floor
    working = "right"  # rep 1
    if exercise == "fire-hydrant":
        out = key[f"knee_{working}"] - start[f"knee_{working}"]
        assert abs(out[2]) > 0.25 and out[1] > 0.12  # knee out to the side and up
        assert key[f"knee_{working}"][1] < key[f"hip_{working}"][1]  # ...not above the hip
    if exercise == "donkey-kick":
        thigh = key[f"knee_{working}"] - key[f"hip_{working}"]
        shank = key[f"ankle_{working}"] - key[f"knee_{working}"]
        assert abs(thigh[1]) < 0.3 * np.linalg.norm(thigh)  # thigh about level with the back
        assert shank[1] > 0.9 * np.linalg.norm(shank)  # shank points up: sole to the ceiling
    if exercise == "quadruped-hip-extension":
        assert key[f"ankle_{working}"][1] >= key[f"hip_{working}"][1]  # straight leg at hip height or above
        assert np.dot(key[f"hip_{working}"] - key[f"knee_{working}"],
                      key[f"ankle_{working}"] - key[f"knee_{working}"]) < 0  # straight knee
    if exercise == "superman":
        for side in ("left", "right"):
            assert start[f"wrist_{side}"][1] < 0.06 and key[f"wrist_{side}"][1] > 0.2  # arms lift
            assert key[f"ankle_{side}"][1] > start[f"ankle_{side}"][1] + 0.1  # legs lift
        assert key["neck_base"][1] > start["neck_base"][1] + 0.06 and abs(key["pelvis"][1] - start["pelvis"][1]) < 1e-9
    if exercise in ("sit-up", "crunch"):
        upper = key["neck_base"] - key["chest"]
        rise = math.degrees(math.atan2(upper[1], abs(upper[0])))
        assert (rise > 70) if exercise == "sit-up" else (25 < rise < 45), rise
        for side in ("left", "right"):  # feet stay planted
            assert np.allclose(key[f"ankle_{side}"], start[f"ankle_{side}"], atol=1e-6)
    if exercise == "head-nod":  # the head drops (rep 1 holds "down"); the back and hips stay put
        for joint in ("pelvis", "chest", "neck_base", "knee_left", "shoulder_left"):
            assert np.allclose(key[joint], start[joint], atol=1e-6), joint
        assert key["head"][1] < start["head"][1] - 0.05
    if exercise == "leg-pull-in":
        for side in ("left", "right"):  # both knees in towards the chest, feet off the floor
            thigh = key[f"knee_{side}"] - key[f"hip_{side}"]
            towards_head = np.sign(key["neck_base"][0] - key["pelvis"][0])
            assert thigh[0] * towards_head > 0 and start[f"heel_{side}"][1] > 0.1
        assert "grip_left" not in motion.keys["tuck"] and "grip_right" not in motion.keys["tuck"]


@pytest.mark.parametrize("exercise", LOOKALIKES)
def test_lookalike_depth_and_sides(exercise):
    clip = render_clip(MotionScript(exercise=exercise, reps=2, sides="left", depth=0.6, facing="right", **SMALL))
    assert clip.labels["depth"] == 0.6 and clip.labels["reps"] == 2
    if clip.motion.sides:
        assert clip.labels["sides"] == ["left leg", "left leg"]
