"""Exercise templates: parsed from plain data (a TOML table) and validated with precise errors.

A template says which signals to measure (angles between landmarks), which positions ("phases")
matter and how they are recognised (thresholds with hysteresis), how reps are counted, how long
to hold, and which form rules to check, with the words the user sees.

Every problem is one sentence naming the file, the field's full path and what is wrong, e.g.
"exercises/bird-dog.toml: hold.target_seconds must be a number, got text 'ten'".
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

from posecheck.core.keypoints import INDEX
from posecheck.core.personal_range import RangeSpec
from posecheck.core.silhouette import TEMPLATE_MEASURES

SIGNAL_KINDS = {"angle": 3, "bend": 3, "elevation": 2, "height": 2, "distance": 2}
# An outline signal is read from the person's silhouette, not from landmarks: `measure` names which
# of core/silhouette.py's measures (back_curve, past_head).
OUTLINE_KIND = "outline"
# Where each kind is measured unless the template says otherwise: chosen by measuring both
# against the true angles of rendered clips over camera yaw and height (docs/signals.md).
DEFAULT_SPACE = {"angle": "image", "bend": "image", "elevation": "image", "height": "image",
                 "distance": "image"}
# A side_match signal compares two per-side signals: 1 when the side where each is clearly the
# larger is the same side, 0 when not, NaN when either is undecided (e.g. "which arm is raised?").
# A sum signal adds two measured signals (per side where either is), e.g. a hip angle plus the
# trunk's tilt: what the thigh alone moved.
DERIVED_KINDS = ("side_match", "sum")
SIDES = ("left", "right")
SPACES = ("image", "world")
NAME_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # exercise and routine names: "bird-dog"
_POINT_PART = re.compile(r"^(mid_|\{side\}_|\{other\}_)?([a-z_]+)$")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


class DataError(ValueError):
    """A data file (an exercise template, a routine) is broken. The message is one sentence
    naming the file, the field's full path and what is wrong; a problem with the whole file has
    an empty field_path, and one with no file (an unknown name) an empty source."""

    noun = "a data file"  # what such a file is, for messages about the whole file

    def __init__(self, source: str, field_path: str, problem: str):
        super().__init__(_sentence(source, field_path, problem))
        self.source, self.field_path, self.problem = source, field_path, problem

    def __reduce__(self):  # survives pickling (a process pool) with its parts
        return type(self), (self.source, self.field_path, self.problem)


class TemplateError(DataError):
    """An exercise template is broken, or there is no exercise of the name asked for."""

    noun = "an exercise template"


def _sentence(source: str, field_path: str, problem: str) -> str:
    if source and field_path:
        return f"{source}: {field_path} {problem}"
    subject = source or field_path
    return f"{subject} {problem}" if subject else problem


@dataclass(frozen=True)
class Bounds:
    """The values a number may take: `low` to `high`, but not `low` itself when `above_low`."""

    low: float
    high: float
    unit: str = ""
    above_low: bool = False

    def allows(self, value: float) -> bool:
        return (value > self.low if self.above_low else value >= self.low) and value <= self.high

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.above_low:
            return f"more than {self.low:g} and at most {self.high:g}{unit}"
        return f"between {self.low:g} and {self.high:g}{unit}"


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
    """What `signal` can read; a sum reads the sum of its two signals' ranges."""
    if signal.kind != "sum":
        return SIGNAL_VALUES[signal.kind]
    first, second = (signal_values(signals[name], signals) for name in signal.signals)
    unit = first.unit if first.unit == second.unit else ""
    return Bounds(first.low + second.low, first.high + second.high, unit)


# ---- Reading fields --------------------------------------------------------------------------


def field_path(path: str, key: Any) -> str:
    """`path.key`, with odd keys quoted so that the path stays short and on one line."""
    name = key if isinstance(key, str) and _PLAIN_KEY.fullmatch(key) else quote(key)
    return f"{path}.{name}" if path else name


def quote(text: Any, limit: int = 40) -> str:
    """repr() of a text, cut short when long."""
    if isinstance(text, str) and len(text) > limit:
        text = text[:limit - 3] + "..."
    return repr(text)


def describe(value: Any) -> str:
    """A value as the person who wrote the file would recognise it: "text 'ten'", "a table"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"text {quote(value)}"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else "a number with more than 15 digits"
    if isinstance(value, float):
        short = f"{value:g}"  # 15 rather than 15.0, but never 30 for 30.0000001
        return short if not math.isfinite(value) or float(short) == value else repr(value)
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a table" if value else "an empty table"
    if isinstance(value, (datetime.date, datetime.time)):
        return f"the {'time' if isinstance(value, datetime.time) else 'date'} {value.isoformat()}"
    return type(value).__name__


def _kind_name(kind) -> str:
    return {str: "text", float: "a number", int: "a whole number", list: "a list",
            dict: "a table", bool: "true or false"}[kind]


def _is_kind(value: Any, kind) -> bool:
    if isinstance(value, bool):  # a bool is an int to Python, never a number in a template
        return kind is bool
    if kind is float:
        return isinstance(value, (int, float))
    return isinstance(value, kind)


def _either(options) -> str:
    quoted = [repr(option) for option in options]
    if len(quoted) == 2:
        return " or ".join(quoted)
    return f"one of {', '.join(quoted)}"


class _Reader:
    """Reads typed fields out of nested tables. Every problem raises `error` (TemplateError
    unless told otherwise) naming the file (`source`) and the field's full path."""

    def __init__(self, source: str, error: type[DataError] = TemplateError):
        self.source, self.error = source, error

    def fail(self, path: str, problem: str) -> NoReturn:
        raise self.error(self.source, path, problem)

    def get(self, table: dict, key: str, path: str, kind, default=...):
        """table[key], checked to be of `kind` (str, float, int, bool, list or dict); `default`
        when absent (no default: the field is required)."""
        full = field_path(path, key)
        if key not in table:
            if default is ...:
                self.fail(full, "is missing")
            return default
        value = table[key]
        if not _is_kind(value, kind):
            self.fail(full, f"must be {_kind_name(kind)}, got {describe(value)}")
        if kind is float:
            return self._finite(full, value)
        if kind is str and not value.strip():
            self.fail(full, "must not be empty")
        return value

    def _finite(self, full: str, value: int | float) -> float:
        if isinstance(value, int) and abs(value) >= 10**15:  # would overflow or lose digits as a float
            self.fail(full, f"must be a number of sensible size, got {describe(value)}")
        if not math.isfinite(value):
            self.fail(full, f"must be a finite number, got {describe(value)}")
        return float(value)

    def number(self, table: dict, key: str, path: str, bounds: Bounds, default=..., kind=float):
        """A number within `bounds` (kind=int: a whole number); `default` when absent."""
        if key not in table and default is not ...:
            return default
        value = self.get(table, key, path, kind)
        if not bounds.allows(value):
            self.fail(field_path(path, key), f"must be {bounds}, got {describe(value)}")
        return value

    def choice(self, table: dict, key: str, path: str, options, default=...) -> str:
        value = self.get(table, key, path, str, default)
        if value not in options:
            self.fail(field_path(path, key), f"must be {_either(options)}, got {describe(value)}")
        return value

    def slug(self, table: dict, key: str, path: str) -> str:
        """A name like 'bird-dog': lower-case words joined by '-'."""
        value = self.get(table, key, path, str)
        if not NAME_PATTERN.fullmatch(value):
            self.fail(field_path(path, key), "must be lower-case words joined by '-' (like 'bird-dog'), "
                      f"got {describe(value)}")
        return value

    def strings(self, table: dict, key: str, path: str, default=..., at_least_one=False) -> tuple[str, ...]:
        full = field_path(path, key)
        values = self.get(table, key, path, list, default)
        if at_least_one and not values:
            self.fail(full, "must list at least one item")
        for i, item in enumerate(values):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{full}[{i}]", f"must be non-empty text, got {describe(item)}")
        return tuple(values)

    def table(self, value: Any, path: str, example: str = "") -> dict:
        """`value` (a list's item, or the file's top level) checked to be a table."""
        if not isinstance(value, dict):
            self.fail(path, f"must be a table{example}, got {describe(value)}")
        return value

    def only(self, table: dict, path: str, known) -> None:
        """Fails on a field that is not in `known`: a misspelt optional field would otherwise be
        silently ignored."""
        for key in table:
            if key not in known:
                self.fail(field_path(path, key), f"is not a known field (known fields: {', '.join(known)})")


def names_no(what: str, value: str, known) -> str:
    """The problem of a reference to nothing: "names no phase: 'fly'. Defined phases: reach."."""
    return f"names no {what}: {quote(value)}. Defined {what}s: {', '.join(known) or 'none'}."


# ---- The template ----------------------------------------------------------------------------

TEMPLATE_FIELDS = ("name", "title", "summary", "instructions", "camera", "safety", "view", "sides",
                   "key_signal", "look_alikes", "signals", "position", "phases", "counting", "range",
                   "identity", "hold", "form", "tempo")
CONDITION_FIELDS = ("signal", "above", "below", "release", "hidden_ok", "hidden_part", "any_side")
CONDITION_EXAMPLE = ' like { signal = "name", above = 150, release = 130 }'


def parse_template(data: dict[str, Any], source: str = "<template>") -> Template:
    """Validate a template's data and build it. Raises TemplateError on the first problem."""
    r = _Reader(source)
    r.table(data, "", " of fields")
    r.only(data, "", TEMPLATE_FIELDS)
    name = r.slug(data, "name", "")
    view = r.choice(data, "view", "", ("side", "any"), "side")
    signals = _parse_signals(r, r.get(data, "signals", "", dict))
    position = _parse_position(r, r.get(data, "position", "", dict), signals)
    phases = _parse_phases(r, r.get(data, "phases", "", list), signals)
    phase_names = [p.name for p in phases]
    counting = _parse_counting(r, r.get(data, "counting", "", dict), phase_names)
    hold = _parse_hold(r, data["hold"], phase_names, signals) if "hold" in data else None
    form = _parse_form(r, r.get(data, "form", "", list, []), signals, phases)
    tempo = _parse_tempo(r, data["tempo"]) if "tempo" in data else None
    key_signal = r.get(data, "key_signal", "", str)
    if key_signal not in signals:
        r.fail("key_signal", names_no("signal", key_signal, signals))
    range_spec = _parse_range(r, data["range"], phases, counting, signals[key_signal], signals) \
        if "range" in data else None
    identity = _parse_identity(r, r.get(data, "identity", "", list, []), signals, phase_names, counting)
    return Template(
        name=name,
        title=r.get(data, "title", "", str),
        summary=r.get(data, "summary", "", str),
        instructions=r.strings(data, "instructions", "", at_least_one=True),
        camera=r.get(data, "camera", "", str),
        safety=r.strings(data, "safety", "", at_least_one=True),
        view=view,
        sides=r.get(data, "sides", "", bool, False),
        key_signal=key_signal,
        signals=signals,
        position=position,
        phases=phases,
        counting=counting,
        hold=hold,
        form=form,
        tempo=tempo,
        range=range_spec,
        identity=identity,
        look_alikes=r.strings(data, "look_alikes", "", ()),
        source=source,
    )


def _parse_signals(r: _Reader, table: dict) -> dict[str, Signal]:
    if not table:
        r.fail("signals", "must define at least one signal")
    kinds = {}
    for name, spec in table.items():
        path = field_path("signals", name)
        r.table(spec, path, ' like { kind = "angle", points = [...] }')
        kinds[name] = r.choice(spec, "kind", path, (*SIGNAL_KINDS, OUTLINE_KIND, *DERIVED_KINDS))
    # Measured signals first: a derived signal combines measured ones listed anywhere.
    measured = {name: _parse_outline(r, table[name], name) if kind == OUTLINE_KIND
                else _parse_measured(r, table[name], name, kind)
                for name, kind in kinds.items() if kind not in DERIVED_KINDS}
    derived = {name: _parse_derived(r, table[name], name, kind, measured)
               for name, kind in kinds.items() if kind in DERIVED_KINDS}
    parsed = measured | derived
    return {name: parsed[name] for name in table}


def _parse_measured(r: _Reader, spec: dict, name: str, kind: str) -> Signal:
    path = field_path("signals", name)
    r.only(spec, path, ("kind", "points", "label", "space"))
    points = r.strings(spec, "points", path)
    if len(points) != SIGNAL_KINDS[kind]:
        r.fail(f"{path}.points", f"must list {SIGNAL_KINDS[kind]} landmarks for the kind {kind!r}, "
               f"got {len(points)}")
    for i, point in enumerate(points):
        if not _valid_point(point):
            r.fail(f"{path}.points[{i}]", f"names an unknown landmark {quote(point)} (use names like "
                   "'left_knee', 'mid_hip', '{side}_wrist' or '{other}_hip')")
    space = r.choice(spec, "space", path, SPACES, DEFAULT_SPACE[kind])
    per_side = any("{" in p for p in points)  # uses {side} / {other}: measured once for each side
    return Signal(name, kind, points, r.get(spec, "label", path, str, name), per_side, space=space)


def _parse_outline(r: _Reader, spec: dict, name: str) -> Signal:
    path = field_path("signals", name)
    r.only(spec, path, ("kind", "measure", "label"))
    measure = r.choice(spec, "measure", path, TEMPLATE_MEASURES)
    return Signal(name, OUTLINE_KIND, (), r.get(spec, "label", path, str, name), False, measure=measure)


def _parse_derived(r: _Reader, spec: dict, name: str, kind: str, measured: dict[str, Signal]) -> Signal:
    path = field_path("signals", name)
    known = ("kind", "signals", "label", "margin") if kind == "side_match" else ("kind", "signals", "label")
    r.only(spec, path, known)
    combined = r.strings(spec, "signals", path)
    if len(combined) != 2:
        r.fail(f"{path}.signals", f"must list the 2 signals it combines, got {len(combined)}")
    for i, other in enumerate(combined):
        if other not in measured:
            r.fail(f"{path}.signals[{i}]", names_no("measured signal", other, measured))
        if kind == "side_match" and not measured[other].per_side:
            r.fail(f"{path}.signals[{i}]", f"must name a signal measured per side, and {other!r} is not")
    label = r.get(spec, "label", path, str, name)
    if kind == "sum":
        return Signal(name, "sum", (), label, any(measured[other].per_side for other in combined), combined)
    values = signal_values(measured[combined[0]], measured)
    margin = r.number(spec, "margin", path, Bounds(0, values.high - values.low, values.unit), 20.0)
    return Signal(name, "side_match", (), label, False, combined, margin)


def _valid_point(point: str) -> bool:
    match = _POINT_PART.match(point)
    if not match:
        return False
    prefix, base = match.groups()
    if prefix is None:
        return base in INDEX
    return f"left_{base}" in INDEX


def _parse_condition(r: _Reader, spec, path: str, signals: dict[str, Signal], relative=False) -> Condition:
    """`relative`: the threshold is on the signal's change from its value at rest."""
    r.table(spec, path, CONDITION_EXAMPLE)
    r.only(spec, path, CONDITION_FIELDS)
    signal = r.get(spec, "signal", path, str)
    if signal not in signals:
        r.fail(f"{path}.signal", names_no("signal", signal, signals))
    directions = [d for d in ("above", "below") if d in spec]
    if len(directions) != 1:
        r.fail(path, "needs exactly one of 'above' or 'below'")
    direction = directions[0]
    bounds = _condition_bounds(signals[signal], signals, relative)
    threshold = r.number(spec, direction, path, bounds)
    release = r.number(spec, "release", path, bounds, threshold)
    if direction == "above" and release > threshold:
        r.fail(f"{path}.release", f"must be at or below 'above' ({describe(threshold)}) so that the state "
               f"cannot flicker, got {describe(release)}")
    if direction == "below" and release < threshold:
        r.fail(f"{path}.release", f"must be at or above 'below' ({describe(threshold)}) so that the state "
               f"cannot flicker, got {describe(release)}")
    any_side = r.get(spec, "any_side", path, bool, False)
    if any_side and not signals[signal].per_side:
        r.fail(f"{path}.any_side", f"needs a signal measured per side, and {signal!r} is not")
    return Condition(signal, direction, threshold, release,
                     r.get(spec, "hidden_ok", path, bool, False),
                     r.get(spec, "hidden_part", path, str, signals[signal].label), any_side)


def _condition_bounds(signal: Signal, signals: dict[str, Signal], relative: bool) -> Bounds:
    values = signal_values(signal, signals)
    if not relative:
        return values
    span = values.high - values.low
    return Bounds(-span, span, values.unit)


def _conditions(r: _Reader, table: dict, key: str, path: str, signals) -> tuple[Condition, ...]:
    items = r.get(table, key, path, list)
    if not items:
        r.fail(f"{path}.{key}", "must list at least one condition")
    return tuple(_parse_condition(r, c, f"{path}.{key}[{i}]", signals) for i, c in enumerate(items))


def _parse_position(r: _Reader, table: dict, signals) -> Position:
    r.only(table, "position", ("label", "guidance", "when"))
    return Position(
        label=r.get(table, "label", "position", str),
        guidance=r.get(table, "guidance", "position", str),
        conditions=_conditions(r, table, "when", "position", signals),
    )


def _parse_phases(r: _Reader, items: list, signals) -> tuple[Phase, ...]:
    if not items:
        r.fail("phases", "must list at least one phase")
    phases, seen = [], set()
    for i, spec in enumerate(items):
        path = f"phases[{i}]"
        r.table(spec, path, " (write each phase under its own [[phases]])")
        r.only(spec, path, ("name", "label", "cue", "when", "min_seconds", "grace_seconds"))
        name = r.get(spec, "name", path, str)
        if name in seen:
            r.fail(f"{path}.name", f"repeats the phase name {quote(name)}")
        seen.add(name)
        phases.append(Phase(
            name=name,
            label=r.get(spec, "label", path, str, name),
            cue=r.get(spec, "cue", path, str, ""),
            conditions=_conditions(r, spec, "when", path, signals),
            min_seconds=r.number(spec, "min_seconds", path, SETTLE_SECONDS, 0.3),
            grace_seconds=r.number(spec, "grace_seconds", path, SETTLE_SECONDS, 0.3),
        ))
    return tuple(phases)


def _phase_names(r: _Reader, table: dict, path: str, phase_names) -> tuple[str, ...]:
    """table.phases: at least one, each naming a phase, none twice."""
    names = r.strings(table, "phases", path, at_least_one=True)
    for i, name in enumerate(names):
        if name not in phase_names:
            r.fail(f"{path}.phases[{i}]", names_no("phase", name, phase_names))
        if name in names[:i]:
            r.fail(f"{path}.phases[{i}]", f"repeats the phase {quote(name)}")
    return names


def _parse_counting(r: _Reader, table: dict, phase_names) -> Counting:
    r.only(table, "counting", ("rule", "phases"))
    rule = r.choice(table, "rule", "counting", ("reach", "cycle"))
    phases = _phase_names(r, table, "counting", phase_names)
    if rule == "reach" and len(phases) != 1:
        r.fail("counting.phases", f"must list exactly one phase for the rule 'reach', got {len(phases)}")
    if rule == "cycle" and len(phases) < 2:
        r.fail("counting.phases", "must list at least two phases for the rule 'cycle', got 1")
    return Counting(rule, phases)


def _parse_hold(r: _Reader, table, phase_names, signals) -> Hold:
    r.table(table, "hold")
    r.only(table, "hold", ("phases", "target_seconds", "max_seconds", "signal"))
    phases = _phase_names(r, table, "hold", phase_names)
    target = r.number(table, "target_seconds", "hold", HOLD_SECONDS)
    maximum = r.number(table, "max_seconds", "hold", HOLD_MAX_SECONDS, None)
    if maximum is not None and maximum < target:
        r.fail("hold.max_seconds", f"must be at least target_seconds ({describe(target)}), "
               f"got {describe(maximum)}")
    signal = r.get(table, "signal", "hold", str, None)
    if signal is not None and signal not in signals:
        r.fail("hold.signal", names_no("signal", signal, signals))
    return Hold(phases, target, maximum, signal)


def _phase_rule(r: _Reader, spec, path: str, signals, phase_names, relative=False) -> tuple[str, Condition]:
    """The `phase` and `when` of a rule table (form and identity rules share them)."""
    phase = r.get(spec, "phase", path, str)
    if phase not in phase_names:
        r.fail(f"{path}.phase", names_no("phase", phase, phase_names))
    when = r.get(spec, "when", path, dict)
    return phase, _parse_condition(r, when, f"{path}.when", signals, relative)


def _parse_form(r: _Reader, items: list, signals, phases) -> tuple[FormRule, ...]:
    phase_names = [p.name for p in phases]
    rules = []
    for i, spec in enumerate(items):
        path = f"form[{i}]"
        r.table(spec, path, " (write each rule under its own [[form]])")
        r.only(spec, path, ("id", "phase", "when", "at", "min_seconds", "message"))
        rule_id = r.get(spec, "id", path, str)
        if rule_id in (rule.id for rule in rules):
            r.fail(f"{path}.id", f"repeats the form rule id {quote(rule_id)}")
        phase, condition = _phase_rule(r, spec, path, signals, phase_names)
        at = r.choice(spec, "at", path, ("during", "peak"), "during")
        entered_by = {c.signal for p in phases if p.name == phase for c in p.conditions}
        if at == "peak" and condition.signal not in entered_by:
            r.fail(f"{path}.when.signal", f"must be a signal its phase is entered by for a peak rule "
                   f"({', '.join(sorted(entered_by))}), got {quote(condition.signal)}")
        rules.append(FormRule(
            id=rule_id,
            phase=phase,
            condition=condition,
            min_seconds=r.number(spec, "min_seconds", path, SETTLE_SECONDS, 0.4),
            message=r.get(spec, "message", path, str),
            at=at,
        ))
    return tuple(rules)


def _parse_range(r: _Reader, table, phases, counting, key_signal: Signal, signals) -> RangeSpec:
    """[range]: rest = the key signal at rest; full and least = per counted phase, the key
    signal at the full position and the smallest movement from rest that still counts."""
    r.table(table, "range", " like { rest = 90, full = { reach = 175 }, least = { reach = 15 } }")
    r.only(table, "range", ("rest", "full", "least"))
    values = signal_values(key_signal, signals)
    rest = r.number(table, "rest", "range", values)
    full = r.get(table, "full", "range", dict)
    least = r.get(table, "least", "range", dict)
    r.only(full, "range.full", counting.phases)
    r.only(least, "range.least", counting.phases)
    out_full, out_least = {}, {}
    for name in counting.phases:
        phase = next(p for p in phases if p.name == name)
        condition = next((c for c in phase.conditions if c.signal == key_signal.name), None)
        if condition is None:
            r.fail("range", f"needs the phase {name!r} to be entered by the key signal {key_signal.name!r}")
        way = 1 if condition.direction == "above" else -1
        if way * (condition.threshold - rest) <= 0:
            side = "below" if way > 0 else "above"
            r.fail("range.rest", f"must lie {side} the {name!r} phase's threshold "
                   f"({describe(condition.threshold)}), got {describe(rest)}")
        out_full[name] = r.number(full, name, "range.full", values)
        if way * (out_full[name] - rest) <= 0:
            r.fail(f"range.full.{name}", f"must lie {condition.direction} the rest value {describe(rest)}, "
                   f"got {describe(out_full[name])}")
        out_least[name] = r.get(least, name, "range.least", float)
        reach = way * (condition.threshold - rest)
        if not 0 < out_least[name] <= reach:
            r.fail(f"range.least.{name}", f"must be more than 0 and no more than the {name!r} threshold's "
                   f"distance from rest ({reach:g}), got {describe(out_least[name])}")
    return RangeSpec(rest, out_full, out_least)


def _parse_identity(r: _Reader, items: list, signals, phase_names, counting: Counting) -> tuple[Identity, ...]:
    rules = []
    for i, spec in enumerate(items):
        path = f"identity[{i}]"
        r.table(spec, path, " (write each rule under its own [[identity]])")
        r.only(spec, path, ("phase", "when", "relative", "if_unseen", "absolute", "against", "also", "message"))
        against = r.get(spec, "against", path, str, "")
        relative = r.get(spec, "relative", path, bool, False) or bool(against)
        phase, condition = _phase_rule(r, spec, path, signals, phase_names, relative)
        _check_identity_counting(r, path, phase, against, counting)
        values = signal_values(signals[condition.signal], signals)
        also = r.get(spec, "also", path, dict, None)
        rules.append(Identity(phase, condition, r.get(spec, "message", path, str), relative,
                              r.get(spec, "if_unseen", path, bool, False),
                              r.number(spec, "absolute", path, values, None), against,
                              None if also is None else _parse_condition(r, also, f"{path}.also", signals)))
    return tuple(rules)


def _check_identity_counting(r: _Reader, path: str, phase: str, against: str, counting: Counting) -> None:
    """A reach rule belongs to the counted phase; a cycle's rules compare its two positions."""
    if counting.rule == "cycle":
        if not against:
            r.fail(path, "needs `against`, the other counted phase, in a cycle (a rule compares the two positions)")
        if sorted((phase, against)) != sorted(counting.phases):
            r.fail(f"{path}.against", f"must name the counted phase other than {quote(phase)} "
                   f"({', '.join(counting.phases)}), got {quote(against)}")
    elif against:
        r.fail(f"{path}.against", 'is only for a cycle (counting.rule = "cycle")')


def _parse_tempo(r: _Reader, table) -> Tempo:
    r.table(table, "tempo")
    r.only(table, "tempo", ("min_rep_seconds", "message"))
    return Tempo(r.number(table, "min_rep_seconds", "tempo", REP_SECONDS),
                 r.get(table, "message", "tempo", str))
