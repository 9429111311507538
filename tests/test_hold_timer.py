"""The hold timer (posecheck/core/hold_timer.py) alone, on exact key-signal series: when a held
position counts as held (for form rules) and how long it was held (from HELD_SHARE of the way in
to HELD_SHARE of the way out, from the rest seen before it; from its first moment when its start
was not seen). These prove the timing logic on clean and jittery numbers, not that MediaPipe's
angles are this steady, nor that people label holds this way (the corpus tests do that)."""

import numpy as np

from posecheck.core.hold_timer import HELD_SHARE, SETTLE_AT_MOST, HoldTimer
from posecheck.core.template import Condition

REST = [100.0] * 20  # what the signal read before the position began


def trapezoid(t: float) -> float:
    """In from 100 to 170 degrees over 1 s, held 4 s, out over 1 s."""
    if t < 1.0:
        return 100 + 70 * t
    if t < 5.0:
        return 170.0
    return 170 - 70 * min(t - 5.0, 1.0)


def run(profile, end: float, fps: float = 30.0, jitter: float = 0.0, before=REST):
    rng = np.random.default_rng(3)
    timer, holding = HoldTimer(before), []
    for i in range(int(end * fps) + 1):
        t = i / fps
        holding.append((t, timer.holding()))  # asked before this frame, as the engine does
        timer.add(t, profile(t) + rng.normal(0, jitter))
    return timer, holding


def test_a_hold_runs_from_most_of_the_way_in_to_most_of_the_way_out():
    timer, _ = run(trapezoid, 6.0)  # in over 1 s, held 4 s, out over 1 s
    expected = 4.0 + 2 * (1 - HELD_SHARE)  # the last 15 % of the way in and the first 15 % out
    assert abs(timer.seconds(0.0, 6.0) - expected) <= 0.1
    assert timer.start_seen


def test_a_slow_way_in_counts_only_its_last_part():
    slow = lambda t: 100 + 70 * min(t / 8.0, 1.0) if t < 12 else 170 - 70 * min((t - 12) / 1.0, 1.0)
    timer, _ = run(slow, 13.0)  # 8 s in, held 4 s, out over 1 s
    expected = 4.0 + 8 * (1 - HELD_SHARE) + (1 - HELD_SHARE)
    assert abs(timer.seconds(0.0, 13.0) - expected) <= 0.15


def test_a_hold_whose_start_was_not_seen_is_timed_from_its_first_moment():
    # Already held at the first frame; with no rest seen, the way out counts to the position's end.
    timer, _ = run(lambda t: trapezoid(t + 1.0), 5.0, before=())
    assert timer.seconds(0.0, 5.0) == 5.0
    assert not timer.start_seen


def test_a_held_positions_own_condition_limits_the_hold_unless_it_is_never_met():
    chest_down = Condition(signal="chest", direction="below", threshold=0.0, release=5.0)
    timer = HoldTimer(REST, conditions=[chest_down])
    for i in range(181):  # in over 1 s, held 4 s, out over 1 s; the chest down only from 2 to 4 s
        t = i / 30
        timer.add(t, trapezoid(t), [-10.0 if 2.0 <= t <= 4.0 else 10.0])
    assert abs(timer.seconds(0.0, 6.0) - 2.0) <= 0.1
    never = HoldTimer(REST, conditions=[chest_down])
    for i in range(181):
        never.add(i / 30, trapezoid(i / 30), [10.0])
    assert abs(never.seconds(0.0, 6.0) - (4.0 + 2 * (1 - HELD_SHARE))) <= 0.1


def test_jitter_during_the_hold_is_not_movement():
    timer, holding = run(trapezoid, 6.0, jitter=1.5)
    assert abs(timer.seconds(0.0, 6.0) - (4.0 + 2 * (1 - HELD_SHARE))) <= 0.2
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


def test_the_way_out_is_measured_towards_where_the_position_ends():
    # A cow (+40) entered from a deep cat (-80) and left for neutral (-5, its release +5): 85 % of
    # the way back to the cat would still be "holding" 18 degrees down the way out.
    def cow(t):
        if t < 2.0:
            return -80 + 120 * t / 2.0
        if t < 6.0:
            return 40.0
        return 40 - 45 * min((t - 6.0) / 3.0, 1.0)

    timer, toward_cat = HoldTimer([-80.0] * 20, way_out=5.0), HoldTimer([-80.0] * 20)
    for i in range(int(9 * 30) + 1):
        timer.add(i / 30, cow(i / 30))
        toward_cat.add(i / 30, cow(i / 30))
    way_in, way_out = 2.0 * (1 - HELD_SHARE), 3.0 * (1 - HELD_SHARE) * 35 / 45  # to the release, 35 of 45
    assert abs(timer.seconds(0.0, 9.0) - (4.0 + way_in + way_out)) <= 0.15
    assert toward_cat.seconds(0.0, 9.0) > timer.seconds(0.0, 9.0) + 0.8
