"""Pose estimation behind one small callable interface, so another estimator can be plugged in."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
from pathlib import Path
from typing import Iterator, Protocol

import numpy as np

from posecheck.core.keypoints import Detection, Pose
from posecheck.core.silhouette import outline_measures
from posecheck.io.model import resolve_model
from posecheck.io import mediapipe_import as mediapipe_tasks
from posecheck.pipeline.picture_change import PictureChange
from posecheck.pipeline.second_person import CHECK_SECONDS, CheckInBackground, SecondPersonCheck


class PoseEstimator(Protocol):
    """Anything that turns an RGB frame and its time into a Detection."""

    def __call__(self, rgb: np.ndarray, timestamp: float) -> Detection: ...


def estimator_identity(model=None, max_people: int = 2, min_confidence: float = 0.5, outline: bool = True,
                       track_one: bool = False) -> dict:
    """What decides the landmarks `MediaPipePose(model, max_people, min_confidence, outline, track_one)`
    finds in a given frame: the key of a detection cache (`io/detection_cache.py`)."""
    from importlib.metadata import version

    identity = {"estimator": "mediapipe-pose-landmarker", "mediapipe": version("mediapipe"),
                "model": model_digest(resolve_model(model)), "max_people": max_people,
                "min_confidence": min_confidence, "outline": bool(outline)}
    if track_one:  # one person tracked, the others looked for by a check (second_person.py)
        identity["people"] = f"one tracked, others checked every {CHECK_SECONDS:g} s"
    return identity


def model_digest(model) -> str:
    import hashlib

    if model.data is not None:
        return hashlib.sha256(model.data).hexdigest()
    return _file_digest(str(model.path), model.path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _file_digest(path: str, _mtime_ns: int) -> str:
    from posecheck.io.model import sha256_of

    return sha256_of(Path(path))


class MediaPipePose:
    """MediaPipe Tasks PoseLandmarker in VIDEO mode (tracking between frames).

    `model` is a model name (lite, full, heavy) or a .task file; by default the full model.
    `outline`: also read each person's segmentation mask for the silhouette's measures
    (`Pose.back_curve`, `Pose.front_reach`: what tells a cat-cow from a head nod, a bird-dog's arm
    hidden behind the head); it costs about a fifth more time per frame, so a caller that knows
    its exercise does not need them turns it off (`Template.reads_outline`).

    Timestamps are the frames' real times in seconds; they must increase. Up to `max_people`
    people are returned, largest first, so the caller can tell when a second person is in view.
    Asked for more than one, MediaPipe runs its person detector on every frame (until it has found
    that many) and places each person's landmarks from where it detected them.

    `track_one`: MediaPipe is asked for one person, whom it tracks from frame to frame (its
    detector runs only when it loses them: about a third less time a frame); others are looked
    for by a check about once a second or when the tracked hips jump (`second_person.py`;
    `check_in_background` runs the checks on a thread of their own, as a live camera needs).
    Nothing uses it by default: on the corpus's real clips, landmarks placed from the tracking
    instead of each frame's detection passed 29 of 34 clips against 32 (README, "Speed and memory").
    """

    def __init__(self, model=None, max_people: int = 2, min_confidence: float = 0.5,
                 outline: bool = True, track_one: bool = False, check_in_background: bool = False):
        vision = mediapipe_tasks.vision()
        options = vision.PoseLandmarkerOptions(
            base_options=_base_options(model),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=1 if track_one else max_people,
            min_pose_detection_confidence=min_confidence,
            min_pose_presence_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
            output_segmentation_masks=outline,
        )
        with native_stderr_silenced():
            self._landmarker = vision.PoseLandmarker.create_from_options(options)
        self._finder = PeopleFinder(model, max_people, min_confidence) if track_one and max_people > 1 else None
        self._check = SecondPersonCheck()
        self._background = CheckInBackground(self._finder) if self._finder and check_in_background else None
        self._last_ms = -1
        self._first = True
        self._picture_change = PictureChange()

    def __call__(self, rgb: np.ndarray, timestamp: float) -> Detection:
        mp = mediapipe_tasks.mediapipe()
        height, width = rgb.shape[:2]
        # MediaPipe needs strictly increasing integer milliseconds.
        ms = max(int(round(timestamp * 1000)), self._last_ms + 1)
        self._last_ms = ms
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self._first or not _pose_found.is_set():
            with native_stderr_silenced():
                result = self._landmarker.detect_for_video(image, ms)
            self._first = False
        else:
            result = self._landmarker.detect_for_video(image, ms)
        found = len(result.pose_landmarks)
        if found:
            _pose_found.set()
        worlds = result.pose_world_landmarks or [None] * found
        masks = result.segmentation_masks or [None] * found
        poses = [_with_outline(Pose.from_mediapipe(lms, width, height, world), mask)
                 for lms, world, mask in zip(result.pose_landmarks, worlds, masks)]
        poses += self._others(rgb, poses[0] if poses else None, timestamp)
        poses.sort(key=lambda pose: pose.area, reverse=True)
        return Detection(timestamp=timestamp, poses=tuple(poses), picture_change=self._picture_change(rgb))

    def _others(self, rgb: np.ndarray, tracked: Pose | None, timestamp: float) -> list[Pose]:
        """The people besides the tracked one, as the last check found them (checked now if due)."""
        if self._finder is None or tracked is None:
            return []
        if self._background is not None:
            finished = self._background.take()
            if finished is not None:
                self._check.found(finished[1], tracked, finished[0])
            if self._check.due(tracked, timestamp):
                self._background.submit(rgb, timestamp)
        elif self._check.due(tracked, timestamp):
            self._check.found(self._finder(rgb), tracked, timestamp)
        return list(self._check.others(timestamp))

    def close(self) -> None:
        """Release the landmarkers now (safe to call again): never leave that to their finalisers."""
        landmarker, self._landmarker = self._landmarker, None
        if landmarker is not None:
            landmarker.close()
        background, self._background = self._background, None
        if background is not None:
            background.close()
        finder, self._finder = self._finder, None
        if finder is not None:
            finder.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class PeopleFinder:
    """Everyone in one still frame: a landmarker in IMAGE mode asked for `max_people` (the tracked
    person's landmarks come from the tracker). Called from one thread at a time: the estimator
    joins its check thread before closing it."""

    def __init__(self, model=None, max_people: int = 2, min_confidence: float = 0.5):
        vision = mediapipe_tasks.vision()
        options = vision.PoseLandmarkerOptions(
            base_options=_base_options(model), running_mode=vision.RunningMode.IMAGE,
            num_poses=max_people, min_pose_detection_confidence=min_confidence,
            min_pose_presence_confidence=min_confidence)
        with native_stderr_silenced():
            self._landmarker = vision.PoseLandmarker.create_from_options(options)

    def __call__(self, rgb: np.ndarray) -> tuple[Pose, ...]:
        """The people in `rgb`, in its pixels."""
        mp = mediapipe_tasks.mediapipe()
        height, width = rgb.shape[:2]
        result = self._landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb)))
        return tuple(Pose.from_mediapipe(lms, width, height) for lms in result.pose_landmarks)

    def close(self) -> None:
        landmarker, self._landmarker = self._landmarker, None
        if landmarker is not None:
            landmarker.close()


def _base_options(model):
    from mediapipe.tasks.python import BaseOptions  # mediapipe_tasks.vision() imported it

    pose_model = resolve_model(model)
    if pose_model.data is not None:
        return BaseOptions(model_asset_buffer=pose_model.data)
    return BaseOptions(model_asset_path=str(pose_model.path))


def _with_outline(pose: Pose, mask) -> Pose:
    if mask is None:
        return pose
    return pose.with_outline(**outline_measures(mask.numpy_view(), pose.xy))


# MediaPipe's native warnings come once per process, through absl logging (which no environment
# variable such as GLOG_minloglevel turns off; nothing calls absl::InitializeLog, so every level
# reaches descriptor 2): the graph's start-up notes with a landmarker's first frame, and
# "Using NORM_RECT without IMAGE_DIMENSIONS ..." (a LOG_FIRST_N inside the pose graph shipped in
# the .task file, whatever the image options) with the first frame in which any landmarker of this
# process finds a person. Frames are read with descriptor 2 silenced until then.
_pose_found = threading.Event()
_silence_lock = threading.Lock()
_silenced = 0  # nested or concurrent silences (landmarkers starting on several threads)
_saved_stderr = -1  # a copy of the real descriptor 2, while silenced


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """MediaPipe's C++ code logs start-up notes ("Created TensorFlow Lite XNNPACK delegate",
    "Feedback manager requires a model with a single signature") straight to file descriptor 2,
    past Python and its logging settings. While a landmarker starts (a fraction of a second),
    descriptor 2 points to /dev/null; errors are raised as exceptions, not lost."""
    global _silenced, _saved_stderr
    with _silence_lock:
        _silenced += 1
        if _silenced == 1:
            sys.stderr.flush()
            _saved_stderr = os.dup(2)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
    try:
        yield
    finally:
        with _silence_lock:
            _silenced -= 1
            if _silenced == 0:
                os.dup2(_saved_stderr, 2)
                os.close(_saved_stderr)

