"""Tables, exports and history totals (plain functions over results and the store)."""

import csv
import io
import json
from datetime import datetime

from posecheck.core.events import Rep
from posecheck.core.summary import SessionSummary
from posecheck.io.store import Store
from posecheck.presentation.report import (history_csv, history_json, key_thresholds, rep_rows, reps_by_period,
                              totals_by_exercise)


def test_rep_rows_use_the_templates_words(templates):
    bird_dog = templates["bird-dog"]
    rows = rep_rows([Rep(1, "left", 1.04, 1.5, end=5.26, range_of_motion=81.7, hold_seconds=3.21,
                         faults=["leg_too_high", "hold_short"], notes=["counted without seeing your arm"]),
                     Rep(2, "right", 8.0, 8.4)], bird_dog)
    assert rows[0]["Start (s)"] == 1.0 and rows[0]["End (s)"] == 5.3 and rows[0]["Range (°)"] == 82
    assert rows[0]["Form"].startswith("Lower your leg to hip height")
    assert "hold shorter than the target" in rows[0]["Form"] and "without seeing" in rows[0]["Form"]
    assert rows[1]["End (s)"] is None and rows[1]["Form"] == "good"


def test_a_range_in_torso_lengths_is_not_written_as_degrees(templates):
    """A heel raise's key signal is the heel's lift in torso lengths: its range of 0.12 read "0°"."""
    heel_raise = templates["heel-raise"]
    rows = rep_rows([Rep(1, None, 1.0, 1.2, end=2.0, range_of_motion=0.12), Rep(2, None, 3.0, 3.2)], heel_raise)
    assert rows[0]["Range (torso lengths)"] == 0.12 and rows[1]["Range (torso lengths)"] is None
    assert all(label.endswith("torso lengths)") for label, _ in key_thresholds(heel_raise))
    assert all(label.endswith("°)") for label, _ in key_thresholds(templates["knee-to-chest"]))


def test_key_thresholds_are_the_phase_starts_on_the_key_signal(templates):
    assert [value for _, value in key_thresholds(templates["cat-cow"])] == [-25, 15]
    assert [value for _, value in key_thresholds(templates["knee-to-chest"])] == [90]


def _store_with_history(tmp_path):
    store = Store(tmp_path / "h.db")
    monday = datetime(2026, 11, 16, 9).timestamp()
    for days, exercise, reps in [(0, "cat-cow", 3), (1, "cat-cow", 2), (2, "bird-dog", 4), (7, "cat-cow", 1)]:
        sid = store.start_session(exercise, "live", started_at=monday + days * 86400)
        for n in range(1, reps + 1):
            store.save_rep(sid, Rep(n, "", float(n), float(n), hold_seconds=2.0))
        store.finish_session(sid, SessionSummary(exercise, reps=reps))
    store.start_session("knee-to-chest", "video", "clip.mp4", started_at=monday + 3600)  # no reps, cut off
    return store


def test_totals_and_reps_per_day_and_week(tmp_path):
    sessions = _store_with_history(tmp_path).sessions()
    totals = {row["Exercise"]: row for row in totals_by_exercise(sessions)}
    assert totals["cat-cow"]["Sessions"] == 3 and totals["cat-cow"]["Reps"] == 6
    assert totals["cat-cow"]["Hold time (s)"] == 12.0 and totals["knee-to-chest"]["Reps"] == 0
    weekly = {(row["period"], row["exercise"]): row["reps"] for row in reps_by_period(sessions, "week")}
    assert weekly[("2026-11-16", "cat-cow")] == 5 and weekly[("2026-11-23", "cat-cow")] == 1
    daily = {(row["period"], row["exercise"]): row["reps"] for row in reps_by_period(sessions, "day")}
    assert daily[("2026-11-17", "cat-cow")] == 2 and daily[("2026-11-18", "bird-dog")] == 4


def test_exports_hold_every_session_and_rep(tmp_path):
    store = _store_with_history(tmp_path)
    rows = list(csv.DictReader(io.StringIO(history_csv(store))))
    assert len(rows) == 10 + 1  # ten reps, plus one row for the session without reps
    assert {r["exercise"] for r in rows} == {"cat-cow", "bird-dog", "knee-to-chest"}
    assert [r["finished"] for r in rows if r["exercise"] == "knee-to-chest"] == ["no (cut off)"]
    document = json.loads(history_json(store))
    assert len(document["sessions"]) == 5
    assert sum(len(s["reps"]) for s in document["sessions"]) == 10
    assert document["sessions"][0]["started_at"] < document["sessions"][-1]["started_at"]


def test_the_text_report_says_how_far_and_why_a_range_was_not_measured_once(templates):
    from posecheck.core.range_view import RANGE_TURNED
    from posecheck.pipeline.analysis import AnalysisResult
    from posecheck.presentation.report import report_text

    result = AnalysisResult("wall-squat", "clip.mp4", hold_target=10.0)
    result.frames, result.frames_with_person, result.duration = 300, 300, 20.0
    result.reps = [Rep(n, "", n * 5.0, n * 5.0 + 1, end=n * 5.0 + 3, notes=[RANGE_TURNED]) for n in (1, 2, 3)]
    text = report_text(result, templates["wall-squat"])
    rows = [line for line in text.splitlines() if line.lstrip()[:1].isdigit()]
    assert len(rows) == 3 and all(row.endswith("range not measured") for row in rows)
    assert text.count("you were turned from the camera") == 1
    assert "How far you went: not measured, you were turned from the camera" in text
    # One rep measured: its figure is the summary, and why the others have none is said under the table.
    result.reps[0].reached, result.reps[0].range_of_motion, result.reps[0].notes = {"squat": 80}, 72.0, []
    text = report_text(result, templates["wall-squat"])
    assert "How far you went: 80 % of the full movement" in text
    assert "(range not measured: you were turned from the camera" in text
