"""Load routines from the `routines/` folder (or any folder of .toml files), checked against the
exercise templates they name."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from posecheck.core.routine import Routine, RoutineError, parse_routine
from posecheck.core.template import Template
from posecheck.io.templates import check_file_name, data_dir, data_files, read_toml, shown_path

ROUTINES_ENV = "POSECHECK_ROUTINES"


def routines_dir() -> Path:
    """$POSECHECK_ROUTINES, else the `routines/` folder shipped beside the package."""
    return data_dir(ROUTINES_ENV, "routines")


def routine_files(folder: str | Path | None = None) -> list[Path]:
    return data_files(Path(folder) if folder else routines_dir(), RoutineError, "routines")


def load_routine_file(path: str | Path, templates: Mapping[str, Template]) -> Routine:
    path = Path(path)
    routine = parse_routine(read_toml(path, RoutineError), templates, source=shown_path(path))
    check_file_name(routine.name, path, RoutineError)
    return routine


def load_all_routines(templates: Mapping[str, Template], folder: str | Path | None = None) -> dict[str, Routine]:
    """Every routine in the folder; raises RoutineError on the first broken one."""
    return {r.name: r for r in (load_routine_file(path, templates) for path in routine_files(folder))}


def load_available_routines(templates: Mapping[str, Template], folder: str | Path | None = None
                            ) -> tuple[dict[str, Routine], dict[str, str]]:
    """The routines that load, and for each broken file its name -> the problem (one sentence).
    A routine naming an exercise missing from `templates` (say, a broken one) is broken."""
    routines, problems = {}, {}
    for path in routine_files(folder):
        try:
            routines[path.stem] = load_routine_file(path, templates)
        except RoutineError as exc:
            problems[path.stem] = str(exc)
    return routines, problems


def load_routine(name_or_path: str, templates: Mapping[str, Template],
                 folder: str | Path | None = None) -> Routine:
    """A routine by name (`core-three`) or by path to a .toml file."""
    if name_or_path.endswith(".toml") or os.sep in name_or_path or "/" in name_or_path:
        return load_routine_file(name_or_path, templates)
    files = routine_files(folder)
    path = next((p for p in files if p.stem == name_or_path), None)
    if path is None:
        known = ", ".join(p.stem for p in files) or "none"
        raise RoutineError("", "", f"There is no routine named {name_or_path!r}. Known routines: {known}.")
    return load_routine_file(path, templates)
