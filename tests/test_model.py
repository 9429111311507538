import pytest

from posecheck.io.model import BUNDLED_SHA256, ModelError, bundled_model_path, resolve_model, sha256_of


def test_bundled_model_is_found_and_verified():
    path = resolve_model()
    assert path == bundled_model_path() and path.name == "pose_landmarker_full.task"
    assert sha256_of(path) == BUNDLED_SHA256


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
    assert resolve_model() == copy


def test_missing_and_wrong_kind_of_model_files(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        resolve_model(tmp_path / "nothing.task")
    other = tmp_path / "model.onnx"
    other.write_bytes(b"x")
    with pytest.raises(ModelError, match="'.task' file"):
        resolve_model(other)
