"""Re-run the engine on the corpus from cached landmarks: seconds instead of minutes per run.

    .venv/bin/python benchmarks/corpus_engine.py [../shared/corpus/labels.toml] [--only TEXT]

The first run detects the landmarks of every labelled clip with MediaPipe (as `posecheck analyze`
does: same frame size and model) and caches them in ~/.cache/posecheck/detections; later runs
only run the engine. The cache key is the clip's name, size and modification time, so a changed
clip is detected again. `posecheck eval` remains the reference (it runs the model every time).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.pipeline.analysis import ANALYSIS_FPS, ANALYSIS_MAX_SIDE, analyze_detections  # noqa: E402
from posecheck.pipeline.evaluation import load_cases, outcome_of, totals  # noqa: E402
from posecheck.io.detections import has_outline, load_detections, save_detections  # noqa: E402
from posecheck.io.templates import load_all  # noqa: E402
from posecheck.io.video import read_frames  # noqa: E402

CACHE = Path.home() / ".cache" / "posecheck" / "detections"


def cached_detections(video: Path, max_side: int = ANALYSIS_MAX_SIDE, max_fps: float | None = ANALYSIS_FPS):
    stat = video.stat()
    key = hashlib.sha1(f"{video.name}:{stat.st_size}:{stat.st_mtime_ns}:{max_side}:{max_fps}:w".encode()).hexdigest()[:16]
    path = CACHE / f"{video.stem}-{key}.npz"
    if not (path.exists() and has_outline(path)):  # files from before the outline are re-detected
        from posecheck.pipeline.estimator import MediaPipePose

        CACHE.mkdir(parents=True, exist_ok=True)
        with MediaPipePose() as estimator:
            detections = [estimator(f.rgb, f.timestamp)
                          for f in read_frames(video, max_side=max_side, max_fps=max_fps)]
        save_detections(path, detections)
    return load_detections(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared/corpus/labels.toml"))
    parser.add_argument("--only", default="")
    parser.add_argument("--fps", type=float, default=ANALYSIS_FPS, help="analysed frames a second (0: all)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print each clip's events")
    args = parser.parse_args(argv)
    templates = load_all()
    cases = [c for c in load_cases(args.labels, set(templates)) if args.only in c.file.name]
    outcomes = []
    for case in cases:
        started = time.monotonic()
        detections = cached_detections(case.file, max_fps=args.fps or None)
        result = analyze_detections(((d, None) for d in detections), templates[case.exercise])
        outcome = outcome_of(case, result, seconds=time.monotonic() - started)
        outcomes.append(outcome)
        mark = "ok " if outcome.passed else "BAD"
        holds = ", ".join(f"{h:.1f}" for h in outcome.holds)
        print(f"{mark} {case.name:70s} label {case.reps:2d} found {outcome.found:2d}  holds {holds}")
        if args.verbose:
            for event in result.events:
                if event.kind in ("rep", "rep_done", "hold", "form", "guidance", "phase"):
                    print(f"      {event.time:6.2f} {event.kind:9s} {event.code:14s} {event.message}")
    print(totals(outcomes))
    return 0 if all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
