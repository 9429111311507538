"""`posecheck analyze --ray`: the archive handed to a Ray cluster, here a local instance with two
CPUs. What this proves: the tasks get everything by value (video bytes, template, model), the
counts match the local threads' exactly, and results are written and stored as for a local
batch. What it does not: a real multi-machine cluster (other machines' installations)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from posecheck.pipeline.batch import analyze_many
from posecheck.cli import main
from posecheck.pipeline.distributed import _portable, analyze_on_ray
from posecheck.io.model import bundled_model_path, resolve_model
from posecheck.io.templates import load_template

ROOT = Path(__file__).resolve().parents[1]
CLIPS = [ROOT / "samples" / "knee-to-chest__synth-correct.mp4", ROOT / "samples" / "bird-dog__synth-correct.mp4"]

ray = pytest.importorskip("ray", reason="the optional Ray extra is not installed (./dev test installs it)")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=200 * 2**20)
    yield
    ray.shutdown()


def _counts(items) -> dict[str, tuple[int, list[float]]]:
    counts = {}
    for item in items:
        assert item.error == "", item.error
        counts[item.path.name] = (len(item.result.reps), [round(e.seconds, 2) for e in item.result.holds])
    return counts


def test_ray_counts_what_the_local_threads_count(local_ray, tmp_path):
    clips = [shutil.copy(clip, tmp_path / clip.name) for clip in CLIPS[:1]]
    clips = [Path(c) for c in clips]
    template = load_template("knee-to-chest")
    on_ray = _counts(analyze_on_ray(clips, template))
    local = _counts(analyze_many(clips, template, workers=1))
    assert on_ray == local and on_ray["knee-to-chest__synth-correct.mp4"][0] == 1
    assert ray.is_initialized()  # a Ray the caller started is left running


def test_a_broken_file_on_the_cluster_is_listed_not_fatal(local_ray, tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 5000)
    items = list(analyze_on_ray([broken], load_template("knee-to-chest")))
    assert len(items) == 1 and items[0].result is None
    assert items[0].path == broken and "broken.mp4" in items[0].error


def test_the_command_line_hands_a_folder_to_ray(local_ray, tmp_path, capsys):
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(CLIPS[0], folder / "monday.mp4")
    shutil.copy(CLIPS[0], folder / "tuesday.mp4")
    out = tmp_path / "results"
    code = main(["--db", str(tmp_path / "h.db"), "analyze", str(folder), "-e", "knee-to-chest", "--ray",
                 "--out", str(out), "-q"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "2 of 2 videos analysed" in printed and "on the Ray cluster" in printed
    for name in ("monday", "tuesday"):
        summary = json.loads((out / f"{name}.json").read_text())["summary"]
        assert summary["reps"] == 1 and summary["source"] == f"{name}.mp4"
    assert main(["--db", str(tmp_path / "h.db"), "history", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_models_travel_by_name_or_as_the_users_own_bytes(tmp_path):
    named = _portable(resolve_model("full"))
    assert named == "full"  # each machine loads its own verified copy
    own = tmp_path / "mine.task"
    own.write_bytes(bundled_model_path().read_bytes())
    sent = _portable(resolve_model(own))
    assert sent.name == "mine.task" and sent.path is None and sent.data == own.read_bytes()
