"""Run one stage of a pipeline on its own thread, joined to the next by a small queue: video
decoding overlaps pose inference, and encoding the annotated video does not stall the analysis.
(PyAV and MediaPipe release the GIL while they work, so two cores are both used.)"""

from __future__ import annotations

import queue
import threading
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
_DONE = object()


def prefetched(items: Iterable[T], depth: int = 4) -> Iterator[T]:
    """Iterate `items` on a background thread, at most `depth` ahead of the consumer. An error
    in the producer is raised in the consumer, after the items before it; stopping early (the
    consumer breaks or fails) stops the producer too."""
    slots: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                slots.put((item, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            slots.put((_DONE, exc))
            return
        slots.put((_DONE, None))

    thread = threading.Thread(target=produce, name="posecheck-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item, error = slots.get()
            if item is _DONE:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting on a full queue
            try:
                slots.get_nowait()
            except queue.Empty:
                thread.join(timeout=0.05)


class BackgroundWorker:
    """Calls `work(item)` for each submitted item on its own thread, in order. `close()` waits
    for the queue to drain and re-raises the first error the work raised."""

    def __init__(self, work: Callable[[T], None], depth: int = 8):
        self._work = work
        self._slots: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="posecheck-worker", daemon=True)
        self._thread.start()

    def submit(self, item: T) -> None:
        if self._error is not None:
            raise self._error
        self._slots.put(item)

    def close(self) -> None:
        self._slots.put(_DONE)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            item = self._slots.get()
            if item is _DONE:
                return
            if self._error is None:
                try:
                    self._work(item)
                except BaseException as exc:  # noqa: BLE001 - re-raised in submit/close
                    self._error = exc
