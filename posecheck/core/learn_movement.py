"""The demonstration's movement as a whole (core/learn.py): the frames of the exercise itself
(getting into and out of position left out), the kind of movement, the hold, which side moved in
each rep and how the sides alternate, and how many reps the counting rule makes of it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from posecheck.core.learn_series import filled, frames_in, running_median
from posecheck.core.learn_shape import LearnedRep, Shape
from posecheck.core.learn_signals import Candidate, Track

if TYPE_CHECKING:
    from posecheck.core.learn import LearnedExercise

HOLD_KIND_SECONDS = 3.0
SETUP_TILT = 25.0  # degrees from the clip's usual back tilt: getting into position, not the exercise
SETUP_SHARE = 0.35  # at most this share of the clip is taken for getting into and out of position


def exercising(track: Track, seen: np.ndarray) -> np.ndarray:
    """The frames from the first to the last in the clip's usual posture: getting into position at
    the start (kneeling up before going onto all fours) and out of it at the end are left out."""
    keep = np.ones(len(seen), bool)
    tilt = filled(track.values[Candidate("trunk_tilt", "image")][seen])
    if tilt is None:
        return keep
    tilt = running_median(tilt, frames_in(1.0, track.times[seen]))
    usual = np.abs(tilt - np.median(tilt)) <= SETUP_TILT
    if not usual.any():
        return keep
    first, last = int(np.argmax(usual)), len(usual) - 1 - int(np.argmax(usual[::-1]))
    if (first + len(usual) - 1 - last) > SETUP_SHARE * len(usual):
        return keep
    index = np.nonzero(seen)[0]
    keep[index[:first]] = False
    keep[index[last + 1:]] = False
    return keep



def kind_of(key: Shape, reps: list[LearnedRep]) -> str:
    """The key signal's kind, where a one-way movement held for HOLD_KIND_SECONDS or more (or shown
    once, held) is a hold."""
    kind = key.kind
    typical_hold = float(np.median([rep.hold_seconds for rep in reps]))
    if kind == "one-way" and (typical_hold >= HOLD_KIND_SECONDS or len(reps) == 1):
        kind = "hold"
    return kind


def hold_target_of(reps: list[LearnedRep]) -> float | None:
    """The whole seconds the demonstration typically held, or None when it held under 1 s."""
    typical_hold = float(np.median([rep.hold_seconds for rep in reps]))
    return float(max(1, math.floor(typical_hold))) if typical_hold >= 1.0 else None


def start_frame_of(key: Shape, reps: list[LearnedRep], times: np.ndarray) -> int:
    """The frame before the first rep nearest the start position, to draw."""
    return min(range(len(times)), key=lambda i: abs(key.values[i] - key.rest) + (1e9 if i > reps[0].start else 0))


def replace_side(rep: LearnedRep, key: Shape, track: Track, seen) -> LearnedRep:
    from dataclasses import replace

    if not key.candidate.pick:
        return rep
    pair = track.sides[f"{key.candidate.base}@{key.candidate.space}"][seen][rep.peak]
    if not np.isfinite(pair).all():
        return rep
    larger = "left" if pair[0] > pair[1] else "right"
    return replace(rep, side=larger if key.candidate.pick == "larger" else ("right" if larger == "left" else "left"))


def alternation(reps: list[LearnedRep], key: Shape) -> str:
    if not key.candidate.pick:
        return "both sides together" if key.candidate.base not in ("trunk_tilt", "spine") else "no sides"
    sides = [rep.side for rep in reps if rep.side]
    if len(sides) < 2:
        return f"one side ({sides[0]})" if sides else "sides not seen"
    changes = sum(a != b for a, b in zip(sides, sides[1:]))
    if changes == len(sides) - 1:
        return "alternates sides"
    if changes == 0:
        return f"one side ({sides[0]})"
    return "sides change irregularly"


def expected_count(learned: LearnedExercise) -> int:
    """How many reps the demonstration holds by the counting rule (a cycle: both positions)."""
    if learned.kind != "two-way":
        return len(learned.reps)
    count, reached = 0, set()
    for rep in learned.reps:
        reached.add(rep.phase)
        if len(reached) == 2:
            count, reached = count + 1, set()
    return count
