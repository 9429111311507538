"""The template's hold, judged: a timer for each visit to a held phase, the "Hold N s more"
ticks while it lasts, and at its end the time held against the target (too short, more than
enough)."""

from __future__ import annotations

import math

from posecheck.core.events import Event, Rep
from posecheck.core.hold_timer import HoldTimer
from posecheck.core.phases import ActivePhase
from posecheck.core.signals import value_of
from posecheck.core.template import Hold, Signal


class HoldJudge:
    def __init__(self, hold: Hold | None, signals: dict[str, Signal]):
        self.hold = hold
        self.signals = signals

    def timer_for(self, phase: str) -> HoldTimer | None:
        return HoldTimer() if self.hold and phase in self.hold.phases else None

    def sample(self, current: ActivePhase, values, key_value: float | None, t: float) -> None:
        """Feed the hold's signal (the key signal unless the template names one) to its timer."""
        if current.timer is None or current.last_true != t:
            return
        if self.hold.signal is None:
            current.timer.add(t, math.nan if key_value is None else key_value)
        else:
            current.timer.add(t, value_of(values, self.signals[self.hold.signal], current.side))

    def tick(self, current: ActivePhase, t: float, new: list[Event]) -> None:
        """Each whole second of a hold: how long is left."""
        if current.timer is None:
            return
        elapsed = int(t - current.start)
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
        target, label = self.hold.target_seconds, current.phase.label
        number = rep.number if rep else None
        if rep is not None:
            rep.hold_seconds = seconds if rep.hold_seconds is None else min(rep.hold_seconds, seconds)
        if seconds < target and not cut_off:
            message = f"{label}: held {seconds:.0f} s of {target:.0f} s. Hold {target - seconds:.0f} s longer next time."
            new.append(Event("form", end, message, rep=number, side=current.side or "", code="hold_short",
                             seconds=seconds))
            if rep is not None and "hold_short" not in rep.faults:
                rep.faults.append("hold_short")
        maximum = self.hold.max_seconds
        if maximum and seconds > maximum:
            new.append(Event("form", end, f"{label}: held {seconds:.0f} s; {maximum:.0f} s is enough.",
                             rep=number, code="hold_long", seconds=seconds))
        new.append(Event("hold", end, f"{label} held {seconds:.1f} s", rep=number,
                         side=current.side or "", code=current.phase.name, seconds=seconds))

    def short(self, seconds: float | None) -> bool:
        return self.hold is not None and seconds is not None and seconds < self.hold.target_seconds
