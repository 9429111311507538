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
from posecheck.ui.live import (new_coach, open_store, retire_coach, scroll_to_camera, show_demo, show_live,
                               start_camera, use_coach_style, wait_for_picture, warn_if_no_picture)
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
        retire_coach(st.session_state.get("routine_coach"))
        st.session_state.routine_coach = new_coach(template, "webcam", run.run_id)
        st.session_state.routine_coach_key = key
    return st.session_state.routine_coach


def show_step(run: RoutineRun, templates: dict[str, Template]) -> None:
    """One step, or the rest after it. The camera keeps its place (and keeps running) through the
    whole run; the heading and the panel beside it change: the step's target and live count, or
    a large rest countdown with the next exercise's demonstration."""
    use_coach_style()
    steps = run.routine.steps
    step = steps[run.step]
    template = templates[step.exercise]
    resting = run.rest_until is not None
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
            next_step(run)
            st.rerun()
    elif skip.button("Skip this exercise", use_container_width=True, key="skip-step"):
        end_step(run, coach, "skipped")
        st.rerun()
    if stop.button("Stop the routine", use_container_width=True):
        end_run(run, coach, "stopped")
        st.rerun()
    if hurts.button("Stop: it hurts", type="primary", use_container_width=True):
        end_run(run, coach, "pain")
        st.rerun()
    status = st.empty()
    if not ctx.state.playing:
        status.info("Press START when you are in position: the count starts with the camera.")
        wait_for_picture(ctx, coach, camera, status)
    else:
        scroll_to_camera()
    while ctx.state.playing:
        if run.rest_until is not None:
            left_s = run.rest_until - time.monotonic()
            if left_s <= 0:
                next_step(run)
                st.rerun()
            panel.markdown(rest_html(left_s, upcoming.title, step_text(steps[run.step + 1], upcoming)),
                           unsafe_allow_html=True)
        else:
            snapshot = coach.snapshot()
            show_live(panel, snapshot, template, target=step_target(step),
                      each_side=step.each if step.per_side else None)
            warn_if_no_picture(ctx, coach, camera, status)
            if step_done(step, snapshot.state.reps_by_side):
                end_step(run, coach, "done")
                st.rerun()
        time.sleep(0.3)


def rest_html(seconds_left: float, next_title: str, next_text: str) -> str:
    """The rest screen's panel: a large countdown and what comes next."""
    import html

    return (f'<div class="coach-view" id="rest-view"><p class="label">Rest</p>'
            f'<p class="count" id="rest-countdown">{max(seconds_left, 0):.0f} <small>s</small></p>'
            f'<p class="cue">Next: {html.escape(next_title)}</p><p class="label">{html.escape(next_text)}</p></div>')


def record_step(run: RoutineRun, summary: dict, how: str) -> None:
    """The current step's result, for the end-of-run summary."""
    step = run.routine.steps[run.step]
    run.results.append({"exercise": step.exercise, "reps": summary.reps, "target": step_target(step),
                        "ended": how, "holds_s": summary.holds_s})


def end_step(run: RoutineRun, coach: LiveCoach, how: str) -> None:
    """Close this step's session and rest before the next (or end the run after the last). A
    skipped step is stored as a session stopped as 'skipped', even if nothing was done in it."""
    record_step(run, coach.finish(), how)
    if how == "skipped":
        mark_skipped(run, coach)
    step = run.routine.steps[run.step]
    if run.step + 1 >= len(run.routine.steps):
        end_run(run, None, "")
    elif how == "skipped" or not step.rest_seconds:
        next_step(run)
    else:
        run.rest_until = time.monotonic() + step.rest_seconds


def mark_skipped(run: RoutineRun, coach: LiveCoach) -> None:
    store = open_store()
    if store is None or run.run_id is None:
        return
    session_id = coach.recorder.session_id if coach.recorder is not None else \
        store.start_session(coach.template.name, "live", "webcam", routine_run=run.run_id)
    store.stop_session(session_id, "skipped")


def next_step(run: RoutineRun) -> None:
    run.step += 1
    run.rest_until = None


def end_run(run: RoutineRun, coach: LiveCoach | None, reason: str) -> None:
    """The run ends: the last step is done, or the user stopped it (`reason` says why). A run
    with skipped steps is stored as such, not as finished."""
    store = open_store()
    if coach is not None:
        record_step(run, coach.finish(), reason)
        if store and coach.recorder is not None and reason:
            store.stop_session(coach.recorder.session_id, reason)
    skipped = sum(r["ended"] == "skipped" for r in run.results)
    if not reason and skipped:
        reason = f"skipped {skipped} of {len(run.routine.steps)}"
    run.stop_reason, run.finished = reason, True
    if store and run.run_id is not None:
        if reason:
            store.stop_session(run.run_id, reason, table="routine_runs")
        store.finish_routine_run(run.run_id)


def show_run_end(run: RoutineRun, templates: dict[str, Template]) -> None:
    done = sum(r["ended"] in ("", "done") for r in run.results)
    total = len(run.routine.steps)
    if run.stop_reason == "pain":
        st.error(STOPPED_FOR_PAIN)
    elif run.stop_reason.startswith("skipped"):
        st.info(f"{run.routine.title}: {done} of {total} exercises done, {run.stop_reason}. What you did is saved.")
    elif run.stop_reason:
        st.info(f"Routine stopped after {done} of {total} exercises. What you did is saved.")
    else:
        st.success(f"{run.routine.title}: all {total} exercises done. Well done!")
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
