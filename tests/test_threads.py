"""The pipeline's thread helpers (posecheck/io/threads.py) and the split of a video into parts
(posecheck/pipeline/parallel.py), on plain Python data."""

import threading
import time

import pytest

from posecheck.io.threads import BackgroundWorker, prefetched
from posecheck.pipeline.parallel import parts


def test_prefetched_keeps_order_and_runs_ahead_on_another_thread():
    producers = set()

    def numbers():
        for i in range(50):
            producers.add(threading.current_thread().name)
            yield i

    assert list(prefetched(numbers(), depth=3)) == list(range(50))
    assert producers == {"posecheck-prefetch"}


def test_prefetched_hands_on_an_error_after_the_items_before_it():
    def broken():
        yield 1
        yield 2
        raise ValueError("damaged after 2 frames")

    got = []
    with pytest.raises(ValueError, match="damaged after 2 frames"):
        for item in prefetched(broken()):
            got.append(item)
    assert got == [1, 2]


def test_stopping_early_stops_the_producer():
    made = []

    def endless():
        i = 0
        while True:
            made.append(i)
            yield i
            i += 1

    for item in prefetched(endless(), depth=2):
        if item == 5:
            break
    time.sleep(0.2)
    count = len(made)
    time.sleep(0.2)
    assert len(made) == count <= 5 + 2 + 2, "the producer stopped a few items ahead at most"


def test_background_worker_works_in_order_and_reports_errors():
    done = []
    worker = BackgroundWorker(done.append, depth=2)
    for i in range(20):
        worker.submit(i)
    worker.close()
    assert done == list(range(20))

    def fail(item):
        raise OSError("disk full")

    failing = BackgroundWorker(fail)
    failing.submit(1)
    with pytest.raises(OSError, match="disk full"):
        failing.close()


@pytest.mark.parametrize("duration, workers", [(14.2, 2), (100.0, 2), (8.0, 4), (3600.0, 2)])
def test_parts_cover_the_video_once(duration, workers):
    found = parts(duration, workers)
    assert len(found) >= workers
    assert found[0][0] == 0 and found[-1][1] is None
    for (start, end), (next_start, _) in zip(found, found[1:]):
        assert end == next_start and end > start
    assert all((end or duration) - start <= 15.0 + 1e-6 for start, end in found) or len(found) == workers
