"""On the Routines page: build a routine step by step (or from any routine), edit, rename or
delete one's own, download any routine as a .toml file, and import one. The checks and the file
writing are posecheck/core/routine_builder.py and posecheck/io/routines.py; this module only lays
out the widgets. A saved or imported routine is picked in the routine list at once
(`take_saved_choice`, before the list is drawn)."""

from __future__ import annotations

from collections.abc import Collection

import streamlit as st

from posecheck.core.routine import SESSIONS_PER_WEEK, SITUATIONS, Routine, RoutineError, parse_routine
from posecheck.core.routine_builder import (builder_message, copy_data, data_of, file_message, name_from_title,
                                            new_step, routine_data, routine_toml, step_moved_up, step_of,
                                            without_step)
from posecheck.core.template import Template
from posecheck.io.routines import delete_routine, save_edited_routine, save_routine, user_routines_dir
from posecheck.presentation.report import plan_text, step_text

SAVED = "routine_saved"  # the name of the routine just saved, to pick it in the list
DELETED = "routine_deleted"  # what became of the routine just deleted: (kind, message)
STEPS = "builder_steps"  # the steps built so far: tables as a routine file holds them
EDITING = "builder_editing"  # the name of the user's own routine loaded to be edited; None: a new one
OPEN = "builder_open"  # whether the builder's expander is open
PROBLEM = "builder_problem"  # why the routine could not be saved, said under "Save the routine"
DELETE_PENDING = "routine_delete_pending"  # the routine whose "Delete" waits for "Yes, delete it"
NO_PLAN = 0  # the plan's choice for none (a select box shows None as nothing chosen)
PLANS = (NO_PLAN, *range(int(SESSIONS_PER_WEEK.low), int(SESSIONS_PER_WEEK.high) + 1))


def take_saved_choice() -> None:
    """Pick the routine just saved or imported in the routine list, and say where it went; or
    say what became of the one just deleted."""
    saved = st.session_state.pop(SAVED, None)
    if saved:
        name, path = saved
        st.session_state.routine_choice = name
        st.success(f"Saved your routine {name!r} in {path}.")
    if deleted := st.session_state.pop(DELETED, None):
        kind, message = deleted
        {"success": st.success, "error": st.error}[kind](message)


def routine_actions(routine: Routine, own: bool, taken: Collection[str]) -> None:
    """Under the routine picked, in a row: download it, start the builder from it, and for the
    user's own routine, edit and delete it ("Delete" asks first, below the row)."""
    confirming = own and st.session_state.get(DELETE_PENDING) == routine.name
    with st.container(horizontal=True):
        st.download_button("Download this routine (.toml)", routine_toml(routine), file_name=f"{routine.name}.toml",
                           mime="application/toml", key=f"download-{routine.name}")
        st.button("Start the builder from this routine", key=f"copy-{routine.name}", on_click=load_into_builder,
                  args=(copy_data(routine, taken), None))
        if own:
            st.button("Edit", key=f"edit-{routine.name}", on_click=load_into_builder,
                      args=(data_of(routine), routine.name))
            st.button("Delete", key=f"delete-{routine.name}", disabled=confirming, on_click=_set,
                      args=(DELETE_PENDING, routine.name))
    if confirming:
        confirm_delete(routine)


def confirm_delete(routine: Routine) -> None:
    st.warning(f"Delete your routine {routine.title!r} ({routine.name}.toml) for good?")
    with st.container(horizontal=True):
        st.button("Yes, delete it", type="primary", key=f"delete-yes-{routine.name}", on_click=_delete,
                  args=(routine.name,))
        st.button("Keep it", key=f"delete-no-{routine.name}", on_click=_set, args=(DELETE_PENDING, None))


def _set(key: str, value) -> None:
    st.session_state[key] = value


def _delete(name: str) -> None:
    state = st.session_state
    state[DELETE_PENDING] = None
    try:
        delete_routine(name, user_routines_dir())
    except RoutineError as exc:
        state[DELETED] = ("error", file_message(exc))
        return
    if state.get(EDITING) == name:
        clear_builder()
    state[DELETED] = ("success", f"Deleted your routine {name!r}.")


def load_into_builder(data: dict, editing: str | None) -> None:
    """Fill the builder's fields with a routine's table and open it; `editing`: the name of the
    user's own routine it came from, which saving changes (or renames), else None: a new routine."""
    state = st.session_state
    state.builder_title, state.builder_name, state.builder_summary = data["title"], data["name"], data["summary"]
    state.builder_situation, state.builder_plan = data["situation"], data.get("sessions_per_week", NO_PLAN)
    state.builder_notes = "\n".join(data.get("notes", ()))
    state[STEPS], state[EDITING], state[OPEN] = list(data["steps"]), editing, True


def clear_builder() -> None:
    state = st.session_state
    state.builder_title = state.builder_name = state.builder_summary = state.builder_notes = ""
    state.builder_situation, state.builder_plan = "general", NO_PLAN
    state[STEPS], state[EDITING] = [], None


def import_section(templates: dict[str, Template]) -> None:
    with st.expander("Import a routine file"):
        st.file_uploader("Import a routine file (.toml)", type=["toml"], key="routine_import",
                         on_change=_import_upload, args=(templates,))
        if problem := st.session_state.pop("import_problem", None):
            st.error(problem)


def _import_upload(templates: dict[str, Template]) -> None:
    upload = st.session_state.routine_import
    if upload is None:
        return
    try:
        path = save_routine(upload.getvalue(), templates, user_routines_dir(), source=upload.name)
    except RoutineError as exc:
        st.session_state.import_problem = f"This routine file cannot be imported: {file_message(exc)}"
        return
    st.session_state[SAVED] = (path.stem, str(path))


def builder_section(templates: dict[str, Template]) -> None:
    with st.expander("Build a routine", key=OPEN, on_change="rerun"):
        editing = st.session_state.get(EDITING)
        if editing:
            note, cancel = st.columns([4, 1])
            note.info(f"Editing your routine {editing!r}: save it under the same name to change it, under "
                      "another name to rename it.")
            cancel.button("Stop editing", key="builder_cancel", on_click=clear_builder)
        title = st.text_input("Title", key="builder_title", max_chars=60)
        st.text_input("Name (lower-case words joined by '-')", key="builder_name",
                      placeholder=name_from_title(title) or "my-routine")
        st.text_input("A short note: what it is for", key="builder_summary", max_chars=200)
        who, plan = st.columns(2)
        st.session_state.setdefault("builder_situation", "general")
        who.selectbox("Who it is for", SITUATIONS, key="builder_situation")
        plan.selectbox("How often (the plan the progress report measures against)", PLANS,
                       format_func=lambda times: plan_text(times or None), key="builder_plan")
        st.text_area("Advice shown with the routine (optional, one a line)", key="builder_notes")
        steps = st.session_state.setdefault(STEPS, [])
        _step_list(steps, templates)
        _add_step(templates)
        st.checkbox("Replace my routine of the same name", key="builder_replace")
        st.button("Save the routine", type="primary", key="builder_save", on_click=_save_built, args=(templates,))
        if problem := st.session_state.pop(PROBLEM, None):
            st.error(problem)


def _step_list(steps: list[dict], templates: dict[str, Template]) -> None:
    """The steps so far, each with "Move up" (from the second) and "Remove". The buttons act in
    callbacks, before the page is drawn again: a second click while it is drawn is not lost."""
    if not steps:
        st.caption("No steps yet: add the first below.")
    for index, step in enumerate(steps):
        words, up, remove = st.columns([6, 1, 1])
        words.markdown(f"{index + 1}. {step_text(step_of(step), templates[step['exercise']])}")
        if index:
            up.button("Move up", key=f"builder-up-{index}", on_click=_change_steps, args=(step_moved_up, index))
        remove.button("Remove", key=f"builder-remove-{index}", on_click=_change_steps, args=(without_step, index))


def _change_steps(change, index: int) -> None:
    st.session_state[STEPS] = change(st.session_state[STEPS], index)


def _add_step(templates: dict[str, Template]) -> None:
    """The next step's fields, and "Add the step"."""
    st.markdown("**Add a step**")
    exercise = st.selectbox("Exercise", sorted(templates), format_func=lambda n: templates[n].title,
                            key="builder_exercise")
    template = templates[exercise]
    held = template.hold is not None and st.radio("Count", ["reps", "holds"], horizontal=True,
                                                  key="builder_kind") == "holds"
    st.number_input("How many holds" if held else "How many reps", 1, 50, 5, key="builder_count")
    if held:
        st.number_input("Seconds each hold", 1.0, 600.0, float(template.hold.target_seconds),
                        key=f"builder_seconds-{exercise}")
    if template.sides:
        st.checkbox("On each side", value=True, key="builder_per_side")
    st.number_input("Rest after it (seconds)", 0, 600, 30, step=5, key="builder_rest")
    st.button("Add the step", key="builder_add", on_click=_append_step, args=(templates,))


def _append_step(templates: dict[str, Template]) -> None:
    """The step the fields say, added in a callback: it reads the fields as they are at the click
    (a number typed just before it included)."""
    state = st.session_state
    template = templates[state.builder_exercise]
    held = template.hold is not None and state.get("builder_kind") == "holds"
    seconds = float(state.get(f"builder_seconds-{template.name}", template.hold.target_seconds)) if held else None
    per_side = bool(template.sides and state.get("builder_per_side", True))
    state[STEPS] = [*state[STEPS], new_step(template.name, int(state.builder_count), seconds, per_side,
                                            float(state.builder_rest))]


def _save_built(templates: dict[str, Template]) -> None:
    """Save the routine built: a new one, or the user's routine being edited (renamed when its
    name changed), and empty the builder. A problem is said, steps numbered from 1, and nothing
    is saved."""
    state = st.session_state
    editing, replace = state.get(EDITING), state.builder_replace
    name = state.builder_name.strip() or name_from_title(state.builder_title)
    data = routine_data(name, state.builder_title.strip(), state.builder_summary.strip(), state[STEPS],
                        state.builder_situation, tuple(state.builder_notes.splitlines()), state.builder_plan or None)
    try:
        text = routine_toml(parse_routine(data, templates, source="Your routine"))
        if editing:
            path = save_edited_routine(text, templates, editing, user_routines_dir(), replace, source="Your routine")
        else:
            path = save_routine(text, templates, user_routines_dir(), replace, source="Your routine")
    except RoutineError as exc:
        state[PROBLEM] = builder_message(exc)
        return
    state[SAVED] = (path.stem, str(path))
    clear_builder()
    state[OPEN] = False
