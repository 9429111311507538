"""The `posecheck` command line: analyse a video, list exercises, evaluate against labels, and
review or export the session history."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")  # glog only: the absl lines are kept off in estimator.py
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from posecheck.core.reader import DataError  # noqa: E402
from posecheck.io.model import ModelError, resolve_model  # noqa: E402
from posecheck.io.pdf import PdfError  # noqa: E402
from posecheck.io.store import StoreError  # noqa: E402
from posecheck.io.video import VideoError  # noqa: E402

LOCAL_RAY = "default"  # --ray without an address


class UsageError(Exception):
    """The command asks for something this installation cannot do."""


def main(argv: list[str] | None = None) -> int:
    from posecheck.pipeline.memory import limit_malloc_arenas

    limit_malloc_arenas()
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (DataError, VideoError, ModelError, StoreError, UsageError, PdfError, FileNotFoundError) as exc:
        print(f"posecheck: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`posecheck routines | head -1`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="posecheck", description=__doc__)
    parser.add_argument("--model", help="the pose model: lite (fastest), full (the default) or heavy (most "
                        "exact), or a MediaPipe pose .task file; or set $POSECHECK_MODEL")
    parser.add_argument("--exercises-dir", help="folder of exercise templates (default: exercises/)")
    parser.add_argument("--db", help="the history database (default: $POSECHECK_DB, the `database` setting in "
                        "~/.config/posecheck/config.toml, or ~/.local/share/posecheck/history.db)")
    commands = parser.add_subparsers(dest="command", required=True)

    analyze = commands.add_parser("analyze", help="count reps, time holds and check form in a video "
                                  "(or in many: several files or folders, on all cores)")
    analyze.add_argument("videos", nargs="+", metavar="VIDEO", help="a video file, or several, or folders of videos")
    analyze.add_argument("--exercise", "-e", required=True, help="exercise name or template .toml path")
    output = analyze.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON instead of a table")
    output.add_argument("--csv", action="store_true", help="print one CSV row per rep")
    analyze.add_argument("--annotate", metavar="OUT.mp4", help="write the video with skeleton, angles, counter and cues")
    analyze.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    analyze.add_argument("--no-save", action="store_true", help="do not add this analysis to the history")
    analyze.add_argument("--fps", type=float, default=None,
                         help="analyse at most this many frames a second (default 15; 0: every frame)")
    analyze.add_argument("--workers", "-j", type=int, default=None,
                         help="worker threads, each with its own pose model (default: one per core)")
    analyze.add_argument("--ray", nargs="?", const=LOCAL_RAY, metavar="ADDRESS",
                         help="with several videos: hand them to a Ray cluster (the optional `ray` extra; "
                         "without ADDRESS, Ray's own default: $RAY_ADDRESS or a local instance)")
    analyze.add_argument("--out", metavar="DIR", default="posecheck-results",
                         help="with several videos: where each video's JSON and CSV go (default: %(default)s)")
    analyze.set_defaults(run=_analyze)

    exercises = commands.add_parser("exercises", help="list the exercise templates")
    exercises.set_defaults(run=_exercises)

    routines = commands.add_parser("routines", help="list the routines (exercises in order, with reps, holds and "
                                   "rests), the shipped ones and your own (built in the app or imported)")
    routines.set_defaults(run=_routines)

    evaluate = commands.add_parser("eval", help="analyse every labelled clip and compare with the labels")
    evaluate.add_argument("labels", help="a labels.toml (the corpus format)")
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument("--only", help="evaluate only clips whose file name contains this text")
    evaluate.add_argument("--fps", type=float, default=None,
                          help="analyse at most this many frames a second (default 15; 0: every frame)")
    evaluate.set_defaults(run=_eval)

    history = commands.add_parser("history", help="list the stored sessions (or show one, or delete one)")
    history.add_argument("--exercise", "-e", help="only this exercise")
    history.add_argument("--session", "-s", type=int, help="show this session's reps and notes")
    history.add_argument("--delete", type=int, metavar="SESSION", help="delete this session")
    history.add_argument("--json", action="store_true")
    history.set_defaults(run=_history)

    export = commands.add_parser("export", help="write every stored session and rep as CSV or JSON")
    export.add_argument("--output", "-o", help="file to write (default: print); .json means JSON")
    export.add_argument("--format", "-f", choices=["csv", "json"], help="default: from the file name, else csv")
    export.set_defaults(run=_export)

    learn = commands.add_parser("learn", help="teach posecheck a new exercise from one video of it done correctly "
                                "(two or more reps, or one hold): writes an exercise template")
    learn.add_argument("video", metavar="VIDEO", help="the demonstration: one person doing the exercise correctly")
    learn.add_argument("--name", required=True, help="the exercise's name, lower-case words joined by '-' (the "
                       "file is NAME.toml)")
    learn.add_argument("--title", help="the name people read (default: from --name)")
    learn.add_argument("--output", "-o", metavar="FILE.toml", help="where to write the template (default: NAME.toml "
                       "in $POSECHECK_EXERCISES when set, else in your own exercises folder beside the history, "
                       "where the app and `posecheck analyze` find it)")
    learn.add_argument("--force", action="store_true", help="replace the file if it exists")
    learn.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    learn.add_argument("--fps", type=float, default=None,
                       help="analyse at most this many frames a second (default 15; 0: every frame)")
    learn.set_defaults(run=_learn)

    report = commands.add_parser("report", help="a progress report for a period, for your physiotherapist: "
                                 "one printable HTML page (and a PDF with --pdf)")
    report.add_argument("--since", type=_day, metavar="DATE", help="first day, YYYY-MM-DD (default: four weeks before --until)")
    report.add_argument("--until", type=_day, metavar="DATE", help="last day, included, YYYY-MM-DD (default: today)")
    report.add_argument("--output", "-o", default="report.html", metavar="REPORT.html", help="the HTML file to write (default: %(default)s)")
    report.add_argument("--pdf", metavar="REPORT.pdf", help="also print it to a PDF, with headless Chromium")
    report.add_argument("--patient", metavar="NAME", help="the patient's name, for the report's header (default: none)")
    report.add_argument("--clinician", metavar="NAME", help="the clinician's name, for the report's header (default: none)")
    report.set_defaults(run=_report)
    return parser


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date of the form YYYY-MM-DD: {text!r}") from None


def _templates(args):
    from posecheck.io.templates import load_all

    return load_all(args.exercises_dir)


def _template(args, name: str):
    from posecheck.io.templates import load_template

    return load_template(name, args.exercises_dir)


def _max_fps(args) -> float | None:
    """--fps: the default rate when not given, every frame (None) for 0."""
    from posecheck.pipeline.analysis import ANALYSIS_FPS

    return ANALYSIS_FPS if args.fps is None else (args.fps or None)


def _estimator(args):
    from posecheck.pipeline.estimator import MediaPipePose

    return MediaPipePose(model=args.model)


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
    from posecheck.pipeline.batch import video_files

    files = video_files(args.videos)
    if len(files) > 1 or Path(args.videos[0]).is_dir() or args.ray:
        return _analyze_many(args, files)
    from posecheck.pipeline.analysis import analyze_video
    from posecheck.io.store import save_result
    from posecheck.presentation.report import report_text, reps_csv, result_json

    video = files[0]
    template = _template(args, args.exercise)
    update, close = _progress_bar(video.name, args.quiet or args.json or args.csv)
    max_fps = _max_fps(args)
    from posecheck.pipeline.parallel import default_workers

    resolve_model(args.model)  # a missing or wrong model fails here, before any worker starts
    try:
        result = analyze_video(video, template, None, update, args.annotate, max_fps=max_fps,
                               workers=args.workers or default_workers(), model=args.model)
    finally:
        close()
    session_id = None if args.no_save else save_result(_store(args), result, video.name)
    if args.json:
        print(result_json(result))
    elif args.csv:
        print(reps_csv(result.reps), end="")
    else:
        print(report_text(result, template))
        if args.annotate:
            print(f"\nAnnotated video: {args.annotate}")
        if session_id is not None:
            print(f"Saved to the history as session {session_id} (`posecheck history -s {session_id}`).")
    return 0


def _analyze_many(args, files: list[Path]) -> int:
    """Several videos: one worker per core, one progress bar, one summary table, and a JSON and
    a CSV per video in --out; each analysis is stored in the history as its own session."""
    from posecheck.pipeline.batch import output_names
    from posecheck.pipeline.parallel import default_workers
    from posecheck.io.store import save_result
    from posecheck.presentation.report import reps_csv, result_json

    if args.annotate or args.json or args.csv or args.fps is not None:
        raise VideoError("--annotate, --json, --csv and --fps work with one video; with several, "
                         "each video's JSON and CSV are written to --out")
    template = _template(args, args.exercise)  # a broken template fails here, once, not in every worker
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    store = None if args.no_save else _store(args)
    workers = args.workers or default_workers()
    update, close = _progress_bar(f"{len(files)} videos", args.quiet)
    started, rows, failed = time.perf_counter(), [], 0
    names = output_names(files)
    try:
        for item in _batch(args, files, template, workers, update):
            name = item.path.name
            if item.result is None:
                failed += 1
                rows.append((name, "-", "-", "-", item.error))
                continue
            (out / f"{names[item.path]}.json").write_text(result_json(item.result) + "\n", encoding="utf-8")
            (out / f"{names[item.path]}.csv").write_text(reps_csv(item.result.reps), encoding="utf-8")
            summary = item.result.summary()
            holds = summary.holds_s
            if store is not None:
                save_result(store, item.result, name)
            rows.append((name, f"{summary.duration_s:.0f} s", str(summary.reps),
                         f"{max(holds):.0f} s" if holds else "-", "; ".join(summary.warnings) or "ok"))
    finally:
        close()
    width = max(len(r[0]) for r in rows)
    print(f"{'video':<{width}}  {'length':>7}  {'reps':>4}  {'longest hold':>12}  notes")
    for name, length, reps, hold, note in sorted(rows):
        print(f"{name:<{width}}  {length:>7}  {reps:>4}  {hold:>12}  {note}")
    seconds = time.perf_counter() - started
    where = "the Ray cluster" if args.ray else f"{min(workers, len(files))} worker(s)"
    print(f"\n{len(rows) - failed} of {len(rows)} videos analysed in {seconds:.0f} s on {where}; JSON and CSV per video in {out}/" + ("" if store is None else "; each saved to the history"))
    return 1 if failed else 0


def _batch(args, files: list[Path], template, workers: int, update):
    if args.ray:
        import importlib.util

        from posecheck.pipeline.distributed import RAY_MISSING, analyze_on_ray

        if importlib.util.find_spec("ray") is None:
            raise UsageError(RAY_MISSING)

        address = None if args.ray == LOCAL_RAY else args.ray
        return analyze_on_ray(files, template, args.model, address, update)
    from posecheck.pipeline.batch import analyze_many

    return analyze_many(files, template, args.model, workers, update)


def _store(args):
    from posecheck.io.store import Store

    return Store(args.db)


def _history(args) -> int:
    from posecheck.presentation.report import session_data, when

    store = _store(args)
    if args.delete is not None:
        if store.session(args.delete) is None:
            raise StoreError(f"there is no session {args.delete} in {store.path}")
        store.delete_session(args.delete)
        print(f"Deleted session {args.delete}.")
        return 0
    if args.session is not None:
        return _show_session(store, args)
    sessions = [s for s in store.sessions() if not args.exercise or s["exercise"] == args.exercise]
    if args.json:
        print(json.dumps([session_data(s) for s in sessions], indent=2))
        return 0
    if not sessions:
        print(f"No sessions stored yet ({store.path}).")
        return 0
    print(f"{'id':>4}  {'date':<16}  {'exercise':<14} {'source':<6} {'reps':>4} {'holds':>7}  video")
    for s in sessions:
        holds = f"{s['hold_seconds']:.0f} s" if s["hold_seconds"] else "-"
        cut = "" if s["ended_at"] else "  (cut off)"
        print(f"{s['id']:>4}  {when(s['started_at']):<16}  {s['exercise']:<14} {s['source']:<6} {s['rep_count']:>4} "
              f"{holds:>7}  {s['video_name'] or '-'}{cut}")
    return 0


def _show_session(store, args) -> int:
    from posecheck.presentation.report import rep_rows, session_data, when

    session = store.session(args.session)
    if session is None:
        raise StoreError(f"there is no session {args.session} in {store.path}")
    reps = store.reps(args.session)
    if args.json:
        print(json.dumps({**session_data(session), "reps": [r.to_dict() for r in reps], "events": store.events(args.session)},
                         indent=2))
        return 0
    print(f"Session {session['id']}: {session['exercise']}, {session['source']}, {when(session['started_at'])}"
          + (f", {session['video_name']}" if session["video_name"] else ""))
    template = _templates(args).get(session["exercise"])
    for row in rep_rows(reps, template):
        print("  " + "  ".join(f"{k}: {'-' if v is None else v}" for k, v in row.items()))
    if not reps:
        print("  No reps.")
    for event in store.events(args.session):
        if event["kind"] in ("form", "hold"):
            print(f"  {event['time']:6.1f} s  {event['message']}")
    return 0


def _export(args) -> int:
    from posecheck.presentation.report import history_csv, history_json

    fmt = args.format or ("json" if args.output and args.output.lower().endswith(".json") else "csv")
    text = (history_json if fmt == "json" else history_csv)(_store(args))
    if args.output:
        Path(args.output).write_text(text)
        print(f"Wrote {args.output}", file=sys.stderr)
    else:
        print(text, end="" if text.endswith("\n") else "\n")
    return 0


def _report(args) -> int:
    from posecheck.io.routines import load_available_routines
    from posecheck.io.templates import load_available
    from posecheck.presentation.progress_report import Period, ReportError, person_name, progress_report, read_history
    from posecheck.presentation.report_page import report_html

    period = Period.ending(until=args.until, since=args.since)
    if period.since > period.until:
        raise UsageError(f"--since ({period.since}) is after --until ({period.until})")
    try:
        patient, clinician = person_name(args.patient, "patient"), person_name(args.clinician, "clinician")
    except ReportError as exc:
        raise UsageError(str(exc).rstrip(".")) from None
    templates, _ = load_available(args.exercises_dir)
    routines, _ = load_available_routines(templates)
    report = progress_report(read_history(_store(args), period), period, templates, routines,
                             patient=patient, clinician=clinician)
    output = Path(args.output)
    output.write_text(report_html(report), encoding="utf-8")
    print(f"Wrote {output} ({period.since} to {period.until})", file=sys.stderr)
    if args.pdf:
        from posecheck.io.pdf import print_to_pdf

        print_to_pdf(output, Path(args.pdf))
        print(f"Wrote {args.pdf}", file=sys.stderr)
    return 0


def _learn(args) -> int:
    import re

    from posecheck.core.learn import LearnError, learn
    from posecheck.io.detection_cache import DetectionCache
    from posecheck.io.templates import EXERCISES_ENV, load_template_file, shipped_exercise_names, user_exercises_dir
    from posecheck.pipeline.analysis import video_detections

    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", args.name):
        raise UsageError(f"--name must be lower-case words joined by '-' (like 'hip-hinge'), got {args.name!r}")
    folder = os.environ.get(EXERCISES_ENV)
    if not args.output and not folder and args.name in shipped_exercise_names():
        raise UsageError(f"{args.name!r} is the name of a shipped exercise: give the learned one another --name "
                         f"(like 'my-{args.name}')")
    # By default where the app and `posecheck analyze` find it: $POSECHECK_EXERCISES, else the
    # user's exercise folder beside the history (as the app's Teach page saves).
    default_folder = Path(folder) if folder else user_exercises_dir(args.db)
    output = Path(args.output) if args.output else default_folder / f"{args.name}.toml"
    if output.suffix != ".toml" or output.stem != args.name:
        raise UsageError(f"the template must be written to a file named {args.name}.toml (a template's name is its "
                         f"file's name), got {str(output)!r}")
    if output.exists() and not args.force:
        raise UsageError(f"{output} already exists: give --force to replace it, or another --output")
    resolve_model(args.model)
    update, close = _progress_bar(Path(args.video).name, args.quiet)
    try:
        detections, warnings = video_detections(args.video, args.model, _max_fps(args),
                                                DetectionCache.from_environment(), update)
    finally:
        close()
    for warning in warnings:
        print(f"posecheck: warning: {warning}", file=sys.stderr)
    try:
        learned = learn(detections, args.name, args.title, source=Path(args.video).name)
    except LearnError as exc:  # the clip cannot teach an exercise: one sentence, nothing written
        print(f"posecheck: error: {exc}", file=sys.stderr)
        return 2
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(learned.toml, encoding="utf-8")
    load_template_file(output)  # it loads as any template does (it was parsed before it was written)
    print(f"Learned {learned.title!r} from {Path(args.video).name}:")
    for line in learned.findings:
        print(f"  {line}")
    print(f"  Checked: the template counts {learned.self_check} rep(s) in the demonstration itself.")
    print(f"  How sure: {learned.confidence_words} ({learned.confidence:.2f}). What tells it apart from look-alikes "
          "is not learned from one clip (see the file's comments).")
    print(f"Written to {output}")
    return 0


def _exercises(args) -> int:
    from posecheck.io.templates import load_available

    available, broken = load_available(args.exercises_dir)
    name_width = max(map(len, [*available, *broken]), default=0)
    title_width = max((len(t.title) for t in available.values()), default=0)
    for template in available.values():
        hold = f"hold {template.hold.target_seconds:.0f} s" if template.hold else "no hold"
        print(f"{template.name:<{name_width}}  {template.title:<{title_width}}  {hold:<10} {template.summary}")
    for name, problem in broken.items():
        print(f"{name:<{name_width}}  unavailable: {problem}")
    return 1 if broken else 0


def _routines(args) -> int:
    from posecheck.io.routines import load_available_routines, user_routines_dir
    from posecheck.io.templates import load_available
    from posecheck.presentation.report import plan_text, step_text

    available, _ = load_available(args.exercises_dir)
    routines, broken = load_available_routines(available, user_folder=user_routines_dir(args.db))
    for routine in routines.values():
        print(f"{routine.name}: {routine.title} ({routine.situation}, {plan_text(routine.sessions_per_week)})")
        for number, step in enumerate(routine.steps, 1):
            print(f"  {number}. {step_text(step, available[step.exercise])}")
    for name, problem in broken.items():
        print(f"{name}: unavailable: {problem}")
    if not routines and not broken:
        print("No routines found.")
    return 1 if broken else 0


def _eval(args) -> int:
    from tqdm import tqdm

    from posecheck.pipeline.analysis import analyze_video
    from posecheck.pipeline.evaluation import Outcome, load_cases, outcome_of, totals

    max_fps = _max_fps(args)
    templates = _templates(args)
    cases = [c for c in load_cases(args.labels, set(templates)) if not args.only or args.only in c.name]
    outcomes = []
    resolve_model(args.model)  # fail early on a bad model, not after the first clip
    for case in tqdm(cases, desc="clips", disable=args.json or not sys.stderr.isatty(), file=sys.stderr):
        started = time.perf_counter()
        try:
            with _estimator(args) as estimator:
                result = analyze_video(case.file, templates[case.exercise], estimator, max_fps=max_fps)
            outcome = outcome_of(case, result)
        except (VideoError, OSError) as exc:
            outcome = Outcome(case, error=str(exc))
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
    lines = [f"{'clip':<62} {'exercise':<21} {'expect':>6} {'accept':>7} {'found':>5}  {'ok':<4} holds (label -> found)"]
    for o in outcomes:
        accept = f"{o.case.accept[0]}-{o.case.accept[1]}"
        found = "-" if o.found is None else str(o.found)
        holds = ""
        if o.case.holds or o.holds:
            labelled = ", ".join(f"{b - a:.1f}" for a, b in o.case.holds) or "-"
            holds = f"{labelled} -> {', '.join(f'{h:.1f}' for h in o.holds) or '-'}"
        verdict = "ok" if o.passed else ("HOLD" if o.count_passed else "FAIL")
        lines.append(f"{o.case.name[:62]:<62} {o.case.exercise:<21} {o.case.reps:>6} {accept:>7} {found:>5}  {verdict:<4} {holds}")
        if o.error:
            lines.append(f"    error: {o.error}")
    s = summary
    lines += ["", f"passed {s['passed']}/{s['cases']}  exact {s['exact_rate']}  off-by-one {s['off_by_one_rate']}  "
              f"MAE/true {s['relative_mae']}  false reps on negatives {s['false_reps_on_negatives']}  "
              f"hold MAE {s['hold_mae_s']} s"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
