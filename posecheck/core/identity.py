"""Exercise identity: what tells an exercise apart from its look-alikes (a bird-dog's reaching
arm, a knee-to-chest's hands on the knee, a cat-cow's back moving and not just the head),
checked while a counted position is held.

A cycle's rules compare its two positions (`against`): the signal's median in the second position
reached is judged against its median in the first, so no resting value is needed.

A position is confirmed once every identity rule of its phase has been seen met (in a few
frames, so that one glitch confirms nothing). It is
contradicted when a rule was never seen met and was seen failing for most of the frames: then
the movement was something else and the rule's message says what to do instead. A rule that
could not be seen (a hidden arm) neither confirms nor contradicts: the rep then counts, with a
note, since the camera could not tell.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field, replace

import numpy as np

from posecheck.core.template import SIDES, Identity, Template

CONTRADICT_FRACTION = 0.5  # seen failing in at least this share of the phase's frames
CONTRADICT_MIN_FRAMES = 1
CONFIRM_FRAMES = 3  # met in this many frames: one glitchy frame confirms nothing
CONFIRM_FRACTION = 0.25  # and in this share of the frames it was seen: a passing moment is no proof
REST_SAMPLES = 90  # a relative rule compares with the median of this many frames between positions


@dataclass
class _Tally:
    met_frames: int = 0
    failed: int = 0
    frames: int = 0

    @property
    def met(self) -> bool:
        return (self.met_frames >= CONFIRM_FRAMES
                and self.met_frames >= CONFIRM_FRACTION * (self.met_frames + self.failed))


@dataclass
class IdentityCheck:
    template: Template
    phase: str = ""
    _tallies: dict[int, _Tally] = field(default_factory=dict)
    # Frames of the phase before it settled: judged only if it never settled (a brief dip).
    _unsettled: dict[int, _Tally] = field(default_factory=dict)
    _rest: dict[tuple, deque] = field(default_factory=dict)  # (signal, side) of relative rules, at rest
    # A cycle's rules: per phase, (signal, side) -> its values in the settled frames of that
    # phase's latest visit (the last REST_SAMPLES of a long hold).
    _visits: dict[str, dict[tuple, deque]] = field(default_factory=dict)

    def rules(self, phase: str) -> list[tuple[int, Identity]]:
        return [(i, rule) for i, rule in enumerate(self.template.identity) if phase in (rule.phase, rule.against)]

    def start(self, phase: str) -> None:
        self.phase = phase
        self._tallies = {i: _Tally() for i, _ in self.rules(phase)}
        self._unsettled = {i: _Tally() for i, _ in self.rules(phase)}

    @property
    def needed(self) -> bool:
        return bool(self._tallies)

    @property
    def compares_positions(self) -> bool:
        """Whether a cycle rule needs each counted position's values (`sample`)."""
        return any(rule.against for rule in self.template.identity)

    def observe(self, values: dict, side: str | None, settled: bool = True) -> None:
        """Feed a frame of the position; `settled`: well inside it, not on the way in or out."""
        for i, rule in self.rules(self.phase):
            tally = (self._tallies if settled else self._unsettled)[i]
            tally.frames += 1
            seen = self._seen(rule, values, side)
            if seen is True:
                tally.met_frames += 1
            elif seen is False:
                tally.failed += 1

    def observe_rest(self, values: dict) -> None:
        """Feed a frame in the starting position, between counted positions."""
        for rule in self.template.identity:
            if not rule.relative or rule.against:
                continue
            signal = self.template.signals[rule.condition.signal]
            for side in SIDES if signal.per_side else (None,):
                value = values[(signal.name, side)]
                if math.isfinite(value):
                    self._rest.setdefault((signal.name, side), deque(maxlen=REST_SAMPLES)).append(value)

    def visit(self, phase: str) -> None:
        """A counted phase starts: its earlier visit no longer stands for it."""
        self._visits.pop(phase, None)

    def sample(self, phase: str, values: dict, side: str | None) -> None:
        """Feed a settled frame of a counted phase, for the cycle rules that compare positions."""
        keys = set()
        for rule in self.template.identity:
            if rule.against and phase in (rule.phase, rule.against):
                keys.add((rule.condition.signal, self._side(rule, side)))
                if rule.per:
                    keys.add((rule.per, None))
        for key in keys:
            value = values.get(key, math.nan)
            if math.isfinite(value):
                self._visits.setdefault(phase, {}).setdefault(key, deque(maxlen=REST_SAMPLES)).append(value)

    def reset(self, keep_positions: bool = False) -> None:
        """Learn afresh. `keep_positions` (a camera cut: the same person from another angle): the
        positions already held stay the references of the cycle rules, whose silhouette measure is
        in trunk lengths and little changed by the view; and MediaPipe's 3-D points flip often
        enough in a still view to pass for a cut (25 times in the 216 static clips of the
        generalization benchmark), where a lost reference would let a head nod through."""
        self._rest.clear()
        if not keep_positions:
            self._visits.clear()

    def _side(self, rule: Identity, side: str | None) -> str | None:
        return side if self.template.signals[rule.condition.signal].per_side else None

    def _between(self, rule: Identity, values: dict, side: str | None) -> bool | None:
        """A cycle rule: this position against the other one, median to median (`phase` minus
        `against`). The median of this visit's settled frames so far, not the frame alone: the
        change can be a few hundredths of a trunk length, near the frame-to-frame noise."""
        other = rule.against if self.phase == rule.phase else rule.phase
        key = (rule.condition.signal, self._side(rule, side))
        before, so_far = self._visits.get(other, {}).get(key), self._visits.get(self.phase, {}).get(key)
        now = float(np.median(so_far)) if so_far else values[key]
        if not before or not math.isfinite(now):
            return None
        change = now - float(np.median(before))
        if rule.per:  # per unit of the other signal's change between the same two positions
            moved = self._moved(rule.per, other, values)
            if moved is None:
                return None
            change /= moved
        return rule.condition.enters(change if self.phase == rule.phase else -change)

    def _moved(self, signal: str, other: str, values: dict) -> float | None:
        """How far `signal` moved from the `other` position to this one (medians, as the rule's own
        signal; None when either was not seen, or it did not move)."""
        key = (signal, None)
        before, so_far = self._visits.get(other, {}).get(key), self._visits.get(self.phase, {}).get(key)
        now = float(np.median(so_far)) if so_far else values.get(key, math.nan)
        if not before or not math.isfinite(now):
            return None
        moved = abs(now - float(np.median(before)))
        return moved if moved > 0 else None

    def _seen(self, rule: Identity, values: dict, side: str | None) -> bool | None:
        if rule.also is not None and self._met(rule.also, values, side):
            return True
        if rule.against:
            return self._between(rule, values, side)
        condition = rule.condition
        sides = self._sides(condition, side)
        raw = [values[(condition.signal, s)] for s in sides]
        found = raw
        if rule.relative:  # e.g. "the back stays down": measured from where it rested
            rests = [self._rest.get((condition.signal, s)) for s in sides]
            found = [v - float(np.median(rest)) if rest else math.nan for v, rest in zip(raw, rests)]
            # Someone who started mid-movement has no true rest: a clear absolute value still counts.
            if rule.absolute is not None and any(
                    math.isfinite(v) and replace(condition, threshold=rule.absolute).enters(v) for v in raw):
                return True
        found = [v for v in found if math.isfinite(v)]
        if any(condition.enters(v) for v in found):
            return True
        # Failing only counts when every side it could be met on was seen.
        return False if found and len(found) == len(sides) else None

    def _sides(self, condition, side: str | None) -> tuple:
        """The sides a condition is judged on: every side for `any_side`, else this rep's."""
        if condition.any_side:
            return SIDES
        return (side,) if self.template.signals[condition.signal].per_side else (None,)

    def _met(self, condition, values: dict, side: str | None) -> bool:
        found = [values.get((condition.signal, s), math.nan) for s in self._sides(condition, side)]  # optional evidence
        return any(math.isfinite(v) and condition.enters(v) for v in found)

    def _tally(self, i: int) -> _Tally:
        """The settled frames, or all of them if the position never settled."""
        return self._tallies[i] if self._tallies[i].frames else self._unsettled[i]

    @property
    def confirmed(self) -> bool:
        return all(self._tallies[i].met for i, rule in self.rules(self.phase) if not rule.if_unseen)

    def contradiction(self) -> str:
        """The message of the first rule the movement clearly did not meet, or "". Rules marked
        `if_unseen` speak only when a main rule could not be seen either way."""
        main = [(i, rule) for i, rule in self.rules(self.phase) if not rule.if_unseen]
        for i, rule in main:
            if self._contradicted(self._tally(i)):
                return rule.message
        if all(self._tally(i).met for i, _ in main):
            return ""
        for i, rule in self.rules(self.phase):
            if rule.if_unseen and self._contradicted(self._tally(i)):
                return rule.message
        return ""

    @staticmethod
    def _contradicted(tally: _Tally) -> bool:
        return (not tally.met and tally.failed >= CONTRADICT_MIN_FRAMES
                and tally.failed >= CONTRADICT_FRACTION * tally.frames)

    def unseen(self) -> list[str]:
        """Labels of the main rules that were never seen met (for the rep's note)."""
        return [self.template.signals[rule.condition.signal].label
                for i, rule in self.rules(self.phase) if not rule.if_unseen and not self._tally(i).met]
