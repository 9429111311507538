"""The Routines page: pick a routine, pass the safety check, rate the pain, then be guided
exercise by exercise (its demonstration, the live count against the routine's target, a rest
countdown before the next, skip and stop), and rate the pain again at the end. Each exercise is
stored as a session of one routine run."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

import streamlit as st

from posecheck.core.pain import helpful_exercises, suggestion
from posecheck.core.routine import Routine, step_done, step_target
from posecheck.core.template import Template
from posecheck.io.routines import load_available_routines
from posecheck.live import LiveCoach
from posecheck.report import step_text
from posecheck.ui.live import (new_coach, open_store, show_demo, show_live, start_camera, wait_for_picture,
                               warn_if_no_picture)
from posecheck.ui.pain import STOPPED_FOR_PAIN, pain_rating, safety_check


@dataclass
class RoutineRun:
    routine: Routine
    run_id: int | None  # None when the history cannot be opened: the routine still runs
    step: int = 0
    rest_until: float | None = None  # while resting after the current step
    results: list[dict] = field(default_factory=list)  # per step: exercise, reps, target, how it ended
    stop_reason: str = ""
    finished: bool = False
    pain_after_saved: bool = False
    # Names this run's camera and coaches: unique, unlike id(run), which a later run can reuse once
    # this one is gone (it would then inherit this run's finished coach and camera state).
    key: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


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
    if not routines:
        st.info("No routine could be loaded.")
        return
    name = st.selectbox("Routine", list(routines), format_func=lambda n: routines[n].title, key="routine_choice")
    preview(routines[name], templates)


def preview(routine: Routine, templates: dict[str, Template]) -> None:
    st.subheader(routine.title)
    st.write(routine.summary)
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
        run_id = store.start_routine_run(routine.name) if store else None
        if store and pain is not None:
            store.set_pain(run_id, before=pain, table="routine_runs")
        st.session_state.routine_run = RoutineRun(routine, run_id)
        st.rerun()


def step_coach(run: RoutineRun, template: Template) -> LiveCoach:
    """One coach (one stored session) per step of the run."""
    key = (run.key, run.step)
    if st.session_state.get("routine_coach_key") != key:
        st.session_state.routine_coach = new_coach(template, "webcam", run.run_id)
        st.session_state.routine_coach_key = key
    return st.session_state.routine_coach


def show_step(run: RoutineRun, templates: dict[str, Template]) -> None:
    steps = run.routine.steps
    step = steps[run.step]
    template = templates[step.exercise]
    st.subheader(f"Step {run.step + 1} of {len(steps)}: {template.title}")
    st.write(step_text(step, template))
    coach = step_coach(run, template)
    left, right = st.columns([3, 2])
    with right:
        show_demo(template)
    with left:
        camera = f"routine-{run.key}"
        ctx = start_camera(camera, coach, None)  # one camera for the whole run
    skip, stop, hurts = st.columns(3)
    if skip.button("Skip this exercise"):
        end_step(run, coach, "skipped")
        st.rerun()
    if stop.button("Stop the routine"):
        end_run(run, coach, "stopped")
        st.rerun()
    if hurts.button("Stop: it hurts"):
        end_run(run, coach, "pain")
        st.rerun()
    status, counts, progress = st.empty(), st.empty(), st.empty()
    if not ctx.state.playing:
        status.info("Press START when you are in position: the count starts with the camera.")
        wait_for_picture(ctx, coach, camera, status)
    while ctx.state.playing:
        snapshot = coach.snapshot()
        show_live(counts, status, snapshot, template)
        warn_if_no_picture(ctx, coach, camera, status)
        if run.rest_until is None and step_done(step, snapshot.state.reps_by_side):
            end_step(run, coach, "done")
            if run.finished:
                st.rerun()
        if run.rest_until is not None:
            left_s = run.rest_until - time.monotonic()
            if left_s <= 0:
                next_step(run)
                st.rerun()
            upcoming = templates[steps[run.step + 1].exercise].title
            progress.info(f"Well done. Rest {left_s:.0f} s, then: {upcoming}.")
        else:
            progress.progress(min(snapshot.state.reps / step_target(step), 1.0),
                              text=f"{snapshot.state.reps} of {step_target(step)}" + per_side_text(step, snapshot))
        time.sleep(0.3)


def per_side_text(step, snapshot) -> str:
    if not step.per_side:
        return ""
    counts = snapshot.state.reps_by_side
    return f" (left {counts.get('left', 0)} of {step.each}, right {counts.get('right', 0)} of {step.each})"


def record_step(run: RoutineRun, summary: dict, how: str) -> None:
    """The current step's result, for the end-of-run summary."""
    step = run.routine.steps[run.step]
    run.results.append({"exercise": step.exercise, "reps": summary["reps"], "target": step_target(step),
                        "ended": how, "holds_s": summary["holds_s"]})


def end_step(run: RoutineRun, coach: LiveCoach, how: str) -> None:
    """Close this step's session and rest before the next (or end the run after the last)."""
    record_step(run, coach.finish(), how)
    step = run.routine.steps[run.step]
    if run.step + 1 >= len(run.routine.steps):
        end_run(run, None, "")
    elif how == "skipped" or not step.rest_seconds:
        next_step(run)
    else:
        run.rest_until = time.monotonic() + step.rest_seconds


def next_step(run: RoutineRun) -> None:
    run.step += 1
    run.rest_until = None


def end_run(run: RoutineRun, coach: LiveCoach | None, reason: str) -> None:
    """The run ends: the last step is done, or the user stopped it (`reason` says why)."""
    store = open_store()
    if coach is not None:
        record_step(run, coach.finish(), reason)
        if store and coach.recorder is not None and reason:
            store.stop_session(coach.recorder.session_id, reason)
    run.stop_reason, run.finished = reason, True
    if store and run.run_id is not None:
        if reason:
            store.stop_session(run.run_id, reason, table="routine_runs")
        store.finish_routine_run(run.run_id)


def show_run_end(run: RoutineRun, templates: dict[str, Template]) -> None:
    if run.stop_reason == "pain":
        st.error(STOPPED_FOR_PAIN)
    elif run.stop_reason:
        st.info("Routine stopped. What you did is saved.")
    else:
        st.success(f"{run.routine.title}: done. Well done!")
    st.dataframe([{"Exercise": templates[r["exercise"]].title if r["exercise"] in templates else r["exercise"],
                   "Done": r["reps"], "Target": r["target"], "How it ended": r["ended"] or "done",
                   "Holds (s)": ", ".join(f"{h:.0f}" for h in r["holds_s"]) or "-"} for r in run.results],
                 use_container_width=True, hide_index=True)
    if not run.pain_after_saved:
        pain = pain_rating("How is your back pain now, after the routine?", key=f"routine-pain-after-{run.key}")
        store = open_store()
        if pain is not None and store and run.run_id is not None:
            store.set_pain(run.run_id, after=pain, table="routine_runs")
            run.pain_after_saved = True
            st.toast(f"Pain {pain}/10 saved with the routine.")
    if st.button("Back to the routines"):
        st.session_state.routine_run = None
        st.rerun()
