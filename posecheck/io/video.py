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


MIN_VIDEO_FPS = 4.0  # fewer frames a second cannot follow a movement (a slideshow, a 3-frame GIF)
MIN_VIDEO_SECONDS = 1.0
# How much shorter than its stated length a file may decode before it is called cut off.
CUT_OFF_TOLERANCE = (1.0, 0.03)  # seconds, or this fraction of the length if more


def _open(path: Path):
    import av

    if path.is_dir():
        raise VideoError(f"{path} is a folder, not a video file")
    if not path.exists():
        raise VideoError(f"Video file not found: {path}")
    if path.stat().st_size == 0:
        raise VideoError(f"{path.name} is empty (0 bytes): it holds no video")
    try:
        container = av.open(str(path))
    except av.error.InvalidDataError as exc:
        raise VideoError(f"{path.name} is not a video posecheck can read: it is in no video format "
                         "FFmpeg knows (MP4, MOV, WebM, AVI, MKV, GIF ...), or it is badly damaged") from exc
    except (av.error.FFmpegError, UnicodeDecodeError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise VideoError(f"{path.name} could not be opened: {reason}") from exc
    if not container.streams.video:
        kinds = sorted({stream.type for stream in container.streams})
        container.close()
        held = f" (only {' and '.join(kinds)})" if kinds else ""
        raise VideoError(f"{path.name} has no video in it{held}: posecheck needs a recording of the exercise")
    return container


def probe(path: str | Path) -> VideoInfo:
    path = Path(path)
    container = _open(path)
    try:
        stream = container.streams.video[0]
        if _is_still_picture(container):
            kind = container.format.name.removesuffix("_pipe").upper()
            raise VideoError(f"{path.name} is a still picture ({kind}), not a video: posecheck needs a "
                             "recording of the exercise")
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


def _is_still_picture(container) -> bool:
    """A PNG, JPEG or WebP picture (read by FFmpeg's image demuxers), whatever its file name."""
    name = container.format.name
    return name.endswith("_pipe") or name == "image2"


def check_video(path: str | Path) -> VideoInfo:
    """`probe`, and refuse what cannot show an exercise: a picture, a clip too short or with too
    few frames a second. Cheap: call it before loading the pose model."""
    info = probe(path)
    name = info.path.name
    if info.frame_count == 1 or info.duration is not None and info.duration < MIN_VIDEO_SECONDS:
        length = "a single frame" if info.frame_count == 1 else f"{info.duration:.1f} s"
        raise VideoError(f"{name} is only {length} long: too short to show an exercise")
    rate = info.frame_count / info.duration if info.frame_count and info.duration else info.fps
    if rate is not None and rate < MIN_VIDEO_FPS:
        raise VideoError(f"{name} has only {rate:.1f} frames a second: too few to follow a movement "
                         f"(posecheck needs at least {MIN_VIDEO_FPS:.0f}; record at 15 or more)")
    return info


def cut_off_warning(info: VideoInfo, read_until: float, frame_gap: float) -> str | None:
    """A sentence for a file that decodes to much less than its stated length (a copy or a
    download cut off), naming both lengths; None when it reads to (about) its end."""
    if not info.duration:
        return None
    seconds, fraction = CUT_OFF_TOLERANCE
    if read_until + frame_gap >= info.duration - max(seconds, fraction * info.duration):
        return None
    return (f"{info.path.name} ends early: only {read_until:.1f} s of its {info.duration:.1f} s could be read "
            "(the file is cut off or damaged); the part before was analysed.")


def read_frames(path: str | Path, max_side: int | None = None, max_fps: float | None = None,
                start: float = 0.0, end: float | None = None, single_thread: bool = False) -> Iterator[Frame]:
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
        if single_thread:
            stream.codec_context.thread_count = 1
        else:
            stream.thread_type = "AUTO"
        if max_fps and float(stream.average_rate or 0) >= 2 * max_fps:
            # Frames no other frame refers to (B-frames) are not even decoded: at 60 fps that
            # halves the decoding of most encoders' files, and a kept frame is at most one source
            # frame later than its grid time.
            stream.codec_context.skip_frame = "NONREF"
        # Times count from the stream's own start (else its first frame), the same whether the
        # whole video is read or a part of it, so that parts line up with the whole.
        origin = float(stream.start_time * stream.time_base) if stream.start_time is not None else None
        if start > 0:
            container.seek(int(((origin or 0.0) + start) / stream.time_base), stream=stream, backward=True)
        decoded, timestamp = 0, 0.0
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
                raise VideoError(f"{path.name} could not be decoded: its video data is damaged") from exc
            raise VideoError(f"{path.name} is damaged after {timestamp:.1f} s; the part before was analysed.") from exc
        if decoded == 0 and start == 0:
            raise VideoError(f"{path.name} holds no video frames that can be decoded")
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
