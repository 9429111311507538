"""What the engine reports: reps, form faults, holds and guidance. Plain data, easy to store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


RANGE_NOT_MEASURED = "range not measured"  # how a rep note withholding its range begins


def range_note_reason(note: str) -> str | None:
    """Why a rep's range was withheld, from its note ("range not measured: why"); None for
    another note."""
    prefix = f"{RANGE_NOT_MEASURED}: "
    return note[len(prefix):] if note.startswith(prefix) else None


@dataclass
class Rep:
    """One repetition. Counted (and reported) the moment its target position is reached; the end,
    hold and range of motion are filled in when the position is left."""

    number: int
    side: str  # "left", "right", "both" or "" when the exercise has no sides
    start: float  # when the movement into the rep began (s)
    counted_at: float
    end: float | None = None
    range_of_motion: float | None = None  # the key signal's span in the rep (degrees or torso lengths); None if the way in was not seen
    peak: float | None = None  # the key signal's most extreme value in the target position
    hold_seconds: float | None = None
    # How far each counted position got, in % of the template's full clinical movement from the
    # person's rest ({"cow": 55}); empty where the view could not give a trustworthy figure.
    reached: dict[str, int] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Event:
    """kind is one of: rep, rep_done, form, hold, guidance, guidance_clear, phase."""

    kind: str
    time: float
    message: str
    rep: int | None = None
    side: str = ""
    code: str = ""  # machine name: the form rule id, guidance type or phase name
    seconds: float | None = None  # hold length for hold events

    def to_dict(self) -> dict:
        return asdict(self)


def reps_by_side(reps: list[Rep]) -> dict[str, int]:
    """How many reps per side ("all" for exercises without sides)."""
    counts: dict[str, int] = {}
    for rep in reps:
        counts[rep.side or "all"] = counts.get(rep.side or "all", 0) + 1
    return counts
