"""Detection sequences saved to and loaded from a compressed NumPy file, so that the engine can
be re-run on a clip's landmarks without running the pose model again (benchmarks, tuning)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from posecheck.core.keypoints import Detection, Pose

MAX_PEOPLE = 2


def save_detections(path: str | Path, detections: list[Detection]) -> None:
    """Up to two people per frame: image points, depth, visibility, world points and the back's
    outline (NaN where absent)."""
    frames = len(detections)
    image = np.full((frames, MAX_PEOPLE, 33, 4), np.nan, np.float32)
    world = np.full((frames, MAX_PEOPLE, 33, 3), np.nan, np.float32)
    curve = np.full((frames, MAX_PEOPLE), np.nan, np.float32)
    size = np.zeros(2, np.int32)
    for i, detection in enumerate(detections):
        for j, pose in enumerate(detection.poses[:MAX_PEOPLE]):
            image[i, j] = pose.to_array()
            size[:] = pose.image_size
            if pose.world is not None:
                world[i, j] = pose.world
            curve[i, j] = pose.back_curve
    times = np.array([d.timestamp for d in detections], np.float64)
    np.savez_compressed(path, times=times, image=image, world=world, size=size, back_curve=curve)


def has_outline(path: str | Path) -> bool:
    """Whether the file was saved with the back's outline (files from before it have none)."""
    with np.load(path) as data:
        return "back_curve" in data.files


def load_detections(path: str | Path) -> list[Detection]:
    data = np.load(path)
    size = tuple(int(v) for v in data["size"])
    curves = data["back_curve"] if "back_curve" in data.files else np.full(data["image"].shape[:2], np.nan)
    out = []
    for t, image, world, curve in zip(data["times"], data["image"], data["world"], curves):
        poses = []
        for person, points, bulge in zip(image, world, curve):
            if not np.isfinite(person[:, 0]).any():
                continue
            pose = Pose.from_array(person.astype(np.float64), size)
            if np.isfinite(points).all():
                pose = pose.with_xy(pose.xy, points.astype(np.float64))
            if np.isfinite(bulge):
                pose = pose.with_back_curve(bulge)
            poses.append(pose)
        out.append(Detection(float(t), tuple(poses)))
    return out
