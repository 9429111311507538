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
from posecheck.core.range_view import RANGE_TURNED, SIDE_ON_TURN, TURNED_TOO_FAR, body_turn, on_the_picture
from posecheck.core.signals import measure_all
from posecheck.synth import MotionScript
from synthetic import lying, quadruped, sequence, truth_detections
from synthetic import run_engine as run

KNEE_TO_CHEST = [(0, {"pull": {"right": 125.0}}), (2, {"pull": {"right": 125.0}}),
                 (3, {"pull": {"right": 60.0}}), (6, {"pull": {"right": 60.0}}),
                 (7, {"pull": {"right": 125.0}}), (9, {"pull": {"right": 125.0}})]


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
    script = MotionScript(exercise="childs-pose", reps=1, tempo=1.5, holds=[2.0], camera_yaw=0,
                          camera_height=0.4, fps=12)
    true = truth_detections(script)
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
