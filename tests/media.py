"""Odd and hostile video files, built from one rendered sample clip (samples/ is in the repository).

Each maker writes one file the way a phone, an editor or a broken copy would produce it: a
different frame rate, pixel format, size or rotation, a cut, or no video at all.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# A rendered knee-to-chest: one rep on the right leg, held 10 s, 17.5 s at 20 fps, 640x360.
SOURCE = ROOT / "samples" / "knee-to-chest__synth-correct.mp4"
SOURCE_REPS = 1
MS = Fraction(1, 1000)


def source_frames(every: int = 1) -> list[tuple[float, np.ndarray]]:
    import av

    with av.open(str(SOURCE)) as container:
        frames = [(f.time, f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    return frames[::every]


def write(path: Path, frames, rate: int = 30, pix_fmt: str = "yuv420p", size=None, rotation=None,
          faststart: bool = False) -> Path:
    """Encode (time, rgb) frames with H.264 at their own times (millisecond pts)."""
    import av

    options = {"movflags": "faststart"} if faststart else {}
    with av.open(str(path), "w", options=options) as container:
        stream = container.add_stream("libx264", rate=rate)
        height, width = frames[0][1].shape[:2] if size is None else size[::-1]
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        stream.time_base = stream.codec_context.time_base = MS
        stream.options = {"preset": "ultrafast"}
        if rotation is not None:
            stream.set_display_rotation(rotation)
        last = -1
        for t, rgb in frames:
            if size is not None:
                rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24").reformat(format=pix_fmt)
            frame.pts = last = max(int(round(t * 1000)), last + 1)
            frame.time_base = MS
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def variable_rate(frames, seed: int = 1):
    """The same frames at uneven intervals (1/60 to 1/10 s), as phones record in low light."""
    rng, t, out = random.Random(seed), 0.0, []
    for _, rgb in frames:
        out.append((t, rgb))
        t += rng.choice([1 / 60, 1 / 30, 1 / 15, 0.1])
    return out


def high_rate(frames, factor: int, source_fps: float = 20.0):
    """Each frame repeated `factor` times at `factor` x the rate: the same movement, more frames."""
    return [(i / (source_fps * factor), rgb) for i, (_, rgb) in enumerate(f for f in frames for _ in range(factor))]


# A phone held upright stores its sensor's frames sideways and tags them "rotate 90 clockwise":
# in FFmpeg's display matrix, which counts counter-clockwise, -90 degrees.
PHONE_ROTATION = -90


def stored_sideways(frames):
    """The frames as a phone stores them (turned a quarter counter-clockwise); written with
    `rotation=PHONE_ROTATION`, a player shows them upright again."""
    return [(t, np.ascontiguousarray(np.rot90(rgb, k=1))) for t, rgb in frames]


def audio_only(path: Path) -> Path:
    import av

    with av.open(str(path), "w") as container:
        stream = container.add_stream("aac", rate=44100)
        for i in range(40):
            frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 44100, i * 1024
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def picture(path: Path, extension: str) -> Path:
    """A still picture (PNG or JPEG bytes) saved under a video's name."""
    ok, data = cv2.imencode(extension, source_frames(every=50)[1][1])
    assert ok
    path.write_bytes(data.tobytes())
    return path


def truncated(path: Path, source: Path, keep: float = 0.5) -> Path:
    """The first part of a file, as a copy or download cut off; index at the front (faststart)."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path
