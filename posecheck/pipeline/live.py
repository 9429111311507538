"""Live coaching: the per-frame work of the webcam worker thread, and what the page reads from it.

The worker thread calls `LiveCoach.process` for each frame; it never touches the UI. The page
reads `snapshot()` (a copy taken under a lock) and drains `spoken` (a queue of short phrases for
speech). Frames arriving while one is being processed are dropped by the caller, so the coach
never lags behind the camera.
"""

from __future__ import annotations

import copy
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field

import cv2
import numpy as np

from posecheck.pipeline.analysis import key_joint, series_point
from posecheck.core.engine import Engine, EngineState
from posecheck.core.keypoints import Detection
from posecheck.core.summary import SessionSummary
from posecheck.core.template import Template
from posecheck.presentation.overlay import annotate

LIVE_MAX_SIDE = 640  # frames are scaled to this before pose estimation
SPEECH_COOLDOWN = 2.5  # seconds between spoken phrases, so they never pile up
SERIES_STEP = 0.1  # seconds between stored points of the key angle (enough for the history chart)
STALL_SECONDS = 3.0  # no frame for this long during a session: the camera has stopped


@dataclass
class LiveSnapshot:
    state: EngineState
    reps: list = field(default_factory=list)
    fps: float = 0.0
    frames: int = 0
    running: bool = True
    last_frame_at: float | None = None  # the coach's clock when the last frame arrived


class LiveCoach:
    def __init__(self, template: Template, estimator, recorder_factory=None, clock=time.monotonic):
        """`recorder_factory()` makes the store's SessionRecorder when the first frame arrives,
        so opening the page without starting the camera stores nothing."""
        self.template = template
        self.key = uuid.uuid4().hex  # names this session (an object's id can be reused once it is gone)
        self.engine = Engine(template)
        self.estimator = estimator
        self.recorder = None
        self._recorder_factory = recorder_factory
        self.spoken: queue.Queue[str] = queue.Queue(maxsize=20)
        self._lock = threading.Lock()
        self._clock = clock
        self._start = None
        self._frame_times: list[float] = []
        self._last_spoken = -1e9
        self._finished = False
        self._estimating = threading.Lock()  # the estimator is used by one frame at a time, and closed between frames
        self.closed = False
        self.series: list[tuple[float, float | None]] = []
        self._snapshot = LiveSnapshot(copy.deepcopy(self.engine.state))

    def process(self, rgb: np.ndarray, timestamp: float | None = None) -> np.ndarray:
        """One frame in (RGB), the annotated frame out. Timestamps default to the clock."""
        now = self._clock()
        self._start = now if self._start is None else self._start
        t = (now - self._start) if timestamp is None else timestamp
        small = _fit(rgb, LIVE_MAX_SIDE)
        with self._estimating:
            if self.closed:
                return rgb
            detection: Detection = self.estimator(small, t)
        with self._lock:
            if self._finished:
                return rgb
            if self.recorder is None and self._recorder_factory is not None:
                self.recorder = self._recorder_factory()
            events = self.engine.update(detection)
            if self.recorder is not None and events:
                self.recorder.record(events, self.engine.reps)
            self._speak(events, t)
            self._add_to_series(t)
            self._frame_times = [x for x in self._frame_times if now - x < 2.0] + [now]
            state = self.engine.state
            out = annotate(small, self.engine.pose, state, self.template.title,
                           key_joint(self.template, state.side or None))
            self._snapshot = LiveSnapshot(copy.deepcopy(state), list(self.engine.reps), self._fps(),
                                          self._snapshot.frames + 1, last_frame_at=now)
        return out if small.shape == rgb.shape else cv2.resize(out, (rgb.shape[1], rgb.shape[0]))

    def snapshot(self) -> LiveSnapshot:
        with self._lock:
            return copy.deepcopy(self._snapshot)

    def stalled(self) -> bool:
        """Frames came, then stopped: a camera unplugged, taken by another app, or a lost connection."""
        with self._lock:
            last = self._snapshot.last_frame_at
            return not self._finished and last is not None and self._clock() - last > STALL_SECONDS

    @property
    def finished(self) -> bool:
        with self._lock:
            return self._finished

    def finish(self) -> SessionSummary:
        """End the session: close open holds, store the summary. Safe to call more than once.
        The person ended it (STOP, "it hurts", another exercise): a hold it cut off is timed,
        not judged too short."""
        with self._lock:
            if self._finished:
                return self._summary()
            self._finished = True
            events = self.engine.finish(stopped=True)
            if self.recorder is not None:
                self.recorder.record(events, self.engine.reps)
                self.recorder.finish(self._summary(), self.series)
            self._snapshot.running = False
            return self._summary()

    def close(self) -> SessionSummary:
        """End the session (as `finish`) and close the estimator now, on this thread: a landmarker
        left to the garbage collector is closed on whatever thread collects it (once, Streamlit's
        file watcher's, and the server hung). Safe to call more than once."""
        summary = self.finish()
        with self._estimating:
            if not self.closed:
                self.closed = True
                close = getattr(self.estimator, "close", None)
                if close is not None:
                    close()
        return summary

    def _summary(self) -> SessionSummary:
        hold = self.template.hold
        return SessionSummary.of(self.template.name, self.engine.reps, self.engine.events,
                                 hold.target_seconds if hold else None)

    def _add_to_series(self, t: float) -> None:
        if self.series and t - self.series[-1][0] < SERIES_STEP:
            return
        self.series.append(series_point(t, self.engine.state.key_value))

    def _speak(self, events, t: float) -> None:
        phrases = [e.message for e in events if e.kind in ("rep", "form", "guidance") and e.message]
        if not phrases or t - self._last_spoken < SPEECH_COOLDOWN and not any(e.kind == "rep" for e in events):
            return
        self._last_spoken = t
        try:
            self.spoken.put_nowait(phrases[0])
        except queue.Full:
            pass

    def _fps(self) -> float:
        times = self._frame_times
        return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 0.0


def _fit(rgb: np.ndarray, max_side: int) -> np.ndarray:
    height, width = rgb.shape[:2]
    if max(height, width) <= max_side:
        return rgb
    scale = max_side / max(height, width)
    return cv2.resize(rgb, (int(width * scale), int(height * scale)), interpolation=cv2.INTER_AREA)
