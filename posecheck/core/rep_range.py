"""A rep's range of motion and peak on the key signal: its lowest and highest values since the
last rep ended, and whether it was seen back at rest in between (a rep that starts already in the
position, as a clip that begins mid-hold or a camera cut, has no range to report)."""

from __future__ import annotations

import math
from collections import deque
from typing import Callable

import numpy as np

from posecheck.core.personal_range import PersonalRange
from posecheck.core.template import SIDES, Condition, Template, key_unit

MEDIAN_FRAMES = 5  # the extremes are of the running median over this many frames
Personal = Callable[[str, Condition], Condition]  # a phase's condition moved to the person's range


class SpanTracker:
    """The lowest and highest of a signal's running median (a frame or two of a misplaced
    landmark is dropped). Only the two extremes are kept: a list of every value grew with every
    frame while no rep ended, e.g. through a long pause."""

    def __init__(self) -> None:
        self.low, self.high = math.inf, -math.inf
        self._recent: deque[float] = deque(maxlen=MEDIAN_FRAMES)

    def add(self, value: float) -> None:
        self._recent.append(value)
        value = float(np.median(self._recent))
        self.low, self.high = min(self.low, value), max(self.high, value)

    @property
    def seen(self) -> bool:
        return self.low <= self.high

    def restart(self) -> tuple[float, float]:
        """(low, high) so far, then start afresh (the running median goes on)."""
        extremes, (self.low, self.high) = (self.low, self.high), (math.inf, -math.inf)
        return extremes


class RepRange:
    def __init__(self, template: Template, personal: Personal):
        self.template = template
        self.personal = personal
        self.low = key_extreme_is_low(template)  # the counted extreme is the key signal's low end
        self._counted = counted_key_condition(template)
        self._digits = 1 if key_unit(template) == "degrees" else 2  # torso lengths need two
        self._span = SpanTracker()
        self._rest_seen = False

    def key_value(self, values, side: str | None) -> float | None:
        """The key signal for `side`; with no side yet, the side moving furthest."""
        key = self.template.signals[self.template.key_signal]
        sides = ([side] if side else list(SIDES)) if key.per_side else [None]
        found = [values[(key.name, s)] for s in sides if math.isfinite(values[(key.name, s)])]
        if not found:
            return None
        return min(found) if self.low else max(found)

    def observe(self, value: float | None, between_phases: bool, in_position: bool = True) -> None:
        """One frame's key value. The range counts only frames in the starting position (not a
        false detection on a title card, nor someone walking in); rest may be seen on any."""
        if value is None:
            return
        self._rest_seen = self._rest_seen or (between_phases and self._at_rest(value))
        if in_position:
            self._span.add(value)

    @property
    def rest_seen(self) -> bool:
        """Whether the key signal was seen at rest since the last rep (or since the person came
        into view): if not, a position now starting was already under way."""
        return self._rest_seen or self._counted is None

    def forget_rest(self) -> None:
        """The person came (back) into view, or the camera cut: what went before is not seen."""
        self._rest_seen = False

    def furthest(self, direction: float) -> float | None:
        """The rep's furthest value so far towards `direction` (+1 up, -1 down), None if unseen."""
        span = self._span
        return None if not span.seen else (span.high if direction > 0 else span.low)

    def reached(self, personal: PersonalRange) -> dict[str, int]:
        """How far each counted position got so far: % of the template's full movement from the
        person's rest."""
        reached = {}
        for phase in self.template.counting.phases:
            value = self.furthest(personal.spec.direction(phase))
            if value is not None and phase in personal.spec.full:
                reached[phase] = max(0, round(100 * personal.progress(phase, value)))
        return reached

    def measure(self) -> tuple[float | None, float | None]:
        """The rep's (range of motion, peak), then start afresh for the next rep."""
        (low, high), rest_seen, self._rest_seen = self._span.restart(), self._rest_seen, False
        if low > high:  # no value seen
            return None, None
        peak = round(low if self.low else high, self._digits)
        if self._counted is not None and not rest_seen:
            return None, peak  # the way in was not seen: a span would only be the hold's wobble
        return round(high - low, self._digits), peak

    def _at_rest(self, value: float) -> bool:
        """Whether the key signal is back past the counted phase's release, towards rest."""
        if self._counted is None:
            return True
        release = self.personal(self.template.counting.phases[0], self._counted).release
        return value > release if self.low else value < release


def key_extreme_is_low(template: Template) -> bool:
    """Whether the key signal's target is a low value (e.g. a hip angle closing), from the
    direction of its condition in the counted phase."""
    target = template.phase(template.counting.phases[0])
    for condition in target.conditions:
        if condition.signal == template.key_signal:
            return condition.direction == "below"
    return False


def counted_key_condition(template: Template) -> Condition | None:
    """The key signal's condition in the one counted phase of a "reach" template (None for a
    cycle, whose reps sweep from one end to the other and always show their range)."""
    if template.counting.rule != "reach":
        return None
    phase = template.phase(template.counting.phases[0])
    return next((c for c in phase.conditions if c.signal == template.key_signal), None)


def key_thresholds(template: Template) -> dict[str, float]:
    """Per counted phase, the template's own threshold on the key signal."""
    out = {}
    for name in template.counting.phases:
        for condition in template.phase(name).conditions:
            if condition.signal == template.key_signal:
                out[name] = condition.threshold
    return out


def measured_in_3d(template: Template, name: str) -> bool:
    """Whether a signal (or every signal a derived one combines) is measured on the 3-D points."""
    signal = template.signals[name]
    if signal.signals:
        return all(measured_in_3d(template, part) for part in signal.signals)
    return signal.space == "world"
