"""Building a routine by hand (the app's "Build a routine"), and writing any routine back as the
TOML text a routine file holds, so that it can be saved, downloaded and imported again.

The builder works on plain data, the same tables a routine file holds: `new_step` makes one
step's table, `routine_data` the routine's, and `parse_routine` (posecheck/core/routine.py)
checks them with the same errors a routine file gets. `routine_toml` writes a parsed routine as
text that parses back to the same routine.
"""

from __future__ import annotations

import json
import re
from typing import Any

from posecheck.core.routine import Routine, Step

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


def routine_data(name: str, title: str, summary: str, steps: list[dict], situation: str = "general",
                 notes: tuple[str, ...] = ()) -> dict[str, Any]:
    """The routine's table, as a routine file holds it (blank notes left out)."""
    data: dict[str, Any] = {"name": name, "title": title, "summary": summary, "situation": situation}
    kept_notes = [note.strip() for note in notes if note.strip()]
    if kept_notes:
        data["notes"] = kept_notes
    data["steps"] = list(steps)
    return data


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
