"""The template's form rules, judged as the engine follows the positions: 'during' rules on each
frame of a settled position, 'peak' rules on the most extreme value a position reached, and the
tempo rule on a whole rep. The engine owns the positions and the reps; this module says which
faults show. Conditions are evaluated by the engine's `condition` (it keeps their hysteresis)."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable

from posecheck.core.events import Event, Rep
from posecheck.core.signals import value_of
from posecheck.core.template import SIDES, Condition, FormRule, Template

FORM_SETTLE_SECONDS = 0.5  # form is judged once a position has been held this long

Evaluate = Callable[[Condition, dict, str | None, tuple], "bool | None"]


class FormRules:
    def __init__(self, template: Template, condition: Evaluate):
        self.template = template
        self._condition = condition
        self._since: dict[str, float] = {}  # a 'during' fault showing since
        self._peak_conditions = peak_conditions(template)

    def new_position(self) -> None:
        self._since.clear()

    def track_peaks(self, current, values) -> None:
        """Keep the most extreme value of each signal a peak rule of this position judges."""
        for condition in self._peak_conditions.get(current.phase.name, ()):
            value = value_of(values, self.template.signals[condition.signal], current.side)
            if not math.isfinite(value):
                continue
            before = current.peaks.get(condition.signal)
            lower = condition.direction == "below"
            if before is None or (value < before if lower else value > before):
                current.peaks[condition.signal] = value

    def during(self, current, values, t: float) -> list[tuple[FormRule, float]]:
        """The 'during' rules whose fault has now shown for its minimum time: (rule, since)."""
        found: list[tuple[FormRule, float]] = []
        for rule in self.template.form:
            if rule.at != "during" or rule.phase != current.phase.name or rule.id in current.faults \
                    or any(rule.id == other.id for other, _ in found):
                continue
            if not self._shows(rule, values, current.side):
                self._since.pop(rule.id, None)
                continue
            since = self._since.setdefault(rule.id, t)
            if t - since >= rule.min_seconds:
                found.append((rule, since))
        return found

    def peaks(self, current, personal_range=None) -> list[tuple[str, str]]:
        """The peak rules a position that has ended broke: (rule id, message). Only in a position
        that settled: a rushed one is the tempo rule's business, not a depth fault."""
        if current.last_true - current.start < FORM_SETTLE_SECONDS:
            return []
        found = []
        for rule in self.template.form:
            peak = current.peaks.get(rule.condition.signal)
            if rule.at != "peak" or rule.phase != current.phase.name or peak is None:
                continue
            condition, message = rule.condition, rule.message
            if personal_range is not None and condition.signal == self.template.key_signal:
                # Coach against the clinical standard, measured from this person's rest.
                shift = personal_range.shift()
                condition = replace(condition, threshold=condition.threshold + shift,
                                    release=condition.release + shift)
                percent = 100 * personal_range.progress(current.phase.name, peak)
                message = message.replace("{percent}", f"{5 * round(percent / 5):.0f}")
            if condition.enters(peak):
                found.append((rule.id, message))
        return found

    def tempo(self, rep: Rep) -> Event | None:
        """The tempo fault of a rep that has ended too fast (once per rep)."""
        tempo = self.template.tempo
        if tempo and rep.end - rep.start < tempo.min_rep_seconds and "too_fast" not in rep.faults:
            return Event("form", rep.end, tempo.message, rep=rep.number, side=rep.side, code="too_fast",
                         seconds=round(rep.end - rep.start, 2))
        return None

    def _shows(self, rule: FormRule, values, side) -> bool | None:
        """Whether the fault shows. With any_side, only if it shows on every side that can be
        seen: e.g. "arm low" is not a fault while either arm is up (sides may be swapped)."""
        if not rule.condition.any_side:
            return self._condition(rule.condition, values, side, ("form", rule.id, side))
        results = [self._condition(rule.condition, values, s, ("form", rule.id, s)) for s in SIDES]
        seen = [r for r in results if r is not None]
        return all(seen) if seen else None


def settled(current, t: float) -> bool:
    """A held position is judged once it has come to rest (the limbs are not still on their way);
    any position once it has lasted FORM_SETTLE_SECONDS."""
    if t - current.start < FORM_SETTLE_SECONDS:
        return False
    return current.timer is None or current.timer.holding()


def peak_conditions(template: Template) -> dict[str, list[Condition]]:
    """Per phase, its conditions on the signals its peak rules judge (their direction says which
    extreme is the peak)."""
    judged = {(rule.phase, rule.condition.signal) for rule in template.form if rule.at == "peak"}
    return {phase.name: [c for c in phase.conditions if (phase.name, c.signal) in judged]
            for phase in template.phases}
