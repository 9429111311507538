"""Which of a template's phases the person is in: each phase's conditions read with hysteresis,
the key signal's thresholds moved to the person's own range once it is learned, and where both
sides match, the side moving furthest. `ActivePhase` is one visit to a phase, from its start to
its last matching frame."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from posecheck.core.conditions import Conditions
from posecheck.core.hold_timer import HoldTimer
from posecheck.core.personal_range import PersonalRange
from posecheck.core.signals import value_of
from posecheck.core.template import SIDES, Condition, Phase, Template

Matches = dict[tuple[str, str | None], tuple[str, ...]]  # (phase, side) -> parts let pass unseen


@dataclass
class ActivePhase:
    phase: Phase
    side: str | None
    start: float
    last_true: float
    partial: tuple[str, ...] = ()  # parts that were hidden while this phase was recognised
    faults: set[str] = field(default_factory=set)
    held: float | None = None  # seconds, once a held phase has ended
    timer: HoldTimer | None = None  # for a held phase: times the hold, says when it is held
    peaks: dict[str, float] = field(default_factory=dict)  # peak-rule signal -> its extreme so far
    pending: bool = False  # counted once what tells the exercise apart has been seen (identity)
    ticked: int = 0  # whole seconds of the hold already announced

    def still(self, t: float, hidden: tuple[str, ...]) -> None:
        """The phase matched again at `t`, letting `hidden` parts pass unseen."""
        self.last_true = t
        if hidden:
            self.partial = tuple(dict.fromkeys(self.partial + hidden))


class PhaseMatcher:
    def __init__(self, template: Template, conditions: Conditions, personal: PersonalRange | None,
                 key_low: bool):
        self.template = template
        self.conditions = conditions
        self.personal_range = personal
        self.key_low = key_low  # the key signal's counted extreme is its low end
        self.sides = SIDES if template.sides else (None,)

    def matches(self, values) -> Matches:
        found = {}
        for phase in self.template.phases:
            for side in self.sides:
                ok, hidden = self._match(phase, values, side)
                if ok:
                    found[(phase.name, side)] = hidden
        return found

    def best(self, matches: Matches, values) -> tuple[str, str | None] | None:
        """The first matching phase; where both sides match, the side moving furthest (key signal)."""
        if not matches:
            return None
        phase_name = next(iter(matches))[0]
        sides = [side for name, side in matches if name == phase_name]
        if len(sides) == 1:
            return (phase_name, sides[0])
        key = self.template.signals[self.template.key_signal]

        def extremeness(side):
            value = value_of(values, key, side)
            return -math.inf if not math.isfinite(value) else (-value if self.key_low else value)

        return (phase_name, max(sides, key=extremeness))

    def personal(self, phase: str, condition: Condition) -> Condition:
        """The key signal's condition for this person: thresholds from their own rest and range."""
        spec = self.personal_range.spec if self.personal_range is not None else None
        if spec is None or condition.signal != self.template.key_signal or phase not in spec.full:
            return condition
        enter, release = self.personal_range.thresholds(phase)
        return replace(condition, threshold=enter, release=release)

    def release(self, phase: Phase) -> float | None:
        """Where the phase ends on the key signal (its release, for this person), or None."""
        key = next((c for c in phase.conditions if c.signal == self.template.key_signal), None)
        return None if key is None else self.personal(phase.name, key).release

    def settled_in(self, current: ActivePhase, values) -> bool:
        """Whether the key signal is past the phase's entry threshold, not just inside its
        hysteresis band: identity is judged in the position itself, not on the way in or out
        (a sit-up lowering its back while the knee angle is still small is no knee-to-chest)."""
        for condition in current.phase.conditions:
            if condition.signal != self.template.key_signal:
                continue
            condition = self.personal(current.phase.name, condition)
            sides = SIDES if condition.any_side else (current.side,)
            signal = self.template.signals[condition.signal]
            found = [value_of(values, signal, s) for s in sides]
            if not any(math.isfinite(v) and condition.enters(v) for v in found):
                return False
        return True

    def _match(self, phase: Phase, values, side) -> tuple[bool, tuple[str, ...]]:
        """Whether the phase's conditions hold for this side, and which hidden parts were let pass."""
        seen_true, hidden = False, []
        for i, condition in enumerate(phase.conditions):
            condition = self.personal(phase.name, condition)
            result = self.conditions.met_on_side(condition, values, side, ("phase", phase.name, i))
            if result is False:
                return False, ()
            if result is None:
                if not condition.hidden_ok:
                    return False, ()
                hidden.append(condition.hidden_part)
            else:
                seen_true = True
        return seen_true, tuple(hidden)
