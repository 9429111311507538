"""The form rules alone (core/form_rules.py): which faults show, judged on a position's state."""

from types import SimpleNamespace

from posecheck.core.events import Rep
from posecheck.core.form_rules import FORM_SETTLE_SECONDS, FormRules, settled


def position(phase, start=0.0, last_true=3.0, timer=None):
    return SimpleNamespace(phase=phase, side=None, start=start, last_true=last_true, timer=timer,
                           faults=set(), peaks={})


def test_a_during_fault_shows_only_after_its_minimum_time_and_once(templates):
    template = templates["bird-dog"]
    rule = next(r for r in template.form if r.at == "during")
    phase = template.phase(rule.phase)
    calls = []
    rules = FormRules(template, lambda condition, values, side, key: calls.append(key) or True)
    current = position(phase)
    assert rules.during(current, {}, 1.0) == [] or rule.min_seconds == 0
    later = rules.during(current, {}, 1.0 + rule.min_seconds)
    assert (rule, 1.0) in later
    current.faults.add(rule.id)
    assert all(found.id != rule.id for found, _ in rules.during(current, {}, 9.0))
    rules.new_position()
    assert calls  # conditions went through the engine's evaluator (its hysteresis)


def test_a_rushed_rep_is_too_fast_once_and_a_short_position_is_not_judged_for_depth(templates):
    template = templates["cat-cow"]
    rules = FormRules(template, lambda *args: None)
    rep = Rep(number=1, side="", start=1.0, counted_at=1.5)
    rep.end = 1.0 + template.tempo.min_rep_seconds / 2
    event = rules.tempo(rep)
    assert event is not None and event.code == "too_fast" and event.rep == 1
    rep.faults.append("too_fast")
    assert rules.tempo(rep) is None
    phase = template.phases[0]
    assert rules.peaks(position(phase, start=0.0, last_true=FORM_SETTLE_SECONDS / 2)) == []
    assert not settled(position(phase), FORM_SETTLE_SECONDS / 2)
    assert settled(position(phase), FORM_SETTLE_SECONDS)
