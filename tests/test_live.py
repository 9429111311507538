"""The live coach's worker-side logic, with a scripted estimator (no camera, no browser)."""

import threading

import numpy as np

from posecheck.io.store import SessionRecorder, Store
from posecheck.pipeline.live import LiveCoach
from synthetic import lying, sequence


class ScriptedEstimator:
    """Plays back synthetic detections, as MediaPipe would return them for each frame."""

    def __init__(self, detections):
        self.detections = list(detections)
        self.i = 0

    def __call__(self, rgb, t):
        detection = self.detections[min(self.i, len(self.detections) - 1)]
        self.i += 1
        return detection


def knee_hug_detections():
    frames = [(0, {"pull": {"right": 125.0}}), (1, {"pull": {"right": 50.0}}), (4, {"pull": {"right": 50.0}}),
              (5, {"pull": {"right": 125.0}}), (6, {"pull": {"right": 125.0}})]
    return list(sequence(frames, lying, jitter=1.0))


def test_live_coach_counts_speaks_and_stores_each_rep(tmp_path, templates):
    detections = knee_hug_detections()
    store = Store(tmp_path / "h.db")
    coach = LiveCoach(templates["knee-to-chest"], ScriptedEstimator(detections),
                      lambda: SessionRecorder(store, "knee-to-chest", "live"))
    assert store.sessions() == []  # nothing stored until the camera delivers a frame
    frame = np.zeros((720, 1280, 3), np.uint8)
    for d in detections:
        out = coach.process(frame, d.timestamp)
        assert out.shape == frame.shape
    recorder = coach.recorder
    snapshot = coach.snapshot()
    assert snapshot.state.reps == 1 and snapshot.state.reps_by_side == {"right": 1}
    assert store.reps(recorder.session_id)[0].side == "right"  # stored before the session ends
    spoken = []
    while not coach.spoken.empty():
        spoken.append(coach.spoken.get())
    assert "Rep 1 (right)" in spoken
    summary = coach.finish()
    assert summary.reps == 1 and summary.holds_s
    assert store.sessions()[0]["ended_at"] is not None
    series = store.session(recorder.session_id)["series"]
    assert len(series) > 20 and min(v for _, v in series if v is not None) < 60  # the pull reached ~50°
    assert coach.finish() == summary  # stopping twice is harmless


def test_snapshots_are_safe_to_read_while_the_worker_runs(templates):
    detections = knee_hug_detections()
    coach = LiveCoach(templates["knee-to-chest"], ScriptedEstimator(detections))
    frame = np.zeros((480, 640, 3), np.uint8)

    def worker():
        for d in detections:
            coach.process(frame, d.timestamp)

    thread = threading.Thread(target=worker)
    thread.start()
    seen = []
    while thread.is_alive():
        seen.append(coach.snapshot().state.reps)
    thread.join()
    assert seen == sorted(seen)  # the count only goes up, never a torn read
    assert coach.snapshot().frames == len(detections)


def test_a_camera_that_stops_sending_frames_is_noticed(templates):
    now = [100.0]
    detections = knee_hug_detections()
    coach = LiveCoach(templates["knee-to-chest"], ScriptedEstimator(detections), clock=lambda: now[0])
    assert not coach.stalled()  # not started: nothing to miss
    frame = np.zeros((240, 320, 3), np.uint8)
    for d in detections[:30]:
        now[0] += 1 / 30
        coach.process(frame, d.timestamp)
    now[0] += 1.0
    assert not coach.stalled()  # a second without frames: a hiccup
    now[0] += 3.0
    assert coach.stalled()
    coach.finish()
    assert not coach.stalled()  # a finished session waits for nothing
