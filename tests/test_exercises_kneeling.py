"""Exercises done on all fours, kneeling or lying face down (issue 11): childs-pose,
shell-stretch, downward-dog, prone-press-up, and the renderer pose key `pelvis_dx` they need (the
pelvis moves back onto the heels, or up and back into a downward dog, while the hands stay put).

What this proves: every exercise's correct key pose, on the true landmarks (image and 3-D points,
as MediaPipe gives both), reaches the template's phase, passes its identity rules and shows no
form fault, while every scripted fault crosses the form rule of the same id; small rendered clips
go through MediaPipe and the engine to the exact count; a person keeping still on all fours counts
nothing; a scripted fault is cued on video; the look-alikes the templates name are told apart on
the true landmarks (all fours, a cat, a plank, an upward dog with the hips up).

What it does not prove: that real people are counted. The real clips are measured with
benchmarks/corpus_engine.py (cached landmarks; tests/test_corpus.py runs the model on them).
"""

from __future__ import annotations

import numpy as np
import pytest
from exercise_checks import PURE_SIDE, SMALL, Detected, analyse, assert_counted_exactly, hold_index, met, scripted_faults

from posecheck.synth import MotionScript, render_clip
from posecheck.synth.body import forward_kinematics
from posecheck.synth.figure import pose_figure, settle
from posecheck.synth.motion import load_motion

KNEELING = ("childs-pose", "shell-stretch", "downward-dog", "prone-press-up")


def signals(clip, templates, index: int, exercise: str | None = None) -> dict:
    """A template's signals on the true landmarks of one frame, with the true 3-D points as
    MediaPipe's world landmarks (some of these signals are measured on them)."""
    from posecheck.core.signals import measure_all

    pose = clip.truth_pose(index)
    pose = pose.with_xy(pose.xy, clip.truth_world(index))
    return measure_all(templates[exercise or clip.script.exercise].signals, pose)


# ---- the renderer ------------------------------------------------------------------------------


def test_pelvis_dx_moves_the_pelvis_back_while_the_planted_hands_stay():
    clip = render_clip(MotionScript(exercise="childs-pose", reps=1, holds=1.0, **SMALL))
    fours, child = clip.skeleton_at(0.0), clip.skeleton_at(hold_index(clip) / clip.fps)
    assert fours["pelvis"][0] - child["pelvis"][0] > 0.3  # sat back
    assert fours["pelvis"][1] - child["pelvis"][1] > 0.1  # and down towards the heels
    for side in ("left", "right"):
        assert np.allclose(child[f"wrist_{side}"], fours[f"wrist_{side}"], atol=0.01)  # hands put
        assert abs(child[f"knee_{side}"][0] - fours[f"knee_{side}"][0]) < 0.1  # knees about put
        assert child[f"knee_{side}"][1] < 0.12  # still on the floor
    # without the key the pose is exactly what it was before the key existed
    pose = dict(load_motion("childs-pose").start)
    moved = forward_kinematics({**pose, "pelvis_dx": 0.2}, clip.script.build, 0.0)
    still = forward_kinematics(pose, clip.script.build, 0.0)
    assert np.allclose(moved["pelvis"] - still["pelvis"], [0.2, 0.0, 0.0])
    assert np.allclose(still["pelvis"], [0.0, 0.0, 0.0])


def test_downward_dog_lifts_the_knees_and_puts_the_hips_highest():
    build = MotionScript(exercise="downward-dog").build
    motion = load_motion("downward-dog")
    posture = settle(motion.start, build, motion.posture)
    clip = render_clip(MotionScript(exercise="downward-dog", reps=1, holds=1.0, **SMALL))
    dog = pose_figure(clip.timeline.pose_at(hold_index(clip) / clip.fps), build, posture)
    hips = dog["pelvis"][1]
    assert hips > dog["shoulder_left"][1] + 0.2 and hips > dog["head"][1] + 0.3
    for side in ("left", "right"):
        assert dog[f"knee_{side}"][1] > 0.3  # knees off the floor
        assert dog[f"ankle_{side}"][1] < 0.12 and dog[f"wrist_{side}"][1] < 0.06  # hands and feet down


# ---- the templates on the true landmarks -----------------------------------------------------


@pytest.mark.parametrize("exercise", KNEELING)
def test_correct_key_poses_reach_the_template_phases_without_form_faults(exercise, templates):
    template = templates[exercise]
    clip = render_clip(MotionScript(exercise=exercise, reps=2, holds=1.0, **PURE_SIDE, **SMALL))
    start = signals(clip, templates, 0)
    assert all(met(c, start) for c in template.position.conditions), start
    phase = template.phases[0]
    assert not any(met(c, start) for c in phase.conditions), start  # the start is not the position
    for rep in (1, 2):
        values = signals(clip, templates, hold_index(clip, rep))
        assert all(met(c, values) for c in phase.conditions), (rep, values)
        assert all(met(c, values) for c in template.position.conditions), (rep, values)
        for rule in template.identity:
            assert not rule.relative
            assert met(rule.condition, values), (rep, rule.message, values)
        for rule in template.form:
            assert not met(rule.condition, values), (rep, rule.id, values)
        # the range's full position is about where the motion data takes the key signal
        key = values[(template.key_signal, None)]
        rest, full = template.range.rest, template.range.full[phase.name]
        assert abs(key - full) < 0.5 * abs(full - rest), key
        assert abs(start[(template.key_signal, None)] - rest) < 0.35 * abs(full - rest)


@pytest.mark.parametrize("exercise,fault", list(scripted_faults(KNEELING)))
def test_scripted_faults_cross_the_form_rule(exercise, fault, templates):
    template = templates[exercise]
    rule = next(r for r in template.form if r.id == fault)
    clip = render_clip(MotionScript(exercise=exercise, reps=1, holds=1.0, faults=fault, **PURE_SIDE, **SMALL))
    values = signals(clip, templates, hold_index(clip))
    assert met(rule.condition, values), values


def test_hips_off_the_floor_is_not_a_prone_press_up(templates):
    """The hips_lifted fault (thighs off the floor, as in an upward dog or a plank) fails the
    hips-down identity rule: it is cued as another exercise, not counted silently."""
    template = templates["prone-press-up"]
    clip = render_clip(MotionScript(exercise="prone-press-up", reps=1, holds=1.0, faults="hips_lifted",
                                    **PURE_SIDE, **SMALL))
    values = signals(clip, templates, hold_index(clip))
    hips_down = next(r for r in template.identity if r.condition.signal == "hips_lift")
    assert not met(hips_down.condition, values), values


@pytest.mark.parametrize("other,template_name", [
    ("cat-cow", "childs-pose"), ("bird-dog", "childs-pose"), ("cat-cow", "downward-dog"),
    ("bird-dog", "downward-dog"), ("childs-pose", "downward-dog"), ("downward-dog", "childs-pose"),
    ("superman", "prone-press-up"),
])
def test_look_alikes_do_not_reach_the_position_and_its_identity(other, template_name, templates):
    """No key pose of a look-alike (rendered) both enters the phase at the template's own
    threshold and passes every identity rule."""
    template = templates[template_name]
    motion = load_motion(other)
    clip = render_clip(MotionScript(exercise=other, reps=1, holds=1.0, **PURE_SIDE, **SMALL))
    for k, _ in enumerate(motion.sequence):
        values = signals(clip, templates, hold_index(clip, k + 1), template_name)
        phase = template.phases[0]
        entered = all(met(c, values) for c in phase.conditions)
        identity = all(met(r.condition, values) for r in template.identity)
        assert not (entered and identity), (other, values)


# ---- through MediaPipe and the engine ----------------------------------------------------------

detected = Detected(holds=2.0, seed=2)


@pytest.mark.parametrize("exercise", ["downward-dog", "childs-pose"])
def test_rendered_clip_counts_exactly_through_mediapipe(exercise, templates):
    clip, detections = detected(exercise=exercise, reps=2)
    assert clip.labels["reps"] == 2
    assert_counted_exactly(clip, detections, templates[exercise])


def test_still_on_all_fours_counts_nothing(templates):
    clip, detections = detected(exercise="childs-pose", reps=0, lead_in=6.0, sway=1.5)
    assert clip.labels["reps"] == 0
    for exercise in ("childs-pose", "shell-stretch", "downward-dog"):
        assert analyse(detections, templates[exercise]).reps == [], exercise


def test_a_scripted_fault_is_cued_on_video(templates):
    clip, detections = detected(exercise="downward-dog", reps=2, faults=[None, "head_up"], holds=3.0)
    result = analyse(detections, templates["downward-dog"])
    assert len(result.reps) == 2
    (label,) = clip.labels["faults"]
    cued = [e for e in result.events if e.kind == "form" and e.code == "head_up"]
    assert cued and all(label["time"][0] - 1.5 <= e.time <= label["time"][1] + 1.5 for e in cued)
    assert "head_up" in result.reps[1].faults and "head_up" not in result.reps[0].faults
