"""How long the app's "Analyse a video" page takes for a 1-minute clip, against the clip's length.

Builds a 60 s clip by looping the sample (or VIDEO), starts the app, uploads the clip in headless
Chromium, and times from the Analyse click until the rep table appears (decoding, pose estimation,
engine, saving to the history, page update), then until the annotated video appears (drawn in a
second pass after the counts are shown). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/page_analysis.py [VIDEO] [--seconds 60] [--exercise bird-dog]
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from posecheck.io.video import VideoWriter, probe, read_frames

ROOT = Path(__file__).resolve().parents[1]
TITLES = {"bird-dog": "Bird-dog", "cat-cow": "Cat-cow", "knee-to-chest": "Knee-to-chest"}


def looped_clip(source: Path, seconds: float, out: Path) -> float:
    frames = list(read_frames(source))
    period = frames[-1].timestamp + 1 / (probe(source).fps or 30)
    height, width = frames[0].rgb.shape[:2]
    with VideoWriter(out, width, height, fps=probe(source).fps or 30) as writer:
        loop = 0
        while loop * period < seconds:
            for frame in frames:
                t = loop * period + frame.timestamp
                if t >= seconds:
                    break
                writer.write(frame.rgb, t)
            loop += 1
    return probe(out).duration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("video", nargs="?", default=str(ROOT / "samples" / "bird-dog__polybag.mp4"))
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--exercise", default="bird-dog")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as work:
        clip = Path(work) / f"one-minute-{Path(args.video).stem}.mp4"
        duration = looped_clip(Path(args.video), args.seconds, clip)
        info = probe(clip)
        port = free_port()
        env = dict(os.environ, POSECHECK_DB=str(Path(work) / "history.db"))
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                                   "--server.headless", "true", "--server.port", str(port)],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(5)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(viewport={"width": 1280, "height": 1600})
                page.goto(f"http://127.0.0.1:{port}")
                page.get_by_test_id("stSelectbox").first.click()
                page.get_by_role("option", name=TITLES.get(args.exercise, args.exercise)).click()
                page.get_by_role("tab", name="Analyse a video").click()
                page.get_by_text("Upload my own").click()
                page.locator("input[type=file]").set_input_files(str(clip))
                page.wait_for_timeout(1000)
                demos = page.locator("video").count()
                started = time.perf_counter()
                page.get_by_role("button", name="Analyse").click()
                page.wait_for_selector("text=Download reps", timeout=900000)
                elapsed = time.perf_counter() - started
                reps = page.get_by_test_id("stMetricValue").first.inner_text()
                # the annotated video comes after the counts (the demonstration is a video too)
                page.wait_for_function(f"document.querySelectorAll('video').length > {demos}", timeout=900000)
                with_video = time.perf_counter() - started
                browser.close()
        finally:
            server.terminate()
            server.wait(10)
    print(f"clip: {duration:.1f} s, {info.width}x{info.height}, {info.frame_count} frames at {info.fps:.0f} fps")
    print(f"page: counts shown after {elapsed:.1f} s = {elapsed / duration:.2f}x the clip's duration; {reps} reps")
    print(f"page: annotated video shown after {with_video:.1f} s = {with_video / duration:.2f}x")


if __name__ == "__main__":
    main()
