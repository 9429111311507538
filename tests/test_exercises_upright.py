"""Exercises done standing or sitting (issue 11): wall-squat, heel-raise, seated-forward-bend and
standing-forward-curl, and the renderer's upright postures that demonstrate them (`standing`,
`seated`).

What this proves: the upright figure keeps its bones and stands on the floor (a squat lowers it
with the feet flat and put, pointed feet lift it onto its toes) or sits on it (pelvis and legs on
the floor); every exercise's correct key pose, on the true landmarks, reaches the template's
phase, passes its identity rules and shows no form fault, while every scripted fault crosses the
rule of the same id; and small rendered clips go through MediaPipe and the engine to the exact
count, a person standing still counts nothing, a squat is not a heel raise, and a scripted fault
is cued on video.

What it does not prove: that real people are counted. The real clips are measured with
benchmarks/corpus_engine.py (cached landmarks; tests/test_corpus.py runs the model on them).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from exercise_checks import PURE_SIDE, SMALL, Detected, analyse, assert_counted_exactly, hold_index, met, scripted_faults

from posecheck.synth import Build, MotionScript, render_clip
from posecheck.synth.body import forward_kinematics
from posecheck.synth.figure import pose_figure, settle
from posecheck.synth.motion import load_motion

UPRIGHT = ("wall-squat", "heel-raise", "seated-forward-bend", "standing-forward-curl")
BONES = {"upper_arm": ("shoulder", "elbow"), "forearm": ("elbow", "wrist"),
         "thigh": ("hip", "knee"), "shank": ("knee", "ankle")}


def bottom(skeleton, build, name: str, radius: str) -> float:
    """Height of the underside of a joint's capsule above the floor (metres)."""
    return float(skeleton[name][1] - build.radius(radius))


def signals(clip, templates, index: int) -> dict:
    from posecheck.core.signals import measure_all

    return measure_all(templates[clip.script.exercise].signals, clip.truth_pose(index))


# ---- the renderer's upright postures ---------------------------------------------------------


@pytest.mark.parametrize("exercise", UPRIGHT)
def test_upright_postures_keep_bone_lengths(exercise):
    motion, build = load_motion(exercise), Build(height=1.75, legs=1.05, arms=0.95)
    posture = settle(motion.start, build, motion.posture)
    clip = render_clip(MotionScript(exercise=exercise, reps=2, holds=1.0, build=build, faults=[None, None]))
    for t in np.random.default_rng(1).uniform(0, clip.duration, 10):
        pose = clip.timeline.pose_at(t)
        for skeleton in (forward_kinematics(pose, build, posture.base_pitch), pose_figure(pose, build, posture)):
            for bone, (a, b) in BONES.items():
                for side in ("left", "right"):
                    length = np.linalg.norm(skeleton[f"{a}_{side}"] - skeleton[f"{b}_{side}"])
                    assert length == pytest.approx(build.length(bone), abs=1e-6), (t, bone, side)


def test_standing_squat_lowers_the_body_with_the_feet_flat_and_put():
    build = Build()
    clip = render_clip(MotionScript(exercise="wall-squat", reps=1, holds=1.0, build=build))
    stand, squat = clip.skeleton_at(0.0), clip.skeleton_at(hold_index(clip) / clip.fps)
    for skeleton in (stand, squat):
        for side in ("left", "right"):  # both ends of each foot on the floor
            assert bottom(skeleton, build, f"heel_{side}", "foot") == pytest.approx(0.0, abs=0.005)
            assert bottom(skeleton, build, f"toe_{side}", "foot") == pytest.approx(0.0, abs=0.005)
    for side in ("left", "right"):  # the feet do not slide
        assert np.allclose(squat[f"toe_{side}"], stand[f"toe_{side}"], atol=0.01)
    assert stand["pelvis"][1] - squat["pelvis"][1] > 0.25  # slid down the wall
    assert stand["head"][1] > 1.5  # a standing adult's head, not a lying one's


def test_standing_pointed_feet_rise_onto_the_toes():
    build = Build()
    clip = render_clip(MotionScript(exercise="heel-raise", reps=1, holds=1.0, build=build))
    flat, top = clip.skeleton_at(0.0), clip.skeleton_at(hold_index(clip) / clip.fps)
    for side in ("left", "right"):
        assert bottom(top, build, f"toe_{side}", "foot") == pytest.approx(0.0, abs=0.005)
        assert bottom(top, build, f"heel_{side}", "foot") > 0.05  # heels up 5 cm or more
        assert abs(top[f"toe_{side}"][0] - flat[f"toe_{side}"][0]) < 0.01  # the toes stay put
    assert top["head"][1] - flat["head"][1] > 0.04  # the whole body rises


def test_standing_pelvis_dy_lifts_the_whole_body_off_the_floor():
    """The mini jump (a heel-raise look-alike): `pelvis_dy` lifts the figure, feet and all."""
    build = Build()
    clip = render_clip(MotionScript(exercise="mini-jump", reps=1, holds=0.2, build=build, **SMALL))
    start, end = clip.labels["holds"][1]  # the second key pose: in the air
    air = clip.skeleton_at((start + end) / 2)
    for side in ("left", "right"):
        assert bottom(air, build, f"toe_{side}", "foot") > 0.05
        assert bottom(air, build, f"heel_{side}", "foot") > bottom(air, build, f"toe_{side}", "foot")


def test_seated_rests_pelvis_and_legs_on_the_floor_and_bends_over_them():
    build = Build()
    clip = render_clip(MotionScript(exercise="seated-forward-bend", reps=1, holds=1.0, build=build))
    sit, bend = clip.skeleton_at(0.0), clip.skeleton_at(hold_index(clip) / clip.fps)
    for skeleton in (sit, bend):
        assert bottom(skeleton, build, "pelvis", "pelvis") == pytest.approx(0.0, abs=0.01)
        for side in ("left", "right"):
            assert bottom(skeleton, build, f"heel_{side}", "foot") == pytest.approx(0.0, abs=0.01)
            # the legs lie along the floor (the knee's capsule is thinner than the thigh's)
            assert bottom(skeleton, build, f"knee_{side}", "knee") < 0.06
            # the legs point away from the pelvis along the floor, the feet in front of the face
            assert skeleton[f"ankle_{side}"][0] - skeleton["pelvis"][0] > 0.6
    assert np.allclose(bend["pelvis"], sit["pelvis"], atol=1e-6)  # the pelvis stays put
    assert sit["head"][1] > 0.7 and bend["head"][1] < sit["head"][1] - 0.2
    assert bend["head"][0] > sit["head"][0] + 0.2  # the head goes forward over the legs


def test_floor_postures_keep_the_floor_camera():
    for exercise in ("cat-cow", "bird-dog", "knee-to-chest", "superman"):
        clip = render_clip(MotionScript(exercise=exercise, reps=1, holds=0.5, **SMALL))
        assert clip.posture.camera_raise == 0.0
        assert clip.camera.position[1] == pytest.approx(0.4)  # camera_height, as before


# ---- the templates on the true landmarks -----------------------------------------------------


@pytest.mark.parametrize("exercise", UPRIGHT)
def test_correct_key_poses_reach_the_template_phases_without_form_faults(exercise, templates):
    template = templates[exercise]
    clip = render_clip(MotionScript(exercise=exercise, reps=2, holds=1.0, **PURE_SIDE, **SMALL))
    start = signals(clip, templates, 0)
    assert all(met(c, start) for c in template.position.conditions), start
    for rep in (1, 2):
        values = signals(clip, templates, hold_index(clip, rep))
        phase = template.phases[0]
        assert all(met(c, values) for c in phase.conditions), (rep, values)
        assert all(met(c, values) for c in template.position.conditions), (rep, values)
        for rule in template.identity:
            change = {(rule.condition.signal, None): values[(rule.condition.signal, None)]
                      - (start[(rule.condition.signal, None)] if rule.relative else 0.0)}
            assert met(rule.condition, change), (rep, rule.message, values)
        for rule in template.form:
            assert not met(rule.condition, values), (rep, rule.id, values)
        # the range's full position is about where the motion data takes the key signal
        key = values[(template.key_signal, None)]
        assert abs(key - template.range.full[phase.name]) < 0.5 * abs(template.range.full[phase.name]
                                                                      - template.range.rest)


@pytest.mark.parametrize("exercise,fault", list(scripted_faults(UPRIGHT)))
def test_scripted_faults_cross_the_form_rule_and_still_count(exercise, fault, templates):
    template = templates[exercise]
    rule = next(r for r in template.form if r.id == fault)
    clip = render_clip(MotionScript(exercise=exercise, reps=1, holds=1.0, faults=fault, **PURE_SIDE, **SMALL))
    values = signals(clip, templates, hold_index(clip))
    assert met(rule.condition, values), values
    # a faulty rep is still the exercise: it enters the counted phase (the cue is about form)
    assert all(met(c, values) for c in template.phases[0].conditions), values


# ---- through MediaPipe and the engine ----------------------------------------------------------

detected = Detected(holds=1.5, seed=2)


@pytest.mark.parametrize("exercise", UPRIGHT)
def test_rendered_clip_counts_exactly_through_mediapipe(exercise, templates):
    clip, detections = detected(exercise=exercise, reps=2)
    assert clip.labels["reps"] == 2
    assert_counted_exactly(clip, detections, templates[exercise])


def test_standing_still_counts_nothing(templates):
    clip, detections = detected(exercise="heel-raise", reps=0, lead_in=5.0, sway=1.5)
    assert clip.labels["reps"] == 0
    for exercise in ("wall-squat", "heel-raise"):
        assert analyse(detections, templates[exercise]).reps == [], exercise


def test_a_squat_is_not_a_heel_raise(templates):
    _, detections = detected(exercise="wall-squat", reps=2)
    result = analyse(detections, templates["heel-raise"])
    assert result.reps == []


def test_a_standing_forward_curl_is_not_a_seated_forward_bend(templates):
    """The seated bend's position reads the legs along the floor (the hips-to-ankles line's
    slope); standing, they are upright whatever the trunk does."""
    _, detections = detected(exercise="standing-forward-curl", reps=2)
    assert analyse(detections, templates["seated-forward-bend"]).reps == []


def test_small_hops_are_not_heel_raises(templates):
    """A mini jump also points the feet, knees straight in the air; its heels are off the floor
    for under half a second, a heel raise pauses at the top. One hop of four may still pass."""
    clip, detections = detected(exercise="mini-jump", reps=4, holds=0.1)
    assert clip.labels["reps"] == 4
    assert len(analyse(detections, templates["heel-raise"]).reps) <= 1


def test_a_scripted_fault_is_cued_on_video(templates):
    clip, detections = detected(exercise="wall-squat", reps=2, faults=[None, "leaning_forward"], holds=2.0)
    result = analyse(detections, templates["wall-squat"])
    assert len(result.reps) == 2
    (label,) = clip.labels["faults"]
    cued = [e for e in result.events if e.kind == "form" and e.code == "leaning_forward"]
    assert cued and all(label["time"][0] - 1.5 <= e.time <= label["time"][1] + 1.5 for e in cued)
    assert "leaning_forward" in result.reps[1].faults and "leaning_forward" not in result.reps[0].faults
    assert not math.isnan(result.reps[1].counted_at)
