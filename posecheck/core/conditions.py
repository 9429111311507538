"""A template's conditions read with hysteresis: a condition that was met stays met until its
value passes the release, so jitter near a threshold cannot flicker a position on and off.
Each place that reads a condition (the position gate, a phase, a form rule) keeps its own state
under its own key."""

from __future__ import annotations

import math

from posecheck.core.signals import value_of
from posecheck.core.template import SIDES, Condition, Signal


class Conditions:
    def __init__(self, signals: dict[str, Signal]):
        self.signals = signals
        self._met: dict[tuple, bool] = {}

    def met(self, condition: Condition, values, side, key: tuple) -> bool | None:
        """Whether the condition holds for `side`; None when its signal cannot be measured."""
        value = value_of(values, self.signals[condition.signal], side)
        if not math.isfinite(value):
            return None
        before = self._met.get(key, False)
        now = condition.holds(value) if before else condition.enters(value)
        self._met[key] = now
        return now

    def within_release(self, condition: Condition, values, side) -> bool:
        """Whether a condition that had been met would still hold (stateless; unseen is False)."""
        sides = SIDES if condition.any_side else (side,)
        found = [value_of(values, self.signals[condition.signal], s) for s in sides]
        return any(math.isfinite(v) and condition.holds(v) for v in found)

    def assume_met(self, key: tuple) -> None:
        self._met[key] = True

    def met_on_side(self, condition: Condition, values, side, key: tuple) -> bool | None:
        """The condition for `side`, or for either side when it says `any_side`."""
        if not condition.any_side:
            return self.met(condition, values, side, key + (side,))
        # MediaPipe can swap left and right limbs in side views: let either side meet it.
        results = [self.met(condition, values, s, key + (s,)) for s in SIDES]
        return True if True in results else (None if None in results else False)
