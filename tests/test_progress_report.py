"""The progress report for a physiotherapist: every figure checked against a history filled with
four weeks of sessions (live, analysed, routine runs, pain, stopped for pain), the plan as the
routines' sessions_per_week, the patient's and clinician's names, a period without data, the page
itself (no outside address) and the command line."""

import dataclasses
import re
from datetime import date, datetime

import pytest

from posecheck.cli import main
from posecheck.core.events import Event, Rep
from posecheck.core.summary import FormNote, SessionSummary
from posecheck.io.routines import load_all_routines
from posecheck.io.store import Store
from posecheck.presentation.progress_report import (History, Period, ReportError, person_name, progress_report,
                                                    read_history)
from posecheck.presentation.report_page import report_html

NOVEMBER = Period(date(2026, 11, 2), date(2026, 11, 29))  # Monday 2 to Sunday 29: four weeks


def at(day: int, hour: int = 9, month: int = 11) -> float:
    return datetime(2026, month, day, hour).timestamp()


def add_session(store, when, exercise, *, source="live", reps=0, holds=(), reached=None, run=None,
                pain=(None, None), stop=None, faults=()):
    """One stored session: `reps` reps (each with `reached`), a hold event per length in
    `holds`, pain before and after, a stop reason and the summary's form notes."""
    sid = store.start_session(exercise, source, "clip.mp4" if source == "video" else None, when, run)
    for n in range(1, reps + 1):
        store.save_rep(sid, Rep(n, "", float(n), float(n), reached=dict(reached or {})))
    for n, seconds in enumerate(holds, 1):
        store.save_event(sid, Event("hold", float(n), f"held {seconds} s", rep=n, seconds=seconds))
    store.set_pain(sid, *pain)
    store.finish_session(sid, SessionSummary(exercise, reps=reps, faults=list(faults)))
    if stop:
        store.stop_session(sid, stop)
    return sid


def add_run(store, when, routine, *, pain=(None, None), stop=None):
    run = store.start_routine_run(routine, when)
    store.set_pain(run, *pain, table="routine_runs")
    if stop:
        store.stop_session(run, stop, table="routine_runs")
    store.finish_routine_run(run)
    return run


LEG_HIGH = "Lower your leg to hip height: keep it in line with your back."


def fill_history(store):
    # Before the period: a routine run (its plan then covers the whole period) and a very painful day.
    add_run(store, at(26, month=10), "core-three")
    add_session(store, at(30, month=10), "cat-cow", reps=2, pain=(9, 9))
    # Week of 2 Nov: core-three with knee-to-chest skipped; a bird-dog alone.
    run = add_run(store, at(2), "core-three", pain=(4, 3), stop="skipped 1 of 3")
    add_session(store, at(2) + 60, "cat-cow", reps=6, reached={"cat": 60, "cow": 40}, run=run)
    add_session(store, at(2) + 300, "bird-dog", reps=10, holds=[15] * 8 + [12, 13], reached={"reach": 80}, run=run)
    add_session(store, at(2) + 900, "knee-to-chest", run=run, stop="skipped")
    add_session(store, at(4, 18), "bird-dog", reps=4, holds=[16, 16, 14, 15], reached={"reach": 90}, pain=(3, 2),
                faults=[FormNote("leg_too_high", LEG_HIGH, 2), FormNote("hold_short", "held 14 s of 15 s", 1)])
    # Week of 9 Nov: an analysed video (no range figure; a summary stored the old way: ids only);
    # core-three stopped for pain at bird-dog.
    add_session(store, at(10), "cat-cow", source="video", reps=3, faults=[FormNote("shallow_cat", "", 2)])
    run = add_run(store, at(12), "core-three", pain=(5, 7), stop="pain")
    add_session(store, at(12) + 60, "cat-cow", reps=6, reached={"cat": 70, "cow": 50}, run=run,
                faults=[FormNote("shallow_cat", "Your cat reaches about 40 % of the full curve: round your back more.", 1),
                        FormNote("", "Round your back more", 1)])  # a live summary stored before the ids
    add_session(store, at(12) + 300, "bird-dog", reps=2, holds=[15, 9], reached={"reach": 85}, run=run, stop="pain")
    # Week of 16 Nov: bird-dog stopped for pain again; a pelvic tilt (no hold, no range figure);
    # one run of prevention (it advises two or three days a week), stopped after its first step.
    add_session(store, at(16), "bird-dog", reps=1, holds=[5], reached={"reach": 70}, pain=(6, 7), stop="pain",
                faults=[FormNote("leg_too_high", LEG_HIGH, 1)])
    add_session(store, at(18), "pelvic-tilt", reps=8, pain=(6, 5))
    run = add_run(store, at(19), "prevention", stop="stopped")
    add_session(store, at(19) + 60, "wall-squat", reps=6, holds=[10, 10, 9, 11, 10, 12], reached={"down": 95}, run=run)
    # Week of 23 Nov: nothing. After the period: another stop for pain, not in the report.
    add_session(store, at(1, month=12), "bird-dog", reps=1, pain=(8, 9), stop="pain")


@pytest.fixture(scope="module")
def routines(templates):
    return load_all_routines(templates)


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "history.db")
    fill_history(store)
    return store


@pytest.fixture
def report(store, templates, routines):
    return progress_report(read_history(store, NOVEMBER), NOVEMBER, templates, routines, made=datetime(2026, 11, 30))


def test_sessions_per_week_and_the_plan(report):
    # prevention plans 2 runs a week from its first run, on 19 Nov; core-three has no plan
    assert [(w.monday.day, w.routine_runs, w.other_sessions, w.planned) for w in report.weeks] == [
        (2, 1, 1, None), (9, 1, 1, None), (16, 1, 2, 2), (23, 0, 0, 2)]
    plans = {p.routine: p for p in report.plans}
    core = plans["core-three"]
    assert (core.runs, core.weeks, core.planned_per_week, core.share) == (2, 4.0, None, None)  # no plan set
    prevention = plans["prevention"]  # from its first run, 19 Nov, to the 29th: 11 days
    assert prevention.runs == 1 and prevention.weeks == pytest.approx(11 / 7)
    assert prevention.planned_per_week == 2 and prevention.share == pytest.approx(7 / 11 / 2)


def test_each_exercise_against_its_prescription(report):
    work = {w.exercise: w for w in report.exercises}
    assert list(work) == ["bird-dog", "cat-cow", "knee-to-chest", "pelvic-tilt", "wall-squat"]  # by title
    bird = work["bird-dog"]
    assert (bird.sessions, bird.live, bird.video, bird.reps) == (4, 4, 0, 17)
    # core-three asks 5 holds of 15 s per side: 10 a run, twice.
    assert (bird.routine_steps, bird.done_in_routines, bird.asked_in_routines, bird.asked_unit) == (2, 12, 20, "holds")
    assert len(bird.holds) == 17 and bird.holds_at_target == 8 + 3 + 1 + 0 and bird.hold_targets == (15,)
    cat = work["cat-cow"]
    assert (cat.sessions, cat.live, cat.video, cat.reps) == (3, 2, 1, 15)
    assert (cat.done_in_routines, cat.asked_in_routines, cat.asked_unit, cat.holds) == (12, 12, "reps", ())
    knee = work["knee-to-chest"]
    assert (knee.sessions, knee.routine_steps, knee.skipped_steps, knee.asked_in_routines) == (0, 1, 1, 6)
    pelvic = work["pelvic-tilt"]
    assert (pelvic.sessions, pelvic.reps, pelvic.routine_steps, pelvic.held) == (1, 8, 0, False)
    squat = work["wall-squat"]  # prevention: 6 holds of 10 s
    assert (squat.done_in_routines, squat.asked_in_routines, squat.holds_at_target, squat.hold_targets) == (6, 6, 5, (10,))


def test_range_of_motion_per_session_and_not_measured(report):
    ranges = {r.exercise: r for r in report.ranges}
    assert "knee-to-chest" not in ranges  # skipped: no rep to measure
    assert [(p.day.day, p.percent) for p in ranges["cat-cow"].points] == [(2, 50), (10, None), (12, 60)]
    assert [p.percent for p in ranges["bird-dog"].points] == [80, 90, 85, 70]
    assert [p.percent for p in ranges["pelvic-tilt"].points] == [None] and not ranges["pelvic-tilt"].measured


def test_the_form_notes_that_came_up_most(report):
    notes = [(n.title, n.message, n.times, n.sessions) for n in report.form_notes]
    assert notes[0] == ("Bird-dog", LEG_HIGH, 3, 2)
    # The same rule in a video (id only) and live (with that session's figure): the template's cue.
    assert notes[1] == ("Cat-cow", "Round your back more, push the floor away, tuck your chin and tailbone.", 3, 2)
    assert notes[2] == ("Cat-cow", "Round your back more", 1, 1)
    assert not any("held" in n.message for n in report.form_notes)  # a short hold is left to the holds


def test_pain_over_time_changes_and_stops(report):
    assert [(p.when.day, p.what, p.before, p.after) for p in report.pain] == [
        (2, "Start here: the core three", 4, 3), (4, "Bird-dog", 3, 2), (12, "Start here: the core three", 5, 7),
        (16, "Bird-dog", 6, 7), (18, "Pelvic tilt with leg lowering", 6, 5)]
    changes = {c.what: (c.sessions, c.mean_change) for c in report.pain_changes}
    assert changes == {"Bird-dog": (2, 0.0), "Pelvic tilt with leg lowering": (1, -1.0),
                       "Start here: the core three": (2, 0.5)}
    assert [(s.when.day, s.exercise, s.routine) for s in report.pain_stops] == [
        (12, "Bird-dog", "Start here: the core three"), (16, "Bird-dog", None)]


def test_the_flags_a_clinician_reads_first(report):
    rising, stopped, adherence = report.flags
    assert "Pain is rising" in rising and "3.5/10" in rising and "6.0/10" in rising
    assert stopped == "Bird-dog was stopped for pain 2 times (12 Nov, 16 Nov)."
    assert adherence == "Prevention: a stronger back was done 0.6 times a week, under half the plan of 2 a week (32%)."


def test_the_page_shows_each_figure_with_its_unit(report):
    page = report_html(report)
    text = re.sub(r"<[^>]+>", " ", page)
    for expected in ["2 Nov 2026 to 29 Nov 2026 (28 days)", "Pain is rising", "12 of 20 holds (60%) in 2 steps",
                     "12 of 17 holds held 15 s or longer", "13.8 s", "0 of 6 holds (0%) in 1 step, 1 skipped",
                     "no hold in this exercise", "not done in a routine", "50 % (2 Nov)", "60 % (12 Nov)",
                     "0 of 1", "not measured", "2 of 3", "+0.5 points", "-1.0 points", "0.6 runs", "no plan set",
                     "32%", "routine runs planned", "0.0 points", "17 reps", "3 (2 live, 1 video)"]:
        assert expected in text, expected
    assert page.count("<svg") == 2 + 3  # weeks, pain, and a trend per exercise measured


def test_a_long_period_labels_every_other_week_so_that_the_labels_do_not_overlap(store, templates, routines):
    period = Period(date(2026, 8, 3), date(2026, 11, 29))  # 17 weeks: a label a week would overlap
    report = progress_report(read_history(store, period), period, templates, routines)
    weeks_chart = report_html(report).split("<svg")[1]
    assert len(report.weeks) == 17
    assert re.findall(r'text-anchor="middle">(\d+ \w{3})</text>', weeks_chart) == [
        "3 Aug", "17 Aug", "31 Aug", "14 Sep", "28 Sep", "12 Oct", "26 Oct", "9 Nov", "23 Nov"]


def test_the_page_needs_nothing_from_outside(report):
    page = report_html(report)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", page, re.IGNORECASE)
    assert "http" not in page and "<script" not in page and "<link" not in page and "@import" not in page
    assert "@page { size: A4" in page


def test_a_period_without_data(store, templates, routines):
    empty = Period(date(2026, 12, 7), date(2026, 12, 20))
    report = progress_report(read_history(store, empty), empty, templates, routines)
    assert report.empty and not report.flags and not report.pain and not report.plans
    assert [(w.routine_runs, w.other_sessions) for w in report.weeks] == [(0, 0), (0, 0)]
    page = report_html(report)
    assert page.count("No data in this period.") == 5 and "No pain ratings in this period." in page
    assert "Nothing to flag" in page


def test_the_plan_is_the_routines_sessions_per_week(routines):
    assert routines["prevention"].sessions_per_week == 2  # its text: "two or three times a week"
    assert {name for name, r in routines.items() if r.sessions_per_week is None} == {
        "acute-relief", "core-three", "desk-break", "moderate-pain", "pregnancy"}  # their text says no frequency
    assert Period.ending(until=date(2026, 11, 29)) == NOVEMBER


def once_a_week(store, routine: str) -> None:
    """A run of `routine` on each Monday of the period, each with a cat-cow session."""
    for day in (2, 9, 16, 23):
        run = add_run(store, at(day), routine)
        add_session(store, at(day) + 60, "cat-cow", reps=6, run=run)


def test_a_plan_of_three_a_week_done_once_a_week_is_flagged(tmp_path, templates, routines):
    store = Store(tmp_path / "history.db")
    once_a_week(store, "core-three")
    planned = {**routines, "core-three": dataclasses.replace(routines["core-three"], sessions_per_week=3)}
    report = progress_report(read_history(store, NOVEMBER), NOVEMBER, templates, planned)
    (plan,) = report.plans
    assert (plan.runs, plan.runs_per_week, plan.planned_per_week) == (4, 1.0, 3)
    assert [w.planned for w in report.weeks] == [3, 3, 3, 3]
    assert report.flags == ("Start here: the core three was done 1.0 times a week, under half the plan of 3 a week (33%).",)
    page = re.sub(r"<[^>]+>", " ", report_html(report))
    assert "3 runs" in page and "33%" in page
    # The same runs without the field: no plan, nothing flagged, whatever the routine's words say.
    wordy = dataclasses.replace(routines["core-three"], summary="Do this three times a week.")
    report = progress_report(read_history(store, NOVEMBER), NOVEMBER, templates, {"core-three": wordy})
    assert report.plans[0].planned_per_week is None and not report.flags
    # Twice a week planned, once done: half the plan, not under it.
    twice = dataclasses.replace(routines["core-three"], sessions_per_week=2)
    report = progress_report(read_history(store, NOVEMBER), NOVEMBER, templates, {"core-three": twice})
    assert report.plans[0].share == 0.5 and not report.flags


def test_the_names_are_in_the_header_when_given(report):
    named = dataclasses.replace(report, patient="Ana <b>Souza</b>", clinician="Dr. Okafor")
    page = report_html(named)
    header = page[page.index("<h1>"):page.index("To read first")]
    assert "Patient: <strong>Ana &lt;b&gt;Souza&lt;/b&gt;</strong>" in header
    assert "Clinician: <strong>Dr. Okafor</strong>" in header
    assert "<title>Progress report for Ana &lt;b&gt;Souza&lt;/b&gt; 2026-11-02" in page
    only_clinician = report_html(dataclasses.replace(report, clinician="Dr. Okafor"))
    assert "Clinician: <strong>Dr. Okafor</strong>" in only_clinician and "Patient" not in only_clinician


def test_without_names_none_is_shown(report):
    assert report.patient is None and report.clinician is None
    page = report_html(report)
    assert "Patient" not in page and "Clinician" not in page and 'class="people"' not in page.split("</style>")[1]
    assert "<title>Progress report 2026-11-02 to 2026-11-29</title>" in page


def test_a_name_is_tidied_and_a_bad_one_refused_in_one_sentence():
    assert person_name("  Ana\n  Souza ", "patient") == "Ana Souza"
    assert person_name("   ", "patient") is None and person_name(None, "clinician") is None
    with pytest.raises(ReportError, match=r"^The patient's name must be at most 80 characters, got 81\.$"):
        person_name("x" * 81, "patient")
    with pytest.raises(ReportError, match=r"^The clinician's name has a character that cannot be printed"):
        person_name("Dr\x00 Who", "clinician")
    report = progress_report(History([], []), NOVEMBER, {}, {}, patient=" Ana ", clinician="")
    assert (report.patient, report.clinician) == ("Ana", None)


def test_the_command_writes_the_page(store, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["--db", str(store.path), "report", "--since", "2026-11-02", "--until", "2026-11-29",
                 "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Bird-dog was stopped for pain 2 times" in page and "http" not in page
    assert main(["--db", str(store.path), "report", "--since", "2026-11-30", "--until", "2026-11-01"]) == 2
    assert "is after --until" in capsys.readouterr().err


def test_the_command_puts_the_names_given_in_the_header_and_stores_them_nowhere(store, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["--db", str(store.path), "report", "--since", "2026-11-02", "--until", "2026-11-29", "-o", str(out),
                 "--patient", "Ana Souza", "--clinician", "Dr. Okafor"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Patient: <strong>Ana Souza</strong>" in page and "Clinician: <strong>Dr. Okafor</strong>" in page
    stored = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("history.db"))
    assert b"Souza" not in stored and b"Okafor" not in stored
    assert main(["--db", str(store.path), "report", "-o", str(out), "--patient", "x" * 81]) == 2
    assert "posecheck: error: The patient's name must be at most 80 characters, got 81\n" in capsys.readouterr().err


def test_pdf_without_chromium_says_so(store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("POSECHECK_CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "report.html"
    assert main(["--db", str(store.path), "report", "-o", str(out), "--pdf", str(tmp_path / "r.pdf")]) == 2
    assert "--pdf needs Chromium" in capsys.readouterr().err and out.exists()


def test_pdf_printed_by_chromium(store, tmp_path):
    from posecheck.io.pdf import find_chromium

    if find_chromium() is None:
        pytest.skip("no Chromium to print with (apt-get install chromium)")
    pdf = tmp_path / "report.pdf"
    assert main(["--db", str(store.path), "report", "--since", "2026-11-02", "--until", "2026-11-29",
                 "-o", str(tmp_path / "report.html"), "--pdf", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
