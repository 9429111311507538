import multiprocessing
import os
import signal
import sqlite3
import time

import pytest

from posecheck.core.events import Event, Rep
from posecheck.core.summary import FormNote, SessionSummary
from posecheck.io.store import SCHEMA_VERSION, SessionRecorder, Store, StoreError


def test_round_trip(tmp_path):
    store = Store(tmp_path / "h.db")
    sid = store.start_session("bird-dog", "video", "clip.mp4")
    rep = Rep(1, "left", 1.0, 1.3, end=4.0, range_of_motion=80.5, peak=178.0, hold_seconds=2.7,
              reached={"reach": 92}, faults=["hold_short"], notes=["counted without seeing your reaching arm"])
    store.save_rep(sid, rep)
    store.save_event(sid, Event("form", 4.0, "held 3 s of 15 s", rep=1, code="hold_short", seconds=2.7))
    store.finish_session(sid, SessionSummary("bird-dog", reps=1))
    assert store.reps(sid) == [rep]
    (session,) = store.sessions()
    assert session["exercise"] == "bird-dog" and session["rep_count"] == 1 and session["ended_at"]
    assert store.events(sid)[0]["code"] == "hold_short"
    store.delete_session(sid)
    assert store.sessions() == [] and store.reps(sid) == []


def _write_reps(path, exercise, count):
    store = Store(path)
    sid = store.start_session(exercise, "live")
    for n in range(1, count + 1):
        store.save_rep(sid, Rep(n, "", float(n), float(n)))


def test_two_sessions_writing_at_the_same_time(tmp_path):
    path = tmp_path / "h.db"
    Store(path)
    workers = [multiprocessing.Process(target=_write_reps, args=(path, name, 40))
               for name in ("cat-cow", "bird-dog")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
        assert w.exitcode == 0
    sessions = Store(path).sessions()
    assert sorted(s["rep_count"] for s in sessions) == [40, 40]


def _record_forever(path, ready):
    store = Store(path)
    recorder = SessionRecorder(store, "knee-to-chest", "live")
    reps = []
    for n in range(1, 4):
        reps.append(Rep(n, "left", float(n), float(n)))
        recorder.record([Event("rep", float(n), f"Rep {n}", rep=n)], reps)
    ready.set()
    time.sleep(60)  # killed here, mid-session


def test_a_killed_process_keeps_the_reps_stored_before(tmp_path):
    path = tmp_path / "h.db"
    ready = multiprocessing.Event()
    worker = multiprocessing.Process(target=_record_forever, args=(path, ready))
    worker.start()
    assert ready.wait(30)
    os.kill(worker.pid, signal.SIGKILL)
    worker.join(10)
    store = Store(path)
    (session,) = store.sessions()
    assert session["ended_at"] is None  # never finished...
    assert [r.number for r in store.reps(session["id"])] == [1, 2, 3]  # ...but nothing counted is lost


def test_schema_version_is_recorded_and_newer_files_are_refused(tmp_path):
    path = tmp_path / "h.db"
    assert Store(path).schema_version() == SCHEMA_VERSION
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match="newer posecheck"):
        Store(path)


def test_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("POSECHECK_DB", str(tmp_path / "custom" / "x.db"))
    assert Store().path == tmp_path / "custom" / "x.db"
    assert (tmp_path / "custom" / "x.db").exists()


def test_a_schema_1_file_is_migrated_and_keeps_its_sessions(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # the tables as posecheck with schema 1 wrote them
        db.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE sessions (id INTEGER PRIMARY KEY, started_at REAL NOT NULL, ended_at REAL,
                exercise TEXT NOT NULL, source TEXT NOT NULL, video_name TEXT, summary TEXT);
            CREATE TABLE reps (session_id INTEGER NOT NULL, number INTEGER NOT NULL, side TEXT NOT NULL,
                start REAL NOT NULL, counted_at REAL NOT NULL, end REAL, range_of_motion REAL, peak REAL,
                hold_seconds REAL, faults TEXT NOT NULL DEFAULT '[]', notes TEXT NOT NULL DEFAULT '[]',
                PRIMARY KEY (session_id, number));
            CREATE TABLE events (session_id INTEGER NOT NULL, time REAL NOT NULL, kind TEXT NOT NULL,
                code TEXT NOT NULL, rep INTEGER, message TEXT NOT NULL, seconds REAL);
            INSERT INTO meta VALUES ('schema_version', '1');
            INSERT INTO sessions VALUES (1, 1700000000, 1700000100, 'cat-cow', 'live', NULL, '{"reps": 1}');
            INSERT INTO reps (session_id, number, side, start, counted_at) VALUES (1, 1, '', 2.0, 3.0);
        """)
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION
    (session,) = store.sessions()
    assert session["summary"] == SessionSummary("", reps=1) and session["rep_count"] == 1
    assert store.session(1)["series"] == []  # the column schema 2 added, empty for old sessions
    store.save_series(1, [(0.0, 10.0), (0.1, None)])
    assert store.session(1)["series"] == [[0.0, 10.0], [0.1, None]]
    assert session["pain_before"] is None and session["routine_run"] is None  # schema 3's columns
    store.set_pain(1, before=4, after=2)
    assert store.pain_records()[0].change == -2
    assert store.reps(1)[0].reached == {}  # schema 4's column, empty for old reps


def test_pain_stop_reason_and_routine_runs_are_kept(tmp_path):
    store = Store(tmp_path / "h.db")
    run = store.start_routine_run("core-three")
    store.set_pain(run, before=5, table="routine_runs")
    first = SessionRecorder(store, "cat-cow", "live", routine_run=run).session_id
    store.set_pain(first, before=5, after=3)
    second = SessionRecorder(store, "bird-dog", "live", routine_run=run).session_id
    store.set_pain(second, before=3)
    store.stop_session(second, "pain")
    store.stop_session(run, "pain", table="routine_runs")
    store.set_pain(run, after=6, table="routine_runs")
    (stored_run,) = store.routine_runs()
    assert stored_run["sessions"] == [first, second]
    assert (stored_run["pain_before"], stored_run["pain_after"], stored_run["stop_reason"]) == (5, 6, "pain")
    assert stored_run["ended_at"] is not None
    stopped = store.session(second)
    assert stopped["stop_reason"] == "pain" and stopped["ended_at"] is not None
    assert [(r.exercise, r.change) for r in store.pain_records()] == [("cat-cow", -2), ("bird-dog", None)]
    with pytest.raises(ValueError, match="from 0 to 10"):
        store.set_pain(first, after=11)
    store.delete_session(first)
    assert store.routine_runs()[0]["sessions"] == [second]


def test_path_from_the_settings_file(tmp_path, monkeypatch):
    monkeypatch.delenv("POSECHECK_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings = tmp_path / "config" / "posecheck" / "config.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text(f'database = "{tmp_path / "mine.db"}"\n')
    assert Store().path == tmp_path / "mine.db"
    settings.write_text("database = [unclosed\n")
    with pytest.raises(StoreError, match="config.toml is not valid TOML"):
        Store()


def test_an_analysis_result_is_saved_as_one_finished_session(tmp_path):
    from posecheck.pipeline.analysis import AnalysisResult
    from posecheck.io.store import save_result

    result = AnalysisResult("bird-dog", "/videos/clip.mp4", duration=10.0, frames=300, frames_with_person=300)
    result.reps = [Rep(1, "left", 1.0, 1.5, end=5.0, hold_seconds=3.0, faults=["leg_too_high"])]
    result.events = [Event("form", 2.0, "Lower your leg", rep=1, code="leg_too_high"),
                     Event("hold", 5.0, "held 3.0 s", rep=1, seconds=3.0),
                     Event("hold_progress", 4.0, "", rep=1, seconds=2.0)]
    result.series = [(0.0, 100.0), (0.5, 150.0)]
    store = Store(tmp_path / "h.db")
    sid = save_result(store, result, "clip.mp4")
    session = store.session(sid)
    assert session["source"] == "video" and session["video_name"] == "clip.mp4" and session["ended_at"]
    assert session["summary"].reps == 1 and session["series"] == [[0.0, 100.0], [0.5, 150.0]]
    assert store.reps(sid) == result.reps
    assert [e["kind"] for e in store.events(sid)] == ["form", "hold"]  # progress ticks are not history
