"""Does the picture jump where the view watch reports a camera cut? Real cuts against MediaPipe's
3-D flips. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/cut_pictures.py corpus      # every corpus video (cached landmarks)
    .venv/bin/python benchmarks/cut_pictures.py renders     # the generalization core suite's cached clips

The view watch (`core/view_quality.py`) reports a cut when the hips and shoulders turn together on
the 3-D points while the body keeps its shape. In edited real clips that is a cut; in the static
renders it also happens when MediaPipe's 3-D points flip (25 times in the 216 core clips). For each
reported cut this prints the largest picture change within WINDOW seconds of it: the mean absolute
change, in grey levels, of a 64x36 grey thumbnail from one analysed frame to the next. Measured
2026-12-07: the 8 cuts reported on the corpus (7 real cuts and the ball bridge's fade to black)
6.2-16.4; all 25 false cuts of the renders 0.2-0.8; a real clip's median 0.04-2.12, and up to 22.4
with no cut at all (so a jump in the picture can confirm a cut, never make one).
Renders are drawn again for their frames (a few seconds each); landmarks come from the caches of
benchmarks/corpus_engine.py and benchmarks/generalization.py (clips not cached are skipped).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from posecheck.core.view_quality import ViewWatch  # noqa: E402
from posecheck.pipeline.picture_change import PictureChange  # noqa: E402
from posecheck.io.detections import load_detections  # noqa: E402

WINDOW = 0.6  # seconds either side of a reported cut


def picture_changes(frames) -> list[tuple[float, float]]:
    """(time, mean absolute grey change from the previous frame) for each (rgb, time)."""
    change = PictureChange()
    return [(t, change(rgb)) for rgb, t in frames]


def reported_cuts(detections) -> list[float]:
    watch, cuts = ViewWatch(), []
    for detection in detections:
        report = watch.update(detection.poses[0] if detection.poses else None, detection.timestamp)
        if report.cut_at is not None:
            cuts.append(round(report.cut_at, 2))
    return cuts


def line(name: str, cuts: list[float], changes: list[tuple[float, float]]) -> str:
    near = [max((c for t, c in changes if abs(t - cut) <= WINDOW), default=0.0) for cut in cuts]
    values = [c for _, c in changes if c == c]  # the first frame has none
    return (f"{name[:48]:48s} cuts {cuts or '-'}  picture change near each {[round(v, 1) for v in near] or '-'}"
            f"  clip max {max(values):.1f} median {np.median(values):.2f}")


def corpus() -> None:
    import tomllib

    import corpus_engine
    from posecheck.io.video import read_frames

    labels = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "labels.toml"
    files = sorted({c["file"] for c in tomllib.loads(labels.read_text())["clip"] if c["file"].endswith(".mp4")})
    for name in files:
        video = labels.parent / name
        detections = corpus_engine.cached_detections(video)
        frames = ((f.rgb, f.timestamp) for f in read_frames(video, max_side=corpus_engine.ANALYSIS_MAX_SIDE,
                                                             max_fps=corpus_engine.ANALYSIS_FPS))
        print(line(video.stem, reported_cuts(detections), picture_changes(frames)), flush=True)


def renders() -> None:
    import generalization

    for case in generalization.sample_grid(suite="core"):
        script, clip = generalization.resolve_script(case)
        path = generalization.cache_path(script)
        if not path.exists():
            continue
        cuts = reported_cuts(load_detections(path))
        if cuts:
            name = f"{case.exercise} yaw {case.yaw:+.0f} elev {case.elevation}"
            print(line(name, cuts, picture_changes(clip.frames())), flush=True)


if __name__ == "__main__":
    {"corpus": corpus, "renders": renders}[(sys.argv[1:] or ["corpus"])[0]]()
