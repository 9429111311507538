"""The rules a learned template writes besides counting (core/learn.py): the start position (the
back's tilt and the thighs' elevation), form rules (a shallow peak, a co-moving signal falling
short), the confirming identity rule (what else moved in every rep), and the view it was filmed
from; with the shares of the demonstrated reach the template's thresholds are set at."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posecheck.core.keypoints import Pose
from posecheck.core.learn_series import correlation, filled
from posecheck.core.learn_shape import MIN_SPAN, Shape
from posecheck.core.learn_signals import Candidate, Track

# What the template asks, as fractions of the demonstrated reach (the shipped templates: the
# threshold at 0.33-0.5 of the reach, the least movement at 0.15-0.3).
THRESHOLD_SHARE = 0.45
RELEASE_SHARE = 0.3
LEAST_SHARE = 0.25
SHALLOW_SHARE = 0.6  # a peak short of this share of the demonstrated reach is shallow
POSITION_STEADY = 50.0  # degrees: a posture signal steadier than this over the clip is part of the position
POSITION_TOLERANCE = 30.0  # degrees beyond what the demonstration showed (other views and people)
# Body parts: the movement's confirming signal is looked for in another part than the key's.
PART = {"trunk_tilt": "trunk", "spine": "trunk", "head_height": "trunk", "hips_height": "trunk",
        "hip": "leg", "knee": "leg", "thigh": "leg", "shin": "leg", "fold": "leg", "hips_to_heels": "leg",
        "shoulder": "arm", "elbow": "arm", "arm": "arm", "hands_to_knees": "arm"}
CONFIRM_SHARE = 0.2  # of the confirming signal's demonstrated change: what must be seen in each rep
CONFIRMING = ("trunk_tilt", "spine")  # the signals a confirming rule may be on: the trunk's own


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
