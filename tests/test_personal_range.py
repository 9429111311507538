"""The person's own range (posecheck/core/personal_range.py), alone and inside the engine.

Alone: the model learns rest and reach from a fed signal. In the engine, on stick-figure
landmark sequences with exactly known angles (tests/synthetic.py): shallow but clear cycles
count, stillness and jitter count nothing, a new person re-learns. These prove the counting
logic; they do not prove MediaPipe measures these angles on real people (the corpus does).
"""

import numpy as np
import pytest

from posecheck.core.engine import Engine
from posecheck.core.keypoints import Detection
from posecheck.core.personal_range import PersonalRange
from posecheck.core.template import RangeSpec
from synthetic import cat_cow, quadruped, sequence
from synthetic import run_engine as run

BIRD_DOG = RangeSpec(rest=100, full={"reach": 175}, least={"reach": 15})
CAT_COW = RangeSpec(rest=-5, full={"cat": -70, "cow": 45}, least={"cat": 15, "cow": 12})


def feed(model, values, fps=30, between=True, start=0.0):
    for i, value in enumerate(values):
        model.observe(start + i / fps, value, between=between)


def test_before_learning_the_template_thresholds_apply():
    model = PersonalRange(BIRD_DOG, {"reach": 125})
    assert model.thresholds("reach")[0] == pytest.approx(125)


def test_rest_follows_a_shifted_view_and_the_threshold_stays_above_it():
    model = PersonalRange(BIRD_DOG, {"reach": 125})
    feed(model, np.full(60, 128.0))  # an oblique camera: the resting hip reads 128, not 100
    enter, release = model.thresholds("reach")
    assert model.rest == pytest.approx(128, abs=1)
    assert release > 128 and enter >= 128 + 15


def test_a_long_hold_is_not_learned_as_rest():
    model = PersonalRange(BIRD_DOG, {"reach": 125})
    feed(model, np.full(30, 100.0))
    feed(model, np.full(600, 170.0), between=False, start=1.0)  # a 20 s hold
    assert model.rest == pytest.approx(100, abs=1)
    assert model.reach("reach") == pytest.approx(70, abs=2)


def test_reset_forgets():
    model = PersonalRange(BIRD_DOG, {"reach": 125})
    feed(model, np.full(60, 130.0))
    model.reset()
    assert model.rest == 100 and not model.learned


def test_progress_is_against_the_clinical_full_movement_from_the_learned_rest():
    model = PersonalRange(CAT_COW, {"cat": -25, "cow": 15})
    feed(model, np.concatenate([np.full(30, -20.0), np.linspace(-20, -70, 30), np.linspace(-70, 10, 30)]))
    feed(model, np.full(30, -20.0))
    assert model.learned
    # A two-way movement's learned middle depends on how long each way was held: coaching
    # stays on the template's scale.
    assert model.progress("cow", 5.0) == pytest.approx((5 - -5) / 50)


def test_a_one_way_progress_is_measured_from_the_learned_rest():
    model = PersonalRange(BIRD_DOG, {"reach": 125})
    feed(model, np.full(60, 120.0))  # an oblique view: the resting hip reads 120
    assert model.shift() == pytest.approx(20, abs=1)
    assert model.progress("reach", 157.5) == pytest.approx(0.5, abs=0.02)




def cycles(cat, cow, n=3, neutral=0.0, period=6.0):
    frames = [(0.0, {"spine": neutral}), (1.0, {"spine": neutral})]
    t = 1.0
    for _ in range(n):
        frames += [(t + 1, {"spine": cat}), (t + 2.5, {"spine": cat}), (t + 3.5, {"spine": neutral}),
                   (t + 4.5, {"spine": cow}), (t + 5.5, {"spine": cow}), (t + period, {"spine": neutral})]
        t += period
    return frames + [(t + 1, {"spine": neutral})]


def test_shallow_but_clear_cat_cow_cycles_count(templates):
    # A stiff person (or an oblique camera): the cow never reaches the template's +15 degrees.
    engine = run(templates["cat-cow"], sequence(cycles(cat=-40, cow=10, neutral=-12), cat_cow, jitter=1.5))
    assert len(engine.reps) == 3
    shallow = [e for e in engine.events if e.code == "shallow_cow"]
    assert shallow and "% of the full arch" in shallow[0].message


def test_a_cow_that_arches_only_a_few_degrees_past_neutral_counts_when_the_cycle_is_clear(templates):
    # The cat reaches under half of the full curve and the cow arches 6 degrees past this person's
    # neutral: a span of 38 degrees, narrower than the template's two thresholds apart (40) but
    # far above what holding still jitters. Before, the range was never learned and no cow found.
    engine = run(templates["cat-cow"], sequence(cycles(cat=-32, cow=6, neutral=-10), cat_cow, jitter=1.5))
    assert len(engine.reps) == 3
    shallow = [e for e in engine.events if e.code == "shallow_cow"]
    assert shallow and "% of the full arch" in shallow[0].message


def test_each_rep_says_how_far_each_position_got_against_the_full_movement(templates):
    # Cat-cow's full movement is -70 (cat) and +45 (cow) from a neutral -5: a cat at -40 is 54 %
    # of the full curve, a cow at +10 30 % of the full arch.
    engine = run(templates["cat-cow"], sequence(cycles(cat=-40, cow=10, neutral=-12), cat_cow, jitter=0.5))
    for rep in engine.reps:
        assert rep.reached["cat"] == pytest.approx(54, abs=4) and rep.reached["cow"] == pytest.approx(30, abs=4)


def test_no_movement_counts_nothing(templates):
    frames = [(0.0, {"spine": 0.0}), (60.0, {"spine": 0.0})]
    assert run(templates["cat-cow"], sequence(frames, cat_cow, jitter=1.5)).reps == []


@pytest.mark.parametrize("centre", [-25.0, -12.0, 0.0, 15.0])
def test_jitter_around_any_level_counts_nothing(templates, centre):
    rng = np.random.default_rng(3)
    detections = [Detection(i / 30, (cat_cow(spine=centre + rng.normal(0, 3)),)) for i in range(1800)]
    assert run(templates["cat-cow"], detections).reps == []


def test_small_wobbles_below_the_least_movement_count_nothing(templates):
    # +-6 degrees, slowly, for a minute: a real movement, but far smaller than a cat or a cow.
    frames = [(t, {"spine": 6.0 * np.sin(t)}) for t in np.arange(0, 60, 0.25)]
    assert run(templates["cat-cow"], sequence(frames, cat_cow, jitter=1.0)).reps == []


def test_a_new_person_after_a_gap_is_learned_afresh(templates):
    engine = Engine(templates["bird-dog"])
    # Person 1 rests with the hip at 100 degrees for 5 s.
    for detection in sequence([(0.0, {}), (5.0, {})], quadruped, jitter=1.0):
        engine.update(detection)
    assert engine.range.rest == pytest.approx(90, abs=3)
    for i in range(90):  # nobody for 3 s
        engine.update(Detection(5.0 + i / 30, ()))
    # Person 2 rests with the hip at 115 (another build, or seen from another angle).
    person_2 = [(8.0, {"leg": {"left": 115.0, "right": 115.0}}), (10.0, {"leg": {"left": 115.0, "right": 115.0}})]
    for detection in sequence(person_2, quadruped, jitter=1.0):
        engine.update(detection)
    # Without re-learning, the 30 s window would still hold person 1's 90 degrees as the rest.
    assert engine.range.rest == pytest.approx(115, abs=3)


def test_a_camera_cut_to_another_view_is_learned_afresh(templates):
    engine = Engine(templates["bird-dog"])
    for detection in sequence([(0.0, {}), (5.0, {})], quadruped, jitter=1.0):
        engine.update(detection)
    # The video cuts to another camera (the person a torso length elsewhere in the frame) where the
    # resting hip reads 115: the offset moves every landmark, the new angle moves the rest.
    closer = [(5.0, {"leg": {"left": 115.0, "right": 115.0}, "offset": (-300.0, -150.0)}),
              (7.0, {"leg": {"left": 115.0, "right": 115.0}, "offset": (-300.0, -150.0)})]
    for detection in sequence(closer, quadruped, jitter=1.0):
        engine.update(detection)
    assert engine.range.rest == pytest.approx(115, abs=3)


def test_rest_is_learned_only_on_frames_that_show_the_starting_position(templates):
    # On all fours with the hip at 90 degrees, and every second a 0.4 s burst where the landmarks
    # slip (the trunk reads 60 degrees up, the hip 50: no longer on all fours on those frames, but
    # too briefly to leave the position). Learned from those frames, the rest would sink towards
    # 50 (its 10th percentile), lowering every threshold after it; the real glute bridge close-up
    # with a ball between the knees did this.
    keyframes = []
    for second in range(8):
        keyframes += [(second, {}), (second + 0.59, {}),
                      (second + 0.6, {"trunk_tilt": 60.0, "leg": {"left": 50.0, "right": 50.0}}),
                      (second + 0.99, {"trunk_tilt": 60.0, "leg": {"left": 50.0, "right": 50.0}})]
    engine = run(templates["bird-dog"], sequence(keyframes, quadruped, jitter=0.5))
    assert engine.gate.open  # the bursts never closed the position
    # Learned on every frame it reads 65 (the lowest rest allowed); on the frames that show all
    # fours, within a few degrees of 90 (the smoothed landmarks slide into each slip over a few
    # frames that still show all fours).
    assert engine.range.learned and engine.range.rest == pytest.approx(90, abs=7)
