"""Which reading of a rep's range the view allows (posecheck/core/range_view.py).

On stick figures (tests/synthetic.py) and on the renderer's true landmarks (no MediaPipe): how
turned the body is, which key signals are read on the picture, and that the engine gives the
picture's range side-on, no range when turned, with a note saying why. They prove the rule; the
errors it saves on MediaPipe's landmarks are measured by benchmarks/holds_and_range.py (README),
and the real clips' side views keep their figures (tests/test_corpus.py).
"""

import dataclasses
import math

import numpy as np
import pytest

from posecheck.core.engine import Engine
from posecheck.core.keypoints import INDEX, Detection
from posecheck.core.range_view import (RANGE_NOT_SIDE_ON, RANGE_TURNED, SIDE_ON_TURN, TURNED_TOO_FAR, body_turn,
                                        hidden_note, on_the_picture)
from posecheck.core.signals import measure_all
from posecheck.synth import MotionScript
from synthetic import lying, quadruped, sequence, truth_detections
from synthetic import run_engine as run

KNEE_TO_CHEST = [(0, {"pull": {"right": 125.0}}), (2, {"pull": {"right": 125.0}}),
                 (3, {"pull": {"right": 60.0}}), (6, {"pull": {"right": 60.0}}),
                 (7, {"pull": {"right": 125.0}}), (9, {"pull": {"right": 125.0}})]
# A child's pose seen side-on from 0.4 m up, rendered (its true landmarks, no MediaPipe).
CHILDS_POSE = MotionScript(exercise="childs-pose", reps=1, tempo=1.5, holds=[2.0], camera_yaw=0,
                           camera_height=0.4, fps=12)


def hold_seconds(engine):
    return [event.seconds for event in engine.events if event.kind == "hold"]


def turned(detections, spread: float):
    """The same poses with each side's points moved apart in the picture by `spread` pixels (left
    up, right down): the shoulders and hips then show their width, as a body turned towards the
    camera does, while every angle measured on one side, and every mid point, stays as it was."""
    for detection in detections:
        pose = detection.poses[0]
        xy = pose.xy.copy()
        for name, index in INDEX.items():
            if name.startswith(("left_", "right_")):
                xy[index, 1] += (-spread if name.startswith("left_") else spread) / 2
        yield Detection(detection.timestamp, (dataclasses.replace(pose, xy=xy),))


def test_the_turn_is_near_zero_side_on_and_grows_as_the_body_turns():
    def turn(yaw):
        detections = truth_detections(MotionScript(exercise="glute-bridge", reps=1, tempo=1.0, holds=[1.0],
                                                   camera_yaw=yaw, camera_height=0.4, fps=10))
        return float(np.nanmedian([body_turn(d.poses[0]) for d in detections]))

    side_on, quarter, more = turn(0), turn(20), turn(55)
    assert side_on < quarter < more
    assert side_on < SIDE_ON_TURN and quarter < SIDE_ON_TURN and more > TURNED_TOO_FAR


def test_a_hidden_hip_gives_no_turn():
    assert math.isnan(body_turn(quadruped(hidden={"left_hip"})))
    assert body_turn(quadruped()) < SIDE_ON_TURN


def test_only_a_key_angle_on_the_3d_points_is_read_on_the_picture(templates):
    picture = on_the_picture(templates["childs-pose"])
    assert set(picture) == {"fold", "hip_3d", "knee_3d"}  # the key and the angles it adds up
    assert all(signal.space == "image" for signal in picture.values())
    assert on_the_picture(templates["glute-bridge"]) is None  # already on the picture
    assert on_the_picture(templates["lying-knee-twist"]) is None  # a sideways drop: only 3-D sees it


def test_a_turned_body_gets_no_range_figure_and_is_told_why(templates):
    side_on = run(templates["knee-to-chest"], sequence(KNEE_TO_CHEST, lying, jitter=1.0))
    assert len(side_on.reps) == 1 and side_on.reps[0].range_of_motion == pytest.approx(65, abs=4)
    # The shoulders and hips 110 px wide on a 300 px torso (0.37 torso lengths: turned about 55
    # degrees): counted and timed alike, but no range.
    engine = run(templates["knee-to-chest"], turned(sequence(KNEE_TO_CHEST, lying, jitter=1.0), 110.0))
    assert len(engine.reps) == 1 and hold_seconds(engine) == hold_seconds(side_on)
    rep = engine.reps[0]
    assert rep.range_of_motion is None and rep.reached == {} and RANGE_TURNED in rep.notes
    # Turned less (0.2 torso lengths, about 30 degrees): the figure is given.
    engine = run(templates["knee-to-chest"], turned(sequence(KNEE_TO_CHEST, lying, jitter=1.0), 60.0))
    assert engine.reps[0].range_of_motion == pytest.approx(65, abs=4)


def test_side_on_a_3d_key_angle_is_measured_on_the_picture(templates):
    # A child's pose seen side-on whose 3-D points read the fold wrong (the depth and height
    # squashed, as MediaPipe's 3-D points under-read a deep bend): the range comes from the picture,
    # which here is the truth.
    template = templates["childs-pose"]
    true = truth_detections(CHILDS_POSE)
    squashed = [Detection(d.timestamp, (d.poses[0].with_xy(d.poses[0].xy, d.poses[0].world * [1.0, 0.6, 0.6]),))
                for d in true]

    def span(detections, signals):
        values = [measure_all(signals, d.poses[0])[("fold", None)] for d in detections]
        return max(values) - min(values)

    picture_span = span(true, on_the_picture(template))
    assert abs(span(squashed, template.signals) - span(true, template.signals)) > 10  # the 3-D reading is off
    engine = Engine(template)
    for detection in squashed:
        engine.update(detection)
    engine.finish()
    assert len(engine.reps) == 1
    assert engine.reps[0].range_of_motion == pytest.approx(picture_span, abs=4)


def seen_as(detections, point: str, visibility: float):
    """The same poses with MediaPipe's visibility of one point set (a knee behind the other leg)."""
    for detection in detections:
        pose = detection.poses[0]
        seen = pose.visibility.copy()
        seen[INDEX[point]] = visibility
        yield Detection(detection.timestamp, (dataclasses.replace(pose, visibility=seen),))


def test_a_pulled_knee_the_camera_barely_sees_gets_no_figure_and_is_told_which(templates):
    template = templates["knee-to-chest"]
    assert template.range.seen_limb_only
    hidden = run(template, seen_as(sequence(KNEE_TO_CHEST, lying, jitter=1.0), "right_knee", 0.6))
    rep = hidden.reps[0]
    assert rep.side == "right" and rep.range_of_motion is None
    assert hidden_note("right_knee") in rep.notes and "right knee was hidden" in hidden_note("right_knee")
    # Seen well enough, or the other knee (not the one pulled) barely seen: the figure is given.
    for point, visibility in (("right_knee", 0.9), ("left_knee", 0.6)):
        engine = run(template, seen_as(sequence(KNEE_TO_CHEST, lying, jitter=1.0), point, visibility))
        assert engine.reps[0].range_of_motion == pytest.approx(65, abs=4)
    # A template that does not ask for it keeps the figure whatever the visibility.
    lenient = dataclasses.replace(template, range=dataclasses.replace(template.range, seen_limb_only=False))
    engine = run(lenient, seen_as(sequence(KNEE_TO_CHEST, lying, jitter=1.0), "right_knee", 0.6))
    assert engine.reps[0].range_of_motion == pytest.approx(65, abs=4)


def test_a_3d_key_angle_seen_not_quite_side_on_gets_no_figure(templates):
    # A child's pose whose shoulders and hips show about 0.2 torso lengths of width while folded:
    # neither the picture's angle (it turns with the camera) nor the 3-D one (it under-reads a deep
    # fold) is given.
    template = templates["childs-pose"]
    true = truth_detections(CHILDS_POSE)
    pose = true[0].poses[0]
    shoulders = (pose.xy[INDEX["left_shoulder"]] + pose.xy[INDEX["right_shoulder"]]) / 2
    hips = (pose.xy[INDEX["left_hip"]] + pose.xy[INDEX["right_hip"]]) / 2
    wide = list(turned(true, 0.3 * float(np.linalg.norm(shoulders - hips))))
    from posecheck.synth import render_clip

    start, end = render_clip(CHILDS_POSE).labels["holds"][0]
    folded = np.median([body_turn(d.poses[0]) for d in wide if start <= d.timestamp <= end])
    assert SIDE_ON_TURN < folded < TURNED_TOO_FAR
    engine = run(template, wide)
    assert len(engine.reps) == 1
    rep = engine.reps[0]
    assert rep.range_of_motion is None and RANGE_NOT_SIDE_ON in rep.notes
    assert run(template, true).reps[0].range_of_motion is not None  # side-on: given
