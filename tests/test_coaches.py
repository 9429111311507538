"""Who closes the live coaches' landmarkers (ui/coaches.py): the page that replaces a coach, or
the sweep once its browser session has gone; never the garbage collector. Without Streamlit's
runtime: which sessions are active is given."""

from posecheck.pipeline.live import LiveCoach
from posecheck.ui.coaches import CoachOwner


class Estimator:
    def __init__(self):
        self.closed = 0

    def __call__(self, rgb, t):
        from posecheck.core.keypoints import Detection

        assert not self.closed, "used after close"
        return Detection(t, ())

    def close(self):
        self.closed += 1


def coach(templates):
    return LiveCoach(templates["cat-cow"], Estimator())


def test_retired_and_orphaned_coaches_are_closed_once_and_the_others_kept(templates):
    active = {"tab-a", "tab-b"}
    owner = CoachOwner(is_active=lambda sid: sid in active)
    a1, a2, b = coach(templates), coach(templates), coach(templates)
    owner.adopt(a1, "tab-a")
    owner.adopt(b, "tab-b")
    owner.retire(a1)  # the page replaced it
    owner.adopt(a2, "tab-a")
    assert a1.estimator.closed == 1 and a1.closed and a1.finished
    assert owner.open_count() == 2
    active.discard("tab-b")  # that tab was closed
    assert owner.sweep() == 1
    assert b.estimator.closed == 1 and not a2.closed
    assert owner.sweep() == 0 and b.estimator.closed == 1  # never twice
    owner.retire(a2)
    owner.retire(a2)
    assert a2.estimator.closed == 1 and owner.open_count() == 0


def test_a_closed_coach_passes_frames_through_untouched(templates):
    import numpy as np

    c = coach(templates)
    c.close()
    frame = np.zeros((48, 64, 3), np.uint8)
    assert c.process(frame, 0.1) is frame and c.snapshot().frames == 0
