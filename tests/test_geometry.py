import math

import pytest

from posecheck.core.geometry import bend, distance, elevation, joint_angle


def test_joint_angle_known_values():
    assert joint_angle((1, 0), (0, 0), (0, 1)) == pytest.approx(90)
    assert joint_angle((1, 0), (0, 0), (-1, 0)) == pytest.approx(180)
    assert joint_angle((1, 0), (0, 0), (1, 0)) == pytest.approx(0)
    assert joint_angle((1, 0), (0, 0), (1, 1)) == pytest.approx(45)


def test_joint_angle_degenerate_and_nan_inputs_give_nan():
    assert math.isnan(joint_angle((0, 0), (0, 0), (1, 0)))
    assert math.isnan(joint_angle((math.nan, 0), (0, 0), (1, 0)))


def test_elevation_is_up_positive_in_image_coordinates_either_direction():
    assert elevation((0, 0), (10, -10)) == pytest.approx(45)  # y down: end is higher
    assert elevation((0, 0), (-10, -10)) == pytest.approx(45)  # facing the other way, same meaning
    assert elevation((0, 0), (10, 10)) == pytest.approx(-45)
    assert math.isnan(elevation((0, 0), (0, 0)))


@pytest.mark.parametrize("direction", [1, -1])
def test_bend_sign_means_up_for_either_facing(direction):
    a, b = (0, 0), (100 * direction, 0)
    up = (200 * direction, -50)
    down = (200 * direction, 50)
    assert bend(a, b, up, up_sign=direction) == pytest.approx(math.degrees(math.atan2(50, 100)))
    assert bend(a, b, down, up_sign=direction) == pytest.approx(-math.degrees(math.atan2(50, 100)))
    assert bend(a, b, (300 * direction, 0), up_sign=direction) == pytest.approx(0)


def test_distance():
    assert distance((0, 0), (3, 4)) == 5
