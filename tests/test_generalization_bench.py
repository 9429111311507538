"""The pure parts of benchmarks/generalization.py: the seeded sampling and the summaries.

Fast: no rendering, no MediaPipe.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("generalization_bench", ROOT / "benchmarks" / "generalization.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


# --- sampling ---------------------------------------------------------------------------------

def test_the_same_seed_gives_the_same_cases_and_another_seed_other_cases(bench):
    assert bench.sample_grid(7) == bench.sample_grid(7)
    assert bench.sample_grid(7) != bench.sample_grid(8)


def test_quick_is_the_first_block_of_the_full_grid(bench):
    quick, full = bench.sample_grid(3, quick=True), bench.sample_grid(3)
    assert quick == [c for c in full if c.block == 0]
    assert len(full) == bench.BLOCKS * len(quick)
    assert 150 <= len(full) <= 220
    assert {c.exercise for c in quick} == set(bench.REAL) | {motion for motion, _ in bench.LOOK_ALIKES}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_block_spreads_yaw_and_depth_over_their_whole_range(bench, seed):
    for exercise in bench.REAL:
        cases = bench.sample_block(exercise, 7, seed, 0)
        yaws, depths = sorted(c.yaw for c in cases), sorted(c.depth for c in cases)
        # one sample in each seventh of the range
        for i, (yaw, depth) in enumerate(zip(yaws, depths)):
            assert -60 + 120 * i / 7 - 0.1 <= yaw <= -60 + 120 * (i + 1) / 7 + 0.1
            assert 0.5 + 0.7 * i / 7 - 0.01 <= depth <= 0.5 + 0.7 * (i + 1) / 7 + 0.01


def test_the_full_grid_covers_views_bodies_and_tempos(bench):
    cases = bench.sample_grid(0)
    real = [c for c in cases if not c.look_alike]
    for exercise in bench.REAL:
        mine = [c for c in real if c.exercise == exercise]
        assert {bench.yaw_bucket(c.yaw) for c in mine} == set(bench.YAW_BUCKETS)
        assert {bench.range_bucket(c.depth) for c in mine} == set(bench.RANGE_BUCKETS)
        assert any(c.yaw < -45 for c in mine) and any(c.yaw > 45 for c in mine)
    assert all(-60 <= c.yaw <= 60 and 0.5 <= c.depth <= 1.2 for c in cases)
    elevations = [c.elevation for c in cases]
    assert None in elevations and max(e for e in elevations if e is not None) > 40
    assert all(e is None or 0 <= e <= 45 for e in elevations)
    assert {c.facing for c in cases} == {"left", "right"} and {c.far for c in cases} == {True, False}
    assert all(1.5 <= c.build.height <= 1.95 and 0.85 <= c.build.girth <= 1.25 for c in cases)
    assert all(0.9 <= c.build.legs <= 1.1 and 0.9 <= c.build.arms <= 1.1 for c in cases)
    holds = [c.hold for c in cases]
    assert min(holds) < 1.0 and max(holds) > 15 and all(0.4 <= h <= 20 for h in holds)
    assert min(c.move for c in cases) < 1.0 and all(0.8 <= c.move <= 2.5 for c in cases)
    assert len({c.seed for c in cases}) > 0.9 * len(cases)


def test_look_alikes_are_counted_with_their_confusable_template(bench):
    cases = bench.sample_grid(0, quick=True)
    templates = dict(bench.LOOK_ALIKES)  # each core look-alike motion has one template
    assert len(templates) == len(bench.LOOK_ALIKES)
    for case in cases:
        assert case.template == templates.get(case.exercise, case.exercise)
        assert case.look_alike == (case.exercise in templates)
    assert templates["superman"] == "bird-dog" and templates["leg-pull-in"] == "knee-to-chest"


def test_core_look_alikes_keep_the_stream_of_their_motion_name(bench):
    """The core clips (and so their cached landmarks) are the ones drawn before look-alikes became
    pairs: a look-alike's clips come from the stream named after its motion."""
    cases = bench.sample_grid(0)
    for motion, template in bench.LOOK_ALIKES:
        for block in range(bench.BLOCKS):
            mine = [c for c in cases if c.exercise == motion and c.block == block]
            assert mine == bench.sample_block(motion, bench.LOOK_ALIKE_PER_BLOCK, 0, block, template)


def test_a_case_becomes_a_script_with_its_view_body_and_tempo(bench):
    case = bench.Case("cat-cow", "cat-cow", yaw=-30, elevation=20.0, depth=0.7, move=1.1, hold=8.0,
                      facing="right", build=bench.Build(height=1.9), seed=5)
    script = case.script()
    assert (script.exercise, script.camera_yaw, script.camera_elevation, script.depth) == ("cat-cow", -30, 20.0, 0.7)
    assert (script.tempo, script.holds, script.facing, script.build.height) == (1.1, 4.0, "right", 1.9)
    assert (script.width, script.height, script.fps, script.reps) == (640, 360, 10.0, 2)
    assert bench.Case("bird-dog", "bird-dog", hold=8.0).script().holds == 8.0  # one key pose holds it all
    assert bench.cache_path(script) == bench.cache_path(case.script())
    assert bench.cache_path(script) != bench.cache_path(script.with_(camera_yaw=-29))


# --- summaries --------------------------------------------------------------------------------

def row(bench, exercise="bird-dog", yaw=0.0, depth=1.0, expected=2, found=2, template=None):
    case = bench.Case(exercise, template or exercise, yaw=yaw, depth=depth)
    return bench.Row(case, expected, found)


def test_buckets(bench):
    assert [bench.yaw_bucket(y) for y in (0, -15, 15.1, -30, 30.5, 45, -45.2, 60)] == [
        "0-15", "0-15", "15-30", "15-30", "30-45", "30-45", "45-60", "45-60"]
    assert [bench.range_bucket(d) for d in (0.5, 0.59, 0.6, 0.89, 0.9, 1.2)] == [
        "<60%", "<60%", "60-90%", "60-90%", ">=90%", ">=90%"]
    assert bench.in_bounds(bench.Case("bird-dog", "bird-dog", yaw=-45, depth=0.6))
    assert not bench.in_bounds(bench.Case("bird-dog", "bird-dog", yaw=46, depth=1.0))
    assert not bench.in_bounds(bench.Case("bird-dog", "bird-dog", yaw=0, depth=0.59))


def test_rate_table_counts_exact_clips_per_cell(bench):
    rows = [row(bench, yaw=5, depth=1.0), row(bench, yaw=-10, depth=0.95, found=1),
            row(bench, yaw=50, depth=0.55, found=0), row(bench, "cat-cow", yaw=20, depth=0.7),
            row(bench, "fire-hydrant", template="bird-dog", expected=0, found=1)]
    table = bench.rate_table(rows)
    assert table == {("bird-dog", "0-15", ">=90%"): (1, 2), ("bird-dog", "45-60", "<60%"): (0, 1),
                     ("cat-cow", "15-30", "60-90%"): (1, 1)}


def test_bounds_summary_separates_in_and_out_of_bounds(bench):
    rows = [row(bench, yaw=10), row(bench, yaw=40, found=1), row(bench, yaw=-20, found=4),  # in
            row(bench, yaw=55, found=3), row(bench, yaw=0, depth=0.5, found=0),  # out
            row(bench, "knee-to-chest", yaw=0), row(bench, "sit-up", template="knee-to-chest", expected=0, found=2)]
    summary = bench.bounds_summary(rows)
    assert summary["bird-dog"] == {"in": (1, 2, 3), "out": (0, 1, 2)}
    assert summary["knee-to-chest"] == {"in": (1, 1, 1), "out": (0, 0, 0)}
    assert "sit-up" not in summary


def test_look_alike_summary_counts_zero_clips_and_false_reps(bench):
    rows = [row(bench, "superman", template="bird-dog", expected=0, found=0),
            row(bench, "superman", template="bird-dog", expected=0, found=2),
            row(bench, "superman", template="bird-dog", expected=0, found=1),
            row(bench, "crunch", template="knee-to-chest", expected=0, found=0),
            row(bench, yaw=0, found=0)]
    assert bench.look_alike_summary(rows) == {("superman", "bird-dog"): (1, 3, 3), ("crunch", "knee-to-chest"): (1, 1, 0)}
    assert [r.case.exercise for r in bench.failures(rows)] == ["superman", "superman", "bird-dog"]


def test_report_prints_every_section_and_the_failures(bench):
    rows = [row(bench, yaw=33, depth=0.7, found=1), row(bench, "cat-cow"),
            row(bench, "leg-pull-in", template="knee-to-chest", expected=0, found=0)]
    text = bench.format_report(rows, 90.0)
    for heading in ("(1)", "(2)", "(3)", "(4)", "(5)"):
        assert heading in text
    assert "1.5 min for 3 clips" in text and "Wrong counts: 1 of 3" in text
    assert "leg-pull-in" in text and "1/1" in text
    assert bench.rate(1, 2).strip().startswith("50%") and math.isclose(len(bench.rate(0, 0)), len(bench.rate(1, 2)))
    assert bench.row_dict(rows[0])["in_bounds"] is True and bench.row_dict(rows[0])["yaw_bucket"] == "30-45"


def test_the_programme_suite_covers_every_other_exercise_with_motion_data(bench):
    programme = bench.programme_exercises()
    assert not set(programme) & set(bench.REAL)
    cases = bench.sample_grid(0, suite="programme")
    for exercise in programme:
        mine = [c for c in cases if c.exercise == exercise and not c.look_alike]
        assert len(mine) == bench.BLOCKS * bench.PROGRAMME_PER_BLOCK
        assert {bench.range_bucket(c.depth) for c in mine} == set(bench.RANGE_BUCKETS), exercise
        assert any(c.yaw < -30 for c in mine) and any(c.yaw > 30 for c in mine), exercise
    assert len(cases) == bench.BLOCKS * (len(programme) * bench.PROGRAMME_PER_BLOCK
                                         + len(bench.PROGRAMME_LOOK_ALIKES) * bench.PROGRAMME_LOOK_ALIKE_PER_BLOCK)


def test_the_programme_look_alikes_are_pairs_of_existing_motions_and_programme_templates(bench):
    programme = set(bench.programme_exercises())
    pairs = bench.PROGRAMME_LOOK_ALIKES
    assert 12 <= len(pairs) == len(set(pairs)) <= 16
    for motion, template in pairs:
        assert (bench.MOTION_DIR / f"{motion}.toml").exists() and motion != template
        assert template in programme
    assert len({template for _, template in pairs}) >= 12  # most programme templates have one
    assert max(sum(m == motion for m, _ in pairs) for motion, _ in pairs) > 1  # a motion for several


def test_a_motion_that_looks_like_several_templates_gets_its_own_clips_for_each(bench):
    cases = bench.sample_grid(0, suite="programme")
    look_alikes = [c for c in cases if c.look_alike]
    for motion, template in bench.PROGRAMME_LOOK_ALIKES:
        mine = [c for c in look_alikes if (c.exercise, c.template) == (motion, template)]
        assert len(mine) == bench.BLOCKS * bench.PROGRAMME_LOOK_ALIKE_PER_BLOCK
    assert {(c.exercise, c.template) for c in look_alikes} == set(bench.PROGRAMME_LOOK_ALIKES)
    # no two look-alike clips (nor a look-alike and a real clip) are the same rendering
    scripts = [repr(c.script()) for c in cases]
    assert len(set(scripts)) == len(scripts)
    # the pairs are sampled like the exercises: both sides of the camera, a spread of depths
    assert any(c.yaw < -30 for c in look_alikes) and any(c.yaw > 30 for c in look_alikes)
    assert {bench.range_bucket(c.depth) for c in look_alikes} == set(bench.RANGE_BUCKETS)
    # the report's table (3) lists every pair, also a motion that is the look-alike of several
    rows = [bench.Row(c, 0, 0) for c in look_alikes]
    summary = bench.look_alike_summary(rows)
    assert set(summary) == set(bench.PROGRAMME_LOOK_ALIKES) and all(z == n for z, n, _ in summary.values())
    text = bench.format_report(rows, 60.0)
    for motion, template in bench.PROGRAMME_LOOK_ALIKES:
        assert any(line.split()[:2] == [motion, template] for line in text.splitlines()), (motion, template)
