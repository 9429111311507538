"""One internal keypoint type for every pose estimator (MediaPipe's 33-point BlazePose topology)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

LANDMARK_NAMES: tuple[str, ...] = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
    "left_pinky", "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb",
    "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
    "left_heel", "right_heel", "left_foot_index", "right_foot_index",
)
INDEX: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}

# The skeleton as data: pairs of landmark names drawn as bones.
BONES: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"),
    ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip"),
    ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
    ("left_hip", "left_knee"), ("left_knee", "left_ankle"), ("left_ankle", "left_foot_index"),
    ("right_hip", "right_knee"), ("right_knee", "right_ankle"), ("right_ankle", "right_foot_index"),
    ("left_ear", "left_shoulder"), ("right_ear", "right_shoulder"), ("nose", "left_eye"),
    ("nose", "right_eye"),
)


@dataclass(frozen=True)
class Pose:
    """One person's landmarks in one frame.

    xy: (33, 2) pixel coordinates; depth: (33,) relative depth (smaller is nearer the camera,
    same units as x); visibility: (33,) in [0, 1]; image_size: (width, height);
    world: (33, 3) metric 3-D points centred between the hips, axes along the camera's (x right,
    y down, z away from the camera), or None when the estimator gives none;
    back_curve, front_reach: what the silhouette shows (`core/silhouette.py`), in trunk lengths:
    how far the back's outline bulges between shoulders and hips (positive rounded up, negative
    sagging) and how far the silhouette reaches beyond the shoulders; NaN when not measured.
    """

    xy: np.ndarray
    depth: np.ndarray
    visibility: np.ndarray
    image_size: tuple[int, int]
    world: np.ndarray | None = None
    back_curve: float = math.nan
    front_reach: float = math.nan

    @classmethod
    def from_mediapipe(cls, landmarks, width: int, height: int, world_landmarks=None) -> "Pose":
        """Adapt one MediaPipe Tasks `NormalizedLandmark` list (and its `Landmark` world list)."""
        raw = np.array(
            [(lm.x, lm.y, lm.z, _score(lm.visibility), _score(lm.presence)) for lm in landmarks],
            dtype=np.float64,
        )
        xy = raw[:, :2] * (width, height)
        world = None
        if world_landmarks:
            world = np.array([(lm.x, lm.y, lm.z) for lm in world_landmarks], dtype=np.float64)
        return cls(
            xy=xy,
            depth=raw[:, 2] * width,
            visibility=np.minimum(raw[:, 3], raw[:, 4]),
            image_size=(width, height),
            world=world,
        )

    @classmethod
    def from_array(cls, array: np.ndarray, image_size: tuple[int, int]) -> "Pose":
        """Build from a (33, 4) array of x, y, depth, visibility (the storage format)."""
        array = np.asarray(array, dtype=np.float64)
        return cls(array[:, :2].copy(), array[:, 2].copy(), array[:, 3].copy(), tuple(image_size))

    def to_array(self) -> np.ndarray:
        return np.column_stack([self.xy, self.depth, self.visibility])

    def point(self, name: str) -> np.ndarray:
        return self.xy[INDEX[name]]

    @property
    def area(self) -> float:
        """Area of the landmarks' bounding box (px^2): how big the person is in the frame."""
        placed = self.xy[np.isfinite(self.xy).all(axis=1)]
        if len(placed) == 0:
            return 0.0
        span = placed.max(axis=0) - placed.min(axis=0)
        return float(span[0] * span[1])

    def with_xy(self, xy: np.ndarray, world: np.ndarray | None = None) -> "Pose":
        return Pose(xy, self.depth, self.visibility, self.image_size,
                    self.world if world is None else world, self.back_curve, self.front_reach)

    def with_outline(self, **measures: float) -> "Pose":
        """The same pose with silhouette measures (back_curve=..., front_reach=...)."""
        return replace(self, **{name: float(value) for name, value in measures.items()})


def _score(value) -> float:
    return 1.0 if value is None else float(value)


@dataclass(frozen=True)
class Detection:
    """What the estimator saw in one frame: every person found (nearest/largest first)."""

    timestamp: float
    poses: tuple[Pose, ...]
    # How much the whole picture changed since the previous analysed frame (mean grey levels of a
    # thumbnail; NaN when unknown): a camera cut jumps it, MediaPipe's 3-D flips do not.
    picture_change: float = math.nan

    @property
    def pose(self) -> Pose | None:
        return self.poses[0] if self.poses else None
