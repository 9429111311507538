"""A progress report for a period, for the person's physiotherapist: sessions per week against
the routines' plan (their `sessions_per_week`), each exercise's reps and holds against the
prescription, the range of motion per session against the clinical target, the form notes that
came up most, pain before and after, and the few things a clinician wants to read first.

`read_history` takes what the report needs from the store; everything else is pure functions from
those rows to a `ProgressReport`. The HTML page is `report_page.report_html`. The patient's and the
clinician's names are on it only when given (`person_name`), and are kept nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import mean

from posecheck.core.events import Rep
from posecheck.core.pain import PainRecord, relief_by_exercise
from posecheck.core.routine import Routine, Step, step_target
from posecheck.core.summary import HOLD_SHORTFALL, FormNote
from posecheck.core.template import Template
from posecheck.presentation.report import BUILT_IN_FAULTS, fault_label

PAIN, SKIPPED = "pain", "skipped"  # stop reasons, as the app stores them (ui/flow.py)
DEFAULT_DAYS = 28  # the period when only its end is given: four weeks, a usual time between visits
MOST_FORM_NOTES = 8
PAIN_RISE_POINTS = 1.0  # the later half's pain before exercising this much higher: "pain rising"
MIN_PAIN_RATINGS = 4  # two in each half at least, before comparing the halves
REPEATED_PAIN_STOPS = 2
LOW_ADHERENCE = 0.5
MAX_NAME_CHARS = 80


class ReportError(ValueError):
    """Something asked of the report cannot be: the message is one sentence."""


# ----- what the store gives ------------------------------------------------------------------
@dataclass(frozen=True)
class History:
    """The stored rows the report is made from: `Store.sessions()` and `Store.routine_runs()`,
    and per session its reps and the length of each hold (its 'hold' events, in seconds)."""

    sessions: list[dict]
    runs: list[dict]
    reps: dict[int, list[Rep]] = field(default_factory=dict)
    holds: dict[int, list[float]] = field(default_factory=dict)


def read_history(store, period: Period) -> History:
    """The rows of the period's sessions (and all routine runs, to know when a plan started)."""
    sessions = [s for s in store.sessions() if period.holds(s["started_at"])]
    ids = [s["id"] for s in sessions]
    holds = {i: [e["seconds"] for e in store.events(i) if e["kind"] == "hold" and e["seconds"] is not None]
             for i in ids}
    return History(sessions, store.routine_runs(), {i: store.reps(i) for i in ids}, holds)


# ----- the report ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    since: date
    until: date  # included

    @classmethod
    def ending(cls, *, until: date | None = None, since: date | None = None) -> Period:
        """The period asked for: up to `until` (today), from `since` (four weeks before)."""
        until = until or date.today()
        return cls(since or until - timedelta(days=DEFAULT_DAYS - 1), until)

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def holds(self, timestamp: float) -> bool:
        return self.since <= day_of(timestamp) <= self.until

    def mondays(self) -> list[date]:
        """The start of each week (Monday) the period touches."""
        first = self.since - timedelta(days=self.since.weekday())
        return [first + timedelta(weeks=n) for n in range((self.until - first).days // 7 + 1)]


@dataclass(frozen=True)
class Week:
    monday: date
    routine_runs: int  # routines started that week
    other_sessions: int  # exercise sessions outside a routine (live or from a video)
    planned: int | None  # routine runs the plans of the routines begun by then ask for; None: no plan set


@dataclass(frozen=True)
class Plan:
    """One routine done in the period against its plan (its `sessions_per_week`)."""

    routine: str
    title: str
    runs: int
    since: date  # the routine's first run, or the period's start if later
    weeks: float  # from `since` to the period's end
    planned_per_week: int | None  # None: no plan set

    @property
    def runs_per_week(self) -> float:
        return self.runs / self.weeks

    @property
    def share(self) -> float | None:
        """Runs done as a share of the plan (1.0: as planned)."""
        return None if self.planned_per_week is None else self.runs_per_week / self.planned_per_week


@dataclass(frozen=True)
class ExerciseWork:
    """One exercise in the period: what was done, and against what was asked."""

    exercise: str
    title: str
    sessions: int  # done, not skipped
    live: int
    video: int
    reps: int  # every rep counted (a hold counts as a rep)
    routine_steps: int  # sessions done as a step of a routine run (skipped ones too)
    skipped_steps: int
    done_in_routines: int  # reps counted in those steps
    asked_in_routines: int  # reps (or holds) the steps asked for, both sides together
    asked_unit: str  # "holds" when every step asked for holds, else "reps"
    holds: tuple[float, ...]  # each hold's length (s)
    holds_at_target: int
    hold_targets: tuple[float, ...]  # the targets the holds were held against (s), each once
    held: bool  # whether the exercise has a hold at all


@dataclass(frozen=True)
class RangePoint:
    day: date
    percent: int | None  # the session's reps' mean % of the full clinical movement; None: not measured


@dataclass(frozen=True)
class RangeTrend:
    exercise: str
    title: str
    points: tuple[RangePoint, ...]

    @property
    def measured(self) -> tuple[RangePoint, ...]:
        return tuple(p for p in self.points if p.percent is not None)


@dataclass(frozen=True)
class FormNoteCount:
    title: str  # the exercise's
    message: str
    times: int
    sessions: int


@dataclass(frozen=True)
class PainPoint:
    when: datetime
    what: str  # the exercise's or the routine's title
    before: int | None
    after: int | None


@dataclass(frozen=True)
class PainChange:
    what: str
    sessions: int  # rated before and after
    mean_change: float  # after minus before, points (negative: lower after)


@dataclass(frozen=True)
class PainStop:
    when: datetime
    exercise: str  # title
    routine: str | None  # the routine's title, when it was a routine's step


@dataclass(frozen=True)
class ProgressReport:
    period: Period
    made: datetime
    weeks: tuple[Week, ...]
    plans: tuple[Plan, ...]
    exercises: tuple[ExerciseWork, ...]
    ranges: tuple[RangeTrend, ...]
    form_notes: tuple[FormNoteCount, ...]
    pain: tuple[PainPoint, ...]
    pain_changes: tuple[PainChange, ...]
    pain_stops: tuple[PainStop, ...]
    flags: tuple[str, ...]
    patient: str | None = None  # the names, only when given
    clinician: str | None = None

    @property
    def empty(self) -> bool:
        return not self.exercises and not any(p.runs for p in self.plans)


def progress_report(history: History, period: Period, templates: Mapping[str, Template],
                    routines: Mapping[str, Routine], made: datetime | None = None,
                    patient: str | None = None, clinician: str | None = None) -> ProgressReport:
    title = {name: t.title for name, t in templates.items()}
    sessions = sorted((s for s in history.sessions if period.holds(s["started_at"])), key=lambda s: s["started_at"])
    runs = sorted((r for r in history.runs if period.holds(r["started_at"])), key=lambda r: r["started_at"])
    steps = routine_steps(sessions, history.runs, routines)
    plans = tuple(plans_of(runs, history.runs, period, routines))
    pain = tuple(pain_points(sessions, runs, title, routines))
    stops = tuple(pain_stops(sessions, runs, title, routines))
    return ProgressReport(
        period=period, made=made or datetime.now(),
        weeks=tuple(weeks_of(sessions, runs, plans, period)), plans=plans,
        exercises=tuple(exercise_work(sessions, history, steps, templates)),
        ranges=tuple(range_trends(sessions, history.reps, title)),
        form_notes=tuple(most_form_notes(sessions, templates)),
        pain=pain, pain_changes=tuple(pain_changes(sessions, runs, title, routines)), pain_stops=stops,
        flags=tuple(clinician_flags(pain, stops, plans)),
        patient=person_name(patient, "patient"), clinician=person_name(clinician, "clinician"))


def person_name(text: str | None, who: str) -> str | None:
    """A name as given, its spaces tidied (a line break is a space); None when blank: no name is
    made up. Refused, in one sentence: a name too long for the header, or with a character that
    cannot be printed."""
    name = " ".join((text or "").split())
    if not name:
        return None
    if len(name) > MAX_NAME_CHARS:
        raise ReportError(f"The {who}'s name must be at most {MAX_NAME_CHARS} characters, got {len(name)}.")
    if not name.isprintable():
        raise ReportError(f"The {who}'s name has a character that cannot be printed: {name!r}.")
    return name


def day_of(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp).date()


def done(session: dict) -> bool:
    return session["stop_reason"] != SKIPPED


def named(name: str, titles: Mapping[str, str]) -> str:
    return titles.get(name, name)


def routine_title(name: str, routines: Mapping[str, Routine]) -> str:
    return routines[name].title if name in routines else name


# ----- sessions per week and the plan -------------------------------------------------------
def weeks_of(sessions: list[dict], runs: list[dict], plans: tuple[Plan, ...], period: Period) -> list[Week]:
    def monday(timestamp: float) -> date:
        day = day_of(timestamp)
        return day - timedelta(days=day.weekday())

    alone = [s for s in sessions if s["routine_run"] is None and done(s)]
    return [Week(m, sum(monday(r["started_at"]) == m for r in runs), sum(monday(s["started_at"]) == m for s in alone),
                 planned_in(plans, m)) for m in period.mondays()]


def planned_in(plans: tuple[Plan, ...], monday: date) -> int | None:
    """The runs a week planned by the routines whose plan had begun by that week's end."""
    planned = [p.planned_per_week for p in plans if p.planned_per_week and p.since <= monday + timedelta(days=6)]
    return sum(planned) if planned else None


def plans_of(runs: list[dict], all_runs: list[dict], period: Period, routines: Mapping[str, Routine]) -> list[Plan]:
    """Each routine started in the period. Its plan runs from its first run ever (or the
    period's start, if later) to the period's end, and counts at least one week."""
    plans = []
    for name in dict.fromkeys(r["routine"] for r in runs):
        first = min(day_of(r["started_at"]) for r in all_runs if r["routine"] == name)
        since = max(first, period.since)
        weeks = max(1.0, ((period.until - since).days + 1) / 7)
        count = sum(r["routine"] == name for r in runs)
        routine = routines.get(name)
        plans.append(Plan(name, routine_title(name, routines), count, since, weeks,
                          routine.sessions_per_week if routine else None))
    return plans


# ----- each exercise against its prescription -----------------------------------------------
def routine_steps(sessions: list[dict], runs: list[dict], routines: Mapping[str, Routine]) -> dict[int, Step]:
    """Each routine session's step. A run stores one session per step, in order, so the n-th
    session is the n-th step; a session whose exercise is not that step's is left out."""
    exercise = {s["id"]: s["exercise"] for s in sessions}
    steps = {}
    for run in runs:
        routine = routines.get(run["routine"])
        for session_id, step in zip(run["sessions"], routine.steps if routine else ()):
            if exercise.get(session_id) == step.exercise:
                steps[session_id] = step
    return steps


def exercise_work(sessions: list[dict], history: History, steps: Mapping[int, Step],
                  templates: Mapping[str, Template]) -> list[ExerciseWork]:
    titles = {name: t.title for name, t in templates.items()}
    names = sorted(dict.fromkeys(s["exercise"] for s in sessions), key=lambda n: named(n, titles))
    return [one_exercise(name, [s for s in sessions if s["exercise"] == name], history, steps, templates.get(name))
            for name in names]


def one_exercise(name: str, sessions: list[dict], history: History, steps: Mapping[int, Step],
                 template: Template | None) -> ExerciseWork:
    worked = [s for s in sessions if done(s)]
    in_routine = [(s, steps[s["id"]]) for s in sessions if s["id"] in steps]
    held = [(seconds, hold_target(steps.get(s["id"]), template))
            for s in worked for seconds in history.holds.get(s["id"], [])]
    return ExerciseWork(
        exercise=name, title=template.title if template else name, sessions=len(worked),
        live=sum(s["source"] == "live" for s in worked), video=sum(s["source"] == "video" for s in worked),
        reps=sum(s["rep_count"] for s in worked),
        routine_steps=len(in_routine), skipped_steps=sum(not done(s) for s, _ in in_routine),
        done_in_routines=sum(s["rep_count"] for s, _ in in_routine),
        asked_in_routines=sum(step_target(step) for _, step in in_routine),
        asked_unit="holds" if in_routine and all(step.holds for _, step in in_routine) else "reps",
        holds=tuple(seconds for seconds, _ in held),
        holds_at_target=sum(target is not None and seconds >= target for seconds, target in held),
        hold_targets=tuple(sorted({target for _, target in held if target is not None})),
        held=template is not None and template.hold is not None)


def hold_target(step: Step | None, template: Template | None) -> float | None:
    """What a hold was held against: the routine step's length, else the exercise's own target."""
    if step is not None and step.hold_seconds is not None:
        return step.hold_seconds
    return template.hold.target_seconds if template is not None and template.hold else None


# ----- range of motion ----------------------------------------------------------------------
def session_reached(reps: list[Rep]) -> int | None:
    """The session's reps' mean % of the full clinical movement, over every counted position
    that has a figure; None when no rep has one."""
    figures = [percent for rep in reps for percent in rep.reached.values()]
    return round(mean(figures)) if figures else None


def range_trends(sessions: list[dict], reps: Mapping[int, list[Rep]], titles: Mapping[str, str]) -> list[RangeTrend]:
    worked = [s for s in sessions if done(s) and s["rep_count"]]
    names = sorted(dict.fromkeys(s["exercise"] for s in worked), key=lambda n: named(n, titles))
    return [RangeTrend(name, named(name, titles),
                       tuple(RangePoint(day_of(s["started_at"]), session_reached(reps.get(s["id"], [])))
                             for s in worked if s["exercise"] == name))
            for name in names]


# ----- form notes ---------------------------------------------------------------------------
def most_form_notes(sessions: list[dict], templates: Mapping[str, Template]) -> list[FormNoteCount]:
    """The form notes of the stored summaries, added up per exercise and rule, most often first.
    A hold cut short is left to the holds."""
    times: dict[tuple[str, str], int] = {}
    seen_in: dict[tuple[str, str], int] = {}
    label: dict[tuple[str, str], str] = {}
    for session in sessions:
        summary = session["summary"]
        template = templates.get(session["exercise"])
        for note in summary.faults if summary else ():
            if note.code == HOLD_SHORTFALL:
                continue
            key = (template.title if template else session["exercise"], note.code or note.message)
            label.setdefault(key, note_label(note, template))
            times[key] = times.get(key, 0) + note.count
            seen_in[key] = seen_in.get(key, 0) + 1
    ranked = sorted(times, key=lambda key: (-times[key], key))
    return [FormNoteCount(key[0], label[key], times[key], seen_in[key]) for key in ranked[:MOST_FORM_NOTES]]


def note_label(note: FormNote, template: Template | None) -> str:
    """The words for a rule across sessions: the template's cue, without the one session's
    figure ("Your cat reaches about {percent} % of the full curve: round your back more" reads
    "Round your back more"); the stored message for a rule the template does not know."""
    known = template is not None and any(rule.id == note.code for rule in template.form)
    if not (known or note.code in BUILT_IN_FAULTS):
        return note.message or fault_label(note.code, template)
    cue = fault_label(note.code, template)
    if "{percent}" in cue:
        cue = cue.split(": ", 1)[-1]
        cue = cue[0].upper() + cue[1:]
    return cue


# ----- pain ---------------------------------------------------------------------------------
def pain_points(sessions: list[dict], runs: list[dict], titles: Mapping[str, str],
                routines: Mapping[str, Routine]) -> list[PainPoint]:
    """Every rating in time order: a session's, and a routine run's (rated for the whole run)."""
    rated = [(s["started_at"], named(s["exercise"], titles), s) for s in sessions] + \
            [(r["started_at"], routine_title(r["routine"], routines), r) for r in runs]
    return [PainPoint(datetime.fromtimestamp(when), what, row["pain_before"], row["pain_after"])
            for when, what, row in sorted(rated, key=lambda item: item[0])
            if row["pain_before"] is not None or row["pain_after"] is not None]


def pain_changes(sessions: list[dict], runs: list[dict], titles: Mapping[str, str],
                 routines: Mapping[str, Routine]) -> list[PainChange]:
    """The average change after each exercise (and each routine), over the ratings before and after."""
    records = [PainRecord(named(s["exercise"], titles), s["pain_before"], s["pain_after"]) for s in sessions]
    records += [PainRecord(routine_title(r["routine"], routines), r["pain_before"], r["pain_after"]) for r in runs]
    return [PainChange(r.exercise, r.sessions, r.mean_change)
            for r in sorted(relief_by_exercise(records).values(), key=lambda r: r.exercise)]


def pain_stops(sessions: list[dict], runs: list[dict], titles: Mapping[str, str],
               routines: Mapping[str, Routine]) -> list[PainStop]:
    """Each session stopped because it hurt; a routine run stopped for pain before its step's
    session was stored counts once too."""
    run_title = {r["id"]: routine_title(r["routine"], routines) for r in runs}
    stops = [PainStop(datetime.fromtimestamp(s["started_at"]), named(s["exercise"], titles),
                      run_title.get(s["routine_run"])) for s in sessions if s["stop_reason"] == PAIN]
    stopped_sessions = {s["routine_run"] for s in sessions if s["stop_reason"] == PAIN}
    stops += [PainStop(datetime.fromtimestamp(r["started_at"]), "(no exercise recorded)", run_title[r["id"]])
              for r in runs if r["stop_reason"] == PAIN and r["id"] not in stopped_sessions]
    return sorted(stops, key=lambda stop: stop.when)


# ----- what a clinician reads first ----------------------------------------------------------
def clinician_flags(pain: tuple[PainPoint, ...], stops: tuple[PainStop, ...], plans: tuple[Plan, ...]) -> list[str]:
    return [*pain_rising(pain), *repeated_pain_stops(stops), *low_adherence(plans)]


def pain_rising(pain: tuple[PainPoint, ...]) -> list[str]:
    """Pain before exercising, the later half of the ratings against the earlier half."""
    before = [p.before for p in pain if p.before is not None]
    if len(before) < MIN_PAIN_RATINGS:
        return []
    half = len(before) // 2
    earlier, later = mean(before[:half]), mean(before[-half:])
    if later - earlier < PAIN_RISE_POINTS:
        return []
    return [f"Pain is rising: before exercising it averaged {earlier:.1f}/10 in the first {half} ratings "
            f"of the period and {later:.1f}/10 in the last {half}."]


def repeated_pain_stops(stops: tuple[PainStop, ...]) -> list[str]:
    counts: dict[str, list[PainStop]] = {}
    for stop in stops:
        counts.setdefault(stop.exercise, []).append(stop)
    return [f"{exercise} was stopped for pain {len(found)} times "
            f"({', '.join(s.when.strftime('%d %b') for s in found)})."
            for exercise, found in counts.items() if len(found) >= REPEATED_PAIN_STOPS]


def low_adherence(plans: tuple[Plan, ...]) -> list[str]:
    return [f"{plan.title} was done {plan.runs_per_week:.1f} times a week, under half the plan of "
            f"{plan.planned_per_week} a week ({plan.share:.0%})."
            for plan in plans if plan.share is not None and plan.share < LOW_ADHERENCE]
