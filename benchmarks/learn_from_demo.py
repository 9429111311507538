"""Learning an exercise from one demonstration (issue 26): does a template learned from one clip
count the other clips of the same exercise, and leave its look-alikes at zero?

    .venv/bin/python benchmarks/learn_from_demo.py [--only EXERCISE] [--renders N] [--no-renders]
        [--labels ../shared/corpus/labels.toml] [--json OUT]

Real clips (`../shared/corpus/`, labels in its labels.toml; never copied into the repository): for
each exercise (cat-cow, bird-dog, knee-to-chest, glute-bridge, child's pose), each labelled clip of
it in turn is the demonstration: `posecheck.core.learn.learn` writes a template from it, and that
template counts every OTHER labelled clip of the exercise (within its accept range?) and every clip
the labels name as its negative (`as = { exercise = 0 }`: must count 0), beside the hand-written
template's counts on the same clips. A clip the learner refuses (LearnError) is listed with its
sentence. The landmarks come from the test cache (~/.cache/posecheck/test-detections, as
tests/test_corpus.py fills it: same frame size, rate and model; the entry with or without the
silhouette, whichever is there: their landmarks are identical), so nothing runs MediaPipe unless a
clip was never analysed.

Renders (`posecheck.synth`): per exercise, one demonstration rendered side-on (yaw 0, the default
body, 3 reps, or 2 held ones) is learned, and the learned template counts N renders (default 8) at
other views and people: yaw stratified over -45..+45 degrees, a floor-level or raised camera (up
to 25 degrees down), height 1.50-1.95 m, girth 0.85-1.25, 0.8-2.5 s moves, holds 1-8 s, range of
motion 70-115 %, facing either way (seeded, so the same clips each run); beside the hand-written
template's counts. Plus the look-alike renders the generalization benchmark has cached for these
templates (none is rendered here). Landmarks are cached in ~/.cache/posecheck/generalization
(benchmarks/generalization.py's cache, the same key), so a re-run only runs the engine. One
worker: MediaPipe never runs twice at once.

Prints, per exercise and demonstration: what was learned (key signal, kind, reps, confidence),
the other real clips counted within their accept range by the learned and by the hand-written
template, and the negatives left at zero; then the renders; then the shares. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import zlib
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402

from posecheck.core.learn import LearnError, learn  # noqa: E402
from posecheck.io.detection_cache import DetectionCache, file_digest  # noqa: E402
from posecheck.io.templates import load_all  # noqa: E402
from posecheck.pipeline.analysis import (ANALYSIS_FPS, ANALYSIS_MAX_SIDE, analyze_detections,  # noqa: E402
                                         cached_detections)
from posecheck.pipeline.evaluation import load_cases  # noqa: E402

EXERCISES = ("cat-cow", "bird-dog", "knee-to-chest", "glute-bridge", "childs-pose")
TEST_CACHE = Path(os.environ.get("POSECHECK_TEST_CACHE", Path.home() / ".cache" / "posecheck" / "test-detections"))
LABELS = ROOT.parent / "shared" / "corpus" / "labels.toml"


# ----- real clips -----------------------------------------------------------------------------

def clip_detections(path: Path, cache: DetectionCache, outline: bool):
    """The clip's landmarks as tests/test_corpus.py cached them (`analyze_video(..., cache=...)`'s
    key). The entries with and without the silhouette hold the same landmarks: one not needing the
    silhouette takes either; one needing it runs MediaPipe if only the other is there."""
    from posecheck.io.video import check_video
    from posecheck.pipeline.estimator import estimator_identity

    digest = file_digest(path)
    for flag in ((True,) if outline else (False, True)):
        key = cache.key(video=digest, max_side=ANALYSIS_MAX_SIDE, max_fps=ANALYSIS_FPS,
                        **estimator_identity(None, outline=flag))
        found = cache.load(key)
        if found is not None:
            return found[0]
    return cached_detections(path, check_video(path), cache, outline, None, ANALYSIS_FPS, [])


def count(detections, template) -> int:
    return len(analyze_detections(((d, None) for d in detections), template).reps)


def corpus_rows(exercise: str, cases, templates, cache) -> list[dict]:
    positives = [c for c in cases if c.exercise == exercise and not c.negative]
    negatives = [c for c in cases if c.exercise == exercise and c.negative]
    hand = templates[exercise]
    found = {c.name: count(clip_detections(c.file, cache, hand.reads_outline), hand) for c in positives + negatives}
    plain = {c.name: clip_detections(c.file, cache, False) for c in positives + negatives}
    rows = []
    for demo in positives:
        row = {"exercise": exercise, "demo": demo.file.name, "others": [], "negatives": []}
        try:
            learned = learn(plain[demo.name], exercise.replace("-", "_").replace("_", "-") + "-learned",
                            source=demo.file.name)
        except LearnError as exc:
            row["refused"] = str(exc)
            rows.append(row)
            continue
        template = learned.template()
        row.update(key=learned.key.name, kind=learned.kind, reps=len(learned.reps), self_check=learned.self_check,
                   confidence=learned.confidence)
        for other in positives:
            if other is demo:
                continue
            n = count(plain[other.name], template)
            row["others"].append({"clip": other.file.name, "accept": list(other.accept), "learned": n,
                                  "hand": found[other.name]})
        for negative in negatives:
            row["negatives"].append({"clip": negative.file.name, "learned": count(plain[negative.name], template),
                                     "hand": found[negative.name]})
        rows.append(row)
    return rows


def within(entry: dict, which: str) -> bool:
    low, high = entry["accept"]
    return low <= entry[which] <= high


# ----- renders --------------------------------------------------------------------------------

def demo_case(exercise: str):
    import generalization as g

    hold = 4.0 if exercise == "childs-pose" else 1.5
    return g.Case(exercise=exercise, template=exercise, yaw=0.0, move=1.5, hold=hold * g.KEY_POSES.get(exercise, 1),
                  seed=7)


def render_cases(exercise: str, n: int, seed: int = 26):
    """n renders of `exercise` in bounds, stratified over yaw and the rest (seeded)."""
    import generalization as g
    from posecheck.synth import Build

    rng = np.random.default_rng([seed, zlib.crc32(exercise.encode())])
    yaws = g.stratified(rng, n, -45.0, 45.0)
    elevations = g.stratified(rng, n, -15.0, 25.0)
    depths = g.stratified(rng, n, 0.7, 1.15)
    moves = g.stratified(rng, n, 0.8, 2.5)
    holds = 1.0 * 8.0 ** g.stratified(rng, n, 0.0, 1.0)
    cases = []
    for i in range(n):
        build = Build(height=round(rng.uniform(1.5, 1.95), 2), girth=round(rng.uniform(0.85, 1.25), 2),
                      legs=round(rng.uniform(0.9, 1.1), 2), arms=round(rng.uniform(0.9, 1.1), 2))
        cases.append(g.Case(
            exercise=exercise, template=exercise, yaw=round(float(yaws[i]), 1),
            elevation=None if elevations[i] < 0 else round(float(elevations[i]), 1), far=bool(rng.random() < 0.4),
            depth=round(float(depths[i]), 2), move=round(float(moves[i]), 2),
            hold=round(float(holds[i]) * g.KEY_POSES.get(exercise, 1), 2), facing=str(rng.choice(["left", "right"])),
            build=build, top=g._pick(rng, g.TOPS), bottom=g._pick(rng, g.BOTTOMS), skin=g._pick(rng, g.SKINS),
            hair=g._pick(rng, g.HAIRS), hair_style=str(rng.choice(["short", "bun"])),
            seed=int(rng.integers(1_000_000))))
    return cases


def render_detections(case, reps: int | None = None):
    """The case's landmarks from the generalization benchmark's cache, rendered and detected once."""
    import generalization as g
    from posecheck.io.detections import load_detections

    script, clip = g.resolve_script(case)
    if reps is not None:
        from posecheck.synth.clip import Clip

        script = script.with_(reps=reps)
        clip = Clip(script)
    path = g.cache_path(script)
    if not path.exists():
        g.detect(clip, path)
    return load_detections(path), int(clip.labels["reps"])


def cached_look_alikes(exercise: str):
    """The generalization benchmark's look-alike renders counted with `exercise`, where cached."""
    import generalization as g

    found = []
    for suite in g.SUITES:
        for case in g.sample_grid(suite=suite):
            if case.look_alike and case.template == exercise:
                script, _ = g.resolve_script(case)
                if g.cache_path(script).exists():
                    found.append(case)
    return found


def render_rows(exercise: str, n: int, templates) -> dict:
    from posecheck.io.detections import load_detections
    import generalization as g

    demo = demo_case(exercise)
    demo_detections, demo_reps = render_detections(demo, reps=2 if exercise == "childs-pose" else 3)
    row = {"exercise": exercise, "demo": f"yaw 0, {demo_reps} reps", "renders": [], "look_alikes": []}
    try:
        learned = learn(demo_detections, f"{exercise}-learned", source="render")
    except LearnError as exc:
        row["refused"] = str(exc)
        return row
    template = learned.template()
    row.update(key=learned.key.name, kind=learned.kind, reps=len(learned.reps), self_check=learned.self_check,
               confidence=learned.confidence)
    for case in render_cases(exercise, n):
        detections, reps = render_detections(case)
        row["renders"].append({"yaw": case.yaw, "elevation": case.elevation, "depth": case.depth, "hold": case.hold,
                               "expected": reps, "learned": count(detections, template),
                               "hand": count(detections, templates[exercise])})
    for case in cached_look_alikes(exercise):
        script, _ = g.resolve_script(case)
        detections = load_detections(g.cache_path(script))
        row["look_alikes"].append({"motion": case.exercise, "yaw": case.yaw, "learned": count(detections, template),
                                   "hand": count(detections, templates[exercise])})
    return row


# ----- report ---------------------------------------------------------------------------------

def share(k: int, n: int) -> str:
    return f"{k}/{n}" + (f" ({100 * k / n:.0f} %)" if n else "")


def report(corpus: list[dict], renders: list[dict]) -> str:
    lines = ["Real clips: learned from one clip, counting the exercise's other labelled clips (within accept) and",
             "its negatives (0), beside the hand-written template on the same clips", "",
             f"{'exercise':14} {'demonstration':50} {'learned: key, kind, reps, conf':42} {'others learned':>14} "
             f"{'others hand':>12} {'neg. learned':>12} {'neg. hand':>10}"]
    totals = dict(learned=0, hand=0, n=0, neg_learned=0, neg_hand=0, neg_n=0)
    for row in corpus:
        if "refused" in row:
            lines.append(f"{row['exercise']:14} {row['demo'][:50]:50} refused: {row['refused']}")
            continue
        others, negatives = row["others"], row["negatives"]
        ok_l = sum(within(o, "learned") for o in others)
        ok_h = sum(within(o, "hand") for o in others)
        neg_l = sum(o["learned"] == 0 for o in negatives)
        neg_h = sum(o["hand"] == 0 for o in negatives)
        totals["learned"] += ok_l
        totals["hand"] += ok_h
        totals["n"] += len(others)
        totals["neg_learned"] += neg_l
        totals["neg_hand"] += neg_h
        totals["neg_n"] += len(negatives)
        what = f"{row['key']}, {row['kind']}, {row['reps']} ({row['self_check']}), {row['confidence']:.2f}"
        lines.append(f"{row['exercise']:14} {row['demo'][:50]:50} {what[:42]:42} {ok_l:>6}/{len(others):<7} "
                     f"{ok_h:>5}/{len(others):<6} {neg_l:>5}/{len(negatives):<6} {neg_h:>4}/{len(negatives):<5}")
        misses = [f"{o['clip']} {o['learned']} (accept {o['accept'][0]}-{o['accept'][1]})" for o in others
                  if not within(o, "learned")]
        misses += [f"{o['clip']} (negative) {o['learned']}" for o in negatives if o["learned"]]
        if misses:
            lines.append(f"{'':16}missed: " + "; ".join(misses))
    refused = sum("refused" in row for row in corpus)
    lines += ["", f"Other real clips within accept: learned {share(totals['learned'], totals['n'])}, "
              f"hand-written {share(totals['hand'], totals['n'])} (same pairs); negatives at 0: learned "
              f"{share(totals['neg_learned'], totals['neg_n'])}, hand-written {share(totals['neg_hand'], totals['neg_n'])}; "
              f"demonstrations refused: {refused} of {len(corpus)}"]
    if renders:
        lines += ["", "Renders: learned from one side-on render, counting renders at yaw -45..+45, other bodies, "
                  "tempos, holds and ranges", "",
                  f"{'exercise':14} {'learned: key, kind, reps, conf':42} {'exact learned':>14} {'exact hand':>11} "
                  f"{'within 1':>9} {'look-alikes 0: learned':>22} {'hand':>6}"]
        tot = dict(learned=0, hand=0, n=0, one=0, la=0, lh=0, ln=0)
        for row in renders:
            if "refused" in row:
                lines.append(f"{row['exercise']:14} refused: {row['refused']}")
                continue
            rs, la = row["renders"], row["look_alikes"]
            exact_l = sum(r["learned"] == r["expected"] for r in rs)
            exact_h = sum(r["hand"] == r["expected"] for r in rs)
            one = sum(abs(r["learned"] - r["expected"]) <= 1 for r in rs)
            la_l, la_h = sum(r["learned"] == 0 for r in la), sum(r["hand"] == 0 for r in la)
            for key, value in (("learned", exact_l), ("hand", exact_h), ("n", len(rs)), ("one", one), ("la", la_l),
                               ("lh", la_h), ("ln", len(la))):
                tot[key] += value
            what = f"{row['key']}, {row['kind']}, {row['reps']} ({row['self_check']}), {row['confidence']:.2f}"
            lines.append(f"{row['exercise']:14} {what[:42]:42} {exact_l:>6}/{len(rs):<7} {exact_h:>5}/{len(rs):<5} "
                         f"{one:>5}/{len(rs):<3} {la_l:>14}/{len(la):<7} {la_h:>3}/{len(la):<3}")
            wrong = [f"yaw {r['yaw']:+.0f} elev {r['elevation'] if r['elevation'] is not None else 'floor'} depth "
                     f"{r['depth']} hold {r['hold']}: {r['learned']} of {r['expected']}" for r in rs
                     if r["learned"] != r["expected"]]
            wrong += [f"{r['motion']} yaw {r['yaw']:+.0f}: {r['learned']}" for r in la if r["learned"]]
            if wrong:
                lines.append(f"{'':16}wrong: " + "; ".join(wrong))
        lines += ["", f"Renders counted exactly: learned {share(tot['learned'], tot['n'])}, hand-written "
                  f"{share(tot['hand'], tot['n'])}; learned within one: {share(tot['one'], tot['n'])}; "
                  f"look-alike renders at 0: learned {share(tot['la'], tot['ln'])}, hand-written {share(tot['lh'], tot['ln'])}"]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default=str(LABELS))
    parser.add_argument("--only", default="", help="only exercises whose name contains this")
    parser.add_argument("--renders", type=int, default=8, help="renders counted per exercise (default 8)")
    parser.add_argument("--no-renders", action="store_true", help="real clips only")
    parser.add_argument("--no-corpus", action="store_true", help="renders only")
    parser.add_argument("--json", help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    started = time.monotonic()
    templates = load_all(ROOT / "exercises")
    exercises = [e for e in EXERCISES if args.only in e]
    corpus: list[dict] = []
    if not args.no_corpus and Path(args.labels).exists():
        cache = DetectionCache(TEST_CACHE)
        cases = load_cases(args.labels, set(templates))
        for exercise in exercises:
            corpus += corpus_rows(exercise, cases, templates, cache)
    elif not args.no_corpus:
        print(f"(no corpus at {args.labels}: real clips skipped)")
    renders = [] if args.no_renders else [render_rows(e, args.renders, templates) for e in exercises]
    print(report(corpus, renders))
    print(f"\n{time.monotonic() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"corpus": corpus, "renders": renders}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
