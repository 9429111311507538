"""Routines: the shipped ones load against the shipped templates; every broken routine is one
sentence naming the file and the field; random damage raises RoutineError, never anything else."""

import copy
import dataclasses
import math
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_template_errors import FUZZ, assert_one_sentence, mutate, words_of, write

from posecheck.core.routine import HOLDS, REPS, REST_SECONDS, SITUATIONS, RoutineError, parse_routine
from posecheck.io.routines import (load_all_routines, load_available_routines, load_routine, load_routine_file,
                                   routines_dir)
from posecheck.io.templates import load_all

ROOT = Path(__file__).resolve().parents[1]
ROUTINES = ROOT / "routines"
TEMPLATES = load_all(ROOT / "exercises")
BASE = tomllib.loads((ROUTINES / "core-three.toml").read_text())
SOURCE = "routines/core-three.toml"
KNOWN = f"Known exercises: {', '.join(sorted(TEMPLATES))}."


def test_the_shipped_routines_load_against_the_shipped_templates():
    routines = load_all_routines(TEMPLATES, ROUTINES)
    assert "core-three" in routines
    for routine in routines.values():
        assert routine.situation in SITUATIONS and routine.steps
        for step in routine.steps:
            template = TEMPLATES[step.exercise]
            assert not step.per_side or template.sides
            if step.holds:
                assert step.hold_seconds <= (template.hold.max_seconds or math.inf)


def test_the_programme_has_a_routine_for_each_situation():
    routines = load_all_routines(TEMPLATES, ROUTINES)
    assert {r.situation for r in routines.values()} == set(SITUATIONS)
    steps = {r.situation: [s.exercise for s in r.steps] for r in routines.values()}
    # The programme's own lists: acute relief and prevention, as the advice gives them.
    assert steps["acute"][:4] == ["cat-cow", "childs-pose", "lying-knee-twist", "shell-stretch"]
    assert {"wall-squat", "knee-to-chest", "prone-press-up", "pelvic-tilt", "bird-dog"} <= set(steps["prevention"])
    # Upright only at the desk; in pregnancy the bridge goes up and down without a hold.
    assert all(TEMPLATES[name].position.label.startswith("standing") for name in steps["desk"]), \
        [TEMPLATES[name].position.label for name in steps["desk"]]
    bridge = next(s for s in load_routine("pregnancy", TEMPLATES, ROUTINES).steps if s.exercise == "glute-bridge")
    assert bridge.reps and not bridge.holds


def test_core_three_follows_the_exercises_advice():
    """cat-cow holds about 5 s (its own target), bird-dog about 15 s, knee-to-chest 10-20 s."""
    cat_cow, bird_dog, knee_to_chest = load_routine("core-three", TEMPLATES, ROUTINES).steps
    assert (cat_cow.exercise, cat_cow.reps, cat_cow.per_side) == ("cat-cow", 6, False)
    assert TEMPLATES["cat-cow"].hold.target_seconds == 5
    assert (bird_dog.exercise, bird_dog.hold_seconds, bird_dog.per_side) == ("bird-dog", 15, True)
    assert knee_to_chest.exercise == "knee-to-chest" and knee_to_chest.per_side
    assert 10 <= knee_to_chest.hold_seconds <= 20


def test_hold_seconds_defaults_to_the_templates_hold():
    data = copy.deepcopy(BASE)
    del data["steps"][1]["hold_seconds"]
    assert parse_routine(data, TEMPLATES).steps[1].hold_seconds == TEMPLATES["bird-dog"].hold.target_seconds
    del data["steps"][0]["rest_seconds"]
    assert parse_routine(data, TEMPLATES).steps[0].rest_seconds == 30


def step(i, **changes):
    return lambda d: d["steps"][i].update(changes)


# (change, field path, problem): the message must be exactly "routines/core-three.toml: <field> <problem>".
CASES = [
    # missing and unknown exercises, per_side where there are no sides
    (lambda d: d["steps"][0].pop("exercise"), "steps[0].exercise", "is missing"),
    (step(2, exercise="handstand"), "steps[2].exercise", f"names no exercise: 'handstand'. {KNOWN}"),
    (step(0, per_side=True), "steps[0].per_side", "is only for exercises done on each side, and 'cat-cow' is not"),
    # reps or holds, and what goes with them
    (step(0, holds=3), "steps[0]", "needs exactly one of 'reps' or 'holds'"),
    (lambda d: d["steps"][0].pop("reps"), "steps[0]", "needs exactly one of 'reps' or 'holds'"),
    (step(0, hold_seconds=5), "steps[0].hold_seconds", "goes with 'holds', not with 'reps'"),
    (step(1, hold_seconds=45), "steps[1].hold_seconds",
     "must be at most 30 seconds, the longest hold 'bird-dog' allows, got 45"),
    # wrong types
    (step(0, reps="six"), "steps[0].reps", "must be a whole number, got text 'six'"),
    (step(0, reps=6.5), "steps[0].reps", "must be a whole number, got 6.5"),
    (step(0, reps=True), "steps[0].reps", "must be a whole number, got true"),
    (step(1, holds=[5]), "steps[1].holds", "must be a whole number, got a list"),
    (step(1, per_side="yes"), "steps[1].per_side", "must be true or false, got text 'yes'"),
    (step(1, hold_seconds="15 s"), "steps[1].hold_seconds", "must be a number, got text '15 s'"),
    (step(0, rest_seconds="half a minute"), "steps[0].rest_seconds", "must be a number, got text 'half a minute'"),
    (lambda d: d.update(steps={"exercise": "cat-cow"}), "steps", "must be a list, got a table"),
    (lambda d: d["steps"].__setitem__(0, "cat-cow"), "steps[0]",
     "must be a table (write each step under its own [[steps]]), got text 'cat-cow'"),
    (lambda d: d.update(notes="Go slow."), "notes", "must be a list, got text 'Go slow.'"),
    (lambda d: d.update(title=5), "title", "must be text, got 5"),
    # out-of-range numbers
    (step(0, reps=0), "steps[0].reps", "must be between 1 and 50, got 0"),
    (step(0, reps=51), "steps[0].reps", "must be between 1 and 50, got 51"),
    (step(1, holds=0), "steps[1].holds", "must be between 1 and 20, got 0"),
    (step(1, holds=21), "steps[1].holds", "must be between 1 and 20, got 21"),
    (step(1, hold_seconds=0), "steps[1].hold_seconds", "must be more than 0 and at most 300 seconds, got 0"),
    (step(1, hold_seconds=-5), "steps[1].hold_seconds", "must be more than 0 and at most 300 seconds, got -5"),
    (step(1, hold_seconds=math.nan), "steps[1].hold_seconds", "must be a finite number, got nan"),
    (step(1, hold_seconds=1e9), "steps[1].hold_seconds", "must be more than 0 and at most 300 seconds, got 1e+09"),
    (step(0, rest_seconds=-1), "steps[0].rest_seconds", "must be between 0 and 600 seconds, got -1"),
    (step(0, rest_seconds=601), "steps[0].rest_seconds", "must be between 0 and 600 seconds, got 601"),
    (step(0, rest_seconds=math.inf), "steps[0].rest_seconds", "must be a finite number, got inf"),
    # empty steps, unknown fields, names, choices, lengths
    (lambda d: d.update(steps=[]), "steps", "must list at least one step"),
    (lambda d: d.pop("steps"), "steps", "is missing"),
    (lambda d: d.update(colour="red"), "colour",
     "is not a known field (known fields: name, title, summary, situation, sessions_per_week, notes, steps)"),
    (step(0, sets=2), "steps[0].sets",
     "is not a known field (known fields: exercise, reps, holds, hold_seconds, per_side, rest_seconds)"),
    (lambda d: d.update(situation="sometimes"), "situation",
     "must be one of 'acute', 'moderate', 'prevention', 'pregnancy', 'desk', 'general', got text 'sometimes'"),
    (lambda d: d.pop("situation"), "situation", "is missing"),
    (lambda d: d.update(name="Core Three"), "name",
     "must be lower-case words joined by '-' (like 'bird-dog'), got text 'Core Three'"),
    (lambda d: d.update(sessions_per_week=0), "sessions_per_week", "must be between 1 and 14, got 0"),
    (lambda d: d.update(sessions_per_week=15), "sessions_per_week", "must be between 1 and 14, got 15"),
    (lambda d: d.update(sessions_per_week=2.5), "sessions_per_week", "must be a whole number, got 2.5"),
    (lambda d: d.update(title="x" * 61), "title", "must be at most 60 characters, got 61"),
    (lambda d: d.update(summary="x" * 201), "summary", "must be at most 200 characters, got 201"),
    (lambda d: d.update(notes=["Go slow.", ""]), "notes[1]", "must be non-empty text, got text ''"),
]


@pytest.mark.parametrize("change, field, problem", CASES, ids=[f"{c[1]}:{i}" for i, c in enumerate(CASES)])
def test_each_problem_is_one_sentence_naming_file_and_field(change, field, problem):
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(RoutineError) as error:
        parse_routine(data, TEMPLATES, source=SOURCE)
    assert (error.value.field_path, error.value.problem) == (field, problem)
    assert str(error.value) == f"{SOURCE}: {field} {problem}"


def test_holds_need_an_exercise_that_is_held():
    templates = dict(TEMPLATES, **{"bird-dog": dataclasses.replace(TEMPLATES["bird-dog"], hold=None)})
    with pytest.raises(RoutineError) as error:
        parse_routine(copy.deepcopy(BASE), templates, source=SOURCE)
    assert str(error.value) == f"{SOURCE}: steps[1].holds needs an exercise that is held, and 'bird-dog' is not"


# ---- Files and folders ------------------------------------------------------------------------

def copy_core_three(folder: Path) -> None:
    write(folder, "core-three.toml", (ROUTINES / "core-three.toml").read_text())


def test_file_problems_name_the_file(tmp_path):
    cases = {
        "empty.toml": ("", "is empty"),
        "bad.toml": ("name = [", "is not valid TOML: "),
        "latin.toml": (b"title = '\xe9'", "is not UTF-8 text (byte 0xe9 at position 9 is not valid UTF-8)"),
        "huge.toml": ("#" * 1_000_001, "is larger than 1 MB, far too large for a routine"),
        "other-name.toml": ((ROUTINES / "core-three.toml").read_text(),
                            ": name must match the file name ('other-name'), got text 'core-three'"),
    }
    for name, (content, problem) in cases.items():
        path = write(tmp_path, name, content)
        with pytest.raises(RoutineError) as error:
            load_routine_file(path, TEMPLATES)
        assert str(error.value).startswith(f"{path}{'' if problem.startswith(':') else ' '}{problem}")


def test_unknown_routine_names_the_known_ones():
    with pytest.raises(RoutineError) as error:
        load_routine("evening", TEMPLATES, ROUTINES)
    known = ", ".join(sorted(path.stem for path in ROUTINES.glob("*.toml")))
    assert "core-three" in known
    assert str(error.value) == f"There is no routine named 'evening'. Known routines: {known}."


def test_load_available_routines_keeps_the_good_and_names_the_broken(tmp_path):
    copy_core_three(tmp_path)
    text = (ROUTINES / "core-three.toml").read_text().replace('name = "core-three"', 'name = "hug-more"')
    write(tmp_path, "hug-more.toml", text.replace("holds = 3", "holds = 30"))
    templates = {name: t for name, t in TEMPLATES.items() if name != "cat-cow"}  # say cat-cow is broken
    write(tmp_path, "no-cat.toml", text.replace('name = "hug-more"', 'name = "no-cat"')
          .replace('exercise = "cat-cow"\nreps = 6', 'exercise = "bird-dog"\nreps = 6'))
    routines, problems = load_available_routines(templates, tmp_path)
    assert set(routines) == {"no-cat"}
    known = f"Known exercises: {', '.join(sorted(templates))}."
    assert problems == {
        "core-three": f"{tmp_path / 'core-three.toml'}: steps[0].exercise names no exercise: 'cat-cow'. {known}",
        "hug-more": f"{tmp_path / 'hug-more.toml'}: steps[0].exercise names no exercise: 'cat-cow'. {known}",
    }
    with pytest.raises(RoutineError, match="steps\\[2\\].holds must be between 1 and 20, got 30"):
        load_all_routines(TEMPLATES, tmp_path)


def test_routines_dir_is_found_like_exercises_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("POSECHECK_ROUTINES", raising=False)
    assert routines_dir() == ROUTINES
    monkeypatch.setenv("POSECHECK_ROUTINES", str(tmp_path))
    assert routines_dir() == tmp_path
    with pytest.raises(RoutineError, match="^There is no routines folder at '.*nowhere'.$"):
        load_all_routines(TEMPLATES, tmp_path / "nowhere")


# ---- Property-based: random damage raises RoutineError, never anything else --------------------

WORDS = sorted(set(words_of(BASE)) | set(TEMPLATES) | set(SITUATIONS))


def assert_within_bounds(routine) -> None:
    for s in routine.steps:
        assert s.exercise in TEMPLATES and REST_SECONDS.allows(s.rest_seconds)
        assert (s.reps is None) != (s.holds is None)
        assert s.reps is None or (isinstance(s.reps, int) and REPS.allows(s.reps))
        assert s.holds is None or (isinstance(s.holds, int) and HOLDS.allows(s.holds) and s.hold_seconds > 0)


@FUZZ
@given(st.data())
def test_random_mutations_parse_or_raise_routine_error(data):
    routine = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(1, 3))):
        mutate(routine, data.draw, WORDS)
    try:
        parsed = parse_routine(routine, TEMPLATES, source=SOURCE)
    except RoutineError as error:
        assert error.field_path and str(error).startswith(f"{SOURCE}: {error.field_path} ")
        assert_one_sentence(error, SOURCE)
    else:
        assert_within_bounds(parsed)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-routines")


@FUZZ
@given(content=st.binary(max_size=1000) | st.text(st.characters(exclude_categories=("Cs",)), max_size=300))
def test_random_files_raise_routine_error(scratch, content):
    path = write(scratch, "core-three.toml", content)
    try:
        load_routine_file(path, TEMPLATES)
    except RoutineError as error:
        assert_one_sentence(error, str(path))


def test_a_step_per_side_is_done_only_when_each_side_has_its_number():
    from posecheck.core.routine import Step, step_done, step_target

    per_side = Step("bird-dog", reps=None, holds=2, hold_seconds=None, per_side=True, rest_seconds=30)
    assert step_target(per_side) == 4
    assert not step_done(per_side, {"left": 3, "right": 1})  # the easy side does not stand in for the other
    assert step_done(per_side, {"left": 2, "right": 2})
    plain = Step("cat-cow", reps=3, holds=None, hold_seconds=None, per_side=False, rest_seconds=0)
    assert step_target(plain) == 3
    assert not step_done(plain, {"all": 2}) and step_done(plain, {"all": 3})
    assert step_done(plain, {"left": 2, "right": 1})  # sides counted together when the step does not ask


def test_a_step_reads_in_words_with_long_holds_in_minutes():
    from posecheck.presentation.report import duration, step_text

    acute = load_routine("acute-relief", TEMPLATES, ROUTINES).steps
    assert step_text(acute[2], TEMPLATES["lying-knee-twist"]) == "Lying knee twist: 5 holds of 5 s on each side, then rest 30 s"
    assert step_text(acute[-1], TEMPLATES["legs-up-the-wall"]) == "Legs up the wall: 1 hold of 5 min"
    assert [duration(s) for s in (45, 119.6, 120, 150)] == ["45 s", "2 min", "2 min", "2 min 30 s"]
