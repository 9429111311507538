"""Whether someone besides the tracked person is in view, without a person detector on every frame.

MediaPipe's landmarker asked for two people runs its person detector on every frame until it has
found two (about 12 ms of a frame's 34 here); asked for one, it tracks that person from frame to
frame and detects only when it loses them. With `MediaPipePose(track_one=True)` the estimator
tracks one person, and a separate check (a landmarker asked for several people, on one still
frame) looks for others:
- once a second (`CHECK_SECONDS`), which finds a bystander who walks in within a second, and the
  engine tells the exerciser after its usual one second of delay;
- at once when the tracked person's hips jump (over `JUMP_TORSOS` torso lengths from one frame
  to the next), or reappear after a frame without them: the tracker may have moved to someone else.
The others found are kept, as last seen, until the next check (`KEEP_SECONDS` at most), so that
the engine's choice of whom to follow (core/main_person.py) sees them on every frame in between.

Live, a check (about 25 ms) on the camera frame's own thread would make the coach drop the next
frame once a second, so there (`check_in_background`) it runs on a thread of its own
(`CheckInBackground`) and its people are taken up a frame or two later; a video's analysis checks
in line, so its results do not depend on timing. This module decides when to check and which
people found are others; it runs no model, so it is tested alone on stick figures
(tests/test_second_person.py).
"""

from __future__ import annotations

import math
import queue
import threading
from typing import Callable

import numpy as np

from posecheck.core.keypoints import Pose
from posecheck.core.main_person import hips_and_torso

CHECK_SECONDS = 1.0  # between two checks while nothing happens
KEEP_SECONDS = 1.5  # others from an older check are forgotten (a check that failed to run)
JUMP_TORSOS = 0.75  # the tracked hips moving this far between frames: check now
SAME_PERSON_TORSOS = 1.0  # the checked pose nearest the tracked hips, at most this far, is the tracked person


class SecondPersonCheck:
    """Called with each frame's tracked pose: `due` says whether to check this frame, `found`
    takes the check's poses, `others` gives the people besides the tracked one as last checked."""

    def __init__(self, every: float = CHECK_SECONDS):
        self.every = every
        self._checked_at = -math.inf
        self._others: tuple[Pose, ...] = ()
        self._last_hips: np.ndarray | None = None
        self.checks = 0

    def due(self, tracked: Pose | None, t: float) -> bool:
        """Whether this frame should be checked for other people."""
        if tracked is None:  # the tracker's own detector found nobody: nobody else either
            self._last_hips = None
            return False
        hips, torso = hips_and_torso(tracked)
        jumped = self._last_hips is None or not _near(hips, self._last_hips, JUMP_TORSOS * torso)
        self._last_hips = hips if np.isfinite(hips).all() else None
        return jumped or t - self._checked_at >= self.every

    def found(self, poses: tuple[Pose, ...], tracked: Pose, t: float) -> None:
        """The check's poses for the frame at `t`: all but the tracked person are others."""
        self._checked_at = t
        self.checks += 1
        same = _same_person(poses, tracked)
        self._others = tuple(p for i, p in enumerate(poses) if i != same)

    def others(self, t: float) -> tuple[Pose, ...]:
        return self._others if t - self._checked_at <= KEEP_SECONDS else ()


class CheckInBackground:
    """`finder(rgb)` on a thread of its own, one frame at a time: `submit` hands a frame over
    without waiting (refused while a check runs), `take` gives a finished check's (time, poses)
    once. `close` waits for a running check, so the finder can then be closed on the caller's thread."""

    def __init__(self, finder: Callable[[np.ndarray], tuple[Pose, ...]]):
        self._finder = finder
        self._requests: queue.Queue = queue.Queue(maxsize=1)
        self._finished: tuple[float, tuple[Pose, ...]] | None = None
        self._running = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="posecheck-people-check", daemon=True)
        self._thread.start()

    def submit(self, rgb: np.ndarray, t: float) -> bool:
        if self._running.is_set():
            return False
        self._running.set()
        self._requests.put((rgb.copy(), t))
        return True

    def take(self) -> tuple[float, tuple[Pose, ...]] | None:
        with self._lock:
            finished, self._finished = self._finished, None
        return finished

    def close(self) -> None:
        self._requests.put(None)
        self._thread.join()

    def _run(self) -> None:
        while (request := self._requests.get()) is not None:
            rgb, t = request
            try:
                poses = self._finder(rgb)
            except Exception:  # noqa: BLE001 - a failed check finds nobody; the tracking goes on
                poses = ()
            with self._lock:
                self._finished = (t, poses)
            self._running.clear()


def _near(a: np.ndarray, b: np.ndarray, radius: float) -> bool:
    distance = float(np.linalg.norm(a - b))
    return math.isfinite(distance) and math.isfinite(radius) and distance <= radius


def _same_person(poses: tuple[Pose, ...], tracked: Pose) -> int | None:
    """The index of the checked pose that is the tracked person (nearest hips, close enough)."""
    hips, torso = hips_and_torso(tracked)
    best, best_distance = None, math.inf
    for index, pose in enumerate(poses):
        distance = float(np.linalg.norm(hips_and_torso(pose)[0] - hips))
        if math.isfinite(distance) and distance < best_distance:
            best, best_distance = index, distance
    if best is None or not best_distance <= SAME_PERSON_TORSOS * max(torso, 1.0):
        return None
    return best
