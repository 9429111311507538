"""One session summary (core/summary.py) for live and analysed sessions, stored as JSON, and the
two older shapes of stored summaries still read."""

import json
import sqlite3

from posecheck.pipeline.analysis import AnalysisResult
from posecheck.core.events import Event, Rep
from posecheck.core.summary import FormNote, SessionSummary
from posecheck.io.store import Store, save_result
from posecheck.presentation.report import history_json, session_data

REPS = [Rep(1, "left", 1.0, 1.5, end=5.0, hold_seconds=3.0), Rep(2, "right", 6.0, 6.5, end=9.0, hold_seconds=2.0)]
EVENTS = [Event("guidance", 0.5, "Turn side-on to the camera", code="facing"),
          Event("form", 2.0, "Keep your hips level", rep=1, code="hips_level"),
          Event("hold", 5.0, "held 3.0 s", rep=1, seconds=3.0),
          Event("form", 5.0, "Arm: held 3 s of 15 s. Hold 12 s longer next time.", rep=1, code="hold_short"),
          Event("form", 7.0, "Keep your hips level!", rep=2, code="hips_level"),
          Event("guidance", 7.5, "Turn side-on to the camera", code="facing"),
          Event("hold", 9.0, "held 2.0 s", rep=2, seconds=2.0)]


def test_a_summary_counts_reps_holds_and_each_rule_once_with_its_first_message():
    summary = SessionSummary.of("bird-dog", REPS, EVENTS, 15.0)
    assert summary.reps == 2 and summary.reps_by_side == {"left": 1, "right": 1}
    assert summary.holds_s == [3.0, 2.0] and summary.hold_target_s == 15.0
    assert summary.faults == [FormNote("hips_level", "Keep your hips level", 2),
                              FormNote("hold_short", "Arm: held 3 s of 15 s. Hold 12 s longer next time.", 1)]
    assert summary.guidance == ["Turn side-on to the camera"]
    assert summary.form_messages() == ["Keep your hips level"]  # the hold shortfall is left to the holds


def test_the_most_frequent_form_note_comes_first():
    summary = SessionSummary("cat-cow", faults=[FormNote("a", "Slower", 1), FormNote("b", "Breathe", 3)])
    assert summary.form_messages() == ["Breathe", "Slower"]


def test_an_analysed_video_has_the_same_summary_plus_the_videos_own_facts():
    result = AnalysisResult("bird-dog", "clip.mp4", duration=10.004, frames=150, frames_with_person=120,
                            reps=REPS, events=EVENTS, warnings=["cut short"], hold_target=15.0)
    summary = result.summary()
    live = SessionSummary.of("bird-dog", REPS, EVENTS, 15.0)
    assert (summary.reps, summary.holds_s, summary.faults, summary.guidance) == \
        (live.reps, live.holds_s, live.faults, live.guidance)
    assert (summary.source, summary.duration_s, summary.frames, summary.person_found_in, summary.warnings) == \
        ("clip.mp4", 10.0, 150, 0.8, ["cut short"])
    assert result.to_dict()["summary"]["faults"][0] == {"code": "hips_level", "message": "Keep your hips level",
                                                         "count": 2}


def test_a_summary_is_stored_as_json_and_read_back_the_same(tmp_path):
    store = Store(tmp_path / "h.db")
    result = AnalysisResult("bird-dog", "clip.mp4", duration=10.0, frames=150, frames_with_person=150,
                            reps=REPS, events=EVENTS, hold_target=15.0)
    session_id = save_result(store, result, "clip.mp4")
    assert store.session(session_id)["summary"] == result.summary()
    assert SessionSummary.from_dict(json.loads(json.dumps(result.summary().to_dict()))) == result.summary()


def _insert_summary(store: Store, exercise: str, source: str, summary: dict | None) -> None:
    with sqlite3.connect(store.path) as db:
        db.execute("INSERT INTO sessions (started_at, ended_at, exercise, source, summary) VALUES (?,?,?,?,?)",
                   (1700000000.0, 1700000060.0 if summary else None, exercise, source,
                    json.dumps(summary) if summary else None))


def test_both_older_shapes_of_stored_summaries_are_read(tmp_path):
    store = Store(tmp_path / "h.db")
    _insert_summary(store, "bird-dog", "live", {  # a live session's, before: form notes as messages
        "exercise": "bird-dog", "reps": 2, "reps_by_side": {"left": 1, "right": 1}, "holds_s": [3.0, 2.0],
        "hold_target_s": 15.0, "faults": ["Keep your hips level", "Keep your hips level!"]})
    _insert_summary(store, "cat-cow", "video", {  # an analysed video's, before: {rule id: count}
        "exercise": "cat-cow", "source": "clip.mp4", "duration_s": 12.5, "frames": 180, "person_found_in": 1.0,
        "reps": 1, "reps_by_side": {"all": 1}, "holds_s": [5.1], "hold_target_s": 5.0,
        "faults": {"too_fast": 2}, "guidance": [], "warnings": []})
    _insert_summary(store, "knee-to-chest", "live", None)  # cut off: no summary
    live, video, cut_off = sorted(store.sessions(), key=lambda s: s["id"])
    assert live["summary"] == SessionSummary("bird-dog", 2, {"left": 1, "right": 1}, [3.0, 2.0], 15.0,
                                             [FormNote("", "Keep your hips level"),
                                              FormNote("", "Keep your hips level!")])
    assert live["summary"].form_messages()[0] == "Keep your hips level"
    assert video["summary"].faults == [FormNote("too_fast", "", 2)] and video["summary"].duration_s == 12.5
    assert video["summary"].form_messages() == []  # no message was stored to show
    assert cut_off["summary"] is None
    exported = {s["exercise"]: s["summary"] for s in json.loads(history_json(store))["sessions"]}
    assert exported["cat-cow"]["faults"] == [{"code": "too_fast", "message": "", "count": 2}]
    assert exported["bird-dog"]["faults"][0] == {"code": "", "message": "Keep your hips level", "count": 1}
    assert exported["knee-to-chest"] is None
    assert json.dumps(session_data(store.session(live["id"])))  # the CLI's and the page's JSON


def test_a_summary_says_how_far_the_positions_got_on_average():
    from posecheck.ui.coach_view import summary_lines

    reps = [Rep(1, "", 1.0, 2.0, end=5.0, reached={"cat": 50, "cow": 30}),
            Rep(2, "", 6.0, 7.0, end=9.0, reached={"cat": 60, "cow": 41}),
            Rep(3, "", 10.0, 11.0, end=12.0)]  # the view could not give this one's figure
    summary = SessionSummary.of("cat-cow", reps, [], 5.0)
    assert summary.reached == {"cat": 55, "cow": 36}
    assert SessionSummary.from_dict(json.loads(json.dumps(summary.to_dict()))) == summary
    assert "How far you went: cat 55 %, cow 36 % of the full movement" in summary_lines(summary)


def test_a_summary_whose_reps_had_no_range_says_why():
    from posecheck.core.range_view import RANGE_TURNED
    from posecheck.ui.coach_view import summary_lines

    turned = [Rep(n, "", n * 4.0, n * 4.0 + 1, end=n * 4.0 + 3, notes=[RANGE_TURNED]) for n in (1, 2)]
    summary = SessionSummary.of("childs-pose", turned, [], 10.0)
    assert summary.reached == {} and summary.range_not_measured.startswith("you were turned from the camera")
    assert SessionSummary.from_dict(json.loads(json.dumps(summary.to_dict()))) == summary
    assert ("How far you went: not measured, you were turned from the camera (turn side-on for a range figure)"
            in summary_lines(summary))
    # One rep with a figure: the average of what was measured is given, not the reason.
    measured = turned + [Rep(3, "", 13.0, 14.0, end=16.0, reached={"stretch": 90})]
    assert SessionSummary.of("childs-pose", measured, [], 10.0).range_not_measured == ""
