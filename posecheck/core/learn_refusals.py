"""When a demonstration cannot teach an exercise (core/learn.py): nobody in view long enough,
nothing moving, no whole repetition or hold, two exercises mixed in one clip. Each raises
LearnError, one sentence."""

from __future__ import annotations

import numpy as np

from posecheck.core.learn_series import correlation, filled, runs
from posecheck.core.learn_shape import MIN_SPAN, Shape
from posecheck.core.learn_signals import Candidate, Track

MIN_SEEN_SHARE = 0.5  # of the frames: the person must be in view most of the clip
MIN_SEEN_SECONDS = 2.0
MIXED_POSTURE = 45.0  # degrees apart: reps that begin in two different positions are two exercises
OTHER_SIDE_SECONDS = 2.0  # a one-way key signal this long beyond its start, away from the target


class LearnError(ValueError):
    """The clip cannot teach an exercise; the message is one sentence saying why."""



def check_seen(track: Track) -> None:
    """Someone in view for most of the clip, and for long enough."""
    seen = track.seen
    if len(track.times) == 0 or not seen.any():
        raise LearnError("Nobody was found in this clip, so there is nothing to learn from.")
    seen_seconds = float(np.ptp(track.times[seen])) if seen.sum() > 1 else 0.0
    if seen.mean() < MIN_SEEN_SHARE or seen_seconds < MIN_SEEN_SECONDS:
        raise LearnError(f"The person is in view in only {seen.mean():.0%} of this clip: film the whole exercise "
                         "with the whole body in the frame.")


def check_something_moves(shapes: dict) -> None:
    if not shapes:
        raise LearnError("Nothing in this clip moves clearly more than the landmarks jitter, so it shows no "
                         "repetition or hold to learn from.")


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
