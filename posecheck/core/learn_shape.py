"""What one candidate signal does over a demonstration (core/learn.py): its jitter and span, its kind
(a one-way movement from a start position or a two-way cycle about it), the excursions that make
its reps and holds, the targets they reach, and a score of how well it shows the movement."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posecheck.core.learn_series import correlation, filled, frames_in, running_median
from posecheck.core.learn_signals import Candidate

SMOOTH_SECONDS = 0.3  # running median before anything is read off a signal
JITTER_SECONDS = 0.6  # the jitter is what a running median over this leaves
MIN_SPAN = {True: 12.0, False: 0.15}  # degrees / torso lengths: smaller movements are not learned
SIZE_SCALE = {True: 60.0, False: 0.6}  # a span this large is a full-size movement
NOISE_FLOOR = {True: 0.3, False: 0.004}
MIN_CLEAN = 6.0  # span / jitter below this is not a movement
ENTER, LEAVE, STILL = 0.5, 0.3, 0.15  # fractions of the reach: into a rep, out of it, back at rest
HELD = 0.85  # a hold runs while the signal is this far of the way to the held level (hold_timer.py)
MIN_REP_SECONDS = 0.25
TWO_WAY_BALANCE = 0.3  # the smaller way must reach this share of the larger for a two-way cycle
REST_SECONDS = 0.6  # a two-way cycle's start position is held this long before the first move
# How much each kind of signal is trusted to carry a movement to other views and people: the
# trunk, hips, knees and thighs best; hands, elbows and the head least (their landmarks jitter and
# swap most, docs/signals.md).
PRIOR = {"trunk_tilt": 1.0, "spine": 0.85, "hip": 1.0, "knee": 1.0, "thigh": 1.0, "fold": 1.0,
         "shoulder": 0.85, "arm": 0.85, "shin": 0.8, "hips_height": 0.8, "hips_to_heels": 0.8,
         "elbow": 0.5, "head_height": 0.5, "hands_to_knees": 0.5}
# The body's large joints carry a movement to other views and people better than the ends of the
# limbs and the neck (the back-and-neck curve is mostly the neck, which drifts in a held pose): one
# that moves with the best candidate in the same reps, and scores at least this share of it, is
# the key instead.
LARGE_JOINTS = ("hip", "thigh", "fold", "trunk_tilt")
LARGE_JOINT_SHARE = 0.4
MOVES_WITH = 0.7  # |correlation| with the best candidate over the clip


@dataclass(frozen=True)
class LearnedRep:
    """One rep of the demonstration, as frame indices into `LearnedExercise.times`."""

    phase: str
    start: int  # leaves the start position
    peak: int  # furthest from it
    end: int  # back (or the clip's last frame)
    start_time: float
    end_time: float
    hold_seconds: float
    level: float  # the key signal's held level
    returned: bool  # came back within the clip
    side: str = ""  # which side moved, for a signal measured per side


@dataclass(frozen=True)
class Target:
    """A position the key signal goes to from the start position."""

    name: str
    way: float  # +1: the key signal rises into it; -1: it falls
    level: float  # the demonstrated held level (median of the reps)
    reach: float  # how far from rest (always > 0)
    frame: int  # a frame in the middle of its best hold, to draw


@dataclass
class Shape:
    """What one signal does over the clip."""

    candidate: Candidate
    values: np.ndarray  # smoothed, on the seen frames
    jitter: float
    span: float
    kind: str  # "one-way" or "two-way"
    rest: float
    targets: list[Target]
    reps: list[LearnedRep]
    score: float = 0.0
    consistency: float = 1.0


def shape_of(candidate: Candidate, raw: np.ndarray, times: np.ndarray,
             asymmetry: np.ndarray | None = None) -> Shape | None:
    """How the signal moves over the clip (on the frames the person is seen), or None if it does
    not move clearly. `asymmetry`: for a signal picked from two sides, how far apart the two sides
    read in each frame: the start position is the end of the movement where they agree (both
    knees down on all fours; one leg reaching back), whatever the clip starts with."""
    series = filled(raw)
    if series is None:
        return None
    values = running_median(series, frames_in(SMOOTH_SECONDS, times))
    residual = series - running_median(series, frames_in(JITTER_SECONDS, times))
    # Jitter comes in bursts (a landmark swapped or lost for a few frames): the 90th percentile of
    # what the running median leaves, as a normal distribution's standard deviation.
    jitter = max(float(np.percentile(np.abs(residual), 90)) / 1.645, NOISE_FLOOR[candidate.angular])
    low, high = np.percentile(values, [3, 97])
    span = float(high - low)
    if span < MIN_SPAN[candidate.angular] or span < MIN_CLEAN * jitter:
        return None
    first = values[times <= times[0] + 1.0]
    start = float(np.median(first))
    where = (start - low) / span
    shape = None
    if 0.3 <= where <= 0.7 and still_at_start(values, times, start, span) >= REST_SECONDS:
        up, down = high - start, start - low
        if (min(up, down) >= TWO_WAY_BALANCE * max(up, down) and min(up, down) >= 5 * jitter
                and min(up, down) >= 0.5 * MIN_SPAN[candidate.angular]):
            shape = _two_way(candidate, values, times, jitter, span, start, up, down)
    if shape is None:
        way = 1.0 if where < 0.5 else -1.0
        if 0.3 <= where <= 0.7:  # starts in the middle: the movement goes the way it goes furthest
            way = 1.0 if high - start >= start - low else -1.0
        sided = symmetric_end(values, low, span, asymmetry, candidate)
        if sided is not None:
            way = sided
        rest_band = values[(values - low) / span < 0.2] if way > 0 else values[(high - values) / span < 0.2]
        rest = float(np.median(rest_band))
        reach = float(high - rest) if way > 0 else float(rest - low)
        shape = _one_way(candidate, values, times, jitter, span, rest, way, reach)
    return shape if shape.reps else None


def symmetric_end(values, low, span, asymmetry, candidate: Candidate) -> float | None:
    """+1 when the two sides agree at the low end of the signal and differ at the high end (the
    movement goes up from a symmetric start), -1 the other way round, None when it is not clear."""
    if asymmetry is None:
        return None
    share = (values - low) / span
    low_end, high_end = asymmetry[share < 0.2], asymmetry[share > 0.8]
    low_end, high_end = low_end[np.isfinite(low_end)], high_end[np.isfinite(high_end)]
    if len(low_end) < 3 or len(high_end) < 3:
        return None
    a, b = float(np.median(low_end)), float(np.median(high_end))
    # Clearly one-sided at one end (the sides apart by a good part of the movement) and clearly
    # not at the other: a far limb's jitter in a side view makes a few degrees either way.
    if max(a, b) < 0.4 * span or min(a, b) > 0.5 * max(a, b):
        return None
    return 1.0 if b > a else -1.0


def still_at_start(values: np.ndarray, times: np.ndarray, start: float, span: float) -> float:
    """How long the signal stays near its starting value from the first frame."""
    away = np.nonzero(np.abs(values - start) > 0.2 * span)[0]
    last = away[0] if len(away) else len(values) - 1
    return float(times[last] - times[0])


def _one_way(candidate, values, times, jitter, span, rest, way, reach) -> Shape:
    reps = excursions(values, times, rest, way, reach, "target")
    targets = [target_of("target", way, rest, reps, values)] if reps else []
    return Shape(candidate, values, jitter, span, "one-way", rest, targets, reps)


def _two_way(candidate, values, times, jitter, span, rest, up, down) -> Shape | None:
    higher = excursions(values, times, rest, 1.0, up, "higher")
    lower = excursions(values, times, rest, -1.0, down, "lower")
    if not higher or not lower:
        return None
    reps = sorted(higher + lower, key=lambda rep: rep.start)
    targets = [target_of("lower", -1.0, rest, lower, values), target_of("higher", 1.0, rest, higher, values)]
    return Shape(candidate, values, jitter, span, "two-way", rest, targets, reps)


def excursions(values: np.ndarray, times: np.ndarray, rest: float, way: float, reach: float,
               phase: str) -> list[LearnedRep]:
    """Each time the signal goes past ENTER of `reach` from `rest` (and stays for a moment): its
    frames, how long it was held there, and whether it came back."""
    share = way * (values - rest) / reach
    reps, i, n, floor = [], 0, len(values), 0
    while i < n:
        if share[i] < ENTER:
            i += 1
            continue
        j = i
        while j < n and share[j] >= LEAVE:
            j += 1
        under_way = i == 0 or share[:i].min() > STILL  # its way out from the start was not seen
        if (times[min(j, n - 1)] - times[i] >= MIN_REP_SECONDS or j >= n) and not under_way:
            start = i
            while start > floor and STILL < share[start - 1] < ENTER:
                start -= 1
            end = j
            while end < n - 1 and STILL < share[end] < ENTER:
                end += 1
            run = share[i:j]
            peak = i + int(np.argmax(run))
            top = run[run >= run.max() - 0.25 * run.max()]
            level_share = float(np.median(top))
            held = np.nonzero(run >= HELD * level_share)[0]
            hold = float(times[i + held[-1]] - times[i + held[0]]) if len(held) else 0.0
            reps.append(LearnedRep(phase, start, peak, min(end, n - 1), float(times[start]),
                                   float(times[min(end, n - 1)]), round(hold, 2),
                                   rest + way * level_share * reach, j < n))
            floor = j
        i = j + 1
    return reps


def target_of(name: str, way: float, rest: float, reps: list[LearnedRep], values: np.ndarray) -> Target:
    level = float(np.median([rep.level for rep in reps]))
    best = max(reps, key=lambda rep: rep.hold_seconds)
    return Target(name, way, level, abs(level - rest), best.peak)


def score(shape: Shape, partner: np.ndarray | None) -> float:
    """Large, clean, repeatable, dwelling at its ends, read alike on the picture and the 3-D
    points: the signal that shows the movement best."""
    angular = shape.candidate.angular
    scale = SIZE_SCALE[angular] * (2 if shape.candidate.kind == "sum" else 1)
    clean = min(shape.span / shape.jitter, 40.0) / 40.0
    size = min(shape.span / scale, 1.5)
    reaches = np.array([abs(rep.level - shape.rest) for rep in shape.reps])
    spread = float(np.std(reaches) / np.mean(reaches)) if len(reaches) > 1 and np.mean(reaches) > 0 else 0.0
    shape.consistency = 1.0 - min(spread, 0.6)
    ends = np.zeros(len(shape.values), bool)
    for target in shape.targets:
        ends |= target.way * (shape.values - shape.rest) >= 0.75 * target.reach
    ends |= np.abs(shape.values - shape.rest) <= 0.25 * max(t.reach for t in shape.targets)
    dwell = float(ends.mean())
    agree = 1.0
    if partner is not None:
        both = np.isfinite(partner)
        if both.sum() > 5 and np.std(partner[both]) > 0 and np.std(shape.values[both]) > 0:
            agree = (1.0 + max(float(correlation(shape.values[both], partner[both])), 0.0)) / 2
    return clean * size * shape.consistency * dwell * agree * PRIOR[shape.candidate.base]


def ranked(shapes: dict[Candidate, Shape]) -> list[tuple[Candidate, Shape]]:
    """The candidates best first, the key first: the best-scoring one, or a large joint that moves
    with it and scores nearly as well (LARGE_JOINT_SHARE)."""
    ranking = sorted(shapes.items(), key=lambda item: -item[1].score)
    best = ranking[0][1]
    within = repeated_within_hold(ranking)
    if within is not None:
        return [ranking[within]] + ranking[:within] + ranking[within + 1:]
    if best.candidate.base in LARGE_JOINTS:
        return ranking
    for i, (candidate, shape) in enumerate(ranking[1:], start=1):
        if shape.score < LARGE_JOINT_SHARE * best.score:
            break
        if candidate.base in LARGE_JOINTS and abs(correlation(shape.values, best.values)) >= MOVES_WITH:
            return [ranking[i]] + ranking[:i] + ranking[i + 1:]
    return ranking


def repeated_within_hold(ranking: list[tuple[Candidate, Shape]]) -> int | None:
    """A one-sided exercise done with the other limb held out (a single-leg bridge: one knee
    straight all along, the hips lifting on the other): the best candidate makes one hold, and a
    large joint scoring nearly as well makes two or more reps within it. The hold is the set-up,
    the reps are the exercise: the index of that candidate, or None."""
    best = ranking[0][1]
    if best.kind != "one-way" or len(best.reps) != 1:
        return None
    hold = best.reps[0]
    for i, (candidate, shape) in enumerate(ranking[1:], start=1):
        if shape.score < LARGE_JOINT_SHARE * best.score:
            break
        inside = [rep for rep in shape.reps if hold.start <= rep.start and rep.end <= hold.end]
        if candidate.base in LARGE_JOINTS and len(inside) >= 2:
            return i
    return None
