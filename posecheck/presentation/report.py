"""What a user reads and downloads: rep tables, text reports, CSV/JSON exports, history totals.

Plain functions from results (or stored sessions) to rows and strings; the app and the command
line share them, so a download from the page equals `posecheck export`.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

from posecheck.core.events import RANGE_NOT_MEASURED, Rep, range_note_reason
from posecheck.core.template import Template, key_unit

REP_COLUMNS = ["number", "side", "start", "counted_at", "end", "range_of_motion", "peak", "reached",
               "hold_seconds", "faults", "notes"]
SESSION_COLUMNS = ["session", "started_at", "exercise", "source", "video", "finished"]
BUILT_IN_FAULTS = {"hold_short": "hold shorter than the target", "hold_long": "hold longer than needed"}


# ----- one analysis --------------------------------------------------------------------------
def fault_label(code: str, template: Template | None) -> str:
    """The plain-words cue for a form rule id (the id itself if the template does not know it)."""
    for rule in template.form if template else ():
        if rule.id == code:
            return rule.message
    return BUILT_IN_FAULTS.get(code, code.replace("_", " "))


def unit_of(template: Template | None) -> tuple[str, int]:
    """How the key signal's values are written: (unit, decimals); degrees unless it is a height
    or distance (heel raise, knee twist), in torso lengths."""
    if template is None or key_unit(template) == "degrees":
        return "°", 0
    return " torso lengths", 2


def rep_rows(reps: list[Rep], template: Template | None) -> list[dict]:
    """One row per rep, with the columns a person reads (start, end, side, range, hold, form).
    The range is "-" where the way into the position was not seen (a clip that starts mid-hold)."""
    unit, digits = unit_of(template)
    return [{
        "Rep": rep.number,
        "Start (s)": _round(rep.start),
        "End (s)": _round(rep.end),
        "Side": rep.side or "-",
        f"Range ({unit.strip()})": _round(rep.range_of_motion, digits),
        "Of the full movement": reached_text(rep.reached, template) or "-",
        "Hold (s)": _round(rep.hold_seconds),
        "Form": "; ".join([fault_label(code, template).rstrip(".") for code in rep.faults] + rep.notes) or "good",
    } for rep in reps]


def reached_text(reached: dict[str, int], template: Template | None) -> str:
    """How far each counted position got, against the template's full clinical movement:
    "Cat 62 %, Cow 40 %" (one position: "80 %")."""
    if len(reached) == 1:
        return f"{next(iter(reached.values()))} %"
    label = (lambda name: template.phase(name).label.split(" (")[0]) if template else str
    return ", ".join(f"{label(name)} {percent} %" for name, percent in reached.items())


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def reps_csv(reps: list[Rep]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REP_COLUMNS)
    for rep in reps:
        writer.writerow(_rep_cells(rep))
    return out.getvalue()


def _rep_cells(rep: Rep) -> list:
    row = rep.to_dict() | {"reached": "; ".join(f"{k} {v}" for k, v in rep.reached.items())}
    return ["; ".join(row[c]) if isinstance(row[c], list) else ("" if row[c] is None else row[c])
            for c in REP_COLUMNS]


def result_json(result) -> str:
    return json.dumps(result.to_dict(), indent=2)


def key_thresholds(template: Template) -> list[tuple[str, float]]:
    """The thresholds on the key signal that start a phase, labelled by phase: the lines on the chart."""
    unit, _ = unit_of(template)
    return [(f"{phase.label} ({condition.direction} {condition.threshold:g}{unit})", condition.threshold)
            for phase in template.phases for condition in phase.conditions
            if condition.signal == template.key_signal]


def report_text(result, template: Template) -> str:
    summary = result.summary()
    lines = [f"{template.title}: {Path(result.source).name}  ({result.duration:.1f} s, "
             f"{result.frames} frames, person found in {summary.person_found_in:.0%})", ""]
    if result.reps:
        unit, digits = unit_of(template)
        unit = "°" if unit == "°" else " tl"
        lines.append(f"{'rep':>3}  {'side':<6} {'start':>6} {'end':>6}  {'range':>6}  {'hold':>6}  faults")
        for rep in result.reps:
            end = f"{rep.end:6.1f}" if rep.end is not None else "     -"
            rom = f"{rep.range_of_motion:.{digits}f}{unit}".rjust(6) if rep.range_of_motion is not None else "     -"
            hold = f"{rep.hold_seconds:5.1f}s" if rep.hold_seconds is not None else "     -"
            notes = [RANGE_NOT_MEASURED if range_note_reason(note) else note for note in rep.notes]
            faults = ", ".join(rep.faults + notes) or "-"
            lines.append(f"{rep.number:>3}  {rep.side or '-':<6} {rep.start:6.1f} {end}  {rom}  {hold}  {faults}")
        if unit == " tl":
            lines.append("(range in tl: torso lengths, from shoulders to hips)")
        if not summary.range_not_measured:  # else "How far you went" below says why, once
            reasons = (range_note_reason(note) for rep in result.reps for note in rep.notes)
            lines.extend(f"({RANGE_NOT_MEASURED}: {reason})" for reason in dict.fromkeys(reasons) if reason)
    else:
        lines.append("No reps counted.")
    lines.append("")
    by_side = ", ".join(f"{side}: {n}" for side, n in result.reps_by_side().items() if side != "all")
    lines.append(f"Reps: {len(result.reps)}" + (f" ({by_side})" if by_side else ""))
    if result.holds:
        target = f" (target {result.hold_target:.0f} s)" if result.hold_target else ""
        lines.append("Holds: " + ", ".join(f"{e.seconds:.1f} s" for e in result.holds) + target)
    how_far = summary.how_far()
    if how_far:
        lines.append(how_far)
    for message in dict.fromkeys(e.message for e in result.faults):
        lines.append(f"Form: {message}")
    for message in dict.fromkeys(e.message for e in result.guidance):
        lines.append(f"Guidance: {message}")
    for warning in result.warnings:
        lines.append(f"Warning: {warning}")
    return "\n".join(lines)


# ----- the history ---------------------------------------------------------------------------
def when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def session_row(session: dict) -> list:
    return [session["id"], when(session["started_at"]), session["exercise"], session["source"],
            session["video_name"] or "", "yes" if session["ended_at"] else "no (cut off)"]


def history_csv(store) -> str:
    """Every stored rep with its session; a session without reps still gets one row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SESSION_COLUMNS + REP_COLUMNS)
    for session in reversed(store.sessions()):
        reps = store.reps(session["id"])
        for rep in reps:
            writer.writerow(session_row(session) + _rep_cells(rep))
        if not reps:
            writer.writerow(session_row(session) + [""] * len(REP_COLUMNS))
    return out.getvalue()


def summary_data(summary) -> dict | None:
    """A stored session's SessionSummary as plain JSON data (None for a session cut off)."""
    return summary.to_dict() if summary is not None else None


def session_data(session: dict) -> dict:
    """A row of `Store.sessions` or `Store.session` as plain JSON data."""
    return {**session, "summary": summary_data(session["summary"])}


def history_json(store) -> str:
    """Every session, oldest first, with its summary, reps and form/hold/guidance events."""
    sessions = []
    for session in reversed(store.sessions()):
        sessions.append({
            "session": session["id"], "started_at": datetime.fromtimestamp(session["started_at"]).isoformat(),
            "ended_at": datetime.fromtimestamp(session["ended_at"]).isoformat() if session["ended_at"] else None,
            "exercise": session["exercise"], "source": session["source"], "video": session["video_name"],
            "summary": summary_data(session["summary"]),
            "reps": [rep.to_dict() for rep in store.reps(session["id"])],
            "events": store.events(session["id"])})
    return json.dumps({"sessions": sessions}, indent=2)


def totals_by_exercise(sessions: list[dict]) -> list[dict]:
    totals: dict[str, dict] = {}
    for session in sessions:
        row = totals.setdefault(session["exercise"], {"Exercise": session["exercise"], "Sessions": 0, "Reps": 0,
                                                      "Hold time (s)": 0.0, "Last": ""})
        row["Sessions"] += 1
        row["Reps"] += session["rep_count"]
        row["Hold time (s)"] = round(row["Hold time (s)"] + session["hold_seconds"], 1)
        row["Last"] = max(row["Last"], when(session["started_at"]))
    return sorted(totals.values(), key=lambda row: row["Exercise"])


def period_start(timestamp: float, period: str) -> date:
    day = datetime.fromtimestamp(timestamp).date()
    return day - timedelta(days=day.weekday()) if period == "week" else day


def reps_by_period(sessions: list[dict], period: str = "day") -> list[dict]:
    """Reps per day (or per week, starting Monday) and exercise: the progress chart's data."""
    counts: dict[tuple[date, str], int] = {}
    for session in sessions:
        key = (period_start(session["started_at"], period), session["exercise"])
        counts[key] = counts.get(key, 0) + session["rep_count"]
    return [{"period": start.isoformat(), "exercise": exercise, "reps": reps}
            for (start, exercise), reps in sorted(counts.items())]


def step_text(step, template: Template) -> str:
    """One routine step in words: "bird-dog: 5 holds of 15 s on each side, then rest 30 s"."""
    if step.reps is not None:
        amount = f"{step.reps} rep{'' if step.reps == 1 else 's'}"
    else:
        seconds = step.hold_seconds or (template.hold.target_seconds if template.hold else None)
        amount = f"{step.holds} hold{'' if step.holds == 1 else 's'}" + (f" of {duration(seconds)}" if seconds else "")
    side = " on each side" if step.per_side else ""
    rest = f", then rest {duration(step.rest_seconds)}" if step.rest_seconds else ""
    return f"{template.title}: {amount}{side}{rest}"


def plan_text(sessions_per_week: int | None) -> str:
    """A routine's plan in words: "once a week", "3 times a week", "no plan set"."""
    if sessions_per_week is None:
        return "no plan set"
    return "once a week" if sessions_per_week == 1 else f"{sessions_per_week} times a week"


def duration(seconds: float) -> str:
    """"15 s", "2 min", "2 min 30 s": minutes from two minutes up, as people say them."""
    if round(seconds) < 120:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min" + (f" {rest} s" if rest else "")
