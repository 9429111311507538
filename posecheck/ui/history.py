"""The History page: every stored session (live or from a video), totals per exercise, reps over
days and weeks, one session in detail, deleting a session, exporting everything and a progress
report for a physiotherapist."""

from __future__ import annotations

import re

import streamlit as st

from posecheck.presentation.charts import progress_chart
from posecheck.core.template import Template
from posecheck.io.routines import load_available_routines
from posecheck.io.store import Store, StoreError
from posecheck.presentation.progress_report import (MAX_NAME_CHARS, Period, ReportError, person_name,
                                                    progress_report, read_history)
from posecheck.presentation.report_page import report_html
from posecheck.presentation.report import history_csv, history_json, reps_by_period, session_data, totals_by_exercise, when
from posecheck.ui.pain_widgets import show_pain_history
from posecheck.ui.coach_view import plural
from posecheck.ui.review import form_notes, show_chart, show_metrics, show_notes, show_reps


def history_page(templates: dict[str, Template]) -> None:
    st.title("History")
    try:
        store = Store()
        sessions = store.sessions()
    except (StoreError, OSError) as exc:
        st.error(f"The history could not be opened: {exc}")
        return
    st.caption(f"Kept only on this computer, in `{store.path}`.")
    if not sessions:
        st.info("No sessions yet. Coach yourself live or analyse a video, and each session appears here.")
        return
    title = {name: t.title for name, t in templates.items()}
    show_overview(sessions, title)
    show_pain_history(store, title)
    show_routine_runs(store, sessions, title)
    show_session_list(sessions, title)
    show_exports(store)
    show_progress_report(store, templates)
    st.divider()
    show_one_session(store, sessions, templates, title)


def show_overview(sessions: list[dict], title: dict[str, str]) -> None:
    st.subheader("Totals per exercise")
    totals = totals_by_exercise(sessions)
    for row in totals:
        row["Exercise"] = title.get(row["Exercise"], row["Exercise"])
    st.dataframe(totals, use_container_width=True, hide_index=True)
    period = st.radio("Reps per", ["day", "week"], horizontal=True, key="history_period")
    rows = [{**row, "exercise": title.get(row["exercise"], row["exercise"])} for row in reps_by_period(sessions, period)]
    st.altair_chart(progress_chart(rows, period), use_container_width=True)


def session_label(session: dict, title: dict[str, str]) -> str:
    source = f"video {session['video_name']}" if session["source"] == "video" else "live"
    return (f"#{session['id']} · {when(session['started_at'])} · {title.get(session['exercise'], session['exercise'])}"
            f" · {session['rep_count']} reps · {source}")


def show_session_list(sessions: list[dict], title: dict[str, str]) -> None:
    st.subheader("Sessions")
    rows = [{"Session": s["id"], "Date": when(s["started_at"]), "Exercise": title.get(s["exercise"], s["exercise"]),
             "Source": s["source"], "Video": s["video_name"] or "-", "Reps": s["rep_count"],
             "Hold time (s)": round(s["hold_seconds"], 1),
             "Pain before": pain_cell(s["pain_before"]), "Pain after": pain_cell(s["pain_after"]),
             "Finished": finished(s)} for s in sessions]
    st.dataframe(rows, use_container_width=True, hide_index=True,
                 column_config={"Finished": st.column_config.TextColumn(width="medium"),
                                "Video": st.column_config.TextColumn(width="medium")})


def show_routine_runs(store: Store, sessions: list[dict], title: dict[str, str]) -> None:
    """Each routine run, with each exercise's count and the pain before and after the run."""
    runs = store.routine_runs()
    if not runs:
        return
    st.subheader("Routine runs")
    by_id = {s["id"]: s for s in sessions}
    rows = []
    for run in runs:
        done = [by_id[i] for i in run["sessions"] if i in by_id]
        rows.append({"Run": run["id"], "Date": when(run["started_at"]), "Routine": run["routine"],
                     "Exercises": "; ".join(f"{title.get(s['exercise'], s['exercise'])} "
                                            + ("skipped" if s["stop_reason"] == "skipped" else plural(s["rep_count"], "rep"))
                                            for s in done),
                     "Pain before": pain_cell(run["pain_before"]), "Pain after": pain_cell(run["pain_after"]),
                     "Finished": "stopped: it hurt" if run["stop_reason"] == "pain"
                     else f"no: {run['stop_reason']}" if run["stop_reason"]
                     else ("yes" if run["ended_at"] else "cut off")})
    st.dataframe(rows, use_container_width=True, hide_index=True)


def pain_cell(pain: int | None) -> str:
    """A pain rating as the user gave it ("6/10"); a session without one says so, not "None"."""
    return "not rated" if pain is None else f"{pain}/10"


def finished(session: dict) -> str:
    if session["stop_reason"] == "pain":
        return "stopped: it hurt"
    if session["stop_reason"] == "skipped":
        return "skipped"
    return "yes" if session["ended_at"] else "cut off (reps so far kept)"


def show_exports(store: Store) -> None:
    left, right = st.columns(2)
    left.download_button("Export all sessions (CSV)", history_csv(store), "posecheck-history.csv", "text/csv")
    right.download_button("Export all sessions (JSON)", history_json(store), "posecheck-history.json",
                          "application/json")


def show_progress_report(store: Store, templates: dict[str, Template]) -> None:
    """A printable page for the person's physiotherapist: a period's sessions, prescriptions,
    range, form notes and pain, made when the button is pressed; the patient's and the clinician's
    names on it when given (kept only for this visit to the page, never stored)."""
    st.subheader("Report for my physiotherapist")
    default = Period.ending()
    dates, patient, clinician = st.columns([2, 1, 1])
    chosen = dates.date_input("Period", (default.since, default.until), max_value=default.until, key="report_period")
    patient_name = patient.text_input("Patient's name (optional)", max_chars=MAX_NAME_CHARS, key="report_patient")
    clinician_name = clinician.text_input("Clinician's name (optional)", max_chars=MAX_NAME_CHARS,
                                          key="report_clinician")
    if len(chosen) != 2:
        st.caption("Pick the last day of the period too.")
        return
    try:
        names = {"patient": person_name(patient_name, "patient"), "clinician": person_name(clinician_name, "clinician")}
    except ReportError as exc:
        st.error(str(exc))
        return
    given = [f"{role.capitalize()}: {name}" for role, name in names.items() if name]
    if given:  # what the header will carry, so the names are seen before the page is made
        st.caption("On the report: " + re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", " · ".join(given)))
    period = Period(*chosen)
    routines, _ = load_available_routines(templates)

    def page() -> str:
        return report_html(progress_report(read_history(store, period), period, templates, routines, **names))

    st.download_button("Report for my physiotherapist (HTML, to print or send)", page,
                       f"posecheck-report-{period.since}-to-{period.until}.html", "text/html")
    st.caption("One page to open in any browser and print (A4) or save as PDF; "
               "`posecheck report --pdf` writes the PDF directly.")


def show_one_session(store: Store, sessions: list[dict], templates: dict[str, Template],
                     title: dict[str, str]) -> None:
    by_id = {s["id"]: s for s in sessions}
    chosen = st.selectbox("Open a session", list(by_id), format_func=lambda i: session_label(by_id[i], title),
                          key="history_session")
    session = store.session(chosen)
    if session is None:  # deleted in another tab meanwhile
        st.rerun()
    template = templates.get(session["exercise"])
    reps = store.reps(chosen)
    events = store.events(chosen)
    holds = [e["seconds"] for e in events if e["kind"] == "hold" and e["seconds"] is not None]
    notes = form_notes([(e["rep"], e["message"]) for e in events if e["kind"] == "form"])
    st.subheader(session_label(by_id[chosen], title))
    show_metrics(reps, holds, len(notes), template)
    show_chart(session["series"], reps, template)
    document = {"session": {k: v for k, v in session_data(session).items() if k != "series"},
                "reps": [r.to_dict() for r in reps], "events": events}
    show_reps(reps, template, document, key=f"history-{chosen}")
    show_notes(notes)
    confirm_delete(store, chosen)


def confirm_delete(store: Store, session_id: int) -> None:
    if st.session_state.get("delete_pending") != session_id:
        if st.button("Delete this session", key=f"delete-{session_id}"):
            st.session_state.delete_pending = session_id
            st.rerun()
        return
    st.warning(f"Delete session #{session_id} and its reps for good?")
    yes, no = st.columns(2)
    if yes.button("Yes, delete it", type="primary"):
        store.delete_session(session_id)
        st.session_state.delete_pending = None
        st.toast(f"Session #{session_id} deleted.")
        st.rerun()
    if no.button("Keep it"):
        st.session_state.delete_pending = None
        st.rerun()
