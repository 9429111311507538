"""Angle maths on 2-D image points. Image y points down; all angles are in degrees."""

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
    """Angle of the segment start->end above the horizontal, in [-90, 90] (positive = end higher)."""
    dx, dy = np.asarray(end, float) - np.asarray(start, float)
    if not np.isfinite(dx + dy) or abs(dx) + abs(dy) < 1e-9:
        return float("nan")
    return float(np.degrees(np.arctan2(-dy, abs(dx))))


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


def distance(a, b) -> float:
    return float(np.linalg.norm(np.asarray(a, float) - np.asarray(b, float)))
