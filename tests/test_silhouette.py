"""What a silhouette shows (posecheck/core/silhouette.py): the back's outline and the front reach.

Drawn silhouettes of a trunk on all fours with a known bulge: they prove the geometry (sign, size,
indifference to where the landmarks sit across the trunk, refusal when it cannot be read), not that
MediaPipe's mask follows a real back; the corpus's cat-cows and the generalization benchmark's
renders do that (docs/counting.md, exercise identity).
"""

import math

import numpy as np
import pytest

from posecheck.core.silhouette import back_curve, front_reach
from posecheck.core.keypoints import INDEX, Detection, Pose
from posecheck.io.detections import has_outline, load_detections, save_detections

SHOULDER_X, HIP_X, JOINT_Y, BACK_Y, BELLY_Y = 200.0, 450.0, 250.0, 215.0, 285.0


def landmarks(shift=0.0, facing_down=True):
    """Shoulders and hips on one line (shifted across the trunk by `shift` px), knees and wrists below."""
    xy = np.zeros((33, 2))
    limbs_y = JOINT_Y + (100 if facing_down else -100)
    for side in ("left", "right"):
        xy[INDEX[f"{side}_shoulder"]] = (SHOULDER_X, JOINT_Y + shift)
        xy[INDEX[f"{side}_hip"]] = (HIP_X, JOINT_Y + shift)
        xy[INDEX[f"{side}_knee"]] = (HIP_X, limbs_y)
        xy[INDEX[f"{side}_wrist"]] = (SHOULDER_X, limbs_y)
    return xy


def arc(x: float) -> float:
    """The back's shape: 0 at the silhouette's ends (30 px beyond shoulders and hips), 1 in the middle."""
    return math.sin(math.pi * (x - SHOULDER_X + 30) / (HIP_X - SHOULDER_X + 60))


def silhouette(bulge_px: float, size=(640, 400)):
    """A trunk from above the shoulders to past the hips whose top edge bulges up by
    `bulge_px * arc(x)` (negative: sags), on a background of zeros."""
    width, height = size
    mask = np.zeros((height, width), np.float32)
    for x in range(int(SHOULDER_X) - 30, int(HIP_X) + 30):
        top = int(round(BACK_Y - bulge_px * arc(x)))
        mask[top:int(BELLY_Y), x] = 1.0
    return mask


def test_a_rounded_back_reads_positive_a_sagging_one_negative_a_flat_one_near_zero():
    cat, flat, cow = (back_curve(silhouette(b), landmarks()) for b in (25.0, 0.0, -20.0))
    assert cat > 0.02 and cow < -0.015
    assert abs(flat) < 0.005
    # The middle of the outline against the chord through its ends, in trunk lengths (250 px).
    trunk = HIP_X - SHOULDER_X
    rays = [SHOULDER_X + t * trunk for t in np.linspace(0.15, 0.85, 15)]
    sagitta = np.mean([arc(x) for x in rays[5:10]]) - np.mean([arc(x) for x in rays[:3] + rays[-3:]])
    assert cat - cow == pytest.approx((25 + 20) * sagitta / trunk, rel=0.15)


def test_where_the_landmarks_sit_across_the_trunk_does_not_matter():
    values = [back_curve(silhouette(25.0), landmarks(shift)) for shift in (-15.0, 0.0, 15.0)]
    assert max(values) - min(values) < 0.005


def test_the_back_is_the_side_away_from_the_limbs():
    # Knees and wrists above the trunk (the image upside down): the back is now the lower edge,
    # which is flat, so the bulge on the upper edge is not read.
    assert abs(back_curve(silhouette(25.0), landmarks(facing_down=False))) < 0.01


def test_what_cannot_be_read_is_nan():
    assert math.isnan(back_curve(np.zeros((400, 640), np.float32), landmarks()))  # no silhouette
    tiny = landmarks()
    tiny[:, 0] = SHOULDER_X + (tiny[:, 0] - SHOULDER_X) * 0.05  # a trunk of 12 px
    assert math.isnan(back_curve(silhouette(25.0), tiny))
    full = np.ones((400, 640), np.float32)  # the silhouette runs past every ray: not an outline
    assert math.isnan(back_curve(full, landmarks()))


def test_saved_detections_keep_the_outline_and_older_files_read_as_unmeasured(tmp_path):
    pose = Pose(landmarks(), np.zeros(33), np.ones(33), (640, 400)).with_outline(back_curve=0.06, front_reach=1.1)
    path = tmp_path / "clip.npz"
    save_detections(path, [Detection(0.0, (pose,)), Detection(0.1, (pose.with_outline(back_curve=math.nan),))])
    loaded = load_detections(path)
    assert has_outline(path)
    assert loaded[0].pose.back_curve == pytest.approx(0.06) and math.isnan(loaded[1].pose.back_curve)
    assert loaded[1].pose.front_reach == pytest.approx(1.1)
    old = tmp_path / "old.npz"
    with np.load(path) as data:
        np.savez_compressed(old, **{k: data[k] for k in data.files if k != "front_reach"})
    assert not has_outline(old) and math.isnan(load_detections(old)[0].pose.front_reach)


def with_arm(mask, length_px: float, drop_px: float = 0.0):
    """The silhouette with an arm 12 px thick from the shoulders forward (to smaller x) for
    `length_px`, sloping down by `drop_px` over its length."""
    mask = mask.copy()
    for i in range(int(length_px)):
        x, y = int(SHOULDER_X - i), int(JOINT_Y - 5 + drop_px * i / length_px)
        mask[y - 6:y + 6, x] = 1.0
    return mask


def test_an_arm_reaching_forward_reaches_past_the_trunk_a_supporting_arm_does_not():
    trunk = HIP_X - SHOULDER_X
    resting = front_reach(silhouette(0.0), landmarks())
    assert resting == pytest.approx(30 / trunk, abs=0.02)  # the silhouette's end beyond the shoulders
    reaching = front_reach(with_arm(silhouette(0.0), 0.6 * trunk), landmarks())
    assert reaching == pytest.approx(0.6, abs=0.06)  # the farthest 0.5 % of the pixels: just short of the tip
    # An arm to the floor: it leaves the band around the trunk's line at once.
    assert front_reach(with_arm(silhouette(0.0), 0.8 * trunk, drop_px=400), landmarks()) < 0.35


def test_the_front_reach_reads_the_same_on_a_large_frame():
    # Big masks are read on a coarser grid (the speed of a 1280x720 frame); the value stays.
    small = front_reach(with_arm(silhouette(0.0), 150), landmarks())
    big_mask = np.kron(with_arm(silhouette(0.0), 150), np.ones((3, 3), np.float32))
    big = front_reach(big_mask, landmarks() * 3)
    assert big == pytest.approx(small, abs=0.02)


def test_past_the_head_is_the_reach_beyond_the_heads_landmarks_scaled_to_a_side_on_trunk():
    from posecheck.core.silhouette import read

    xy = landmarks()
    for name in ("nose", "left_eye", "right_eye", "left_ear", "right_ear"):
        xy[INDEX[name]] = (SHOULDER_X - 100, JOINT_Y - 20)  # the head 0.4 trunk lengths ahead
    pose = Pose(xy, np.zeros(33), np.ones(33), (640, 400)).with_outline(front_reach=1.2)
    assert read("past_head", pose) == pytest.approx(0.8)
    # The same picture of a trunk turned 60 degrees out of the picture's plane: the arm's reach
    # is foreshortened with the trunk, the head is not, so what is past the head counts half.
    world = np.zeros((33, 3))
    world[[INDEX["left_shoulder"], INDEX["right_shoulder"]]] = (-0.25, 0.0, 0.433)
    assert read("past_head", pose.with_xy(pose.xy, world)) == pytest.approx(0.4, abs=0.01)
    assert math.isnan(read("past_head", pose.with_outline(front_reach=3.5)))  # no arm is that long
