import numpy as np
import pytest

from posecheck.core.smoothing import OneEuroFilter


def test_constant_signal_passes_unchanged():
    f = OneEuroFilter()
    for i in range(30):
        out = f(np.array([5.0, -2.0]), i / 30)
    assert out == pytest.approx([5.0, -2.0])


def test_noise_at_rest_is_reduced_a_lot():
    rng = np.random.default_rng(0)
    f = OneEuroFilter(min_cutoff=1.0, beta=0.0)
    raw = rng.normal(0, 1.0, 300)
    smoothed = np.array([f(np.array([x]), i / 30)[0] for i, x in enumerate(raw)])
    assert smoothed[30:].std() < 0.4 * raw[30:].std()


def test_fast_moves_lag_less_with_beta():
    def lag(beta):
        f = OneEuroFilter(min_cutoff=1.0, beta=beta)
        out = [f(np.array([0.0 if i < 30 else 10.0]), i / 30)[0] for i in range(40)]
        return 10.0 - out[35]
    assert lag(beta=2.0) < lag(beta=0.0)


def test_nan_passes_through_and_does_not_poison_the_state():
    f = OneEuroFilter()
    f(np.array([1.0, 1.0]), 0.0)
    out = f(np.array([np.nan, 1.0]), 1 / 30)
    assert np.isnan(out[0]) and out[1] == pytest.approx(1.0)
    out = f(np.array([1.0, 1.0]), 2 / 30)
    assert out == pytest.approx([1.0, 1.0])


def test_restarts_after_a_gap_instead_of_dragging_old_values():
    f = OneEuroFilter(reset_after=0.5)
    f(np.array([0.0]), 0.0)
    assert f(np.array([100.0]), 2.0)[0] == pytest.approx(100.0)


def test_uneven_time_steps_follow_real_time():
    a, b = OneEuroFilter(min_cutoff=1.0), OneEuroFilter(min_cutoff=1.0)
    a(np.array([0.0]), 0.0)
    b(np.array([0.0]), 0.0)
    # the same step in value after a longer time is followed more closely
    assert a(np.array([1.0]), 0.1)[0] > b(np.array([1.0]), 0.01)[0]
