"""Charts for the app (Altair specs, drawn by Streamlit): the key angle over one session, and
reps over days or weeks. Pure functions from data to chart; nothing here renders or stores."""

from __future__ import annotations

import altair as alt
import pandas as pd

from posecheck.core.events import Rep
from posecheck.core.template import Template
from posecheck.presentation.report import key_thresholds, unit_of

REP_COLOUR = "#2e7d32"
THRESHOLD_COLOUR = "#c62828"


def angle_chart(series: list, reps: list[Rep], template: Template) -> alt.LayerChart:
    """The key angle over time, the thresholds that start each phase, and each rep shaded from its
    start to its end, numbered at the moment it was counted."""
    label = template.signals[template.key_signal].label
    points = pd.DataFrame(series, columns=["time", "angle"])
    line = alt.Chart(points).mark_line(color="#1565c0").encode(
        x=alt.X("time:Q", title="time (s)"),
        y=alt.Y("angle:Q", title=f"{label} ({unit_of(template)[0].strip()})", scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("time:Q", format=".1f"), alt.Tooltip("angle:Q", format=f".{unit_of(template)[1]}f")])
    layers = [*_rep_layers(reps, points["time"].max() if len(points) else 0.0), line,
              *_threshold_layers(key_thresholds(template))]
    # The rep numbers sit in a strip above the plot, never on the curve.
    return alt.layer(*layers).properties(height=280, padding={"top": 22, "left": 5, "right": 5, "bottom": 5})


def _rep_layers(reps: list[Rep], last_time: float) -> list[alt.Chart]:
    if not reps:
        return []
    spans = pd.DataFrame([{"start": rep.start, "end": rep.end if rep.end is not None else last_time,
                           "counted": rep.counted_at, "rep": f"rep {rep.number}", "side": rep.side or "-"}
                          for rep in reps])
    band = alt.Chart(spans).mark_rect(opacity=0.15, color=REP_COLOUR).encode(
        x="start:Q", x2="end:Q", tooltip=["rep", "side", alt.Tooltip("start:Q", format=".1f"),
                                         alt.Tooltip("end:Q", format=".1f")])
    counted = alt.Chart(spans).mark_rule(color=REP_COLOUR, strokeWidth=2).encode(x="counted:Q")
    number = alt.Chart(spans).mark_text(align="center", dy=-10, color=REP_COLOUR, fontWeight="bold", fontSize=13,
                                        clip=False).encode(x="counted:Q", y=alt.value(0), text="rep")
    return [band, counted, number]


def _threshold_layers(thresholds: list[tuple[str, float]]) -> list[alt.Chart]:
    if not thresholds:
        return []
    lines = pd.DataFrame([{"threshold": name, "angle": value} for name, value in thresholds])
    # Named in the legend line above the chart (ui/review.py), not written over the curve.
    rule = alt.Chart(lines).mark_rule(color=THRESHOLD_COLOUR, strokeDash=[6, 4]).encode(
        y="angle:Q", tooltip=["threshold"])
    return [rule]


def progress_chart(rows: list[dict], period: str) -> alt.Chart:
    """Stacked bars of reps per day or week, one colour per exercise (rows from `reps_by_period`)."""
    data = pd.DataFrame(rows, columns=["period", "exercise", "reps"])
    unit = "yearmonthdate"
    title = "week starting" if period == "week" else "day"
    return alt.Chart(data).mark_bar().encode(
        x=alt.X(f"{unit}(period):O", title=title),
        y=alt.Y("sum(reps):Q", title="reps", axis=alt.Axis(format="d", tickMinStep=1)),
        color=alt.Color("exercise:N", title="exercise"),
        tooltip=["period", "exercise", "reps"]).properties(height=260)


def pain_chart(rows: list[dict]) -> alt.Chart:
    """Pain (0-10) before and after each rated session over time: two lines, points per session."""
    data = pd.DataFrame(rows, columns=["date", "time", "exercise", "moment", "pain"])
    data["time"] = pd.to_datetime(data["time"], unit="s")
    colours = alt.Scale(domain=["before", "after"], range=["#b3261e", "#1565c0"])  # both dark on white
    return alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=90, filled=True), strokeWidth=2.5).encode(
        x=alt.X("time:T", title="session",
                axis=alt.Axis(format="%d %b", labelAngle=0, tickCount={"interval": "day", "step": 1},
                              labelOverlap=True)),
        y=alt.Y("pain:Q", title="pain (0-10)", scale=alt.Scale(domain=[0, 10])),
        color=alt.Color("moment:N", title="rated", sort=["before", "after"], scale=colours),
        tooltip=["date", "exercise", "moment", "pain"]).properties(height=240)


PHASE_COLOURS = {"target": REP_COLOUR, "lower": "#6a1b9a", "higher": REP_COLOUR}


def demonstration_chart(times, values, reps, label: str, unit: str, thresholds: dict[str, float]) -> alt.LayerChart:
    """A learned exercise's key signal over its demonstration (core/learn.py's LearnedExercise:
    `times`, `key_values`, `reps`), each rep shaded from leaving the start position to coming back
    and named above the plot at its furthest point, and the threshold that enters each position
    as a dashed line. A two-way cycle's visits are named by the position they reach."""
    points = pd.DataFrame({"time": [float(t) for t in times], "angle": [float(v) for v in values]})
    line = alt.Chart(points).mark_line(color="#1565c0", strokeWidth=2.5).encode(
        x=alt.X("time:Q", title="time in the demonstration (s)"),
        y=alt.Y("angle:Q", title=f"{label} ({unit})", scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("time:Q", format=".1f"), alt.Tooltip("angle:Q", format=".1f")])
    layers = []
    if reps:
        two_way = any(rep.phase != "target" for rep in reps)
        peaks = [float(times[rep.peak]) for rep in reps]
        spans = pd.DataFrame([{
            "start": rep.start_time, "end": rep.end_time, "peak": peak, "row": row,
            "rep": rep.phase if two_way else f"rep {number}", "position": rep.phase,
            "held": f"{rep.hold_seconds:.1f} s", "side": rep.side or "-"}
            for number, (rep, peak, row) in enumerate(zip(reps, peaks, label_rows(peaks, times)), 1)])
        colour = alt.Color("position:N", legend=None, scale=alt.Scale(
            domain=list(PHASE_COLOURS), range=list(PHASE_COLOURS.values())))
        layers += [
            alt.Chart(spans).mark_rect(opacity=0.16).encode(
                x="start:Q", x2="end:Q", color=colour,
                tooltip=["rep", "held", "side", alt.Tooltip("start:Q", format=".1f"), alt.Tooltip("end:Q", format=".1f")]),
            alt.Chart(spans).mark_rule(strokeWidth=2).encode(x="peak:Q", color=colour),
            *(alt.Chart(spans).transform_filter(alt.datum.row == row).mark_text(
                align="center", baseline="bottom", dy=-4 - 16 * row, fontWeight="bold", fontSize=13, clip=False).encode(
                x="peak:Q", y=alt.value(0), text="rep", color=colour) for row in (0, 1))]
    layers.append(line)
    layers += _threshold_layers(list(thresholds.items()))
    return alt.layer(*layers).properties(height=280, padding={"top": 40, "left": 5, "right": 5, "bottom": 5})


LABEL_SHARE = 0.09  # of the time axis: about one label's width on a page-wide chart


def label_rows(peaks: list[float], times) -> list[int]:
    """0 for a label in the strip's first row, 1 for one moved up a row, clear of its neighbour."""
    span = float(times[-1] - times[0]) if len(times) > 1 else 1.0
    rows, last = [], -float("inf")
    for peak in peaks:
        crowded = peak - last < LABEL_SHARE * span
        rows.append(1 if crowded and (not rows or rows[-1] == 0) else 0)
        last = peak
    return rows
