"""Live speed: the whole live path (MediaPipe with the app's settings, the second-person check on
its own thread, the engine and the overlay) on 640x480 frames, on this machine's CPU. Prints
figures; asserts nothing (machines are shared and noisy).

    .venv/bin/python benchmarks/live_fps.py [--exercise NAME VIDEO] ...

For each exercise (by default bird-dog and cat-cow, the two that read the silhouette), on its
sample video letterboxed into 640x480, with the app's estimator settings and with one person
tracked (`MediaPipePose(track_one=True)`, the second-person check on its own thread):
- throughput: frames handed over as fast as they are taken (processed frames a second);
- a 30 fps camera: frames arrive on their own thread every 1/30 s and the coach takes the newest
  one whenever it is free, as streamlit-webrtc's worker does (a frame that arrives while the
  coach is busy is replaced by the next: dropped by design). Printed: frames processed and
  dropped, reps counted (against the throughput run's), and for each counted rep the lag from its
  frame's arrival to the annotated frame with the new count (the cue on screen).
"""

import argparse
import os
import statistics
import threading
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import cv2  # noqa: E402

from posecheck.io.templates import load_template  # noqa: E402
from posecheck.io.video import read_frames  # noqa: E402
from posecheck.pipeline.estimator import MediaPipePose  # noqa: E402
from posecheck.pipeline.live import LiveCoach  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = [("bird-dog", ROOT / "samples" / "bird-dog__polybag.mp4"),
            ("cat-cow", ROOT / "samples" / "cat-cow__synth-correct.mp4")]
CAMERA_FPS = 30.0


def webcam_frames(video) -> list:
    """The video as a 30 fps webcam would show it: letterboxed into 640x480, one frame every 1/30 s
    (the video's newest frame at that time; a 20 fps clip repeats every other frame)."""
    source = []
    for frame in read_frames(video):
        h, w = frame.rgb.shape[:2]
        scale = min(640 / w, 480 / h)
        small = cv2.resize(frame.rgb, (int(w * scale), int(h * scale)))
        canvas = cv2.copyMakeBorder(small, 0, 480 - small.shape[0], 0, 640 - small.shape[1], cv2.BORDER_CONSTANT)
        source.append((frame.timestamp, canvas))
    frames, index = [], 0
    for i in range(int(source[-1][0] * CAMERA_FPS) + 1):
        while index + 1 < len(source) and source[index + 1][0] <= i / CAMERA_FPS + 1e-6:
            index += 1
        frames.append(source[index][1])
    return frames


def new_coach(exercise: str, track_one: bool) -> LiveCoach:
    """A coach as the app's camera page makes one (ui/camera.new_coach), without a store; with
    `track_one`, MediaPipe tracks one person and a check on its own thread looks for others."""
    template = load_template(exercise)
    estimator = MediaPipePose(max_people=2, outline=template.reads_outline, track_one=track_one,
                              check_in_background=track_one)
    return LiveCoach(template, estimator)


def throughput(exercise: str, frames: list, track_one: bool) -> tuple[float, int]:
    coach = new_coach(exercise, track_one)
    started = time.perf_counter()
    for i, rgb in enumerate(frames):
        coach.process(rgb, i / CAMERA_FPS)
    elapsed = time.perf_counter() - started
    coach.close()
    return len(frames) / elapsed, len(coach.engine.reps)


def camera_stream(exercise: str, frames: list, track_one: bool) -> dict:
    """Frames arrive every 1/30 s on a camera thread; the coach takes the newest when free."""
    coach = new_coach(exercise, track_one)
    newest: list = [None]  # (index, arrival time)
    arrived = threading.Condition()
    ended = threading.Event()

    def camera():
        start = time.perf_counter()
        for i in range(len(frames)):
            time.sleep(max(0.0, start + i / CAMERA_FPS - time.perf_counter()))
            with arrived:
                newest[0] = (i, time.perf_counter())
                arrived.notify()
        ended.set()
        with arrived:
            arrived.notify()

    processed, lags, last_taken = 0, [], -1
    thread = threading.Thread(target=camera, daemon=True)
    thread.start()
    while True:
        with arrived:
            arrived.wait_for(lambda: (newest[0] is not None and newest[0][0] != last_taken) or ended.is_set())
            if newest[0] is None or newest[0][0] == last_taken:
                break
            index, arrival = newest[0]
        last_taken = index
        before = len(coach.engine.reps)
        coach.process(frames[index], index / CAMERA_FPS)
        processed += 1
        if len(coach.engine.reps) > before:
            lags.append(time.perf_counter() - arrival)
    thread.join()
    coach.close()
    return {"processed": processed, "dropped": len(frames) - processed, "reps": len(coach.engine.reps), "lags": lags}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", nargs=2, action="append", metavar=("NAME", "VIDEO"))
    args = parser.parse_args()
    for exercise, video in args.exercise or DEFAULTS:
        frames = webcam_frames(video)
        print(f"{exercise} ({Path(video).name}, {len(frames)} frames of 640x480):")
        for track_one, mode in ((False, "the app's setting (detector on every frame)"),
                                (True, "one person tracked, others checked once a second")):
            fps, reps = throughput(exercise, frames, track_one)
            print(f"  {mode}:")
            print(f"    throughput: {fps:.1f} processed frames a second ({fps / CAMERA_FPS:.2f}x a 30 fps camera); "
                  f"reps counted {reps}")
            stream = camera_stream(exercise, frames, track_one)
            lags = stream["lags"]
            lag_text = (f"lag from a counted rep's frame to its cue on screen: median "
                        f"{statistics.median(lags) * 1000:.0f} ms, max {max(lags) * 1000:.0f} ms"
                        if lags else "no rep counted")
            print(f"    30 fps camera: {stream['processed']} of {len(frames)} frames processed, "
                  f"{stream['dropped']} dropped; reps counted {stream['reps']}; {lag_text}")


if __name__ == "__main__":
    main()
