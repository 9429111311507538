"""How people label a hold: where the key signal is, between rest and the held position, at the
labelled start and end of each hold in the corpus. Sets the renderer's hold labels (HELD_FROM).

    .venv/bin/python benchmarks/hold_convention.py [../shared/corpus/labels.toml]

For each labelled hold of a real clip: the held value is the median of the key signal inside the
hold (0.3 s in from either end), the rest value the far extreme of the 2.5 s before the hold (or
after it, for the end); the printed share is how far from rest to held the signal is at the
labelled moment (1 = already there). Uses the landmark cache of benchmarks/corpus_engine.py.
Single holds scatter widely (labels are +-0.25 s, the landmarks shake, and the ball bridge's
landmarks follow the ball): only the medians mean something. Measured 2026-12-07: 0.86 at the
start (17 holds), 0.94 at the end (16); the renderer uses 0.9 for both.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_engine import cached_detections  # noqa: E402
from posecheck.pipeline.analysis import analyze_detections  # noqa: E402
from posecheck.pipeline.evaluation import load_cases  # noqa: E402
from posecheck.io.templates import load_all  # noqa: E402
from posecheck.synth.motion import HELD_FROM  # noqa: E402


def share_of_the_way(times, values, held_from: float, held_to: float, moment: float, before: bool) -> float | None:
    """How far from rest to the held value the signal is at `moment`."""
    inside = (times >= held_from + 0.3) & (times <= held_to - 0.3)
    window = (times >= moment - 3.0) & (times < moment - 0.5) if before else (times > moment + 0.5) & (times <= moment + 3.0)
    if inside.sum() < 3 or window.sum() < 2:
        return None
    held = float(np.median(values[inside]))
    rest = float(values[window].min() if held > np.median(values[window]) else values[window].max())
    if held == rest:
        return None
    return float((values[np.argmin(abs(times - moment))] - rest) / (held - rest))


def main(argv=None) -> int:
    labels = (argv or sys.argv[1:] or [str(Path(__file__).resolve().parents[2] / "shared/corpus/labels.toml")])[0]
    templates = load_all()
    starts, ends = [], []
    for case in load_cases(labels, set(templates)):
        if not case.holds or case.negative or case.synthetic:
            continue
        result = analyze_detections(((d, None) for d in cached_detections(case.file)), templates[case.exercise])
        series = [(t, v) for t, v in result.series if v is not None]
        times, values = np.array([t for t, _ in series]), np.array([v for _, v in series])
        for start, end in case.holds:
            begin = share_of_the_way(times, values, start, end, start, before=True)
            finish = share_of_the_way(times, values, start, end, end, before=False)
            starts += [begin] if begin is not None else []
            ends += [finish] if finish is not None else []
            shown = ["  -  " if s is None else f"{s:5.2f}" for s in (begin, finish)]
            print(f"{case.name[:56]:56s} [{start:5.1f}, {end:5.1f}]  start {shown[0]}  end {shown[1]}")
    print(f"\nmedian share of the way in at the labelled start: {statistics.median(starts):.2f} ({len(starts)} holds)")
    print(f"median share of the way in at the labelled end:   {statistics.median(ends):.2f} ({len(ends)} holds)")
    print(f"the renderer labels holds from {HELD_FROM:.2f} of the way in to {HELD_FROM:.2f} of the way out")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
