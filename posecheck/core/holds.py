"""The template's hold, judged: a timer for each visit to a held phase (given what the timed
signal read just before it, the person's rest), the "Hold N s more" ticks while it lasts, and at
its end the time held against the target (too short, more than enough)."""

from __future__ import annotations

import math
from collections import deque

from posecheck.core.events import Event, Rep
from posecheck.core.hold_timer import HoldTimer
from posecheck.core.phases import ActivePhase
from posecheck.core.signals import value_of
from posecheck.core.hold_timer import REST_SECONDS
from posecheck.core.template import SIDES, Hold, Signal
from posecheck.core.view_quality import ABSENT_SECONDS

START_NOT_SEEN = "its start was not seen: timed from the first moment seen"


class HoldJudge:
    def __init__(self, hold: Hold | None, signals: dict[str, Signal], key_signal: str, key_low: bool):
        self.hold = hold
        self.signals = signals
        self.timed = signals[hold.signal or key_signal] if hold else None  # the signal a hold is timed on
        self.key_low = key_low
        self.conditions = hold.conditions if hold else ()
        self._recent: deque[tuple[float, dict]] = deque()  # (t, the frame's measured values)

    def observe(self, values, t: float) -> None:
        """Every frame with a person: keep the last REST_SECONDS of measured values."""
        if self.timed is None:
            return
        if self._recent and t - self._recent[-1][0] >= ABSENT_SECONDS:
            self._recent.clear()  # the person was out of view: what came before is not their rest
        self._recent.append((t, values))
        while t - self._recent[0][0] > REST_SECONDS:
            self._recent.popleft()

    def forget(self, before: float) -> None:
        """The person seen afresh at `before` (back in view, a cut to another shot): what came
        earlier is not their rest now."""
        while self._recent and self._recent[0][0] < before:
            self._recent.popleft()

    def timer_for(self, phase: str, side: str | None, start: float, start_seen: bool, now: float,
                  way_out: float | None = None) -> HoldTimer | None:
        """A timer for a held phase, given the rest before it unless its start was not seen, and
        where the position ends on the timed signal (`way_out`, when known)."""
        if not (self.hold and phase in self.hold.phases):
            return None
        before = [self._value(values, side) for t, values in self._recent if t < start] if start_seen else []
        timer = HoldTimer(before, self.conditions, way_out if self.hold.signal is None else None)
        # The position began at `start`, before it had lasted its min_seconds and was taken: the
        # timer sees those frames too (a fast way in is over by then, and its end is the hold's start).
        for t, values in self._recent:
            if start <= t < now:
                timer.add(t, self._value(values, side), self._extra(values, side), earlier=True)
        return timer

    def sample(self, current: ActivePhase, values, key_value: float | None, t: float) -> None:
        """Feed the hold's signal (the key signal unless the template names one) to its timer."""
        if current.timer is None or current.last_true != t:
            return
        extra = self._extra(values, current.side)
        if self.hold.signal is None:
            current.timer.add(t, math.nan if key_value is None else key_value, extra)
        else:
            current.timer.add(t, value_of(values, self.timed, current.side), extra)

    def _extra(self, values, side: str | None) -> list[float]:
        """The values of the held position's own conditions."""
        return [value_of(values, self.signals[c.signal], side) for c in self.conditions]

    def _value(self, values: dict, side: str | None) -> float:
        """The timed signal for `side`; with no side, the side moving furthest (as the key value)."""
        found = {s: value_of(values, self.timed, s) for s in (SIDES if self.timed.per_side else (None,))}
        if side in found:
            return found[side]
        seen = [v for v in found.values() if math.isfinite(v)]
        if not seen:
            return math.nan
        return (min(seen) if self.key_low else max(seen)) if self.hold.signal is None else max(seen)

    def tick(self, current: ActivePhase, t: float, new: list[Event]) -> None:
        """Each whole second of a hold, as its timer reads it (the same reading the screen shows
        and the hold is saved with, not the time since the position began): how long is left."""
        if current.timer is None:
            return
        elapsed = int(current.timer.seconds(current.start, t))
        if elapsed > current.ticked:
            current.ticked = elapsed
            left = self.hold.target_seconds - elapsed
            message = f"Hold {left:.0f} s more" if left > 0 else "Hold complete: well done"
            new.append(Event("hold_progress", t, message, side=current.side or "",
                             code=current.phase.name, seconds=float(elapsed)))

    def finish(self, current: ActivePhase, end: float, rep: Rep | None, cut_off: bool,
               new: list[Event]) -> None:
        """A held phase has ended: time it and judge it. `cut_off`: the person stopped the
        session, so a short hold is timed but not called short."""
        seconds = current.timer.seconds(current.start, end)
        current.held = seconds
        seen = current.timer.start_seen
        target, label = self.hold.target_seconds, current.phase.label
        number = rep.number if rep else None
        if rep is not None:
            rep.hold_seconds = seconds if rep.hold_seconds is None else min(rep.hold_seconds, seconds)
            if not seen:
                rep.notes.append(START_NOT_SEEN)
        # Not called short when cut off by the person stopping, nor when its start was not seen.
        if seconds < target and not cut_off and seen:
            message = f"{label}: held {seconds:.0f} s of {target:.0f} s. Hold {target - seconds:.0f} s longer next time."
            new.append(Event("form", end, message, rep=number, side=current.side or "", code="hold_short",
                             seconds=seconds))
            if rep is not None and "hold_short" not in rep.faults:
                rep.faults.append("hold_short")
        maximum = self.hold.max_seconds
        if maximum and seconds > maximum:
            new.append(Event("form", end, f"{label}: held {seconds:.0f} s; {maximum:.0f} s is enough.",
                             rep=number, code="hold_long", seconds=seconds))
        said = f"{label} held {seconds:.1f} s" + ("" if seen else " (already holding when first seen)")
        new.append(Event("hold", end, said, rep=number,
                         side=current.side or "", code=current.phase.name, seconds=seconds))

    def short(self, seconds: float | None) -> bool:
        return self.hold is not None and seconds is not None and seconds < self.hold.target_seconds
