"""2-D image angles against 3-D world angles: which tracks the true angle better, per signal,
over camera yaw and camera elevation. The renderer knows the true 3-D body; MediaPipe gives both
the image landmarks and its metric world landmarks.

    .venv/bin/python benchmarks/signal_views.py [--fps 8] [--yaws=-60,-30,0,30,60] [--elevations 0,20,45]
        [--exercises cat-cow,bird-dog,knee-to-chest]

For every template signal of the exercises (default cat-cow, bird-dog and knee-to-chest; any
exercise with motion data works; both sides), and every detected frame: |value on the image
landmarks - true value| and |value on the world landmarks - true value|, where the true value is
the signal on the renderer's true 3-D landmarks with gravity as the vertical. Elevation 0 is a
camera on the floor (0.4 m up); others look down at that angle.
Prints mean absolute errors (degrees; torso lengths for heights and distances) per signal and
view, and which space wins per signal. Asserts nothing. Left/right swaps count as errors.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace

os.environ.setdefault("GLOG_minloglevel", "2")

import numpy as np  # noqa: E402

from posecheck.core.keypoints import Pose  # noqa: E402
from posecheck.core.signals import measure_all  # noqa: E402
from posecheck.pipeline.estimator import MediaPipePose  # noqa: E402
from posecheck.io.templates import load_template  # noqa: E402
from posecheck.synth import MotionScript, render_clip  # noqa: E402

EXERCISES = ("cat-cow", "bird-dog", "knee-to-chest")


def in_space(template, space: str):
    signals = {name: replace(s, space=space) for name, s in template.signals.items()}
    return replace(template, signals=signals)


def gravity_aligned(world: np.ndarray, down: np.ndarray) -> np.ndarray:
    """Rotate camera-axis points so that gravity points along +y (the true vertical)."""
    y = down / np.linalg.norm(down)
    x = np.cross(y, [0.0, 0.0, 1.0])
    x = x / np.linalg.norm(x) if np.linalg.norm(x) > 1e-9 else np.array([1.0, 0.0, 0.0])
    z = np.cross(x, y)
    return world @ np.stack([x, y, z]).T


def truth_pose(clip, index: int) -> Pose:
    base = clip.truth_pose(index)
    return replace(base, world=gravity_aligned(clip.truth_world(index), clip.world_down))


def measure_view(exercise: str, yaw: float, elevation: float, fps: float, estimator) -> dict:
    template = load_template(exercise)
    image_t, world_t = in_space(template, "image"), in_space(template, "world")
    script = MotionScript(exercise=exercise, reps=2, holds=1.5, camera_yaw=yaw, fps=fps,
                          camera_elevation=elevation or None, seed=int(abs(yaw) + elevation))
    clip = render_clip(script)
    errors: dict[tuple[str, str], list[float]] = {}
    for index, (rgb, t) in enumerate(clip.frames()):
        pose = estimator(rgb, t).pose
        if pose is None:
            continue
        truth = measure_all(world_t.signals, truth_pose(clip, index))
        for space, tmpl in (("image", image_t), ("world", world_t)):
            found = measure_all(tmpl.signals, pose)
            for key, true_value in truth.items():
                if template.signals[key[0]].kind == "side_match":
                    continue
                if np.isfinite(true_value) and np.isfinite(found[key]):
                    errors.setdefault((key[0], space), []).append(abs(found[key] - true_value))
    return {key: float(np.mean(v)) for key, v in errors.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fps", type=float, default=8.0)
    parser.add_argument("--yaws", default="-60,-30,0,30,60")
    parser.add_argument("--elevations", default="0,20,45")
    parser.add_argument("--exercises", default=",".join(EXERCISES))
    args = parser.parse_args(argv)
    yaws = [float(v) for v in args.yaws.split(",")]
    elevations = [float(v) for v in args.elevations.split(",")]
    started = time.monotonic()
    rows: dict[tuple[str, str], dict] = {}
    with MediaPipePose(max_people=1) as estimator:
        for exercise in args.exercises.split(","):
            for elevation in elevations:
                for yaw in yaws:
                    result = measure_view(exercise, yaw, elevation, args.fps, estimator)
                    for (signal, space), error in result.items():
                        rows.setdefault((exercise, signal), {})[(yaw, elevation, space)] = error
    views = [(y, e) for e in elevations for y in yaws]
    header = "  ".join(f"y{y:+.0f}/e{e:.0f}".rjust(11) for y, e in views)
    print(f"Mean abs error, image / world (degrees; heights in torso lengths), {time.monotonic() - started:.0f} s")
    print(f"{'exercise':14s} {'signal':14s} {header}   mean img/wld  better")
    for (exercise, signal), cells in rows.items():
        texts, img, wld = [], [], []
        for y, e in views:
            a, b = cells.get((y, e, "image"), np.nan), cells.get((y, e, "world"), np.nan)
            img.append(a), wld.append(b)
            texts.append(f"{a:5.1f}/{b:5.1f}".rjust(11))
        mi, mw = np.nanmean(img), np.nanmean(wld)
        print(f"{exercise:14s} {signal:14s} {'  '.join(texts)}   {mi:5.1f}/{mw:5.1f}  {'world' if mw < mi else 'image'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
