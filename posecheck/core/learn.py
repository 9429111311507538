"""Teach posecheck a new exercise from one demonstration: a clip of someone doing it correctly
(two or more reps, or one hold) in, an ordinary template out (issue 26).

From the followed person's landmarks (core/learn_signals.py reads every candidate signal of the
shipped templates' vocabulary, on the picture and on the 3-D points), it finds:
- the key signal: the candidate with the largest, cleanest, most repeatable excursion against its
  own frame-to-frame jitter (`score`), its image and 3-D readings agreeing; a large joint (hip,
  thigh, fold, back tilt) moving with it and scoring nearly as well, or making reps within its
  one hold, is preferred (`learn_shape.ranked`);
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

import tomllib
from dataclasses import dataclass, field

import numpy as np

from posecheck.core.engine import Engine
from posecheck.core.keypoints import Detection, Pose
from posecheck.core.learn_movement import (alternation, exercising, expected_count, hold_target_of, kind_of,
                                           replace_side, start_frame_of)
from posecheck.core.learn_refusals import (LearnError, check_one_exercise, check_repetition, check_seen,
                                           check_something_moves)
from posecheck.core.learn_rules import Bound, FormCheck, confirmation, form_checks, position_of, view_of
from posecheck.core.learn_series import filled
from posecheck.core.learn_shape import LearnedRep, Shape, Target, ranked, score, shape_of
from posecheck.core.learn_signals import Candidate, Track, candidates, read_track
from posecheck.core.template import Template
from posecheck.core.template_parser import parse_template

__all__ = ["LearnError", "LearnedExercise", "LearnedRep", "Target", "Bound", "FormCheck", "counted_by",
           "expected_count", "learn"]


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



def learn(detections: list[Detection], name: str, title: str | None = None, source: str = "") -> LearnedExercise:
    """What the demonstration in `detections` teaches, with its template text. Raises LearnError
    (one sentence) when it cannot teach an exercise."""
    from posecheck.core.learn_template import template_text

    track = read_track(list(detections))
    check_seen(track)
    seen = track.seen & exercising(track, track.seen)
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
    check_something_moves(shapes)
    ranking = ranked(shapes)
    key = ranking[0][1]
    check_repetition(key)
    check_one_exercise(key, shapes, track, seen)
    learned = describe(key, ranking, track, seen, times, poses, name, title, source)
    learned.toml = template_text(learned)
    learned.self_check = counted_by(learned.template(), detections)
    learned.confidence = confidence(learned, key, ranking)
    learned.toml = template_text(learned)
    return learned


def describe(key: Shape, ranking, track: Track, seen, times, poses, name, title, source) -> LearnedExercise:
    reps = [replace_side(rep, key, track, seen) for rep in key.reps]
    position, words = position_of(track, seen, key)
    learned = LearnedExercise(
        name=name, title=title or name.replace("-", " ").capitalize(), source=source, key=key.candidate,
        kind=kind_of(key, reps), rest=key.rest, targets=key.targets, reps=reps, jitter=key.jitter, times=times,
        key_values=key.values, poses=poses, start_frame=start_frame_of(key, reps, times),
        hold_target=hold_target_of(reps), alternation=alternation(reps, key), position=position,
        position_words=words, form=form_checks(key, ranking, track, seen), confirm=confirmation(key, ranking),
        ranking=[(s.candidate, s.score) for _, s in ranking[:5]],
        view=view_of(poses))
    learned.findings = findings(learned, key)
    return learned


def counted_by(template: Template, detections: list[Detection]) -> int:
    engine = Engine(template)
    for detection in detections:
        engine.update(detection)
    engine.finish()
    return len(engine.reps)


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
