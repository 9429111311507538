"""How a labelled clip is judged: counts within `accept`, and (real clips) each timed hold within
1 s of its label; clips labelled only with holds count one rep per hold."""

from types import SimpleNamespace

from posecheck.pipeline.evaluation import HOLD_TOLERANCE_S, load_cases, outcome_of

LABELS = """
[[clip]]
file = "a.mp4"
exercise = "childs-pose"
holds = [[2.0, 12.0], [14.0, 20.0]]

[[clip]]
file = "b.mp4"
exercise = "bird-dog"
reps = 2
holds = [[1.0, 4.0], [6.0, 9.0]]

[[clip]]
file = "c.mp4"
exercise = "bird-dog"
synthetic = true
reps = 1
holds = [[1.0, 4.0]]
as = { childs-pose = 0 }

[[clip]]
file = "d.mp4"
exercise = "pelvic-tilt"
notes = "nothing countable"
"""


def result(reps: int, holds: list[float]):
    return SimpleNamespace(reps=[SimpleNamespace(side=None)] * reps, holds=[SimpleNamespace(seconds=h) for h in holds],
                           guidance=[])


def cases(tmp_path):
    (tmp_path / "labels.toml").write_text(LABELS)
    return {(c.file.name, c.exercise): c for c in load_cases(tmp_path / "labels.toml", {"childs-pose", "bird-dog", "pelvic-tilt"})}


def test_a_clip_labelled_only_with_holds_counts_one_rep_per_hold(tmp_path):
    found = cases(tmp_path)
    case = found[("a.mp4", "childs-pose")]
    assert (case.reps, case.accept, case.hold_only) == (2, (2, 2), True)
    assert ("d.mp4", "pelvic-tilt") not in found  # neither reps nor holds: nothing to judge
    assert found[("c.mp4", "childs-pose")].negative


def test_a_real_clips_holds_must_each_be_within_the_tolerance(tmp_path):
    case = cases(tmp_path)[("b.mp4", "bird-dog")]
    assert outcome_of(case, result(2, [3.0 + HOLD_TOLERANCE_S - 0.1, 2.5])).passed
    late = outcome_of(case, result(2, [3.0, 3.0 + HOLD_TOLERANCE_S + 0.2]))
    assert late.count_passed and not late.holds_passed and not late.passed
    assert not outcome_of(case, result(3, [3.0, 3.0])).passed
    untimed = outcome_of(case, result(2, [3.0]))  # the second labelled hold was never timed
    assert untimed.count_passed and not untimed.holds_passed


def test_a_rendered_clips_holds_are_reported_not_judged(tmp_path):
    case = cases(tmp_path)[("c.mp4", "bird-dog")]
    outcome = outcome_of(case, result(1, [5.0]))
    assert outcome.passed and outcome.hold_error == 2.0
