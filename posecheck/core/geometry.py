"""Angle maths on image points (2-D) or camera-aligned 3-D points. y points down in both;
all angles are in degrees."""

from __future__ import annotations

import numpy as np


def joint_angle(a, b, c) -> float:
    """Angle at vertex b between rays b->a and b->c, in [0, 180]; NaN if a ray has no length."""
    ba = np.asarray(a, float) - np.asarray(b, float)
    bc = np.asarray(c, float) - np.asarray(b, float)
    norms = np.linalg.norm(ba) * np.linalg.norm(bc)
    if not np.isfinite(norms) or norms < 1e-9:
        return float("nan")
    cosine = np.clip(np.dot(ba, bc) / norms, -1.0, 1.0)
    return float(np.degrees(np.arccos(cosine)))


def elevation(start, end) -> float:
    """Angle of the segment start->end above the horizontal, in [-90, 90] (positive = end higher).
    For 3-D points the horizontal is the plane across y (x and depth)."""
    delta = np.asarray(end, float) - np.asarray(start, float)
    dy = delta[1]
    across = float(np.linalg.norm(np.delete(delta, 1)))
    if not np.isfinite(dy + across) or across + abs(dy) < 1e-9:
        return float("nan")
    return float(np.degrees(np.arctan2(-dy, across)))


def bend(a, b, c, up_sign: float) -> float:
    """Signed deviation of b->c from the straight continuation of a->b, in [-180, 180].

    Positive when c lies above the line a->b extended (towards image-up), negative below.
    `up_sign` is +1 when a->b points right in the image, -1 when it points left, so the result
    means the same for a person facing either way.
    """
    ab = np.asarray(b, float) - np.asarray(a, float)
    bc = np.asarray(c, float) - np.asarray(b, float)
    if np.linalg.norm(ab) < 1e-9 or np.linalg.norm(bc) < 1e-9:
        return float("nan")
    turn = np.degrees(np.arctan2(ab[0] * bc[1] - ab[1] * bc[0], np.dot(ab, bc)))
    # In image coordinates (y down), a counter-clockwise turn on screen is a negative cross product.
    return float(-turn * up_sign)


def bend_3d(a, b, c) -> float:
    """`bend` for 3-D points: the angle between a->b and b->c, positive when c lies above the
    line a->b extended (towards -y), negative below. Needs no facing: depth carries it."""
    ab = np.asarray(b, float) - np.asarray(a, float)
    bc = np.asarray(c, float) - np.asarray(b, float)
    ab_len, bc_len = np.linalg.norm(ab), np.linalg.norm(bc)
    if not np.isfinite(ab_len * bc_len) or ab_len < 1e-9 or bc_len < 1e-9:
        return float("nan")
    axis = ab / ab_len
    turn = float(np.degrees(np.arccos(np.clip(np.dot(axis, bc) / bc_len, -1.0, 1.0))))
    off_line = bc - np.dot(bc, axis) * axis
    return turn if off_line[1] <= 0 else -turn


def distance(a, b) -> float:
    return float(np.linalg.norm(np.asarray(a, float) - np.asarray(b, float)))
