"""Compare analysis results with hand-counted ground truth in the corpus `labels.toml` format."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HOLD_TOLERANCE_S = 1.0  # a timed hold passes within this of the labelled one


@dataclass(frozen=True)
class Case:
    """One clip analysed with one exercise template, and what a correct counter reports."""

    file: Path
    exercise: str
    reps: int
    accept: tuple[int, int]
    holds: tuple[tuple[float, float], ...] = ()
    sides: tuple[str, ...] = ()
    hard: bool = False
    negative: bool = False  # analysed with another exercise's template: must count `reps` (0)
    hold_only: bool = False  # labelled with holds alone: each hold is one rep
    synthetic: bool = False  # rendered: its holds are reported, not judged

    @property
    def name(self) -> str:
        return self.file.name + (f" as {self.exercise}" if self.negative else "")


@dataclass
class Outcome:
    case: Case
    found: int | None = None
    holds: list[float] = field(default_factory=list)
    sides: list[str] = field(default_factory=list)
    out_of_frame: bool = False
    error: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.count_passed and self.holds_passed

    @property
    def count_passed(self) -> bool:
        if self.found is None:
            return False
        low, high = self.case.accept
        if low <= self.found <= high:
            return True
        # A clip marked hard may instead report that a limb is out of frame, within the maximum.
        return self.case.hard and self.out_of_frame and self.found <= high

    @property
    def holds_passed(self) -> bool:
        """Every labelled hold was timed, each within HOLD_TOLERANCE_S of its label, on real
        clips (a rendered hold's label is a convention calibrated on real labels, not what a
        person watching the clip said: reported, not judged). A labelled hold never timed fails."""
        if self.case.synthetic:
            return True
        labelled = [end - start for start, end in self.case.holds]
        return (len(self.holds) >= len(labelled)
                and all(abs(a - b) <= HOLD_TOLERANCE_S for a, b in zip(labelled, self.holds)))

    @property
    def hold_error(self) -> float | None:
        """Mean absolute difference between labelled and found hold lengths, matched in order."""
        pairs = list(zip((end - start for start, end in self.case.holds), self.holds))
        if not pairs:
            return None
        return sum(abs(a - b) for a, b in pairs) / len(pairs)


def outcome_of(case: Case, result, seconds: float = 0.0) -> Outcome:
    """What an analysis result found for a labelled case."""
    return Outcome(case, found=len(result.reps), holds=[e.seconds for e in result.holds],
                   sides=[r.side for r in result.reps],
                   out_of_frame=any(e.code == "out_of_frame" for e in result.guidance), seconds=seconds)


def load_cases(labels_path: str | Path, known_exercises: set[str]) -> list[Case]:
    """Every countable clip (with `reps`, or only `holds`: one rep each) for a known exercise,
    and every negative (`as`)."""
    labels_path = Path(labels_path)
    data = tomllib.loads(labels_path.read_text(encoding="utf-8"))
    cases = []
    for clip in data.get("clip", []):
        file = (labels_path.parent / clip["file"]).resolve()
        if clip.get("exercise") in known_exercises and "reps" in clip:
            accept = clip.get("accept", [clip["reps"], clip["reps"]])
            cases.append(Case(file, clip["exercise"], clip["reps"], (accept[0], accept[1]),
                              tuple(tuple(h) for h in clip.get("holds", [])),
                              tuple(clip.get("sides", [])), bool(clip.get("hard", False)),
                              synthetic=bool(clip.get("synthetic", False))))
        elif clip.get("exercise") in known_exercises and clip.get("holds"):
            holds = tuple(tuple(h) for h in clip["holds"])
            cases.append(Case(file, clip["exercise"], len(holds), (len(holds), len(holds)), holds, hold_only=True,
                              synthetic=bool(clip.get("synthetic", False))))
        for exercise, count in clip.get("as", {}).items():
            if exercise in known_exercises:
                cases.append(Case(file, exercise, count, (count, count), negative=True))
    return cases


def totals(outcomes: list[Outcome]) -> dict:
    counted = [o for o in outcomes if o.found is not None]
    positives = [o for o in counted if o.case.reps > 0]
    hold_errors = [o.hold_error for o in counted if o.hold_error is not None]
    return {
        "cases": len(outcomes),
        "passed": sum(o.passed for o in outcomes),
        "errors": sum(o.found is None for o in outcomes),
        "exact_rate": _ratio(sum(o.found == o.case.reps for o in counted), len(counted)),
        "off_by_one_rate": _ratio(sum(abs(o.found - o.case.reps) == 1 for o in counted), len(counted)),
        "relative_mae": _ratio(sum(abs(o.found - o.case.reps) / o.case.reps for o in positives),
                               len(positives)),
        "false_reps_on_negatives": sum(o.found for o in counted if o.case.reps == 0),
        "hold_mae_s": round(sum(hold_errors) / len(hold_errors), 2) if hold_errors else None,
    }


def _ratio(numerator: float, denominator: int) -> float | None:
    return round(numerator / denominator, 3) if denominator else None
