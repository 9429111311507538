"""The live pages' decisions (ui/flow.py) without a browser: a live session's start, end and stop
for pain on the Exercises page; a routine's steps (done, skipped, rest, stopped, finished) on the
Routines page. A small stand-in coach, a real store in a temporary folder, a clock set by hand."""

import uuid
from types import SimpleNamespace

import pytest

from posecheck.core.routine import Routine, Step
from posecheck.core.summary import SessionSummary
from posecheck.io.store import SessionRecorder, Store
from posecheck.ui import flow
from posecheck.ui.flow import DONE, PAIN, SKIPPED, STOPPED, LiveSession, StepCoach


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Coach:
    """What the flow uses of a LiveCoach: its session's recorder (made once a frame came), its
    template, `finish()` (the same summary every time) and whether it is closed."""

    def __init__(self, exercise="knee-to-chest", store=None, routine_run=None, reps=0, frames=True):
        self.template = SimpleNamespace(name=exercise, title=exercise.replace("-", " ").capitalize())
        self.key = uuid.uuid4().hex
        self.recorder = SessionRecorder(store, exercise, "live", "webcam", routine_run) if store and frames else None
        self.reps, self.closed, self._summary = reps, False, None

    def finish(self) -> SessionSummary:
        if self._summary is None:
            self._summary = SessionSummary(self.template.name, self.reps, {"right": self.reps}, [12.0] * self.reps)
            if self.recorder is not None:
                self.recorder.finish(self._summary)
        return self._summary


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "history.db")


def run_row(store, run_id):
    (row,) = [r for r in store.routine_runs() if r["id"] == run_id]
    return row


# ----- the Exercises page ------------------------------------------------------------------------
def test_a_coach_is_made_for_each_exercise_and_camera_and_after_a_session_ends(store):
    state, made, retired = LiveSession(), [], []

    def make():
        made.append(Coach(store=store))
        return made[-1]

    def retire(coach):  # the page's retire_coach: nothing to do for no coach
        if coach is not None:
            retired.append(coach)

    first = flow.live_coach(state, "live-cat-cow-webcam", make, retire)
    assert flow.live_coach(state, "live-cat-cow-webcam", make, retire) is first  # a rerun: the same
    second = flow.live_coach(state, "live-cat-cow-sample.mp4", make, retire)  # another camera
    assert second is not first and retired == [first]
    flow.end_session(state)
    third = flow.live_coach(state, "live-cat-cow-sample.mp4", make, retire)  # the next session
    assert third is not second and retired == [first, second] and not state.done
    third.closed = True  # closed by the sweep of a gone browser session
    assert flow.live_coach(state, "live-cat-cow-sample.mp4", make, retire) is not third


def test_stopping_shows_the_summary_asks_the_pain_after_and_stores_both_pains(store):
    state = LiveSession()
    coach = flow.live_coach(state, "cam", lambda: Coach(store=store, reps=3), lambda c: None)
    assert flow.coaching(state, playing=True)
    flow.save_pain_before(state, 6)
    flow.save_pain_before(state, 6)  # every loop of the page: stored once
    assert not flow.camera_stopped(state, frames=40, playing=True)
    assert flow.camera_stopped(state, frames=40, playing=False)
    shown = flow.end_session(state)
    session_id = coach.recorder.session_id
    assert (shown.summary.reps, shown.session_id, shown.stopped_for_pain) == (3, session_id, False)
    assert state.done and not flow.coaching(state, playing=True)
    assert not flow.camera_stopped(state, frames=40, playing=False)  # summarised: not ended again
    assert flow.end_session(state).summary is shown.summary  # a rerun ending it again changes nothing
    assert flow.shown_pains(shown, store) == (6, None)
    assert not flow.save_pain_after(state, store, None)  # not tapped yet
    assert flow.save_pain_after(state, store, 3)
    assert not flow.save_pain_after(state, store, 2)  # asked once
    assert flow.shown_pains(shown, store) == (6, 3)
    row = store.session(session_id)
    assert row["ended_at"] and row["stop_reason"] is None and row["summary"].reps == 3


def test_a_camera_stopped_before_any_picture_ends_no_session(store):
    state = LiveSession()
    flow.live_coach(state, "cam", lambda: Coach(store=store, frames=False), lambda c: None)
    assert not flow.camera_stopped(state, frames=0, playing=False)
    assert store.sessions() == []


def test_it_hurts_ends_the_session_as_stopped_for_pain_and_holds_the_camera_off_until_it_is_off(store):
    state = LiveSession()
    made = []
    coach = flow.live_coach(state, "cam", lambda: made.append(Coach(store=store, reps=1)) or made[-1],
                            lambda c: None)
    flow.stop_for_pain(state, "cam")
    assert state.shown.stopped_for_pain and state.camera_held_off == "cam"
    assert store.session(coach.recorder.session_id)["stop_reason"] == PAIN
    # The camera still sends its last frames: they must not start a new session.
    assert flow.live_coach(state, "cam", lambda: Coach(store=store), lambda c: None) is coach
    assert not flow.camera_released(state, "cam", playing=True)
    assert flow.camera_released(state, "cam", playing=False) and state.camera_held_off is None
    assert flow.live_coach(state, "cam", lambda: Coach(store=store), lambda c: None) is not coach
    assert len(made) == 1


def test_without_a_history_a_session_still_ends_and_nothing_is_asked(store):
    state = LiveSession()
    flow.live_coach(state, "cam", lambda: Coach(store=None, reps=2), lambda c: None)
    flow.save_pain_before(state, 4)
    shown = flow.end_session(state)
    assert shown.session_id is None and state.pain_after_pending is None
    assert flow.shown_pains(shown, None) == (None, None)
    assert not flow.save_pain_after(state, None, 3)


# ----- the Routines page -------------------------------------------------------------------------
def routine(*steps: Step) -> Routine:
    return Routine("test", "Test routine", "Steps for a test.", "general", (), steps)


def holds(n=1, rest=0.0, per_side=False, exercise="knee-to-chest") -> Step:
    return Step(exercise, None, n, None, per_side, rest)


def step_run(store, *steps, pain_before=None):
    run = flow.start_run(routine(*steps), store, pain_before)
    slot = StepCoach()

    def coach(reps=0, frames=True):
        exercise = run.routine.steps[run.step].exercise
        return flow.step_coach(slot, run, lambda: Coach(exercise, store, run.run_id, reps, frames), lambda c: None)

    return run, coach


def test_a_step_done_rests_then_moves_on_and_the_last_one_ends_the_run(store):
    clock = Clock()
    run, coach = step_run(store, holds(1, rest=30), holds(1), pain_before=5)
    assert run_row(store, run.run_id)["pain_before"] == 5
    first = coach(reps=1)
    assert not flow.step_met(run, {"right": 0}) and flow.step_met(run, {"right": 1})
    flow.end_step(run, first, DONE, store, clock)
    assert run.resting and run.step == 0 and flow.rest_left(run, clock) == 30
    assert not flow.step_met(run, {"right": 1})  # resting: nothing more to meet
    clock.now += 29.5
    assert not flow.end_rest_if_over(run, clock) and flow.rest_left(run, clock) == 0.5
    clock.now += 0.5
    assert flow.end_rest_if_over(run, clock) and run.step == 1 and not run.resting
    second = coach(reps=1)
    assert second is not first  # one coach, one stored session, per step
    flow.end_step(run, second, DONE, store, clock)
    assert run.finished and run.stop_reason == "" and not run.resting
    assert flow.run_end_message(run) == ("success", "Test routine: all 2 exercises done. Well done!")
    assert [r["How it ended"] for r in flow.result_rows(run, {})] == ["done", "done"]
    row = run_row(store, run.run_id)
    assert row["ended_at"] and row["stop_reason"] is None and len(row["sessions"]) == 2


def test_per_side_steps_need_each_side(store):
    run, _ = step_run(store, holds(2, per_side=True, exercise="bird-dog"))
    assert not flow.step_met(run, {"left": 3, "right": 1})
    assert flow.step_met(run, {"left": 2, "right": 2})


def test_skipping_the_rest_moves_on_at_once(store):
    clock = Clock()
    run, coach = step_run(store, holds(1, rest=30), holds(1))
    flow.end_step(run, coach(reps=1), DONE, store, clock)
    flow.next_step(run)  # "Skip the rest"
    assert run.step == 1 and not run.resting and flow.rest_left(run, clock) is None


def test_a_skipped_step_is_stored_as_skipped_has_no_rest_and_the_run_says_so(store):
    clock = Clock()
    run, coach = step_run(store, holds(1, rest=30), holds(1, rest=30), holds(1))
    flow.end_step(run, coach(frames=False), SKIPPED, store, clock)  # skipped before any picture
    assert run.step == 1 and not run.resting
    flow.end_step(run, coach(reps=1), DONE, store, clock)
    clock.now += 30
    flow.end_rest_if_over(run, clock)
    flow.end_step(run, coach(reps=0), SKIPPED, store, clock)  # the last one skipped: the run ends
    assert run.finished and run.stop_reason == "skipped 2 of 3"
    assert flow.run_end_message(run) == (
        "info", "Test routine: 1 of 3 exercises done, skipped 2 of 3. What you did is saved.")
    row = run_row(store, run.run_id)
    assert row["stop_reason"] == "skipped 2 of 3" and row["ended_at"]
    reasons = [store.session(sid)["stop_reason"] for sid in row["sessions"]]
    assert reasons == [SKIPPED, None, SKIPPED]  # the first had no session yet: one was made to say so


def test_stopping_the_routine_keeps_what_was_done(store):
    clock = Clock()
    run, coach = step_run(store, holds(1), holds(1))
    flow.end_step(run, coach(reps=1), DONE, store, clock)
    current = coach(reps=0)
    flow.end_run(run, current, STOPPED, store)
    assert run.finished and run.stop_reason == STOPPED
    assert flow.run_end_message(run) == ("info", "Routine stopped after 1 of 2 exercises. What you did is saved.")
    assert store.session(current.recorder.session_id)["stop_reason"] == STOPPED
    assert run_row(store, run.run_id)["stop_reason"] == STOPPED


def test_it_hurts_stops_the_run_for_pain_and_the_pain_after_is_stored_once(store):
    clock = Clock()
    run, coach = step_run(store, holds(1), holds(1))
    current = coach(reps=0)
    flow.end_run(run, current, PAIN, store)
    assert flow.run_end_message(run) == ("error", flow.STOPPED_FOR_PAIN)
    assert flow.result_rows(run, {"knee-to-chest": "Knee to chest"}) == [
        {"Exercise": "Knee to chest", "Done": 0, "Target": 1, "How it ended": PAIN, "Holds (s)": "-"}]
    assert store.session(current.recorder.session_id)["stop_reason"] == PAIN
    assert not flow.save_run_pain_after(run, store, None)
    assert flow.save_run_pain_after(run, store, 7) and not flow.save_run_pain_after(run, store, 2)
    row = run_row(store, run.run_id)
    assert (row["stop_reason"], row["pain_after"]) == (PAIN, 7)


def test_without_a_history_a_routine_still_runs_to_its_end():
    clock = Clock()
    run, coach = step_run(None, holds(1, rest=10), holds(1))
    assert run.run_id is None
    flow.end_step(run, coach(frames=False), SKIPPED, None, clock)
    flow.end_step(run, coach(reps=1), DONE, None, clock)
    assert run.finished and run.stop_reason == "skipped 1 of 2"
    assert not flow.save_run_pain_after(run, None, 3)
