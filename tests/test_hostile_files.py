"""Odd and hostile video files on the command line: each one is analysed correctly, or stops with
one clear sentence (exit 2, one line on stderr, no traceback, nothing else).

The files are made here from the rendered knee-to-chest sample (one rep): re-encoded at other
frame rates, pixel formats, sizes and rotations, renamed, cut, or replaced by something that is
not a video. This proves the reading and checking of files; it does not prove that MediaPipe
finds people in real footage of such formats (the corpus tests do that for real clips).
"""

import json

import pytest

import media
from posecheck.cli import main

NATIVE_NOISE = ("W0000", "I0000", "XNNPACK", "Feedback manager", "Traceback")


@pytest.fixture(scope="module")
def frames():
    return media.source_frames()


def run(capfd, *args):
    code = main(["analyze", *map(str, args), "-e", "knee-to-chest", "--no-save", "-q"])
    out, err = capfd.readouterr()
    return code, out, err


def analysed(capfd, path) -> dict:
    code, out, err = run(capfd, path, "--json")
    assert code == 0, err
    assert err == "", f"stderr should stay empty, got: {err!r}"
    return json.loads(out)["summary"]


@pytest.mark.parametrize("make", [
    pytest.param(lambda d, f: media.write(d / "vfr.mp4", media.variable_rate(f)), id="variable frame rate"),
    pytest.param(lambda d, f: media.write(d / "fast.mp4", media.high_rate(f, 6), rate=120), id="120 fps"),
    pytest.param(lambda d, f: media.write(d / "grey.mp4", f, pix_fmt="gray"), id="greyscale"),
    pytest.param(lambda d, f: media.write(d / "deep.mp4", f, pix_fmt="yuv420p10le"), id="10-bit"),
    pytest.param(lambda d, f: media.write(d / "Übung – Knie zur Brust 膝.mp4", f), id="non-ASCII name"),
    pytest.param(lambda d, f: media.write(d / ("k" * 240 + ".mp4"), f), id="240-character name"),
])
def test_odd_but_valid_videos_are_analysed_and_counted(tmp_path, frames, capfd, make):
    summary = analysed(capfd, make(tmp_path, frames))
    assert summary["reps"] == media.SOURCE_REPS
    assert summary["warnings"] == []
    assert len(summary["holds_s"]) == 1 and summary["holds_s"][0] > 5


def test_a_4k_video_is_scaled_down_and_the_person_found(tmp_path, frames, capfd):
    from posecheck.io.video import probe, read_frames

    path = media.write(tmp_path / "uhd.mp4", frames[40:80], rate=20, size=(3840, 2160))
    assert (probe(path).width, probe(path).height) == (3840, 2160)
    assert next(read_frames(path, max_side=960)).rgb.shape == (540, 960, 3)
    summary = analysed(capfd, path)
    assert summary["person_found_in"] > 0.9 and summary["warnings"] == []


def test_a_rotated_phone_video_is_turned_upright_and_counted(tmp_path, frames, capfd):
    from posecheck.io.video import read_frames

    path = media.write(tmp_path / "phone.mp4", media.stored_sideways(frames), rotation=media.PHONE_ROTATION)
    first = next(read_frames(path)).rgb
    assert first.shape == frames[0][1].shape  # stored sideways, read upright
    assert abs(first.astype(int) - frames[0][1].astype(int)).mean() < 8
    assert analysed(capfd, path)["reps"] == media.SOURCE_REPS


def test_a_cut_off_file_is_analysed_up_to_the_cut_and_says_so_with_both_lengths(tmp_path, frames, capfd):
    whole = media.write(tmp_path / "whole.mp4", frames, faststart=True)
    cut = media.truncated(tmp_path / "cut.mp4", whole, keep=0.5)
    code, out, err = run(capfd, cut)
    assert code == 0 and err == ""
    assert "cut.mp4 ends early: only " in out and "of its 17.5 s could be read" in out
    read = float(out.split("ends early: only ")[1].split(" s")[0])
    assert 4.0 < read < 13.0


def written(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make, message", [
    (lambda d: written(d / "empty.mp4", b""), "empty.mp4 is empty (0 bytes)"),
    (lambda d: written(d / "notes.mp4", b"not a video\n" * 50), "notes.mp4 is not a video posecheck can read"),
    (lambda d: media.audio_only(d / "voice.mp4"), "voice.mp4 has no video in it (only audio)"),
    (lambda d: media.picture(d / "photo.mp4", ".jpg"), "photo.mp4 is a still picture (JPEG), not a video"),
    (lambda d: media.picture(d / "screen.mp4", ".png"), "screen.mp4 is a still picture (PNG), not a video"),
    (lambda d: media.write(d / "slides.mp4", media.source_frames(every=20), rate=1),
     "slides.mp4 has only 1.0 frames a second: too few to follow a movement"),
    (lambda d: media.write(d / "blink.mp4", media.source_frames()[:10]), "blink.mp4 is only 0.5 s long"),
    (lambda d: d / "nowhere.mp4", "Video file not found"),
])
def test_files_that_cannot_be_analysed_stop_with_one_sentence(tmp_path, capfd, make, message):
    code, out, err = run(capfd, make(tmp_path))
    assert code == 2
    assert out == ""
    assert err.startswith("posecheck: error: ") and message in err
    assert err.count("\n") == 1, f"one line expected, got: {err!r}"
    assert not any(noise in err for noise in NATIVE_NOISE)


def test_a_folder_of_odd_names_and_a_broken_file(tmp_path, frames, capfd):
    folder = tmp_path / "archive"
    for sub in ("monday", "tuesday"):  # the same name in two folders: two result files
        (folder / sub).mkdir(parents=True)
        media.write(folder / sub / "Übung 膝.mp4", frames[:120])
    long_name = "b" * 250 + ".mp4"
    media.write(folder / long_name, frames[:120])
    (folder / "broken.mp4").write_text("not a video")
    out_dir = tmp_path / "results"
    code = main(["analyze", str(folder), "-e", "knee-to-chest", "--no-save", "-q", "--out", str(out_dir)])
    out, err = capfd.readouterr()
    assert code == 1 and err == ""  # one file failed; the table says which and why
    assert "broken.mp4 is not a video posecheck can read" in out
    assert "3 of 4 videos analysed" in out
    written = sorted(p.name for p in out_dir.glob("*.json"))
    assert written == sorted(["Übung 膝.json", "Übung 膝-2.json", "b" * 200 + ".json"])


def test_a_very_long_video_keeps_its_real_times_to_the_end(tmp_path):
    """20 minutes at 5 fps (tiny frames, no person; a stand-in estimator, since pose inference
    is not what is tested): every frame arrives on its time, and nothing is called cut off."""
    import numpy as np

    from posecheck.pipeline.analysis import analyze_video
    from posecheck.core.keypoints import Detection
    from posecheck.io.templates import load_template

    blank = np.full((64, 64, 3), 90, np.uint8)
    path = media.write(tmp_path / "long.mp4", [(i / 5, blank) for i in range(20 * 60 * 5)], rate=5)
    seen = []

    def no_person(rgb, t):
        seen.append(t)
        return Detection(t, ())

    result = analyze_video(path, load_template("knee-to-chest"), estimator=no_person)
    assert result.frames == 6000 and len(seen) == 6000
    assert result.duration == pytest.approx(1199.8, abs=0.01)
    assert result.warnings == ["No person was found in this video."]
    assert result.reps == []
