"""One session's summary, the same for a live session and an analysed video: what the history
stores (as JSON, in `sessions.summary`), the command line prints and the pages show.

Summaries stored by earlier versions had two shapes, both read by `SessionSummary.from_dict`: a
live session kept its form notes as a list of messages, an analysed video as {rule id: count}.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterable

from posecheck.core.events import Event, Rep, range_note_reason, reps_by_side

HOLD_SHORTFALL = "hold_short"  # the engine's code for a hold ended before its target


@dataclass(frozen=True)
class FormNote:
    """One form rule broken in the session: its id, its first message, how many times."""

    code: str  # "" in a live summary stored before the ids were kept
    message: str  # "" in a video's summary stored before the messages were kept
    count: int = 1


@dataclass
class SessionSummary:
    exercise: str
    reps: int = 0
    reps_by_side: dict[str, int] = field(default_factory=dict)
    holds_s: list[float] = field(default_factory=list)
    hold_target_s: float | None = None
    faults: list[FormNote] = field(default_factory=list)  # in the order first met
    guidance: list[str] = field(default_factory=list)  # each message once
    reached: dict[str, int] = field(default_factory=dict)  # per position, the reps' mean % of the full movement
    range_not_measured: str = ""  # why, when reps were counted but none had a range figure
    # Known for an analysed video only:
    source: str = ""
    duration_s: float | None = None
    frames: int | None = None
    person_found_in: float | None = None  # the share of frames with a person
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, exercise: str, reps: list[Rep], events: Iterable[Event], hold_target: float | None,
           **video) -> SessionSummary:
        """The summary of a session's reps and engine events (`video`: the fields of a video only)."""
        events = list(events)
        return cls(exercise, len(reps), reps_by_side(reps),
                   holds_s=[e.seconds for e in events if e.kind == "hold"], hold_target_s=hold_target,
                   faults=form_notes(e for e in events if e.kind == "form"),
                   guidance=list(dict.fromkeys(e.message for e in events if e.kind == "guidance")),
                   reached=mean_reached(reps), range_not_measured=why_no_range(reps), **video)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SessionSummary:
        """A stored summary, of this shape or of an older one; missing fields take their defaults."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["faults"] = stored_faults(data.get("faults"))
        known.setdefault("exercise", "")
        return cls(**known)

    def how_far(self) -> str:
        """'How far you went: ...' in plain words, or "" when nothing can be said."""
        if self.reached:
            return f"How far you went: {reached_words(self.reached)} of the full movement"
        if self.range_not_measured:
            return f"How far you went: not measured, {self.range_not_measured}"
        return ""

    def form_messages(self) -> list[str]:
        """The form notes to read, the most frequent first; hold shortfalls are left to the holds."""
        notes = [note for note in self.faults if note.code != HOLD_SHORTFALL and note.message]
        return [note.message for note in sorted(notes, key=lambda note: -note.count)]


def mean_reached(reps: list[Rep]) -> dict[str, int]:
    """Per counted position, how far the reps got on average (% of the full movement), over the
    reps whose figure the view could give."""
    found: dict[str, list[int]] = {}
    for rep in reps:
        for phase, percent in rep.reached.items():
            found.setdefault(phase, []).append(percent)
    return {phase: round(sum(values) / len(values)) for phase, values in found.items()}


def reached_words(reached: dict[str, int]) -> str:
    """'80 %' for one position, 'cat 54 %, cow 30 %' for several (the reps' average)."""
    if len(reached) == 1:
        return f"{next(iter(reached.values()))} %"
    return ", ".join(f"{phase.replace('_', ' ')} {percent} %" for phase, percent in reached.items())


def why_no_range(reps: list[Rep]) -> str:
    """Why no rep had a range figure ("you were turned from the camera ..."), "" when one had."""
    if any(rep.reached or rep.range_of_motion is not None for rep in reps):
        return ""
    reasons = [reason for rep in reps for reason in map(range_note_reason, rep.notes) if reason]
    return reasons[-1] if reasons else ""


def form_notes(form_events: Iterable[Event]) -> list[FormNote]:
    """Each rule's first message and how many times it was broken, in the order first met."""
    first: dict[str, str] = {}
    counts: dict[str, int] = {}
    for event in form_events:
        first.setdefault(event.code, event.message)
        counts[event.code] = counts.get(event.code, 0) + 1
    return [FormNote(code, message, counts[code]) for code, message in first.items()]


def stored_faults(faults) -> list[FormNote]:
    """Form notes as stored: a list of notes (now), of messages (live, before), or {id: count}
    (analysed video, before)."""
    if isinstance(faults, dict):
        return [FormNote(code, "", count) for code, count in faults.items()]
    return [FormNote("", note) if isinstance(note, str) else FormNote(**note) for note in faults or []]
