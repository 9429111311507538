"""How long a position was held, and whether it is being held right now, from the signal a hold
is timed on, sampled while the position lasts.

The hold runs from the moment that signal is HELD_SHARE of the way from the person's rest to the
level they held, to the last moment it is still that far. The rest is what the signal read in
the seconds before the position began; the held level is the median of the position's still
moments (a slow drift while holding still counts). So a slow way in or out counts only its last
or first part, as people count it: measured on the corpus's labelled real holds, people mark a
hold's start at a median 86 % of the way in and its end at 94 % (benchmarks/hold_convention.py);
0.85 both ways is within 1 s of every real hold the landmarks see (docs/counting.md).

A hold already under way when it was first seen (a clip that starts in the position, a person
who walks into view held, a camera cut) has no rest to measure from: it is timed from its first
moment and `start_seen` is False. A template may ask more of the held position than its phase
does (a child's pose: the chest down on the thighs, not only the hips back): each such condition
limits the hold to the span it is met.

Online, `holding()` tells form rules when to look: once the position has come to rest, and not
once the limbs start moving out again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from posecheck.core.template import Condition

HELD_SHARE = 0.85  # of the way from rest to the held level: the hold's start and end
NEAR_FAR_END = 0.75  # the held level is the median of what is at least this far along the way
REST_SECONDS = 3.0  # the rest is read over this long before the position began
SMOOTH_SECONDS = 0.2  # the signal is median-smoothed over +- this before it is compared
MAX_SPEED = 12.0  # degrees per second: slower than this is still
RELATIVE_SPEED = 0.15  # ... or slower than this share of the movement's own fastest speed
SPEED_WINDOW = 0.25  # speed measured over +- this many seconds, so jitter is not movement
SETTLE_AT_MOST = 1.5  # seconds: someone who never comes quite still is judged from then on


class HoldTimer:
    def __init__(self, before: Sequence[float] = (), conditions: Sequence[Condition] = (),
                 way_out: float | None = None):
        """`before`: the timed signal over the REST_SECONDS before the position began (NaN where
        unseen; empty when the position was already under way when first seen); `conditions`: what the held position needs beyond its phase (their values come
        with each frame, in this order); `way_out`: where the position ends (its release), so the
        way out is measured towards it: a cow left for neutral, not back to the cat it came from."""
        self._way_out = way_out
        self._before = np.array([v for v in before if math.isfinite(v)], float)
        self._conditions = tuple(conditions)
        self._signal = Smoothed()
        self._times, self._values = self._signal.times, self._signal.values
        self._met = [MetSpan(condition) for condition in self._conditions]
        self._fastest = 0.0  # the fastest speed seen so far in this position
        self._mode = "waiting"  # -> "still" once it first comes to rest, or "always" (never still)
        self.start_seen = True  # set when the hold is timed
        self._last_reading: tuple[tuple | None, float] = (None, 0.0)
        self._live_from: int | None = None  # the index of the first frame after the position was taken

    def add(self, t: float, value: float, extra: Sequence[float] = (), earlier: bool = False) -> None:
        """One frame of the position: the timed signal's value (NaN where unseen) and the values
        of the held position's own conditions. `earlier`: a frame from before the position was
        taken (while it lasted its min_seconds): timed, but `holding()` judges from the first
        frame after, as the person is coached from then."""
        if not math.isfinite(value):
            return
        if not earlier and self._live_from is None:
            self._live_from = len(self._times)
        self._signal.add(t, value)
        for span, condition_value in zip(self._met, extra):
            span.add(t, condition_value)

    def holding(self) -> bool:
        """Whether the position is being held: the key signal has moved slowly over the last
        2 x SPEED_WINDOW seconds, after it first came to rest."""
        if self._live_from is None:
            return False
        moving = self._moving()
        if self._mode == "waiting":
            if moving is False:
                self._mode = "still"
            elif self._times[-1] - self._times[self._live_from] >= SETTLE_AT_MOST:
                self._mode = "always"
        return self._mode == "always" or (self._mode == "still" and moving is False)

    def _moving(self) -> bool | None:
        """Whether the key signal moves fast now; None until there is enough to tell. End
        points, not a fit, so that the way out is seen within a few frames (a frame of jitter
        that reads as moving only delays form judgement by that frame)."""
        t = self._times[-1]
        i = len(self._times) - 1
        while i > self._live_from and self._times[i - 1] >= t - 2 * SPEED_WINDOW:
            i -= 1
        if i == len(self._times) - 1 or self._times[i] > t - 1.5 * SPEED_WINDOW:
            return None
        speed = abs(self._values[-1] - self._values[i]) / (t - self._times[i])
        self._fastest = max(self._fastest, speed)
        return speed > max(MAX_SPEED, RELATIVE_SPEED * self._fastest)

    def seconds(self, start: float, end: float) -> float:
        """The hold's length (the whole span from `start` to `end` if too little was seen)."""
        if len(self._times) < 3:
            return round(end - start, 2)
        asked = (start, end, len(self._times))
        if self._last_reading[0] != asked:  # read at most once per frame (the screen and the ticks)
            self._last_reading = (asked, self._read(start, end))
        return self._last_reading[1]

    def _read(self, start: float, end: float) -> float:
        times, values = np.array(self._times), np.array(self._values)
        first, last = _held_span(times, self._signal.smoothed(), self._rest(values), self._way_out)
        self.start_seen = first is not None
        first = start if first is None else first
        for met in self._met:
            span = met.span()
            if span is not None:  # met from the first sample: it does not move an earlier start
                first = max(first, span[0]) if span[0] > times[0] else first
                last = min(last, span[1])
        return round(max(0.0, last - first), 2)

    def _rest(self, values: np.ndarray) -> float | None:
        """The rest before the position: the far end of what was seen before it (None if
        nothing was: the hold was already under way)."""
        if len(self._before) < 2:
            return None
        inside = np.median(values)
        return float(self._before.min() if inside > np.median(self._before) else self._before.max())


def _share(values: np.ndarray, rest: float, held: float) -> np.ndarray:
    """How far each value is from `rest` towards `held` (1 = there)."""
    if held == rest:
        return np.ones_like(values)
    return (values - rest) / (held - rest)


def _held_level(smoothed: np.ndarray, rest: float) -> float:
    """The level held: the median of the moments near the far end (the last quarter of the way
    from rest to the furthest it went), so that a slow way in does not pull it towards rest."""
    far_end = smoothed.max() if np.median(smoothed) > rest else smoothed.min()
    return float(np.median(smoothed[_share(smoothed, rest, far_end) >= NEAR_FAR_END]))


def _held_span(times, smoothed, rest: float | None, way_out: float | None) -> tuple[float | None, float]:
    """The first moment the (smoothed) signal is HELD_SHARE of the way from rest to the held level
    (None with no rest seen: timed from the start), and the last moment it is HELD_SHARE of the way
    from where the position ends (`way_out`, else the rest) to that level (with neither, the last
    moment of the position)."""
    out = way_out if way_out is not None else rest
    if out is None:
        return None, float(times[-1])
    held = _held_level(smoothed, rest if rest is not None else out)
    if rest is not None and way_out is not None and _share(np.array([way_out]), rest, held)[0] <= 0:
        out = rest  # a release beyond the rest (it cannot be where the way out goes)
    leaving = np.flatnonzero(_share(smoothed, out, held) >= HELD_SHARE)
    last = float(times[leaving[-1]]) if len(leaving) else float(times[-1])
    if rest is None:
        return None, last
    reached = np.flatnonzero(_share(smoothed, rest, held) >= HELD_SHARE)
    return (float(times[reached[0]]) if len(reached) else last), last


class Smoothed:
    """A signal and its median over +- SMOOTH_SECONDS, each frame's median worked out once, when
    its window has closed: the hold is read every frame, so nothing is worked out again."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.values: list[float] = []
        self._closed: list[float] = []

    def add(self, t: float, value: float) -> list[tuple[float, float]]:
        """Add a frame; returns the (time, median) of the frames whose window closed with it."""
        self.times.append(t)
        self.values.append(value)
        closed = []
        while t - self.times[len(self._closed)] > SMOOTH_SECONDS:
            i = len(self._closed)
            self._closed.append(self._median_at(i))
            closed.append((self.times[i], self._closed[i]))
        return closed

    def smoothed(self) -> np.ndarray:
        pending = [self._median_at(i) for i in range(len(self._closed), len(self.times))]
        return np.array(self._closed + pending)

    def pending(self) -> list[tuple[float, float]]:
        """(time, median so far) of the last frames, whose window is still open."""
        return [(self.times[i], self._median_at(i)) for i in range(len(self._closed), len(self.times))]

    def _median_at(self, i: int) -> float:
        times, t = self.times, self.times[i]
        lo = hi = i
        while lo > 0 and t - times[lo - 1] <= SMOOTH_SECONDS:
            lo -= 1
        while hi + 1 < len(times) and times[hi + 1] - t <= SMOOTH_SECONDS:
            hi += 1
        return float(np.median(self.values[lo:hi + 1]))


class MetSpan:
    """The first and last moments a held position's own condition is met, on its smoothed signal."""

    def __init__(self, condition: Condition) -> None:
        self.condition = condition
        self._signal = Smoothed()
        self._first: float | None = None
        self._last: float | None = None

    def add(self, t: float, value: float) -> None:
        if math.isfinite(value):
            for when, median in self._signal.add(t, value):
                self._note(when, median)

    def span(self) -> tuple[float, float] | None:
        """(first, last) moment met; None if it never was: the hold is then timed without it
        (someone who cannot get that far still holds what they can)."""
        first, last = self._first, self._last
        for when, median in self._signal.pending():
            if self.condition.enters(median):
                first, last = (when if first is None else first), when
        return None if first is None else (first, last)

    def _note(self, when: float, median: float) -> None:
        if self.condition.enters(median):
            self._first = when if self._first is None else self._first
            self._last = when
