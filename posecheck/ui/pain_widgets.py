"""The app's pain and safety widgets: the check before exercising, pain from 0 to 10 before and
after (one tap), and on the History page pain over time with the exercises that help."""

from __future__ import annotations

import streamlit as st

from posecheck.presentation.charts import pain_chart
from posecheck.core.pain import CONTRAINDICATIONS, helpful_exercises, relief_by_exercise, screen, suggestion
from posecheck.presentation.report import when
from posecheck.ui.flow import LiveSession, save_pain_after

PAIN_LEVELS = list(range(11))


def safety_check() -> bool:
    """The programme's check before exercising. True once the user says none of the reasons
    applies; with any "yes", a calm message to see a doctor, and False."""
    st.markdown("**Before you start**: do any of these apply to you today?")
    questions = dict(CONTRAINDICATIONS)  # code -> what the user reads
    chosen = st.pills("Tap any that apply", list(questions), selection_mode="multi",
                      format_func=questions.get, key="safety_answers")
    result = screen({code: True for code in chosen or []})
    if not result.ok:
        st.error(result.message)
        return False
    return st.checkbox("None of these apply to me today", key="safety_none")


def pain_rating(question: str, key: str) -> int | None:
    """Pain from 0 (none) to 10 (the worst imaginable), one tap; None until tapped."""
    return st.pills(question, PAIN_LEVELS, key=key, help="0 is no pain, 10 the worst pain you can imagine")


def ask_pain_after(store, state: LiveSession) -> bool:
    """After a live session ends, ask once how the pain is now, and store it with that session.
    True when it was just saved (the caller shows it in the session's summary)."""
    session_id = state.pain_after_pending
    if session_id is None or store is None:
        return False
    after = pain_rating("How is your back pain now, after the exercise?", key=f"pain-after-{session_id}")
    if save_pain_after(state, store, after):
        st.toast(f"Pain {after}/10 saved with the session.")
        return True
    return False


def pain_rows(store, titles: dict[str, str]) -> list[dict]:
    """Every pain rating in time order, a session's and a routine run's (rated for the whole run)."""
    runs = [dict(r, exercise=f"routine: {r['routine']}") for r in store.routine_runs()]
    rated = sorted((s for s in [*store.sessions(), *runs] if s["pain_before"] is not None or s["pain_after"] is not None),
                   key=lambda s: s["started_at"])
    return [{"date": when(s["started_at"]), "time": s["started_at"], "exercise": titles.get(s["exercise"], s["exercise"]),
             "moment": moment, "pain": s[column]}
            for s in rated for moment, column in (("before", "pain_before"), ("after", "pain_after"))
            if s[column] is not None]


def show_pain_history(store, titles: dict[str, str]) -> None:
    """Pain before and after each rated session over time, the average change per exercise, and
    the programme's suggestion for the exercises that reliably lower it."""
    st.subheader("Pain")
    rows = pain_rows(store, titles)
    if not rows:
        st.caption("Rate your pain before and after a live session (0 to 10) and it is charted here.")
        return
    st.altair_chart(pain_chart(rows), use_container_width=True)
    records = store.pain_records()
    changes = [{"Exercise": titles.get(r.exercise, r.exercise), "Sessions rated before and after": r.sessions,
                "Average change (points)": r.mean_change, "Lower after, share of sessions": f"{r.share_lower:.0%}"}
               for r in relief_by_exercise(records).values()]
    if changes:
        st.dataframe(changes, use_container_width=True, hide_index=True)
    for relief in helpful_exercises(records):
        st.success(suggestion(relief, titles.get(relief.exercise, relief.exercise)))


def show_suggestion_for(store, name: str, title: str) -> None:
    """On an exercise's page: say so when this exercise reliably lowers this person's pain."""
    if store is None:
        return
    for relief in helpful_exercises(store.pain_records()):
        if relief.exercise == name:
            st.success(suggestion(relief, title))
