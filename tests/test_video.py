import numpy as np
import pytest

from posecheck.io.video import VideoError, VideoWriter, probe, read_frames


def write_clip(path, times, size=(320, 240)):
    width, height = size
    with VideoWriter(path, width, height, fps=30) as writer:
        for i, t in enumerate(times):
            frame = np.full((height, width, 3), (i * 7) % 255, np.uint8)
            writer.write(frame, t)


def test_round_trip_keeps_real_frame_times_with_variable_frame_rate(tmp_path):
    times = [0.0, 0.033, 0.066, 0.2, 0.21, 0.5, 0.533, 1.0]  # bursts and gaps
    path = tmp_path / "vfr.mp4"
    write_clip(path, times)
    read = [f.timestamp for f in read_frames(path)]
    assert read == pytest.approx(times, abs=0.002)
    info = probe(path)
    assert (info.width, info.height) == (320, 240)


def test_frames_are_scaled_down_for_analysis(tmp_path):
    path = tmp_path / "big.mp4"
    write_clip(path, [0.0, 0.04], size=(1920, 1080))
    frame = next(read_frames(path, max_side=960))
    assert frame.rgb.shape == (540, 960, 3)


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"this is a text file, not a video" * 50, "is not a video posecheck can read"),
])
def test_unreadable_files_get_clear_errors(tmp_path, content, message):
    path = tmp_path / "clip.mp4"
    path.write_bytes(content)
    with pytest.raises(VideoError, match=message):
        list(read_frames(path))


def test_missing_file(tmp_path):
    with pytest.raises(VideoError, match="not found"):
        probe(tmp_path / "nope.mp4")


def test_truncated_file_keeps_the_frames_before_the_damage(tmp_path):
    path = tmp_path / "ok.mp4"
    write_clip(path, [i / 30 for i in range(90)])
    data = path.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) * 2 // 3])
    frames = []
    with pytest.raises(VideoError) as error:
        for frame in read_frames(cut):
            frames.append(frame)
        raise VideoError("cut.mp4 decoded completely")  # not expected: a third is missing
    # either the damage is reported after the frames that could be read, or up front; by name
    assert "cut.mp4" in str(error.value)
    assert len(frames) < 90


def test_at_most_max_fps_frames_are_kept_on_their_real_times(tmp_path):
    path = tmp_path / "sixty.mp4"
    times = [i / 60 for i in range(120)]
    write_clip(path, times)
    kept = [f.timestamp for f in read_frames(path, max_fps=15)]
    assert len(kept) == 30
    # B-frames of a 60 fps file are not decoded, so a kept frame may be one source frame late
    for grid_time, time in zip(times[::4], kept):
        assert grid_time - 0.002 <= time <= grid_time + 1 / 60 + 0.002
    every_frame = [f.timestamp for f in read_frames(path)]
    assert every_frame == pytest.approx(times, abs=0.002)  # without max_fps nothing is skipped


@pytest.mark.parametrize("rate", [30, 60])
def test_parts_read_apart_join_into_the_whole(tmp_path, rate):
    path = tmp_path / "parts.mp4"
    times = [i / rate for i in range(3 * rate)]
    write_clip(path, times)
    whole = [f.timestamp for f in read_frames(path, max_fps=15)]
    parts = [f.timestamp for f in read_frames(path, max_fps=15, end=1.3)]
    parts += [f.timestamp for f in read_frames(path, max_fps=15, start=1.3)]
    assert parts == pytest.approx(whole, abs=0.002)
