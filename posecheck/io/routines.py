"""Load routines from the `routines/` folder (or any folder of .toml files), checked against the
exercise templates they name; and the user's own routines (built in the app or imported), kept in
a folder of their own so that saving one never touches a shipped routine.

Where the user's routines live: `$POSECHECK_USER_ROUTINES`, else a `routines/` folder beside the
history database (`~/.local/share/posecheck/routines/` by default): the user's data stays together,
and a second history (`$POSECHECK_DB`) has its own routines."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from posecheck.core.routine import Routine, RoutineError, parse_routine
from posecheck.core.template import Template
from posecheck.io.store import default_path
from posecheck.io.templates import (check_file_name, data_dir, data_files, read_toml, shown_path, toml_table,
                                    write_atomically)

ROUTINES_ENV = "POSECHECK_ROUTINES"
USER_ROUTINES_ENV = "POSECHECK_USER_ROUTINES"


def routines_dir() -> Path:
    """$POSECHECK_ROUTINES, else the `routines/` folder shipped beside the package."""
    return data_dir(ROUTINES_ENV, "routines")


def user_routines_dir(database: str | Path | None = None) -> Path:
    """$POSECHECK_USER_ROUTINES, else `routines/` beside the history database."""
    given = os.environ.get(USER_ROUTINES_ENV)
    if given:
        return Path(given).expanduser()
    return Path(database or default_path()).expanduser().parent / "routines"


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


def load_available_routines(templates: Mapping[str, Template], folder: str | Path | None = None,
                            user_folder: str | Path | None = None) -> tuple[dict[str, Routine], dict[str, str]]:
    """The routines that load, and for each broken file its name -> the problem (one sentence).
    A routine naming an exercise missing from `templates` (say, a broken one) is broken. Without
    a `folder`: the shipped routines, then the user's own (`user_folder`, else user_routines_dir())."""
    routines, problems = _load_folder(routine_files(folder), templates)
    if folder is None:
        user_folder = Path(user_folder or user_routines_dir())
        mine, my_problems = _load_folder(routine_files(user_folder) if user_folder.is_dir() else [], templates)
        for name in mine.keys() & routines.keys():
            problems[name] = str(_shipped_name_error(name, shown_path(user_folder / f"{name}.toml")))
        routines |= {name: routine for name, routine in mine.items() if name not in routines}
        problems |= my_problems
    return routines, problems


def _load_folder(paths: list[Path], templates: Mapping[str, Template]) -> tuple[dict[str, Routine], dict[str, str]]:
    routines, problems = {}, {}
    for path in paths:
        try:
            routines[path.stem] = load_routine_file(path, templates)
        except RoutineError as exc:
            problems[path.stem] = str(exc)
    return routines, problems


def _shipped_name_error(name: str, source: str) -> RoutineError:
    return RoutineError(source, "name", f"is the name of a shipped routine ({name!r}): give your routine another name")


def shipped_routine_names() -> set[str]:
    return {path.stem for path in routine_files()}


def own_routine_names(folder: str | Path | None = None) -> set[str]:
    """The names of the user's own routine files (a file named like a shipped routine is not
    one: it never loads)."""
    folder = Path(folder or user_routines_dir())
    mine = {path.stem for path in routine_files(folder)} if folder.is_dir() else set()
    return mine - shipped_routine_names()


def save_routine(text: str | bytes, templates: Mapping[str, Template], folder: str | Path | None = None,
                 replace: bool = False, source: str = "the routine") -> Path:
    """Check a routine file's text (the same errors as a routine file) and save it in the user's
    folder as `<name>.toml`, written whole or not at all. Refused with a RoutineError: a name
    of a shipped routine, and (unless `replace`) the name of one of the user's own."""
    raw, routine = _checked(text, templates, source)
    return _save(raw, routine, folder, replace, source)


def save_edited_routine(text: str | bytes, templates: Mapping[str, Template], editing: str,
                        folder: str | Path | None = None, replace: bool = False,
                        source: str = "the routine") -> Path:
    """Save the user's own routine `editing` as changed in the builder. Under its own name it
    replaces the file; under a new name it is a rename: the new file is written first (refused,
    unless `replace`, if the user has a routine of that name already), and the old one removed
    only then. A shipped routine, or one the user does not have, is refused: it is not theirs to edit."""
    folder = Path(folder or user_routines_dir())
    _check_own(editing, folder, "edited")
    raw, routine = _checked(text, templates, source)
    path = _save(raw, routine, folder, replace or routine.name == editing, source)
    if routine.name != editing:
        (folder / f"{editing}.toml").unlink(missing_ok=True)
    return path


def delete_routine(name: str, folder: str | Path | None = None) -> None:
    """Delete the user's own routine `name`; a shipped one, or one the user does not have, is refused."""
    folder = Path(folder or user_routines_dir())
    _check_own(name, folder, "deleted")
    (folder / f"{name}.toml").unlink()


def _check_own(name: str, folder: Path, what: str) -> None:
    if name in shipped_routine_names():
        raise RoutineError("", "", f"{name!r} is a shipped routine: only your own routines can be {what}.")
    if not (folder / f"{name}.toml").is_file():
        raise RoutineError("", "", f"You have no routine named {name!r} in {folder}.")


def _checked(text: str | bytes, templates: Mapping[str, Template], source: str) -> tuple[bytes, Routine]:
    raw = text.encode() if isinstance(text, str) else text
    return raw, parse_routine(toml_table(raw, source, RoutineError), templates, source=source)


def _save(raw: bytes, routine: Routine, folder: str | Path | None, replace: bool, source: str) -> Path:
    if routine.name in shipped_routine_names():
        raise _shipped_name_error(routine.name, source)
    folder = Path(folder or user_routines_dir())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{routine.name}.toml"
    write_atomically(raw, path, replace, taken=lambda: RoutineError(
        source, "name", f"is taken: you already have a routine named {path.stem!r} (choose another name, or replace it)"))
    return path


def load_routine(name_or_path: str, templates: Mapping[str, Template],
                 folder: str | Path | None = None) -> Routine:
    """A routine by name (`core-three`) or by path to a .toml file."""
    if name_or_path.endswith(".toml") or os.sep in name_or_path or "/" in name_or_path:
        return load_routine_file(name_or_path, templates)
    files = routine_files(folder)
    if folder is None and user_routines_dir().is_dir():
        files += routine_files(user_routines_dir())
    path = next((p for p in files if p.stem == name_or_path), None)
    if path is None:
        known = ", ".join(p.stem for p in files) or "none"
        raise RoutineError("", "", f"There is no routine named {name_or_path!r}. Known routines: {known}.")
    return load_routine_file(path, templates)
