"""The signals a demonstration is searched for movement in, and how they are read from a clip.

The vocabulary is the shipped templates' own (exercises/*.toml): the back's tilt and curve, the
hip, knee, shoulder and elbow angles, the limbs' elevations, heights and distances in torso
lengths, and the fold (hip plus knee angle). Each is measured on the picture's points and on
MediaPipe's 3-D points. A signal measured per side is learned as the side that moves: the larger
of the two sides' values for a movement that opens it, the smaller for one that closes it
(`larger_side` / `smaller_side` in a template), so a movement done one side at a time, or a
side MediaPipe swaps, reads the same.

Pure: a sequence of detections in, arrays out (core/learn.py decides what they mean).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from posecheck.core.keypoints import Detection, Pose
from posecheck.core.main_person import MainPerson
from posecheck.core.signals import measure_all
from posecheck.core.smoothing import PoseSmoother
from posecheck.core.template import SIDES, Signal

# name, kind, points, label: the shipped templates' signals. A height is how far the second point
# lies below the first: the hips above the feet, the head above the shoulders read positive.
VOCABULARY: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("trunk_tilt", "elevation", ("mid_hip", "mid_shoulder"), "back tilt"),
    ("spine", "bend", ("mid_hip", "mid_shoulder", "mid_ear"), "back and neck curve"),
    ("hip", "angle", ("mid_shoulder", "{side}_hip", "{side}_knee"), "hip angle"),
    ("knee", "angle", ("{side}_hip", "{side}_knee", "{side}_ankle"), "knee angle"),
    ("shoulder", "angle", ("mid_hip", "{side}_shoulder", "{side}_elbow"), "arm angle at the shoulder"),
    ("elbow", "angle", ("{side}_shoulder", "{side}_elbow", "{side}_wrist"), "elbow angle"),
    ("thigh", "elevation", ("{side}_hip", "{side}_knee"), "thigh height"),
    ("shin", "elevation", ("{side}_knee", "{side}_ankle"), "shin height"),
    ("arm", "elevation", ("{side}_shoulder", "{side}_elbow"), "arm height"),
    ("hips_height", "height", ("mid_hip", "mid_ankle"), "hips above the feet"),
    ("head_height", "height", ("mid_ear", "mid_shoulder"), "head above the shoulders"),
    ("hands_to_knees", "distance", ("mid_wrist", "mid_knee"), "hands to knees"),
    ("hips_to_heels", "distance", ("mid_hip", "mid_ankle"), "hips to heels"),
    ("hip_mid", "angle", ("mid_shoulder", "mid_hip", "mid_knee"), "hip angle"),
    ("knee_mid", "angle", ("mid_hip", "mid_knee", "mid_ankle"), "knee angle"),
)
# The fold: hip angle plus knee angle (a child's pose folds both).
SUMS: tuple[tuple[str, tuple[str, str], str], ...] = (("fold", ("hip_mid", "knee_mid"), "fold at hips and knees"),)
# Only the sums' parts, never candidates on their own (the per-side hip and knee are).
PARTS_ONLY = {"hip_mid", "knee_mid"}
SPACES = ("image", "world")
ANGULAR = ("angle", "bend", "elevation")


@dataclass(frozen=True)
class Candidate:
    """One way of reading a signal: a vocabulary entry, in one space, on one side's pick."""

    base: str  # the vocabulary name
    space: str  # "image" or "world"
    pick: str = ""  # "", or "larger" / "smaller" for a signal measured per side

    @property
    def name(self) -> str:
        """The signal's name in a learned template (`hip_larger_3d`: the larger side's hip angle on
        the 3-D points)."""
        return self.base + (f"_{self.pick}" if self.pick else "") + ("_3d" if self.space == "world" else "")

    @property
    def each(self) -> str:
        """The name of the per-side signal a picked one is taken from (`hip_each_3d`)."""
        return self.base + "_each" + ("_3d" if self.space == "world" else "")

    @property
    def kind(self) -> str:
        if self.base in SUM_PARTS:
            return "sum"
        return ENTRIES[self.base][0]

    @property
    def per_side(self) -> bool:
        return bool(self.pick)

    @property
    def label(self) -> str:
        if self.base in SUM_PARTS:
            return SUM_LABELS[self.base]
        return ENTRIES[self.base][2]

    @property
    def angular(self) -> bool:
        """In degrees (else in torso lengths)."""
        return self.kind == "sum" or self.kind in ANGULAR

    @property
    def unit(self) -> str:
        return "degrees" if self.angular else "torso lengths"

    def describe(self) -> str:
        where = "on the 3-D points" if self.space == "world" else "on the picture"
        side = {"larger": ", the side where it is larger", "smaller": ", the side where it is smaller"}.get(self.pick, "")
        return f"{self.label} ({self.name}{side}, {where})"


ENTRIES = {name: (kind, points, label) for name, kind, points, label in VOCABULARY}
SUM_PARTS = {name: parts for name, parts, _ in SUMS}
SUM_LABELS = {name: label for name, _, label in SUMS}


def measured_signals() -> dict[str, Signal]:
    """Every vocabulary entry in both spaces, as template signals (keyed name + space)."""
    signals = {}
    for name, kind, points, label in VOCABULARY:
        for space in SPACES:
            key = f"{name}@{space}"
            signals[key] = Signal(key, kind, points, label, any("{" in p for p in points), space=space)
    return signals


def candidates() -> list[Candidate]:
    found = []
    for name, _kind, points, _label in VOCABULARY:
        if name in PARTS_ONLY:
            continue
        per_side = any("{" in p for p in points)
        for space in SPACES:
            picks = ("larger", "smaller") if per_side else ("",)
            found += [Candidate(name, space, pick) for pick in picks]
    for name, _parts, _label in SUMS:
        found += [Candidate(name, space) for space in SPACES]
    return found


@dataclass
class Track:
    """The followed person over a clip: frame times, the smoothed pose of each frame (None where
    nobody was seen) and every candidate's value per frame (NaN where it could not be read)."""

    times: np.ndarray
    poses: list[Pose | None]
    values: dict[Candidate, np.ndarray]
    sides: dict[str, np.ndarray]  # "<base>@<space>" -> (frames, 2): left and right, for per-side signals

    @property
    def seen(self) -> np.ndarray:
        return np.array([p is not None for p in self.poses])


def read_track(detections: list[Detection]) -> Track:
    """Follow the main person as the engine does (core/main_person.py), smooth their landmarks
    (the engine's One Euro filter, on the 3-D points too) and measure every candidate."""
    people, smoother = MainPerson(), PoseSmoother(world=True)
    signals = measured_signals()
    times, poses, rows = [], [], []
    last = -math.inf
    for detection in detections:
        t = detection.timestamp
        if not (math.isfinite(t) and t > last):
            continue
        last = t
        main = people.choose(detection.poses, t).main
        pose = smoother(main, t) if main is not None else None
        times.append(t)
        poses.append(pose)
        rows.append(measure_all(signals, pose) if pose is not None else {})
    n = len(times)
    sides: dict[str, np.ndarray] = {}
    plain: dict[str, np.ndarray] = {}
    for key, signal in signals.items():
        if signal.per_side:
            sides[key] = np.array([[row.get((key, s), math.nan) for s in SIDES] for row in rows]).reshape(n, 2)
        else:
            plain[key] = np.array([row.get((key, None), math.nan) for row in rows], dtype=float)
    values: dict[Candidate, np.ndarray] = {}
    for candidate in candidates():
        key = f"{candidate.base}@{candidate.space}"
        if candidate.base in SUM_PARTS:
            first, second = (plain[f"{part}@{candidate.space}"] for part in SUM_PARTS[candidate.base])
            values[candidate] = first + second
        elif candidate.pick:
            pair = sides[key]
            with np.errstate(all="ignore"):
                pick = np.nanmax if candidate.pick == "larger" else np.nanmin
                both = np.isfinite(pair).any(axis=1)
                out = np.full(n, math.nan)
                if both.any():
                    out[both] = pick(pair[both], axis=1)
            values[candidate] = out
        else:
            values[candidate] = plain[key]
    return Track(np.array(times, dtype=float), poses, values, sides)
