"""The clinician's side of learning an exercise (issue 26): the user's exercises folder, the changes
a clinician makes before saving (core/learn_adjust.py), identity rules taken from an existing
exercise, saving, and the pieces the Teach page draws and runs in the background.

What this proves: on templates learned from the renderer's true landmarks (no MediaPipe; a
cat-cow, a two-way cycle, and a bird-dog, one way), a changed threshold, hold, name and title land
in the file and parse; identity rules are copied with the signals they read where they can apply
and refused with a sentence where they cannot, and the learned exercise with them still counts
its own demonstration; a user's exercise loads beside the shipped ones, never over one, and is
saved whole or not at all with its clip only when given. The page itself is driven in
tests/test_browser_teach.py.
"""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

from posecheck.core.keypoints import Detection
from posecheck.core.learn import LearnError, counted_by, learn
from posecheck.core.learn_adjust import (AdjustError, adjusted, borrow_all, borrow_identity, hold_seconds, name_from,
                                         name_problem, parse, target_thresholds)
from posecheck.core.template import TemplateError
from posecheck.core.template_parser import parse_template
from posecheck.synth import MotionScript
from synthetic import truth_detections

TRUTH = dict(holds=1.5, camera_height=0.32, fps=10)


@pytest.fixture(scope="module")
def cat_cow():
    detections = truth_detections(MotionScript(exercise="cat-cow", reps=2, **TRUTH))
    return learn(detections, "my-cat-cow"), detections


@pytest.fixture(scope="module")
def bird_dog():
    detections = truth_detections(MotionScript(exercise="bird-dog", reps=2, **TRUTH))
    return learn(detections, "my-bird-dog"), detections


def one_sentence(error: Exception) -> str:
    text = str(error)
    assert "\n" not in text and text.endswith(".") and text[0].isupper(), text
    return text


def one_line(problem: str) -> str:
    """A file's problem, as the loaders say it: the file, the field, what is wrong, on one line."""
    assert "\n" not in problem and ": " in problem, problem
    return problem


# ----- names ------------------------------------------------------------------------------------

def test_names_are_file_names_and_are_made_from_titles():
    assert name_problem("hip-hinge") is None and name_problem("bridge-2") is None
    assert "Give the exercise a name" in name_problem("")
    for bad in ("Hip hinge", "hip_hinge", "-hip", "hip--hinge", "../x", "x" * 61):
        one_sentence(name_problem(bad))
    assert name_from("My Hip Hinge (side).mp4") == "my-hip-hinge-side"
    assert name_from("Étirement du dos") == "tirement-du-dos"  # what is left is a valid name
    assert name_from("???") == ""


# ----- the user's folder ------------------------------------------------------------------------

def test_the_users_exercises_folder_is_beside_the_history_unless_set(monkeypatch, tmp_path):
    from posecheck.io.templates import user_exercises_dir

    monkeypatch.delenv("POSECHECK_USER_EXERCISES", raising=False)
    monkeypatch.setenv("POSECHECK_DB", str(tmp_path / "data" / "history.db"))
    assert user_exercises_dir() == tmp_path / "data" / "exercises"
    assert user_exercises_dir(tmp_path / "other" / "h.db") == tmp_path / "other" / "exercises"
    monkeypatch.setenv("POSECHECK_USER_EXERCISES", str(tmp_path / "mine"))
    assert user_exercises_dir() == tmp_path / "mine"


def test_users_exercises_load_beside_the_shipped_ones_never_over_one(cat_cow, tmp_path):
    from posecheck.io.templates import load_available

    learned, _ = cat_cow
    (tmp_path / "my-cat-cow.toml").write_text(learned.toml)
    (tmp_path / "cat-cow.toml").write_text(learned.toml.replace('name = "my-cat-cow"', 'name = "cat-cow"'))
    (tmp_path / "broken.toml").write_text("name = ")
    (tmp_path / "my-cat-cow.mp4").write_bytes(b"not a template")
    templates, problems = load_available(user_folder=tmp_path)
    assert templates["my-cat-cow"].title == "My cat cow"
    assert templates["cat-cow"].title == "Cat-cow"  # the shipped one
    assert "is the name of a shipped exercise" in one_line(problems["your cat-cow"]) and "cat-cow" not in problems
    assert "broken" in problems and "broken" not in templates
    shipped, none = load_available(user_folder=tmp_path / "absent")
    assert "my-cat-cow" not in shipped and not none
    from posecheck.io.templates import exercises_dir

    only, _ = load_available(exercises_dir(), user_folder=tmp_path)  # a folder given: that folder only
    assert "my-cat-cow" not in only


def test_an_exercise_is_found_by_name_in_the_users_folder(cat_cow, tmp_path, monkeypatch):
    from posecheck.io.templates import load_template

    learned, _ = cat_cow
    monkeypatch.setenv("POSECHECK_USER_EXERCISES", str(tmp_path))
    (tmp_path / "my-cat-cow.toml").write_text(learned.toml)
    assert load_template("my-cat-cow").name == "my-cat-cow"
    assert load_template("cat-cow").title == "Cat-cow"


# ----- saving -----------------------------------------------------------------------------------

def test_saving_writes_the_file_whole_and_the_clip_only_when_given(cat_cow, tmp_path):
    from posecheck.io.templates import demonstration_clip, load_template_file, save_exercise

    learned, _ = cat_cow
    path = save_exercise(learned.toml, tmp_path, clip=b"clip bytes")
    assert path == tmp_path / "my-cat-cow.toml" and load_template_file(path).name == "my-cat-cow"
    assert demonstration_clip("my-cat-cow", tmp_path).read_bytes() == b"clip bytes"
    with pytest.raises(TemplateError) as taken:
        save_exercise(learned.toml, tmp_path)
    assert "you already have an exercise named 'my-cat-cow'" in one_line(str(taken.value))
    assert demonstration_clip("my-cat-cow", tmp_path) is not None  # a refused save changes nothing
    retitled = adjusted(learned.toml, title="Cat and cow")
    save_exercise(retitled, tmp_path, replace=True)  # replaced without a clip: the old clip goes
    assert load_template_file(path).title == "Cat and cow"
    assert demonstration_clip("my-cat-cow", tmp_path) is None
    source = tmp_path / "demo.webm"
    source.write_bytes(b"webm")
    save_exercise(retitled, tmp_path, replace=True, clip=source, clip_suffix=".webm")
    assert demonstration_clip("my-cat-cow", tmp_path).name == "my-cat-cow.webm"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.webm", "my-cat-cow.toml", "my-cat-cow.webm"]


def test_saving_refuses_a_shipped_name_and_a_broken_file_before_writing(cat_cow, tmp_path):
    from posecheck.io.templates import save_exercise

    learned, _ = cat_cow
    with pytest.raises(TemplateError) as shipped:
        save_exercise(learned.toml.replace('name = "my-cat-cow"', 'name = "cat-cow"'), tmp_path, replace=True)
    assert "shipped exercise" in one_line(str(shipped.value))
    with pytest.raises(TemplateError):
        save_exercise(learned.toml.replace('key_signal = "spine"', 'key_signal = "nothing"'), tmp_path)
    assert list(tmp_path.iterdir()) == []


# ----- adjusting --------------------------------------------------------------------------------

def test_thresholds_hold_name_and_title_land_in_the_file(bird_dog):
    learned, _ = bird_dog
    before = learned.template()
    (phase, threshold), = target_thresholds(before).items()
    release = before.phase(phase).conditions[0].release
    text = adjusted(learned.toml, name="reach-back", title="Reach back", thresholds={phase: threshold + 10}, hold=8)
    after = parse(text)
    assert (after.name, after.title) == ("reach-back", "Reach back")
    assert target_thresholds(after) == {phase: pytest.approx(threshold + 10)}
    assert after.phase(phase).conditions[0].release == pytest.approx(release + 10)  # the same hysteresis
    assert after.hold.target_seconds == 8 and after.hold.max_seconds >= 8
    assert "Hold each position for about 8 seconds." in after.instructions
    assert "# Key signal:" in text and "# How sure:" in text  # the learned file's comments stay
    unheld = parse(adjusted(text, hold=0))
    assert unheld.hold is None and not any("Hold each" in step for step in unheld.instructions)
    held_again = parse(adjusted(adjusted(text, hold=0), hold=5))
    assert held_again.hold.target_seconds == 5 and held_again.hold.phases == (phase,)


def test_a_threshold_closer_to_the_start_lowers_the_least_movement(bird_dog):
    learned, _ = bird_dog
    before = learned.template()
    (phase, _), = target_thresholds(before).items()
    rest = before.range.rest
    way = 1 if before.phase(phase).conditions[0].direction == "above" else -1
    after = parse(adjusted(learned.toml, thresholds={phase: rest + way * 5}))
    assert after.range.least[phase] <= 5
    with pytest.raises(AdjustError) as wrong_side:
        adjusted(learned.toml, thresholds={phase: rest - way * 5})
    assert "must lie" in one_sentence(wrong_side.value)


def test_a_bad_name_or_title_is_refused_in_a_sentence(bird_dog):
    learned, _ = bird_dog
    with pytest.raises(AdjustError) as bad:
        adjusted(learned.toml, name="Reach Back")
    one_sentence(bad.value)
    with pytest.raises(AdjustError) as empty:
        adjusted(learned.toml, title="  ")
    assert "title" in one_sentence(empty.value)


def test_the_prefilled_values_are_the_learned_templates(cat_cow):
    learned, _ = cat_cow
    template = learned.template()
    assert set(target_thresholds(template)) == {"lower", "higher"}
    assert hold_seconds(template) == (learned.hold_target or 0)


# ----- identity rules by reference --------------------------------------------------------------

def test_a_cycles_rules_map_onto_a_learned_cycle_and_it_still_counts_its_demonstration(cat_cow, templates):
    learned, detections = cat_cow
    borrowed = borrow_identity(learned.toml, templates["cat-cow"])
    assert len(borrowed.rules) == 2 and not borrowed.skipped
    text = adjusted(learned.toml, borrowed=[borrowed])
    template = parse(text)
    assert [(rule.phase, rule.against) for rule in template.identity] == [("higher", "lower")] * 2  # cow vs cat
    assert {"back_outline", "back"} <= set(template.signals)
    assert template.signals["spine"].points == ("mid_hip", "mid_shoulder", "mid_ear")  # the learned ones stay
    outline_rule = next(rule for rule in template.identity if rule.condition.signal == "back_outline")
    assert outline_rule.per == "spine"  # per degree of the back-and-neck curve, as in cat-cow's own rule
    assert counted_by(template, detections) == learned.self_check == 2


def test_rules_that_cannot_apply_are_said_in_a_sentence(bird_dog, cat_cow, templates):
    learned, detections = bird_dog
    borrowed = borrow_identity(learned.toml, templates["bird-dog"])
    assert len(borrowed.rules) == 1  # the reaching arm, on either side
    (skipped,) = borrowed.skipped
    assert "does not follow sides" in one_sentence(skipped)
    template = parse(adjusted(learned.toml, borrowed=[borrowed]))
    assert template.identity[0].condition.any_side and template.identity[0].phase == "target"
    cycle_rules = borrow_identity(learned.toml, templates["cat-cow"])
    assert not cycle_rules.rules and all("compares the two positions" in s for s in cycle_rules.skipped)
    one_position = borrow_identity(cat_cow[0].toml, templates["glute-bridge"])
    assert not one_position.rules and all("moves between two" in s for s in one_position.skipped)
    nothing = borrow_identity(learned.toml, templates["cat-cow"].__class__(**{
        **templates["cat-cow"].__dict__, "identity": ()}))
    assert nothing.skipped == ["Cat-cow has no identity rules."]


FAKE = """
name = "fake"
title = "Fake"
summary = "s"
instructions = ["i"]
camera = "c"
safety = ["s"]
key_signal = "lean"
[signals]
lean = { kind = "elevation", points = ["mid_shoulder", "mid_hip"], label = "lean" }
trunk_tilt = { kind = "elevation", points = ["mid_knee", "mid_hip"], label = "not the back" }
[position]
label = "anywhere"
guidance = "g"
when = [{ signal = "lean", above = -90 }]
[[phases]]
name = "up"
label = "Up"
cue = "c"
when = [{ signal = "lean", above = 10 }]
[counting]
rule = "reach"
phases = ["up"]
[[identity]]
phase = "up"
when = { signal = "trunk_tilt", above = 5 }
message = "Not that."
"""


def test_a_signal_of_a_taken_name_measuring_something_else_gets_its_own_name(bird_dog, templates):
    learned, _ = bird_dog
    fake = parse_template(tomllib.loads(FAKE), source="fake.toml")
    borrowed = borrow_all(learned.toml, [fake, templates["glute-bridge"]])
    assert list(borrowed[0].signals) == ["fake_trunk_tilt"]
    template = parse(adjusted(learned.toml, borrowed=borrowed))
    assert template.signals["trunk_tilt"].points == ("mid_hip", "mid_shoulder")
    assert template.signals["fake_trunk_tilt"].points == ("mid_knee", "mid_hip")
    assert len(template.identity) == 1 + 2


# ----- what the page draws and runs -------------------------------------------------------------

def test_the_poses_are_drawn_alone_at_one_scale(bird_dog):
    from posecheck.presentation.overlay import CANVAS_COLOUR, pose_pictures

    learned, _ = bird_dog
    start, target = pose_pictures([learned.start_pose, learned.target_poses["target"]], 320, 240)
    assert start.shape == target.shape == (240, 320, 3)
    drawn = [np.any(card != CANVAS_COLOUR, axis=2) for card in (start, target)]
    assert all(mask.sum() > 500 for mask in drawn)
    rows = [np.nonzero(mask.any(axis=1))[0] for mask in drawn]
    assert all(r[0] >= 5 and r[-1] <= 235 for r in rows)  # inside the card, with a margin
    (blank,) = pose_pictures([learned.start_pose.with_xy(np.full((33, 2), np.nan), None)])
    assert np.all(blank == CANVAS_COLOUR)


def test_the_chart_shades_each_rep_and_marks_each_threshold(cat_cow):
    from posecheck.presentation.charts import demonstration_chart

    learned, _ = cat_cow
    thresholds = target_thresholds(learned.template())
    spec = demonstration_chart(learned.times, learned.key_values, learned.reps, "back and neck curve", "degrees",
                               thresholds).to_dict()
    datasets = list(spec["datasets"].values())
    spans = next(rows for rows in datasets if rows and "start" in rows[0])
    assert [row["rep"] for row in spans] == [rep.phase for rep in learned.reps]
    lines = next(rows for rows in datasets if rows and "threshold" in rows[0])
    assert sorted(row["angle"] for row in lines) == sorted(thresholds.values())


def test_learning_in_the_background_keeps_the_upload_in_memory_only(bird_dog, monkeypatch):
    from posecheck.pipeline import analysis
    from posecheck.pipeline.learning import BackgroundLearning

    _, detections = bird_dog
    seen = []

    def fake(path, model=None, cache=None, progress=None):
        seen.append(path)
        assert path.read_bytes() == b"video"
        progress(0.5)
        return detections, ["a warning"]

    monkeypatch.setattr(analysis, "video_detections", fake)
    job = BackgroundLearning("my-reach", data=b"video", file_name="Reach.MOV")
    job.wait(60)
    assert job.learned is not None and job.learned.name == "my-reach" and not job.error
    assert job.warnings == ["a warning"] and job.progress == 1.0
    assert not seen[0].exists()  # the temporary copy is gone
    assert job.clip == b"video" and job.clip_suffix == ".mov"


def test_a_clip_that_cannot_teach_gives_its_sentence(bird_dog, monkeypatch):
    from posecheck.pipeline import analysis
    from posecheck.pipeline.learning import BackgroundLearning

    _, detections = bird_dog
    still = [Detection(d.timestamp, detections[0].poses) for d in detections]
    monkeypatch.setattr(analysis, "video_detections", lambda *args, **kwargs: (still, []))
    job = BackgroundLearning("still", path="still.mp4", file_name="still.mp4")
    job.wait(60)
    assert job.learned is None
    with pytest.raises(LearnError) as direct:
        learn(still, "still")
    assert job.error == str(direct.value)
    one_sentence(direct.value)


def test_a_kept_demonstration_is_offered_as_the_exercises_sample(cat_cow, tmp_path, monkeypatch):
    from posecheck.ui.sample_videos import describe, samples_for
    from posecheck.ui.teach import suggested_name

    learned, _ = cat_cow
    monkeypatch.setenv("POSECHECK_USER_EXERCISES", str(tmp_path))
    (tmp_path / "my-cat-cow.mp4").write_bytes(b"clip")
    (kept,) = samples_for(learned.template(), folder=tmp_path / "cache")
    assert kept == tmp_path / "my-cat-cow.mp4" and describe(kept) == "the demonstration it was learned from"
    assert suggested_name("cat-cow__synth-correct.mp4") == "my-cat-cow"
    assert suggested_name("Hip hinge.MOV") == "hip-hinge"


def test_rep_labels_close_together_take_a_second_row():
    from posecheck.presentation.charts import label_rows

    times = np.linspace(0, 20, 201)
    assert label_rows([2.0, 8.0, 14.0], times) == [0, 0, 0]
    assert label_rows([2.0, 11.4, 11.9, 16.0], times) == [0, 0, 1, 0]
