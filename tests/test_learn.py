"""Learning an exercise from one demonstration (issue 26): core/learn.py, core/learn_template.py
and `posecheck learn`.

What this proves: on rendered clips whose motion is known (through MediaPipe, from the test
cache: the renders are the ones the exercise tests already detect, plus one child's pose hold),
the learner finds a signal of the moving joints, the reps with their holds and the kind of
movement; the template it writes parses with the ordinary parser, loads from a folder of
templates ($POSECHECK_EXERCISES) and counts the demonstration itself; a person keeping still, a
clip where the person is mostly out of view and two exercises in one clip are refused with one
sentence. On the renderer's true landmarks (no MediaPipe): a bird-dog done side by side is one
movement whose start position is the kneeling one, and a cat-cow from neutral is a two-way cycle.

What it does not prove: that a learned template counts other people and views. That is measured
by benchmarks/learn_from_demo.py (real clips and renders at other yaws; README).
"""

from __future__ import annotations

import tomllib

import numpy as np
import pytest
from exercise_checks import SMALL, detect

from posecheck.core.keypoints import Detection
from posecheck.core.learn import LearnError, learn
from posecheck.core.template_parser import parse_template
from posecheck.pipeline.analysis import analyze_detections
from posecheck.synth import MotionScript, render_clip
from synthetic import truth_detections

# Renders the exercise tests already detect (tests/test_exercises_supine.py, _kneeling.py): their
# landmarks come from the test cache.
BRIDGES = dict(exercise="glute-bridge", reps=2, holds=1.5, seed=2, **SMALL)
LYING_STILL = dict(exercise="glute-bridge", reps=0, lead_in=3.0, tail=1.0, seed=5, **SMALL)
CHILDS_POSES = dict(exercise="childs-pose", reps=2, holds=2.0, seed=2, **SMALL)
# One new render: a single long hold.
ONE_HOLD = dict(exercise="childs-pose", reps=1, holds=6.0, seed=4, **SMALL)

_detected: dict = {}


def detected(**script):
    key = repr(sorted(script.items()))
    if key not in _detected:
        clip = render_clip(MotionScript(**script))
        _detected[key] = clip, detect(clip)
    return _detected[key]


def count(detections, template) -> int:
    return len(analyze_detections(((d, None) for d in detections), template).reps)


# ----- through MediaPipe ----------------------------------------------------------------------

def test_bridges_teach_the_hip_movement_its_reps_and_holds():
    clip, detections = detected(**BRIDGES)
    learned = learn(detections, "my-bridge", source="render")
    assert learned.key.base in ("hip", "hip_mid", "hips_height", "trunk_tilt")  # what a bridge moves
    assert learned.kind == "one-way"
    assert len(learned.reps) == clip.labels["reps"] == 2
    # each hold between the scripted stillness (1.5 s) less 0.5 s and the labelled hold (from 90 %
    # of the way in to 90 % out: 2.0 s); the engine times these two 1.5 and 1.1 s
    for found, (still_start, still_end), (start, end) in zip(learned.holds, clip.labels["still"], clip.labels["holds"]):
        assert still_end - still_start - 0.5 <= found <= end - start
    assert learned.hold_target == 1  # whole seconds, not more than shown
    # each rep lies within its labelled rep, and the start pose is before the first one
    for rep, (start, end) in zip(learned.reps, clip.labels["rep_times"]):
        assert start - 0.5 <= learned.times[rep.peak] <= end
    assert learned.start_frame < learned.reps[0].start
    assert len(learned.key_values) == len(learned.times) == len(learned.poses)
    assert set(learned.target_poses) == {"target"}


def test_the_learned_file_round_trips_through_the_parser_and_counts_its_demonstration():
    clip, detections = detected(**BRIDGES)
    learned = learn(detections, "my-bridge", "My bridge", source="render")
    data = tomllib.loads(learned.toml)
    template = parse_template(data, source="my-bridge.toml")
    assert template.name == "my-bridge" and template.title == "My bridge"
    assert template.key_signal == learned.key.name
    assert template.range is not None and template.counting.rule == "reach"
    assert template.hold is not None and template.hold.target_seconds == 1
    assert learned.self_check == 2
    assert count(detections, template) == 2
    # the comments say what was found, how sure, and that identity is not learned
    assert "# Key signal:" in learned.toml and "# How sure:" in learned.toml
    assert "Not learned: what tells this exercise apart from its look-alikes" in learned.toml
    assert 0 < learned.confidence <= 1


def test_a_learned_file_loads_from_the_users_exercise_folder(tmp_path, monkeypatch):
    from posecheck.io.templates import exercises_dir, load_all

    _, detections = detected(**BRIDGES)
    learned = learn(detections, "my-bridge")
    (tmp_path / "my-bridge.toml").write_text(learned.toml, encoding="utf-8")
    monkeypatch.setenv("POSECHECK_EXERCISES", str(tmp_path))
    assert exercises_dir() == tmp_path
    assert set(load_all()) == {"my-bridge"}  # no shared definitions needed


def test_one_long_hold_is_learned_as_a_hold_of_its_length():
    clip, detections = detected(**ONE_HOLD)
    learned = learn(detections, "my-stretch")
    assert learned.kind == "hold"
    assert len(learned.reps) == 1
    ((still_start, still_end),), ((start, end),) = clip.labels["still"], clip.labels["holds"]
    assert still_end - still_start - 0.5 <= learned.holds[0] <= end - start + 1.0  # 85 % of the way, not 90
    assert learned.hold_target == int(learned.holds[0])
    assert learned.self_check == 1
    assert learned.template().hold.target_seconds == learned.hold_target


def test_two_child_poses_are_two_reps():
    clip, detections = detected(**CHILDS_POSES)
    learned = learn(detections, "my-childs-pose")
    assert len(learned.reps) == 2 and learned.self_check == 2


def sentence(error: LearnError) -> str:
    text = str(error)
    assert text.endswith(".") and "\n" not in text and text[0].isupper()
    return text


def test_a_person_keeping_still_is_refused_with_a_sentence():
    _, detections = detected(**LYING_STILL)
    with pytest.raises(LearnError) as refused:
        learn(detections, "still")
    assert "no repetition or hold" in sentence(refused.value)


def test_a_person_mostly_out_of_view_is_refused():
    _, detections = detected(**BRIDGES)
    blanked = [d if i % 4 == 0 else Detection(d.timestamp, ()) for i, d in enumerate(detections)]
    with pytest.raises(LearnError) as refused:
        learn(blanked, "gone")
    assert "in view" in sentence(refused.value)


def test_two_exercises_in_one_clip_are_refused():
    _, bridges = detected(**BRIDGES)
    _, kneeling = detected(**CHILDS_POSES)
    offset = bridges[-1].timestamp + 0.1
    mixed = bridges + [Detection(d.timestamp + offset, d.poses, d.picture_change) for d in kneeling]
    with pytest.raises(LearnError) as refused:
        learn(mixed, "mixed")
    assert "mix two exercises" in sentence(refused.value)


# ----- on the renderer's true landmarks (no MediaPipe) -------------------------------------------

def test_bird_dogs_side_by_side_start_on_all_fours_and_alternate():
    detections = truth_detections(MotionScript(exercise="bird-dog", reps=4, holds=1.0, camera_height=0.32, fps=10))
    learned = learn(detections, "my-bird-dog")
    assert learned.kind in ("one-way", "hold") and len(learned.reps) == 4
    assert learned.key.pick  # the side that moves
    assert learned.alternation == "alternates sides"
    # the start position is on all fours: the key signal at rest lies nearer its start-of-clip value
    assert abs(learned.rest - learned.key_values[0]) < abs(learned.targets[0].level - learned.key_values[0])
    assert learned.self_check == 4


def test_cat_cow_from_neutral_is_a_two_way_cycle():
    detections = truth_detections(MotionScript(exercise="cat-cow", reps=2, holds=1.5, camera_height=0.32, fps=10))
    learned = learn(detections, "my-cat-cow")
    assert learned.kind == "two-way"
    assert {t.name for t in learned.targets} == {"lower", "higher"}
    template = learned.template()
    assert template.counting.rule == "cycle"
    assert learned.self_check == 2


# ----- choosing the key signal (core/learn_shape.py `ranked`) ------------------------------------

def _shape(base: str, values, score: float, reps: list[tuple[int, int]], pick: str = ""):
    from posecheck.core.learn_shape import LearnedRep, Shape
    from posecheck.core.learn_signals import Candidate

    values = np.asarray(values, float)
    made = [LearnedRep("target", a, (a + b) // 2, b, float(a), float(b), float(b - a), 1.0, True) for a, b in reps]
    return Shape(Candidate(base, "image", pick), values, 0.5, float(np.ptp(values)), "one-way", 0.0, [], made,
                 score=score)


def test_a_large_joint_moving_with_the_neck_curve_is_the_key():
    """The back-and-neck curve is mostly the neck: a hip angle that moves with it and scores nearly
    as well carries the movement (a child's pose); one moving on its own does not."""
    from posecheck.core.learn_shape import ranked

    wave = np.r_[np.zeros(20), np.ones(40), np.zeros(20)]
    neck = _shape("spine", 100 * wave, 1.0, [(20, 60)])
    hip = _shape("hip", 60 * wave + np.linspace(0, 1, 80), 0.5, [(20, 60)], "larger")
    assert ranked({neck.candidate: neck, hip.candidate: hip})[0][1] is hip
    elsewhere = _shape("hip", 60 * np.roll(wave, 30) * np.linspace(1, 0, 80), 0.5, [(50, 70)], "larger")
    assert ranked({neck.candidate: neck, elsewhere.candidate: elsewhere})[0][1] is neck
    weak = _shape("hip", 60 * wave, 0.2, [(20, 60)], "larger")
    assert ranked({neck.candidate: neck, weak.candidate: weak})[0][1] is neck


def test_reps_within_a_hold_make_the_key_not_the_hold():
    """A single-leg bridge: one knee held straight all along, the hips lifting twice meanwhile."""
    from posecheck.core.learn_shape import ranked

    knee = _shape("knee", np.r_[np.zeros(10), np.ones(60), np.zeros(10)] * 100, 1.0, [(10, 70)], "larger")
    lifts = np.r_[np.zeros(15), np.ones(15), np.zeros(15), np.ones(15), np.zeros(20)] * 50
    hips = _shape("hip", lifts, 0.5, [(15, 30), (45, 60)], "smaller")
    assert ranked({knee.candidate: knee, hips.candidate: hips})[0][1] is hips


# ----- the command line -------------------------------------------------------------------------

def test_posecheck_learn_writes_the_template_and_says_what_it_found(tmp_path, monkeypatch, capsys):
    from posecheck import cli
    from posecheck.io.templates import load_template_file
    from posecheck.pipeline import analysis

    _, detections = detected(**BRIDGES)
    monkeypatch.setattr(analysis, "video_detections", lambda *args, **kwargs: (detections, []))
    monkeypatch.setenv("POSECHECK_EXERCISES", str(tmp_path))
    assert cli.main(["learn", "demo.mp4", "--name", "my-bridge", "-q"]) == 0
    out = capsys.readouterr().out
    assert "Key signal" in out and "Written to" in out
    assert load_template_file(tmp_path / "my-bridge.toml").name == "my-bridge"
    assert cli.main(["learn", "demo.mp4", "--name", "my-bridge", "-q"]) == 2  # no overwrite without --force
    assert "already exists" in capsys.readouterr().err


def test_posecheck_learn_saves_into_the_users_exercise_folder_where_analyze_finds_it(tmp_path, monkeypatch, capsys):
    """Without $POSECHECK_EXERCISES or -o, the template goes where the app and `posecheck analyze`
    look for the user's exercises (not the current folder); a shipped exercise's name is refused."""
    from posecheck import cli
    from posecheck.io.templates import load_template
    from posecheck.pipeline import analysis

    _, detections = detected(**BRIDGES)
    monkeypatch.setattr(analysis, "video_detections", lambda *args, **kwargs: (detections, []))
    monkeypatch.delenv("POSECHECK_EXERCISES", raising=False)
    monkeypatch.setenv("POSECHECK_USER_EXERCISES", str(tmp_path / "mine"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["learn", "demo.mp4", "--name", "glute-bridge", "-q"]) == 2
    assert "shipped exercise" in capsys.readouterr().err
    assert cli.main(["learn", "demo.mp4", "--name", "my-bridge", "-q"]) == 0
    assert (tmp_path / "mine" / "my-bridge.toml").exists() and not (tmp_path / "my-bridge.toml").exists()
    assert load_template("my-bridge").name == "my-bridge"


def test_posecheck_learn_refuses_a_clip_that_teaches_nothing_in_one_line(tmp_path, monkeypatch, capsys):
    from posecheck import cli
    from posecheck.pipeline import analysis

    _, detections = detected(**LYING_STILL)
    monkeypatch.setattr(analysis, "video_detections", lambda *args, **kwargs: (detections, []))
    assert cli.main(["learn", "still.mp4", "--name", "still", "-o", str(tmp_path / "still.toml"), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("posecheck: error: ") and err.count("\n") == 1
    assert not (tmp_path / "still.toml").exists()
