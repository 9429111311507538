"""A video edited from two cameras: one held pose filmed from one oblique angle, then the same
pose from another (as in the corpus's two-angle demonstration clips). Each shot is its own
take, so each gets its own hold; a plain change of view within one hold is not a new rep.

Built from two renders of the same scripted child's pose whose detections are spliced in the
middle of the hold: the ground truth (one hold per shot, split at the splice) follows from the
construction. It proves the engine ends a hold at a cut that MediaPipe's 3-D points reveal; it
does not prove every real cut is found: a cut while the person moves is not looked for, and on
these renders MediaPipe under-reads the body's turn (a camera swung from -45 to 0 degrees turns
its hip line by 13), so the test swings the camera by 60 degrees (-30 to +30), which MediaPipe
reads as a turn of 31-54 degrees. The real two-angle clips turn by 26-42.
"""

from __future__ import annotations

import pytest

from exercise_checks import Detected, analyse
from posecheck.io.templates import load_all

detected = Detected(exercise="childs-pose", reps=1, holds=10.0, tempo=1.5)


@pytest.fixture(scope="module")
def template():
    return load_all()["childs-pose"]


def _spliced(yaw_before: float, yaw_after: float):
    clip, before = detected(camera_yaw=yaw_before)
    _, after = detected(camera_yaw=yaw_after)
    start, end = clip.labels["holds"][0]
    splice = (start + end) / 2
    return [d for d in before if d.timestamp < splice] + [d for d in after if d.timestamp >= splice], splice, (start, end)


def test_one_hold_seen_from_two_cameras_is_two_holds_split_at_the_cut(template):
    detections, splice, (start, end) = _spliced(-30.0, 30.0)
    result = analyse(detections, template)
    assert len(result.reps) == 2
    first, second = result.reps
    assert first.end == pytest.approx(splice, abs=0.6)
    assert splice <= second.counted_at <= splice + 1.5
    assert first.hold_seconds + second.hold_seconds == pytest.approx(end - start, abs=2.0)
    # The second shot starts in the pose: its way in was not seen, so no range is reported for it
    # (the span of the hold's wobble read as a 2-degree range on the corpus's two-angle clip).
    assert first.range_of_motion is not None and first.range_of_motion > 40
    assert second.range_of_motion is None and second.peak is not None


def test_the_same_camera_throughout_is_one_hold(template):
    detections, _, _ = _spliced(-30.0, -30.0)
    assert len(analyse(detections, template).reps) == 1
