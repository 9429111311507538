"""Generalization benchmark on synthetic clips: does counting hold up across views, bodies, tempos
and ranges of motion, and does it stay at zero on look-alike exercises?

    .venv/bin/python benchmarks/generalization.py [--suite core|programme] [--only NAME] [--quick]
        [--workers 2] [--seed N] [--json OUT] [--no-cache]

What it samples (seeded: the same --seed gives the same clips), for each of the app's exercises
bird-dog, cat-cow and knee-to-chest, 2 reps per clip:

- camera yaw uniform in -60..+60 degrees (positive = swung towards the head);
- camera elevation: floor level (the default low camera, about 18 % of clips) or 0..45 degrees down;
- camera distance: the nearest that frames the whole movement, or 1.2 times that;
- body build: height 1.50-1.95 m, girth 0.85-1.25, legs and arms 0.90-1.10;
- clothes, skin and hair colours and hair style from small palettes; facing left or right;
- tempo: 0.8-2.5 s to move into (and out of) each key pose, and holds log-uniform from 0.4 s (a
  rushed 2 s rep) to 20 s per rep (cat-cow: up to 10 s in each of cat and cow);
- range of motion `depth` 0.5..1.2 (1.0 = the motion script's movement).

Yaw, elevation, depth, move time and hold are Latin-hypercube samples: the clips are drawn as
BLOCKS independent blocks, each of which spreads every one of those over its whole range. `--quick`
runs only the first block (about 1/6 of the clips); a full run reuses its cached landmarks.

`--suite programme` samples the same grid for every other exercise that has motion data in
exercises/motion/ (3 clips per block, 18 per exercise) and the look-alikes for them (1 clip per
block, 6 per pair): a separate run, so that each suite stays near 20 minutes on 2 cores. `--only
TEXT` keeps the clips whose motion name contains TEXT.

Look-alikes (same sampling) are (motion, template) pairs: the motion is rendered and counted with
the template it could be mistaken for, and must count 0. One motion may be the look-alike of
several templates (each pair has its own clips). Core suite (2 clips per block, 12 per pair):
fire-hydrant, donkey-kick, quadruped-hip-extension and superman as bird-dog; sit-up, crunch and
leg-pull-in as knee-to-chest; head-nod (on all fours, only the head drops and lifts) as cat-cow. Programme suite, only motions in exercises/motion/ and mostly what
the template's own `look_alikes` names (16 pairs, 96 clips):
  sit-up as glute-bridge, prone-press-up and seated-forward-bend; superman as prone-press-up;
  mini-jump as heel-raise; knee-to-chest (one knee) as double-knee-to-chest, pelvic-tilt and
  legs-up-the-wall; leg-pull-in as double-knee-to-chest; glute-bridge as lying-knee-twist and
  pelvic-tilt; cat-cow as childs-pose, shell-stretch and downward-dog; wall-squat as
  standing-forward-curl; heel-raise as wall-squat.
The sampled tempo (0.8-2.5 s into each key pose, long holds) applies to look-alikes too: a slow
mini-jump rises onto pointed feet and holds there, which is a heel raise in all but name.

Clips are rendered at 640x360, 10 fps, and run in a pool of --workers processes (default 2); each
worker makes a MediaPipe PoseLandmarker per clip (VIDEO mode tracks across frames, so a clip must
not start from the previous clip's track). Each clip's detections are cached in
~/.cache/posecheck/generalization/<hash>.npz (hash of the clip's MotionScript repr and its motion
file), so a re-run only re-runs the engine; --no-cache runs MediaPipe again and refreshes the cache.
Renderer code changes are not part of the key: use --no-cache after changing posecheck/synth.

Prints: the exact-count rate per exercise x |yaw| bucket x range bucket; per exercise, exact and
within-one rates inside the in-bounds set (|yaw| <= 45 and depth >= 0.6) and outside it; the
look-alikes counted 0 and their false reps; the wall time; and every clip whose count is wrong.
Asserts nothing. Full run (216 clips): about 22 minutes from scratch on a 2-core machine (measured
2026-12-06 with light other work); a re-run from the cache takes about a minute (8 s for --quick).
--suite programme (330 clips): about 19 minutes from scratch (its 234 exercise clips took 11.5 min,
the 96 look-alike clips 5.6 min with the others from the cache).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("OMP_NUM_THREADS", "1")  # workers share 2 cores: no nested thread pools

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from posecheck.synth import Build, MotionScript  # noqa: E402

CACHE = Path.home() / ".cache" / "posecheck" / "generalization"
MOTION_DIR = ROOT / "exercises" / "motion"

REAL = ("bird-dog", "cat-cow", "knee-to-chest")  # the core three (--suite core)
Pair = tuple[str, str]  # (look-alike motion, the app template it could be mistaken for)
LOOK_ALIKES: tuple[Pair, ...] = (  # --suite core
    ("fire-hydrant", "bird-dog"), ("donkey-kick", "bird-dog"), ("quadruped-hip-extension", "bird-dog"),
    ("superman", "bird-dog"), ("sit-up", "knee-to-chest"), ("crunch", "knee-to-chest"),
    ("leg-pull-in", "knee-to-chest"), ("head-nod", "cat-cow"),
)
BLOCKS = 6  # the full grid is 6 independent Latin-hypercube blocks; --quick runs the first
PER_BLOCK = {"bird-dog": 7, "cat-cow": 6, "knee-to-chest": 7}
LOOK_ALIKE_PER_BLOCK = 2
# --suite programme: every other exercise with motion data, 3 clips per block (18 each), and
# look-alikes for them, 1 clip per block (6 per pair). Its own run, so that each suite stays within
# about 20 minutes. Only motions that exist in exercises/motion/; mostly what the template's own
# `look_alikes` names.
PROGRAMME_PER_BLOCK = 3
PROGRAMME_LOOK_ALIKE_PER_BLOCK = 1
PROGRAMME_LOOK_ALIKES: tuple[Pair, ...] = (
    ("sit-up", "glute-bridge"),  # lying on the back, the hip angle opens and closes
    ("superman", "prone-press-up"),  # prone, the chest lifts (the template names superman)
    ("sit-up", "prone-press-up"),  # the back tilts up (named by the template)
    ("mini-jump", "heel-raise"),  # the heels leave the floor (named)
    ("knee-to-chest", "double-knee-to-chest"),  # one knee instead of both (named)
    ("leg-pull-in", "double-knee-to-chest"),  # both knees in, from straight legs (named)
    ("glute-bridge", "lying-knee-twist"),  # supine, knees bent, the hips move (named)
    ("glute-bridge", "pelvic-tilt"),  # (named)
    ("knee-to-chest", "pelvic-tilt"),  # (named)
    ("sit-up", "seated-forward-bend"),  # the trunk folds towards the thighs (named)
    ("cat-cow", "childs-pose"),  # on all fours (named)
    ("cat-cow", "shell-stretch"),  # (named)
    ("cat-cow", "downward-dog"),  # (named)
    ("wall-squat", "standing-forward-curl"),  # standing, hips and knees bend (squat is named)
    ("heel-raise", "wall-squat"),  # standing, the body rises and falls
    ("knee-to-chest", "legs-up-the-wall"),  # supine, a leg comes up (named)
)
SUITES = ("core", "programme")


def programme_exercises() -> tuple[str, ...]:
    """The app's exercises beyond the core three that the renderer can perform."""
    names = {path.stem for path in (ROOT / "exercises").glob("*.toml")}
    return tuple(sorted(n for n in names - set(REAL) if (MOTION_DIR / f"{n}.toml").exists()))


@dataclass(frozen=True)
class Draw:
    """What one block samples: n clips of `motion` counted with `template`, drawn from the random
    stream named `stream`."""

    motion: str
    template: str
    n: int
    stream: str


def per_block(suite: str) -> list[Draw]:
    """The suite's draws per block. A real exercise's stream is its name. A core look-alike's stream
    is its motion's name too (each core motion has one template; this keeps the core clips and their
    cached landmarks as they were before pairs); a programme look-alike's is "motion>template", so
    that a motion that is the look-alike of several templates gets other clips for each."""
    if suite == "core":
        return ([Draw(name, name, n, name) for name, n in PER_BLOCK.items()]
                + [Draw(motion, template, LOOK_ALIKE_PER_BLOCK, motion) for motion, template in LOOK_ALIKES])
    return ([Draw(name, name, PROGRAMME_PER_BLOCK, name) for name in programme_exercises()]
            + [Draw(motion, template, PROGRAMME_LOOK_ALIKE_PER_BLOCK, f"{motion}>{template}")
               for motion, template in PROGRAMME_LOOK_ALIKES])


REPS = 2
WIDTH, HEIGHT, FPS = 640, 360, 10.0

YAW = (-60.0, 60.0)
ELEVATION = (-10.0, 45.0)  # a draw below 0 means the default floor-level camera (None)
DEPTH = (0.5, 1.2)
MOVE = (0.8, 2.5)  # seconds into / out of each key pose
HOLD = (0.4, 20.0)  # seconds held per rep (log-uniform)
KEY_POSES = {"cat-cow": 2}  # holds are per key pose: cat-cow splits a rep's hold between cat and cow
HEIGHT_M, GIRTH, LIMBS = (1.50, 1.95), (0.85, 1.25), (0.90, 1.10)
FAR = 1.2  # the far camera: this times the nearest distance that frames the movement

TOPS = [(196, 58, 64), (52, 92, 160), (40, 40, 44), (230, 230, 225), (70, 130, 80), (220, 160, 40), (120, 80, 150)]
BOTTOMS = [(44, 48, 62), (30, 30, 32), (90, 90, 96), (60, 70, 110), (150, 120, 90)]
SKINS = [(245, 208, 180), (224, 172, 138), (198, 140, 100), (160, 105, 70), (110, 70, 45), (80, 52, 36)]
HAIRS = [(20, 16, 14), (70, 46, 30), (150, 110, 60), (200, 170, 110), (120, 120, 120)]

YAW_BUCKETS = ("0-15", "15-30", "30-45", "45-60")  # |yaw| in degrees
RANGE_BUCKETS = ("<60%", "60-90%", ">=90%")
IN_BOUNDS_YAW, IN_BOUNDS_DEPTH = 45.0, 0.6

RGB = tuple[int, int, int]


# --- the sampled cases ------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One sampled clip: what the figure does, what the engine is told to count, and how it looks."""

    exercise: str  # the motion script the figure performs
    template: str  # the app exercise the engine counts
    yaw: float = 0.0
    elevation: float | None = None  # None = the default floor-level camera
    far: bool = False  # camera at FAR times the fitted distance
    depth: float = 1.0
    move: float = 2.0
    hold: float = 3.0  # per rep (split over the key poses)
    facing: str = "left"
    build: Build = field(default_factory=Build)
    top: RGB = TOPS[0]
    bottom: RGB = BOTTOMS[0]
    skin: RGB = SKINS[1]
    hair: RGB = HAIRS[1]
    hair_style: str = "short"
    seed: int = 0
    block: int = 0

    @property
    def look_alike(self) -> bool:
        return self.exercise != self.template

    @property
    def hold_per_pose(self) -> float:
        return self.hold / KEY_POSES.get(self.exercise, 1)

    def script(self) -> MotionScript:
        """The MotionScript at the fitted distance (`far` is applied by `resolve_script`)."""
        return MotionScript(
            exercise=self.exercise, reps=REPS, tempo=self.move, holds=round(self.hold_per_pose, 2),
            camera_yaw=self.yaw, camera_elevation=self.elevation, facing=self.facing, build=self.build,
            top=self.top, bottom=self.bottom, skin=self.skin, hair=self.hair, hair_style=self.hair_style,
            width=WIDTH, height=HEIGHT, fps=FPS, sway=1.0, seed=self.seed, depth=self.depth)


def stratified(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    """n values in low..high, one in each of n equal strata, in random order (a Latin hypercube axis)."""
    return low + (high - low) * (rng.permutation(n) + rng.uniform(size=n)) / n


def sample_block(exercise: str, n: int, seed: int, block: int, template: str | None = None,
                 stream: str | None = None) -> list[Case]:
    """n cases of the motion `exercise`, counted with `template` (default: itself), for one block,
    from the random stream named `stream` (default: the motion's name)."""
    rng = np.random.default_rng([seed, block, zlib.crc32((stream or exercise).encode())])
    yaws = stratified(rng, n, *YAW)
    elevations = stratified(rng, n, *ELEVATION)
    depths = stratified(rng, n, *DEPTH)
    moves = stratified(rng, n, *MOVE)
    holds = HOLD[0] * (HOLD[1] / HOLD[0]) ** stratified(rng, n, 0.0, 1.0)
    cases = []
    for i in range(n):
        build = Build(height=round(rng.uniform(*HEIGHT_M), 2), girth=round(rng.uniform(*GIRTH), 2),
                      legs=round(rng.uniform(*LIMBS), 2), arms=round(rng.uniform(*LIMBS), 2))
        cases.append(Case(
            exercise=exercise, template=template or exercise,
            yaw=round(float(yaws[i]), 1),
            elevation=None if elevations[i] < 0 else round(float(elevations[i]), 1),
            far=bool(rng.random() < 0.5), depth=round(float(depths[i]), 2),
            move=round(float(moves[i]), 2), hold=round(float(holds[i]), 2),
            facing=str(rng.choice(["left", "right"])), build=build,
            top=_pick(rng, TOPS), bottom=_pick(rng, BOTTOMS), skin=_pick(rng, SKINS), hair=_pick(rng, HAIRS),
            hair_style=str(rng.choice(["short", "bun"])), seed=int(rng.integers(1_000_000)), block=block))
    return cases


def _pick(rng: np.random.Generator, palette: list[RGB]) -> RGB:
    return palette[int(rng.integers(len(palette)))]


def sample_grid(seed: int = 0, quick: bool = False, suite: str = "core") -> list[Case]:
    """Every case of the run: all blocks, or the first only for --quick."""
    blocks = range(1) if quick else range(BLOCKS)
    draws = per_block(suite)
    return [case for block in blocks for d in draws
            for case in sample_block(d.motion, d.n, seed, block, d.template, d.stream)]


# --- running one clip ---------------------------------------------------------------------------

@dataclass
class Row:
    """A case and what the engine made of it."""

    case: Case
    expected: int  # the clip's labelled reps; 0 for a look-alike
    found: int
    detected: float = 1.0  # fraction of frames with a person found
    seconds: float = 0.0  # wall time for this clip in its worker
    cached: bool = False
    error: str = ""  # the clip could not be rendered or detected (found is then -1)
    told: tuple[str, ...] = ()  # what the user was told about the view ("turn_side_on", ...)

    @property
    def exact(self) -> bool:
        return self.found == self.expected

    @property
    def within_one(self) -> bool:
        return abs(self.found - self.expected) <= 1


# Guidance that tells the user the view keeps them from being counted or judged.
VIEW_GUIDANCE = ("turn_side_on", "too_small", "out_of_frame")


def resolve_script(case: Case):
    """The case's MotionScript with a concrete distance when the camera is far, and its Clip."""
    from posecheck.synth.clip import Clip

    script = case.script()
    clip = Clip(script)
    if case.far:
        script = script.with_(distance=round(FAR * fitted_distance(clip), 3))
        clip = Clip(script)
    return script, clip


def fitted_distance(clip) -> float:
    """The distance the clip's camera was placed at (the nearest that frames the movement)."""
    from posecheck.synth.clip import LOOK_AT_HEIGHT

    position = clip.camera.position
    if clip.script.camera_elevation is None:  # measured horizontally, camera at camera_height
        return float(math.hypot(position[0], position[2]))
    return float(np.linalg.norm(position - np.array([0.0, LOOK_AT_HEIGHT, 0.0])))


def cache_path(script: MotionScript) -> Path:
    motion = (MOTION_DIR / f"{script.exercise}.toml").read_text()
    key = hashlib.sha1((repr(script) + motion).encode()).hexdigest()[:20]
    return CACHE / f"{script.exercise}-{key}.npz"


def detect(clip, path: Path) -> None:
    """Run MediaPipe on every rendered frame and save the detections."""
    from posecheck.pipeline.estimator import MediaPipePose
    from posecheck.io.detections import save_detections

    with MediaPipePose(max_people=1) as estimator:
        detections = [estimator(rgb, t) for rgb, t in clip.frames()]
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.stem + f".{os.getpid()}.tmp.npz")
    save_detections(temporary, detections)
    temporary.replace(path)


def run_case(job: tuple[Case, bool]) -> Row:
    """Render (or load from the cache) and count one clip. Runs in a pool worker; an error is
    reported in the row (as a wrong count) rather than ending the whole run."""
    case, use_cache = job
    started = time.perf_counter()
    try:
        return _run_case(case, use_cache, started)
    except Exception as exc:  # noqa: BLE001 - one broken clip must not lose the others
        expected = 0 if case.look_alike else REPS
        return Row(case, expected, -1, 0.0, round(time.perf_counter() - started, 1), error=repr(exc))


def _run_case(case: Case, use_cache: bool, started: float) -> Row:
    from posecheck.pipeline.analysis import analyze_detections
    from posecheck.io.detections import has_outline, load_detections

    script, clip = resolve_script(case)
    path = cache_path(script)
    cached = use_cache and path.exists() and has_outline(path)  # older files lack the back's outline
    if not cached:
        detect(clip, path)
    # The engine always reads the saved (float32) landmarks, so a cached re-run counts the same.
    detections = load_detections(path)
    result = analyze_detections(((d, None) for d in detections), _templates()[case.template])
    expected = 0 if case.look_alike else int(clip.labels["reps"])
    detected = sum(d.pose is not None for d in detections) / max(len(detections), 1)
    told = tuple(sorted({e.code for e in result.events if e.kind == "guidance" and e.code in VIEW_GUIDANCE}))
    return Row(case, expected, len(result.reps), round(detected, 3), round(time.perf_counter() - started, 1),
               cached, told=told)


_TEMPLATES: dict = {}


def _templates() -> dict:
    if not _TEMPLATES:
        from posecheck.io.templates import load_all

        _TEMPLATES.update(load_all(ROOT / "exercises"))
    return _TEMPLATES


def _init_worker() -> None:
    import cv2

    cv2.setNumThreads(1)


def clip_seconds(case: Case) -> float:
    """Rough clip length (for ordering the work longest first and for the estimate)."""
    from posecheck.synth.motion import load_motion

    motion = load_motion(case.exercise)
    keys = len(motion.sequence)
    per_rep = (keys + 1) * case.move + case.hold
    return 1.5 + 1.0 + REPS * per_rep + (REPS - 1) * motion.rest


def run_all(cases: list[Case], workers: int, use_cache: bool, log=print) -> list[Row]:
    """Every case, longest clips first so the pool ends together; rows in the cases' order."""
    order = sorted(range(len(cases)), key=lambda i: -clip_seconds(cases[i]))
    jobs = [(cases[i], use_cache) for i in order]
    rows: dict[int, Row] = {}
    if workers <= 1:
        _init_worker()
        results = map(run_case, jobs)
        pool = None
    else:
        import multiprocessing

        pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker)
        results = pool.imap(run_case, jobs, chunksize=1)
    try:
        for done, (index, row) in enumerate(zip(order, results), 1):
            rows[index] = row
            log(f"[{done:3d}/{len(cases)}] {progress_line(row)}")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return [rows[i] for i in range(len(cases))]


# --- summaries (pure) ---------------------------------------------------------------------------

def yaw_bucket(yaw: float) -> str:
    a = abs(yaw)
    return YAW_BUCKETS[0] if a <= 15 else YAW_BUCKETS[1] if a <= 30 else YAW_BUCKETS[2] if a <= 45 else YAW_BUCKETS[3]


def range_bucket(depth: float) -> str:
    return RANGE_BUCKETS[0] if depth < 0.6 else RANGE_BUCKETS[1] if depth < 0.9 else RANGE_BUCKETS[2]


def in_bounds(case: Case) -> bool:
    """The conditions the app asks for: a view within 45 degrees of side-on and at least 60 % range."""
    return abs(case.yaw) <= IN_BOUNDS_YAW and case.depth >= IN_BOUNDS_DEPTH


def rate_table(rows: list[Row]) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(exercise, yaw bucket, range bucket) -> (exact, clips), real exercises only."""
    table: dict[tuple[str, str, str], tuple[int, int]] = {}
    for row in rows:
        if row.case.look_alike:
            continue
        key = (row.case.exercise, yaw_bucket(row.case.yaw), range_bucket(row.case.depth))
        exact, n = table.get(key, (0, 0))
        table[key] = (exact + row.exact, n + 1)
    return table


def bounds_summary(rows: list[Row]) -> dict[str, dict[str, tuple[int, int, int]]]:
    """exercise -> {"in": (exact, within one, clips), "out": ...}, real exercises only."""
    out: dict[str, dict[str, tuple[int, int, int]]] = {}
    for row in rows:
        if row.case.look_alike:
            continue
        sets = out.setdefault(row.case.exercise, {"in": (0, 0, 0), "out": (0, 0, 0)})
        which = "in" if in_bounds(row.case) else "out"
        exact, near, n = sets[which]
        sets[which] = (exact + row.exact, near + row.within_one, n + 1)
    return out


def look_alike_summary(rows: list[Row]) -> dict[Pair, tuple[int, int, int]]:
    """(look-alike, template) -> (clips counted 0, clips, false reps)."""
    out: dict[Pair, tuple[int, int, int]] = {}
    for row in rows:
        if not row.case.look_alike:
            continue
        pair = (row.case.exercise, row.case.template)
        zero, n, false = out.get(pair, (0, 0, 0))
        out[pair] = (zero + (row.found == 0), n + 1, false + row.found)
    return out


def failures(rows: list[Row]) -> list[Row]:
    return [row for row in rows if not row.exact]


def rate(k: int, n: int) -> str:
    return f"{100 * k / n:3.0f}% {k:>2}/{n:<2}" if n else f"{'-':>10}"


def describe(case: Case) -> dict[str, str]:
    """The columns that identify a clip in the failure list and the progress log."""
    b = case.build
    return {
        "exercise": case.exercise if not case.look_alike else f"{case.exercise}>{case.template}",
        "yaw": f"{case.yaw:+.0f}",
        "elev": "floor" if case.elevation is None else f"{case.elevation:.0f}",
        "depth": f"{case.depth:.2f}",
        "tempo": f"{case.move:.1f}s+{case.hold:.1f}s",
        "build": f"h{b.height:.2f} g{b.girth:.2f} l{b.legs:.2f} a{b.arms:.2f}",
        "view": f"{case.facing}{' far' if case.far else ''}",
    }


def progress_line(row: Row) -> str:
    d = describe(row.case)
    mark = "ok " if row.exact else "BAD"
    source = "cache" if row.cached else f"{row.seconds:.0f}s"
    return (f"{mark} {d['exercise']:<34} yaw {d['yaw']:>4} elev {d['elev']:>5} depth {d['depth']} "
            f"tempo {d['tempo']:<11} {d['view']:<9} reps {row.found}/{row.expected} ({source})"
            + (f" ERROR {row.error}" if row.error else ""))


def format_report(rows: list[Row], seconds: float) -> str:
    lines = []
    table = rate_table(rows)
    lines.append("\n(1) Exact rep count, per exercise x |camera yaw| x range of motion (depth)")
    lines.append(f"{'exercise':<20} {'|yaw|':>6}  " + "  ".join(f"{b:>10}" for b in RANGE_BUCKETS) + f"  {'all':>10}")
    for exercise in sorted({row.case.exercise for row in rows if not row.case.look_alike}):
        for yb in YAW_BUCKETS:
            cells = [table.get((exercise, yb, rb), (0, 0)) for rb in RANGE_BUCKETS]
            total = (sum(c[0] for c in cells), sum(c[1] for c in cells))
            lines.append(f"{exercise:<20} {yb:>6}  " + "  ".join(f"{rate(*c):>10}" for c in [*cells, total]))

    lines.append(f"\n(2) In bounds (|yaw| <= {IN_BOUNDS_YAW:.0f} and depth >= {IN_BOUNDS_DEPTH}) and outside")
    lines.append(f"{'exercise':<20} {'in: exact':>11} {'within 1':>11}   {'out: exact':>11} {'within 1':>11}")
    for exercise, sets in bounds_summary(rows).items():
        (ie, i1, i_n), (oe, o1, o_n) = sets["in"], sets["out"]
        lines.append(f"{exercise:<20} {rate(ie, i_n):>11} {rate(i1, i_n):>11}   {rate(oe, o_n):>11} {rate(o1, o_n):>11}")

    lines.append("\n(3) Look-alikes (must count 0)")
    lines.append(f"{'look-alike':<25} {'as':<20} {'counted 0':>10} {'false reps':>10}")
    for (name, template), (zero, n, false) in look_alike_summary(rows).items():
        lines.append(f"{name:<25} {template:<20} {f'{zero}/{n}':>10} {false:>10}")

    cached = sum(row.cached for row in rows)
    lines.append(f"\n(4) Wall time {seconds / 60:.1f} min for {len(rows)} clips ({cached} from the landmark cache)")

    bad = failures(rows)
    lines.append(f"\n(5) Wrong counts: {len(bad)} of {len(rows)} clips")
    if bad:
        lines.append(f"{'exercise':<34} {'yaw':>4} {'elev':>5} {'depth':>5} {'tempo':<11} {'build':<24} "
                     f"{'view':<9} {'expected':>8} {'found':>5}  told the user")
    for row in bad:
        d = describe(row.case)
        lines.append(f"{d['exercise']:<34} {d['yaw']:>4} {d['elev']:>5} {d['depth']:>5} {d['tempo']:<11} "
                     f"{d['build']:<24} {d['view']:<9} {row.expected:>8} {row.found:>5}  "
                     + (f"ERROR {row.error}" if row.error else ", ".join(row.told) or "-"))
    far_off = [row for row in rows if not row.case.look_alike and not row.within_one]
    silent = [row for row in far_off if not row.told]
    lines.append(f"\nExercise clips off by more than one: {len(far_off)}; {len(silent)} of them without "
                 "telling the user what to change about the view")
    return "\n".join(lines)


def row_dict(row: Row) -> dict:
    return {**asdict(row), "exact": row.exact, "in_bounds": in_bounds(row.case),
            "yaw_bucket": yaw_bucket(row.case.yaw), "range_bucket": range_bucket(row.case.depth)}


# --- command line -------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"only the first of the {BLOCKS} sample blocks")
    parser.add_argument("--workers", type=int, default=2, help="processes, each with its own MediaPipe")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed (same seed, same clips)")
    parser.add_argument("--json", help="also write every clip's row here")
    parser.add_argument("--no-cache", action="store_true", help="run MediaPipe again (and refresh the cache)")
    parser.add_argument("--suite", choices=SUITES, default="core",
                        help="core: cat-cow, bird-dog, knee-to-chest and their look-alikes; programme: the others")
    parser.add_argument("--only", default="", help="only clips whose motion name contains this text")
    args = parser.parse_args(argv)

    cases = [c for c in sample_grid(args.seed, args.quick, args.suite) if args.only in c.exercise]
    video = sum(clip_seconds(c) for c in cases)
    print(f"{len(cases)} clips, {video / 60:.1f} min of video at {FPS:g} fps ({video * FPS:.0f} frames), "
          f"{WIDTH}x{HEIGHT}, {args.workers} workers, seed {args.seed}", flush=True)
    started = time.perf_counter()
    rows = run_all(cases, args.workers, not args.no_cache, log=lambda line: print(line, flush=True))
    print(format_report(rows, time.perf_counter() - started))
    if args.json:
        Path(args.json).write_text(json.dumps([row_dict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
