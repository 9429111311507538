"""The Routines page: pick a routine, pass the safety check, rate the pain, then be guided
exercise by exercise (its demonstration, the live count against the routine's target, a rest
countdown before the next, skip and stop), and rate the pain again at the end. Each exercise is
stored as a session of one routine run. With the routine: download it, start the builder from it,
and edit or delete one's own; below it: build a routine, or import one (posecheck/ui/my_routines.py)."""

from __future__ import annotations

import time

import streamlit as st

from posecheck.core.pain import helpful_exercises, suggestion
from posecheck.core.routine import Routine, step_target
from posecheck.core.template import Template
from posecheck.io.routines import load_available_routines, own_routine_names, shipped_routine_names
from posecheck.pipeline.live import LiveCoach
from posecheck.presentation.report import plan_text, step_text
from posecheck.ui import flow
from posecheck.ui.flow import DONE, PAIN, SKIPPED, STOPPED, RoutineRun, StepCoach
from posecheck.ui.camera import (new_coach, open_store, retire_coach, scroll_to_camera, show_demo, show_live,
                               start_camera, use_coach_style, wait_for_picture, warn_if_no_picture)
from posecheck.ui.pain_widgets import pain_rating, safety_check
from posecheck.ui.my_routines import builder_section, import_section, routine_actions, take_saved_choice


def routine_page(templates: dict[str, Template]) -> None:
    st.title("Routines")
    st.caption("Exercises in order, with their reps or holds and the rests between them.")
    routines, broken = load_available_routines(templates)
    for name, problem in broken.items():
        st.warning(f"{name} is unavailable: {problem}")
    run: RoutineRun | None = st.session_state.get("routine_run")
    if run is not None:
        if run.finished:
            show_run_end(run, templates)
        else:
            show_step(run, templates)
        return
    take_saved_choice()
    if routines:
        if st.session_state.get("routine_choice") not in routines:  # none yet, or the one picked was deleted
            st.session_state.routine_choice = next(iter(routines))
        name = st.selectbox("Routine", list(routines), format_func=lambda n: routines[n].title, key="routine_choice")
        own = own_routine_names()
        routine_actions(routines[name], name in own, routines.keys() | own | shipped_routine_names())
        preview(routines[name], templates)
    else:
        st.info("No routine could be loaded.")
    st.divider()
    builder_section(templates)
    import_section(templates)


def preview(routine: Routine, templates: dict[str, Template]) -> None:
    st.subheader(routine.title)
    st.write(routine.summary)
    st.caption(f"How often: {plan_text(routine.sessions_per_week)}.")
    st.markdown("\n".join(f"{i}. {step_text(step, templates[step.exercise])}" for i, step in enumerate(routine.steps, 1)))
    for note in routine.notes:
        st.caption(note)
    store = open_store()
    in_routine = {step.exercise for step in routine.steps}
    for relief in helpful_exercises(store.pain_records() if store else []):
        if relief.exercise in in_routine:
            st.success(suggestion(relief, templates[relief.exercise].title))
    if not safety_check():
        return
    pain = pain_rating("How is your back pain right now?", key=f"routine-pain-before-{routine.name}")
    if st.button("Start the routine", type="primary"):
        st.session_state.routine_run = flow.start_run(routine, store, pain)
        st.rerun()


def step_coach(run: RoutineRun, template: Template) -> LiveCoach:
    """One coach (one stored session) per step of the run."""
    slot = st.session_state.setdefault("routine_coach", StepCoach())
    return flow.step_coach(slot, run, lambda: new_coach(template, "webcam", run.run_id), retire_coach)


def show_step(run: RoutineRun, templates: dict[str, Template]) -> None:
    """One step, or the rest after it. The camera keeps its place (and keeps running) through the
    whole run; the heading and the panel beside it change: the step's target and live count, or
    a large rest countdown with the next exercise's demonstration."""
    use_coach_style()
    steps = run.routine.steps
    step = steps[run.step]
    template = templates[step.exercise]
    resting = run.resting
    upcoming = templates[steps[run.step + 1].exercise] if resting else None
    with st.empty().container():  # one slot: the camera below keeps its place in the page (and runs on)
        if resting:
            st.subheader(f"Rest, then step {run.step + 2} of {len(steps)}: {upcoming.title}")
            st.markdown(f"**Next:** {step_text(steps[run.step + 1], upcoming)}")
        else:
            st.subheader(f"Step {run.step + 1} of {len(steps)}: {template.title}")
            st.markdown(f"**Do:** {step_text(step, template)}")
    coach = step_coach(run, template)
    left, right = st.columns([3, 2])
    with left:
        camera = f"routine-{run.key}"
        ctx = start_camera(camera, coach, None, sample_offered=False)  # one camera for the whole run
    with right:
        panel = st.empty()
        show_demo(upcoming or template)
    skip, stop, hurts = st.columns(3)
    if resting:
        if skip.button("Skip the rest", use_container_width=True, key="skip-rest"):
            flow.next_step(run)
            st.rerun()
    elif skip.button("Skip this exercise", use_container_width=True, key="skip-step"):
        flow.end_step(run, coach, SKIPPED, open_store(), time.monotonic)
        st.rerun()
    if stop.button("Stop the routine", use_container_width=True):
        flow.end_run(run, coach, STOPPED, open_store())
        st.rerun()
    if hurts.button("Stop: it hurts", type="primary", use_container_width=True):
        flow.end_run(run, coach, PAIN, open_store())
        st.rerun()
    status = st.empty()
    if not ctx.state.playing:
        status.info("Press START when you are in position: the count starts with the camera.")
        wait_for_picture(ctx, coach, camera, status)
    else:
        scroll_to_camera()
    while ctx.state.playing:
        if run.resting:
            if flow.end_rest_if_over(run, time.monotonic):
                st.rerun()
            panel.markdown(rest_html(flow.rest_left(run, time.monotonic), upcoming.title,
                                     step_text(steps[run.step + 1], upcoming)), unsafe_allow_html=True)
        else:
            snapshot = coach.snapshot()
            show_live(panel, snapshot, template, target=step_target(step),
                      each_side=step.each if step.per_side else None)
            warn_if_no_picture(ctx, coach, camera, status)
            if flow.step_met(run, snapshot.state.reps_by_side):
                flow.end_step(run, coach, DONE, open_store(), time.monotonic)
                st.rerun()
        time.sleep(0.3)


def rest_html(seconds_left: float, next_title: str, next_text: str) -> str:
    """The rest screen's panel: a large countdown and what comes next."""
    import html

    return (f'<div class="coach-view" id="rest-view"><p class="label">Rest</p>'
            f'<p class="count" id="rest-countdown">{max(seconds_left, 0):.0f} <small>s</small></p>'
            f'<p class="cue">Next: {html.escape(next_title)}</p><p class="label">{html.escape(next_text)}</p></div>')


def show_run_end(run: RoutineRun, templates: dict[str, Template]) -> None:
    kind, message = flow.run_end_message(run)
    {"error": st.error, "info": st.info, "success": st.success}[kind](message)
    titles = {name: template.title for name, template in templates.items()}
    st.dataframe(flow.result_rows(run, titles), use_container_width=True, hide_index=True)
    if not run.pain_after_saved:
        pain = pain_rating("How is your back pain now, after the routine?", key=f"routine-pain-after-{run.key}")
        if flow.save_run_pain_after(run, open_store(), pain):
            st.toast(f"Pain {pain}/10 saved with the routine.")
    if st.button("Back to the routines"):
        st.session_state.routine_run = None
        st.rerun()
