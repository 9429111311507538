"""Pose landmarks of one long video on several cores: the video is cut into parts by time, each
worker thread (with its own landmarker) decodes and analyses its parts, and the landmarks come
back in time order, so the engine still runs once, frame by frame, over the whole video.

Pose inference is the cost (about 28 ms a frame here) and runs on one core per landmarker;
MediaPipe and PyAV release the GIL while they work, so two threads nearly halve the time (1.85x
measured) while sharing one process's memory. Each thread keeps one landmarker for all its
parts (a thread takes parts in time order, so its timestamps only grow; where the person is not
where the thread's last part left them, MediaPipe finds them again with its detector): creating
one per part leaked about 8 MB of native memory each time, 340 MB over a 10-minute video.
"""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterator

from posecheck.core.keypoints import Detection
from posecheck.io.video import VideoError
from posecheck.pipeline.memory import return_freed_memory

PART_SECONDS = 15.0  # parts this long: progress stays smooth and a part's results stay small


def default_workers() -> int:
    """One worker per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def parts(duration: float, workers: int) -> list[tuple[float, float | None]]:
    """(start, end) of each part; the last one open-ended, in case the duration is short."""
    count = max(workers, math.ceil(duration / PART_SECONDS))
    step = duration / count
    bounds = [round(i * step, 3) for i in range(count)]
    return [(start, end) for start, end in zip(bounds, [*bounds[1:], None])]


def parallel_detections(path: str, duration: float, workers: int, max_side: int, max_fps: float | None,
                        model: str | None = None, warnings: list[str] | None = None,
                        progress: Callable[[float], None] | None = None,
                        outline: bool = True) -> Iterator[Detection]:
    """Detections of the whole video in time order. A part that cannot be read to its end (a
    damaged file) ends the video there, with its message added to `warnings`. `outline`: read
    the silhouette's measures (only templates that use them need them)."""
    landmarkers = _Landmarkers(model, outline)
    jobs = [(path, start, end, max_side, max_fps) for start, end in parts(duration, workers)]
    pool = ThreadPoolExecutor(max_workers=min(workers, len(jobs)), thread_name_prefix="posecheck-part")
    futures = [pool.submit(_detect_part, job, landmarkers) for job in jobs]
    last = -math.inf
    try:
        for index, future in enumerate(futures):
            detections, error = future.result()
            futures[index] = None  # the part's landmarks are not kept once handed on
            for detection in detections:
                if detection.timestamp > last:  # parts meet without overlapping
                    last = detection.timestamp
                    yield detection
            if progress and detections:
                progress(min(detections[-1].timestamp / duration, 1.0))
            if error:
                if warnings is not None:
                    warnings.append(error)
                return
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        landmarkers.close()


class _Landmarkers:
    """One landmarker per worker thread, made on first use, all closed at the end."""

    def __init__(self, model: str | None, outline: bool = True):
        self.model, self.outline = model, outline
        self._local = threading.local()
        self._made = []
        self._lock = threading.Lock()

    def get(self):
        from posecheck.pipeline.estimator import MediaPipePose

        if not hasattr(self._local, "estimator"):
            self._local.estimator = MediaPipePose(model=self.model, outline=self.outline)
            with self._lock:
                self._made.append(self._local.estimator)
        return self._local.estimator

    def close(self) -> None:
        for estimator in self._made:
            estimator.close()


def _detect_part(job, landmarkers: _Landmarkers) -> tuple[list[Detection], str]:
    from posecheck.io.video import read_frames

    path, start, end, max_side, max_fps = job
    estimator = landmarkers.get()
    detections: list[Detection] = []
    try:
        for frame in read_frames(path, max_side=max_side, max_fps=max_fps, start=start, end=end, single_thread=True):
            detections.append(estimator(frame.rgb, frame.timestamp))
    except VideoError as exc:
        return detections, str(exc)
    finally:
        return_freed_memory()
    return detections, ""
