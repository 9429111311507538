"""Speed and memory of the analysis, from one run on this machine. Prints figures; asserts nothing
(the machines are shared and noisy: compare ratios measured in the same run).

    .venv/bin/python benchmarks/speed.py [--long-minutes 10] [--batch 20] [--skip-long] [--skip-batch]

Clips are built from the sample `samples/bird-dog__polybag.mp4` (1080x1920 portrait, 30 fps), or
from the corpus clip `birddog__merged-exercise__two-angles.mp4` (1920x1080, 60 fps) when the
corpus is there, letterboxed and looped to each size, rate and length:
- pose inference alone (ms per analysed frame; also without the silhouette's masks and with one
  person tracked, `MediaPipePose(track_one=True)`) against the whole pipeline (decode on its thread,
  pose, smoothing, signals, engine) on the same analysed frames, and their ratio;
- `posecheck analyze` as a user runs it (a new process each time): video seconds per wall second
  at 640x480 30 fps, 1920x1080 60 fps and 1080x1920 portrait 30 fps, with and without
  `--annotate`, and the peak resident memory of each;
- start-up: from launching `posecheck analyze` to its first analysed frame;
- peak memory for a long video (default 10 minutes of 1920x1080) against a 1-minute one;
- batch: N clips through `posecheck analyze FOLDER` on 1 and on 2 workers;
- the lite, full and heavy pose models: ms per frame, and `posecheck analyze` with each.
The app's Analyse page and the live path have their own benchmarks (page_analysis.py, live_fps.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from posecheck.pipeline.analysis import ANALYSIS_FPS, ANALYSIS_MAX_SIDE, analyze_video  # noqa: E402
from posecheck.pipeline.estimator import MediaPipePose  # noqa: E402
from posecheck.io.templates import load_template  # noqa: E402
from posecheck.io.video import VideoWriter, probe, read_frames  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "bird-dog__polybag.mp4"
CORPUS_CLIP = ROOT.parent / "shared" / "corpus" / "videos" / "birddog__merged-exercise__two-angles.mp4"
POSECHECK = [sys.executable, "-m", "posecheck"]
FIRST_FRAME_CHILD = """
import os, sys, time
os.environ.setdefault("GLOG_minloglevel", "2")
from posecheck.pipeline.analysis import ANALYSIS_MAX_SIDE
from posecheck.pipeline.estimator import MediaPipePose
from posecheck.io.templates import load_template
from posecheck.io.video import probe, read_frames
from posecheck.core.engine import Engine
path = sys.argv[1]
probe(path)
engine = Engine(load_template("bird-dog"))
with MediaPipePose() as estimator:
    frame = next(read_frames(path, max_side=ANALYSIS_MAX_SIDE))
    engine.update(estimator(frame.rgb, frame.timestamp))
    print("first", flush=True)
"""


def source_frames(source: Path, max_side: int = 640, fps: float = 15) -> tuple[list[np.ndarray], float]:
    """The source's frames, small and at most `fps` a second: kept in memory to loop from."""
    frames = list(read_frames(source, max_side=max_side, max_fps=fps))
    info = probe(source)
    period = frames[-1].timestamp + 1 / (info.fps or 30)
    return [f.rgb for f in frames], period


def letterbox(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    h, w = rgb.shape[:2]
    scale = min(width / w, height / h)
    small = cv2.resize(rgb, (max(2, int(w * scale)), max(2, int(h * scale))), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((height, width, 3), np.uint8)
    y, x = (height - small.shape[0]) // 2, (width - small.shape[1]) // 2
    canvas[y:y + small.shape[0], x:x + small.shape[1]] = small
    return canvas


def make_clip(frames: list[np.ndarray], period: float, width: int, height: int, fps: float, seconds: float,
              out: Path) -> Path:
    """Loop the source frames (played at their own rate) into a clip of this size, rate and length."""
    if out.exists():  # kept from an earlier run with --clips
        return out
    last, boxed = -1, None
    with VideoWriter(out, width, height, fps=fps) as writer:
        for i in range(int(seconds * fps)):
            t = i / fps
            index = min(int((t % period) / period * len(frames)), len(frames) - 1)
            if index != last:
                last, boxed = index, letterbox(frames[index], width, height)
            writer.write(boxed, t)
    return out


def pose_only_ms(frames, model: str | None = None, **settings) -> float:
    """ms per frame of MediaPipe alone, on frames decoded beforehand (after one warm-up frame)."""
    with MediaPipePose(model, **settings) as estimator:
        estimator(frames[0].rgb, 0.0)
        started = time.perf_counter()
        for frame in frames:
            estimator(frame.rgb, frame.timestamp + 1.0)
        return (time.perf_counter() - started) / len(frames) * 1000


POSE_VARIANTS = (("without the masks", dict(outline=False)),
                 ("one person tracked, others checked once a second", dict(track_one=True)),
                 ("one person tracked, without the masks", dict(track_one=True, outline=False)))


def pose_only_and_pipeline(clip: Path) -> tuple[float, float, int, list[str]]:
    """ms per analysed frame: MediaPipe alone on frames decoded beforehand, then the whole
    pipeline (analyze_video, decoding included) on the same frames; and lines saying what
    MediaPipe alone costs without the silhouette's masks, and tracking one person (`track_one`)."""
    frames = list(read_frames(clip, max_side=ANALYSIS_MAX_SIDE, max_fps=ANALYSIS_FPS))
    pose = pose_only_ms(frames) / 1000
    variants = [f"Pose inference alone, {label}: {pose_only_ms(frames, **settings):.1f} ms per analysed frame"
                for label, settings in POSE_VARIANTS]
    template = load_template("bird-dog")
    with MediaPipePose() as estimator:
        estimator(frames[0].rgb, 0.0)
        frames.clear()  # the pipeline decodes for itself
        started = time.perf_counter()
        result = analyze_video(clip, template, _Shifted(estimator))
        pipeline = (time.perf_counter() - started) / result.frames
    return pose * 1000, pipeline * 1000, result.frames, variants


class _Shifted:
    """The warmed-up estimator, with the clip's times moved past the warm-up frame."""

    def __init__(self, estimator):
        self.estimator = estimator

    def __call__(self, rgb, t):
        return self.estimator(rgb, t + 1.0)


def run_cli(args: list[str], db: Path) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one `posecheck` run: the largest sum, over
    time, of the resident memory of its process and its worker processes (sampled every 0.2 s)."""
    started = time.perf_counter()
    process = subprocess.Popen(POSECHECK + ["--db", str(db)] + args, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss_kb(process.pid))
        time.sleep(0.2)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"posecheck {' '.join(args)} failed: {process.stderr.read().decode()[-500:]}")
    process.stderr.close()
    return wall, peak / 1024


def tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    parents, rss = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "status").read_text().splitlines()
        except OSError:
            continue
        values = dict(line.split(":", 1) for line in fields if ":" in line)
        parents[int(entry.name)] = int(values.get("PPid", "0").strip())
        rss[int(entry.name)] = int(values.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in values else 0
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in tree)


def first_frame_seconds(clip: Path) -> float:
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", FIRST_FRAME_CHILD, str(clip)], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, cwd=ROOT, text=True)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - started
    child.wait()
    if line.strip() != "first":
        raise RuntimeError("the start-up child did not analyse a frame")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the speed clips")
    parser.add_argument("--long-minutes", type=float, default=10.0)
    parser.add_argument("--batch", type=int, default=20, help="clips in the batch test")
    parser.add_argument("--skip-long", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-speed", action="store_true", help="only the memory and batch parts")
    parser.add_argument("--clips", help="keep the generated clips in this folder and reuse them")
    args = parser.parse_args()
    source = CORPUS_CLIP if CORPUS_CLIP.exists() else SAMPLE
    frames, period = source_frames(source)
    print(f"source {source.name} ({len(frames)} frames, {period:.1f} s), analysing at most "
          f"{ANALYSIS_FPS:g} frames a second, frames scaled to at most {ANALYSIS_MAX_SIDE} px")
    work = Path(args.clips) if args.clips else Path(tempfile.mkdtemp(prefix="posecheck-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "history.db"
    try:
        clips = {
            "640x480 30 fps": make_clip(frames, period, 640, 480, 30, args.seconds, work / "vga30.mp4"),
            "1920x1080 60 fps": make_clip(frames, period, 1920, 1080, 60, args.seconds, work / "hd60.mp4"),
            "1080x1920 30 fps": make_clip(frames, period, 1080, 1920, 30, args.seconds, work / "portrait30.mp4"),
        }
        if not args.skip_speed:
            speed_figures(clips, args.seconds, work, db)
        memory_and_batch(args, frames, period, clips, work, db)
    finally:
        if not args.clips:
            shutil.rmtree(work, ignore_errors=True)


def speed_figures(clips: dict[str, Path], seconds: float, work: Path, db: Path) -> None:
    pose, pipeline, analysed, variants = pose_only_and_pipeline(clips["1920x1080 60 fps"])
    print(f"\nPose inference alone: {pose:.1f} ms per analysed frame ({analysed} frames of the 1080p60 clip)")
    print("\n".join(variants))
    print(f"Whole pipeline (decode, pose, smoothing, signals, engine): {pipeline:.1f} ms per analysed frame")
    print(f"Overhead: pipeline / pose-only = {pipeline / pose:.2f}")

    print(f"\n`posecheck analyze` ({seconds:.0f} s clips; real-time factor = video seconds per wall second)")
    print(f"{'clip':<18} {'plain':>7} {'peak MB':>8} {'--annotate':>11} {'peak MB':>8}")
    for name, clip in clips.items():
        plain, plain_mb = run_cli(["analyze", str(clip), "-e", "bird-dog", "--no-save", "-q"], db)
        drawn, drawn_mb = run_cli(["analyze", str(clip), "-e", "bird-dog", "--no-save", "-q",
                                   "--annotate", str(work / "annotated.mp4")], db)
        print(f"{name:<18} {seconds / plain:>6.2f}x {plain_mb:>8.0f} {seconds / drawn:>10.2f}x {drawn_mb:>8.0f}")

    print(f"\nStart-up to the first analysed frame: {first_frame_seconds(clips['1920x1080 60 fps']):.2f} s")
    model_costs(clips["1920x1080 60 fps"], seconds, db)


def model_costs(clip: Path, seconds: float, db: Path) -> None:
    """The lite, full and heavy models on the same frames, and `posecheck analyze --model` with each
    (their accuracy on the corpus: `posecheck --model NAME eval ../shared/corpus/labels.toml`)."""
    from posecheck.io.model import available_models

    frames = list(read_frames(clip, max_side=ANALYSIS_MAX_SIDE, max_fps=ANALYSIS_FPS))[:150]
    print(f"\nPose models ({len(frames)} frames of the 1080p60 clip; `posecheck analyze` on all of it)")
    print(f"{'model':<7} {'ms/frame':>9} {'analyze':>8}")
    for name in available_models():
        wall, _ = run_cli(["--model", name, "analyze", str(clip), "-e", "bird-dog", "--no-save", "-q"], db)
        print(f"{name:<7} {pose_only_ms(frames, name):>9.1f} {seconds / wall:>7.2f}x")


def memory_and_batch(args, frames, period: float, clips: dict[str, Path], work: Path, db: Path) -> None:
    if not args.skip_long:
        minute = make_clip(frames, period, 1920, 1080, 30, 60, work / "minute.mp4")
        long = make_clip(frames, period, 1920, 1080, 30, args.long_minutes * 60, work / "long.mp4")
        short_wall, short_mb = run_cli(["analyze", str(minute), "-e", "bird-dog", "--no-save", "-q"], db)
        long_wall, long_mb = run_cli(["analyze", str(long), "-e", "bird-dog", "--no-save", "-q"], db)
        print(f"\nPeak memory, 1920x1080 30 fps: 1 minute {short_mb:.0f} MB ({60 / short_wall:.2f}x real time), "
              f"{args.long_minutes:g} minutes {long_mb:.0f} MB ({args.long_minutes * 60 / long_wall:.2f}x); "
              f"ratio {long_mb / short_mb:.2f}")

    if not args.skip_batch:
        folder = work / "batch"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for i in range(args.batch):
            os.link(clips["640x480 30 fps"], folder / f"clip-{i:02d}.mp4")
        total = args.batch * args.seconds
        one, _ = run_cli(["analyze", str(folder), "-e", "bird-dog", "--no-save", "-q", "-j", "1",
                          "--out", str(work / "out1")], db)
        two, _ = run_cli(["analyze", str(folder), "-e", "bird-dog", "--no-save", "-q", "-j", "2",
                          "--out", str(work / "out2")], db)
        print(f"\nBatch of {args.batch} clips (640x480 30 fps, {total:.0f} s of video): 1 worker {one:.0f} s "
              f"({total / one:.2f}x real time), 2 workers {two:.0f} s ({total / two:.2f}x); "
              f"2 workers give {one / two:.2f}x the throughput of 1")


if __name__ == "__main__":
    main()
