"""Exercise templates, the schema: what a template holds, as plain frozen dataclasses and the
constants that bound their values. Parsing and checking the data is core/template_parser.py.

A template says which signals to measure (angles between landmarks), which positions ("phases")
matter and how they are recognised (thresholds with hysteresis), how reps are counted, how long
to hold, and which form rules to check, with the words the user sees. docs/templates.md
describes every field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from posecheck.core.reader import Bounds, DataError

SIGNAL_KINDS = {"angle": 3, "bend": 3, "elevation": 2, "height": 2, "distance": 2}
# An outline signal is read from the person's silhouette, not from landmarks: `measure` names which
# of these measures core/silhouette.py reads.
OUTLINE_KIND = "outline"
TEMPLATE_MEASURES = ("back_curve", "past_head")
# Where each kind is measured unless the template says otherwise: chosen by measuring both
# against the true angles of rendered clips over camera yaw and height (docs/signals.md).
DEFAULT_SPACE = {"angle": "image", "bend": "image", "elevation": "image", "height": "image",
                 "distance": "image"}
# A side_match signal compares two per-side signals: 1 when the side where each is clearly the
# larger is the same side, 0 when not, NaN when either is undecided (e.g. "which arm is raised?").
# A sum signal adds two measured signals (per side where either is), e.g. a hip angle plus the
# trunk's tilt: what the thigh alone moved. A larger_side (smaller_side) signal is one per-side
# signal on the side where it reads larger (smaller): the leg that supports a single-leg bridge,
# whichever leg it is, where a mid point between a straight and a raised leg is nowhere near a knee.
DERIVED_KINDS = ("side_match", "sum", "larger_side", "smaller_side")
ONE_SIDE_KINDS = ("larger_side", "smaller_side")
SIDES = ("left", "right")
SPACES = ("image", "world")


class TemplateError(DataError):
    """An exercise template is broken, or there is no exercise of the name asked for."""

    noun = "an exercise template"


# What each kind of signal can read. Heights and distances are in torso lengths (a whole body
# is about 3); a threshold outside these could never be met, so it is a typo.
SIGNAL_VALUES = {
    "angle": Bounds(0, 180, "degrees"),
    "bend": Bounds(-180, 180, "degrees"),
    "elevation": Bounds(-90, 90, "degrees"),
    "height": Bounds(-5, 5, "torso lengths"),
    "distance": Bounds(0, 5, "torso lengths"),
    "outline": Bounds(-3, 3, "torso lengths"),
    "side_match": Bounds(0, 1),
}
# Durations. The shipped templates settle phases and form rules in 0.2-1 s, hold 5-15 s (the
# advice is 5-30 s) and allow 30 s at most; these bounds leave room and still catch typos.
SETTLE_SECONDS = Bounds(0, 10, "seconds")  # phases' min_seconds and grace_seconds, form rules' min_seconds
HOLD_SECONDS = Bounds(0, 300, "seconds", above_low=True)  # hold.target_seconds (and a routine's hold_seconds)
HOLD_MAX_SECONDS = Bounds(0, 600, "seconds", above_low=True)  # hold.max_seconds, also at least the target
REP_SECONDS = Bounds(0, 60, "seconds", above_low=True)  # tempo.min_rep_seconds


@dataclass(frozen=True)
class RangeSpec:
    """From the template's [range] table: the clinical standard on the key signal."""

    rest: float  # the key signal in the starting position
    full: dict[str, float]  # per counted phase: the key signal at the full position
    least: dict[str, float]  # per counted phase: the smallest excursion from rest that counts
    seen_limb_only: bool = False  # no range figure for a rep whose moving limb the camera barely saw

    def direction(self, phase: str) -> float:
        return 1.0 if self.full[phase] >= self.rest else -1.0


@dataclass(frozen=True)
class Signal:
    name: str
    kind: str
    points: tuple[str, ...]
    label: str
    per_side: bool  # uses {side} / {other} and is measured once for each side
    signals: tuple[str, ...] = ()  # for derived kinds: the signals compared
    margin: float = 0.0  # side_match: how much larger one side must be to count as "clearly"
    space: str = "image"  # "image": on the picture's 2-D points; "world": on the 3-D points
    measure: str = ""  # an outline signal: which silhouette measure (core/silhouette.py)


@dataclass(frozen=True)
class Condition:
    """`signal` crosses `threshold` to become true and stays true until it crosses `release`."""

    signal: str
    direction: str  # "above" or "below"
    threshold: float
    release: float
    hidden_ok: bool = False  # if the signal cannot be seen, do not let that block the phase
    hidden_part: str = ""  # what to call it in the message when hidden ("your back leg")
    any_side: bool = False  # a per-side signal that may be met by either side's limb
    ends_hold: bool = True  # in the position: failing it ends a counted phase under way

    def enters(self, value: float) -> bool:
        return value >= self.threshold if self.direction == "above" else value <= self.threshold

    def holds(self, value: float) -> bool:
        return value >= self.release if self.direction == "above" else value <= self.release


@dataclass(frozen=True)
class Phase:
    name: str
    label: str
    cue: str
    conditions: tuple[Condition, ...]
    min_seconds: float
    grace_seconds: float


@dataclass(frozen=True)
class FormRule:
    id: str
    phase: str
    condition: Condition
    min_seconds: float
    message: str
    at: str = "during"  # "during": while the phase is held; "peak": on the phase's extreme value, at its end


@dataclass(frozen=True)
class Tempo:
    """A rep that takes less than `min_rep_seconds` from start to end was rushed."""

    min_rep_seconds: float
    message: str


@dataclass(frozen=True)
class Hold:
    phases: tuple[str, ...]
    target_seconds: float
    max_seconds: float | None
    signal: str | None = None  # the signal the hold is timed on; None: the key signal
    conditions: tuple[Condition, ...] = ()  # what the held position needs beyond its phase


@dataclass(frozen=True)
class Counting:
    rule: str  # "reach": a rep on reaching `phases[0]`; "cycle": once every phase is reached
    phases: tuple[str, ...]


@dataclass(frozen=True)
class Position:
    label: str
    guidance: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Identity:
    """What tells the exercise apart from its look-alikes: while `phase` is held, `condition`
    must be seen met at least once, else the movement is not counted and `message` says what
    the person did instead."""

    phase: str
    condition: Condition
    message: str
    relative: bool = False  # the condition is on the signal's change from its value at rest
    if_unseen: bool = False  # checked only when the phase's other rules could not be seen
    absolute: float | None = None  # a relative rule is also met when the signal itself passes this
    # A cycle's rule between its two positions: the condition is on the signal in `phase` minus
    # its value in `against`, judged in whichever of the two is reached second (cow minus cat).
    against: str = ""
    # Another way to see the same thing (on the signal itself): a frame where it holds meets the
    # rule; where it does not, it says nothing (a bird-dog's arm in the silhouette, when the
    # landmarks put it on the floor).
    also: Condition | None = None
    # A cycle's rule: the change is divided by this signal's change between the same two positions.
    per: str = ""


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    summary: str
    instructions: tuple[str, ...]
    camera: str
    safety: tuple[str, ...]
    view: str  # "side" or "any"
    sides: bool
    key_signal: str
    signals: dict[str, Signal]
    position: Position
    phases: tuple[Phase, ...]
    counting: Counting
    hold: Hold | None
    form: tuple[FormRule, ...]
    tempo: Tempo | None = None
    range: RangeSpec | None = None  # the key signal's clinical range: count relative to the person's own
    identity: tuple[Identity, ...] = ()
    look_alikes: tuple[str, ...] = ()  # exercises it is told apart from (for the user to read)
    source: str = field(default="<template>", compare=False)

    def phase(self, name: str) -> Phase:
        return next(p for p in self.phases if p.name == name)

    @property
    def reads_outline(self) -> bool:
        """Whether a signal is read from the silhouette (the estimator must then give it)."""
        return any(signal.kind == OUTLINE_KIND for signal in self.signals.values())


def key_unit(template: Template) -> str:
    """The unit of the template's key signal: "degrees" or "torso lengths"."""
    return signal_values(template.signals[template.key_signal], template.signals).unit


def signal_values(signal: Signal, signals: dict[str, Signal]) -> Bounds:
    """What `signal` can read; a sum reads the sum of its two signals' ranges, a larger_side or
    smaller_side what its signal reads."""
    if signal.kind in ONE_SIDE_KINDS:
        return signal_values(signals[signal.signals[0]], signals)
    if signal.kind != "sum":
        return SIGNAL_VALUES[signal.kind]
    first, second = (signal_values(signals[name], signals) for name in signal.signals)
    unit = first.unit if first.unit == second.unit else ""
    return Bounds(first.low + second.low, first.high + second.high, unit)
