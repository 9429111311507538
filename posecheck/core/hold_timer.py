"""How long a position was held, and whether it is being held right now, from the key signal
sampled while the position lasts.

A hold is timed midway between two readings of it: the still part (from the first to the last
moment the key signal was nearly not moving; slow drift still counts as holding) and the whole
time in the position (threshold to threshold). The still part leaves out the slow end of the way
in and the slow start of the way out, which people count as holding; the whole time adds the
faster part of the way in and out, which they do not. Measured on the labelled holds of the real
clips (14 holds, 6 exercises), the midway reading is within 1 s of every one the landmarks can
see (the still part alone missed slow downward-dog entries by up to 1.6 s; the whole time
over-read bird-dog holds by 1.1-1.3 s). Online, `holding()` tells form rules when to look: once
the position has come to rest, and not once the limbs start moving out again.
"""

from __future__ import annotations

import math

import numpy as np

MAX_SPEED = 12.0  # degrees per second: slower than this is still
RELATIVE_SPEED = 0.15  # ... or slower than this share of the movement's own fastest speed
SPEED_WINDOW = 0.25  # speed measured over +- this many seconds, so jitter is not movement
SETTLE_AT_MOST = 1.5  # seconds: someone who never comes quite still is judged from then on


class HoldTimer:
    def __init__(self) -> None:
        self._times: list[float] = []
        self._values: list[float] = []
        self._fastest = 0.0  # the fastest speed seen so far in this position
        self._mode = "waiting"  # -> "still" once it first comes to rest, or "always" (never still)

    def add(self, t: float, value: float) -> None:
        """One frame of the position: the key signal's value (NaN where unseen)."""
        if math.isfinite(value):
            self._times.append(t)
            self._values.append(value)

    def holding(self) -> bool:
        """Whether the position is being held: the key signal has moved slowly over the last
        2 x SPEED_WINDOW seconds, after it first came to rest."""
        if not self._times:
            return False
        moving = self._moving()
        if self._mode == "waiting":
            if moving is False:
                self._mode = "still"
            elif self._times[-1] - self._times[0] >= SETTLE_AT_MOST:
                self._mode = "always"
        return self._mode == "always" or (self._mode == "still" and moving is False)

    def _moving(self) -> bool | None:
        """Whether the key signal moves fast now; None until there is enough to tell. End
        points, not a fit, so that the way out is seen within a few frames (a frame of jitter
        that reads as moving only delays form judgement by that frame)."""
        t = self._times[-1]
        i = len(self._times) - 1
        while i > 0 and self._times[i - 1] >= t - 2 * SPEED_WINDOW:
            i -= 1
        if i == len(self._times) - 1 or self._times[i] > t - 1.5 * SPEED_WINDOW:
            return None
        speed = abs(self._values[-1] - self._values[i]) / (t - self._times[i])
        self._fastest = max(self._fastest, speed)
        return speed > max(MAX_SPEED, RELATIVE_SPEED * self._fastest)

    def seconds(self, start: float, end: float) -> float:
        """The hold's length: midway between its still part and the whole time in the position
        (the whole span if too little was seen to tell)."""
        if len(self._times) < 3:
            return round(end - start, 2)
        whole = self._times[-1] - self._times[0]
        return round((self._still_seconds() + whole) / 2, 2)

    def _still_seconds(self) -> float:
        times, values = np.array(self._times), np.array(self._values)
        lo = np.searchsorted(times, times - SPEED_WINDOW, side="left")
        hi = np.searchsorted(times, times + SPEED_WINDOW, side="right") - 1
        speed = np.abs(values[hi] - values[lo]) / np.maximum(times[hi] - times[lo], 1e-6)
        # "Still" is slow against this movement's own speed: people adjust a little while holding.
        still = np.flatnonzero(speed <= max(MAX_SPEED, RELATIVE_SPEED * speed.max()))
        if len(still) == 0:
            return 0.0
        return float(times[still[-1]] - times[still[0]])
