"""The `posecheck` command line: analyze a video, list exercises, evaluate against labels."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")  # keep MediaPipe's C++ logging quiet
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from posecheck.core.template import TemplateError  # noqa: E402
from posecheck.io.model import ModelError, resolve_model  # noqa: E402
from posecheck.io.video import VideoError  # noqa: E402

REP_COLUMNS = ["number", "side", "start", "counted_at", "end", "range_of_motion", "peak",
               "hold_seconds", "faults", "notes"]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (TemplateError, VideoError, ModelError, FileNotFoundError) as exc:
        print(f"posecheck: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="posecheck", description=__doc__)
    parser.add_argument("--model", help="a MediaPipe pose .task file (default: the bundled full model; "
                        "or set $POSECHECK_MODEL)")
    parser.add_argument("--exercises-dir", help="folder of exercise templates (default: exercises/)")
    commands = parser.add_subparsers(dest="command", required=True)

    analyze = commands.add_parser("analyze", help="count reps, time holds and check form in a video")
    analyze.add_argument("video")
    analyze.add_argument("--exercise", "-e", required=True, help="exercise name or template .toml path")
    output = analyze.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON instead of a table")
    output.add_argument("--csv", action="store_true", help="print one CSV row per rep")
    analyze.add_argument("--annotate", metavar="OUT.mp4", help="write the video with skeleton, angles, counter and cues")
    analyze.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    analyze.set_defaults(run=_analyze)

    exercises = commands.add_parser("exercises", help="list the exercise templates")
    exercises.set_defaults(run=_exercises)

    evaluate = commands.add_parser("eval", help="analyse every labelled clip and compare with the labels")
    evaluate.add_argument("labels", help="a labels.toml (the corpus format)")
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument("--only", help="evaluate only clips whose file name contains this text")
    evaluate.set_defaults(run=_eval)
    return parser


def _templates(args):
    from posecheck.io.templates import load_all

    return load_all(args.exercises_dir)


def _template(args, name: str):
    from posecheck.io.templates import load_template

    return load_template(name, args.exercises_dir)


def _estimator(args):
    from posecheck.estimator import MediaPipePose

    return MediaPipePose(model_path=args.model)


def _progress_bar(label: str, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=100, desc=label, unit="%", leave=False, file=sys.stderr,
               bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}")

    def update(fraction: float) -> None:
        bar.n = round(fraction * 100)
        bar.refresh()

    return update, bar.close


def _analyze(args) -> int:
    from posecheck.analysis import analyze_video

    template = _template(args, args.exercise)
    update, close = _progress_bar(Path(args.video).name, args.quiet or args.json or args.csv)
    with _estimator(args) as estimator:
        try:
            result = analyze_video(args.video, template, estimator, update, args.annotate)
        finally:
            close()
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    elif args.csv:
        print(reps_csv(result.reps), end="")
    else:
        print(report_text(result, template))
        if args.annotate:
            print(f"\nAnnotated video: {args.annotate}")
    return 0


def reps_csv(reps) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REP_COLUMNS)
    for rep in reps:
        row = rep.to_dict()
        writer.writerow(["; ".join(row[c]) if isinstance(row[c], list) else
                         ("" if row[c] is None else row[c]) for c in REP_COLUMNS])
    return out.getvalue()


def report_text(result, template) -> str:
    lines = [f"{template.title}: {Path(result.source).name}  ({result.duration:.1f} s, "
             f"{result.frames} frames, person found in {result.summary()['person_found_in']:.0%})", ""]
    if result.reps:
        lines.append(f"{'rep':>3}  {'side':<6} {'start':>6} {'end':>6}  {'range':>6}  {'hold':>6}  faults")
        for rep in result.reps:
            end = f"{rep.end:6.1f}" if rep.end is not None else "     -"
            rom = f"{rep.range_of_motion:5.0f}°" if rep.range_of_motion is not None else "     -"
            hold = f"{rep.hold_seconds:5.1f}s" if rep.hold_seconds is not None else "     -"
            faults = ", ".join(rep.faults + rep.notes) or "-"
            lines.append(f"{rep.number:>3}  {rep.side or '-':<6} {rep.start:6.1f} {end}  {rom}  {hold}  {faults}")
    else:
        lines.append("No reps counted.")
    lines.append("")
    by_side = ", ".join(f"{side}: {n}" for side, n in result.reps_by_side().items() if side != "all")
    lines.append(f"Reps: {len(result.reps)}" + (f" ({by_side})" if by_side else ""))
    if result.holds:
        target = f" (target {result.hold_target:.0f} s)" if result.hold_target else ""
        lines.append("Holds: " + ", ".join(f"{e.seconds:.1f} s" for e in result.holds) + target)
    for message in dict.fromkeys(e.message for e in result.faults):
        lines.append(f"Form: {message}")
    for message in dict.fromkeys(e.message for e in result.guidance):
        lines.append(f"Guidance: {message}")
    for warning in result.warnings:
        lines.append(f"Warning: {warning}")
    return "\n".join(lines)


def _exercises(args) -> int:
    for template in _templates(args).values():
        hold = f"hold {template.hold.target_seconds:.0f} s" if template.hold else "no hold"
        print(f"{template.name:<16} {template.title:<16} {hold:<10} {template.summary}")
    return 0


def _eval(args) -> int:
    from tqdm import tqdm

    from posecheck.analysis import analyze_video
    from posecheck.evaluation import Outcome, load_cases, totals

    templates = _templates(args)
    cases = [c for c in load_cases(args.labels, set(templates)) if not args.only or args.only in c.name]
    outcomes = []
    resolve_model(args.model)  # fail early on a bad model, not after the first clip
    for case in tqdm(cases, desc="clips", disable=args.json or not sys.stderr.isatty(), file=sys.stderr):
        outcome = Outcome(case)
        started = time.perf_counter()
        try:
            with _estimator(args) as estimator:
                result = analyze_video(case.file, templates[case.exercise], estimator)
            outcome.found = len(result.reps)
            outcome.holds = [e.seconds for e in result.holds]
            outcome.sides = [r.side for r in result.reps]
            outcome.out_of_frame = any(e.code == "out_of_frame" for e in result.guidance)
        except (VideoError, OSError) as exc:
            outcome.error = str(exc)
        outcome.seconds = time.perf_counter() - started
        outcomes.append(outcome)
    summary = totals(outcomes)
    if args.json:
        print(json.dumps({"cases": [_outcome_dict(o) for o in outcomes], "totals": summary}, indent=2))
    else:
        print(eval_table(outcomes, summary))
    return 0 if summary["passed"] == summary["cases"] else 1


def _outcome_dict(o) -> dict:
    return {"clip": o.case.name, "exercise": o.case.exercise, "expected": o.case.reps,
            "accept": list(o.case.accept), "found": o.found, "passed": o.passed,
            "holds_expected": [round(b - a, 2) for a, b in o.case.holds], "holds_found": o.holds,
            "sides_expected": list(o.case.sides), "sides_found": o.sides, "error": o.error}


def eval_table(outcomes, summary) -> str:
    lines = [f"{'clip':<62} {'exercise':<14} {'expect':>6} {'accept':>7} {'found':>5}  {'ok':<4} holds (label -> found)"]
    for o in outcomes:
        accept = f"{o.case.accept[0]}-{o.case.accept[1]}"
        found = "-" if o.found is None else str(o.found)
        holds = ""
        if o.case.holds or o.holds:
            labelled = ", ".join(f"{b - a:.1f}" for a, b in o.case.holds) or "-"
            holds = f"{labelled} -> {', '.join(f'{h:.1f}' for h in o.holds) or '-'}"
        verdict = "ok" if o.passed else "FAIL"
        lines.append(f"{o.case.name[:62]:<62} {o.case.exercise:<14} {o.case.reps:>6} {accept:>7} {found:>5}  {verdict:<4} {holds}")
        if o.error:
            lines.append(f"    error: {o.error}")
    s = summary
    lines += ["", f"passed {s['passed']}/{s['cases']}  exact {s['exact_rate']}  off-by-one {s['off_by_one_rate']}  "
              f"MAE/true {s['relative_mae']}  false reps on negatives {s['false_reps_on_negatives']}  "
              f"hold MAE {s['hold_mae_s']} s"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
