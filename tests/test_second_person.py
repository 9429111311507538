"""When the estimator looks for people besides the one it tracks, and whom it counts as others
(posecheck/pipeline/second_person.py), on stick figures with known places. Proves the schedule
and the matching; that MediaPipe finds a real second person is tested in test_scenes.py."""

import threading

import numpy as np

from posecheck.pipeline.second_person import (CHECK_SECONDS, KEEP_SECONDS, CheckInBackground, SecondPersonCheck,
                                              hips_and_torso)
from synthetic import lying


def moved(pose, dx: float, dy: float = 0.0):
    return pose.with_xy(pose.xy + np.array([dx, dy]))


def frames_checked(check, poses_by_frame, fps: float = 15.0) -> list[float]:
    """Run the schedule over tracked poses; the times of the frames it chose to check."""
    checked = []
    for i, pose in enumerate(poses_by_frame):
        t = i / fps
        if check.due(pose, t):
            check.found((pose,), pose, t)
            checked.append(t)
    return checked


def test_a_still_person_is_checked_about_once_a_second():
    person = lying()
    checked = frames_checked(SecondPersonCheck(), [person] * 75)  # 5 s at 15 fps
    assert checked[0] == 0.0
    gaps = np.diff(checked)
    assert len(checked) == 5 and all(CHECK_SECONDS <= g < CHECK_SECONDS + 0.1 for g in gaps)


def test_tracked_hips_that_jump_are_checked_at_once():
    person = lying()
    torso = hips_and_torso(person)[1]
    frames = [person] * 5 + [moved(person, 1.5 * torso)] + [moved(person, 1.5 * torso)] * 3
    checked = frames_checked(SecondPersonCheck(), frames)
    assert checked == [0.0, 5 / 15]


def test_small_movements_between_frames_are_no_jump():
    person = lying()
    torso = hips_and_torso(person)[1]
    frames = [moved(person, 0.1 * torso * i) for i in range(10)]  # a slow slide
    assert frames_checked(SecondPersonCheck(), frames) == [0.0]


def test_nobody_tracked_needs_no_check_and_a_reappearance_is_checked():
    check, person = SecondPersonCheck(), lying()
    assert check.due(person, 0.0)
    check.found((person,), person, 0.0)
    assert not check.due(None, 0.1)
    assert check.due(person, 0.2)  # back after a frame without anyone: perhaps someone else


def test_the_tracked_person_is_not_counted_among_the_others():
    check, person = SecondPersonCheck(), lying()
    torso = hips_and_torso(person)[1]
    visitor = moved(person, 4 * torso, -torso)
    seen_by_check = moved(person, 0.3 * torso)  # the check's own, slightly different landmarks
    check.found((visitor, seen_by_check), person, 0.0)
    assert check.others(0.5) == (visitor,)


def test_others_are_kept_until_the_next_check_then_forgotten_if_none_came():
    check, person = SecondPersonCheck(), lying()
    visitor = moved(person, 600.0)
    check.found((person, visitor), person, 0.0)
    assert check.others(KEEP_SECONDS - 0.01) == (visitor,)
    assert check.others(KEEP_SECONDS + 0.01) == ()
    check.found((person,), person, 1.0)  # the visitor left
    assert check.others(1.1) == ()


def test_a_check_that_finds_only_a_stranger_counts_them_as_other():
    check, person = SecondPersonCheck(), lying()
    stranger = moved(person, 800.0)
    check.found((stranger,), person, 0.0)
    assert check.others(0.1) == (stranger,)


def test_background_checks_run_one_at_a_time_and_hand_over_their_people():
    release, person = threading.Event(), lying()
    calls = []

    def finder(rgb):
        calls.append(rgb.shape)
        release.wait(timeout=10)
        return (person,)

    background = CheckInBackground(finder)
    frame = np.zeros((4, 6, 3), np.uint8)
    assert background.submit(frame, 1.0)
    assert not background.submit(frame, 1.1)  # one check at a time: refused, nothing queued
    assert background.take() is None
    release.set()
    background.close()  # waits for the running check
    assert background.take() == (1.0, (person,))
    assert calls == [(4, 6, 3)]


def test_a_failing_background_check_finds_nobody():
    background = CheckInBackground(lambda rgb: 1 / 0)
    frame = np.zeros((2, 2, 3), np.uint8)
    assert background.submit(frame, 0.0)
    background.close()
    assert background.take() == (0.0, ())
