"""A video edited from two cameras: one held pose filmed from one oblique angle, then the same
pose from another (as in the corpus's two-angle demonstration clips). Each shot is its own
take, so each gets its own hold; a plain change of view within one hold is not a new rep.

Built from two renders of the same scripted child's pose whose detections are spliced in the
middle of the hold: the ground truth (one hold per shot, split at the splice) follows from the
construction. Where the shots meet, the picture change is what an edited video would have there
(the last frame of one render against the first of the other). It proves the engine ends a hold
at a cut that MediaPipe's 3-D points reveal and the picture confirms (-30 to +30 degrees: a turn
of 31-54 on the 3-D points; the real two-angle clips turn by 26-42), and that a turn the picture
does not show is no cut; and that a cut the 3-D points barely show (-45 to 0 degrees turns the hip
line by 13) is found by the body's width in the picture. It does not prove every real cut is
found: not a cut while the person moves, nor one between two views of the same width (-30 to +30
on the picture alone).
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
    detections = _with_picture(detections, splice, _splice_picture_change(-30.0, 30.0, splice))
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


def test_without_the_picture_the_3d_points_alone_find_the_cut(template):
    # An estimator that gives no picture change (NaN): the turn on the 3-D points decides alone.
    from dataclasses import replace

    detections, splice, _ = _spliced(-30.0, 30.0)
    detections = [replace(d, picture_change=float("nan")) for d in detections]
    result = analyse(detections, template)
    assert len(result.reps) == 2 and result.reps[0].end == pytest.approx(splice, abs=0.6)


def test_the_same_camera_throughout_is_one_hold(template):
    detections, _, _ = _spliced(-30.0, -30.0)
    assert len(analyse(detections, template).reps) == 1


def _with_picture(detections, splice, change_at_splice):
    """The spliced detections with the picture changes a video edited this way would have: the
    renders' own from frame to frame, and `change_at_splice` where the two shots meet."""
    from dataclasses import replace

    first_after = next(i for i, d in enumerate(detections) if d.timestamp >= splice)
    return [replace(d, picture_change=change_at_splice) if i == first_after else d
            for i, d in enumerate(detections)]


def _splice_picture_change(yaw_before: float, yaw_after: float, splice: float) -> float:
    """The picture change from the last frame of one shot to the first of the other."""
    from posecheck.pipeline.picture_change import PictureChange

    clip_before, _ = detected(camera_yaw=yaw_before)
    clip_after, _ = detected(camera_yaw=yaw_after)
    index = int(round(splice * clip_before.fps))
    change = PictureChange()
    change(clip_before.render_frame(index - 1)[0])
    return change(clip_after.render_frame(index)[0])


def test_a_cut_the_3d_points_barely_show_is_found_on_the_picture(template):
    # -45 to 0 degrees: MediaPipe turns the hip line by about 13 degrees, under the 25 a cut needs,
    # and changes the joints' 3-D angles by more than 20. The picture jumps where the shots meet
    # after a still held pose, and the body's width in the picture changes (0.23 -> 0.10 torso
    # lengths): two holds, split at the cut.
    detections, splice, (start, end) = _spliced(-45.0, 0.0)
    jump = _splice_picture_change(-45.0, 0.0, splice)
    assert jump >= 4.0
    result = analyse(_with_picture(detections, splice, jump), template)
    assert len(result.reps) == 2
    first, second = result.reps
    assert first.end == pytest.approx(splice, abs=0.6)
    assert first.hold_seconds + second.hold_seconds == pytest.approx(end - start, abs=2.0)


def test_a_width_change_after_a_moving_picture_is_left_to_the_3d_points(template):
    # The same splice, but the picture was changing (2 grey levels a frame) just before the jump,
    # as while a person moves: the picture's width alone does not call it a cut.
    from dataclasses import replace

    detections, splice, _ = _spliced(-45.0, 0.0)
    detections = _with_picture(detections, splice, 26.0)
    moving = [replace(d, picture_change=2.0) if splice - 0.7 <= d.timestamp < splice else d for d in detections]
    assert len(analyse(moving, template).reps) == 1


def test_the_same_jump_with_no_change_of_width_is_no_cut(template):
    # A zoom or a light change while holding: the picture jumps, the body keeps its width.
    detections, splice, _ = _spliced(-45.0, -45.0)
    assert len(analyse(_with_picture(detections, splice, 26.0), template).reps) == 1


def test_a_turn_on_the_3d_points_the_picture_does_not_show_is_no_cut(template):
    # As MediaPipe's 3-D points flip on a still person: the body turns, the picture stays.
    detections, splice, _ = _spliced(-30.0, 30.0)
    assert len(analyse(_with_picture(detections, splice, 0.3), template).reps) == 1
