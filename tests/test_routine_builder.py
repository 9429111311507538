"""Routines a clinician builds, exports and imports: a built routine round-trips through the
parser, a broken import names the field, and saving never overwrites a shipped routine."""

import os
from pathlib import Path

import pytest

from posecheck.core.routine import RoutineError, parse_routine
from posecheck.core.routine_builder import (name_from_title, new_step, routine_data, routine_toml, step_moved_up,
                                            toml_value, without_step)
from posecheck.io.routines import load_available_routines, load_routine, save_routine, user_routines_dir
from posecheck.io.templates import load_all, toml_table

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = load_all(ROOT / "exercises")


def built() -> dict:
    steps = [new_step("cat-cow", 6, rest_seconds=20),
             new_step("bird-dog", 4, hold_seconds=12.5, per_side=True, rest_seconds=0)]
    return routine_data("after-work", "After work", "Two steps for the evening.", steps,
                        notes=("Slowly, please.", "  "))


def reparsed(routine):
    return parse_routine(toml_table(routine_toml(routine).encode(), "test", RoutineError), TEMPLATES)


def test_a_built_routine_round_trips_through_the_parser():
    routine = parse_routine(built(), TEMPLATES)
    assert routine.notes == ("Slowly, please.",)
    assert [(s.exercise, s.reps, s.holds, s.hold_seconds, s.per_side, s.rest_seconds) for s in routine.steps] == [
        ("cat-cow", 6, None, None, False, 20.0), ("bird-dog", None, 4, 12.5, True, 0.0)]
    assert reparsed(routine) == routine


def test_every_shipped_routine_round_trips():
    routines, problems = load_available_routines(TEMPLATES, ROOT / "routines")
    assert not problems and routines
    for routine in routines.values():
        assert reparsed(routine) == routine


def test_text_with_quotes_and_odd_characters_round_trips():
    routine = parse_routine(built() | {"title": 'Say "hi" \\ to the ä\x7f', "notes": ["line\nbreak\ttab"]}, TEMPLATES)
    assert reparsed(routine) == routine
    assert toml_value(15.0) == "15" and toml_value(True) == "true" and toml_value(2.5) == "2.5"


def test_a_built_routine_is_checked_like_a_routine_file():
    data = built()
    data["steps"][0] = new_step("cat-cow", 6, per_side=True)
    with pytest.raises(RoutineError, match=r"^the routine: steps\[0\]\.per_side is only for exercises done on each side"):
        parse_routine(data, TEMPLATES, source="the routine")


def test_steps_are_removed_and_moved_up():
    assert step_moved_up(["a", "b", "c"], 2) == ["a", "c", "b"]
    assert step_moved_up(["a", "b"], 0) == ["a", "b"]
    assert without_step(["a", "b", "c"], 1) == ["a", "c"]
    assert name_from_title("My  morning routine!") == "my-morning-routine"


def test_a_saved_routine_is_loaded_with_the_shipped_ones(tmp_path):
    path = save_routine(routine_toml(parse_routine(built(), TEMPLATES)), TEMPLATES, tmp_path)
    assert path == tmp_path / "after-work.toml"
    routines, problems = load_available_routines(TEMPLATES, user_folder=tmp_path)
    assert "after-work" in routines and "core-three" in routines and not problems
    assert [p.name for p in tmp_path.iterdir()] == ["after-work.toml"]  # no temporary file left


def test_a_broken_import_names_the_field(tmp_path):
    text = routine_toml(parse_routine(built(), TEMPLATES)).replace("holds = 4", "holds = 40")
    with pytest.raises(RoutineError) as error:
        save_routine(text, TEMPLATES, tmp_path, source="mine.toml")
    assert str(error.value) == "mine.toml: steps[1].holds must be between 1 and 20, got 40"
    with pytest.raises(RoutineError, match="^mine.toml is not valid TOML"):
        save_routine(b"name = ", TEMPLATES, tmp_path, source="mine.toml")
    assert not list(tmp_path.iterdir())


def test_saving_never_overwrites_a_shipped_routine(tmp_path):
    shipped = (ROOT / "routines" / "core-three.toml").read_text()
    with pytest.raises(RoutineError) as error:
        save_routine(shipped, TEMPLATES, tmp_path, source="core-three.toml")
    assert str(error.value) == ("core-three.toml: name is the name of a shipped routine ('core-three'): "
                                "give your routine another name")
    assert not list(tmp_path.iterdir())


def test_saving_over_your_own_routine_needs_replace(tmp_path):
    routine = parse_routine(built(), TEMPLATES)
    save_routine(routine_toml(routine), TEMPLATES, tmp_path)
    shorter = routine_toml(routine).replace("reps = 6", "reps = 3")
    with pytest.raises(RoutineError, match="name is taken: you already have a routine named 'after-work'"):
        save_routine(shorter, TEMPLATES, tmp_path)
    save_routine(shorter, TEMPLATES, tmp_path, replace=True)
    assert "reps = 3" in (tmp_path / "after-work.toml").read_text()


def test_a_user_routine_named_like_a_shipped_one_is_unavailable(tmp_path):
    (tmp_path / "core-three.toml").write_text((ROOT / "routines" / "core-three.toml").read_text())
    routines, problems = load_available_routines(TEMPLATES, user_folder=tmp_path)
    assert routines["core-three"].source.endswith(os.path.join("routines", "core-three.toml"))
    assert "name is the name of a shipped routine ('core-three')" in problems["core-three"]


def test_user_routines_live_beside_the_history_unless_told(monkeypatch, tmp_path):
    monkeypatch.delenv("POSECHECK_USER_ROUTINES", raising=False)
    monkeypatch.setenv("POSECHECK_DB", str(tmp_path / "history.db"))
    assert user_routines_dir() == tmp_path / "routines"
    save_routine(routine_toml(parse_routine(built(), TEMPLATES)), TEMPLATES)
    assert load_routine("after-work", TEMPLATES).title == "After work"
    monkeypatch.setenv("POSECHECK_USER_ROUTINES", str(tmp_path / "mine"))
    assert user_routines_dir() == tmp_path / "mine"
