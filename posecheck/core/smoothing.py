"""One Euro filter (Casiez, Roussel & Vogel, CHI 2012) with real, possibly uneven, time steps."""

from __future__ import annotations

import numpy as np


class OneEuroFilter:
    """Smooths an array signal: little lag on fast moves, strong smoothing when still.

    min_cutoff (Hz) sets smoothing at rest; beta raises the cutoff with speed (units of the
    signal per second). NaN values pass through as NaN and do not disturb the state; after a gap
    longer than `reset_after` seconds the filter restarts from the new value.
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.0, d_cutoff: float = 1.0,
                 reset_after: float = 0.5):
        self.min_cutoff, self.beta, self.d_cutoff = min_cutoff, beta, d_cutoff
        self.reset_after = reset_after
        self._value: np.ndarray | None = None
        self._speed: np.ndarray | None = None
        self._time: np.ndarray | None = None

    def __call__(self, value, timestamp: float) -> np.ndarray:
        value = np.asarray(value, dtype=float)
        if self._value is None:
            self._value = np.full(value.shape, np.nan)
            self._speed = np.zeros(value.shape)
            self._time = np.full(value.shape, -np.inf)
        fresh = np.isfinite(value)
        dt = timestamp - self._time
        restart = fresh & (~np.isfinite(self._value) | (dt > self.reset_after) | (dt <= 0))
        update = fresh & ~restart

        out = np.where(fresh, value, np.nan)
        if update.any():
            step = dt[update]
            speed = (value[update] - self._value[update]) / step
            a_d = _alpha_array(self.d_cutoff, step)
            speed_hat = a_d * speed + (1 - a_d) * self._speed[update]
            cutoff = self.min_cutoff + self.beta * np.abs(speed_hat)
            a = _alpha_array(cutoff, step)
            out[update] = a * value[update] + (1 - a) * self._value[update]
            self._speed[update] = speed_hat
        self._speed[restart] = 0.0
        self._value[fresh] = out[fresh]
        self._time[fresh] = timestamp
        return out

    def reset(self) -> None:
        self._value = self._speed = self._time = None


def _alpha_array(cutoff, dt):
    tau = 1.0 / (2 * np.pi * np.asarray(cutoff, float))
    return 1.0 / (1.0 + tau / dt)


class PoseSmoother:
    """One Euro filters over a pose's image points (scaled to the picture) and, where a template
    measures on them, its 3-D points. Landmarks MediaPipe barely sees are left out of the filter,
    so its wild guesses for them do not drag it."""

    def __init__(self, world: bool = False):
        self._image = OneEuroFilter(min_cutoff=2.0, beta=1.0, d_cutoff=1.0)
        self._world = OneEuroFilter(min_cutoff=2.0, beta=1.0, d_cutoff=1.0) if world else None

    def __call__(self, pose, t: float):
        scale = float(max(pose.image_size))
        xy = pose.xy.copy()
        xy[pose.visibility < 0.05] = np.nan
        smoothed = self._image(xy / scale, t) * scale
        smoothed = np.where(np.isfinite(smoothed), smoothed, pose.xy)
        world = None
        if pose.world is not None and self._world is not None:
            raw = pose.world.copy()
            raw[pose.visibility < 0.05] = np.nan
            world = self._world(raw, t)
            world = np.where(np.isfinite(world), world, pose.world)
        return pose.with_xy(smoothed, world)
