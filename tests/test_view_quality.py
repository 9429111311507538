"""ViewWatch (posecheck/core/view_quality.py): view changes, a person coming back, a small person."""

from posecheck.core.view_quality import ViewWatch
from synthetic import quadruped


def test_a_steady_view_never_reports_a_change():
    watch = ViewWatch()
    reports = [watch.update(quadruped(), i / 30) for i in range(300)]
    assert not any(r.changed for r in reports) and not any(r.too_small for r in reports)


def test_a_cut_to_another_place_reports_one_change():
    watch = ViewWatch()
    reports = [watch.update(quadruped(), i / 30) for i in range(150)]
    reports += [watch.update(quadruped(offset=(-400.0, 0.0)), 5 + i / 30) for i in range(150)]
    assert sum(r.changed for r in reports) == 1


def test_someone_back_after_a_long_gap_is_a_change_a_short_gap_is_not():
    watch = ViewWatch()
    for i in range(60):
        watch.update(quadruped(), i / 30)
    watch.update(None, 2.5)
    assert not watch.update(quadruped(), 2.6).changed
    watch.update(None, 3.0)
    watch.update(None, 5.5)
    assert watch.update(quadruped(), 5.6).changed


def test_a_person_far_away_is_too_small():
    pose = quadruped()
    tiny = pose.with_xy(pose.xy * 0.15)
    assert ViewWatch().update(tiny, 0.0).too_small
