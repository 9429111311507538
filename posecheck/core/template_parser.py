"""Exercise templates, the parser: a template's plain data (a TOML table) checked field by field
and built into the schema of core/template.py.

Every problem raises TemplateError, one sentence naming the file, the field's full path and what
is wrong, e.g. "exercises/bird-dog.toml: hold.target_seconds must be a number, got text 'ten'".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from posecheck.core.keypoints import INDEX
from posecheck.core.reader import Bounds, Reader, describe, field_path, names_no, quote
from posecheck.core.shared_definitions import SharedDefinitions, resolve_shared
from posecheck.core.template import (DEFAULT_SPACE, DERIVED_KINDS, ONE_SIDE_KINDS, OUTLINE_KIND, SIGNAL_KINDS,
                                     Condition, Counting, FormRule, Hold, Identity, Phase, Position, RangeSpec,
                                     Signal, Template, TemplateError, Tempo, signal_values)
from posecheck.core.template_fields import (CONDITION, COUNTING, FORM, HOLD, IDENTITY, PHASE, POSITION, RANGE,
                                            SHARED, SIGNAL, TEMPLATE, TEMPO, pick)

_POINT_PART = re.compile(r"^(mid_|\{side\}_|\{other\}_)?([a-z_]+)$")

# The fields each kind of signal takes.
MEASURED_SIGNAL = pick(SIGNAL, "kind", "points", "label", "space")
OUTLINE_SIGNAL = pick(SIGNAL, "kind", "measure", "label")
SIDE_MATCH_SIGNAL = pick(SIGNAL, "kind", "signals", "label", "margin")
SUM_SIGNAL = pick(SIGNAL, "kind", "signals", "label")
CONDITION_EXAMPLE = ' like { signal = "name", above = 150, release = 130 }'


def parse_template(data: dict[str, Any], source: str = "<template>",
                   shared: SharedDefinitions | None = None) -> Template:
    """Validate a template's data and build it, its references to `shared` resolved. Raises
    TemplateError on the first problem."""
    r = Reader(source, TemplateError)
    r.table(data, "", " of fields")
    r.only(data, "", TEMPLATE)
    data = resolve_shared(r, data, shared)
    name = r.slug(data, "name", "")
    view = r.read(data, "", TEMPLATE["view"])
    signals = _parse_signals(r, r.read(data, "", TEMPLATE["signals"]))
    position = _parse_position(r, r.read(data, "", TEMPLATE["position"]), signals)
    phases = _parse_phases(r, r.read(data, "", TEMPLATE["phases"]), signals)
    phase_names = [p.name for p in phases]
    counting = _parse_counting(r, r.read(data, "", TEMPLATE["counting"]), phase_names)
    hold = _parse_hold(r, data["hold"], phase_names, signals) if "hold" in data else None
    form = _parse_form(r, r.read(data, "", TEMPLATE["form"]), signals, phases)
    tempo = _parse_tempo(r, data["tempo"]) if "tempo" in data else None
    key_signal = r.read(data, "", TEMPLATE["key_signal"])
    if key_signal not in signals:
        r.fail("key_signal", names_no("signal", key_signal, signals))
    range_spec = _parse_range(r, data["range"], phases, counting, signals[key_signal], signals) \
        if "range" in data else None
    identity = _parse_identity(r, r.read(data, "", TEMPLATE["identity"]), signals, phase_names, counting)
    return Template(
        name=name,
        title=r.read(data, "", TEMPLATE["title"]),
        summary=r.read(data, "", TEMPLATE["summary"]),
        instructions=r.strings(data, "instructions", "", at_least_one=True),
        camera=r.read(data, "", TEMPLATE["camera"]),
        safety=r.strings(data, "safety", "", at_least_one=True),
        view=view,
        sides=r.read(data, "", TEMPLATE["sides"]),
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
        look_alikes=r.read(data, "", TEMPLATE["look_alikes"]),
        source=source,
    )


def parse_shared(data: dict[str, Any], source: str = "<shared>") -> SharedDefinitions:
    """Validate the shared definitions: each sentence is text, each signal as a template's."""
    r = Reader(source, TemplateError)
    r.table(data, "", " of fields")
    r.only(data, "", SHARED)
    safety = r.read(data, "", SHARED["safety"])
    for name in safety:
        r.get(safety, name, "safety", str)
    signals = r.read(data, "", SHARED["signals"])
    if signals:
        _parse_signals(r, signals)
    return SharedDefinitions(source, dict(safety), dict(signals))


def _parse_signals(r: Reader, table: dict) -> dict[str, Signal]:
    if not table:
        r.fail("signals", "must define at least one signal")
    kinds = {}
    for name, spec in table.items():
        path = field_path("signals", name)
        r.table(spec, path, ' like { kind = "angle", points = [...] }')
        kinds[name] = r.read(spec, path, SIGNAL["kind"])
    # Measured signals first: a derived signal combines measured ones listed anywhere.
    measured = {name: _parse_outline(r, table[name], name) if kind == OUTLINE_KIND
                else _parse_measured(r, table[name], name, kind)
                for name, kind in kinds.items() if kind not in DERIVED_KINDS}
    derived = {name: _parse_derived(r, table[name], name, kind, measured)
               for name, kind in kinds.items() if kind in DERIVED_KINDS}
    parsed = measured | derived
    return {name: parsed[name] for name in table}


def _parse_measured(r: Reader, spec: dict, name: str, kind: str) -> Signal:
    path = field_path("signals", name)
    r.only(spec, path, MEASURED_SIGNAL)
    points = r.strings(spec, "points", path)
    if len(points) != SIGNAL_KINDS[kind]:
        r.fail(f"{path}.points", f"must list {SIGNAL_KINDS[kind]} landmarks for the kind {kind!r}, "
               f"got {len(points)}")
    for i, point in enumerate(points):
        if not _valid_point(point):
            r.fail(f"{path}.points[{i}]", f"names an unknown landmark {quote(point)} (use names like "
                   "'left_knee', 'mid_hip', '{side}_wrist' or '{other}_hip')")
    space = r.read(spec, path, SIGNAL["space"], DEFAULT_SPACE[kind])
    per_side = any("{" in p for p in points)  # uses {side} / {other}: measured once for each side
    return Signal(name, kind, points, r.read(spec, path, SIGNAL["label"], name), per_side, space=space)


def _parse_outline(r: Reader, spec: dict, name: str) -> Signal:
    path = field_path("signals", name)
    r.only(spec, path, OUTLINE_SIGNAL)
    measure = r.read(spec, path, SIGNAL["measure"])
    return Signal(name, OUTLINE_KIND, (), r.read(spec, path, SIGNAL["label"], name), False, measure=measure)


def _parse_derived(r: Reader, spec: dict, name: str, kind: str, measured: dict[str, Signal]) -> Signal:
    path = field_path("signals", name)
    r.only(spec, path, SIDE_MATCH_SIGNAL if kind == "side_match" else SUM_SIGNAL)
    combined = r.strings(spec, "signals", path)
    count = 1 if kind in ONE_SIDE_KINDS else 2
    if len(combined) != count:
        r.fail(f"{path}.signals", f"must list the {count} signal{'s' if count > 1 else ''} it combines, "
               f"got {len(combined)}")
    for i, other in enumerate(combined):
        if other not in measured:
            r.fail(f"{path}.signals[{i}]", names_no("measured signal", other, measured))
        if kind != "sum" and not measured[other].per_side:
            r.fail(f"{path}.signals[{i}]", f"must name a signal measured per side, and {other!r} is not")
    label = r.read(spec, path, SIGNAL["label"], name)
    if kind in ONE_SIDE_KINDS:
        return Signal(name, kind, (), label, False, combined, space=measured[combined[0]].space)
    if kind == "sum":
        return Signal(name, "sum", (), label, any(measured[other].per_side for other in combined), combined)
    values = signal_values(measured[combined[0]], measured)
    span = Bounds(0, values.high - values.low, values.unit)
    margin = r.number(spec, "margin", path, span, SIGNAL["margin"].default)
    return Signal(name, "side_match", (), label, False, combined, margin)


def _valid_point(point: str) -> bool:
    match = _POINT_PART.match(point)
    if not match:
        return False
    prefix, base = match.groups()
    if prefix is None:
        return base in INDEX
    return f"left_{base}" in INDEX


def _parse_condition(r: Reader, spec, path: str, signals: dict[str, Signal], relative=False) -> Condition:
    """`relative`: the threshold is on the signal's change from its value at rest."""
    r.table(spec, path, CONDITION_EXAMPLE)
    r.only(spec, path, CONDITION)
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
    any_side = r.read(spec, path, CONDITION["any_side"])
    if any_side and not signals[signal].per_side:
        r.fail(f"{path}.any_side", f"needs a signal measured per side, and {signal!r} is not")
    return Condition(signal, direction, threshold, release, r.read(spec, path, CONDITION["hidden_ok"]),
                     r.read(spec, path, CONDITION["hidden_part"], signals[signal].label), any_side,
                     r.read(spec, path, CONDITION["ends_hold"]))


def _condition_bounds(signal: Signal, signals: dict[str, Signal], relative: bool) -> Bounds:
    values = signal_values(signal, signals)
    if not relative:
        return values
    span = values.high - values.low
    return Bounds(-span, span, values.unit)


def _conditions(r: Reader, table: dict, key: str, path: str, signals) -> tuple[Condition, ...]:
    items = r.get(table, key, path, list)
    if not items:
        r.fail(f"{path}.{key}", "must list at least one condition")
    return tuple(_parse_condition(r, c, f"{path}.{key}[{i}]", signals) for i, c in enumerate(items))


def _parse_position(r: Reader, table: dict, signals) -> Position:
    r.only(table, "position", POSITION)
    return Position(
        label=r.read(table, "position", POSITION["label"]),
        guidance=r.read(table, "position", POSITION["guidance"]),
        conditions=_conditions(r, table, "when", "position", signals),
    )


def _parse_phases(r: Reader, items: list, signals) -> tuple[Phase, ...]:
    if not items:
        r.fail("phases", "must list at least one phase")
    phases, seen = [], set()
    for path, spec in _each_table(r, items, "phases", "phase", PHASE):
        name = r.read(spec, path, PHASE["name"])
        if name in seen:
            r.fail(f"{path}.name", f"repeats the phase name {quote(name)}")
        seen.add(name)
        phases.append(Phase(
            name=name,
            label=r.read(spec, path, PHASE["label"], name),
            cue=r.read(spec, path, PHASE["cue"]),
            conditions=_conditions(r, spec, "when", path, signals),
            min_seconds=r.read(spec, path, PHASE["min_seconds"]),
            grace_seconds=r.read(spec, path, PHASE["grace_seconds"]),
        ))
    return tuple(phases)


def _each_table(r: Reader, items: list, section: str, noun: str, known) -> Iterator[tuple[str, dict]]:
    """(path, table) of each item of a [[section]] list, checked to be a table of `known` fields."""
    for i, spec in enumerate(items):
        path = f"{section}[{i}]"
        r.table(spec, path, f" (write each {noun} under its own [[{section}]])")
        r.only(spec, path, known)
        yield path, spec


def _phase_names(r: Reader, table: dict, path: str, phase_names) -> tuple[str, ...]:
    """table.phases: at least one, each naming a phase, none twice."""
    names = r.strings(table, "phases", path, at_least_one=True)
    for i, name in enumerate(names):
        if name not in phase_names:
            r.fail(f"{path}.phases[{i}]", names_no("phase", name, phase_names))
        if name in names[:i]:
            r.fail(f"{path}.phases[{i}]", f"repeats the phase {quote(name)}")
    return names


def _parse_counting(r: Reader, table: dict, phase_names) -> Counting:
    r.only(table, "counting", COUNTING)
    rule = r.read(table, "counting", COUNTING["rule"])
    phases = _phase_names(r, table, "counting", phase_names)
    if rule == "reach" and len(phases) != 1:
        r.fail("counting.phases", f"must list exactly one phase for the rule 'reach', got {len(phases)}")
    if rule == "cycle" and len(phases) < 2:
        r.fail("counting.phases", "must list at least two phases for the rule 'cycle', got 1")
    return Counting(rule, phases)


def _parse_hold(r: Reader, table, phase_names, signals) -> Hold:
    r.table(table, "hold")
    r.only(table, "hold", HOLD)
    phases = _phase_names(r, table, "hold", phase_names)
    target = r.read(table, "hold", HOLD["target_seconds"])
    maximum = r.read(table, "hold", HOLD["max_seconds"])
    if maximum is not None and maximum < target:
        r.fail("hold.max_seconds", f"must be at least target_seconds ({describe(target)}), "
               f"got {describe(maximum)}")
    signal = r.read(table, "hold", HOLD["signal"], None)
    if signal is not None and signal not in signals:
        r.fail("hold.signal", names_no("signal", signal, signals))
    conditions = _conditions(r, table, "when", "hold", signals) if "when" in table else ()
    return Hold(phases, target, maximum, signal, conditions)


def _phase_rule(r: Reader, spec, path: str, signals, phase_names, relative=False) -> tuple[str, Condition]:
    """The `phase` and `when` of a rule table (form and identity rules share them)."""
    phase = r.get(spec, "phase", path, str)
    if phase not in phase_names:
        r.fail(f"{path}.phase", names_no("phase", phase, phase_names))
    when = r.get(spec, "when", path, dict)
    return phase, _parse_condition(r, when, f"{path}.when", signals, relative)


def _parse_form(r: Reader, items: list, signals, phases) -> tuple[FormRule, ...]:
    phase_names = [p.name for p in phases]
    rules = []
    for path, spec in _each_table(r, items, "form", "rule", FORM):
        rule_id = r.read(spec, path, FORM["id"])
        if rule_id in (rule.id for rule in rules):
            r.fail(f"{path}.id", f"repeats the form rule id {quote(rule_id)}")
        phase, condition = _phase_rule(r, spec, path, signals, phase_names)
        at = r.read(spec, path, FORM["at"])
        entered_by = {c.signal for p in phases if p.name == phase for c in p.conditions}
        if at == "peak" and condition.signal not in entered_by:
            r.fail(f"{path}.when.signal", f"must be a signal its phase is entered by for a peak rule "
                   f"({', '.join(sorted(entered_by))}), got {quote(condition.signal)}")
        rules.append(FormRule(
            id=rule_id,
            phase=phase,
            condition=condition,
            min_seconds=r.read(spec, path, FORM["min_seconds"]),
            message=r.read(spec, path, FORM["message"]),
            at=at,
        ))
    return tuple(rules)


def _parse_range(r: Reader, table, phases, counting, key_signal: Signal, signals) -> RangeSpec:
    """[range]: rest = the key signal at rest; full and least = per counted phase, the key
    signal at the full position and the smallest movement from rest that still counts."""
    r.table(table, "range", " like { rest = 90, full = { reach = 175 }, least = { reach = 15 } }")
    r.only(table, "range", RANGE)
    values = signal_values(key_signal, signals)
    rest = r.number(table, "rest", "range", values)
    full = r.read(table, "range", RANGE["full"])
    least = r.read(table, "range", RANGE["least"])
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
    return RangeSpec(rest, out_full, out_least, r.read(table, "range", RANGE["seen_limb_only"]))


def _parse_identity(r: Reader, items: list, signals, phase_names, counting: Counting) -> tuple[Identity, ...]:
    rules = []
    for path, spec in _each_table(r, items, "identity", "rule", IDENTITY):
        against = r.read(spec, path, IDENTITY["against"])
        relative = r.read(spec, path, IDENTITY["relative"]) or bool(against)
        phase, condition = _phase_rule(r, spec, path, signals, phase_names, relative)
        _check_identity_counting(r, path, phase, against, counting)
        values = signal_values(signals[condition.signal], signals)
        also = r.read(spec, path, IDENTITY["also"])
        per = _per_signal(r, spec, path, signals, against)
        rules.append(Identity(phase, condition, r.read(spec, path, IDENTITY["message"]), relative,
                              r.read(spec, path, IDENTITY["if_unseen"]),
                              r.number(spec, "absolute", path, values, None), against,
                              None if also is None else _parse_condition(r, also, f"{path}.also", signals), per))
    return tuple(rules)


def _per_signal(r: Reader, spec: dict, path: str, signals, against: str) -> str:
    per = r.read(spec, path, IDENTITY["per"])
    if per and not against:
        r.fail(f"{path}.per", "is only for a rule between a cycle's two positions (with `against`)")
    if per and per not in signals:
        r.fail(f"{path}.per", f"names no signal: {quote(per)}. Known signals: {', '.join(signals)}")
    if per and signals[per].per_side:
        r.fail(f"{path}.per", f"must be a signal not measured per side, got {quote(per)}")
    return per


def _check_identity_counting(r: Reader, path: str, phase: str, against: str, counting: Counting) -> None:
    """A reach rule belongs to the counted phase; a cycle's rules compare its two positions."""
    if counting.rule == "cycle":
        if not against:
            r.fail(path, "needs `against`, the other counted phase, in a cycle (a rule compares the two positions)")
        if sorted((phase, against)) != sorted(counting.phases):
            r.fail(f"{path}.against", f"must name the counted phase other than {quote(phase)} "
                   f"({', '.join(counting.phases)}), got {quote(against)}")
    elif against:
        r.fail(f"{path}.against", 'is only for a cycle (counting.rule = "cycle")')


def _parse_tempo(r: Reader, table) -> Tempo:
    r.table(table, "tempo")
    r.only(table, "tempo", TEMPO)
    return Tempo(r.read(table, "tempo", TEMPO["min_rep_seconds"]), r.read(table, "tempo", TEMPO["message"]))
