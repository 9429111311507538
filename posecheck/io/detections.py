"""Detection sequences saved to and loaded from a compressed NumPy file, so that the engine can
be re-run on a clip's landmarks without running the pose model again (benchmarks, tuning)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from posecheck.core.keypoints import Detection, Pose
from posecheck.core.silhouette import OUTLINE_MEASURES

MAX_PEOPLE = 2


def save_detections(path, detections: list[Detection], dtype=np.float32, extra: dict | None = None) -> None:
    """Up to two people per frame: image points, depth, visibility, world points and the
    silhouette's measures (NaN where absent). float32 halves the file; float64 reads back exactly.
    `extra`: more arrays to keep in the same file."""
    frames = len(detections)
    image = np.full((frames, MAX_PEOPLE, 33, 4), np.nan, dtype)
    world = np.full((frames, MAX_PEOPLE, 33, 3), np.nan, dtype)
    outline = {name: np.full((frames, MAX_PEOPLE), np.nan, dtype) for name in OUTLINE_MEASURES}
    size = np.zeros(2, np.int32)
    for i, detection in enumerate(detections):
        for j, pose in enumerate(detection.poses[:MAX_PEOPLE]):
            image[i, j] = pose.to_array()
            size[:] = pose.image_size
            if pose.world is not None:
                world[i, j] = pose.world
            for name, values in outline.items():
                values[i, j] = getattr(pose, name)
    times = np.array([d.timestamp for d in detections], np.float64)
    pictures = np.array([d.picture_change for d in detections], np.float32)
    np.savez_compressed(path, times=times, image=image, world=world, size=size, picture_change=pictures,
                        **outline, **(extra or {}))


def has_outline(path: str | Path) -> bool:
    """Whether the file was saved with every silhouette measure (older files lack some)."""
    with np.load(path) as data:
        return all(name in data.files for name in OUTLINE_MEASURES)


def load_detections(path: str | Path) -> list[Detection]:
    with np.load(path) as data:
        return _detections_from(data)


def _detections_from(data) -> list[Detection]:
    size = tuple(int(v) for v in data["size"])
    missing = np.full(data["image"].shape[:2], np.nan)
    outline = {name: data[name] if name in data.files else missing for name in OUTLINE_MEASURES}
    pictures = data["picture_change"] if "picture_change" in data.files else np.full(len(data["times"]), np.nan)
    out = []
    for i, (t, image, world) in enumerate(zip(data["times"], data["image"], data["world"])):
        poses = []
        for j, (person, points) in enumerate(zip(image, world)):
            if not np.isfinite(person[:, 0]).any():
                continue
            pose = Pose.from_array(person.astype(np.float64), size)
            if np.isfinite(points).all():
                pose = pose.with_xy(pose.xy, points.astype(np.float64))
            pose = pose.with_outline(**{name: values[i, j] for name, values in outline.items()})
            poses.append(pose)
        out.append(Detection(float(t), tuple(poses), float(pictures[i])))
    return out
