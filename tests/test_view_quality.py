"""ViewWatch (posecheck/core/view_quality.py): view changes, a person coming back, a small person."""

from dataclasses import replace

import numpy as np
import pytest

from posecheck.core.keypoints import INDEX
from posecheck.core.view_quality import ViewWatch
from synthetic import quadruped


def test_a_steady_view_never_reports_a_change():
    watch = ViewWatch()
    reports = [watch.update(quadruped(), i / 30) for i in range(300)]
    assert not any(r.changed for r in reports) and not any(r.too_small for r in reports)


def test_a_cut_to_another_place_reports_one_change():
    watch = ViewWatch()
    reports = [watch.update(quadruped(), i / 30) for i in range(150)]
    reports += [watch.update(quadruped(offset=(-400.0, 0.0)), 5 + i / 30) for i in range(150)]
    assert sum(r.changed for r in reports) == 1


def test_points_that_jump_while_the_picture_stays_are_no_change():
    # For 0.7 s the person's points land a torso length and more away (MediaPipe took a ball
    # between the knees for the person) while the picture barely changes: the same view, and
    # what was learned of it is kept. The same jump with the picture moving is a change.
    def run(picture_change):
        watch = ViewWatch()
        reports = [watch.update(quadruped(), i / 30, 0.2) for i in range(150)]
        reports += [watch.update(quadruped(offset=(-400.0, 0.0)), 5 + i / 30, picture_change) for i in range(21)]
        reports += [watch.update(quadruped(), 5.7 + i / 30, 0.2) for i in range(60)]
        return sum(r.changed for r in reports)

    assert run(0.3) == 0
    assert run(2.0) >= 1


def test_someone_back_after_a_long_gap_is_a_change_a_short_gap_is_not():
    watch = ViewWatch()
    for i in range(60):
        watch.update(quadruped(), i / 30)
    watch.update(None, 2.5)
    assert not watch.update(quadruped(), 2.6).changed
    watch.update(None, 3.0)
    watch.update(None, 5.5)
    assert watch.update(quadruped(), 5.6).changed


def test_a_person_far_away_is_too_small():
    pose = quadruped()
    tiny = pose.with_xy(pose.xy * 0.15)
    assert ViewWatch().update(tiny, 0.0).too_small


# ----- a cut to another camera angle, seen on the 3-D points -------------------------------------

def _seen_from(yaw: float, pose=None, swap: bool = False, wobble: float = 0.0):
    """`pose` (default: on all fours) with 3-D points as a camera at `yaw` degrees about the
    vertical would see them (metres; left and right 0.3 m apart); `swap`: MediaPipe swapping
    the body's left and right."""
    pose = pose or quadruped()
    world = np.column_stack([pose.xy / 500.0, np.where(pose.depth < 0, -0.15, 0.15)])
    world -= world.mean(axis=0)
    if swap:
        world = world[[INDEX[_mirror(name)] for name in INDEX]]
    a = np.radians(yaw + wobble)
    turn = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    return replace(pose, world=world @ turn.T)


def _mirror(name: str) -> str:
    for a, b in (("left", "right"), ("right", "left")):
        if name.startswith(a):
            return b + name[len(a):]
    return name


def _watch(frames):
    watch = ViewWatch()
    return [watch.update(pose, t) for t, pose in frames]


def test_a_held_pose_cut_to_another_camera_angle_is_reported_once_with_its_time():
    frames = [(i / 30, _seen_from(-50 if i < 150 else -90)) for i in range(300)]
    cuts = [r.cut_at for r in _watch(frames) if r.cut_at is not None]
    assert len(cuts) == 1 and cuts[0] == pytest.approx(5.0, abs=0.05)


def test_a_steady_wobble_or_a_left_right_swap_is_no_cut():
    rng = np.random.default_rng(1)
    frames = [(i / 30, _seen_from(-60, wobble=rng.normal(0, 3), swap=i % 40 >= 20)) for i in range(300)]
    assert not any(r.cut_at is not None or r.changed for r in _watch(frames))


def test_a_body_that_turns_while_moving_a_limb_is_no_cut():
    """An oblique bird-dog's reach turns MediaPipe's hip and shoulder lines by 26-30 degrees;
    the limbs' joint angles change by far more than between two views of one pose."""
    reach = quadruped(arm={"right": 170.0}, leg={"left": 175.0})
    frames = [(i / 30, _seen_from(-50) if i < 150 else _seen_from(-85, pose=reach)) for i in range(300)]
    assert not any(r.cut_at is not None for r in _watch(frames))


def _trunk_turned_towards_camera(pose, share: float):
    """`pose` with its shoulders moved so that the trunk turns towards the camera: on the picture
    it is `share` as long, on the 3-D points it keeps its length, the rest along the view."""
    shoulders, hips = ([INDEX[f"{s}_{n}"] for s in ("left", "right")] for n in ("shoulder", "hip"))
    xy, world = pose.xy.copy(), pose.world.copy()
    trunk_xy = xy[shoulders].mean(axis=0) - xy[hips].mean(axis=0)
    xy[shoulders] -= (1 - share) * trunk_xy
    trunk = world[shoulders].mean(axis=0) - world[hips].mean(axis=0)
    turned = np.append(share * trunk[:2], -np.sqrt(1 - share ** 2) * np.linalg.norm(trunk))
    world[shoulders] += turned - trunk
    return replace(pose.with_xy(xy), world=world)


def test_a_trunk_turning_towards_the_camera_is_no_view_change():
    """A forward fold seen front-oblique shortens the trunk on the picture by a third or more
    (rendered at 42 degrees: 83 -> 52 pixels) while the body does not change size; it was taken
    for a camera jump, and what the engine had learned of the person's rest was thrown away
    mid-hold."""
    upright = _seen_from(0)
    folded = _trunk_turned_towards_camera(upright, 0.6)
    frames = [(i / 30, upright if i < 150 else folded) for i in range(300)]
    assert not any(r.changed for r in _watch(frames))
    moved_away = [(i / 30, upright if i < 150 else upright.with_xy(upright.xy * 0.6)) for i in range(300)]
    assert sum(r.changed for r in _watch(moved_away)) == 1  # the whole body smaller: the camera moved
