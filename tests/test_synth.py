"""The synthetic-footage renderer (posecheck.synth): geometry, ground truth, determinism, samples,
and whether MediaPipe sees the figure.

What synthetic footage proves: the renderer's figure, posed by known joint angles, is found by
MediaPipe and its landmarks follow the truth closely enough that the templates' signals come out
within a measured error; every fault we script really crosses the template's form rule on the
true landmarks; and the labels (reps, holds, sides, fault times) are exact, so the whole pipeline
can be checked end to end on as many views, builds and faults as we like.

What it does not prove: that posecheck works on real people. Real people move less smoothly,
wear loose clothes, have hair and bodies that occlude joints differently, film themselves in
cluttered rooms with poor light and odd framing, and do faults in ways no script anticipates. A
figure made of shaded capsules is easier for MediaPipe than a person in baggy clothes, so the
errors measured here are a lower bound; the real-clip tests (test_corpus.py) are the evidence.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib

import numpy as np
import pytest

from posecheck.core.signals import measure_all
from posecheck.synth import Build, MotionScript, render_clip
from posecheck.synth.body import forward_kinematics
from posecheck.synth.figure import pose_figure, settle
from posecheck.synth.motion import HELD_FROM, load_motion
from posecheck.synth.samples import SAMPLES, labels_text, regenerate_samples, samples_dir

EXERCISES = ("cat-cow", "bird-dog", "knee-to-chest")
PURE_SIDE = dict(camera_height=0.32)  # level with the look-at point: the image plane is the sagittal plane
SMALL = dict(width=320, height=180, fps=10.0)
# Measured with benchmarks/synth_fidelity.py at 640x360 (mean over frames per clip: 2.5-9 deg
# angle error in side and oblique views); the bound leaves a wide margin for other CPUs/builds.
MEAN_ANGLE_ERROR_BOUND = 12.0


def bone_lengths(skeleton) -> dict[str, float]:
    pairs = {"upper_arm": ("shoulder", "elbow"), "forearm": ("elbow", "wrist"),
             "thigh": ("hip", "knee"), "shank": ("knee", "ankle")}
    return {f"{bone}_{side}": float(np.linalg.norm(skeleton[f"{a}_{side}"] - skeleton[f"{b}_{side}"]))
            for bone, (a, b) in pairs.items() for side in ("left", "right")}


@pytest.mark.parametrize("exercise", EXERCISES)
def test_kinematics_keep_bone_lengths(exercise):
    motion, build = load_motion(exercise), Build(height=1.75, legs=1.05, arms=0.95)
    posture = settle(motion.start, build, motion.posture)
    clip = render_clip(MotionScript(exercise=exercise, reps=2, holds=1.0, build=build, faults=[None, None]))
    rng = np.random.default_rng(0)
    for t in rng.uniform(0, clip.duration, 12):
        pose = clip.timeline.pose_at(t)
        for skeleton in (forward_kinematics(pose, build, posture.base_pitch), pose_figure(pose, build, posture)):
            for name, length in bone_lengths(skeleton).items():
                assert length == pytest.approx(build.length(name.rsplit("_", 1)[0]), abs=1e-6), name


def hold_middle(clip, rep: int) -> int:
    start, end = clip.labels["rep_times"][rep - 1]
    holds = [h for h in clip.labels.get("holds", []) if start <= h[0] <= end]
    t = (holds[0][0] + holds[0][1]) / 2 if holds else (start + end) / 2
    return int(round(t * clip.fps))


def truth_signals(clip, templates, index):
    return measure_all(templates[clip.script.exercise].signals, clip.truth_pose(index))


def test_truth_angles_match_the_scripted_angles_in_a_side_view(templates):
    clip = render_clip(MotionScript(exercise="bird-dog", reps=2, holds=1.0, faults=["bent_knee", "leg_too_high"],
                                    **PURE_SIDE, **SMALL))
    base = clip.posture.base_pitch
    bent = truth_signals(clip, templates, hold_middle(clip, 1))
    assert bent[("leg_straight", "right")] == pytest.approx(180 - 90, abs=0.5)  # rep 1: right arm, left leg
    assert bent[("arm_straight", "right")] == pytest.approx(180, abs=0.5)
    high = truth_signals(clip, templates, hold_middle(clip, 2))
    thigh_direction = base + 180 - 50  # base pitch + 180 + hip flexion, in the sagittal plane
    assert high[("leg_lift", "left")] == pytest.approx(180 - thigh_direction, abs=0.5)
    assert high[("leg_straight", "left")] == pytest.approx(180, abs=0.5)


def rule_fires(rule, values, side) -> bool:
    """As the engine judges a form rule: with any_side, only if it shows on every side."""
    if not rule.condition.any_side:
        return condition_met(rule.condition, values, side)
    one_side = dataclasses.replace(rule.condition, any_side=False)
    return all(condition_met(one_side, values, s) for s in ("left", "right"))


def condition_met(condition, values, side) -> bool:
    sides = ("left", "right") if condition.any_side else (side,)
    for s in sides:
        value = values.get((condition.signal, s), values.get((condition.signal, None), math.nan))
        if np.isfinite(value) and condition.enters(value):
            return True
    return False


@pytest.mark.parametrize("exercise", EXERCISES)
def test_correct_key_poses_reach_the_template_phases_without_form_faults(exercise, templates):
    template = templates[exercise]
    motion = load_motion(exercise)
    clip = render_clip(MotionScript(exercise=exercise, reps=2, holds=1.0, **PURE_SIDE, **SMALL))
    for rep in (1, 2):
        side = clip.labels.get("sides", [None, None])[rep - 1]
        side = side.split()[0] if side else None
        start, _ = clip.labels["rep_times"][rep - 1]
        for k, name in enumerate(motion.sequence):
            t = sum(clip.labels["holds"][(rep - 1) * len(motion.sequence) + k]) / 2
            values = truth_signals(clip, templates, int(round(t * clip.fps)))
            phase = template.phase(name) if name in [p.name for p in template.phases] else template.phases[0]
            assert all(condition_met(c, values, side) for c in phase.conditions), (rep, name, values)
            for rule in template.form:
                if rule.phase == phase.name:
                    assert not rule_fires(rule, values, side), (rep, rule.id, values)
    start_values = truth_signals(clip, templates, 0)
    assert all(condition_met(c, start_values, "right") for c in template.position.conditions), start_values


# Faults the app's rules are known not to catch on the true landmarks: (exercise, id) -> why.
# (bird-dog arm_low, an arm ~48 deg below horizontal, is arm_raise ~117: caught since the rule
# moved from < 110 to < 120.)
KNOWN_MISSES: dict[tuple[str, str], str] = {}


def scripted_faults_with_rules():
    """Every scripted fault whose id is also a form rule of the exercise's template (read now:
    templates change, and a new rule is checked as soon as it exists)."""
    from posecheck.io.templates import load_all

    templates = load_all()
    for exercise in EXERCISES:
        rules = {rule.id for rule in templates[exercise].form}
        for fault in load_motion(exercise).faults:
            if fault in rules:
                reason = KNOWN_MISSES.get((exercise, fault))
                marks = [pytest.mark.xfail(reason=reason)] if reason else []
                yield pytest.param(exercise, fault, marks=marks, id=f"{exercise}-{fault}")


@pytest.mark.parametrize("exercise,fault", list(scripted_faults_with_rules()))
def test_scripted_faults_cross_the_template_form_rule(exercise, fault, templates):
    rule = next(r for r in templates[exercise].form if r.id == fault)
    clip = render_clip(MotionScript(exercise=exercise, reps=1, holds=1.0, faults=fault, sides="left",
                                    **PURE_SIDE, **SMALL))
    label = clip.labels["faults"][0]
    index = int(round(sum(label["time"]) / 2 * clip.fps)) if label["time"][1] > label["time"][0] else \
        hold_middle(clip, 1)
    if rule.phase in [p.name for p in templates[exercise].phases] and len(load_motion(exercise).sequence) > 1:
        index = phase_middle(clip, rule.phase)
    values = truth_signals(clip, templates, index)
    assert rule_fires(rule, values, "left"), values


def phase_middle(clip, name: str) -> int:
    start, end = clip.labels["phases"][name][0]
    return int(round((start + end) / 2 * clip.fps))


def test_same_seed_same_frames_other_seed_other_noise():
    script = MotionScript(exercise="cat-cow", reps=1, holds=0.5, tempo=0.5, seed=5, **SMALL)
    first, second = render_clip(script), render_clip(script)
    for index in (0, 7, 15):
        a, b = first.render_frame(index), second.render_frame(index)
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    other = render_clip(script.with_(seed=6)).render_frame(7)[0]
    assert not np.array_equal(other, first.render_frame(7)[0])
    assert np.abs(other.astype(int) - first.render_frame(7)[0]).mean() < 6  # only the noise differs


def test_hold_labels_start_and_end_nine_tenths_of_the_way_into_the_key_pose():
    clip = render_clip(MotionScript(exercise="knee-to-chest", reps=1, holds=3.0, tempo=2.0, **SMALL))
    (start, end), = clip.labels["holds"]
    (still_start, still_end), = clip.labels["still"]
    rest, held = clip.timeline.pose_at(0.0), clip.timeline.pose_at(still_start)
    joint = max(held, key=lambda k: abs(held[k] - rest.get(k, 0.0)))  # the joint that moves most
    for t in (start, end):
        share = (clip.timeline.pose_at(t)[joint] - rest[joint]) / (held[joint] - rest[joint])
        assert share == pytest.approx(HELD_FROM, abs=0.01)
    assert start < still_start and end > still_end


def test_labels_structure_and_times():
    clip = render_clip(MotionScript(exercise="bird-dog", reps=3, holds=[2.0, 4.0, 1.0], tempo=1.5,
                                    faults=[None, "same_side", "leg_low"], sides=["left", "right", "right"],
                                    camera_yaw=20, **SMALL))
    labels = clip.labels
    assert labels["exercise"] == "bird-dog" and labels["synthetic"] is True and labels["reps"] == 3
    assert labels["accept"] == [3, 3] and labels["view"] == "side, facing left, camera yaw 20"
    assert labels["sides"] == ["left arm + right leg", "right arm + right leg", "right arm + left leg"]
    assert labels["still"] == [[3.0, 5.0], [9.0, 13.0], [17.0, 18.0]]
    # as people label holds: from 90 % of the eased way in (0.2 x the 1.5 s move) to 90 % out
    assert labels["holds"] == [[2.69, 5.31], [8.69, 13.31], [16.69, 18.31]]
    assert labels["rep_times"] == [[1.5, 6.5], [7.5, 14.5], [15.5, 19.5]]  # 1 s rest between reps
    assert labels["faults"] == [{"id": "same_side", "rep": 2, "time": [9.0, 13.0]},
                                {"id": "leg_low", "rep": 3, "time": [17.0, 18.0]}]
    rep_times = labels["rep_times"]
    assert clip.duration == pytest.approx(rep_times[-1][1] + 1.0)
    assert len(clip.truth_landmarks) == clip.frame_count and clip.truth_landmarks[0].shape == (33, 4)
    catcow = render_clip(MotionScript(exercise="cat-cow", reps=1, holds=5.0, faults="too_fast")).labels
    assert catcow["faults"] == [{"id": "too_fast", "rep": 1, "time": catcow["rep_times"][0]}]
    assert set(catcow["phases"]) == {"cat", "cow"} and "holds" not in catcow


def test_unknown_fault_is_refused():
    with pytest.raises(ValueError, match="no fault 'leg_too_high'"):
        render_clip(MotionScript(exercise="cat-cow", faults="leg_too_high"))


@pytest.mark.parametrize("exercise,yaw,facing", [("cat-cow", 0, "left"), ("bird-dog", 20, "right"),
                                                  ("knee-to-chest", -20, "left")])
def test_mediapipe_finds_the_figure_and_its_angles(exercise, yaw, facing, templates):
    from posecheck.pipeline.estimator import MediaPipePose

    clip = render_clip(MotionScript(exercise=exercise, reps=1, holds=1.0, camera_yaw=yaw, facing=facing, seed=3))
    template = templates[exercise]
    errors, found = [], 0
    indices = list(range(0, clip.frame_count, 6))
    with MediaPipePose(max_people=1) as estimator:
        for index in indices:
            rgb, landmarks = clip.render_frame(index)
            detection = estimator(rgb, index / clip.fps)
            if detection.pose is None:
                continue
            found += 1
            truth = measure_all(template.signals, clip.truth_pose(index))
            seen = measure_all(template.signals, detection.pose)
            errors += [abs(seen[k] - v) for k, v in truth.items()
                       if template.signals[k[0]].kind != "height" and np.isfinite(v) and np.isfinite(seen[k])]
    assert found >= len(indices) - 1
    assert np.mean(errors) < MEAN_ANGLE_ERROR_BOUND


def decoded(path):
    from posecheck.io.video import read_frames

    return [frame.rgb.astype(np.int16) for frame in read_frames(path)]


def test_regenerated_samples_match_the_committed_ones(tmp_path):
    committed = samples_dir()
    text = (committed / "labels.toml").read_text(encoding="utf-8")
    assert 'file = "bird-dog__polybag.mp4"' in text
    labels = tomllib.loads(text)["clip"]
    synthetic = [c for c in labels if c.get("synthetic")]
    assert sorted(c["file"] for c in synthetic) == sorted(f"{s.name}.mp4" for s in SAMPLES)
    expected = []
    for sample in SAMPLES:
        expected.append(dict(render_clip(sample.script).labels, file=f"{sample.name}.mp4", notes=sample.notes))
    assert labels_text(expected, text) == text  # identical labels, polybag entry kept verbatim
    shortest = min(SAMPLES, key=lambda s: render_clip(s.script).duration)
    regenerate_samples(tmp_path, only=[shortest.name])
    new, old = decoded(tmp_path / f"{shortest.name}.mp4"), decoded(committed / f"{shortest.name}.mp4")
    assert len(new) == len(old)
    for a, b in zip(new[::5], old[::5]):
        assert np.abs(a - b).mean() < 1.0
