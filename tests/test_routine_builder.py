"""Routines a clinician builds, exports, imports, edits, renames and deletes: a built routine
round-trips through the parser (its plan too), a broken import names the field with its step
numbered from 1, saving never overwrites a shipped routine, and only one's own routines are edited,
renamed or deleted."""

import os
from pathlib import Path

import pytest

from posecheck.core.routine import RoutineError, parse_routine
from posecheck.core.routine_builder import (builder_message, copy_data, data_of, file_message, name_from_title,
                                            new_step, routine_data, routine_toml, step_moved_up, toml_value,
                                            without_step)
from posecheck.io import routines as routine_files
from posecheck.io.routines import (delete_routine, load_available_routines, load_routine, own_routine_names,
                                   save_edited_routine, save_routine, user_routines_dir)
from posecheck.io.templates import load_all, toml_table

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = load_all(ROOT / "exercises")


def built(**changes) -> dict:
    steps = [new_step("cat-cow", 6, rest_seconds=20),
             new_step("bird-dog", 4, hold_seconds=12.5, per_side=True, rest_seconds=0)]
    return routine_data("after-work", "After work", "Two steps for the evening.", steps,
                        notes=("Slowly, please.", "  "), **changes)


def built_text(**changes) -> str:
    return routine_toml(parse_routine(built(**changes), TEMPLATES))


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


# ----- the plan ------------------------------------------------------------------------------
def test_the_plan_is_written_and_read_back():
    routine = parse_routine(built(sessions_per_week=3), TEMPLATES)
    assert routine.sessions_per_week == 3
    assert "\nsessions_per_week = 3\n" in routine_toml(routine) and reparsed(routine) == routine
    unplanned = parse_routine(built(), TEMPLATES)
    assert unplanned.sessions_per_week is None and "sessions_per_week" not in routine_toml(unplanned)


def test_the_routines_command_shows_the_plan(tmp_path, capsys):
    from posecheck.cli import main

    save_routine(built_text(sessions_per_week=1), TEMPLATES, tmp_path / "routines")
    assert main(["--db", str(tmp_path / "history.db"), "routines"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert "prevention: Prevention: a stronger back (prevention, 2 times a week)" in listed
    assert "core-three: Start here: the core three (general, no plan set)" in listed
    assert "after-work: After work (general, once a week)" in listed


# ----- into the builder, and out as a copy ---------------------------------------------------
def test_every_shipped_routine_goes_into_the_builder_and_back_unchanged():
    routines, _ = load_available_routines(TEMPLATES, ROOT / "routines")
    for routine in routines.values():
        assert parse_routine(data_of(routine), TEMPLATES) == routine


def test_a_copy_has_a_free_name_and_says_it_is_a_copy():
    routines, _ = load_available_routines(TEMPLATES, ROOT / "routines")
    prevention = routines["prevention"]
    copy = copy_data(prevention, set(routines))
    assert (copy["name"], copy["title"], copy["sessions_per_week"]) == (
        "prevention-copy", "Prevention: a stronger back (copy)", 2)
    assert copy_data(prevention, {"prevention-copy", "prevention-copy-2"})["name"] == "prevention-copy-3"
    long_title = parse_routine(built() | {"title": "x" * 60}, TEMPLATES)
    assert copy_data(long_title, set())["title"] == "x" * 53 + " (copy)"
    assert parse_routine(copy, TEMPLATES).steps == prevention.steps


def test_a_copy_of_a_shipped_routine_is_saved_as_the_users_own(tmp_path):
    shipped = load_routine("core-three", TEMPLATES, ROOT / "routines")
    copy = parse_routine(copy_data(shipped, {"core-three"}), TEMPLATES)
    save_routine(routine_toml(copy), TEMPLATES, tmp_path)
    assert own_routine_names(tmp_path) == {"core-three-copy"}


# ----- edit, rename, delete ------------------------------------------------------------------
def test_editing_under_the_same_name_changes_the_routine(tmp_path):
    save_routine(built_text(), TEMPLATES, tmp_path)
    save_edited_routine(built_text(sessions_per_week=4).replace("reps = 6", "reps = 3"), TEMPLATES, "after-work",
                        tmp_path)  # no `replace` needed: it is the routine being edited
    text = (tmp_path / "after-work.toml").read_text()
    assert "reps = 3" in text and "sessions_per_week = 4" in text
    assert [p.name for p in tmp_path.iterdir()] == ["after-work.toml"]


def test_saving_under_a_new_name_renames(tmp_path):
    save_routine(built_text(), TEMPLATES, tmp_path)
    renamed = built_text().replace('name = "after-work"', 'name = "evening"')
    path = save_edited_routine(renamed, TEMPLATES, "after-work", tmp_path)
    assert path == tmp_path / "evening.toml" and own_routine_names(tmp_path) == {"evening"}
    assert load_routine(str(path), TEMPLATES).title == "After work"


def test_a_rename_onto_another_of_your_routines_needs_replace(tmp_path):
    save_routine(built_text(), TEMPLATES, tmp_path)
    other = built_text().replace('name = "after-work"', 'name = "evening"').replace("reps = 6", "reps = 9")
    save_routine(other, TEMPLATES, tmp_path)
    renamed = built_text().replace('name = "after-work"', 'name = "evening"')
    with pytest.raises(RoutineError, match="name is taken: you already have a routine named 'evening'"):
        save_edited_routine(renamed, TEMPLATES, "after-work", tmp_path)
    assert own_routine_names(tmp_path) == {"after-work", "evening"} and "reps = 9" in (tmp_path / "evening.toml").read_text()
    save_edited_routine(renamed, TEMPLATES, "after-work", tmp_path, replace=True)
    assert own_routine_names(tmp_path) == {"evening"} and "reps = 6" in (tmp_path / "evening.toml").read_text()


def test_a_rename_that_fails_keeps_the_old_routine(tmp_path, monkeypatch):
    save_routine(built_text(), TEMPLATES, tmp_path)
    onto_shipped = built_text().replace('name = "after-work"', 'name = "core-three"')
    with pytest.raises(RoutineError, match="name is the name of a shipped routine"):
        save_edited_routine(onto_shipped, TEMPLATES, "after-work", tmp_path)

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(routine_files, "write_atomically", disk_full)
    with pytest.raises(OSError):
        save_edited_routine(built_text().replace('name = "after-work"', 'name = "evening"'), TEMPLATES,
                            "after-work", tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["after-work.toml"]  # removed only once the new one is written


def test_a_shipped_routine_is_never_edited_or_deleted(tmp_path):
    text = (ROOT / "routines" / "core-three.toml").read_text()
    with pytest.raises(RoutineError) as error:
        save_edited_routine(text.replace('name = "core-three"', 'name = "mine"'), TEMPLATES, "core-three", tmp_path)
    assert str(error.value) == "'core-three' is a shipped routine: only your own routines can be edited."
    with pytest.raises(RoutineError) as error:
        delete_routine("core-three", tmp_path)
    assert str(error.value) == "'core-three' is a shipped routine: only your own routines can be deleted."
    assert not list(tmp_path.iterdir()) and (ROOT / "routines" / "core-three.toml").read_text() == text


def test_deleting_your_routine(tmp_path):
    save_routine(built_text(), TEMPLATES, tmp_path)
    (tmp_path / "core-three.toml").write_text("a file named like a shipped routine is not one of yours")
    assert own_routine_names(tmp_path) == {"after-work"}
    delete_routine("after-work", tmp_path)
    assert own_routine_names(tmp_path) == set()
    with pytest.raises(RoutineError, match=r"^You have no routine named 'after-work' in "):
        delete_routine("after-work", tmp_path)
    with pytest.raises(RoutineError, match=r"^You have no routine named 'after-work' in "):
        save_edited_routine(built_text(), TEMPLATES, "after-work", tmp_path)


# ----- errors as people read them: steps from 1 ----------------------------------------------
def problem_in(data: dict) -> RoutineError:
    with pytest.raises(RoutineError) as error:
        parse_routine(data, TEMPLATES, source="Your routine")
    return error.value


def test_the_builder_numbers_steps_from_one():
    data = built()
    data["steps"][1]["holds"] = 40
    assert builder_message(problem_in(data)) == "Step 2: the number of holds must be between 1 and 20, got 40."
    data = built()
    data["steps"][0] = new_step("cat-cow", 6, per_side=True)
    assert builder_message(problem_in(data)) == (
        "Step 1: \"on each side\" is only for exercises done on each side, and 'cat-cow' is not.")
    data = built()
    data["steps"][0] = {"exercise": "cat-cow"}
    assert builder_message(problem_in(data)) == "Step 1: needs exactly one of 'reps' or 'holds'."


def test_the_builder_names_its_fields_as_its_form_does():
    assert builder_message(problem_in(built() | {"title": ""})) == "The title must not be empty."
    assert builder_message(problem_in(built() | {"steps": []})) == "The routine must list at least one step."
    assert builder_message(problem_in(built() | {"sessions_per_week": 15})) == (
        "The times a week must be between 1 and 14, got 15.")


def test_the_builder_says_a_taken_name_plainly(tmp_path):
    save_routine(built_text(), TEMPLATES, tmp_path)
    with pytest.raises(RoutineError) as error:
        save_routine(built_text(), TEMPLATES, tmp_path, source="Your routine")
    assert builder_message(error.value) == ("The name is taken: you already have a routine named 'after-work' "
                                            "(choose another name, or replace it).")


def test_an_import_numbers_steps_from_one(tmp_path):
    text = built_text().replace("holds = 4", "holds = 40")
    with pytest.raises(RoutineError) as error:
        save_routine(text, TEMPLATES, tmp_path, source="mine.toml")
    assert file_message(error.value) == "mine.toml, step 2: holds must be between 1 and 20, got 40."
    with pytest.raises(RoutineError) as error:
        save_routine(b"name = ", TEMPLATES, tmp_path, source="mine.toml")
    assert file_message(error.value).startswith("mine.toml is not valid TOML")
