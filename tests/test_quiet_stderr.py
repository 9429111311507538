"""No MediaPipe native log line reaches the terminal in a normal run.

MediaPipe logs through absl straight to descriptor 2 (lines like `W0000 00:00:17... file.cc:81]
...`), whatever GLOG_minloglevel says. Its pose graph warns "Using NORM_RECT without
IMAGE_DIMENSIONS" the first time it finds a person: in a clip that opens on an empty room that is
well after the first frame, which is why the clip here starts with a second without anyone."""

import os
import re
import subprocess
import sys

import numpy as np

import media

NATIVE_LINE = re.compile(r"^[IWEF]\d{4} ", re.MULTILINE)  # absl/glog: severity, month and day


def person_after_an_empty_second(path):
    frames = media.source_frames(every=2)[:30]  # 3 s of the rendered knee-to-chest at 10 fps
    height, width = frames[0][1].shape[:2]
    empty = [(i / 10, np.full((height, width, 3), 40, np.uint8)) for i in range(10)]
    person = [(1.0 + t, rgb) for t, rgb in frames]
    return media.write(path, empty + person, rate=10)


def test_analyze_writes_no_native_log_line_on_stderr(tmp_path):
    clip = person_after_an_empty_second(tmp_path / "late-entry.mp4")
    env = {**os.environ, "POSECHECK_DB": str(tmp_path / "history.db")}
    run = subprocess.run([sys.executable, "-m", "posecheck", "analyze", str(clip), "-e", "knee-to-chest",
                          "--no-save", "--json"], capture_output=True, text=True, env=env, cwd=media.ROOT)
    assert run.returncode == 0, run.stderr
    assert '"frames"' in run.stdout  # it did analyse the clip
    assert not NATIVE_LINE.search(run.stderr), run.stderr
    assert run.stderr == ""
