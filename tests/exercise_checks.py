"""Shared by the exercise-group tests (test_exercises_*.py): small renders, conditions judged on
true signal values, and rendered clips run once through MediaPipe and then the engine."""

from __future__ import annotations

import numpy as np
import pytest

from posecheck.pipeline.analysis import analyze_detections
from posecheck.synth import MotionScript, render_clip
from posecheck.synth.motion import load_motion

PURE_SIDE = dict(camera_height=0.32)  # level with the look-at point: the image plane is the sagittal plane
SMALL = dict(width=320, height=180, fps=10.0)


def met(condition, values) -> bool:
    """A condition on the true landmarks (for templates whose signals are not per side)."""
    value = values[(condition.signal, None)]
    return bool(np.isfinite(value) and condition.enters(value))


def hold_index(clip, rep: int = 1) -> int:
    """The frame in the middle of a rep's labelled hold."""
    start, end = clip.labels["holds"][rep - 1]
    return int(round((start + end) / 2 * clip.fps))


class Detected:
    """Rendered clips with their MediaPipe detections, each script detected once per test module."""

    def __init__(self, **defaults) -> None:
        self.defaults = defaults
        self._clips: dict = {}

    def __call__(self, **script) -> tuple:
        key = repr(sorted(script.items()))
        if key not in self._clips:
            clip = render_clip(MotionScript(**{**self.defaults, **SMALL, **script}))
            self._clips[key] = clip, detect(clip)
        return self._clips[key]


def detect(clip) -> list:
    """MediaPipe (one person) over a rendered clip; the landmarks of an identical render are read
    from the test cache (tests/conftest.py)."""
    from conftest import DETECTION_CACHE, cached_run
    from posecheck.io.detection_cache import DetectionCache

    frames = ((t, rgb) for rgb, t in clip.frames())
    return cached_run(DetectionCache(DETECTION_CACHE), frames, max_people=1)


def analyse(detections, template):
    return analyze_detections(((d, None) for d in detections), template)


def assert_counted_exactly(clip, detections, template) -> None:
    """MediaPipe found the figure, and the engine counted the clip's reps, each within its rep."""
    assert sum(d.pose is not None for d in detections) >= len(detections) - 2
    result = analyse(detections, template)
    assert len(result.reps) == clip.labels["reps"]
    for rep, (start, end) in zip(result.reps, clip.labels["rep_times"]):
        assert start <= rep.counted_at <= end  # each count lies within its labelled rep


def scripted_faults(exercises):
    """(exercise, fault) for every fault the motion data scripts; each must be a form rule of
    the same id (a tempo fault is judged on the whole rep instead, by the template's tempo)."""
    from posecheck.io.templates import load_all

    templates = load_all()
    for exercise in exercises:
        template = templates[exercise]
        for fault in load_motion(exercise).faults:
            if fault == "too_fast":
                assert template.tempo is not None
                continue
            assert fault in {rule.id for rule in template.form}, \
                f"{exercise}: the scripted fault {fault!r} has no form rule of that id"
            yield pytest.param(exercise, fault, id=f"{exercise}-{fault}")
