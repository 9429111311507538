"""The person's own range on the key signal: where they rest and how far they move, learned
online within the session, so that counting follows this person and this camera.

Counting is relative: a position is reached when the key signal has moved from the learned rest
by a good part of the range this person actually reaches, never less than the template's
`least` (so jitter and stillness count nothing) and never more than the template's own threshold
(so a full movement always counts). Coaching stays absolute: `progress` says how much of the
template's full clinical movement a value reaches, measured from the learned rest.
"""

from __future__ import annotations

import math
from collections import deque
import numpy as np

from posecheck.core.template import RangeSpec

WINDOW_SECONDS = 30.0  # what the model remembers: long enough for a few reps, short enough to follow a moved camera
# Before this much time (and a few frames) at rest in position, the template's rest is used.
MIN_REST_SECONDS = 0.3
MIN_SAMPLES = 3
REST_QUANTILE = 0.10  # the resting end of a one-way movement: people rest between reps
FAR_QUANTILE = 0.95  # the far end: robust against single-frame landmark swaps
ENTER_FRACTION = 0.5  # a position is reached at half the person's usual excursion...
RELEASE_RATIO = 0.6  # ...and left below 60 % of that (hysteresis)
MEDIAN_SAMPLES = 5  # a running median drops single-frame spikes before they are learned
# A two-way movement's middle may move this far from the template's: a view shifts it, but a
# clip that starts deep in cow must not drag it there.
TWO_WAY_MAX_SHIFT = 20.0
# A two-way movement is learned once its span is this many times its two least movements together
# (cat-cow: 10 + 10 degrees, so 30): a shallow cat-cow whose cow arches only 5-8 degrees past
# neutral still completes a clear cycle, far above the few degrees that holding still jitters.
TWO_WAY_CLEAR_SPAN = 1.5
# A one-way movement's rest may move this far from the template's: an oblique camera shifts a
# resting hip by up to about 30 degrees; a "rest" beyond that is someone who started mid-rep.
ONE_WAY_MAX_SHIFT = 35.0


class PersonalRange:
    def __init__(self, spec: RangeSpec, standard: dict[str, float]):
        """`standard`: per phase, the template's threshold on the key signal (the clinical one)."""
        self.spec = spec
        self.standard = {name: abs(value - spec.rest) for name, value in standard.items()}
        directions = {spec.direction(name) for name in spec.full}
        self.two_way = len(directions) == 2
        self.way = directions.pop() if not self.two_way else 0.0
        self._samples: deque[tuple[float, float]] = deque()
        self._between: deque[tuple[float, float]] = deque()  # samples outside every position
        self._recent: deque[float] = deque(maxlen=MEDIAN_SAMPLES)
        self._cache: tuple[float, float, float] | None = None

    def reset(self) -> None:
        """Forget what was learned (a new person, or the camera moved)."""
        self._samples.clear()
        self._between.clear()
        self._recent.clear()
        self._cache = None

    def observe(self, t: float, value: float | None, between: bool = False) -> None:
        """Feed the key signal of one frame, only while the person is in the starting position;
        `between`: in no counted position at the moment (neutral, or on the way)."""
        if value is None or not math.isfinite(value):
            return
        self._recent.append(value)
        sample = (t, float(np.median(self._recent)))
        self._samples.append(sample)
        # Until learned, a one-way movement's rest (a low quantile, robust to a few moves) takes
        # every moment: a camera that shifts the resting angle past the template's threshold
        # would otherwise lock the person "in position" and nothing would ever be learned.
        if between or (not self.two_way and not self._rest_seen()):
            self._between.append(sample)
        for samples in (self._samples, self._between):
            while samples and samples[0][0] < t - WINDOW_SECONDS:
                samples.popleft()
        self._cache = None

    @property
    def learned(self) -> bool:
        """Enough seen to trust: a few samples between positions; for a two-way movement (cat
        and cow), also a span as wide as the template's two thresholds apart, so that settling
        into position is not taken for the person's whole range."""
        if not self._rest_seen():
            return False
        _, low, high = self._extremes()
        return not self.two_way or high - low >= TWO_WAY_CLEAR_SPAN * sum(self.spec.least.values())

    def _rest_seen(self) -> bool:
        between = self._between
        return len(between) >= MIN_SAMPLES and between[-1][0] - between[0][0] >= MIN_REST_SECONDS

    @property
    def ready(self) -> bool:
        """Whether positions may be recognised yet. A one-way movement waits until its rest is
        learned (a few frames in position): a camera that shifts the resting angle past the
        template's threshold would otherwise start a position at once. A two-way movement (a
        clip may start deep in cow) goes by the template until it has learned."""
        return self.two_way or self.learned

    def _extremes(self) -> tuple[float, float, float]:
        """(rest, low end, high end) of what was seen. Rest comes only from the moments between
        positions, so that a long hold is never mistaken for resting."""
        if self._cache is None:
            if not self._rest_seen():
                rest = low = high = self.spec.rest
            else:
                values = np.fromiter((v for _, v in self._samples), float)
                between = np.fromiter((v for _, v in self._between), float)
                low, high = np.quantile(values, [1 - FAR_QUANTILE, FAR_QUANTILE])
                if self.two_way:
                    # The middle: where the person is between cat and cow.
                    rest = np.clip(np.median(between), self.spec.rest - TWO_WAY_MAX_SHIFT,
                                   self.spec.rest + TWO_WAY_MAX_SHIFT)
                else:
                    rest = np.quantile(between, REST_QUANTILE if self.way > 0 else 1 - REST_QUANTILE)
                    rest = np.clip(rest, self.spec.rest - ONE_WAY_MAX_SHIFT, self.spec.rest + ONE_WAY_MAX_SHIFT)
            self._cache = (float(rest), float(low), float(high))
        return self._cache

    @property
    def rest(self) -> float:
        return self._extremes()[0] if self.learned else self.spec.rest

    def reach(self, phase: str) -> float:
        """How far from rest this person goes towards the phase (degrees, >= 0)."""
        _, low, high = self._extremes()
        rest = self.rest
        return max(0.0, high - rest) if self.spec.direction(phase) > 0 else max(0.0, rest - low)

    def thresholds(self, phase: str) -> tuple[float, float]:
        """(enter, release) values of the key signal for the phase, for this person now."""
        way = self.spec.direction(phase)
        least, standard = self.spec.least[phase], self.standard[phase]
        excursion = min(standard, max(least, ENTER_FRACTION * self.reach(phase))) if self.learned else standard
        rest = self.rest
        return rest + way * excursion, rest + way * RELEASE_RATIO * excursion

    def progress(self, phase: str, value: float) -> float:
        """How much of the template's full movement `value` is, from this person's rest (0..)."""
        full = abs(self.spec.full[phase] - self.spec.rest)
        rest = self.spec.rest + self.shift()
        return self.spec.direction(phase) * (value - rest) / full if full else math.nan

    def shift(self) -> float:
        """How far the learned rest lies from the template's: the view's (or body's) offset.
        Only a one-way movement's rest is a resting position; a two-way movement's learned middle
        depends on how long each way was held, so it shifts nothing."""
        return 0.0 if self.two_way else self.rest - self.spec.rest
