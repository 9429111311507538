"""Routines: an ordered list of exercises with their reps or holds and rests, parsed from plain
data (a TOML table) and checked against the known exercise templates.

Each step names an exercise (a template) and asks for either `reps` (counted as the template
counts them) or `holds` (each `hold_seconds` long, else as long as the template's own hold
target). `per_side = true`: that many on each side. `rest_seconds`: the rest after the step,
before the next one. A problem raises RoutineError, one sentence naming the file and the field,
e.g. "routines/acute.toml: steps[2].exercise names no exercise: 'childs-pose'. Known exercises:
bird-dog, cat-cow, knee-to-chest."
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from posecheck.core.reader import Bounds, DataError, Reader, describe, quote
from posecheck.core.template import HOLD_SECONDS, Template

# Who a routine is for: acute (a flare-up), moderate (recovering), prevention (staying well),
# pregnancy, desk (breaks from sitting), general (anyone starting out).
SITUATIONS = ("acute", "moderate", "prevention", "pregnancy", "desk", "general")
ROUTINE_FIELDS = ("name", "title", "summary", "situation", "notes", "steps")
STEP_FIELDS = ("exercise", "reps", "holds", "hold_seconds", "per_side", "rest_seconds")
REPS = Bounds(1, 50)
HOLDS = Bounds(1, 20)
REST_SECONDS = Bounds(0, 600, "seconds")
DEFAULT_REST_SECONDS = 30.0
# A routine is picked from a list: its title and summary must fit there.
MAX_TITLE_CHARS = 60
MAX_SUMMARY_CHARS = 200


class RoutineError(DataError):
    """A routine is broken, or there is no routine of the name asked for."""

    noun = "a routine"


@dataclass(frozen=True)
class Step:
    exercise: str  # a template name
    reps: int | None  # reps to do (on each side when per_side); None in a step of holds
    holds: int | None  # holds to do (on each side when per_side); None in a step of reps
    hold_seconds: float | None  # each hold's length: the step's own, else the template's target
    per_side: bool
    rest_seconds: float  # after this step, before the next

    @property
    def each(self) -> int:
        """Reps or holds asked for (on each side when per_side)."""
        return self.reps or self.holds or 1


@dataclass(frozen=True)
class Routine:
    name: str
    title: str
    summary: str
    situation: str  # one of SITUATIONS
    notes: tuple[str, ...]
    steps: tuple[Step, ...]
    source: str = field(default="<routine>", compare=False)


def step_target(step: Step) -> int:
    """How many reps (a hold counts as a rep) the step asks for, both sides together."""
    return step.each * (2 if step.per_side else 1)


def step_done(step: Step, reps_by_side: Mapping[str, int]) -> bool:
    """Whether the reps counted so far meet the step: per side, each side its own number (a
    second set on the easy side does not stand in for the other)."""
    if step.per_side:
        return all(reps_by_side.get(side, 0) >= step.each for side in ("left", "right"))
    return sum(reps_by_side.values()) >= step.each


def parse_routine(data: dict[str, Any], templates: Mapping[str, Template], source: str = "<routine>") -> Routine:
    """Validate a routine's data against the known templates and build it. Raises RoutineError
    on the first problem."""
    r = Reader(source, RoutineError)
    r.table(data, "", " of fields")
    r.only(data, "", ROUTINE_FIELDS)
    return Routine(
        name=r.slug(data, "name", ""),
        title=_short_text(r, data, "title", MAX_TITLE_CHARS),
        summary=_short_text(r, data, "summary", MAX_SUMMARY_CHARS),
        situation=r.choice(data, "situation", "", SITUATIONS),
        notes=r.strings(data, "notes", "", ()),
        steps=_parse_steps(r, r.get(data, "steps", "", list), templates),
        source=source,
    )


def _short_text(r: Reader, data: dict, key: str, limit: int) -> str:
    text = r.get(data, key, "", str)
    if len(text) > limit:
        r.fail(key, f"must be at most {limit} characters, got {len(text)}")
    return text


def _parse_steps(r: Reader, items: list, templates: Mapping[str, Template]) -> tuple[Step, ...]:
    if not items:
        r.fail("steps", "must list at least one step")
    return tuple(_parse_step(r, spec, f"steps[{i}]", templates) for i, spec in enumerate(items))


def _parse_step(r: Reader, spec, path: str, templates: Mapping[str, Template]) -> Step:
    r.table(spec, path, " (write each step under its own [[steps]])")
    r.only(spec, path, STEP_FIELDS)
    template = _exercise(r, spec, path, templates)
    if ("reps" in spec) == ("holds" in spec):
        r.fail(path, "needs exactly one of 'reps' or 'holds'")
    holds = r.number(spec, "holds", path, HOLDS, None, kind=int)
    per_side = r.get(spec, "per_side", path, bool, False)
    if per_side and not template.sides:
        r.fail(f"{path}.per_side", f"is only for exercises done on each side, and {template.name!r} is not")
    return Step(
        exercise=template.name,
        reps=r.number(spec, "reps", path, REPS, None, kind=int),
        holds=holds,
        hold_seconds=_hold_seconds(r, spec, path, template, holds),
        per_side=per_side,
        rest_seconds=r.number(spec, "rest_seconds", path, REST_SECONDS, DEFAULT_REST_SECONDS),
    )


def _exercise(r: Reader, spec: dict, path: str, templates: Mapping[str, Template]) -> Template:
    name = r.get(spec, "exercise", path, str)
    if name not in templates:
        known = ", ".join(sorted(templates)) or "none"
        r.fail(f"{path}.exercise", f"names no exercise: {quote(name)}. Known exercises: {known}.")
    return templates[name]


def _hold_seconds(r: Reader, spec: dict, path: str, template: Template, holds: int | None) -> float | None:
    """How long each hold lasts: the step's hold_seconds, else the template's hold target."""
    if holds is None:
        if "hold_seconds" in spec:
            r.fail(f"{path}.hold_seconds", "goes with 'holds', not with 'reps'")
        return None
    if template.hold is None:
        r.fail(f"{path}.holds", f"needs an exercise that is held, and {template.name!r} is not")
    seconds = r.number(spec, "hold_seconds", path, HOLD_SECONDS, template.hold.target_seconds)
    longest = template.hold.max_seconds
    if longest is not None and seconds > longest:
        r.fail(f"{path}.hold_seconds", f"must be at most {describe(longest)} seconds, the longest hold "
               f"{template.name!r} allows, got {describe(seconds)}")
    return seconds
