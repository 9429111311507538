"""Routines: an ordered list of exercises with their reps or holds and rests, parsed from plain
data (a TOML table) and checked against the known exercise templates.

Each step names an exercise (a template) and asks for either `reps` (counted as the template
counts them) or `holds` (each `hold_seconds` long, else as long as the template's own hold
target). `per_side = true`: that many on each side. `rest_seconds`: the rest after the step,
before the next one. `sessions_per_week` (optional): the plan, how often to do the routine.
A problem raises RoutineError, one sentence naming the file and the field, e.g.
"routines/acute.toml: steps[2].exercise names no exercise: 'childs-pose'. Known exercises:
bird-dog, cat-cow, knee-to-chest."
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from posecheck.core.reader import TEXTS, Bounds, Computed, DataError, Field, Reader, describe, fields, quote
from posecheck.core.template import HOLD_SECONDS, Template

SITUATIONS = ("acute", "moderate", "prevention", "pregnancy", "desk", "general")
REPS = Bounds(1, 50)
HOLDS = Bounds(1, 20)
REST_SECONDS = Bounds(0, 600, "seconds")
SESSIONS_PER_WEEK = Bounds(1, 14)  # up to twice a day
# A routine is picked from a list: its title and summary must fit there.
MAX_TITLE_CHARS = 60
MAX_SUMMARY_CHARS = 200

# Every field, as the parser reads it and docs/templates.md describes it.
ROUTINE_FIELDS = fields(
    Field("name", str, "The routine's name, the same as its file's name.",
          allowed="lower-case words joined by '-'"),
    Field("title", str, "The name people read.", allowed=f"at most {MAX_TITLE_CHARS} characters"),
    Field("summary", str, "One or two sentences on what it is for.",
          allowed=f"at most {MAX_SUMMARY_CHARS} characters"),
    Field("situation", str, "Who it is for: a flare-up (acute), recovering (moderate), staying well (prevention), "
          "pregnancy, breaks from sitting (desk), anyone starting out (general).", allowed=SITUATIONS),
    Field("sessions_per_week", int, "The plan: how many times a week to do the routine. The progress report "
          "measures the runs against it; without it the report says \"no plan set\".", None, SESSIONS_PER_WEEK),
    Field("notes", TEXTS, "Advice shown with the routine.", ()),
    Field("steps", list, "The exercises in order, each under its own `[[steps]]`."),
)
STEP_FIELDS = fields(
    Field("exercise", str, "The exercise's name.", allowed="a known exercise"),
    Field("reps", int, "Reps to do (on each side with `per_side`). Give `reps` or `holds`, not both.",
          None, REPS),
    Field("holds", int, "Holds to do (on each side with `per_side`), for an exercise that is held.",
          None, HOLDS),
    Field("hold_seconds", float, "With `holds`: how long each hold lasts, at most the exercise's `max_seconds`.",
          Computed("the exercise's hold.target_seconds"), HOLD_SECONDS),
    Field("per_side", bool, "That many on each side, for an exercise done one side at a time.", False),
    Field("rest_seconds", float, "The rest after this step, before the next.", 30.0, REST_SECONDS),
)


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
    sessions_per_week: int | None = None  # the plan; None: no plan set
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
        situation=r.read(data, "", ROUTINE_FIELDS["situation"]),
        notes=r.read(data, "", ROUTINE_FIELDS["notes"]),
        steps=_parse_steps(r, r.read(data, "", ROUTINE_FIELDS["steps"]), templates),
        sessions_per_week=r.read(data, "", ROUTINE_FIELDS["sessions_per_week"]),
        source=source,
    )


def _short_text(r: Reader, data: dict, key: str, limit: int) -> str:
    text = r.read(data, "", ROUTINE_FIELDS[key])
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
    holds = r.read(spec, path, STEP_FIELDS["holds"])
    per_side = r.read(spec, path, STEP_FIELDS["per_side"])
    if per_side and not template.sides:
        r.fail(f"{path}.per_side", f"is only for exercises done on each side, and {template.name!r} is not")
    return Step(
        exercise=template.name,
        reps=r.read(spec, path, STEP_FIELDS["reps"]),
        holds=holds,
        hold_seconds=_hold_seconds(r, spec, path, template, holds),
        per_side=per_side,
        rest_seconds=r.read(spec, path, STEP_FIELDS["rest_seconds"]),
    )


def _exercise(r: Reader, spec: dict, path: str, templates: Mapping[str, Template]) -> Template:
    name = r.read(spec, path, STEP_FIELDS["exercise"])
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
    seconds = r.read(spec, path, STEP_FIELDS["hold_seconds"], template.hold.target_seconds)
    longest = template.hold.max_seconds
    if longest is not None and seconds > longest:
        r.fail(f"{path}.hold_seconds", f"must be at most {describe(longest)} seconds, the longest hold "
               f"{template.name!r} allows, got {describe(seconds)}")
    return seconds
