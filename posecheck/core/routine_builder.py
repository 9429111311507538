"""Building a routine by hand (the app's "Build a routine"), and writing any routine back as the
TOML text a routine file holds, so that it can be saved, downloaded and imported again.

The builder works on plain data, the same tables a routine file holds: `new_step` makes one
step's table, `routine_data` the routine's, and `parse_routine` (posecheck/core/routine.py)
checks them with the same errors a routine file gets. `data_of` turns a routine back into those
tables, to edit it in the builder (`copy_data`: as a new routine). `routine_toml` writes a parsed
routine as text that parses back to the same routine. `builder_message` and `file_message` say a
RoutineError as people read it, steps numbered from 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any

from posecheck.core.routine import MAX_TITLE_CHARS, Routine, RoutineError, Step

# Written at the top of every routine file the app saves or exports.
HEADER = "# A routine written by posecheck (Routines > Build a routine). See docs/templates.md for the fields.\n"


def new_step(exercise: str, count: int, hold_seconds: float | None = None, per_side: bool = False,
             rest_seconds: float = 30.0) -> dict[str, Any]:
    """One step's table: `count` reps, or `count` holds of `hold_seconds` when that is given."""
    step: dict[str, Any] = {"exercise": exercise}
    if hold_seconds is None:
        step["reps"] = count
    else:
        step["holds"], step["hold_seconds"] = count, hold_seconds
    if per_side:
        step["per_side"] = True
    step["rest_seconds"] = rest_seconds
    return step


def step_of(data: dict[str, Any]) -> Step:
    """A step's table as a Step, unchecked (to show it in words before the routine is checked)."""
    return Step(exercise=data["exercise"], reps=data.get("reps"), holds=data.get("holds"),
                hold_seconds=data.get("hold_seconds"), per_side=data.get("per_side", False),
                rest_seconds=data.get("rest_seconds", 30.0))


def step_data(step: Step) -> dict[str, Any]:
    """A parsed step back as its table (a step of holds with its hold's length written out)."""
    return new_step(step.exercise, step.each, step.hold_seconds, step.per_side, step.rest_seconds)


def routine_data(name: str, title: str, summary: str, steps: list[dict], situation: str = "general",
                 notes: tuple[str, ...] = (), sessions_per_week: int | None = None) -> dict[str, Any]:
    """The routine's table, as a routine file holds it (blank notes, and no plan, left out)."""
    data: dict[str, Any] = {"name": name, "title": title, "summary": summary, "situation": situation}
    if sessions_per_week is not None:
        data["sessions_per_week"] = sessions_per_week
    kept_notes = [note.strip() for note in notes if note.strip()]
    if kept_notes:
        data["notes"] = kept_notes
    data["steps"] = list(steps)
    return data


def data_of(routine: Routine) -> dict[str, Any]:
    """A parsed routine back as its table, to load it into the builder."""
    return routine_data(routine.name, routine.title, routine.summary, [step_data(s) for s in routine.steps],
                        routine.situation, routine.notes, routine.sessions_per_week)


COPY = " (copy)"


def copy_data(routine: Routine, taken: Collection[str]) -> dict[str, Any]:
    """The routine's table as a new routine: a name not in `taken` ("prevention-copy", else
    "prevention-copy-2", ...) and a title that says it is a copy, within the title's length."""
    data = data_of(routine)
    data["name"] = free_name(f"{routine.name}-copy", taken)
    data["title"] = routine.title[:MAX_TITLE_CHARS - len(COPY)].rstrip() + COPY
    return data


def free_name(name: str, taken: Collection[str]) -> str:
    """`name`, or the first of `name-2`, `name-3`, ... that is not taken."""
    number = 1
    found = name
    while found in taken:
        number += 1
        found = f"{name}-{number}"
    return found


def name_from_title(title: str) -> str:
    """A routine name for a title: "My morning routine!" -> "my-morning-routine"."""
    return "-".join(re.findall(r"[a-z0-9]+", title.lower()))


def without_step(steps: list, index: int) -> list:
    return steps[:index] + steps[index + 1:]


def step_moved_up(steps: list, index: int) -> list:
    """The steps with the one at `index` swapped with the one before it (the first stays first)."""
    if index <= 0 or index >= len(steps):
        return list(steps)
    moved = list(steps)
    moved[index - 1], moved[index] = moved[index], moved[index - 1]
    return moved


def routine_toml(routine: Routine) -> str:
    """The routine as a routine file's text; parse_routine reads it back to the same routine."""
    lines = [HEADER.rstrip("\n")]
    lines += [f"{key} = {toml_value(getattr(routine, key))}" for key in ("name", "title", "summary", "situation")]
    if routine.sessions_per_week is not None:
        lines.append(f"sessions_per_week = {routine.sessions_per_week}")
    if routine.notes:
        lines += ["notes = [", *(f"  {toml_value(note)}," for note in routine.notes), "]"]
    for step in routine.steps:
        lines += ["", "[[steps]]", *_step_lines(step)]
    return "\n".join(lines) + "\n"


def _step_lines(step: Step) -> list[str]:
    fields = {"exercise": step.exercise, "reps": step.reps, "holds": step.holds, "hold_seconds": step.hold_seconds,
              "per_side": step.per_side or None, "rest_seconds": step.rest_seconds}
    return [f"{key} = {toml_value(value)}" for key, value in fields.items() if value is not None]


def toml_value(value: str | bool | int | float) -> str:
    """One TOML value: text quoted and escaped (JSON's escapes are TOML's), whole numbers without '.0'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")  # TOML refuses a raw DEL


# ----- errors as people read them -------------------------------------------------------------
STEP_PATH = re.compile(r"steps\[(\d+)\]\.?(.*)")
# Each field as the builder's form names it.
BUILDER_WORDS = {
    "name": "the name", "title": "the title", "summary": "the short note", "situation": "who it is for",
    "sessions_per_week": "the times a week", "notes": "the advice", "steps": "the routine",
    "exercise": "the exercise", "reps": "the number of reps", "holds": "the number of holds",
    "hold_seconds": "the seconds each hold", "per_side": "\"on each side\"", "rest_seconds": "the rest after it",
}


def step_number(field_path: str) -> tuple[int | None, str]:
    """The step a field path is in, numbered from 1, and the field within it:
    "steps[1].holds" -> (2, "holds"); a path outside the steps -> (None, the path)."""
    found = STEP_PATH.fullmatch(field_path)
    if found is None:
        return None, field_path
    return int(found.group(1)) + 1, found.group(2)


def builder_message(error: RoutineError) -> str:
    """A problem with the routine in the builder, as its form says things: "Step 2: the number
    of holds must be between 1 and 20, got 40." (its steps numbered as its list shows them)."""
    number, field = step_number(error.field_path)
    subject = " ".join(filter(None, [BUILDER_WORDS.get(field, field), error.problem.rstrip(".")]))
    if number is not None:
        return f"Step {number}: {subject}."
    return f"{subject[:1].upper()}{subject[1:]}."


def file_message(error: RoutineError) -> str:
    """A problem with a routine file, its steps numbered from 1 as the file's [[steps]] read:
    "mine.toml, step 2: holds must be between 1 and 20, got 40."."""
    number, field = step_number(error.field_path)
    if number is None:
        return f"{str(error).rstrip('.')}."
    subject = " ".join(filter(None, [field, error.problem.rstrip(".")]))
    where = f"{error.source}, step {number}" if error.source else f"Step {number}"
    return f"{where}: {subject}."
