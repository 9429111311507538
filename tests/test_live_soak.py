"""A soak test of the live pipeline: 30 simulated minutes at 30 frames a second (54,000 frames)
through LiveCoach.process, with a scripted estimator replaying synthetic knee-to-chest reps, pauses,
a walk out of view and dropped detections, and a real session recorder on a temporary SQLite file.

What it proves, for this script: the reps are counted as scripted and stored; nothing the coach
holds grows with every frame (the key-angle series, 10 points a second, is the documented
exception; the session's events and reps grow with what happens, not with frames); the memory the
coach holds at minute 30 is what it held at minute 5; a traced minute keeps little of what it
allocated; the time per frame does not grow (to twice what it was).

How memory is measured, and why not with tracemalloc throughout: tracing every allocation makes a
frame about 3.5 times slower, so 25 traced minutes would take some 160 s. Instead:
- everything reachable from the coach (its engine, filters, learned ranges, timers, recorder...)
  is walked at the end of every simulated minute, summing sizes and noting each container's
  length. Minutes 5 and 30 end at the same point of the script; the coach holds about 160 kB at
  both, within 1 kB of each other, and may hold at most 64 kB more at minute 30. Keeping every pose
  (about 1.5 kB each) would add some 65 MB over those 25 minutes, every frame (320 x 180 x 3
  bytes) some 7.8 GB, even one float per frame (32 bytes) 1.4 MB: each far beyond the margin.
  No container may hold more than a minute of frames (1,800 items) at any minute: the largest,
  the personal range's 30-s window, holds about 900;
- tracemalloc traces minute 27 alone (reps): of what that minute allocated, at most 1 MB may be
  still held at its end (about 0.25 MB is: the moving windows and that minute's series points),
  where keeping every pose would hold some 2.7 MB more. This also sees memory held outside the
  coach (a module-level cache, say), which the walk cannot.
Time per frame is this thread's CPU time, not wall time: the machine may be shared.
What it does not prove: anything about the camera, the pose model or the browser (none run here),
nor about sessions longer than 30 minutes (though nothing here grows but the records).

The last test feeds the live coach landmarks that are NaN, infinite or huge: nothing is drawn
where a point has no place, and nothing raises.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections import deque

import numpy as np
import pytest

from posecheck.core.keypoints import Detection, Pose
from posecheck.io.store import SessionRecorder, Store
from posecheck.pipeline.live import SERIES_STEP, LiveCoach
from synthetic import lying, sequence

FPS = 30
MINUTE = 60 * FPS  # frames
MINUTES = 30
SIZE = (320, 180)  # small frames: drawing stays cheap
SCALE = SIZE[0] / 1280  # the synthetic figures are drawn for 1280 x 720

# The script repeats a 5-minute block: 6 reps of 20 s, a minute out of view, a minute's pause lying
# still in the starting position, 3 more reps. Minutes 2 and 30 (and 5 and 30) are then alike.
BLOCK = (("reps", 6), ("away", 60), ("pause", 60), ("reps", 3))
BLOCKS = MINUTES // 5
SCRIPTED_REPS = BLOCKS * sum(n for what, n in BLOCK if what == "reps")
TRACED_MINUTE = 27  # reps, in the last block

WALK_MARGIN = 64 * 1024  # bytes the coach may hold more at minute 30 than at minute 5
TRACED_MINUTE_LIMIT = 1024 * 1024  # bytes still held, at its end, of what the traced minute allocated
MOST_FRAMES_HELD = MINUTE  # no container but the series holds more than a minute of frames' worth
GROWING_RECORDS = ("coach.series", "coach.engine.events", "coach.engine.reps", "coach._snapshot.reps")
NOT_THE_COACHS = ("coach.estimator",)  # the test's scripted estimator holds the whole script


def small(pose: Pose) -> Pose:
    return Pose(pose.xy * SCALE, pose.depth * SCALE, pose.visibility, SIZE)


def poses(keyframes) -> list[tuple[Pose, ...]]:
    return [(small(d.pose),) for d in sequence(keyframes, lying, fps=FPS, jitter=2.0, seed=len(keyframes))]


KNEES = {"left": 125.0, "right": 125.0}


def rep(side: str) -> list[tuple[Pose, ...]]:
    """20 s: rest 3 s, pull one knee in over 1 s, hold 11 s, let go over 1 s, rest 4 s; with the
    detection lost for a frame now and then, and for 0.2 s once in the hold and once at rest."""
    hug = {"pull": KNEES | {side: 55.0}}
    frames = poses([(0, {"pull": KNEES}), (3, {"pull": KNEES}), (4, hug), (15, hug), (16, {"pull": KNEES}),
                    (20, {"pull": KNEES})])[:20 * FPS]
    for i in list(range(0, len(frames), 47)) + list(range(9 * FPS, 9 * FPS + 6)) + list(range(18 * FPS, 18 * FPS + 6)):
        frames[i] = ()
    return frames


def script() -> list[tuple[Pose, ...]]:
    """Who the estimator finds in each of the 54,000 frames (shared tuples: the script is small).
    Sides alternate from rep to rep."""
    reps = {side: rep(side) for side in ("right", "left")}
    resting = poses([(0, {"pull": KNEES}), (10, {"pull": KNEES})])[:10 * FPS]
    frames, count = [], 0
    for _ in range(BLOCKS):
        for what, n in BLOCK:
            if what == "reps":
                for _ in range(n):
                    frames += reps[("right", "left")[count % 2]]
                    count += 1
            elif what == "away":  # out of view: the coach learns this person afresh when they are back
                frames += [()] * (n * FPS)
            else:
                frames += (resting * (n // 10 + 1))[:n * FPS]
    return frames


class ReplayEstimator:
    """Plays the script back: new landmark arrays every frame, as the pose model gives them."""

    def __init__(self, frames):
        self.frames, self.i = frames, 0

    def __call__(self, rgb, t):
        people = tuple(Pose(p.xy.copy(), p.depth.copy(), p.visibility.copy(), p.image_size)
                       for p in self.frames[self.i])
        self.i += 1
        return Detection(t, people)


# ----- what the coach holds ----------------------------------------------------------------------
LEAVES = (str, bytes, int, float, complex, bool, type(None), type, type(len), type(sys))


def holdings(root, name: str = "coach"):
    """Walk everything reachable from `root` through attributes and items. Returns (bytes, sizes):
    the total size of the objects, and for each container (by its path, items of a container
    sharing one path) the largest length seen. The GROWING_RECORDS are only measured in length."""
    seen: set[int] = set()
    total = 0
    sizes: dict[str, int] = {}
    stack = [(root, name)]
    while stack:
        obj, path = stack.pop()
        if id(obj) in seen or path in NOT_THE_COACHS:
            continue
        seen.add(id(obj))
        if path in GROWING_RECORDS:  # sized by length only: their growth is checked on its own
            sizes[path] = len(obj)
            continue
        total += sys.getsizeof(obj)
        if isinstance(obj, LEAVES) or (callable(obj) and not hasattr(obj, "__dict__")):
            continue
        if isinstance(obj, np.ndarray):
            continue  # getsizeof counted its data
        if isinstance(obj, (list, tuple, deque, set, frozenset, dict)):
            sizes[path] = max(sizes.get(path, 0), len(obj))
            items = list(obj.items()) if isinstance(obj, dict) else [(None, x) for x in obj]
            for key, value in items:
                stack.append((value, f"{path}[]"))
                if key is not None:
                    stack.append((key, f"{path}{{}}"))
            continue
        for attr, value in getattr(obj, "__dict__", {}).items():
            stack.append((value, f"{path}.{attr}"))
    return total, sizes


# ----- the soak ----------------------------------------------------------------------------------
def test_thirty_minutes_live(tmp_path, templates):
    frames = script()
    assert len(frames) == MINUTES * MINUTE
    store = Store(tmp_path / "history.db")
    clock = [0.0]  # the coach's clock follows the simulated time (its frame rate is then 30)
    coach = LiveCoach(templates["knee-to-chest"], ReplayEstimator(frames),
                      lambda: SessionRecorder(store, "knee-to-chest", "live"), clock=lambda: clock[0])
    image = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
    cpu = np.zeros(len(frames))  # per-frame CPU time of this thread (not wall time: the machine is shared)
    walks = {}  # minute -> (bytes held, container sizes, len(series), len(events))
    traced = None
    for i in range(len(frames)):
        t = i / FPS
        clock[0] = t
        if i == (TRACED_MINUTE - 1) * MINUTE:
            tracemalloc.start()
        start = time.thread_time_ns()
        out = coach.process(image, t)
        cpu[i] = time.thread_time_ns() - start
        if (i + 1) % MINUTE == 0:
            minute = (i + 1) // MINUTE
            if minute == TRACED_MINUTE:
                traced = tracemalloc.get_traced_memory()[0]
                tracemalloc.stop()
            walks[minute] = (*holdings(coach), len(coach.series), len(coach.engine.events))
    assert out.shape == image.shape

    print(f"soak: held {walks[5][0]} bytes at minute 5, {walks[MINUTES][0]} at minute 30; minute "
          f"{TRACED_MINUTE} kept {traced} bytes; median frame {np.median(cpu[MINUTE:2 * MINUTE]) / 1e6:.3f} ms "
          f"(minute 2), {np.median(cpu[-MINUTE:]) / 1e6:.3f} ms (minute 30); largest containers at 30: "
          f"{sorted(walks[MINUTES][1].items(), key=lambda kv: -kv[1])[:8]}")

    # The reps, as scripted, counted and stored.
    summary = coach.finish()
    half = SCRIPTED_REPS // 2
    assert summary.reps == SCRIPTED_REPS and summary.reps_by_side == {"right": half, "left": half}
    session_id = coach.recorder.session_id
    assert len(store.reps(session_id)) == SCRIPTED_REPS
    assert all(rep.hold_seconds and rep.hold_seconds > 10 for rep in store.reps(session_id))

    # Nothing held grows with every frame: no container but the records holds a minute of frames.
    for minute, (_, sizes, _, _) in walks.items():
        big = {path: n for path, n in sizes.items() if n > MOST_FRAMES_HELD and path not in GROWING_RECORDS}
        assert not big, f"at minute {minute} these hold more than a minute of frames: {big}"
    # The series grows by 10 points a second, no faster; the events by what happens, far slower.
    for minute, (_, _, series, events) in walks.items():
        assert abs(series - minute * 60 / SERIES_STEP) <= 2, (minute, series)
        assert events <= minute * 60, f"{events} events in {minute} minutes"
    assert len(store.session(session_id)["series"]) == len(coach.series)

    # Memory: flat between minute 5 and minute 30 (the same point of the script), and a traced
    # minute keeps little of what it allocated.
    held_5, held_30 = walks[5][0], walks[MINUTES][0]
    assert held_30 - held_5 <= WALK_MARGIN, f"the coach held {held_5} bytes at minute 5, {held_30} at minute 30"
    assert traced is not None and traced <= TRACED_MINUTE_LIMIT, f"minute {TRACED_MINUTE} kept {traced} bytes"

    # Time per frame does not grow: minutes 2 and 30 play the same part of the script (medians:
    # a few frames also write to the store).
    second = np.median(cpu[MINUTE:2 * MINUTE])
    last = np.median(cpu[-MINUTE:])
    assert last <= 2 * second, f"median frame time {second / 1e6:.2f} ms in minute 2, {last / 1e6:.2f} ms in minute 30"


@pytest.mark.parametrize("value", [np.nan, np.inf, 1e12])
def test_the_live_coach_survives_landmarks_it_cannot_draw(templates, value):
    pose = Pose(np.full((33, 2), value), np.zeros(33), np.ones(33), SIZE)
    coach = LiveCoach(templates["knee-to-chest"], lambda rgb, t: Detection(t, (pose,)))
    image = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
    for i in range(3):
        assert coach.process(image, i / FPS).shape == image.shape
