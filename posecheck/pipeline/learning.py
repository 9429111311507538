"""Learning an exercise from a demonstration in a worker thread (the Teach page): the pose model
over the clip (pipeline.analysis.video_detections, from the detection cache when it has it), then
core/learn.py, while a page polls the progress and reruns as it likes.

An upload is written to a temporary folder for the pose model and deleted when it is done; its
bytes stay in this object (in memory only) so that the page can keep the clip beside the saved
exercise if, and only if, the user asks.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from posecheck.core.learn import LearnedExercise, LearnError, learn
from posecheck.io.detection_cache import DetectionCache
from posecheck.io.names import fit_file_name
from posecheck.io.video import VideoError

DETECTING_SHARE = 0.95  # of the progress bar: the pose model; learning takes the rest


class BackgroundLearning:
    """`learned` is set when the clip has taught an exercise; `error` (one sentence) when it could
    not: the video unreadable, or the clip unable to teach (LearnError)."""

    def __init__(self, name: str, path: str | Path | None = None, data: bytes | None = None,
                 file_name: str = "video.mp4", cache: DetectionCache | None = None, model: str | None = None):
        self.name = name
        self.file_name = Path(file_name).name
        self.path = Path(path) if path is not None else None
        self.data = data
        self.progress = 0.0
        self.learned: LearnedExercise | None = None
        self.error = ""
        self.warnings: list[str] = []
        self.started = time.monotonic()
        self.seconds: float | None = None
        self._thread = threading.Thread(target=self._run, args=(cache, model), daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def clip(self) -> bytes | Path | None:
        """The demonstration, to keep beside the exercise: the uploaded bytes, or the chosen file."""
        return self.data if self.data is not None else self.path

    @property
    def clip_suffix(self) -> str:
        return Path(self.file_name).suffix.lower() or ".mp4"

    def _run(self, cache, model) -> None:
        import tempfile

        from posecheck.pipeline.analysis import video_detections

        try:
            with tempfile.TemporaryDirectory(prefix="posecheck-teach-") as work:
                path = self.path
                if self.data is not None:
                    path = Path(work) / fit_file_name(self.file_name)
                    path.write_bytes(self.data)
                detections, self.warnings = video_detections(path, model, cache=cache, progress=self._detecting)
            self.progress = DETECTING_SHARE
            self.learned = learn(detections, self.name, source=self.file_name)
        except (VideoError, LearnError) as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - the page shows a sentence, never a dead thread
            self.error = f"Something went wrong while learning from this clip ({type(exc).__name__}: {exc})."
        self.progress = 1.0
        self.seconds = time.monotonic() - self.started

    def _detecting(self, fraction: float) -> None:
        self.progress = DETECTING_SHARE * fraction
