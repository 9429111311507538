"""The session history: an embedded SQLite database, written incrementally.

Each rep and form note is committed as it happens, so a closed tab, a lost connection or a crash
loses nothing already counted. The schema carries a version; `migrate` brings older files up.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from posecheck.core.events import Event, Rep

DB_ENV = "POSECHECK_DB"
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,          -- unix time
    ended_at REAL,                     -- NULL while running (or if the session was cut off)
    exercise TEXT NOT NULL,
    source TEXT NOT NULL,              -- 'live' or 'video'
    video_name TEXT,
    summary TEXT                       -- JSON, written when the session ends
);
CREATE TABLE IF NOT EXISTS reps (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    side TEXT NOT NULL,
    start REAL NOT NULL,
    counted_at REAL NOT NULL,
    end REAL,
    range_of_motion REAL,
    peak REAL,
    hold_seconds REAL,
    faults TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (session_id, number)
);
CREATE TABLE IF NOT EXISTS events (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    time REAL NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    rep INTEGER,
    message TEXT NOT NULL,
    seconds REAL
);
"""


class StoreError(RuntimeError):
    pass


def default_path() -> Path:
    given = os.environ.get(DB_ENV)
    if given:
        return Path(given)
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "posecheck" / "history.db"


class Store:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)
            self._migrate(db)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")  # readers and one writer at a time, without blocking
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        version = int(row["value"]) if row else 0
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer posecheck (schema {version}, "
                             f"this one knows {SCHEMA_VERSION}); update posecheck to open it.")
        # Future migrations go here: `if version < 2: ...` one step at a time.
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def schema_version(self) -> int:
        with closing(self._connect()) as db:
            return int(db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])

    # ----- writing, one small transaction each ------------------------------------------------
    def start_session(self, exercise: str, source: str, video_name: str | None = None,
                      started_at: float | None = None) -> int:
        with closing(self._connect()) as db, db:
            cursor = db.execute("INSERT INTO sessions (started_at, exercise, source, video_name) VALUES (?,?,?,?)",
                                (started_at or time.time(), exercise, source, video_name))
            return int(cursor.lastrowid)

    def save_rep(self, session_id: int, rep: Rep) -> None:
        """Insert or update a rep (a rep is saved when counted, and again when it ends)."""
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT OR REPLACE INTO reps VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (session_id, rep.number, rep.side, rep.start, rep.counted_at, rep.end, rep.range_of_motion,
                 rep.peak, rep.hold_seconds, json.dumps(rep.faults), json.dumps(rep.notes)))

    def save_event(self, session_id: int, event: Event) -> None:
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO events VALUES (?,?,?,?,?,?,?)",
                       (session_id, event.time, event.kind, event.code, event.rep, event.message, event.seconds))

    def finish_session(self, session_id: int, summary: dict) -> None:
        with closing(self._connect()) as db, db:
            db.execute("UPDATE sessions SET ended_at=?, summary=? WHERE id=?",
                       (time.time(), json.dumps(summary), session_id))

    def delete_session(self, session_id: int) -> None:
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM sessions WHERE id=?", (session_id,))

    # ----- reading ------------------------------------------------------------------------------
    def sessions(self) -> list[dict]:
        with closing(self._connect()) as db:
            rows = db.execute("""SELECT s.*, COUNT(r.number) AS rep_count FROM sessions s
                                 LEFT JOIN reps r ON r.session_id = s.id GROUP BY s.id
                                 ORDER BY s.started_at DESC""").fetchall()
        return [dict(row) for row in rows]

    def reps(self, session_id: int) -> list[Rep]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT * FROM reps WHERE session_id=? ORDER BY number", (session_id,)).fetchall()
        return [Rep(number=r["number"], side=r["side"], start=r["start"], counted_at=r["counted_at"], end=r["end"],
                    range_of_motion=r["range_of_motion"], peak=r["peak"], hold_seconds=r["hold_seconds"],
                    faults=json.loads(r["faults"]), notes=json.loads(r["notes"])) for r in rows]

    def events(self, session_id: int) -> list[dict]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT * FROM events WHERE session_id=? ORDER BY time", (session_id,)).fetchall()
        return [dict(r) for r in rows]


class SessionRecorder:
    """Feeds one session's engine events into the store as they happen."""

    def __init__(self, store: Store, exercise: str, source: str, video_name: str | None = None):
        self.store = store
        self.session_id = store.start_session(exercise, source, video_name)

    def record(self, events: list[Event], reps: list[Rep]) -> None:
        for event in events:
            if event.kind in ("rep", "rep_done") and event.rep is not None:
                self.store.save_rep(self.session_id, reps[event.rep - 1])
            elif event.kind == "form" and event.rep is not None and event.rep <= len(reps):
                self.store.save_rep(self.session_id, reps[event.rep - 1])
            if event.kind in ("form", "hold", "guidance"):
                self.store.save_event(self.session_id, event)

    def finish(self, summary: dict) -> None:
        self.store.finish_session(self.session_id, summary)
