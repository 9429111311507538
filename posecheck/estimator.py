"""Pose estimation behind one small callable interface, so another estimator can be plugged in."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from posecheck.core.keypoints import Detection, Pose
from posecheck.io.model import resolve_model


class PoseEstimator(Protocol):
    """Anything that turns an RGB frame and its time into a Detection."""

    def __call__(self, rgb: np.ndarray, timestamp: float) -> Detection: ...


class MediaPipePose:
    """MediaPipe Tasks PoseLandmarker in VIDEO mode (tracking between frames).

    Timestamps are the frames' real times in seconds; they must increase. Up to `max_people`
    people are returned, largest first, so the caller can tell when a second person is in view.
    """

    def __init__(self, model_path=None, max_people: int = 2, min_confidence: float = 0.5):
        from mediapipe.tasks.python import BaseOptions, vision

        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(resolve_model(model_path))),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=max_people,
            min_pose_detection_confidence=min_confidence,
            min_pose_presence_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
        )
        self._landmarker = vision.PoseLandmarker.create_from_options(options)
        self._last_ms = -1

    def __call__(self, rgb: np.ndarray, timestamp: float) -> Detection:
        import mediapipe as mp

        height, width = rgb.shape[:2]
        # MediaPipe needs strictly increasing integer milliseconds.
        ms = max(int(round(timestamp * 1000)), self._last_ms + 1)
        self._last_ms = ms
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        result = self._landmarker.detect_for_video(image, ms)
        worlds = result.pose_world_landmarks or [None] * len(result.pose_landmarks)
        poses = [Pose.from_mediapipe(lms, width, height, world)
                 for lms, world in zip(result.pose_landmarks, worlds)]
        poses.sort(key=lambda pose: pose.area, reverse=True)
        return Detection(timestamp=timestamp, poses=tuple(poses))

    def close(self) -> None:
        self._landmarker.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

