"""The hold timer (posecheck/core/hold_timer.py) alone, on exact key-signal series: when a held
position counts as held (for form rules) and how long it was held (midway between its still part and the whole time in the position). These prove the timing
logic on clean and jittery numbers, not that MediaPipe's angles are this steady."""

import numpy as np

from posecheck.core.hold_timer import SETTLE_AT_MOST, HoldTimer


def trapezoid(t: float) -> float:
    """In from 100 to 170 degrees over 1 s, held 4 s, out over 1 s."""
    if t < 1.0:
        return 100 + 70 * t
    if t < 5.0:
        return 170.0
    return 170 - 70 * min(t - 5.0, 1.0)


def run(profile, end: float, fps: float = 30.0, jitter: float = 0.0):
    rng = np.random.default_rng(3)
    timer, holding = HoldTimer(), []
    for i in range(int(end * fps) + 1):
        t = i / fps
        holding.append((t, timer.holding()))  # asked before this frame, as the engine does
        timer.add(t, profile(t) + rng.normal(0, jitter))
    return timer, holding


def test_a_hold_is_timed_midway_between_its_still_part_and_the_whole_position():
    timer, _ = run(trapezoid, 6.0)  # still for 4 s, in the position (sampled) for 6 s
    assert abs(timer.seconds(0.0, 6.0) - 5.0) <= 0.3
    quick, _ = run(lambda t: trapezoid(t * 4) if t < 0.25 else (170.0 if t < 5.75 else trapezoid(t * 4 - 18)), 6.0)
    assert abs(quick.seconds(0.0, 6.0) - 5.75) <= 0.3  # quick moves in and out: nearly the whole time


def test_jitter_during_the_hold_is_not_movement():
    timer, holding = run(trapezoid, 6.0, jitter=1.5)
    assert abs(timer.seconds(0.0, 6.0) - 5.0) <= 0.3
    held = [h for t, h in holding if 1.8 <= t <= 4.8]
    assert sum(held) >= 0.95 * len(held), "a rare frame of jitter may read as moving, no more"


def test_form_is_judged_only_while_held_not_on_the_way_in_or_out():
    _, holding = run(trapezoid, 6.0)
    assert not any(h for t, h in holding if t < 0.9), "on the way in"
    assert all(h for t, h in holding if 1.8 <= t <= 4.9)
    assert not any(h for t, h in holding if 5.4 <= t <= 6.0), "on the way out"


def test_someone_who_never_keeps_still_is_judged_after_a_while():
    _, holding = run(lambda t: 140 + 25 * np.sin(2 * np.pi * t), 4.0)
    assert not any(h for t, h in holding if t < SETTLE_AT_MOST - 0.1)
    assert all(h for t, h in holding if t > SETTLE_AT_MOST + 0.1)


def test_unseen_frames_are_skipped_and_too_few_give_the_whole_span():
    timer = HoldTimer()
    timer.add(0.0, float("nan"))
    timer.add(0.5, 150.0)
    assert not timer.holding()
    assert timer.seconds(0.0, 2.0) == 2.0
