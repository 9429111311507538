"""The live pages' decisions, without Streamlit: when a live session starts, ends or stops for
pain (the Exercises page), and how a routine moves on from step to step (done, skipped, a rest,
stopped, finished) and what its end says (the Routines page).

Each function takes the page's state object (kept by the page in st.session_state), the history
store where something is saved (None when the history cannot be opened: coaching still works,
nothing is saved) and, where time matters, a clock `now()`. The pages draw; these decide, and
are tested without a browser (tests/test_session_flow.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from posecheck.core.routine import Routine, step_done, step_target
from posecheck.core.summary import SessionSummary

if TYPE_CHECKING:
    from posecheck.io.store import Store
    from posecheck.pipeline.live import LiveCoach

STOPPED_FOR_PAIN = ("Stopped because it hurts. Rest now; what you did is saved. If the pain stays, is severe, "
                    "or spreads into a leg, see a doctor or physiotherapist before exercising again.")
PAIN, SKIPPED, STOPPED, DONE = "pain", "skipped", "stopped", "done"  # how a step or a run ended

Clock = Callable[[], float]
MakeCoach = Callable[[], "LiveCoach"]
RetireCoach = Callable[["LiveCoach | None"], None]


# ----- a live session on the Exercises page ------------------------------------------------------
@dataclass
class ShownSummary:
    """The last session's summary, on screen after STOP until the next session starts."""

    summary: SessionSummary
    session_id: int | None  # None: not saved (the history could not be opened)
    title: str
    exercise: str
    stopped_for_pain: bool
    coach: str  # the key of the coach whose session it is


@dataclass
class LiveSession:
    """The Exercises page's live coaching, across the page's reruns."""

    coach: LiveCoach | None = None
    key: str | None = None  # the exercise and camera the coach is for
    done: bool = False  # the coach's session has ended and its summary is kept
    camera_held_off: str | None = None  # the camera turned off after "Stop: it hurts", until it is off
    shown: ShownSummary | None = None
    pain_before_saved: int | None = None  # the session the pain rated before it is stored with
    pain_after_pending: int | None = None  # the session still to be asked about the pain after it


def live_coach(state: LiveSession, key: str, make: MakeCoach, retire: RetireCoach) -> LiveCoach:
    """The page's coach: a new one for a new exercise or camera, or once a session has ended (but
    not while the camera that ended it is turning off: its last frames must not start a new one)."""
    previous = state.coach
    stale = previous is None or previous.closed or state.key != key
    if stale or state.done and state.camera_held_off != key:
        retire(previous)
        state.coach, state.key, state.done = make(), key, False
    return state.coach


def coaching(state: LiveSession, playing: bool) -> bool:
    """The camera runs and its session goes on: the live loop and "Stop: it hurts" are shown."""
    return playing and not state.done


def end_session(state: LiveSession, stopped_for_pain: bool = False) -> ShownSummary:
    """Close the coach's session and keep its summary on screen until the next one. Safe to
    repeat (a rerun can interrupt a run anywhere): `finish` returns the same summary."""
    coach = state.coach
    summary = coach.finish()
    session_id = coach.recorder.session_id if coach.recorder is not None else None
    state.shown = ShownSummary(summary, session_id, coach.template.title, coach.template.name, stopped_for_pain,
                               coach.key)
    if session_id is not None:
        state.pain_after_pending = session_id
    state.done = True  # last: the next run replaces the coach only once all is kept
    return state.shown


def camera_stopped(state: LiveSession, frames: int, playing: bool) -> bool:
    """The camera was stopped after sending pictures and its session is not summarised yet (or a
    rerun cut the last summary short): time to end the session."""
    summarised = state.shown is not None and state.shown.coach == state.coach.key
    return bool(frames) and not playing and not summarised


def stop_for_pain(state: LiveSession, camera_key: str) -> None:
    """"Stop: it hurts": counting ends at once, the camera is turned off, what was done is kept,
    and why it stopped."""
    end_session(state, stopped_for_pain=True)
    state.camera_held_off = camera_key
    recorder = state.coach.recorder
    if recorder is not None:
        recorder.store.stop_session(recorder.session_id, PAIN)


def camera_released(state: LiveSession, camera_key: str, playing: bool) -> bool:
    """The camera held off after "it hurts" is off: START is the person's again. True then (the
    page reruns to show its buttons)."""
    if state.camera_held_off == camera_key and not playing:
        state.camera_held_off = None
        return True
    return False


def save_pain_before(state: LiveSession, pain: int | None) -> None:
    """The pain rated before the session goes with it once it exists (at the camera's first frame)."""
    recorder = state.coach.recorder if state.coach is not None else None
    if pain is not None and recorder is not None and state.pain_before_saved != recorder.session_id:
        recorder.store.set_pain(recorder.session_id, before=pain)
        state.pain_before_saved = recorder.session_id


def save_pain_after(state: LiveSession, store: Store | None, pain: int | None) -> bool:
    """The pain rated after the last session, stored with it once. True when it was just saved."""
    if pain is None or store is None or state.pain_after_pending is None:
        return False
    store.set_pain(state.pain_after_pending, after=pain)
    state.pain_after_pending = None
    return True


def shown_pains(shown: ShownSummary, store: Store | None) -> tuple[int | None, int | None]:
    """The pain before and after the shown session, as stored (None where not rated or not saved)."""
    if store is None or shown.session_id is None:
        return None, None
    row = store.session(shown.session_id)
    return (row["pain_before"], row["pain_after"]) if row else (None, None)


# ----- a routine run on the Routines page ---------------------------------------------------------
@dataclass
class StepResult:
    """One step's outcome, for the end-of-run table."""

    exercise: str
    reps: int
    target: int
    ended: str  # DONE, SKIPPED, STOPPED, PAIN, or "" for the last step of a run that ran to its end
    holds_s: list[float]


@dataclass
class RoutineRun:
    routine: Routine
    run_id: int | None  # None when the history cannot be opened: the routine still runs
    step: int = 0
    rest_until: float | None = None  # while resting after the current step (the clock's time)
    results: list[StepResult] = field(default_factory=list)
    stop_reason: str = ""
    finished: bool = False
    pain_after_saved: bool = False
    # Names this run's camera and coaches: unique, unlike id(run), which a later run can reuse once
    # this one is gone (it would then inherit this run's finished coach and camera state).
    key: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def resting(self) -> bool:
        return self.rest_until is not None

    @property
    def steps_done(self) -> int:
        return sum(result.ended in ("", DONE) for result in self.results)


@dataclass
class StepCoach:
    """The Routines page's coach: one coach (one stored session) per step of a run."""

    coach: LiveCoach | None = None
    key: tuple[str, int] | None = None  # (run, step)


def start_run(routine: Routine, store: Store | None, pain_before: int | None) -> RoutineRun:
    run_id = store.start_routine_run(routine.name) if store else None
    if store and pain_before is not None:
        store.set_pain(run_id, before=pain_before, table="routine_runs")
    return RoutineRun(routine, run_id)


def step_coach(slot: StepCoach, run: RoutineRun, make: MakeCoach, retire: RetireCoach) -> LiveCoach:
    key = (run.key, run.step)
    if slot.key != key:
        retire(slot.coach)
        slot.coach, slot.key = make(), key
    return slot.coach


def record_step(run: RoutineRun, summary: SessionSummary, how: str) -> None:
    """The current step's result, for the end-of-run table."""
    step = run.routine.steps[run.step]
    run.results.append(StepResult(step.exercise, summary.reps, step_target(step), how, summary.holds_s))


def end_step(run: RoutineRun, coach: LiveCoach, how: str, store: Store | None, now: Clock) -> None:
    """Close this step's session and rest before the next (or end the run after the last). A
    skipped step is stored as a session stopped as 'skipped', even if nothing was done in it,
    and is followed by no rest."""
    record_step(run, coach.finish(), how)
    if how == SKIPPED:
        mark_skipped(run, coach, store)
    step = run.routine.steps[run.step]
    if run.step + 1 >= len(run.routine.steps):
        end_run(run, None, "", store)
    elif how == SKIPPED or not step.rest_seconds:
        next_step(run)
    else:
        run.rest_until = now() + step.rest_seconds


def step_met(run: RoutineRun, reps_by_side: dict[str, int]) -> bool:
    """The reps (or holds) counted so far meet the current step's target: time to end it."""
    return not run.resting and step_done(run.routine.steps[run.step], reps_by_side)


def mark_skipped(run: RoutineRun, coach: LiveCoach, store: Store | None) -> None:
    if store is None or run.run_id is None:
        return
    session_id = coach.recorder.session_id if coach.recorder is not None else \
        store.start_session(coach.template.name, "live", "webcam", routine_run=run.run_id)
    store.stop_session(session_id, SKIPPED)


def next_step(run: RoutineRun) -> None:
    run.step += 1
    run.rest_until = None


def rest_left(run: RoutineRun, now: Clock) -> float | None:
    """Seconds of the rest still to go (None when not resting)."""
    return None if run.rest_until is None else run.rest_until - now()


def end_rest_if_over(run: RoutineRun, now: Clock) -> bool:
    """The rest's time is up: on to the next step. True when it moved on now."""
    left = rest_left(run, now)
    if left is None or left > 0:
        return False
    next_step(run)
    return True


def end_run(run: RoutineRun, coach: LiveCoach | None, reason: str, store: Store | None) -> None:
    """The run ends: the last step is done (`reason` ""), or the person stopped it (`reason` says
    why, and `coach` is the current step's). A run with skipped steps is stored as such
    ("skipped 1 of 3"), not as finished."""
    if coach is not None:
        record_step(run, coach.finish(), reason)
        if store and coach.recorder is not None and reason:
            store.stop_session(coach.recorder.session_id, reason)
    skipped = sum(result.ended == SKIPPED for result in run.results)
    if not reason and skipped:
        reason = f"skipped {skipped} of {len(run.routine.steps)}"
    run.stop_reason, run.finished = reason, True
    if store and run.run_id is not None:
        if reason:
            store.stop_session(run.run_id, reason, table="routine_runs")
        store.finish_routine_run(run.run_id)


def run_end_message(run: RoutineRun) -> tuple[str, str]:
    """What the end of the run says, and how: ("error" | "info" | "success", text)."""
    total = len(run.routine.steps)
    if run.stop_reason == PAIN:
        return "error", STOPPED_FOR_PAIN
    if run.stop_reason.startswith(SKIPPED):
        return "info", (f"{run.routine.title}: {run.steps_done} of {total} exercises done, {run.stop_reason}. "
                        "What you did is saved.")
    if run.stop_reason:
        return "info", f"Routine stopped after {run.steps_done} of {total} exercises. What you did is saved."
    return "success", f"{run.routine.title}: all {total} exercises done. Well done!"


def result_rows(run: RoutineRun, titles: dict[str, str]) -> list[dict]:
    """The end-of-run table: each step's exercise, count against its target, how it ended, holds."""
    return [{"Exercise": titles.get(r.exercise, r.exercise), "Done": r.reps, "Target": r.target,
             "How it ended": r.ended or DONE, "Holds (s)": ", ".join(f"{h:.0f}" for h in r.holds_s) or "-"}
            for r in run.results]


def save_run_pain_after(run: RoutineRun, store: Store | None, pain: int | None) -> bool:
    """The pain rated after the run, stored with it once. True when it was just saved."""
    if pain is None or store is None or run.run_id is None or run.pain_after_saved:
        return False
    store.set_pain(run.run_id, after=pain, table="routine_runs")
    run.pain_after_saved = True
    return True
