"""Teach posecheck a new exercise from one demonstration: a clip of someone doing it correctly
(two or more reps, or one hold) in, an ordinary template out (issue 26).

From the followed person's landmarks (core/learn_signals.py reads every candidate signal of the
shipped templates' vocabulary, on the picture and on the 3-D points), it finds:
- the key signal: the candidate with the largest, cleanest, most repeatable excursion against its
  own frame-to-frame jitter (`score`), its image and 3-D readings agreeing;
- the kind of movement: where the clip starts (its first second) is the start position; when that
  lies between the two ends of the key signal's range and the signal goes clearly both ways from
  it, a two-way cycle (cat and cow); else a one-way movement away from the end it starts at; a
  one-way movement whose reps are held for 3 s or more (or shown once, held) is a hold;
- the reps: each excursion past half of the demonstrated reach, with its frames (start, furthest,
  end) and its hold, timed as the engine times holds (from 85 % of the way to the held level);
- the start position: the back's tilt and the thighs' elevation where they stay steady, with a
  tolerance for other views and people;
- thresholds at a fraction of the demonstrated reach, and `[range]` from the demonstration, so
  counting follows each person's own range (core/personal_range.py);
- form rules: a peak rule on the key signal, and a during rule on the signal that moves most
  with it, each at a tolerance wider than the demonstration's own variation.
A clip that cannot teach an exercise raises LearnError, one sentence. The template is written by
core/learn_template.py, parsed with the ordinary parser and run on the demonstration itself as a
check (`self_check`).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field

import numpy as np

from posecheck.core.engine import Engine
from posecheck.core.keypoints import Detection, Pose
from posecheck.core.learn_signals import Candidate, Track, candidates, read_track
from posecheck.core.template import Template
from posecheck.core.template_parser import parse_template

MIN_SEEN_SHARE = 0.5  # of the frames: the person must be in view most of the clip
MIN_SEEN_SECONDS = 2.0
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
HOLD_KIND_SECONDS = 3.0
# What the template asks, as fractions of the demonstrated reach (the shipped templates: the
# threshold at 0.33-0.5 of the reach, the least movement at 0.15-0.3).
THRESHOLD_SHARE = 0.45
RELEASE_SHARE = 0.3
LEAST_SHARE = 0.25
SHALLOW_SHARE = 0.6  # a peak short of this share of the demonstrated reach is shallow
POSITION_STEADY = 50.0  # degrees: a posture signal steadier than this over the clip is part of the position
POSITION_TOLERANCE = 30.0  # degrees beyond what the demonstration showed (other views and people)
MIXED_POSTURE = 45.0  # degrees apart: reps that begin in two different positions are two exercises
OTHER_SIDE_SECONDS = 2.0  # a one-way key signal this long beyond its start, away from the target
# Body parts: the movement's confirming signal is looked for in another part than the key's.
PART = {"trunk_tilt": "trunk", "spine": "trunk", "head_height": "trunk", "hips_height": "trunk",
        "hip": "leg", "knee": "leg", "thigh": "leg", "shin": "leg", "fold": "leg", "hips_to_heels": "leg",
        "shoulder": "arm", "elbow": "arm", "arm": "arm", "hands_to_knees": "arm"}
CONFIRM_SHARE = 0.2  # of the confirming signal's demonstrated change: what must be seen in each rep
CONFIRMING = ("trunk_tilt", "spine")  # the signals a confirming rule may be on: the trunk's own
# How much each kind of signal is trusted to carry a movement to other views and people: the
# trunk, hips, knees and thighs best; hands, elbows and the head least (their landmarks jitter and
# swap most, docs/signals.md).
PRIOR = {"trunk_tilt": 1.0, "spine": 0.85, "hip": 1.0, "knee": 1.0, "thigh": 1.0, "fold": 1.0,
         "shoulder": 0.85, "arm": 0.85, "shin": 0.8, "hips_height": 0.8, "hips_to_heels": 0.8,
         "elbow": 0.5, "head_height": 0.5, "hands_to_knees": 0.5}
SETUP_TILT = 25.0  # degrees from the clip's usual back tilt: getting into position, not the exercise
SETUP_SHARE = 0.35  # at most this share of the clip is taken for getting into and out of position


class LearnError(ValueError):
    """The clip cannot teach an exercise; the message is one sentence saying why."""


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


@dataclass(frozen=True)
class Bound:
    """A condition to write: `signal` above or below `value`, released at `release`."""

    signal: Candidate
    direction: str
    value: float
    release: float


@dataclass(frozen=True)
class FormCheck:
    id: str
    phase: str
    bound: Bound
    at: str
    message: str
    note: str  # what it was set from, for the file's comments
    absolute: float | None = None  # an identity rule: a value that counts whatever the rest


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


@dataclass
class LearnedExercise:
    """What one demonstration taught: everything a clinician's page needs to show it (the key
    signal over time, each rep's frames, the start and target poses) and the template text."""

    name: str
    title: str
    source: str
    key: Candidate
    kind: str  # "one-way", "two-way" or "hold"
    rest: float
    targets: list[Target]
    reps: list[LearnedRep]
    jitter: float
    times: np.ndarray  # every analysed frame with the person seen
    key_values: np.ndarray  # the key signal at those frames (smoothed)
    poses: list[Pose]  # the smoothed pose at those frames
    start_frame: int
    hold_target: float | None
    alternation: str  # "alternates sides", "one side", "both sides together", ...
    position: list[Bound]
    position_words: str
    form: list[FormCheck]
    confirm: FormCheck | None  # the movement's second signal, as an identity rule (relative)
    ranking: list[tuple[Candidate, float]]  # the best candidates, best first
    view: str  # "side" or "any"
    confidence: float = 0.0
    findings: list[str] = field(default_factory=list)
    self_check: int | None = None  # reps the learned template counts in the demonstration itself
    toml: str = ""

    @property
    def holds(self) -> list[float]:
        return [rep.hold_seconds for rep in self.reps]

    @property
    def start_pose(self) -> Pose:
        return self.poses[self.start_frame]

    @property
    def target_poses(self) -> dict[str, Pose]:
        return {target.name: self.poses[target.frame] for target in self.targets}

    @property
    def confidence_words(self) -> str:
        return "high" if self.confidence >= 0.75 else "medium" if self.confidence >= 0.5 else "low"

    def template(self) -> Template:
        return parse_template(tomllib.loads(self.toml), source=f"{self.name}.toml")


# ----- reading one signal -----------------------------------------------------------------------

def running_median(values: np.ndarray, width: int) -> np.ndarray:
    if width <= 1 or len(values) < 3:
        return values.copy()
    width = min(width | 1, (len(values) - 1) | 1)
    padded = np.pad(values, width // 2, mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, width), axis=1)


def frames_in(seconds: float, times: np.ndarray) -> int:
    step = float(np.median(np.diff(times))) if len(times) > 1 else 1 / 15
    return max(1, int(round(seconds / max(step, 1e-3))))


def filled(values: np.ndarray) -> np.ndarray | None:
    """NaNs filled from their neighbours; None when most of the signal was not read."""
    finite = np.isfinite(values)
    if finite.sum() < max(5, 0.7 * len(values)):
        return None
    index = np.arange(len(values))
    return np.interp(index, index[finite], values[finite])


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


# ----- the whole clip -----------------------------------------------------------------------------

def learn(detections: list[Detection], name: str, title: str | None = None, source: str = "") -> LearnedExercise:
    """What the demonstration in `detections` teaches, with its template text. Raises LearnError
    (one sentence) when it cannot teach an exercise."""
    from posecheck.core.learn_template import template_text

    track = read_track(list(detections))
    seen = track.seen
    if len(track.times) == 0 or not seen.any():
        raise LearnError("Nobody was found in this clip, so there is nothing to learn from.")
    seen_seconds = float(np.ptp(track.times[seen])) if seen.sum() > 1 else 0.0
    if seen.mean() < MIN_SEEN_SHARE or seen_seconds < MIN_SEEN_SECONDS:
        raise LearnError(f"The person is in view in only {seen.mean():.0%} of this clip: film the whole exercise "
                         "with the whole body in the frame.")
    seen = seen & exercising(track, seen)
    times = track.times[seen]
    poses = [pose for pose, keep in zip(track.poses, seen) if keep]
    shapes = {}
    for candidate in candidates():
        asymmetry = None
        if candidate.pick:
            pair = track.sides[f"{candidate.base}@{candidate.space}"][seen]
            asymmetry = np.abs(pair[:, 0] - pair[:, 1])
        shape = shape_of(candidate, track.values[candidate][seen], times, asymmetry)
        if shape is not None:
            shapes[candidate] = shape
    for candidate, shape in shapes.items():
        other = Candidate(candidate.base, "image" if candidate.space == "world" else "world", candidate.pick)
        partner = shapes[other].values if other in shapes else filled(track.values[other][seen])
        shape.score = score(shape, partner)
    if not shapes:
        raise LearnError("Nothing in this clip moves clearly more than the landmarks jitter, so it shows no "
                         "repetition or hold to learn from.")
    ranking = sorted(shapes.items(), key=lambda item: -item[1].score)
    key = ranking[0][1]
    check_repetition(key)
    check_one_exercise(key, shapes, track, seen)
    learned = describe(key, ranking, track, seen, times, poses, name, title, source)
    learned.toml = template_text(learned)
    learned.self_check = counted_by(learned.template(), detections)
    learned.confidence = confidence(learned, key, ranking)
    learned.toml = template_text(learned)
    return learned


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


def check_repetition(key: Shape) -> None:
    """Two or more reps, or one held position, or a two-way cycle shown once."""
    if key.kind == "two-way":
        phases = {rep.phase for rep in key.reps}
        if len(phases) < 2:
            raise LearnError("The clip reaches only one of the two positions, so it shows no whole repetition.")
        return
    if len(key.reps) == 1 and key.reps[0].hold_seconds < 1.5:
        raise LearnError("The clip shows the movement only once and does not hold it: film two or more "
                         "repetitions, or one held position.")


def check_one_exercise(key: Shape, shapes: dict[Candidate, Shape], track: Track, seen: np.ndarray) -> None:
    """Two exercises mixed in one clip: the body rests in clearly different positions between
    repetitions, or something else moves as much while the key signal rests."""
    clock = track.times[seen]
    for candidate in (Candidate("trunk_tilt", "image"), Candidate("thigh", "image", "smaller"),
                      Candidate("thigh", "image", "larger")):
        series = filled(track.values[candidate][seen])
        if series is None:
            continue
        # where the body was as each rep began (its start position), over the 0.5 s before
        starts = [float(np.median(series[(clock >= clock[rep.start] - 0.5) & (clock <= clock[rep.start])]))
                  for rep in key.reps]
        if len(starts) >= 2 and np.ptp(starts) > MIXED_POSTURE:
            raise LearnError(f"This clip seems to mix two exercises: the {candidate.label} as the repetitions "
                             f"begin changes from {min(starts):.0f} to {max(starts):.0f} degrees, so film one "
                             "exercise only.")
    if key.kind != "two-way":
        beyond = -key.targets[0].way * (key.values - key.rest) > 0.5 * key.targets[0].reach
        long = [r for r in runs(beyond) if track.times[seen][r[1]] - track.times[seen][r[0]] >= OTHER_SIDE_SECONDS]
        if long:
            a, b = long[0]
            raise LearnError(f"This clip seems to mix two exercises: from {track.times[seen][a]:.1f} to "
                             f"{track.times[seen][b]:.1f} s the {key.candidate.label} is far on the other side of "
                             "the start position, so film one exercise only.")
    if len(key.reps) < 2:
        return
    first, last = key.reps[0].start, key.reps[-1].end
    moving = np.zeros(len(key.values), bool)
    for rep in key.reps:
        moving[rep.start:rep.end + 1] = True
    resting = ~moving
    resting[:first] = resting[last + 1:] = False
    for candidate, shape in shapes.items():
        if candidate.base == key.candidate.base or shape.span < 2 * MIN_SPAN[candidate.angular]:
            continue
        if abs(correlation(shape.values, key.values)) > 0.5 or shape.score < 0.5 * key.score:
            continue
        if len(movements_while(resting, shape, clock)) >= 2:
            raise LearnError(f"This clip seems to mix two exercises: the {candidate.label} moves as much as the "
                             f"{key.candidate.label} while it rests, so film one exercise only.")


def movements_while(resting: np.ndarray, shape: Shape, clock: np.ndarray) -> list[tuple[int, int]]:
    """Moves of `shape`'s signal out and back within the moments `resting`: each goes 60 % of its
    span from where it was in the 2 s before, for 0.5 s or more, and comes back (a camera cut
    shifts a signal and leaves it there; that is no movement)."""
    found = []
    for first, last in runs(resting):
        values = shape.values[first:last + 1]
        times = clock[first:last + 1]
        i = 0
        while i < len(values):
            before = values[(times >= times[i] - 2.0) & (times < times[i])]
            if len(before) < 3:
                i += 1
                continue
            base = float(np.median(before))
            if abs(values[i] - base) <= 0.6 * shape.span:
                i += 1
                continue
            j = i
            while j < len(values) and abs(values[j] - base) > 0.3 * shape.span:
                j += 1
            if j < len(values) and times[j - 1] - times[i] >= 0.5:
                found.append((first + i, first + j))
            i = j + 1
    return found


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson's correlation, 0 where either is constant."""
    if np.std(a) == 0 or np.std(b) == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    found, start = [], None
    for i, value in enumerate(mask):
        if value and start is None:
            start = i
        elif not value and start is not None:
            found.append((start, i - 1))
            start = None
    if start is not None:
        found.append((start, len(mask) - 1))
    return found


def describe(key: Shape, ranking, track: Track, seen, times, poses, name, title, source) -> LearnedExercise:
    reps = [replace_side(rep, key, track, seen) for rep in key.reps]
    kind = key.kind
    holds = [rep.hold_seconds for rep in reps]
    typical_hold = float(np.median(holds))
    if kind == "one-way" and (typical_hold >= HOLD_KIND_SECONDS or len(reps) == 1):
        kind = "hold"
    hold_target = float(max(1, math.floor(typical_hold))) if typical_hold >= 1.0 else None
    start_frame = min(range(len(times)), key=lambda i: abs(key.values[i] - key.rest) + (1e9 if i > reps[0].start else 0))
    position, words = position_of(track, seen, key)
    learned = LearnedExercise(
        name=name, title=title or name.replace("-", " ").capitalize(), source=source, key=key.candidate,
        kind=kind, rest=key.rest, targets=key.targets, reps=reps, jitter=key.jitter, times=times,
        key_values=key.values, poses=poses, start_frame=start_frame, hold_target=hold_target,
        alternation=alternation(reps, key), position=position, position_words=words,
        form=form_checks(key, ranking, track, seen), confirm=confirmation(key, ranking),
        ranking=[(s.candidate, s.score) for _, s in ranking[:5]],
        view=view_of(poses))
    learned.findings = findings(learned, key)
    return learned


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


def position_of(track: Track, seen, key: Shape) -> tuple[list[Bound], str]:
    """The start position: the back's tilt and each thigh's elevation, where steady over the clip,
    within a tolerance for other views and people."""
    bounds = []
    trunk = None
    for candidate in (Candidate("trunk_tilt", "image"), Candidate("thigh", "image", "smaller"),
                      Candidate("thigh", "image", "larger")):
        if candidate.base == key.candidate.base and candidate.pick == key.candidate.pick:
            continue
        series = filled(track.values[candidate][seen])
        if series is None:
            continue
        low, high = np.percentile(series, [2, 98])
        if candidate.base == "trunk_tilt":
            trunk = float(np.median(series))
        if high - low > POSITION_STEADY:
            continue
        if low - POSITION_TOLERANCE > -90:
            value = round(float(low) - POSITION_TOLERANCE)
            bounds.append(Bound(candidate, "above", value, value - 5))
        if high + POSITION_TOLERANCE < 90:
            value = round(float(high) + POSITION_TOLERANCE)
            bounds.append(Bound(candidate, "below", value, value + 5))
    if not bounds:  # the position needs a condition: the back not upside down
        bounds.append(Bound(Candidate("trunk_tilt", "image"), "above", -85, -88))
    words = "in the starting position shown in the demonstration"
    if trunk is not None:
        words = ("lying or on hands and knees" if abs(trunk) < 35 else
                 "upright" if trunk >= 55 else "leaning")
    return bounds, words


def form_checks(key: Shape, ranking, track: Track, seen) -> list[FormCheck]:
    """A shallow peak on the key signal, and the signal that moves most with it staying short."""
    checks = []
    for target in key.targets:
        short = key.rest + target.way * SHALLOW_SHARE * target.reach
        direction = "below" if target.way > 0 else "above"
        checks.append(FormCheck(
            f"shallow_{target.name}", target.name, Bound(key.candidate, direction, short, short), "peak",
            f"You reach about {{percent}} % of the movement shown in the demonstration: go a little further "
            "if it is comfortable.",
            f"a peak short of {SHALLOW_SHARE:.0%} of the demonstrated reach ({target.reach:.3g})"))
    if key.kind == "two-way":
        return checks
    target = key.targets[0]
    best = None
    for candidate, shape in ranking[1:]:
        if candidate.base == key.candidate.base or candidate.base in ("fold",) or shape.kind != "one-way":
            continue
        if abs(correlation(shape.values, key.values)) < 0.7:
            continue
        at_peaks = np.array([shape.values[rep.peak] for rep in key.reps])
        at_rest = float(np.median(shape.values[np.abs(key.values - key.rest) <= 0.15 * target.reach]))
        change = float(np.median(at_peaks)) - at_rest
        if abs(change) < 2 * MIN_SPAN[candidate.angular]:
            continue
        best = (candidate, shape, at_peaks, change)
        break
    if best is not None:
        candidate, shape, at_peaks, change = best
        way = 1.0 if change > 0 else -1.0
        spread = float(np.std(at_peaks)) if len(at_peaks) > 1 else 0.0
        tolerance = max(0.4 * abs(change), 3 * spread, 3 * shape.jitter)
        value = float(np.median(at_peaks)) - way * tolerance
        direction = "below" if way > 0 else "above"
        release = value + way * 0.1 * abs(change)
        checks.append(FormCheck(
            f"{candidate.name}_short", target.name, Bound(candidate, direction, value, release), "during",
            f"Move your {candidate.label.split(' (')[0]} as far as in the demonstration.",
            f"{candidate.describe()} reached {np.median(at_peaks):.3g} in the demonstration's reps (spread "
            f"{spread:.2g}), {abs(change):.3g} from the start; the rule allows {tolerance:.3g} less"))
    return checks


def co_moving(key: Shape, ranking) -> list[tuple[Candidate, Shape, np.ndarray, float]]:
    """The other signals that move with the key one in every rep, best first: (candidate, shape,
    its values at each rep's furthest point, its change from the start position)."""
    found = []
    if key.kind == "two-way":
        return found
    target = key.targets[0]
    at_rest = np.abs(key.values - key.rest) <= 0.15 * target.reach
    for candidate, shape in ranking:
        if candidate.base == key.candidate.base or not at_rest.any():
            continue
        if abs(correlation(shape.values, key.values)) < 0.6:
            continue
        at_peaks = np.array([shape.values[rep.peak] for rep in key.reps])
        change = float(np.median(at_peaks)) - float(np.median(shape.values[at_rest]))
        if abs(change) < 2 * MIN_SPAN[candidate.angular]:
            continue
        each = at_peaks - float(np.median(shape.values[at_rest]))
        if np.any(np.sign(change) * each < 0.5 * abs(change)):  # it moved in every rep, not in most
            continue
        found.append((candidate, shape, at_peaks, change))
    return found


def confirmation(key: Shape, ranking) -> FormCheck | None:
    """What else the demonstration moved in every rep, in another part of the body if any (a
    bird-dog's arm with its leg; a bridge's back tilting with its hips): an identity rule on its
    change from rest, at CONFIRM_SHARE of what the demonstration showed."""
    # Only the trunk's own signals: a limb is hidden behind the body in many side views (a
    # bird-dog's far arm or reaching leg), and a rule on a limb (or on the middle of two, as the
    # hips' height over the feet) then reads the other, resting one and refuses the rep.
    moving = [m for m in co_moving(key, ranking) if m[0].base in CONFIRMING]
    other_part = [m for m in moving if PART[m[0].base] != PART[key.candidate.base]]
    pick = (other_part or moving or [None])[0]
    if pick is None:
        return None
    candidate, shape, at_peaks, change = pick
    value = CONFIRM_SHARE * change
    direction = "above" if change > 0 else "below"
    # Someone already in the position when first seen (a clip that starts mid-hold) shows no rest
    # to move from: half the way from the demonstration's start to its held level still counts.
    halfway = float(np.median(at_peaks) - change / 2)
    return FormCheck(
        f"{candidate.name}_moves", key.targets[0].name, Bound(candidate, direction, value, value), "identity",
        f"That does not look like the demonstration: move your {candidate.label} too, as it did there.",
        f"{candidate.describe()} changed by {change:.3g} from the start in every rep (at most "
        f"{np.max(np.abs(at_peaks - (np.median(at_peaks) - change))):.3g}); the rule asks for {abs(value):.3g}, "
        f"or {halfway:.3g} whatever the start", absolute=round(halfway, 2))


def view_of(poses: list[Pose]) -> str:
    """`side` when the demonstration was filmed side-on (the hip line mostly along the camera's
    line of sight on the 3-D points), else `any`."""
    from posecheck.core.keypoints import INDEX

    across = []
    for pose in poses:
        if pose.world is None:
            continue
        line = pose.world[INDEX["left_hip"]] - pose.world[INDEX["right_hip"]]
        if np.linalg.norm(line[[0, 2]]) > 1e-6:
            across.append(abs(line[2]) / np.linalg.norm(line[[0, 2]]))
    return "side" if across and float(np.median(across)) >= 0.6 else "any"


def counted_by(template: Template, detections: list[Detection]) -> int:
    engine = Engine(template)
    for detection in detections:
        engine.update(detection)
    engine.finish()
    return len(engine.reps)


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


def confidence(learned: LearnedExercise, key: Shape, ranking) -> float:
    clean = min(key.span / key.jitter / 20.0, 1.0)
    reps = 1.0 if expected_count(learned) >= 2 else 0.75
    runner_up = next((s.score for c, s in ranking[1:] if c.base != key.candidate.base), 0.0)
    margin = 1.0 if runner_up < 0.8 * key.score else 0.9
    checked = 1.0 if learned.self_check == expected_count(learned) else 0.6
    return round(clean * reps * key.consistency * margin * checked, 2)


def findings(learned: LearnedExercise, key: Shape) -> list[str]:
    unit = "degrees" if learned.key.angular else "torso lengths"
    kinds = {"one-way": "a one-way movement (out from the start position and back)",
             "two-way": "a two-way cycle (out to one side of the start position, then to the other)",
             "hold": "a held position (out from the start position, held, and back)"}
    lines = [f"Key signal: {learned.key.describe()}; it moves {key.span:.3g} {unit} against a jitter of "
             f"{key.jitter:.2g}.",
             f"Kind: {kinds[learned.kind]}; sides: {learned.alternation}.",
             f"Start position: {learned.key.name} at {learned.rest:.3g}; "
             + "; ".join(f"{t.name} at {t.level:.3g} ({t.reach:.3g} from the start)" for t in learned.targets) + "."]
    spans = ", ".join(f"{rep.start_time:.1f}-{rep.end_time:.1f} s" + ("" if rep.returned else " (clip ends in it)")
                      for rep in learned.reps)
    lines.append(f"Reps found: {expected_count(learned)} ({len(learned.reps)} visits: {spans}).")
    if learned.holds:
        lines.append("Held: " + ", ".join(f"{h:.1f} s" for h in learned.holds) + "; hold target "
                     + (f"{learned.hold_target:g} s." if learned.hold_target else "none (held under 1 s)."))
    others = [f"{c.name} {s:.2f}" for c, s in learned.ranking[1:4]]
    lines.append(f"Other candidates (score against {learned.ranking[0][1]:.2f}): {', '.join(others)}.")
    return lines
