"""Read video files frame by frame with their real presentation times (variable frame rate safe)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Iterator

import numpy as np


class VideoError(RuntimeError):
    """The file is missing, not a video, or cannot be decoded."""


@dataclass(frozen=True)
class VideoInfo:
    path: Path
    width: int
    height: int
    duration: float | None  # seconds, when the container says
    frame_count: int | None  # estimated, for progress bars
    fps: float | None


@dataclass(frozen=True)
class Frame:
    timestamp: float  # seconds from the start of the stream
    rgb: np.ndarray


def _open(path: Path):
    import av

    if not path.exists():
        raise VideoError(f"Video file not found: {path}")
    if path.stat().st_size == 0:
        raise VideoError(f"Video file is empty: {path}")
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, UnicodeDecodeError) as exc:
        raise VideoError(f"Not a readable video: {path.name} ({exc})") from exc
    if not container.streams.video:
        container.close()
        raise VideoError(f"{path.name} has no video stream")
    return container


def probe(path: str | Path) -> VideoInfo:
    path = Path(path)
    container = _open(path)
    try:
        stream = container.streams.video[0]
        duration = None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration:
            duration = container.duration / 1_000_000
        fps = float(stream.average_rate) if stream.average_rate else None
        frames = stream.frames or (int(round(duration * fps)) if duration and fps else None)
        return VideoInfo(path, stream.width, stream.height, duration, frames or None, fps)
    finally:
        container.close()


def read_frames(path: str | Path, max_side: int | None = None, max_fps: float | None = None,
                start: float = 0.0, end: float | None = None) -> Iterator[Frame]:
    """Yield RGB frames with timestamps in seconds; rotation metadata is applied.

    `max_side` scales frames down so their longer side is at most that many pixels (pose
    estimation needs no more than ~1000 px and decoding 4K frames wastes time). `max_fps` keeps
    at most that many frames a second, on their real times (the others are decoded, since the
    codec needs them, but never converted or analysed). `start` and `end` (seconds from the
    stream's start) read one part: the decoder seeks to the key frame before `start`.
    """
    import av

    path = Path(path)
    container = _open(path)
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        # Times count from the stream's own start (else its first frame), the same whether the
        # whole video is read or a part of it, so that parts line up with the whole.
        origin = float(stream.start_time * stream.time_base) if stream.start_time is not None else None
        if start > 0:
            container.seek(int(((origin or 0.0) + start) / stream.time_base), stream=stream, backward=True)
        decoded = 0
        # With max_fps, frames are kept on a fixed grid of 1/max_fps from the stream's start, so
        # that parts read apart keep the same frames as the whole: the first frame at or after
        # each grid time.
        due = math.ceil(start * max_fps - 0.01) / max_fps if max_fps else 0.0
        try:
            for frame in container.decode(stream):
                if frame.time is None:
                    continue
                origin = frame.time if origin is None else origin
                decoded += 1
                timestamp = float(frame.time - origin)
                if timestamp < start - 1e-3:
                    continue
                if end is not None and timestamp >= end - 1e-3:
                    return
                if max_fps:
                    if timestamp < due - 1e-3:
                        continue
                    due = (math.floor(timestamp * max_fps + 0.01) + 1) / max_fps
                yield Frame(timestamp=timestamp, rgb=_to_rgb(frame, max_side))
        except av.error.FFmpegError as exc:
            if decoded == 0:
                raise VideoError(f"Could not decode any frame of {path.name}: {exc}") from exc
            raise VideoError(
                f"{path.name} is damaged after {decoded} frames ({exc}); the part before was analysed."
            ) from exc
        if decoded == 0:
            raise VideoError(f"{path.name} contains no decodable video frames")
    finally:
        container.close()


def _to_rgb(frame, max_side: int | None) -> np.ndarray:
    width, height = frame.width, frame.height
    scale = max_side / max(width, height) if max_side and max(width, height) > max_side else 1.0
    size = (int(round(width * scale)) // 2 * 2, int(round(height * scale)) // 2 * 2)
    if frame.format.name in ("yuv420p",) and width % 2 == 0 and height % 2 == 0:
        # The common camera format: OpenCV converts and scales it in a third of PyAV's time.
        import cv2

        rgb = cv2.cvtColor(frame.to_ndarray(format="yuv420p"), cv2.COLOR_YUV2RGB_I420)
        if scale < 1.0:
            rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    elif scale < 1.0:
        rgb = frame.to_ndarray(format="rgb24", width=size[0], height=size[1])
    else:
        rgb = frame.to_ndarray(format="rgb24")
    rotation = getattr(frame, "rotation", 0) or 0
    if rotation:
        rgb = np.ascontiguousarray(np.rot90(rgb, k=int(round(rotation / 90)) % 4))
    return rgb


MILLISECOND = Fraction(1, 1000)


class VideoWriter:
    """Write RGB frames as H.264 MP4 (yuv420p), which every browser plays; real timestamps kept."""

    def __init__(self, path: str | Path, width: int, height: int, fps: float = 30.0):
        import av

        self.path = Path(path)
        self._container = av.open(str(self.path), mode="w")
        # An integer nominal rate keeps libx264 happy; real frame times go in each frame's pts.
        self._stream = self._container.add_stream("libx264", rate=max(1, round(fps)))
        self._stream.width, self._stream.height = width // 2 * 2, height // 2 * 2
        self._stream.pix_fmt = "yuv420p"
        # Millisecond time bases end to end: frames keep their real (possibly uneven) times.
        self._stream.time_base = MILLISECOND
        self._stream.codec_context.time_base = MILLISECOND
        self._stream.options = {"crf": "26", "preset": "veryfast"}
        self._last_pts = -1

    def write(self, rgb: np.ndarray, timestamp: float) -> None:
        import av

        height, width = self._stream.height, self._stream.width
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb[:height, :width]), format="rgb24")
        pts = max(int(round(timestamp * 1000)), self._last_pts + 1)
        frame.pts, frame.time_base = pts, MILLISECOND  # the muxer may change the stream's own
        self._last_pts = pts
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def close(self) -> None:
        for packet in self._stream.encode():
            self._container.mux(packet)
        self._container.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
