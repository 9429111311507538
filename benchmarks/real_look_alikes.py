"""Every exercise template on every real clip of another exercise: what gets counted that should not.

    .venv/bin/python benchmarks/real_look_alikes.py [../shared/corpus/labels.toml]

The labels name a few negatives (`as`); this runs all of them against all: each shipped template
on each labelled clip whose own exercise is different, from the landmark cache of
benchmarks/corpus_engine.py (the first run detects the clips, about 3 minutes; later runs about
a minute). Prints each (template, clip) pair that counted anything, with the count times, then
how many pairs did. A clip whose exercise includes a second one (the cobra clip ends in a real
downward dog) is listed too: read the times against the clip's notes. Asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_engine import cached_detections  # noqa: E402
from posecheck.pipeline.analysis import analyze_detections  # noqa: E402
from posecheck.io.templates import load_all  # noqa: E402

# Templates that count the same movement as another (a clip of one is no look-alike of the other).
SAME_MOVEMENT = {frozenset({"childs-pose", "shell-stretch"}), frozenset({"knee-to-chest", "double-knee-to-chest"}),
                 frozenset({"wall-squat", "squat"})}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared/corpus/labels.toml"))
    args = parser.parse_args(argv)
    templates = load_all()
    labels = Path(args.labels)
    shown = {}  # each labelled video -> the exercise it shows
    for clip in tomllib.loads(labels.read_text(encoding="utf-8")).get("clip", []):
        file = (labels.parent / clip["file"]).resolve()
        if file.suffix in (".mp4", ".gif") and file.exists() and not clip.get("synthetic"):
            shown.setdefault(file, clip.get("exercise", ""))
    clips = sorted(shown)
    pairs = counted = 0
    for clip in clips:
        detections = cached_detections(clip)
        for name, template in sorted(templates.items()):
            own = shown.get(clip)
            if own == name or frozenset({own, name}) in SAME_MOVEMENT:
                continue
            pairs += 1
            result = analyze_detections(((d, None) for d in detections), template)
            if result.reps:
                counted += 1
                times = ", ".join(f"{rep.counted_at:.1f}" for rep in result.reps)
                print(f"{name:22s} on {clip.name:58s} {len(result.reps)} at {times} s")
    print(f"{counted} of {pairs} (template, clip of another exercise) pairs counted something")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
