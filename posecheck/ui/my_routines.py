"""On the Routines page: build a routine step by step, download any routine as a .toml file, and
import one. The checks and the file writing are posecheck/core/routine_builder.py and
posecheck/io/routines.py; this module only lays out the widgets. A saved or imported routine
is picked in the routine list at once (`take_saved_choice`, before the list is drawn)."""

from __future__ import annotations

import streamlit as st

from posecheck.core.routine import SITUATIONS, Routine, RoutineError, parse_routine
from posecheck.core.routine_builder import (name_from_title, new_step, routine_data, routine_toml, step_moved_up,
                                            step_of, without_step)
from posecheck.core.template import Template
from posecheck.io.routines import save_routine, user_routines_dir
from posecheck.presentation.report import step_text

SAVED = "routine_saved"  # the name of the routine just saved, to pick it in the list
STEPS = "builder_steps"  # the steps built so far: tables as a routine file holds them


def take_saved_choice() -> None:
    """Pick the routine just saved or imported in the routine list, and say where it went."""
    saved = st.session_state.pop(SAVED, None)
    if saved:
        name, path = saved
        st.session_state.routine_choice = name
        st.success(f"Saved your routine {name!r} in {path}.")


def download_button(routine: Routine) -> None:
    st.download_button("Download this routine (.toml)", routine_toml(routine), file_name=f"{routine.name}.toml",
                       mime="application/toml", key=f"download-{routine.name}")


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
        st.session_state.import_problem = f"This routine file cannot be imported: {str(exc).rstrip('.')}."
        return
    st.session_state[SAVED] = (path.stem, str(path))


def builder_section(templates: dict[str, Template]) -> None:
    with st.expander("Build a routine"):
        title = st.text_input("Title", key="builder_title", max_chars=60)
        st.text_input("Name (lower-case words joined by '-')", key="builder_name",
                      placeholder=name_from_title(title) or "my-routine")
        st.text_input("A short note: what it is for", key="builder_summary", max_chars=200)
        st.selectbox("Who it is for", SITUATIONS, index=SITUATIONS.index("general"), key="builder_situation")
        st.text_area("Advice shown with the routine (optional, one a line)", key="builder_notes")
        steps = st.session_state.setdefault(STEPS, [])
        _step_list(steps, templates)
        _add_step(templates)
        replace = st.checkbox("Replace my routine of the same name", key="builder_replace")
        if st.button("Save the routine", type="primary", key="builder_save"):
            _save_built(templates, replace)


def _step_list(steps: list[dict], templates: dict[str, Template]) -> None:
    if not steps:
        st.caption("No steps yet: add the first below.")
    for index, step in enumerate(steps):
        words, up, remove = st.columns([6, 1, 1])
        words.markdown(f"{index + 1}. {step_text(step_of(step), templates[step['exercise']])}")
        if index and up.button("Move up", key=f"builder-up-{index}"):
            st.session_state[STEPS] = step_moved_up(steps, index)
            st.rerun()
        if remove.button("Remove", key=f"builder-remove-{index}"):
            st.session_state[STEPS] = without_step(steps, index)
            st.rerun()


def _add_step(templates: dict[str, Template]) -> None:
    """The next step's fields, and "Add the step"."""
    st.markdown("**Add a step**")
    exercise = st.selectbox("Exercise", sorted(templates), format_func=lambda n: templates[n].title,
                            key="builder_exercise")
    template = templates[exercise]
    held = template.hold is not None and st.radio("Count", ["reps", "holds"], horizontal=True,
                                                  key="builder_kind") == "holds"
    count = st.number_input("How many holds" if held else "How many reps", 1, 50, 5, key="builder_count")
    seconds = st.number_input("Seconds each hold", 1.0, 600.0, float(template.hold.target_seconds),
                              key=f"builder_seconds-{exercise}") if held else None
    per_side = template.sides and st.checkbox("On each side", value=True, key="builder_per_side")
    rest = st.number_input("Rest after it (seconds)", 0, 600, 30, step=5, key="builder_rest")
    if st.button("Add the step", key="builder_add"):
        st.session_state[STEPS] = [*st.session_state[STEPS],
                                   new_step(exercise, int(count), seconds, bool(per_side), float(rest))]
        st.rerun()


def _save_built(templates: dict[str, Template], replace: bool) -> None:
    state = st.session_state
    name = state.builder_name.strip() or name_from_title(state.builder_title)
    data = routine_data(name, state.builder_title.strip(), state.builder_summary.strip(), state[STEPS],
                        state.builder_situation, tuple(state.builder_notes.splitlines()))
    try:
        routine = parse_routine(data, templates, source="Your routine")
        path = save_routine(routine_toml(routine), templates, user_routines_dir(), replace, source="Your routine")
    except RoutineError as exc:
        st.error(f"{str(exc).rstrip('.')}.")
        return
    state[SAVED] = (routine.name, str(path))
    state[STEPS] = []
    st.rerun()
