"""The state machine on synthetic landmark sequences (see synthetic.py for what these prove)."""

import dataclasses
import math

import numpy as np
import pytest

from posecheck.core.keypoints import Detection
from synthetic import cat_cow, kneeling_upright, lying, quadruped, sequence
from synthetic import run_engine as run


def kinds(engine, kind):
    return [e for e in engine.events if e.kind == kind]


def cat_cow_cycles(n, start=1.0, period=6.0):
    frames = [(0.0, {"spine": 0.0}), (start, {"spine": 0.0})]
    t = start
    for _ in range(n):
        frames += [(t + 1, {"spine": -45.0}), (t + 2.5, {"spine": -45.0}), (t + 3.5, {"spine": 0.0}),
                   (t + 4.5, {"spine": 35.0}), (t + 5.5, {"spine": 35.0}), (t + period, {"spine": 0.0})]
        t += period
    return frames + [(t + 1, {"spine": 0.0})]


@pytest.mark.parametrize("cycles", [1, 3])
def test_cat_cow_counts_each_cat_and_cow_pair_once(templates, cycles):
    engine = run(templates["cat-cow"], sequence(cat_cow_cycles(cycles), cat_cow, jitter=2.0))
    assert len(engine.reps) == cycles
    # counted when the second position (cow) is reached, about 4.5 s into each cycle
    assert 1.0 + 3.5 <= engine.reps[0].counted_at <= 1.0 + 4.5 + 0.2  # between neutral and the full cow
    assert [e.code for e in kinds(engine, "phase")] == ["cat", "cow"] * cycles


def test_half_a_cycle_is_not_a_rep(templates):
    frames = [(0, {"spine": 0.0}), (1, {"spine": 0.0}), (2, {"spine": -45.0}), (4, {"spine": -45.0}),
              (5, {"spine": 0.0}), (8, {"spine": 0.0})]
    assert run(templates["cat-cow"], sequence(frames, cat_cow, jitter=2.0)).reps == []


def test_jitter_around_a_threshold_makes_no_phantom_reps(templates):
    # The knee hovers around the 'knee to chest' threshold (90 deg) with noise: at most one rep.
    rng = np.random.default_rng(1)
    detections = [Detection(i / 30, (lying(pull={"right": 90 + rng.normal(0, 4)}),)) for i in range(600)]
    engine = run(templates["knee-to-chest"], detections)
    assert len(engine.reps) <= 1
    # Hovering between the thresholds from above never counts.
    detections = [Detection(i / 30, (lying(pull={"right": 96 + rng.normal(0, 2)}),)) for i in range(600)]
    assert run(templates["knee-to-chest"], detections).reps == []


def test_set_up_and_pauses_are_not_reps(templates):
    # Kneeling upright and nodding, then a long still table-top: no reps, and a position prompt.
    detections = [Detection(i / 30, (kneeling_upright(spine=40 * math.sin(i / 15)),)) for i in range(300)]
    detections += list(Detection(10 + d.timestamp, d.poses) for d in
                       sequence([(0, {"spine": 0.0}), (10, {"spine": 0.0})], cat_cow, jitter=2.0))
    engine = run(templates["cat-cow"], detections)
    assert engine.reps == []
    assert "position" in [e.code for e in kinds(engine, "guidance")]
    assert "position" in [e.code for e in kinds(engine, "guidance_clear")]


def test_knee_to_chest_hold_is_timed_and_short_holds_flagged(templates):
    frames = [(0, {"pull": {"right": 125.0}}), (2, {"pull": {"right": 125.0}}),
              (3, {"pull": {"right": 60.0}}), (9, {"pull": {"right": 60.0}}),
              (10, {"pull": {"right": 125.0}}), (12, {"pull": {"right": 125.0}}),
              (13, {"pull": {"left": 125.0, "right": 125.0}})]
    engine = run(templates["knee-to-chest"], sequence(frames, lying, jitter=1.5))
    assert len(engine.reps) == 1 and engine.reps[0].side == "right"
    holds = kinds(engine, "hold")
    # Held still from 3 s to 9 s: the hold is timed from the pull's settled level, not from the
    # 90° threshold (which would add part of the way in and out, about 0.9 s here).
    assert len(holds) == 1 and holds[0].seconds == pytest.approx(6.0, abs=0.5)  # the 0.5 s hold target
    assert "hold_short" in engine.reps[0].faults


def test_a_fast_way_in_is_timed_from_its_end_not_from_when_the_position_was_taken(templates):
    # Pulled in over 0.2 s and held 3 s: the position is only taken after its 0.5 s min_seconds,
    # but the hold began when the knee arrived (the timer is given the frames in between).
    frames = [(0, {"pull": {"right": 125.0}}), (2, {"pull": {"right": 125.0}}),
              (2.2, {"pull": {"right": 60.0}}), (5.2, {"pull": {"right": 60.0}}),
              (5.4, {"pull": {"right": 125.0}}), (7, {"pull": {"right": 125.0}})]
    engine = run(templates["knee-to-chest"], sequence(frames, lying, jitter=1.0))
    holds = kinds(engine, "hold")
    assert len(holds) == 1 and holds[0].seconds == pytest.approx(3.0 + 2 * 0.2 * 0.15, abs=0.15)


def test_a_long_enough_hold_is_not_flagged(templates):
    frames = [(0, {"pull": {"left": 125.0}}), (1, {"pull": {"left": 50.0}}),
              (13, {"pull": {"left": 50.0}}), (14, {"pull": {"left": 125.0}}), (15, {"pull": {"left": 125.0}})]
    engine = run(templates["knee-to-chest"], sequence(frames, lying, jitter=1.5))
    assert [r.side for r in engine.reps] == ["left"]
    assert engine.reps[0].hold_seconds == pytest.approx(12.0, abs=0.3) and "hold_short" not in engine.reps[0].faults
    # live hold progress ticks once a second, counting down to the target
    ticks = kinds(engine, "hold_progress")
    assert ticks[0].message == "Hold 9 s more" and ticks[-1].message == "Hold complete: well done"


def test_hold_ticks_follow_the_hold_as_timed_not_the_way_in(templates):
    """A slow 4 s way in (125 -> 50 degrees from 2 to 6 s): the position begins part-way in (at
    about 4 s), the hold near the end of the way (85 % of it, 5.4 s). The "Hold N s more" ticks
    count the timer's seconds, as the screen and the saved hold do, so "Hold complete" (the
    10 s target) comes about 10 s into the hold, not 10 s after the position began."""
    frames = [(0, {"pull": {"left": 125.0}}), (2, {"pull": {"left": 125.0}}), (6, {"pull": {"left": 50.0}}),
              (18, {"pull": {"left": 50.0}}), (19, {"pull": {"left": 125.0}}), (20, {"pull": {"left": 125.0}})]
    engine = run(templates["knee-to-chest"], sequence(frames, lying, jitter=1.5))
    hold_start = 2 + 4 * 0.85
    assert kinds(engine, "phase")[0].time < hold_start - 1.0  # the position began well before the hold
    complete = [e for e in kinds(engine, "hold_progress") if e.message == "Hold complete: well done"]
    assert complete[0].time == pytest.approx(hold_start + 10, abs=0.5)
    assert kinds(engine, "hold")[0].seconds == pytest.approx(18 + 0.15 - hold_start, abs=0.5)


def test_a_short_gap_in_detection_does_not_split_a_hold(templates):
    frames = [(0, {"pull": {"right": 125.0}}), (1, {"pull": {"right": 50.0}}),
              (12, {"pull": {"right": 50.0}}), (13, {"pull": {"right": 125.0}}), (14, {"pull": {"right": 125.0}})]
    detections = list(sequence(frames, lying))
    for i in range(150, 156):  # 0.2 s with nobody detected, mid-hold
        detections[i] = Detection(detections[i].timestamp, ())
    engine = run(templates["knee-to-chest"], detections)
    assert len(engine.reps) == 1 and len(kinds(engine, "hold")) == 1


def test_nan_landmarks_are_ignored_not_counted(templates):
    frames = [(0, {"pull": {"right": 125.0}}), (6, {"pull": {"right": 125.0}})]
    detections = []
    for d in sequence(frames, lying):
        pose = d.pose
        xy = pose.xy.copy()
        xy[::3] = np.nan
        detections.append(Detection(d.timestamp, (pose.with_xy(xy),)))
    engine = run(templates["knee-to-chest"], detections)
    assert engine.reps == []


def test_bird_dog_counts_opposite_arm_and_leg_per_side(templates):
    up = lambda side, other: {"arm": {side: 170.0}, "leg": {other: 175.0}}
    rest = {"arm": {"left": 90.0, "right": 90.0}, "leg": {"left": 90.0, "right": 90.0}}
    frames = [(0, rest), (1, rest), (2, up("left", "right") | {}), (6, up("left", "right")), (7, rest),
              (8, rest), (9, up("right", "left")), (13, up("right", "left")), (14, rest), (15, rest)]
    frames = [(t, {"arm": rest["arm"] | kw["arm"], "leg": rest["leg"] | kw["leg"]}) for t, kw in frames]
    engine = run(templates["bird-dog"], sequence(frames, quadruped, jitter=2.0))
    assert [r.side for r in engine.reps] == ["left", "right"]
    # held still from 2 s to 6 s (the thresholds are crossed at ~1.4 s and ~6.8 s)
    assert all(r.hold_seconds == pytest.approx(4.0, abs=0.5) for r in engine.reps)  # the 0.5 s target


def test_bird_dog_hold_is_timed_on_the_legs_height_not_the_folding_hip_angle(templates):
    """A leg that rises through the line of the back (170 -> 190 degrees in 1 s): the hip angle
    cannot open past 180, so it folds back and reads nearly still a second early; the leg's
    height keeps moving until the leg arrives. Held still 3-7 s."""
    rest = {"left": 90.0, "right": 90.0}
    legs = [(0, 90), (1, 90), (2, 170), (3, 190), (7, 190), (8, 170), (9, 90), (10, 90)]
    frames = [(t, {"arm": rest | {"left": 170.0 if 1 < t < 9 else 90.0}, "leg": rest | {"right": float(a)}})
              for t, a in legs]
    detections = list(sequence(frames, quadruped, jitter=1.0))
    template = templates["bird-dog"]
    assert template.hold.signal == "leg_lift"
    on_height = run(template, detections).reps
    on_angle = run(dataclasses.replace(template, hold=dataclasses.replace(template.hold, signal=None)), detections).reps
    assert len(on_height) == len(on_angle) == 1
    # midway between the 4 s still and the 7.6 s past the threshold on the height; more on the angle
    assert on_height[0].hold_seconds == pytest.approx(5.8, abs=0.4)
    assert on_angle[0].hold_seconds - on_height[0].hold_seconds >= 0.4


def test_bird_dog_is_not_counted_from_a_plank(templates):
    """Arms holding the trunk up as on all fours, but no knee on the floor (a plank, a push-up):
    the same arm and leg reach, done from there, is not a bird-dog."""
    plank = {"leg": {"left": 178.0, "right": 178.0}}
    frames = []
    for k in range(4):
        side, other = ("left", "right") if k % 2 else ("right", "left")
        frames += [(4 * k, plank), (4 * k + 1, plank),
                   (4 * k + 2, {"arm": {side: 170.0}, "leg": {other: 178.0, side: 150.0}}),
                   (4 * k + 3, {"arm": {side: 170.0}, "leg": {other: 178.0, side: 150.0}})]
    frames.append((16, plank))
    engine = run(templates["bird-dog"], sequence(frames, quadruped, jitter=2.0))
    assert engine.reps == []
    assert any(e.code == "position" for e in engine.events if e.kind == "guidance")


def test_all_fours_is_not_the_glute_bridge_starting_position(templates):
    """A kick-back or fire hydrant opens the shoulder-hip-knee angle on all fours much as a bridge
    does (the real fire-hydrant clip was counted twice): the thighs pointing down to the floor
    tell that the person is not lying on the back."""
    still = lambda make: sequence([(0, {}), (3, {})], make, jitter=1.0)
    assert run(templates["glute-bridge"], still(lying)).state.in_position
    assert not run(templates["glute-bridge"], still(quadruped)).state.in_position


def test_bird_dog_leg_kicks_with_arms_down_are_not_reps(templates):
    frames = []
    for k in range(5):
        frames += [(3 * k, {"leg": {"right": 90.0}}), (3 * k + 1, {"leg": {"right": 175.0}}),
                   (3 * k + 2, {"leg": {"right": 175.0}})]
    frames.append((16, {"leg": {"right": 90.0}}))
    assert run(templates["bird-dog"], sequence(frames, quadruped, jitter=2.0)).reps == []


def test_bird_dog_form_faults(templates):
    frames = [(0, {"arm": {"left": 90.0}, "leg": {"right": 90.0}, "knee_bend": {"right": 180.0}}),
              (1, {"arm": {"left": 170.0}, "leg": {"right": 175.0}, "knee_bend": {"right": 110.0}}),
              (5, {"arm": {"left": 170.0}, "leg": {"right": 175.0}, "knee_bend": {"right": 110.0}}),
              (6, {"arm": {"left": 90.0}, "leg": {"right": 90.0}, "knee_bend": {"right": 180.0}}),
              (7, {"arm": {"left": 90.0}, "leg": {"right": 90.0}, "knee_bend": {"right": 180.0}})]
    engine = run(templates["bird-dog"], sequence(frames, quadruped, jitter=1.0))
    assert len(engine.reps) == 1
    assert "bent_knee" in engine.reps[0].faults
    assert any(e.code == "bent_knee" and "Straighten" in e.message for e in kinds(engine, "form"))


def test_hidden_far_arm_counts_from_the_leg_with_a_note(templates):
    rest = {"arm": {"right": 90.0}, "leg": {"left": 90.0}}
    reach = {"arm": {"right": 90.0}, "leg": {"left": 175.0}}
    frames = [(0, rest), (1, reach), (4, reach), (5, rest), (6, rest)]
    detections = list(sequence(frames, lambda **kw: quadruped(**kw, hidden={"right_elbow", "right_wrist"})))
    engine = run(templates["bird-dog"], detections)
    assert len(engine.reps) == 1 and engine.reps[0].side == "right"
    assert any("reaching arm" in note for note in engine.reps[0].notes)


def test_body_out_of_frame_gives_guidance_and_no_reps(templates):
    frames = [(0, {"pull": {"right": 125.0}}), (2, {"pull": {"right": 50.0}}), (8, {"pull": {"right": 50.0}})]
    detections = list(sequence(frames, lambda **kw: lying(**kw, offset=(700.0, 0.0))))  # legs off the right edge
    engine = run(templates["knee-to-chest"], detections)
    assert engine.reps == []
    assert any(e.code == "out_of_frame" and "I can't see your" in e.message for e in kinds(engine, "guidance"))


def test_no_person_and_two_people_guidance(templates):
    nobody = [Detection(i / 30, ()) for i in range(60)]
    pose = lying()
    two = [Detection(2 + i / 30, (pose, pose.with_xy(pose.xy + 30))) for i in range(60)]
    engine = run(templates["knee-to-chest"], nobody + two)
    codes = [e.code for e in kinds(engine, "guidance")]
    assert "no_person" in codes and "two_people" in codes


def test_facing_the_camera_asks_to_turn_side_on(templates):
    pose = lying()
    xy = pose.xy.copy()
    from posecheck.core.keypoints import INDEX
    for side, shift in (("left", -120), ("right", 120)):  # shoulders and hips spread: seen from the front
        for part in ("shoulder", "hip"):
            xy[INDEX[f"{side}_{part}"]] += (0, shift)
    detections = [Detection(i / 30, (pose.with_xy(xy),)) for i in range(90)]
    engine = run(templates["knee-to-chest"], detections)
    assert "turn_side_on" in [e.code for e in kinds(engine, "guidance")]


def test_variable_frame_rate_gives_the_same_hold(templates):
    # A second at rest first: the engine learns where this person rests before counting.
    frames = [(0, {"pull": {"right": 125.0}}), (1, {"pull": {"right": 125.0}}), (2, {"pull": {"right": 50.0}}),
              (12, {"pull": {"right": 50.0}}), (13, {"pull": {"right": 125.0}}), (14, {"pull": {"right": 125.0}})]
    steady = list(sequence(frames, lying))
    rng = np.random.default_rng(3)
    uneven = [d for d in steady if rng.random() > 0.5]  # drop half the frames at random
    holds = [kinds(run(templates["knee-to-chest"], ds), "hold")[0].seconds for ds in (steady, uneven)]
    assert holds[0] == pytest.approx(holds[1], abs=0.25)


def faults_of(engine):
    return [e.code for e in kinds(engine, "form") if e.code != "hold_short"]


def test_peak_rules_flag_a_shallow_cat_and_the_tempo_rule_a_rushed_rep(templates):
    """Peak rules judge the deepest point reached; the rep still counts. A rep rushed through
    (no settled position) gets the tempo cue instead of depth cues."""
    shallow_cat = [(0, {"spine": 0.0}), (1, {"spine": 0.0}), (2, {"spine": -35.0}), (5, {"spine": -35.0}),
                   (6, {"spine": 40.0}), (9, {"spine": 40.0}), (10, {"spine": 0.0}), (11, {"spine": 0.0})]
    engine = run(templates["cat-cow"], sequence(shallow_cat, cat_cow, jitter=1.5))
    assert len(engine.reps) == 1 and faults_of(engine) == ["shallow_cat"]
    assert "shallow_cat" in engine.reps[0].faults
    full = [(t, {"spine": {-35.0: -65.0}.get(kw["spine"], kw["spine"])}) for t, kw in shallow_cat]
    assert faults_of(run(templates["cat-cow"], sequence(full, cat_cow, jitter=1.5))) == []
    rushed = [(0, {"spine": 0.0}), (1, {"spine": 0.0}), (1.6, {"spine": -65.0}), (2.0, {"spine": -65.0}),
              (2.8, {"spine": 45.0}), (3.2, {"spine": 45.0}), (3.8, {"spine": 0.0}), (5, {"spine": 0.0})]
    engine = run(templates["cat-cow"], sequence(rushed, cat_cow, jitter=1.5))
    assert len(engine.reps) == 1 and faults_of(engine) == ["too_fast"]


def test_same_side_arm_and_leg_is_flagged_and_a_low_arm_only_when_no_arm_is_up(templates):
    rest = {"arm": {"left": 90.0, "right": 90.0}, "leg": {"left": 90.0, "right": 90.0}}

    def reach(arm_side, leg_side, arm=170.0):
        up = {"arm": rest["arm"] | {arm_side: arm}, "leg": rest["leg"] | {leg_side: 175.0}}
        return [(0, rest), (1, rest), (2, up), (6, up), (7, rest), (8, rest)]

    same = run(templates["bird-dog"], sequence(reach("left", "left"), quadruped, jitter=1.5))
    assert len(same.reps) == 1 and faults_of(same) == ["same_side"]
    opposite = run(templates["bird-dog"], sequence(reach("left", "right"), quadruped, jitter=1.5))
    assert len(opposite.reps) == 1 and faults_of(opposite) == []
    low_arm = run(templates["bird-dog"], sequence(reach("left", "right", arm=112.0), quadruped, jitter=1.5))
    assert len(low_arm.reps) == 1 and faults_of(low_arm) == ["arm_low"]


def test_a_hold_cut_off_by_the_person_stopping_is_timed_not_judged_short(templates):
    """STOP (or "it hurts") in the middle of a hold: the hold is kept with its time, and "hold
    longer next time" is not said; a clip that simply ends mid-hold is judged as before. And the
    screen's running hold reads what will be saved (the same timer), never more."""
    from posecheck.core.engine import Engine

    frames = [(0, {"pull": {"right": 125.0}}), (2, {"pull": {"right": 125.0}}),
              (3, {"pull": {"right": 60.0}}), (6, {"pull": {"right": 60.0}})]
    results = {}
    for stopped in (False, True):
        engine = Engine(templates["knee-to-chest"])
        shown = []
        for detection in sequence(frames, lying, jitter=1.5):
            engine.update(detection)
            if engine.state.hold_elapsed is not None:
                shown.append(engine.state.hold_elapsed)
        engine.finish(stopped=stopped)
        results[stopped] = engine
        (hold,) = kinds(engine, "hold")
        assert shown and shown[-1] <= hold.seconds + 0.2  # the screen never showed more than is saved
    assert "hold_short" in results[False].reps[0].faults
    assert "hold_short" not in results[True].reps[0].faults
    assert not [e for e in kinds(results[True], "form") if e.code == "hold_short"]
    assert kinds(results[True], "hold")[0].seconds == kinds(results[False], "hold")[0].seconds
