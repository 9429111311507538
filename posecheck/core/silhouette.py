"""What the person's silhouette (MediaPipe's segmentation mask) shows that the landmarks cannot.

The estimator reads two measures from each person's mask (OUTLINE_MEASURES, kept on the Pose),
in trunk lengths (the shoulders-to-hips distance):
- `back_curve`: how far the back's outline bulges between shoulders and hips;
- `front_reach`: how far the silhouette reaches beyond the shoulders along the trunk's line.
Templates read them through `read` (the schema's TEMPLATE_MEASURES): `back_curve` as it is, and
`past_head`, how far the silhouette reaches beyond the head's landmarks, in trunk lengths as if
seen side-on: an arm in front of the head. (The head is round and the trunk is foreshortened in an oblique
view, so the head's own reach in the picture's trunk lengths grows there, and the front reach
alone would mistake it for an arm.)

The 33 landmarks have no points along the spine: a cat and a cow move the back between the
shoulders and the hips, where no landmark is, and MediaPipe's shoulder points partly follow the
head, so a head nod with a still back moves the landmarks much as a shallow cat-cow does. The
silhouette (MediaPipe's segmentation mask) shows the back itself.

`back_curve` casts rays across the trunk, square to the shoulder-to-hip line, and finds where the
silhouette ends on the back's side (the side away from the knees and wrists). Its value is the
sagitta: how far the middle of that outline stands above the straight line through its two ends,
as a fraction of the shoulder-to-hip distance. Positive: rounded up (a cat); negative: sagging (a
cow). Measuring against the outline's own ends, not the landmarks' line, cancels where the
landmarks sit across the trunk and most of their jitter.
"""

from __future__ import annotations

import math

import numpy as np

from posecheck.core.keypoints import INDEX, Pose
from posecheck.core.template import TEMPLATE_MEASURES

OUTLINE_MEASURES = ("back_curve", "front_reach")  # read by the estimator, kept on the Pose
_HEAD = [INDEX[name] for name in ("nose", "left_eye", "right_eye", "left_ear", "right_ear")]
ALONG = np.linspace(0.15, 0.85, 15)  # where the rays cross the trunk (0 = shoulders, 1 = hips)
ENDS = 3  # rays at each end that define the outline's chord
MIDDLE = slice(5, 10)  # rays whose mean height is the middle of the outline
BEHIND, BEYOND = 0.5, 0.8  # each ray runs from this far below the line to this far above it (trunk lengths)
MIN_TRUNK_PX = 20.0  # a trunk shorter than this in the image is too small to read an outline
INSIDE = 0.5  # a mask value above this is the person
# The front reach: the silhouette's pixels within this distance of the trunk's line (either side)
# and how far beyond the shoulders the farthest of them lies (a high percentile, not the maximum,
# so a few stray mask pixels do not count). An arm reaching forward level with the back stays
# within the band; hands on the floor lie a whole arm below it.
REACH_BAND = 0.35
REACH_PERCENTILE = 99.5
# An arm is about 1.3-1.5 trunk lengths long: a silhouette reaching far beyond that means the
# trunk is too short in the picture to measure against (a rendered kick-back seen nearly end-on
# read 4 trunk lengths).
MAX_PAST_HEAD = 2.5
REACH_GRID = 320  # the mask is read on a grid of about this many pixels along its longer side
# Beyond this the trunk points so far towards or away from the camera that the outline no longer
# shows the back's curve: rendered cat-cows with the trunk 49-55 degrees out of the picture's plane
# read no change or the wrong way, at 37 degrees and less the right way.
MAX_TRUNK_TURN = 45.0


def _mid(xy: np.ndarray, part: str) -> np.ndarray:
    return (xy[INDEX[f"left_{part}"]] + xy[INDEX[f"right_{part}"]]) / 2


def _trunk(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray, float] | None:
    """The shoulders' midpoint, the unit direction from the hips to the shoulders and the trunk's
    length in pixels; None when the trunk is too short in the picture to read against."""
    shoulder = _mid(xy, "shoulder")
    axis = shoulder - _mid(xy, "hip")
    length = float(np.hypot(*axis))
    if not math.isfinite(length) or length < MIN_TRUNK_PX:
        return None
    return shoulder, axis / length, length


def back_curve(mask: np.ndarray, xy: np.ndarray) -> float:
    """The back's sagitta in trunk lengths (see the module's note); NaN when it cannot be read.

    mask: (height, width) person probability, the image's size; xy: (33, 2) pixel landmarks."""
    trunk = _trunk(xy)
    if trunk is None:
        return math.nan
    mask = np.asarray(mask).reshape(np.shape(mask)[:2])
    shoulder, ahead, length = trunk
    along = -ahead  # from the shoulders towards the hips
    normal = np.array([-along[1], along[0]])
    limbs = (_mid(xy, "knee") + _mid(xy, "wrist")) / 2 - (shoulder + along * length / 2)
    if not np.isfinite(limbs).all():
        return math.nan
    if np.dot(limbs, normal) > 0:  # the back's side is away from the limbs
        normal = -normal
    heights = np.array([_edge(mask, shoulder + t * length * along, normal, length) for t in ALONG])
    if not np.isfinite(heights).all():
        return math.nan
    chord = (heights[:ENDS].mean() + heights[-ENDS:].mean()) / 2
    return float((heights[MIDDLE].mean() - chord) / length)


def front_reach(mask: np.ndarray, xy: np.ndarray) -> float:
    """How far beyond the shoulders, along the line from the hips through the shoulders, the
    silhouette reaches (trunk lengths): the head's 0.4-0.7 on all fours, about 1 or more with an arm
    reaching forward. NaN when it cannot be read. An arm that MediaPipe puts on the floor because
    the head hides it still shows here, in front of the head."""
    trunk = _trunk(xy)
    if trunk is None:
        return math.nan
    mask = np.asarray(mask).reshape(np.shape(mask)[:2])
    shoulder, along, length = trunk
    step = max(1, max(mask.shape) // REACH_GRID)
    rows, cols = np.nonzero(mask[::step, ::step] > INSIDE)
    if len(rows) == 0:
        return math.nan
    offset = np.column_stack([cols, rows]) * step - shoulder
    ahead = offset @ along
    beside = np.abs(offset @ np.array([-along[1], along[0]]))
    near_the_line = ahead[beside <= REACH_BAND * length]
    if len(near_the_line) == 0:
        return math.nan
    return float(np.percentile(near_the_line, REACH_PERCENTILE) / length)


def outline_measures(mask: np.ndarray, xy: np.ndarray) -> dict[str, float]:
    """Every OUTLINE_MEASURES value of one person's mask."""
    return {"back_curve": back_curve(mask, xy), "front_reach": front_reach(mask, xy)}


def read(measure: str, pose: Pose) -> float:
    """A template's outline measure (TEMPLATE_MEASURES) of this pose, in trunk lengths."""
    if measure not in TEMPLATE_MEASURES:
        raise ValueError(f"no outline measure {measure!r}: templates read {', '.join(TEMPLATE_MEASURES)}")
    if measure == "back_curve":
        return pose.back_curve
    past = (pose.front_reach - head_reach(pose.xy)) * trunk_in_picture(pose.world)
    return past if past <= MAX_PAST_HEAD else math.nan


def trunk_in_picture(world: np.ndarray | None) -> float:
    """The share of the trunk's length the picture shows (the cosine of its angle out of the
    picture's plane, on the 3-D points; 1 without them). An arm reaching along the trunk is
    foreshortened with it, the round head is not: in trunk lengths as the picture shows them, the
    space the head takes grows by 1 / this, and scaling by it takes that back out."""
    if world is None:
        return 1.0
    trunk = _mid(world, "shoulder") - _mid(world, "hip")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = float(np.hypot(trunk[0], trunk[1]) / np.linalg.norm(trunk))
    return share if math.isfinite(share) else 1.0


def head_reach(xy: np.ndarray) -> float:
    """How far beyond the shoulders, along the line from the hips through them, the head's
    farthest landmark lies (trunk lengths)."""
    trunk = _trunk(xy)
    if trunk is None:
        return math.nan
    shoulder, along, length = trunk
    return float(np.max((xy[_HEAD] - shoulder) @ along) / length)


def seen_from_the_side(world: np.ndarray | None) -> bool:
    """Whether the trunk (on the 3-D points, axes along the camera's) lies within MAX_TRUNK_TURN
    degrees of the picture's plane; True when there are no 3-D points to tell."""
    return trunk_in_picture(world) >= math.cos(math.radians(MAX_TRUNK_TURN))


def _edge(mask: np.ndarray, base: np.ndarray, normal: np.ndarray, length: float) -> float:
    """How far from `base`, along `normal`, the silhouette's farthest pixel on that ray is (px)."""
    steps = np.arange(-BEHIND * length, BEYOND * length, 1.0)
    points = np.rint(base[None] + steps[:, None] * normal[None]).astype(int)
    height, width = mask.shape
    inside_image = ((points[:, 0] >= 0) & (points[:, 0] < width)
                    & (points[:, 1] >= 0) & (points[:, 1] < height))
    on_person = np.zeros(len(steps), bool)
    on_person[inside_image] = mask[points[inside_image, 1], points[inside_image, 0]] > INSIDE
    if not on_person.any() or on_person[-1]:  # no silhouette, or it runs past the ray's end
        return math.nan
    return float(steps[np.flatnonzero(on_person)[-1]])
