"""Live speed: frames per second through the whole live path (MediaPipe + engine + overlay) at
640x480, on this machine's CPU. Prints figures; asserts nothing (machines are shared and noisy).

    .venv/bin/python benchmarks/live_fps.py [VIDEO] [--exercise NAME]
"""

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import cv2  # noqa: E402

from posecheck.pipeline.estimator import MediaPipePose  # noqa: E402
from posecheck.io.templates import load_template  # noqa: E402
from posecheck.io.video import read_frames  # noqa: E402
from posecheck.pipeline.live import LiveCoach  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("video", nargs="?", default=str(ROOT / "samples" / "bird-dog__polybag.mp4"))
    parser.add_argument("--exercise", default="bird-dog")
    args = parser.parse_args()
    frames = []
    for frame in read_frames(args.video):
        h, w = frame.rgb.shape[:2]
        # letterbox into 640x480, as a webcam frame would be
        scale = min(640 / w, 480 / h)
        small = cv2.resize(frame.rgb, (int(w * scale), int(h * scale)))
        canvas = cv2.copyMakeBorder(small, 0, 480 - small.shape[0], 0, 640 - small.shape[1], cv2.BORDER_CONSTANT)
        frames.append((frame.timestamp, canvas))
    coach = LiveCoach(load_template(args.exercise), MediaPipePose(max_people=2))
    started = time.perf_counter()
    for t, rgb in frames:
        coach.process(rgb, t)
    elapsed = time.perf_counter() - started
    coach.estimator.close()
    clip = frames[-1][0]
    print(f"{len(frames)} frames of 640x480 in {elapsed:.1f} s: {len(frames) / elapsed:.1f} processed fps "
          f"({clip / elapsed:.2f}x real time for this {len(frames) / clip:.0f} fps clip); "
          f"reps counted {coach.snapshot().state.reps}")
    for rep in coach.engine.reps:
        print(f"  rep {rep.number} {rep.side} {rep.start}-{rep.end} hold {rep.hold_seconds} {rep.notes}")


if __name__ == "__main__":
    main()
