"""Run the whole pipeline over a video: frames -> landmarks -> engine -> events (+ annotated video)."""

from __future__ import annotations

import math
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from posecheck.core.engine import Engine
from posecheck.core.events import Event, Rep, reps_by_side
from posecheck.core.keypoints import Detection
from posecheck.core.signals import point_name
from posecheck.core.summary import SessionSummary
from posecheck.core.template import Template
from posecheck.io.detection_cache import DetectionCache, file_digest
from posecheck.io.names import fit_file_name
from posecheck.io.store import StoreError, save_result
from posecheck.io.threads import BackgroundWorker, prefetched
from posecheck.io.video import Frame, VideoError, VideoInfo, VideoWriter, check_video, cut_off_warning, read_frames
from posecheck.presentation.overlay import annotate
from posecheck.pipeline.parallel import default_workers
from posecheck.pipeline.picture_change import lacks_picture_changes, with_picture_changes

ANALYSIS_MAX_SIDE = 960  # pose estimation gains nothing from bigger frames; decoding them costs
# These movements take seconds: 15 analysed frames a second see every rep and time holds to a
# fifteenth of a second (the form-fault benchmark runs at 15, the generalization one at 10), and a
# 60 fps phone video costs a quarter of the pose inference.
ANALYSIS_FPS = 15.0
MIN_PARALLEL_SECONDS = 8.0  # shorter videos are not worth a second landmarker
COUNTING_SHARE = 0.8  # of the progress, when the annotated video is drawn in a second pass


@dataclass
class AnalysisResult:
    exercise: str
    source: str
    duration: float = 0.0
    frames: int = 0
    frames_with_person: int = 0
    reps: list[Rep] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    series: list[tuple[float, float | None]] = field(default_factory=list)  # key signal over time
    warnings: list[str] = field(default_factory=list)
    hold_target: float | None = None

    @property
    def holds(self) -> list[Event]:
        return [e for e in self.events if e.kind == "hold"]

    @property
    def faults(self) -> list[Event]:
        return [e for e in self.events if e.kind == "form"]

    @property
    def guidance(self) -> list[Event]:
        return [e for e in self.events if e.kind == "guidance"]

    def reps_by_side(self) -> dict[str, int]:
        return reps_by_side(self.reps)

    def summary(self) -> SessionSummary:
        return SessionSummary.of(
            self.exercise, self.reps, self.events, self.hold_target, source=self.source,
            duration_s=round(self.duration, 2), frames=self.frames,
            person_found_in=round(self.frames_with_person / self.frames, 3) if self.frames else 0.0,
            warnings=list(self.warnings))

    def to_dict(self) -> dict:
        return {
            "summary": self.summary().to_dict(),
            "reps": [r.to_dict() for r in self.reps],
            "events": [e.to_dict() for e in self.events if e.kind != "hold_progress"],
        }


def series_point(t: float, value: float | None) -> tuple[float, float | None]:
    """One point of the key-angle chart: rounded, with None where the angle was not seen."""
    return round(t, 3), None if value is None or not math.isfinite(value) else round(value, 1)


def key_joint(template: Template, side: str | None) -> str | None:
    """The landmark at the vertex of the template's key angle, to label on the video."""
    signal = template.signals[template.key_signal]
    if signal.kind not in ("angle", "bend"):
        return None
    name = point_name(signal.points[1], side or "left")
    return name.replace("mid_", "left_")


def analyze_detections(detections: Iterable[tuple[Detection, object]], template: Template,
                       on_frame: Callable[[object, Engine], None] | None = None,
                       source: str = "") -> AnalysisResult:
    """The core loop over (detection, payload) pairs; payload is handed to on_frame (e.g. the image)."""
    engine = Engine(template)
    result = AnalysisResult(template.name, source,
                            hold_target=template.hold.target_seconds if template.hold else None)
    for detection, payload in detections:
        engine.update(detection)
        result.frames += 1
        result.frames_with_person += detection.pose is not None
        result.duration = detection.timestamp
        result.series.append(series_point(detection.timestamp, engine.state.key_value))
        if on_frame is not None:
            on_frame(payload, engine)
    engine.finish()
    result.reps, result.events = engine.reps, engine.events
    return result


def analyze_video(path: str | Path, template: Template, estimator=None,
                  progress: Callable[[float], None] | None = None,
                  annotate_path: str | Path | None = None, max_fps: float | None = ANALYSIS_FPS,
                  workers: int = 1, model: str | None = None,
                  on_counted: Callable[[AnalysisResult], None] | None = None,
                  cache: DetectionCache | None = None) -> AnalysisResult:
    """Analyse a video file at up to `max_fps` frames a second (None: every frame).

    One worker: decoding runs on its own thread ahead of pose inference. With `workers` > 1, a
    video long enough is cut into parts whose landmarks are found on parallel threads (each
    with its own landmarker loading `model`; `estimator` is then unused); an annotated video is
    then drawn in a second, lighter pass over the frames. `on_counted` gets the result once,
    as soon as the counts are ready: before that pass starts (a page can show the counts while
    the video is drawn), else at the end. The
    annotated video is encoded on its own thread. A file damaged part-way keeps what was
    analysed, with a warning. With a `cache` (and no annotated video, one worker, no estimator
    given), the landmarks of a clip analysed before are read from it instead of found again."""
    path = Path(path)
    info = check_video(path)  # before the pose model loads: a file that cannot be analysed fails fast
    warnings: list[str] = []
    estimator_to_close = None
    if cache is not None and annotate_path is None and estimator is None:
        found = cached_detections(path, info, cache, template.reads_outline, model, max_fps, warnings, progress)
        result = analyze_detections(((d, None) for d in found), template, source=str(path))
        return _handed_on(_finish(result, warnings, progress, info, max_fps), on_counted)
    if workers > 1 and info.duration and info.duration >= MIN_PARALLEL_SECONDS:
        from posecheck.pipeline.parallel import parallel_detections

        share = COUNTING_SHARE if annotate_path else 1.0  # the drawing pass takes the rest
        found = parallel_detections(str(path), info.duration, workers, ANALYSIS_MAX_SIDE, max_fps, model,
                                    warnings, progress and (lambda f: progress(share * f)), template.reads_outline)
        if annotate_path is None:
            result = analyze_detections(((d, None) for d in found), template, source=str(path))
            return _handed_on(_finish(result, warnings, progress, info, max_fps), on_counted)
        landmarks = {d.timestamp: d for d in found}
        # The engine is cheap next to pose inference: it runs once for the counts, then again
        # (the same way) beside the drawing, which needs its state at every frame.
        counted = _finish(analyze_detections(((d, None) for d in landmarks.values()), template, source=str(path)),
                          warnings, None, info, max_fps)
        if on_counted:
            on_counted(counted)
        already = set(warnings)  # the drawing pass meets a damaged file's error again
        pairs = _frames_with(lambda frame: landmarks.pop(frame.timestamp, Detection(frame.timestamp, ())),
                             path, info, max_fps, warnings, progress, share)
        _draw_video(pairs, template, annotate_path, info, max_fps)
        counted.warnings.extend(w for w in dict.fromkeys(warnings) if w not in already)
        if progress:
            progress(1.0)
        return counted
    else:
        from posecheck.pipeline.estimator import MediaPipePose

        if estimator is None:
            estimator = estimator_to_close = MediaPipePose(model=model, outline=template.reads_outline)
        pairs = _frames_with(lambda frame: estimator(frame.rgb, frame.timestamp), path, info, max_fps,
                             warnings, progress, 0.0)
    try:
        if annotate_path:
            result = _draw_video(pairs, template, annotate_path, info, max_fps, str(path))
        else:
            result = analyze_detections(pairs, template, source=str(path))
    finally:
        if estimator_to_close is not None:
            estimator_to_close.close()
    return _handed_on(_finish(result, warnings, progress, info, max_fps), on_counted)


def cached_detections(path: Path, info: VideoInfo, cache: DetectionCache, outline: bool, model: str | None,
                      max_fps: float | None, warnings: list[str], progress=None) -> list[Detection]:
    """The clip's detections from `cache`, or found now (as one worker finds them) and saved."""
    from posecheck.pipeline.estimator import MediaPipePose, estimator_identity

    key = cache.key(video=file_digest(path), max_side=ANALYSIS_MAX_SIDE, max_fps=max_fps,
                    **estimator_identity(model, outline=outline))
    found = cache.load(key)
    if found is not None:
        detections, saved_warnings = found
        if lacks_picture_changes(detections):  # saved before they were kept: the frames give them
            frames = (frame.rgb for frame in read_frames(path, max_side=ANALYSIS_MAX_SIDE, max_fps=max_fps))
            detections = with_picture_changes(detections, frames)
            cache.save(key, detections, saved_warnings)
        warnings.extend(saved_warnings)
        return detections
    read_warnings: list[str] = []
    with MediaPipePose(model=model, outline=outline) as estimator:
        detections = [d for d, _ in _frames_with(lambda frame: estimator(frame.rgb, frame.timestamp), path, info,
                                                 max_fps, read_warnings, progress, 0.0)]
    if detections:
        cache.save(key, detections, read_warnings)
    warnings.extend(read_warnings)
    return detections


def video_detections(path: str | Path, model: str | None = None, max_fps: float | None = ANALYSIS_FPS,
                     cache: DetectionCache | None = None,
                     progress: Callable[[float], None] | None = None) -> tuple[list[Detection], list[str]]:
    """The landmarks of every analysed frame of a video, as `analyze_video` finds them (one worker,
    no silhouette), and the reader's warnings; from `cache` when it has them (saved there when not).
    For learning an exercise from a demonstration (core/learn.py)."""
    path = Path(path)
    info = check_video(path)
    warnings: list[str] = []
    if cache is not None:
        detections = cached_detections(path, info, cache, False, model, max_fps, warnings, progress)
    else:
        from posecheck.pipeline.estimator import MediaPipePose

        with MediaPipePose(model=model, outline=False) as estimator:
            detections = [d for d, _ in _frames_with(lambda frame: estimator(frame.rgb, frame.timestamp), path,
                                                     info, max_fps, warnings, progress, 0.0)]
    if not detections and warnings:
        raise VideoError(warnings[0])
    if progress:
        progress(1.0)
    return detections, list(dict.fromkeys(warnings))


def _handed_on(result: AnalysisResult, on_counted: Callable[[AnalysisResult], None] | None) -> AnalysisResult:
    if on_counted:
        on_counted(result)
    return result


def _draw_video(pairs, template: Template, annotate_path: str | Path, info: VideoInfo, max_fps: float | None,
                source: str = "") -> AnalysisResult:
    """Run the engine over (detection, frame) pairs, drawing each frame with its state into an
    H.264 video encoded on its own thread."""
    writer: VideoWriter | None = None
    encoder: BackgroundWorker | None = None

    def draw(frame: Frame, engine: Engine) -> None:
        nonlocal writer, encoder
        if writer is None:
            height, width = frame.rgb.shape[:2]
            fps = min(info.fps or 30.0, max_fps or math.inf)
            writer = VideoWriter(annotate_path, width, height, fps=fps)
            encoder = BackgroundWorker(lambda item: writer.write(*item))
        joint = key_joint(template, engine.state.side or None)
        encoder.submit((annotate(frame.rgb, engine.pose, engine.state, template.title, joint), frame.timestamp))

    try:
        return analyze_detections(pairs, template, draw, source)
    finally:
        try:
            if encoder is not None:
                encoder.close()
        finally:
            if writer is not None:
                writer.close()


def _frames_with(detect: Callable[[Frame], Detection], path: Path, info, max_fps, warnings: list[str],
                 progress, done: float):
    """(detection, frame) for each analysed frame, read ahead on a thread; progress goes from
    `done` to 1 over the video. A read error ends the frames with a warning."""
    try:
        for frame in prefetched(read_frames(path, max_side=ANALYSIS_MAX_SIDE, max_fps=max_fps)):
            if progress and info.duration:
                progress(done + (1 - done) * min(frame.timestamp / info.duration, 1.0))
            yield detect(frame), frame
    except VideoError as exc:
        warnings.append(str(exc))


def _finish(result: AnalysisResult, warnings: list[str], progress, info: VideoInfo,
            max_fps: float | None) -> AnalysisResult:
    warnings = list(dict.fromkeys(warnings))  # a damaged file is met by both passes
    if result.frames == 0 and warnings:
        raise VideoError(warnings[0])
    frame_gap = 1.0 / min(max_fps or math.inf, info.fps or 30.0)
    cut_off = cut_off_warning(info, result.duration, frame_gap) if result.frames else None
    if cut_off:  # says what the decoder's error says, with both lengths
        warnings = [cut_off]
    result.warnings.extend(warnings)
    if result.frames and result.frames_with_person == 0:
        result.warnings.append("No person was found in this video.")
    if progress:
        progress(1.0)
    return result


class BackgroundAnalysis:
    """`analyze_video` in a worker thread, so a page can poll its progress and survive reruns.

    Give either a path or the bytes of an uploaded file (written to a temporary folder that is
    deleted when the analysis ends). `result` is set (and, with a `store`, saved to the history
    as one session, `session_id`) as soon as the counts are ready; the annotated video, kept in
    memory only, may still be drawing then: `running` stays true until it is done.
    """

    def __init__(self, template: Template, path: str | Path | None = None, data: bytes | None = None,
                 name: str = "video.mp4", store=None):
        import threading

        self.template, self.name = template, Path(name).name
        self.progress = 0.0
        self.result: AnalysisResult | None = None
        self.video: bytes | None = None
        self.error = ""
        self.started = time.monotonic()
        self.seconds: float | None = None  # how long the counting took (the video may take longer)
        self.session_id: int | None = None
        self._store = store
        self._thread = threading.Thread(target=self._run, args=(path, data), daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self, path, data) -> None:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="posecheck-") as work:
            if data is not None:
                path = Path(work) / fit_file_name(self.name)
                path.write_bytes(data)
            annotated = Path(work) / "annotated.mp4"
            try:
                analyze_video(path, self.template, progress=self._set_progress, annotate_path=annotated,
                              workers=default_workers(), on_counted=self._counted)
                self.video = annotated.read_bytes() if annotated.exists() else None
            except VideoError as exc:
                self.error = str(exc)
            except Exception as exc:  # noqa: BLE001 - the page shows a sentence, never a dead thread
                self.error = f"something went wrong while analysing it ({type(exc).__name__}: {exc})"
            if self.error and self.result is not None:  # the counts stand; only the video is missing
                self.result.warnings.append(f"The annotated video could not be made: {self.error}")
                self.error = ""
            self.seconds = self.seconds or time.monotonic() - self.started

    def _counted(self, result: AnalysisResult) -> None:
        """The counts are ready (the annotated video may still be drawing): save them and show them."""
        self.seconds = time.monotonic() - self.started
        if self._store is not None:
            try:
                self.session_id = save_result(self._store, result, self.name)
            except (StoreError, sqlite3.Error) as exc:
                result.warnings.append(f"This analysis could not be saved to the history: {exc}")
        self.result = result

    def _set_progress(self, fraction: float) -> None:
        self.progress = fraction

    @property
    def drawing_progress(self) -> float:
        """How much of the annotated video is drawn, once the counts are ready."""
        return min(max((self.progress - COUNTING_SHARE) / (1 - COUNTING_SHARE), 0.0), 1.0)
