"""The session history: an embedded SQLite database, written incrementally.

Each rep and form note is committed as it happens, so a closed tab, a lost connection or a crash
loses nothing already counted. The schema carries a version; `_migrate` brings older files up one step at a time.

Where the file lives: `$POSECHECK_DB`, else `database = "..."` in `~/.config/posecheck/config.toml`,
else `~/.local/share/posecheck/history.db`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import tomllib
from contextlib import closing
from pathlib import Path

from posecheck.core.events import Event, Rep
from posecheck.core.summary import SessionSummary

DB_ENV = "POSECHECK_DB"
STORED_EVENTS = ("form", "hold", "guidance")  # what a session keeps besides its reps
SCHEMA_VERSION = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,          -- unix time
    ended_at REAL,                     -- NULL while running (or if the session was cut off)
    exercise TEXT NOT NULL,
    source TEXT NOT NULL,              -- 'live' or 'video'
    video_name TEXT,
    summary TEXT,                      -- JSON, written when the session ends
    series TEXT,                       -- JSON [[t, key angle], ...] (schema 2), for the chart
    pain_before INTEGER,               -- 0-10, as the user rated it (schema 3)
    pain_after INTEGER,
    stop_reason TEXT,                  -- e.g. 'pain' when the user stopped because it hurt
    routine_run INTEGER REFERENCES routine_runs(id) ON DELETE SET NULL
);
CREATE TABLE IF NOT EXISTS routine_runs (  -- schema 3: one run of a routine, its exercises are sessions
    id INTEGER PRIMARY KEY,
    routine TEXT NOT NULL,
    started_at REAL NOT NULL,
    ended_at REAL,
    pain_before INTEGER,
    pain_after INTEGER,
    stop_reason TEXT
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
    reached TEXT NOT NULL DEFAULT '{}',  -- schema 4: JSON {phase: % of the full movement}
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


def config_path() -> Path:
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "posecheck" / "config.toml"


def default_path() -> Path:
    given = os.environ.get(DB_ENV)
    if given:
        return Path(given).expanduser()
    config = config_path()
    if config.exists():
        try:
            setting = tomllib.loads(config.read_text()).get("database")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise StoreError(f"{config} is not valid TOML: {exc}") from exc
        if setting:
            return Path(str(setting)).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
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
        # A fresh file (version 0) already has the current tables; older files step up in order.
        if 0 < version < 2:
            db.execute("ALTER TABLE sessions ADD COLUMN series TEXT")
        if 0 < version < 3:
            for column in ("pain_before INTEGER", "pain_after INTEGER", "stop_reason TEXT",
                           "routine_run INTEGER REFERENCES routine_runs(id) ON DELETE SET NULL"):
                db.execute(f"ALTER TABLE sessions ADD COLUMN {column}")
        if 0 < version < 4:
            db.execute("ALTER TABLE reps ADD COLUMN reached TEXT NOT NULL DEFAULT '{}'")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def schema_version(self) -> int:
        with closing(self._connect()) as db:
            return int(db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])

    # ----- writing, one small transaction each ------------------------------------------------
    def start_session(self, exercise: str, source: str, video_name: str | None = None,
                      started_at: float | None = None, routine_run: int | None = None) -> int:
        with closing(self._connect()) as db, db:
            cursor = db.execute("INSERT INTO sessions (started_at, exercise, source, video_name, routine_run) "
                                "VALUES (?,?,?,?,?)", (started_at or time.time(), exercise, source, video_name,
                                                       routine_run))
            return int(cursor.lastrowid)

    def set_pain(self, session_id: int, before: int | None = None, after: int | None = None,
                 table: str = "sessions") -> None:
        """Store a pain rating (0-10) given before or after a session (or a routine run)."""
        from posecheck.core.pain import check_pain

        assert table in ("sessions", "routine_runs")
        with closing(self._connect()) as db, db:
            for column, value in (("pain_before", before), ("pain_after", after)):
                if value is not None:
                    db.execute(f"UPDATE {table} SET {column}=? WHERE id=?", (check_pain(value), session_id))

    def stop_session(self, session_id: int, reason: str, table: str = "sessions") -> None:
        """Record why a session (or a routine run) was stopped early, e.g. 'pain'."""
        assert table in ("sessions", "routine_runs")
        with closing(self._connect()) as db, db:
            db.execute(f"UPDATE {table} SET stop_reason=?, ended_at=COALESCE(ended_at, ?) WHERE id=?",
                       (reason, time.time(), session_id))

    def start_routine_run(self, routine: str, started_at: float | None = None) -> int:
        with closing(self._connect()) as db, db:
            cursor = db.execute("INSERT INTO routine_runs (routine, started_at) VALUES (?,?)",
                                (routine, started_at or time.time()))
            return int(cursor.lastrowid)

    def finish_routine_run(self, run_id: int) -> None:
        with closing(self._connect()) as db, db:
            db.execute("UPDATE routine_runs SET ended_at=COALESCE(ended_at, ?) WHERE id=?", (time.time(), run_id))

    def save_rep(self, session_id: int, rep: Rep) -> None:
        """Insert or update a rep (a rep is saved when counted, and again when it ends)."""
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT OR REPLACE INTO reps (session_id, number, side, start, counted_at, end, range_of_motion, "
                "peak, hold_seconds, faults, notes, reached) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (session_id, rep.number, rep.side, rep.start, rep.counted_at, rep.end, rep.range_of_motion,
                 rep.peak, rep.hold_seconds, json.dumps(rep.faults), json.dumps(rep.notes), json.dumps(rep.reached)))

    def save_event(self, session_id: int, event: Event) -> None:
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO events VALUES (?,?,?,?,?,?,?)",
                       (session_id, event.time, event.kind, event.code, event.rep, event.message, event.seconds))

    def finish_session(self, session_id: int, summary: SessionSummary) -> None:
        with closing(self._connect()) as db, db:
            db.execute("UPDATE sessions SET ended_at=?, summary=? WHERE id=?",
                       (time.time(), json.dumps(summary.to_dict()), session_id))

    def save_series(self, session_id: int, series: list[tuple[float, float | None]]) -> None:
        with closing(self._connect()) as db, db:
            db.execute("UPDATE sessions SET series=? WHERE id=?", (json.dumps(series), session_id))

    def delete_session(self, session_id: int) -> None:
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM sessions WHERE id=?", (session_id,))

    # ----- reading ------------------------------------------------------------------------------
    def sessions(self) -> list[dict]:
        """Every session, newest first, without its series; `summary` is a SessionSummary (None
        while the session runs, or if it was cut off)."""
        with closing(self._connect()) as db:
            rows = db.execute("""SELECT s.id, s.started_at, s.ended_at, s.exercise, s.source, s.video_name,
                                        s.summary, s.pain_before, s.pain_after, s.stop_reason, s.routine_run,
                                        COUNT(r.number) AS rep_count,
                                        COALESCE(SUM(r.hold_seconds), 0) AS hold_seconds
                                 FROM sessions s LEFT JOIN reps r ON r.session_id = s.id
                                 GROUP BY s.id ORDER BY s.started_at DESC""").fetchall()
        return [_session_dict(row) for row in rows]

    def session(self, session_id: int) -> dict | None:
        """One session with its series, or None if there is no such session."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT * FROM sessions WHERE id=?", (session_id,)).fetchone()
        if row is None:
            return None
        session = _session_dict(row)
        session["series"] = json.loads(row["series"]) if row["series"] else []
        return session

    def reps(self, session_id: int) -> list[Rep]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT * FROM reps WHERE session_id=? ORDER BY number", (session_id,)).fetchall()
        return [Rep(number=r["number"], side=r["side"], start=r["start"], counted_at=r["counted_at"], end=r["end"],
                    range_of_motion=r["range_of_motion"], peak=r["peak"], hold_seconds=r["hold_seconds"],
                    faults=json.loads(r["faults"]), notes=json.loads(r["notes"]), reached=json.loads(r["reached"]))
                for r in rows]

    def routine_runs(self) -> list[dict]:
        """Every routine run, newest first, with the ids of its exercise sessions in order."""
        with closing(self._connect()) as db:
            runs = [dict(r) for r in db.execute("SELECT * FROM routine_runs ORDER BY started_at DESC")]
            for run in runs:
                run["sessions"] = [r["id"] for r in db.execute(
                    "SELECT id FROM sessions WHERE routine_run=? ORDER BY started_at, id", (run["id"],))]
        return runs

    def pain_records(self) -> list:
        """Each session's exercise and pain ratings, oldest first (for charts and suggestions)."""
        from posecheck.core.pain import PainRecord

        with closing(self._connect()) as db:
            rows = db.execute("SELECT exercise, pain_before, pain_after FROM sessions "
                              "WHERE pain_before IS NOT NULL OR pain_after IS NOT NULL ORDER BY started_at, id")
            return [PainRecord(r["exercise"], r["pain_before"], r["pain_after"]) for r in rows]

    def events(self, session_id: int) -> list[dict]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT * FROM events WHERE session_id=? ORDER BY time", (session_id,)).fetchall()
        return [dict(r) for r in rows]


def _session_dict(row: sqlite3.Row) -> dict:
    session = dict(row)
    session["summary"] = SessionSummary.from_dict(json.loads(row["summary"])) if row["summary"] else None
    return session


def save_result(store: Store, result, video_name: str | None) -> int:
    """Store a finished video analysis (an `AnalysisResult`) as one session; returns its id."""
    session_id = store.start_session(result.exercise, "video", video_name)
    for rep in result.reps:
        store.save_rep(session_id, rep)
    for event in result.events:
        if event.kind in STORED_EVENTS:
            store.save_event(session_id, event)
    store.save_series(session_id, result.series)
    store.finish_session(session_id, result.summary())
    return session_id


class SessionRecorder:
    """Feeds one session's engine events into the store as they happen."""

    def __init__(self, store: Store, exercise: str, source: str, video_name: str | None = None,
                 routine_run: int | None = None):
        self.store = store
        self.session_id = store.start_session(exercise, source, video_name, routine_run=routine_run)

    def record(self, events: list[Event], reps: list[Rep]) -> None:
        for event in events:
            if event.kind in ("rep", "rep_done") and event.rep is not None:
                self.store.save_rep(self.session_id, reps[event.rep - 1])
            elif event.kind == "form" and event.rep is not None and event.rep <= len(reps):
                self.store.save_rep(self.session_id, reps[event.rep - 1])
            if event.kind in STORED_EVENTS:
                self.store.save_event(self.session_id, event)

    def finish(self, summary: SessionSummary, series: list | None = None) -> None:
        if series:
            self.store.save_series(self.session_id, series)
        self.store.finish_session(self.session_id, summary)
