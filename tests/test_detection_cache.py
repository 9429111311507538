"""The detection cache (io/detection_cache.py) without the pose model: what it keeps reads back
exactly, a key changes with anything that decides the landmarks, a damaged entry is made again.
The corpus and render tests use it for real; test_model, test_scenes and test_synth still run the
estimator itself on every run."""

import math

import numpy as np

from posecheck.core.keypoints import Detection, Pose
from posecheck.io.detection_cache import DetectionCache, file_digest, frames_digest


def pose(seed: int) -> Pose:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 640, (33, 2))
    return Pose(xy, rng.normal(0, 50, 33), rng.uniform(0, 1, 33), (640, 360),
                world=rng.normal(0, 0.5, (33, 3))).with_outline(back_curve=0.123456789, front_reach=math.nan)


def detections() -> list[Detection]:
    return [Detection(0.0, ()), Detection(1 / 15, (pose(1),)), Detection(2 / 15, (pose(2), pose(3)))]


def test_what_is_kept_reads_back_exactly_with_the_readers_warnings(tmp_path):
    cache = DetectionCache(tmp_path / "cache")
    key = cache.key(video="abc", outline=True)
    assert cache.load(key) is None
    cache.save(key, detections(), ["The file ends at 7.9 s of 10.6 s."])
    loaded, warnings = cache.load(key)
    assert warnings == ["The file ends at 7.9 s of 10.6 s."]
    assert [d.timestamp for d in loaded] == [d.timestamp for d in detections()]
    assert [len(d.poses) for d in loaded] == [0, 1, 2]
    for got, want in zip(loaded[2].poses, detections()[2].poses):
        assert np.array_equal(got.xy, want.xy) and np.array_equal(got.world, want.world)  # float64, exact
        assert np.array_equal(got.depth, want.depth) and np.array_equal(got.visibility, want.visibility)
        assert got.back_curve == want.back_curve and math.isnan(got.front_reach)
    assert list(tmp_path.joinpath("cache").glob("*.part")) == []


def test_the_key_changes_with_each_part_and_not_with_their_order():
    key = DetectionCache.key
    base = dict(video="v1", model="m1", max_people=2, outline=True, max_fps=15.0)
    assert key(**base) == key(**dict(reversed(list(base.items()))))
    for name, other in (("video", "v2"), ("model", "m2"), ("max_people", 1), ("outline", False), ("max_fps", None)):
        assert key(**{**base, name: other}) != key(**base), name


def test_a_damaged_entry_is_made_again(tmp_path):
    cache = DetectionCache(tmp_path)
    key = cache.key(video="x")
    (tmp_path / f"{key}.npz").write_bytes(b"not a numpy file")
    calls = []
    found = cache.detections(key, lambda: calls.append(1) or detections())
    assert calls == [1] and len(found) == 3
    assert len(cache.detections(key, lambda: calls.append(1) or [])) == 3 and calls == [1]


def test_digests_follow_the_bytes(tmp_path):
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    a.write_bytes(b"same"), b.write_bytes(b"same")
    assert file_digest(a) == file_digest(b)
    b.write_bytes(b"other")
    assert file_digest(a) != file_digest(b)
    frames = [(0.0, np.zeros((4, 4, 3), np.uint8)), (0.1, np.ones((4, 4, 3), np.uint8))]
    assert frames_digest(frames) == frames_digest(list(frames))
    assert frames_digest(frames) != frames_digest(frames[::-1])
    assert frames_digest(frames) != frames_digest([(0.0, frames[0][1]), (0.2, frames[1][1])])
