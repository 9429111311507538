"""Which person is coached when several are in view (posecheck/core/main_person.py), on stick
figures with known places and sizes. Proves the choice rules; whether MediaPipe finds both
people in a real room is not tested here."""

import numpy as np

from posecheck.core.keypoints import Detection
from posecheck.core.main_person import LOST_SECONDS, MainPerson
from synthetic import lying, run_engine, sequence


def scaled(pose, factor: float, shift=(0.0, 0.0)):
    """The same posture, `factor` times as big (nearer the camera), moved by `shift` pixels."""
    centre = pose.xy.mean(axis=0)
    return pose.with_xy((pose.xy - centre) * factor + centre + np.array(shift))


def test_one_person_is_the_one_coached():
    pose = lying()
    people = MainPerson().choose((pose,), 0.0)
    assert people.main is pose and people.others == 0


def test_the_followed_person_stays_followed_when_someone_bigger_walks_in():
    chooser, person = MainPerson(), lying()
    for i in range(30):
        chooser.choose((person,), i / 30)
    visitor = scaled(lying(), 1.6, shift=(900.0, -200.0))  # nearer the camera, to the right
    people = chooser.choose((visitor, person), 1.0)  # the estimator lists the biggest first
    assert people.main is person and people.others == 1 and people.main_side == "left"


def test_with_two_people_from_the_start_the_biggest_is_coached():
    small, big = lying(), scaled(lying(), 1.4, shift=(900.0, 0.0))
    people = MainPerson().choose((small, big), 0.0)
    assert people.main is big and people.main_side == "right"


def test_a_small_figure_far_behind_is_not_counted_as_a_person():
    person, poster = lying(), scaled(lying(), 0.4, shift=(600.0, -300.0))
    assert MainPerson().choose((person, poster), 0.0).others == 0


def test_while_the_followed_person_is_away_a_stranger_is_not_coached_at_once():
    chooser, person = MainPerson(), lying()
    chooser.choose((person,), 0.0)
    strangers = (scaled(lying(), 1.2, shift=(1500.0, 0.0)), scaled(lying(), 1.0, shift=(-1500.0, 0.0)))
    assert chooser.choose(strangers, 0.5).main is None
    assert chooser.choose(strangers, 0.5 + LOST_SECONDS + 0.1).main is strangers[0]


def test_poses_with_nan_landmarks_do_not_break_the_choice():
    chooser, person = MainPerson(), lying()
    chooser.choose((person,), 0.0)
    broken = person.with_xy(np.full_like(person.xy, np.nan))
    assert chooser.choose((broken, person), 0.1).main is person


def test_the_engine_keeps_counting_the_exerciser_and_says_who_it_follows(templates):
    """Two knee-to-chest holds; a bigger person stands still beside the exerciser from 3 s on."""
    frames = [(0, {"pull": {"right": 125.0}}), (1, {"pull": {"right": 125.0}}), (2, {"pull": {"right": 50.0}}),
              (13, {"pull": {"right": 50.0}}), (14, {"pull": {"right": 125.0}}), (16, {"pull": {"right": 125.0}}),
              (17, {"pull": {"right": 50.0}}), (28, {"pull": {"right": 50.0}}), (29, {"pull": {"right": 125.0}}),
              (31, {"pull": {"right": 125.0}})]
    bystander = scaled(lying(pull={"right": 125.0, "left": 125.0}), 1.5, shift=(1100.0, -150.0))
    detections = [Detection(d.timestamp, (bystander, *d.poses) if d.timestamp >= 3 else d.poses)
                  for d in sequence(frames, lying)]
    engine = run_engine(templates["knee-to-chest"], detections)
    assert len(engine.reps) == 2
    told = [e.message for e in engine.events if e.code == "two_people"]
    assert told and "following the person on the left" in told[0]
