"""Exercise templates: parsed from plain data (a TOML table) and validated with precise errors.

A template says which signals to measure (angles between landmarks), which positions ("phases")
matter and how they are recognised (thresholds with hysteresis), how reps are counted, how long
to hold, and which form rules to check, with the words the user sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from posecheck.core.keypoints import INDEX
from posecheck.core.personal_range import RangeSpec

SIGNAL_KINDS = {"angle": 3, "bend": 3, "elevation": 2, "height": 2, "distance": 2}
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
_POINT_PART = re.compile(r"^(mid_|\{side\}_|\{other\}_)?([a-z_]+)$")


class TemplateError(ValueError):
    """A template is broken. The message names the file, the field and what is wrong."""

    def __init__(self, source: str, field_path: str, problem: str):
        super().__init__(f"{source}: field '{field_path}': {problem}")
        self.source, self.field_path, self.problem = source, field_path, problem


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


class _Reader:
    """Reads typed fields out of nested dicts, raising TemplateError with the full field path."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, problem: str):
        raise TemplateError(self.source, path, problem)

    def get(self, table: dict, key: str, path: str, kind, default=...):
        full = f"{path}.{key}" if path else key
        if key not in table:
            if default is ...:
                self.fail(full, "is missing")
            return default
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
            self.fail(full, f"must be {_kind_name(kind)}, got {type(value).__name__} {value!r}")
        if kind is str and not value.strip():
            self.fail(full, "must not be empty")
        return value

    def strings(self, table, key, path, default=...):
        values = self.get(table, key, path, list, default)
        for i, item in enumerate(values):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{path}.{key}[{i}]" if path else f"{key}[{i}]", "must be a non-empty string")
        return tuple(values)


def _kind_name(kind) -> str:
    return {str: "text", float: "a number", int: "a whole number", list: "a list",
            dict: "a table", bool: "true or false"}.get(kind, kind.__name__)


def parse_template(data: dict[str, Any], source: str = "<template>") -> Template:
    """Validate a template's data and build it. Raises TemplateError on the first problem."""
    r = _Reader(source)
    known = {"name", "title", "summary", "instructions", "camera", "safety", "view", "sides",
             "key_signal", "signals", "position", "phases", "counting", "hold", "form", "tempo",
             "range", "identity", "look_alikes"}
    for key in data:
        if key not in known:
            r.fail(key, f"is not a template field (known fields: {', '.join(sorted(known))})")
    name = r.get(data, "name", "", str)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        r.fail("name", f"must be lower-case words joined by '-', got {name!r}")
    view = r.get(data, "view", "", str, "side")
    if view not in ("side", "any"):
        r.fail("view", f"must be 'side' or 'any', got {view!r}")
    signals = _parse_signals(r, r.get(data, "signals", "", dict))
    position = _parse_position(r, r.get(data, "position", "", dict), signals)
    phases = _parse_phases(r, r.get(data, "phases", "", list), signals)
    phase_names = [p.name for p in phases]
    counting = _parse_counting(r, r.get(data, "counting", "", dict), phase_names)
    hold = _parse_hold(r, data.get("hold"), phase_names) if "hold" in data else None
    form = _parse_form(r, r.get(data, "form", "", list, []), signals, phases)
    tempo = _parse_tempo(r, data["tempo"]) if "tempo" in data else None
    key_signal = r.get(data, "key_signal", "", str)
    if key_signal not in signals:
        r.fail("key_signal", f"names no signal; defined signals: {', '.join(signals)}")
    range_spec = _parse_range(r, data["range"], phases, counting, key_signal) if "range" in data else None
    identity = _parse_identity(r, r.get(data, "identity", "", list, []), signals, phase_names)
    look_alikes = r.strings(data, "look_alikes", "", ())
    return Template(
        name=name,
        title=r.get(data, "title", "", str),
        summary=r.get(data, "summary", "", str),
        instructions=r.strings(data, "instructions", ""),
        camera=r.get(data, "camera", "", str),
        safety=r.strings(data, "safety", ""),
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
        look_alikes=look_alikes,
        source=source,
    )


def _parse_signals(r: _Reader, table: dict) -> dict[str, Signal]:
    if not table:
        r.fail("signals", "must define at least one signal")
    signals = {}
    for name, spec in table.items():
        path = f"signals.{name}"
        if not isinstance(spec, dict):
            r.fail(path, "must be a table like { kind = \"angle\", points = [...] }")
        kind = r.get(spec, "kind", path, str)
        if kind in DERIVED_KINDS:
            signals[name] = _parse_derived(r, spec, path, name, kind, table)
            continue
        if kind not in SIGNAL_KINDS:
            r.fail(f"{path}.kind", f"must be one of {', '.join((*SIGNAL_KINDS, *DERIVED_KINDS))}, got {kind!r}")
        points = r.strings(spec, "points", path)
        if len(points) != SIGNAL_KINDS[kind]:
            r.fail(f"{path}.points", f"a {kind} signal takes {SIGNAL_KINDS[kind]} points, got {len(points)}")
        for i, point in enumerate(points):
            if not _valid_point(point):
                r.fail(f"{path}.points[{i}]", f"unknown landmark {point!r} (use names like "
                       "'left_knee', 'mid_hip', '{side}_wrist' or '{other}_hip')")
        per_side = any("{" in p for p in points)
        space = r.get(spec, "space", path, str, DEFAULT_SPACE[kind])
        if space not in SPACES:
            r.fail(f"{path}.space", f"must be 'image' or 'world', got {space!r}")
        signals[name] = Signal(name, kind, points, r.get(spec, "label", path, str, name), per_side,
                               space=space)
    return signals


def _parse_derived(r: _Reader, spec: dict, path: str, name: str, kind: str, table: dict) -> Signal:
    combined = r.strings(spec, "signals", path)
    if len(combined) != 2:
        r.fail(f"{path}.signals", f"a {kind} signal combines 2 signals, got {len(combined)}")
    per_side = []
    for i, other in enumerate(combined):
        other_spec = table.get(other)
        if not isinstance(other_spec, dict) or other_spec.get("kind") in DERIVED_KINDS:
            r.fail(f"{path}.signals[{i}]", f"{other!r} names no measured signal")
        per_side.append(any("{" in p for p in other_spec.get("points", [])))
        if kind == "side_match" and not per_side[-1]:
            r.fail(f"{path}.signals[{i}]", f"{other!r} is not measured per side")
    label = r.get(spec, "label", path, str, name)
    if kind == "sum":
        return Signal(name, "sum", (), label, any(per_side), combined)
    return Signal(name, "side_match", (), label, False, combined, r.get(spec, "margin", path, float, 20.0))


def _valid_point(point: str) -> bool:
    match = _POINT_PART.match(point)
    if not match:
        return False
    prefix, base = match.groups()
    if prefix is None:
        return base in INDEX
    return f"left_{base}" in INDEX


def _parse_condition(r: _Reader, spec, path: str, signals: dict[str, Signal]) -> Condition:
    if not isinstance(spec, dict):
        r.fail(path, "must be a table like { signal = \"name\", above = 150, release = 130 }")
    signal = r.get(spec, "signal", path, str)
    if signal not in signals:
        r.fail(f"{path}.signal", f"names no signal; defined signals: {', '.join(signals)}")
    directions = [d for d in ("above", "below") if d in spec]
    if len(directions) != 1:
        r.fail(path, "needs exactly one of 'above' or 'below'")
    direction = directions[0]
    threshold = r.get(spec, direction, path, float)
    release = r.get(spec, "release", path, float, threshold)
    if direction == "above" and release > threshold:
        r.fail(f"{path}.release", f"must be at or below 'above' ({threshold}) so the state cannot flicker")
    if direction == "below" and release < threshold:
        r.fail(f"{path}.release", f"must be at or above 'below' ({threshold}) so the state cannot flicker")
    any_side = r.get(spec, "any_side", path, bool, False)
    if any_side and not signals[signal].per_side:
        r.fail(f"{path}.any_side", f"signal {signal!r} is not measured per side")
    return Condition(signal, direction, threshold, release,
                     r.get(spec, "hidden_ok", path, bool, False),
                     r.get(spec, "hidden_part", path, str, signals[signal].label), any_side)


def _conditions(r, table, key, path, signals) -> tuple[Condition, ...]:
    items = r.get(table, key, path, list)
    if not items:
        r.fail(f"{path}.{key}", "must list at least one condition")
    return tuple(_parse_condition(r, c, f"{path}.{key}[{i}]", signals) for i, c in enumerate(items))


def _parse_position(r, table, signals) -> Position:
    return Position(
        label=r.get(table, "label", "position", str),
        guidance=r.get(table, "guidance", "position", str),
        conditions=_conditions(r, table, "when", "position", signals),
    )


def _parse_phases(r, items, signals) -> tuple[Phase, ...]:
    if not items:
        r.fail("phases", "must list at least one phase")
    phases, seen = [], set()
    for i, spec in enumerate(items):
        path = f"phases[{i}]"
        if not isinstance(spec, dict):
            r.fail(path, "must be a table")
        name = r.get(spec, "name", path, str)
        if name in seen:
            r.fail(f"{path}.name", f"phase {name!r} is defined twice")
        seen.add(name)
        min_seconds = r.get(spec, "min_seconds", path, float, 0.3)
        if min_seconds < 0:
            r.fail(f"{path}.min_seconds", "must not be negative")
        phases.append(Phase(
            name=name,
            label=r.get(spec, "label", path, str, name),
            cue=r.get(spec, "cue", path, str, ""),
            conditions=_conditions(r, spec, "when", path, signals),
            min_seconds=min_seconds,
            grace_seconds=r.get(spec, "grace_seconds", path, float, 0.3),
        ))
    return tuple(phases)


def _parse_counting(r, table, phase_names) -> Counting:
    rule = r.get(table, "rule", "counting", str)
    if rule not in ("reach", "cycle"):
        r.fail("counting.rule", f"must be 'reach' or 'cycle', got {rule!r}")
    phases = r.strings(table, "phases", "counting")
    for i, name in enumerate(phases):
        if name not in phase_names:
            r.fail(f"counting.phases[{i}]", f"names no phase; phases are: {', '.join(phase_names)}")
    if rule == "reach" and len(phases) != 1:
        r.fail("counting.phases", "a 'reach' rule counts on exactly one phase")
    if rule == "cycle" and len(phases) < 2:
        r.fail("counting.phases", "a 'cycle' rule needs at least two phases")
    return Counting(rule, phases)


def _parse_hold(r, table, phase_names) -> Hold:
    if not isinstance(table, dict):
        r.fail("hold", "must be a table")
    phases = r.strings(table, "phases", "hold")
    for i, name in enumerate(phases):
        if name not in phase_names:
            r.fail(f"hold.phases[{i}]", f"names no phase; phases are: {', '.join(phase_names)}")
    target = r.get(table, "target_seconds", "hold", float)
    if target <= 0:
        r.fail("hold.target_seconds", "must be more than 0")
    maximum = r.get(table, "max_seconds", "hold", float, None)
    if maximum is not None and maximum < target:
        r.fail("hold.max_seconds", f"must be at least target_seconds ({target})")
    return Hold(phases, target, maximum)


def _phase_rule(r, spec, path: str, signals, phase_names) -> tuple[str, Condition]:
    """The `phase` and `when` of a rule table (form and identity rules share them)."""
    if not isinstance(spec, dict):
        r.fail(path, "must be a table")
    phase = r.get(spec, "phase", path, str)
    if phase not in phase_names:
        r.fail(f"{path}.phase", f"names no phase; phases are: {', '.join(phase_names)}")
    return phase, _parse_condition(r, r.get(spec, "when", path, dict), f"{path}.when", signals)


def _parse_form(r, items, signals, phases) -> tuple[FormRule, ...]:
    phase_names = [p.name for p in phases]
    rules = []
    for i, spec in enumerate(items):
        path = f"form[{i}]"
        phase, condition = _phase_rule(r, spec, path, signals, phase_names)
        at = r.get(spec, "at", path, str, "during")
        if at not in ("during", "peak"):
            r.fail(f"{path}.at", f"must be 'during' or 'peak', got {at!r}")
        entered_by = {c.signal for p in phases if p.name == phase for c in p.conditions}
        if at == "peak" and condition.signal not in entered_by:
            r.fail(f"{path}.when.signal", f"a peak rule judges a signal its phase is entered by "
                   f"({', '.join(sorted(entered_by))}), got {condition.signal!r}")
        rules.append(FormRule(
            id=r.get(spec, "id", path, str),
            phase=phase,
            condition=condition,
            min_seconds=r.get(spec, "min_seconds", path, float, 0.4),
            message=r.get(spec, "message", path, str),
            at=at,
        ))
    return tuple(rules)


def _parse_range(r, table, phases, counting, key_signal) -> RangeSpec:
    """[range]: rest = the key signal at rest; full and least = per counted phase, the key
    signal at the full position and the smallest movement from rest that still counts."""
    if not isinstance(table, dict):
        r.fail("range", "must be a table like { rest = 90, full = { reach = 175 }, least = { reach = 15 } }")
    rest = r.get(table, "rest", "range", float)
    full = r.get(table, "full", "range", dict)
    least = r.get(table, "least", "range", dict)
    out_full, out_least = {}, {}
    for name in counting.phases:
        phase = next(p for p in phases if p.name == name)
        condition = next((c for c in phase.conditions if c.signal == key_signal), None)
        if condition is None:
            r.fail("range", f"phase {name!r} is not entered by the key signal {key_signal!r}")
        out_full[name] = r.get(full, name, "range.full", float)
        out_least[name] = r.get(least, name, "range.least", float)
        way = 1 if condition.direction == "above" else -1
        if way * (out_full[name] - rest) <= 0:
            r.fail(f"range.full.{name}", f"must lie {condition.direction} the rest value {rest}")
        if not 0 < out_least[name] <= way * (condition.threshold - rest):
            r.fail(f"range.least.{name}", "must be above 0 and no more than the phase's own "
                   f"threshold from rest ({abs(condition.threshold - rest):g})")
    return RangeSpec(rest, out_full, out_least)


def _parse_identity(r, items, signals, phase_names) -> tuple[Identity, ...]:
    rules = []
    for i, spec in enumerate(items):
        path = f"identity[{i}]"
        phase, condition = _phase_rule(r, spec, path, signals, phase_names)
        rules.append(Identity(phase, condition, r.get(spec, "message", path, str),
                              r.get(spec, "relative", path, bool, False),
                              r.get(spec, "if_unseen", path, bool, False),
                              r.get(spec, "absolute", path, float, None)))
    return tuple(rules)


def _parse_tempo(r, table) -> Tempo:
    if not isinstance(table, dict):
        r.fail("tempo", "must be a table")
    seconds = r.get(table, "min_rep_seconds", "tempo", float)
    if seconds <= 0:
        r.fail("tempo.min_rep_seconds", "must be more than 0")
    return Tempo(seconds, r.get(table, "message", "tempo", str))
