"""The picture change (pipeline/picture_change.py): how much the whole picture changed from one
analysed frame to the next, kept with the detections and read back; old saved detections get
theirs from the frames. On made-up frames: proves the measure and its plumbing, not the
thresholds the view watch applies (test_camera_cut.py, benchmarks/cut_pictures.py)."""

import math

import numpy as np

from posecheck.core.keypoints import Detection
from posecheck.io.detections import load_detections, save_detections
from posecheck.pipeline.picture_change import PictureChange, lacks_picture_changes, with_picture_changes


def frame(level: int, shift: int = 0) -> np.ndarray:
    rgb = np.full((180, 320, 3), level, np.uint8)
    rgb[60:120, 100 + shift:160 + shift] = 255 - level  # a figure
    return rgb


def test_the_first_frame_is_unknown_a_still_picture_zero_and_a_new_shot_large():
    change = PictureChange()
    assert math.isnan(change(frame(40)))
    assert change(frame(40)) == 0.0
    assert 0 < change(frame(40, shift=3)) < 4.0  # the figure moved a little
    assert change(frame(200, shift=80)) > 100  # another scene


def test_picture_changes_are_saved_and_read_back_and_old_files_get_them_from_the_frames(tmp_path):
    frames = [frame(40), frame(40, 2), frame(200, 80)]
    detections = with_picture_changes([Detection(t, ()) for t in (0.0, 0.1, 0.2)], frames)
    assert not lacks_picture_changes(detections)
    save_detections(tmp_path / "d.npz", detections, dtype=np.float64)
    again = load_detections(tmp_path / "d.npz")
    assert [d.picture_change for d in again][1:] == [d.picture_change for d in detections][1:]
    old = [Detection(d.timestamp, d.poses) for d in detections]  # as saved before they were kept
    assert lacks_picture_changes(old)
