"""Showing one analysed session: metrics, the key-angle chart, the rep table and downloads.
Used for a video just analysed and for a session opened from the history."""

from __future__ import annotations

import json

import streamlit as st

from posecheck.presentation.charts import angle_chart
from posecheck.core.events import Rep, reps_by_side
from posecheck.core.template import Template
from posecheck.presentation.report import rep_rows, reps_csv


def show_metrics(reps: list[Rep], holds: list[float], fault_count: int, template: Template | None) -> None:
    cols = st.columns(4)
    cols[0].metric("Reps", len(reps))
    sides = ", ".join(f"{k} {v}" for k, v in sorted(reps_by_side(reps).items()) if k != "all")
    cols[1].metric("By side", sides or "-")
    target = template.hold.target_seconds if template and template.hold else None
    cols[2].metric("Longest hold", f"{max(holds):.1f} s" if holds else "-",
                   help=f"Target {target:.0f} s" if target else None)
    cols[3].metric("Form notes", fault_count)


def show_chart(series: list, reps: list[Rep], template: Template | None) -> None:
    if not series or template is None:
        return
    from posecheck.presentation.report import key_thresholds

    label = template.signals[template.key_signal].label
    lines = "; ".join(name for name, _ in key_thresholds(template))
    st.markdown(f"**{label.capitalize()} over time**: green bands are the reps (numbered when counted); "
                f"dashed red lines start each position: {lines}.")
    st.altair_chart(angle_chart(series, reps, template), use_container_width=True)


def show_reps(reps: list[Rep], template: Template | None, downloads: dict | None, key: str) -> None:
    """The table, one row per rep, and CSV/JSON downloads (`downloads` is the JSON document)."""
    if not reps:
        st.warning("No reps were counted.")
        return
    st.dataframe(rep_rows(reps, template), use_container_width=True, hide_index=True,
                 column_config={"Form": st.column_config.TextColumn(width="large")})
    left, right, _ = st.columns([1, 1, 2])  # the two downloads side by side
    left.download_button("Download reps (CSV)", reps_csv(reps), "reps.csv", "text/csv", key=f"csv-{key}")
    if downloads is not None:
        right.download_button("Download everything (JSON)", json.dumps(downloads, indent=2), "session.json",
                              "application/json", key=f"json-{key}")


def form_notes(notes: list[tuple[int | None, str]]) -> list[str]:
    """Form notes as (rep number, message), each tied to its rep once: "Rep 2: ...". Holds are
    not repeated here: the rep table has each rep's hold."""
    return list(dict.fromkeys(f"Rep {rep}: {message}" if rep else message for rep, message in notes if message))


def show_notes(notes: list[str]) -> None:
    if notes:
        st.markdown("**Form notes**")
    for note in notes:
        st.markdown(f"- {note}")
