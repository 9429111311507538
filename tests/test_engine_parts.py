"""The engine's parts alone, each on hand-made signal values (no pose, no video): conditions with
hysteresis, the starting-position gate's timing, phase matching and the side moving furthest,
reach and cycle counting, the rep's range and the hold's judgement. They prove each part's own
rule; that the parts together count real movements is for test_engine and the corpus tests."""

import math

from posecheck.core.conditions import Conditions
from posecheck.core.counting import CycleCounting, ReachCounting, RepLog, counting_for
from posecheck.core.holds import HoldJudge
from posecheck.core.identity import IdentityCheck
from posecheck.core.phases import ActivePhase, PhaseMatcher
from posecheck.core.position_gate import POSITION_ENTER_SECONDS, POSITION_LEAVE_SECONDS, PositionGate
from posecheck.core.rep_range import RepRange, key_extreme_is_low


def spine(value, side=None):
    return {("spine", side): value}


def test_a_condition_once_met_holds_until_its_release_and_unseen_is_none(templates):
    cat = templates["cat-cow"].phase("cat").conditions[0]  # spine below -25, release -12
    conditions = Conditions(templates["cat-cow"].signals)
    read = [conditions.met(cat, spine(v), None, ("k",)) for v in (-20, -26, -15, -11, -20)]
    assert read == [False, True, True, False, False]
    assert conditions.met(cat, spine(math.nan), None, ("k",)) is None
    # Another key keeps its own state: -15 is inside the band but was never entered there.
    assert conditions.met(cat, spine(-15), None, ("other",)) is False


def test_the_position_gate_opens_after_a_steady_moment_and_closes_after_a_longer_one(templates):
    template = templates["knee-to-chest"]  # lying: the back's tilt within 50 degrees of level
    gate = PositionGate(template.position, Conditions(template.signals))

    def tilt(value):
        return {("trunk_tilt", side): value for side in ("left", "right", None)}

    assert gate.update(tilt(0.0), 0.0) is False
    assert gate.update(tilt(0.0), POSITION_ENTER_SECONDS / 2) is False
    assert gate.update(tilt(0.0), POSITION_ENTER_SECONDS) is True
    assert gate.update(tilt(math.nan), 5.0) is True  # cannot tell: keeps what it had
    assert gate.update(tilt(80.0), 6.0) is True  # sitting up: not at once
    assert gate.update(tilt(80.0), 6.0 + POSITION_LEAVE_SECONDS) is False


def test_the_position_is_left_only_on_points_mediapipe_sees_clearly(templates):
    # A bird-dog's kneeling leg seen from high and in front: MediaPipe barely sees the far leg
    # (visibility 0.2-0.3) and guesses it straight. Read on such points, a failed condition
    # cannot tell; read on clearly seen points, it ends the position as before.
    import dataclasses

    from posecheck.core.keypoints import INDEX
    from posecheck.core.signals import measure_all
    from synthetic import quadruped

    template = templates["bird-dog"]
    legs_up = quadruped(leg={"left": 180.0, "right": 180.0})  # no kneeling leg
    guessed = legs_up.visibility.copy()
    for name in ("left_knee", "right_knee", "left_ankle", "right_ankle"):
        guessed[INDEX[name]] = 0.3  # over the 0.25 that counts as seen, under CLEARLY_SEEN
    guessed = dataclasses.replace(legs_up, visibility=guessed)

    def gate_after(pose):
        gate = PositionGate(template.position, Conditions(template.signals))
        kneeling = quadruped()
        gate.update(measure_all(template.signals, kneeling), 0.0, kneeling)
        assert gate.update(measure_all(template.signals, kneeling), POSITION_ENTER_SECONDS, kneeling) is True
        for t in (1.0, 1.0 + 2 * POSITION_LEAVE_SECONDS):
            gate.update(measure_all(template.signals, pose), t, pose)
        return gate.open

    assert gate_after(guessed) is True
    assert gate_after(legs_up) is False


def test_a_condition_that_does_not_end_a_hold_is_skipped_only_while_a_phase_is_under_way(templates):
    # A bird-dog seen from high and behind: MediaPipe puts the kneeling leg along the reaching
    # one, clearly seen. The kneeling-leg conditions (`ends_hold = false`) are needed to get into
    # the position and end it between reps, but not during a reach; no arm on the floor always ends it.
    from posecheck.core.signals import measure_all
    from synthetic import quadruped

    template = templates["bird-dog"]
    skipped = {c.signal for c in template.position.conditions if not c.ends_hold}
    assert skipped == {"trunk_tilt", "leg_lift", "leg_straight"}
    kneeling, legs_up = quadruped(), quadruped(leg={"left": 180.0, "right": 180.0})
    no_arm_down = quadruped(arm={"left": 180.0, "right": 180.0})

    def gate_after(pose, in_phase, first=kneeling):
        gate = PositionGate(template.position, Conditions(template.signals))
        for t in (0.0, POSITION_ENTER_SECONDS):
            gate.update(measure_all(template.signals, first), t, first, in_phase=in_phase)
        for t in (1.0, 1.0 + 2 * POSITION_LEAVE_SECONDS):
            gate.update(measure_all(template.signals, pose), t, pose, in_phase=in_phase)
        return gate.open

    assert gate_after(legs_up, in_phase=True) is True
    assert gate_after(legs_up, in_phase=False) is False
    assert gate_after(no_arm_down, in_phase=True) is False
    assert gate_after(legs_up, in_phase=True, first=legs_up) is False  # never entered that way


def test_where_both_sides_match_the_side_moving_furthest_is_chosen(templates):
    template = templates["knee-to-chest"]
    matcher = PhaseMatcher(template, Conditions(template.signals), None, key_extreme_is_low(template))
    phase = template.phases[0].name
    values = {(template.key_signal, "left"): 40.0, (template.key_signal, "right"): 60.0}
    matches = {(phase, "left"): (), (phase, "right"): ()}
    furthest = "left" if matcher.key_low else "right"
    assert matcher.best(matches, values) == (phase, furthest)
    assert matcher.best({}, values) is None


def judge(template):
    return HoldJudge(template.hold, template.signals, template.key_signal, key_extreme_is_low(template))


def active(template, name, start, held=None, faults=()):
    return ActivePhase(template.phase(name), None, start, start + 1, faults=set(faults), held=held)


def test_reach_counts_on_reaching_its_phase_and_a_cycle_only_when_every_phase_was_reached(templates):
    knee = templates["knee-to-chest"]
    log = RepLog()
    reach = counting_for(knee, IdentityCheck(knee), log, judge(knee))
    assert isinstance(reach, ReachCounting)
    new = []
    hug = active(knee, knee.counting.phases[0], 1.0)
    reach.started(hug, 1.5, new)
    assert hug.pending and log.reps == []  # waits on the hands being seen (its identity rule)
    reach.count_pending(hug, 2.0, new)
    assert [(r.number, r.start) for r in log.reps] == [(1, 1.0)] and reach.ends_rep(hug)

    catcow = templates["cat-cow"]
    log = RepLog()
    cycle = counting_for(catcow, IdentityCheck(catcow), log, judge(catcow))
    assert isinstance(cycle, CycleCounting)
    cat = active(catcow, "cat", 2.0, held=2.0, faults={"bent_arms"})
    cycle.started(cat, 2.2, new)
    assert not cat.pending and log.reps == [] and not cycle.ends_rep(cat)
    cow = active(catcow, "cow", 6.0)
    cycle.started(cow, 6.2, new)
    assert cow.pending and log.reps == []  # the back must be seen moving, not only the head
    cycle.count_pending(cow, 6.5, new)
    rep = log.reps[0]
    assert rep.start == 2.0  # from the first position of the cycle
    assert rep.hold_seconds == 2.0 and rep.faults == ["bent_arms", "hold_short"]
    assert cycle.ends_rep(cow)  # nothing reached since: the rep ends with this position


def test_a_reps_range_is_its_span_only_when_the_way_in_was_seen(templates):
    template = templates["knee-to-chest"]
    matcher = PhaseMatcher(template, Conditions(template.signals), None, key_extreme_is_low(template))
    rep_range = RepRange(template, matcher.personal)
    assert rep_range.measure() == (None, None)
    counted = template.phase(template.counting.phases[0]).conditions[0]
    rest = counted.release + (20 if rep_range.low else -20)
    deep = counted.threshold + (-10 if rep_range.low else 10)
    frames = 5  # each value held a few frames: the extremes are of a running median
    for _ in range(frames):
        rep_range.observe(deep, between_phases=False)  # the clip starts in the position
    span, peak = rep_range.measure()
    assert span is None and peak == round(deep, 1)
    for value, between in [(rest, True)] * frames + [(deep, False)] * frames:
        rep_range.observe(value, between_phases=between)
    assert rep_range.measure() == (round(abs(rest - deep), 1), round(deep, 1))
    rep_range.observe(rest + 200, between_phases=True)  # one misplaced frame among the held ones
    assert rep_range.furthest(+1) == rep_range.furthest(-1) == deep  # is no range


def test_a_hold_ticks_each_second_and_is_judged_against_its_target(templates):
    template = templates["knee-to-chest"]
    holds = judge(template)
    phase = template.hold.phases[0]
    key = template.signals[template.key_signal]
    for t in (-2.0, -1.5, -1.0, -0.5):  # at rest before the position: the hold's start is seen
        holds.observe({(key.name, side): 170.0 for side in ("left", "right", None)}, t)
    current = ActivePhase(template.phase(phase), "left", 0.0, 0.0, timer=holds.timer_for(phase, "left", 0.0, True, now=0.0))
    new = []
    for t in (0.5, 1.0, 1.5, 2.0):
        holds.tick(current, t, new)
    assert [e.message for e in new] == [f"Hold {template.hold.target_seconds - s:.0f} s more" for s in (1, 2)]
    for t in (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0):
        current.last_true = t
        holds.sample(current, {}, 90.0, t)
    new.clear()
    holds.finish(current, 3.0, None, cut_off=False, new=new)
    assert [e.code for e in new] == ["hold_short", phase] and current.held == new[-1].seconds
    new.clear()
    holds.finish(current, 3.0, None, cut_off=True, new=new)
    assert [e.code for e in new] == [phase]  # cut off by the person stopping: timed, not judged
