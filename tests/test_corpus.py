"""Real clips from ../shared/corpus against their hand-counted labels (skipped where absent).

These prove the whole pipeline (decode, MediaPipe, smoothing, engine) on real people for the
clips we have; the derived clips (reversed, mirrored, looped) prove that counting does not
depend on the direction of movement, the facing side or the clip boundaries. They do not prove
accuracy on people, rooms and cameras unlike these few clips.
"""

import numpy as np
import pytest

from conftest import CORPUS, ROOT, cached_run, require_corpus
from posecheck.pipeline.analysis import analyze_detections, analyze_video
from posecheck.pipeline.evaluation import load_cases, outcome_of
from posecheck.io.templates import load_all
from posecheck.io.video import read_frames

KNOWN = set(load_all(ROOT / "exercises"))  # every shipped exercise with labelled clips
CORPUS_HERE = (CORPUS / "labels.toml").exists()
CASES = load_cases(CORPUS / "labels.toml", KNOWN) if CORPUS_HERE else []
_results = {}

# Clips posecheck is known to get wrong, and why. Strict: if one starts passing, the test fails
# until it is taken off this list. It is in the issue notes.
KNOWN_MISSES = {
    "glute-bridge__merged-exercise__ball.mp4": "close-up at hip height with a ball between the knees: MediaPipe "
    "puts the hips on the tops of the knees in every frame (the hip line reads 40-70 degrees with the thighs "
    "pointing down whenever the hips are down, and at 5.2-6.8 s, when he is already up). All 3 bridges are "
    "counted, but each reads up only from about 1.3 s after he is (7.2, 15.9, 23.6 s against the labelled "
    "6.0, 14.5, 22.0): holds 3.2, 2.8 and 2.4 s of 4.5, 4.0 and 4.0",
    # Issue 25 (holds and range of motion) took the wall sit filmed from its first frame and the
    # single-leg bridges (the hip line now read on the supporting leg) off this list.
    "childs-pose__frontendproject.mp4": "slow entry in two stages: the hips sit back (7.5-8.5 s), the torso "
    "stays raised (8.5-13.5 s), then the chest lowers (14.0-15.5 s). Timed only while the chest is down "
    "(the template's held position) and from 85 % of the way in, it reads 25.5 s against the labelled "
    "23.2 s: the label starts when the chest has finished lowering and ends at the first movement out",
}


def corpus_param(case):
    if case is not None and not case.negative and case.file.name in KNOWN_MISSES:
        return pytest.param(case, marks=pytest.mark.xfail(reason=KNOWN_MISSES[case.file.name], strict=True))
    return case


def analysed(case, templates, cache):
    """The clip as `posecheck analyze` reads it; its landmarks from the last run where the clip,
    the model and the estimator's settings are the same (the first run finds them)."""
    key = (case.file, case.exercise)
    if key not in _results:
        _results[key] = analyze_video(case.file, templates[case.exercise], cache=cache)
    return _results[key]


@pytest.mark.corpus
@pytest.mark.parametrize("case", [corpus_param(c) for c in CASES] or [None],
                         ids=lambda c: c.name if c else "corpus-absent")
def test_labelled_clip_count_is_in_its_accept_range(case, templates, detection_cache):
    require_corpus()
    result = analysed(case, templates, detection_cache)
    outcome = outcome_of(case, result)
    assert outcome.count_passed, f"{case.name}: found {outcome.found}, accept {case.accept}"
    labelled = [round(end - start, 1) for start, end in case.holds]
    assert outcome.holds_passed, f"{case.name}: holds {outcome.holds}, labelled {labelled}"
    assert len(result.reps) <= case.accept[1]


@pytest.mark.corpus
def test_corpus_is_there_when_these_tests_run():
    corpus = require_corpus()
    assert len(CASES) >= 10, f"expected the labelled cases in {corpus}/labels.toml"


@pytest.mark.corpus
def test_knee_to_chest_hold_is_about_six_seconds_and_flagged_short(templates, detection_cache):
    require_corpus()
    case = next(c for c in CASES if c.exercise == "knee-to-chest" and not c.negative)
    result = analysed(case, templates, detection_cache)
    holds = [e.seconds for e in result.holds]
    # Labelled 3.0-9.2 s (an AI-generated clip): the knee comes in fast to 3 s, then keeps drifting
    # in for 3.4 s more (89 -> 56 degrees) before it stays. A hold is timed from 85 % of the way
    # in (how people label real holds, docs/counting.md), here from 5.3 s: 4.1 s, shorter than the
    # label by the drift.
    assert len(holds) == 1 and holds[0] == pytest.approx(4.1, abs=0.5)
    assert "hold_short" in result.reps[0].faults
    assert any(e.code == "hold_short" and "10 s" in e.message for e in result.faults)


def frames_of(name, max_side=640):
    return [(f.timestamp, f.rgb) for f in read_frames(CORPUS / "videos" / name, max_side=max_side)]


def run_frames(frames, template, cache):
    detections = cached_run(cache, frames)
    return analyze_detections(((d, None) for d in detections), template)


def retimed(frames_list):
    """Concatenate frame lists with a continuous, increasing clock."""
    out, offset = [], 0.0
    for frames in frames_list:
        start = frames[0][0]
        for t, rgb in frames:
            out.append((offset + t - start, rgb))
        offset = out[-1][0] + 1 / 30
    return out


@pytest.mark.corpus
def test_bird_dog_reversed_mirrored_and_looped(templates, detection_cache):
    require_corpus()
    frames = frames_of("birddog__polybag.mp4")
    duration = frames[-1][0]
    reversed_clip = [(duration - t, rgb) for t, rgb in reversed(frames)]
    mirrored = [(t, np.ascontiguousarray(rgb[:, ::-1])) for t, rgb in frames]
    bird_dog = templates["bird-dog"]
    assert len(run_frames(reversed_clip, bird_dog, detection_cache).reps) == 2
    result = run_frames(mirrored, bird_dog, detection_cache)
    assert len(result.reps) == 2
    assert len(run_frames(retimed([frames, frames]), bird_dog, detection_cache).reps) == 4


@pytest.mark.corpus
def test_cat_cow_looped_counts_each_pass(templates, detection_cache):
    require_corpus()
    frames = frames_of("catcow__workout-app.mp4")
    # cow then cat per pass; looping gives cow, cat, cow, cat, cow, cat: three full cycles
    assert len(run_frames(retimed([frames] * 3), templates["cat-cow"], detection_cache).reps) == 3


# ----- real clips of other exercises, counted as the exercises they resemble ---------------------
# Each must count 0: the starting position or the identity rules tell them apart. Labels give the
# negatives the corpus names (`as`); these are further pairs found by running every template on
# every clip (the clips' own exercises excepted). Strict expected failures are still counted.
LOOK_ALIKES = [
    ("pushup__kaiakol-computervision__incorrect_001.mp4", "bird-dog", ""),
    ("downward-dog__merged-exercise.mp4", "bird-dog", ""),
    ("downward-dog__merged-exercise.mp4", "cat-cow", ""),
    ("fire-hydrant__merged-exercise.mp4", "glute-bridge", ""),
    ("birddog__merged-exercise__two-angles.mp4", "glute-bridge", ""),
    ("birddog__merged-exercise__two-angles.mp4", "lying-knee-twist", ""),
    ("catcow__personalised-fitness-companion.mp4", "seated-forward-bend", ""),
    ("sit-ups__wanshape.mp4", "glute-bridge", ""),
    ("pushup__kaiakol-computervision__incorrect_001.mp4", "prone-press-up", "a push-up with sagging hips looks "
     "like a press-up with the thighs off the floor (1 counted)"),
    ("wall-squat__merged-exercise__ball.mp4", "heel-raise", "at the cut to the front view the heels read higher "
     "than the toes before the range is learned again (1 counted)"),
]
_detections = {}


def detections_of(name, cache):
    """The clip's landmarks as `posecheck analyze` finds them (silhouette read), from the cache."""
    if name not in _detections:
        from posecheck.pipeline.analysis import ANALYSIS_FPS, cached_detections
        from posecheck.io.video import check_video

        path = CORPUS / "videos" / name
        _detections[name] = cached_detections(path, check_video(path), cache, True, None, ANALYSIS_FPS, [])
    return _detections[name]


def look_alike_param(name, exercise, known_miss):
    marks = [pytest.mark.xfail(reason=known_miss, strict=True)] if known_miss else []
    return pytest.param(name, exercise, marks=marks, id=f"{name.split('__')[0]}-as-{exercise}")


@pytest.mark.corpus
@pytest.mark.parametrize("name, exercise", [look_alike_param(*pair) for pair in LOOK_ALIKES])
def test_real_clips_of_other_exercises_count_nothing(name, exercise, templates, detection_cache):
    require_corpus()
    result = analyze_detections(((d, None) for d in detections_of(name, detection_cache)), templates[exercise])
    assert [round(rep.counted_at, 1) for rep in result.reps] == []
