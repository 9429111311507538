import multiprocessing
import os
import signal
import sqlite3
import time

import pytest

from posecheck.core.events import Event, Rep
from posecheck.io.store import SCHEMA_VERSION, SessionRecorder, Store, StoreError


def test_round_trip(tmp_path):
    store = Store(tmp_path / "h.db")
    sid = store.start_session("bird-dog", "video", "clip.mp4")
    rep = Rep(1, "left", 1.0, 1.3, end=4.0, range_of_motion=80.5, peak=178.0, hold_seconds=2.7,
              faults=["hold_short"], notes=["counted without seeing your reaching arm"])
    store.save_rep(sid, rep)
    store.save_event(sid, Event("form", 4.0, "held 3 s of 15 s", rep=1, code="hold_short", seconds=2.7))
    store.finish_session(sid, {"reps": 1})
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
