"""Who closes the live coaches' pose landmarkers.

A MediaPipe landmarker dropped without being closed is closed by its finaliser, on whatever
thread the garbage collector happens to run; once that was Streamlit's file-watcher thread, and
the whole server hung. So every coach a page makes is adopted here with its browser session and
closed by page code: when the page replaces it, and when its browser session has gone (checked
each time a page adopts a coach, and on every page run through `sweep`).
"""

from __future__ import annotations

import threading

import streamlit as st

from posecheck.pipeline.live import LiveCoach


class CoachOwner:
    """The coaches of every browser session of this server, closed deterministically."""

    def __init__(self, is_active=None):
        self._is_active = is_active or _session_is_active
        self._coaches: dict[str, list[LiveCoach]] = {}
        self._lock = threading.Lock()

    def adopt(self, coach: LiveCoach, session_id: str) -> LiveCoach:
        self.sweep()
        with self._lock:
            self._coaches.setdefault(session_id, []).append(coach)
        return coach

    def retire(self, coach: LiveCoach | None) -> None:
        """The page is done with `coach`: end its session and close its landmarker."""
        if coach is None:
            return
        with self._lock:
            for coaches in self._coaches.values():
                if coach in coaches:
                    coaches.remove(coach)
        coach.close()

    def sweep(self) -> int:
        """Close the coaches of browser sessions that have gone (a closed tab, a reload). Returns
        how many were closed."""
        with self._lock:
            gone = [sid for sid in self._coaches if not self._is_active(sid)]
            orphans = [coach for sid in gone for coach in self._coaches.pop(sid)]
        for coach in orphans:
            coach.close()
        return len(orphans)

    def open_count(self) -> int:
        with self._lock:
            return sum(not coach.closed for coaches in self._coaches.values() for coach in coaches)


def _session_is_active(session_id: str) -> bool:
    from streamlit.runtime import Runtime

    return Runtime.exists() and Runtime.instance().is_active_session(session_id)


@st.cache_resource
def coach_owner() -> CoachOwner:
    return CoachOwner()


def this_session() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "no-session"
