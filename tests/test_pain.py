"""The safety check and the pain-based suggestions (posecheck/core/pain.py), on plain records."""

import pytest

from posecheck.core.pain import (CONTRAINDICATIONS, MIN_SESSIONS, PainRecord, check_pain, helpful_exercises,
                                 relief_by_exercise, screen, suggestion)


def test_no_yes_answer_lets_the_session_start():
    assert screen({}).ok
    assert screen({code: False for code, _ in CONTRAINDICATIONS}).ok


@pytest.mark.parametrize("code", [code for code, _ in CONTRAINDICATIONS])
def test_any_yes_blocks_the_session_and_says_to_see_a_doctor(code):
    result = screen({code: True})
    assert not result.ok and result.reasons == (code,)
    assert "don't exercise today" in result.message and "see a doctor" in result.message


def test_several_reasons_are_named_together():
    message = screen({"fever": True, "chills": True}).message
    assert message.startswith("Please don't exercise today. A fever and chills can be")


def test_an_unknown_question_is_an_error_not_a_silent_pass():
    with pytest.raises(ValueError, match="not a screening question: headache"):
        screen({"headache": True})


@pytest.mark.parametrize("value", [-1, 11, 2.5, "3", True, None])
def test_pain_is_a_whole_number_from_0_to_10(value):
    with pytest.raises(ValueError, match="from 0 to 10"):
        check_pain(value)
    assert check_pain(0) == 0 and check_pain(10) == 10


def test_relief_counts_only_sessions_rated_before_and_after():
    records = [PainRecord("knee-to-chest", 6, 4), PainRecord("knee-to-chest", 5, None),
               PainRecord("knee-to-chest", None, 2), PainRecord("cat-cow", 3, 3)]
    relief = relief_by_exercise(records)
    assert relief["knee-to-chest"].sessions == 1 and relief["knee-to-chest"].mean_change == -2
    assert relief["cat-cow"].share_lower == 0


def test_the_suggestion_appears_once_an_exercise_reliably_lowers_the_pain():
    """Session by session: knee-to-chest lowers the pain each time, cat-cow does not; the
    suggestion appears only after enough sessions, and names the exercise that helps."""
    history, suggested = [], []
    for before, after_k2c, after_catcow in [(6, 4, 6), (5, 3, 6), (6, 5, 5), (5, 3, 5)]:
        history += [PainRecord("knee-to-chest", before, after_k2c), PainRecord("cat-cow", before, after_catcow)]
        suggested.append([r.exercise for r in helpful_exercises(history)])
    assert suggested[:MIN_SESSIONS - 1] == [[]] * (MIN_SESSIONS - 1)
    assert suggested[-1] == ["knee-to-chest"]
    best = helpful_exercises(history)[0]
    assert suggestion(best, "Knee-to-chest").startswith("Knee-to-chest has lowered your pain by 1.8 points")


def test_an_exercise_that_helps_only_now_and_then_is_not_suggested():
    history = [PainRecord("bird-dog", 6, 2), PainRecord("bird-dog", 4, 5), PainRecord("bird-dog", 4, 5),
               PainRecord("bird-dog", 5, 6)]
    assert relief_by_exercise(history)["bird-dog"].mean_change == -0.25
    assert helpful_exercises(history) == []


def test_the_history_tables_write_a_pain_rating_out_of_10_and_a_missing_one_in_words():
    """The History page showed an unrated session's pain as "None"."""
    from posecheck.ui.history import pain_cell

    assert [pain_cell(6), pain_cell(0), pain_cell(None)] == ["6/10", "0/10", "not rated"]


def test_the_pain_chart_has_the_routine_runs_ratings_and_readable_points(tmp_path):
    """History, finding 10: a routine's pain (rated for the whole run) is on the pain chart with the
    sessions'; 'after' points are large, filled and dark; one date label a day at most."""
    from posecheck.presentation.charts import pain_chart
    from posecheck.io.store import Store
    from posecheck.ui.pain_widgets import pain_rows

    store = Store(tmp_path / "history.db")
    session = store.start_session("cat-cow", "live", "webcam", started_at=1_000_000.0)
    store.set_pain(session, before=6, after=4)
    run = store.start_routine_run("core-three", started_at=1_090_000.0)
    store.set_pain(run, before=5, after=3, table="routine_runs")
    rows = pain_rows(store, {"cat-cow": "Cat-cow"})
    assert [(r["exercise"], r["moment"], r["pain"]) for r in rows] == [
        ("Cat-cow", "before", 6), ("Cat-cow", "after", 4),
        ("routine: core-three", "before", 5), ("routine: core-three", "after", 3)]
    spec = pain_chart(rows).to_dict()
    assert spec["mark"]["point"]["size"] >= 80 and spec["mark"]["point"]["filled"] is True
    assert spec["encoding"]["color"]["scale"]["range"] == ["#b3261e", "#1565c0"]
    assert spec["encoding"]["x"]["axis"]["tickCount"] == {"interval": "day", "step": 1}
