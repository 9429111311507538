"""What the pose model found in a clip, kept on disk, so that the same clip analysed again (with
another exercise, in a test run, in an evaluation) does not run the model again.

An entry is keyed by everything that decides the detections: the video's bytes (its SHA-256),
the estimator's identity (MediaPipe's version, the model file's hash, the settings it runs with)
and how frames were sampled (size and rate). Change any of them and the key changes, so an entry
is never reused for something it was not made from. Entries keep full float64 precision, so an
analysis from the cache counts exactly what the same analysis without it counts.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from posecheck.core.keypoints import Detection
from posecheck.io.detections import load_detections, save_detections

CACHE_ENV = "POSECHECK_DETECTION_CACHE"
FORMAT = 1  # bump when what is saved, or how it is read back, changes


def file_digest(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def frames_digest(frames: Iterable[tuple[float, np.ndarray]]) -> str:
    """The SHA-256 of (time, picture) pairs that were made in memory rather than read from a file."""
    digest = hashlib.sha256()
    for timestamp, rgb in frames:
        digest.update(np.float64(timestamp).tobytes())
        digest.update(np.ascontiguousarray(rgb).tobytes())
    return digest.hexdigest()


class DetectionCache:
    """A folder of `<key>.npz` files, one per (clip, estimator, sampling)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder).expanduser()

    @classmethod
    def from_environment(cls) -> "DetectionCache | None":
        """$POSECHECK_DETECTION_CACHE names the folder; unset means no cache."""
        folder = os.environ.get(CACHE_ENV)
        return cls(folder) if folder else None

    @staticmethod
    def key(**parts) -> str:
        """A stable name for these parts (any JSON-able values)."""
        text = json.dumps({"format": FORMAT, **parts}, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.npz"

    def load(self, key: str) -> tuple[list[Detection], list[str]] | None:
        """The detections and the reader's warnings saved under `key`, or None. A damaged entry
        counts as absent (it is made again)."""
        path = self._path(key)
        if not path.is_file():
            return None
        try:
            with np.load(path) as data:
                warnings = json.loads(str(data["warnings"])) if "warnings" in data.files else []
            return load_detections(path), warnings
        except (OSError, ValueError, KeyError, EOFError):
            return None

    def save(self, key: str, detections: list[Detection], warnings: Iterable[str] = ()) -> None:
        """Written to a temporary file and renamed: a reader never sees half an entry, and two
        writers of the same key leave one whole file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".npz.part")
        os.close(handle)
        try:
            with open(temporary, "wb") as out:
                save_detections(out, detections, dtype=np.float64,
                                extra={"warnings": np.array(json.dumps(list(warnings)))})
            os.replace(temporary, self._path(key))
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)

    def detections(self, key: str, compute: Callable[[], list[Detection]]) -> list[Detection]:
        """The entry under `key`, or `compute()` saved there."""
        found = self.load(key)
        if found is not None:
            return found[0]
        detections = compute()
        self.save(key, detections)
        return detections
