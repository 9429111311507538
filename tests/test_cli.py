"""The command line on the redistributable sample clip (samples/, always present)."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from posecheck.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "bird-dog__polybag.mp4"


@pytest.fixture(scope="module")
def sample_run():
    return subprocess.run([sys.executable, "-m", "posecheck", "analyze", str(SAMPLE), "-e", "bird-dog", "--json"],
                          capture_output=True, text=True, check=True, cwd=ROOT)


@pytest.fixture(scope="module")
def sample_json(sample_run):
    return json.loads(sample_run.stdout)


def test_mediapipe_native_log_lines_stay_off_the_terminal(sample_run):
    # The landmarkers (one per worker thread) start with C++ log lines written straight to
    # descriptor 2; the user must not see them.
    for noise in ("W0000", "XNNPACK", "Feedback manager", "InitGoogle", "NORM_RECT"):
        assert noise not in sample_run.stderr


def test_exercises_lists_the_templates(capsys, templates):
    assert main(["exercises"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(templates) >= 15 and [line.split()[0] for line in lines] == list(templates)
    titles_at = {line.index(t.title) for line, t in zip(lines, templates.values())}
    assert len(titles_at) == 1  # one column of titles, however long the names


def test_analyze_json_counts_the_sample(sample_json):
    summary = sample_json["summary"]
    assert summary["reps"] == 2
    assert sorted(summary["reps_by_side"]) == ["left", "right"]
    assert len(summary["holds_s"]) == 2 and all(2.5 < h < 4.5 for h in summary["holds_s"])
    assert [r["number"] for r in sample_json["reps"]] == [1, 2]
    assert all(r["end"] > r["start"] for r in sample_json["reps"])


def test_analyze_table_csv_and_annotated_video(tmp_path, capsys):
    out_video = tmp_path / "annotated.mp4"
    assert main(["analyze", str(SAMPLE), "-e", "bird-dog", "--annotate", str(out_video), "-q"]) == 0
    text = capsys.readouterr().out
    assert "Reps: 2" in text and "Holds:" in text and "target 15 s" in text
    from posecheck.io.video import probe
    info = probe(out_video)
    # The 14.2 s sample (30 fps) is analysed, and drawn, at 15 frames a second.
    assert info.frame_count and 200 <= info.frame_count <= 220
    assert main(["analyze", str(SAMPLE), "-e", "bird-dog", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 2 and rows[0]["side"] in ("left", "right")


def test_bad_inputs_exit_with_a_clear_message(tmp_path, capsys):
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("hello")
    assert main(["analyze", str(not_video), "-e", "bird-dog"]) == 2
    assert "notes.mp4 is not a video posecheck can read" in capsys.readouterr().err
    assert main(["analyze", str(SAMPLE), "-e", "handstand"]) == 2
    assert "no exercise named 'handstand'" in capsys.readouterr().err
    assert main(["--model", str(tmp_path / "x.task"), "analyze", str(SAMPLE), "-e", "bird-dog"]) == 2
    assert "Pose model file not found" in capsys.readouterr().err


def test_eval_on_the_samples_labels(capsys):
    import tomllib

    clips = len(tomllib.loads((ROOT / "samples" / "labels.toml").read_text())["clip"])
    assert main(["eval", str(ROOT / "samples" / "labels.toml")]) == 0
    assert f"passed {clips}/{clips}" in capsys.readouterr().out
    # the frame rate can be lowered to see what it costs (speed against accuracy)
    assert main(["eval", str(ROOT / "samples" / "labels.toml"), "--fps", "10", "--only", "cat-cow__synth-correct"]) == 0
    assert "passed 1/1" in capsys.readouterr().out


def test_background_analysis_reports_progress_result_and_errors(templates, tmp_path):
    from posecheck.pipeline.analysis import BackgroundAnalysis
    from posecheck.io.store import Store

    store = Store(tmp_path / "h.db")
    job = BackgroundAnalysis(templates["bird-dog"], path=SAMPLE, name=SAMPLE.name, store=store)
    job._thread.join(300)
    assert not job.running and job.progress == 1.0 and job.error == "" and job.seconds > 0
    assert job.drawing_progress == 1.0
    job._set_progress(0.9)  # counted (0.8 of the bar), half the video drawn
    assert abs(job.drawing_progress - 0.5) < 1e-9
    assert len(job.result.reps) == 2 and job.video[4:8] == b"ftyp"  # an MP4 held in memory
    assert len(store.reps(job.session_id)) == 2 and store.session(job.session_id)["series"]
    bad = BackgroundAnalysis(templates["bird-dog"], data=b"not a video at all", name="upload.mp4")
    bad._thread.join(60)
    assert bad.result is None and "upload.mp4 is not a video posecheck can read" in bad.error


def test_the_counts_are_handed_on_before_the_annotated_video_is_drawn(templates, tmp_path):
    # The Analyse page shows (and stores) the counts while the video is still being drawn.
    from posecheck.pipeline.analysis import analyze_video

    annotated = tmp_path / "annotated.mp4"
    seen = []
    final = analyze_video(SAMPLE, templates["bird-dog"], annotate_path=annotated, workers=2,
                          on_counted=lambda result: seen.append((len(result.reps), annotated.exists())))
    assert seen == [(2, False)]  # counted, and no frame drawn yet
    assert len(final.reps) == 2 and annotated.stat().st_size > 10_000


def test_analyze_saves_to_the_history_which_history_and_export_show(tmp_path, capsys):
    db = str(tmp_path / "h.db")
    assert main(["--db", db, "analyze", str(SAMPLE), "-e", "bird-dog", "-q"]) == 0
    assert "Saved to the history as session 1" in capsys.readouterr().out
    assert main(["--db", db, "analyze", str(SAMPLE), "-e", "bird-dog", "-q", "--no-save"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "history"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == 2 and "bird-dog" in listing[1] and SAMPLE.name in listing[1]  # header + 1 session
    assert main(["--db", db, "history", "-s", "1"]) == 0
    detail = capsys.readouterr().out
    assert "Rep: 2" in detail and "held 4 s of 15 s" in detail
    out = tmp_path / "all.json"
    assert main(["--db", db, "export", "-o", str(out)]) == 0
    (session,) = json.loads(out.read_text())["sessions"]
    assert len(session["reps"]) == 2 and session["video"] == SAMPLE.name
    assert main(["--db", db, "export", "--format", "csv"]) == 0
    assert len(list(csv.DictReader(io.StringIO(capsys.readouterr().out)))) == 2
    assert main(["--db", db, "history", "--delete", "1"]) == 0
    assert main(["--db", db, "history", "--delete", "1"]) == 2
    assert "there is no session 1" in capsys.readouterr().err
    assert main(["--db", db, "history"]) == 0
    assert "No sessions stored yet" in capsys.readouterr().out


def test_analyze_a_folder_writes_each_video_and_one_table(tmp_path, capsys):
    folder = tmp_path / "clinic"
    folder.mkdir()
    for name in ("monday.mp4", "tuesday.mp4"):
        (folder / name).symlink_to(SAMPLE)
    (folder / "broken.mp4").write_text("not a video")
    (folder / "notes.txt").write_text("ignored: not a video file")
    out = tmp_path / "results"
    code = main(["--db", str(tmp_path / "h.db"), "analyze", str(folder), "-e", "bird-dog", "-q", "-j", "2",
                 "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 1, "one video could not be analysed"
    assert "2 of 3 videos analysed" in text and "broken.mp4 is not a video posecheck can read" in text
    for name in ("monday", "tuesday"):
        summary = json.loads((out / f"{name}.json").read_text())["summary"]
        assert summary["reps"] == 2
        assert len(list(csv.DictReader(io.StringIO((out / f"{name}.csv").read_text())))) == 2
    assert main(["--db", str(tmp_path / "h.db"), "history", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_one_video_on_two_workers_counts_as_on_one(templates):
    from posecheck.pipeline.analysis import analyze_video

    one = analyze_video(SAMPLE, templates["bird-dog"], workers=1)
    two = analyze_video(SAMPLE, templates["bird-dog"], workers=2)  # two parts of 7 s, in parallel
    assert len(one.reps) == len(two.reps) == 2
    assert [r.side for r in one.reps] == [r.side for r in two.reps]
    assert abs(one.frames - two.frames) <= 1


def test_a_closed_pipe_ends_the_output_quietly():
    """`posecheck routines | true`: the reader is gone before anything is written; no traceback."""
    run = subprocess.run(f"{sys.executable} -m posecheck routines | true; {sys.executable} -m posecheck exercises | true",
                         shell=True, capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr, run.stderr
