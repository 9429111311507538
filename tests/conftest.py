import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("GLOG_minloglevel", "2")
# Tests (and the processes they start) never write into the user's own history.
os.environ["POSECHECK_DB"] = str(Path(tempfile.mkdtemp(prefix="posecheck-tests-")) / "history.db")
sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def copy_shared_definitions(folder: Path) -> None:
    """The shipped templates refer to exercises/shared/: a folder of their copies needs it too."""
    shutil.copytree(ROOT / "exercises" / "shared", folder / "shared")


@pytest.fixture(scope="session")
def templates():
    from posecheck.io.templates import load_all

    return load_all(ROOT / "exercises")


# What the pose model found in real clips and renders, kept between runs (io/detection_cache.py:
# keyed by the clip's bytes, MediaPipe's version, the model's hash and the estimator's settings),
# so a run reuses the last run's landmarks. The tests that check the estimator itself never use it.
DETECTION_CACHE = Path(os.environ.get("POSECHECK_TEST_CACHE",
                                      Path.home() / ".cache" / "posecheck" / "test-detections"))


@pytest.fixture(scope="session")
def detection_cache():
    from posecheck.io.detection_cache import DetectionCache

    return DetectionCache(DETECTION_CACHE)


def cached_run(cache, frames, **estimator_settings):
    """MediaPipe over in-memory (time, rgb) frames, or its saved result for the same frames."""
    from posecheck.pipeline.estimator import MediaPipePose, estimator_identity
    from posecheck.io.detection_cache import frames_digest
    from posecheck.pipeline.picture_change import lacks_picture_changes, with_picture_changes

    frames = list(frames)
    key = cache.key(frames=frames_digest(frames), **estimator_identity(**estimator_settings))

    def run():
        with MediaPipePose(**estimator_settings) as estimator:
            return [estimator(rgb, t) for t, rgb in frames]

    detections = cache.detections(key, run)
    if lacks_picture_changes(detections):  # saved before they were kept: the frames give them
        detections = with_picture_changes(detections, (rgb for _, rgb in frames))
        cache.save(key, detections)
    return detections


def require_corpus():
    if not (CORPUS / "labels.toml").exists():
        pytest.skip(f"the real-clip corpus is not at {CORPUS} (it is not redistributable; "
                    "these tests run where ../shared/corpus exists)")
    return CORPUS
