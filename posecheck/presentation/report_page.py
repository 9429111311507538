"""The progress report as one printable HTML page: A4 print styles, charts as inline SVG, no
other file or address, so it opens, prints and travels as it is. `report_html` is a pure function
of a `ProgressReport`."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from posecheck.presentation.progress_report import ExerciseWork, Plan, ProgressReport, RangeTrend
from posecheck.presentation.svg import TARGET_COLOUR, Axis, Series, axis_to, bar_chart, line_chart, sparkline

NO_DATA = "No data in this period."
NOT_MEASURED = "not measured"
RUNS_COLOUR, OTHERS_COLOUR = "#1565c0", "#90caf9"
BEFORE_COLOUR, AFTER_COLOUR = "#b3261e", "#1565c0"
RANGE_TOP = 120  # % of the full movement: room above the 100 % target

STYLE = """
@page { size: A4; margin: 14mm; }
body { font: 10.5pt/1.4 sans-serif; color: #111; max-width: 182mm; margin: 0 auto; padding: 8mm 0; }
@media print { body { padding: 0; } }
h1 { font-size: 20pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 2px solid #1565c0; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; break-after: avoid; }
p { margin: 1mm 0 2mm; }
.people { font-size: 11.5pt; margin: 0 0 2mm; }
.muted { color: #555; }
.flags { border: 2px solid #b3261e; background: #fdf3f2; padding: 2mm 4mm; margin: 4mm 0; break-inside: avoid; }
.flags.clear { border-color: #2e7d32; background: #f1f8f1; }
.flags h2 { border: 0; margin: 1mm 0; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
th, td { text-align: left; padding: 1.2mm 2mm; border-bottom: 1px solid #ccc; vertical-align: middle; }
th { background: #f0f3f8; font-weight: 600; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr, svg, .chart { break-inside: avoid; }
svg { max-width: 100%; height: auto; }
footer { margin-top: 8mm; font-size: 9pt; color: #555; }
"""


def report_html(report: ProgressReport) -> str:
    period = report.period
    body = [
        "<h1>Progress report</h1>",
        people_line(report),
        f'<p>{long_date(period.since)} to {long_date(period.until)} ({period.days} days). '
        f'<span class="muted">Made on {long_date(report.made.date())} by posecheck from the sessions recorded '
        f'on this computer.</span></p>',
        flags_box(report.flags),
        weeks_section(report), exercises_section(report), range_section(report),
        form_section(report), pain_section(report),
        "<footer>posecheck is a camera coach, not a clinical measurement: the counts, holds and ranges are "
        "what the pose model saw, and pain is as the person rated it (0 no pain, 10 the worst imaginable).</footer>",
    ]
    whose = f" for {escape(report.patient)}" if report.patient else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Progress report{whose} {period.since.isoformat()} to {period.until.isoformat()}</title>"
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


# ----- pieces --------------------------------------------------------------------------------
def people_line(report: ProgressReport) -> str:
    """The patient and the clinician, those of them named; nothing when neither is."""
    named = [(who, name) for who, name in (("Patient", report.patient), ("Clinician", report.clinician)) if name]
    if not named:
        return ""
    return '<p class="people">' + " &nbsp;·&nbsp; ".join(
        f'{who}: <strong>{escape(name)}</strong>' for who, name in named) + "</p>"


def long_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def short_date(day: date | datetime) -> str:
    return f"{day.day} {day:%b}"


def table(headers: list[str], rows: list[list[str]], numeric: tuple[int, ...] = ()) -> str:
    """An HTML table; `numeric`: the columns aligned right. Cells are escaped, except SVG."""
    def cell(tag: str, index: int, text: str) -> str:
        css = ' class="n"' if index in numeric else ""
        content = text if text.startswith("<svg") else escape(text)
        return f"<{tag}{css}>{content}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def paragraph(text: str, css: str = "") -> str:
    return f'<p class="{css}">{escape(text)}</p>' if css else f"<p>{escape(text)}</p>"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def flags_box(flags: tuple[str, ...]) -> str:
    if not flags:
        return ('<div class="flags clear"><h2>To read first</h2><p>Nothing to flag in this period. Checked: pain '
                'rising over the period, an exercise stopped for pain twice or more, a routine done under half '
                'as often as its plan.</p></div>')
    items = "".join(f"<li>{escape(flag)}</li>" for flag in flags)
    return f'<div class="flags"><h2>To read first</h2><ul>{items}</ul></div>'


# ----- sessions per week ---------------------------------------------------------------------
def weeks_section(report: ProgressReport) -> str:
    parts = ["<h2>Sessions per week</h2>"]
    if report.empty:
        return "".join(parts + [paragraph(NO_DATA)])
    labels = [short_date(week.monday) for week in report.weeks]
    stacks = [Series("routine runs", RUNS_COLOUR, tuple(w.routine_runs for w in report.weeks)),
              Series("sessions outside a routine", OTHERS_COLOUR, tuple(w.other_sessions for w in report.weeks))]
    plan = Series("routine runs planned", TARGET_COLOUR, tuple(w.planned for w in report.weeks))
    highest = max([w.routine_runs + w.other_sessions for w in report.weeks] + [w.planned or 0 for w in report.weeks] + [1])
    chart = bar_chart(labels, stacks, axis_to(highest, "sessions a week"), plan if any(plan.values) else None)
    parts.append(f'<div class="chart">{chart}</div>')
    parts.append(table(["Week starting", "Routine runs", "Runs planned", "Sessions outside a routine"],
                       [[long_date(w.monday), str(w.routine_runs), "no plan set" if w.planned is None else str(w.planned),
                         str(w.other_sessions)] for w in report.weeks], numeric=(1, 2, 3)))
    parts.append("<h3>The plan</h3>")
    if not report.plans:
        parts.append(paragraph("No routine was started in this period: no plan set. The sessions per week "
                               "are shown without a target."))
    else:
        parts.append(table(["Routine", "Runs", "Runs a week", "Planned a week", "Of the plan"],
                           [plan_row(plan) for plan in report.plans], numeric=(1, 2, 3, 4)))
        parts.append(paragraph("The plan is the times a week the routine sets (its sessions_per_week), from its "
                               "first run or the period's start, whichever is later.", "muted"))
    return "".join(parts)


def plan_row(plan: Plan) -> list[str]:
    planned = "no plan set" if plan.planned_per_week is None else f"{plan.planned_per_week} runs"
    share = "-" if plan.share is None else f"{plan.share:.0%}"
    return [plan.title, str(plan.runs), f"{plan.runs_per_week:.1f} runs", planned, share]


# ----- each exercise -------------------------------------------------------------------------
def exercises_section(report: ProgressReport) -> str:
    parts = ["<h2>Each exercise against the prescription</h2>"]
    if not report.exercises:
        return "".join(parts + [paragraph(NO_DATA)])
    parts.append(table(["Exercise", "Sessions", "Counted", "In routines: done of asked", "Holds at target",
                        "Mean hold"], [exercise_row(work) for work in report.exercises], numeric=(2, 5)))
    parts.append(paragraph("A hold counts as a rep. The prescription is the routine step's reps or holds (both "
                           "sides together) and its hold length, else the exercise's own hold target.", "muted"))
    return "".join(parts)


def exercise_row(work: ExerciseWork) -> list[str]:
    sources = ", ".join(f"{n} {what}" for n, what in ((work.live, "live"), (work.video, "video")) if n)
    return [work.title, f"{work.sessions}" + (f" ({sources})" if sources else ""), plural(work.reps, "rep"),
            routine_text(work), holds_text(work), mean_hold_text(work)]


def routine_text(work: ExerciseWork) -> str:
    if not work.routine_steps:
        return "not done in a routine"
    share = f" ({work.done_in_routines / work.asked_in_routines:.0%})" if work.asked_in_routines else ""
    skipped = f", {work.skipped_steps} skipped" if work.skipped_steps else ""
    return (f"{work.done_in_routines} of {work.asked_in_routines} {work.asked_unit}{share} "
            f"in {plural(work.routine_steps, 'step')}{skipped}")


def holds_text(work: ExerciseWork) -> str:
    if not work.held:
        return "no hold in this exercise"
    if not work.holds:
        return "no hold timed"
    targets = " or ".join(f"{t:g} s" for t in work.hold_targets)
    return f"{work.holds_at_target} of {plural(len(work.holds), 'hold')} held {targets} or longer"


def mean_hold_text(work: ExerciseWork) -> str:
    return f"{sum(work.holds) / len(work.holds):.1f} s" if work.holds else "-"


# ----- range of motion -----------------------------------------------------------------------
def range_section(report: ProgressReport) -> str:
    parts = ["<h2>Range of motion against the clinical target</h2>"]
    if not report.ranges:
        return "".join(parts + [paragraph(NO_DATA)])
    parts.append(paragraph("Each session's reps on average, in % of the exercise's full clinical movement "
                           "from the person's rest (100 % is the target, the dashed line). \"Not measured\": the "
                           "camera's view gave no figure.", "muted"))
    parts.append(table(["Exercise", "Sessions measured", "First", "Last", "Per session, in order"],
                       [range_row(trend) for trend in report.ranges], numeric=(1, 2, 3)))
    return "".join(parts)


def range_row(trend: RangeTrend) -> list[str]:
    measured = trend.measured
    counted = f"{len(measured)} of {len(trend.points)}"
    if not measured:
        return [trend.title, counted, NOT_MEASURED, NOT_MEASURED, NOT_MEASURED]
    first, last = measured[0], measured[-1]
    values = [p.percent for p in trend.points]
    return [trend.title, counted, f"{first.percent} % ({short_date(first.day)})",
            f"{last.percent} % ({short_date(last.day)})", sparkline(values, RANGE_TOP, 100)]


# ----- form notes ----------------------------------------------------------------------------
def form_section(report: ProgressReport) -> str:
    parts = ["<h2>Form notes that came up most</h2>"]
    if report.empty:
        return "".join(parts + [paragraph(NO_DATA)])
    if not report.form_notes:
        return "".join(parts + [paragraph("No form notes in this period.")])
    rows = [[n.title, n.message, plural(n.times, "time"), plural(n.sessions, "session")] for n in report.form_notes]
    return "".join(parts + [table(["Exercise", "Note", "Times", "In"], rows, numeric=(2, 3))])


# ----- pain ----------------------------------------------------------------------------------
def pain_section(report: ProgressReport) -> str:
    parts = ["<h2>Pain before and after</h2>"]
    if not report.pain:
        parts.append(paragraph("No pain ratings in this period."))
    else:
        labels = [short_date(p.when) for p in report.pain]
        lines = [Series("before", BEFORE_COLOUR, tuple(p.before for p in report.pain)),
                 Series("after", AFTER_COLOUR, tuple(p.after for p in report.pain))]
        parts.append(f'<div class="chart">{line_chart(labels, lines, Axis(10, "pain (0-10)", (0, 2, 4, 6, 8, 10)))}</div>')
        parts.append("<h3>Average change after each exercise</h3>")
        parts.append(pain_change_table(report))
    parts.append("<h3>Stopped for pain</h3>")
    parts.append(pain_stops_text(report))
    return "".join(parts)


def pain_change_table(report: ProgressReport) -> str:
    if not report.pain_changes:
        return paragraph("No session was rated both before and after.")
    rows = [[c.what, str(c.sessions), f"{c.mean_change:+.1f} points" if c.mean_change else "0.0 points"]
            for c in report.pain_changes]
    return (table(["Exercise or routine", "Rated before and after", "Average change (after minus before)"],
                  rows, numeric=(1, 2))
            + paragraph("On the 0-10 scale; below zero, the pain was lower after.", "muted"))


def pain_stops_text(report: ProgressReport) -> str:
    if report.empty:
        return paragraph(NO_DATA)
    if not report.pain_stops:
        return paragraph("No session was stopped for pain.")
    rows = [[f"{long_date(s.when.date())} {s.when:%H:%M}", s.exercise, s.routine or "-"] for s in report.pain_stops]
    return table(["When", "Exercise", "In the routine"], rows)
