"""How well MediaPipe sees the synthetic figure: per exercise and camera view, the detection rate
and the error of the template's signals measured on detected vs true landmarks.

    .venv/bin/python benchmarks/synth_fidelity.py [--exercise NAME] [--fps 12] [--yaws 0,20,35]
    .venv/bin/python benchmarks/synth_fidelity.py --faults --yaws 0,20   # do faults cross the rules?

Angles are in degrees; `height` signals (in torso lengths) are reported apart. Prints a table;
asserts nothing. A frame counts as detected when MediaPipe returns a pose for it. Left/right
swaps by MediaPipe count as errors (the template's `any_side` rules tolerate them; this does not).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("GLOG_minloglevel", "2")

import numpy as np  # noqa: E402

from posecheck.core.signals import measure_all  # noqa: E402
from posecheck.pipeline.estimator import MediaPipePose  # noqa: E402
from posecheck.io.templates import load_template  # noqa: E402
from posecheck.synth import MotionScript, render_clip  # noqa: E402
from posecheck.synth.motion import load_motion  # noqa: E402

EXERCISES = ("cat-cow", "bird-dog", "knee-to-chest")


def view_script(exercise: str, yaw: float, facing: str, fps: float) -> MotionScript:
    return MotionScript(exercise=exercise, reps=2, holds=1.5, camera_yaw=yaw, facing=facing, fps=fps,
                        seed=int(abs(yaw)) * 3 + (facing == "right"))


def compare(clip, template, estimator) -> dict:
    """Detection rate and per-frame absolute signal errors (degrees, torso lengths)."""
    detected, angle_errors, height_errors, per_signal = 0, [], [], {}
    for index, (rgb, t) in enumerate(clip.frames()):
        detection = estimator(rgb, t)
        if detection.pose is None:
            continue
        detected += 1
        truth = measure_all(template.signals, clip.truth_pose(index))
        found = measure_all(template.signals, detection.pose)
        for key, true_value in truth.items():
            if np.isfinite(true_value) and np.isfinite(found[key]):
                error = abs(found[key] - true_value)
                kind = template.signals[key[0]].kind
                (height_errors if kind == "height" else angle_errors).append(error)
                per_signal.setdefault(key[0], []).append(error)
    return {"rate": detected / clip.frame_count, "angles": np.array(angle_errors),
            "heights": np.array(height_errors),
            "signals": {k: float(np.mean(v)) for k, v in per_signal.items()}}


def row(exercise: str, view: str, result: dict) -> str:
    a, h = result["angles"], result["heights"]
    angle = f"{a.mean():6.1f} {np.percentile(a, 90):6.1f} {a.max():6.1f}" if a.size else "     -      -      -"
    height = f"{h.mean():5.2f} {h.max():5.2f}" if h.size else "    -     -"
    worst = max(result["signals"].items(), key=lambda kv: kv[1], default=("-", 0.0))
    return (f"{exercise:<14} {view:<18} {result['rate'] * 100:5.1f}%  {angle}   {height}   "
            f"{worst[0]} {worst[1]:.1f}")


def fault_rows(yaw: float, fps: float) -> None:
    """Per fault with a form rule: the rule's signal held in the faulty pose, true vs detected."""
    print(f"\n{'exercise':<14} {'fault':<17} {'yaw':>4}  {'rule':<26} {'true':>7} {'detected':>8}  fires on")
    for exercise in EXERCISES:
        template = load_template(exercise)
        scripted = load_motion(exercise).faults
        for rule in (r for r in template.form if r.id in scripted):
            clip = render_clip(MotionScript(exercise=exercise, reps=1, holds=3.0, camera_yaw=yaw, fps=fps,
                                            faults=rule.id, sides="left"))
            start, end = clip.labels["faults"][0]["time"]
            true_values, seen_values = [], []
            with MediaPipePose(max_people=1) as estimator:
                for index, (rgb, t) in enumerate(clip.frames()):
                    detection = estimator(rgb, t)
                    if start + 0.5 <= t <= end - 0.5 and detection.pose is not None:
                        key = (rule.condition.signal, "left" if template.signals[rule.condition.signal].per_side else None)
                        true_values.append(measure_all(template.signals, clip.truth_pose(index))[key])
                        seen_values.append(measure_all(template.signals, detection.pose)[key])
            truth, seen = float(np.nanmean(true_values)), float(np.nanmean(seen_values))
            condition = rule.condition
            text = f"{condition.signal} {condition.direction} {condition.threshold:g}"
            fires = [name for name, v in (("truth", truth), ("detected", seen)) if condition.enters(v)]
            print(f"{exercise:<14} {rule.id:<17} {yaw:>+4.0f}  {text:<26} {truth:7.2f} {seen:8.2f}  "
                  f"{', '.join(fires) or 'neither'}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--exercise", choices=EXERCISES)
    parser.add_argument("--fps", type=float, default=12.0)
    parser.add_argument("--yaws", default="0,20,-20,35,-35")
    parser.add_argument("--facing", default="left,right")
    parser.add_argument("--faults", action="store_true", help="only the fault table (rule signals in faulty poses)")
    args = parser.parse_args()
    if args.faults:
        for yaw in (float(y) for y in args.yaws.split(",")):
            fault_rows(yaw, args.fps)
        return
    exercises = [args.exercise] if args.exercise else EXERCISES
    yaws = [float(y) for y in args.yaws.split(",")]
    print(f"{'exercise':<14} {'view':<18} {'detect':>6}  {'angle error, deg':^20}   {'height, torso':^11}   worst signal (mean)")
    print(f"{'':<14} {'':<18} {'':>6}  {'mean':>6} {'p90':>6} {'max':>6}   {'mean':>5} {'max':>5}")
    started = time.perf_counter()
    for exercise in exercises:
        template = load_template(exercise)
        for facing in args.facing.split(","):
            for yaw in yaws:
                clip = render_clip(view_script(exercise, yaw, facing, args.fps))
                with MediaPipePose(max_people=1) as estimator:
                    result = compare(clip, template, estimator)
                print(row(exercise, f"{facing} yaw {yaw:+.0f}", result), flush=True)
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
