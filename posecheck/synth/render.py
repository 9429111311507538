"""Pure drawing with numpy + OpenCV: pinhole camera, room (wall, wooden floor, mat), soft shadow,
shaded tapered capsules drawn far to near with a depth test, and seeded sensor noise.

World frame: X along the mat, Y up (floor at Y = 0), Z across; the camera sits on the -Z side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from posecheck.synth.parts import Part

WALL_Z = 1.4  # the wall behind the figure, metres from the middle of the mat


@dataclass(frozen=True)
class Camera:
    position: np.ndarray
    rotation: np.ndarray  # rows: image right, image down, viewing direction (world vectors)
    focal: float  # pixels
    center: tuple[float, float]

    @classmethod
    def look_at(cls, position, target, width: int, height: int, hfov_deg: float) -> "Camera":
        position, target = np.asarray(position, float), np.asarray(target, float)
        forward = _unit(target - position)
        right = _unit(np.cross(forward, [0.0, 1.0, 0.0]))
        down = np.cross(forward, right)
        focal = (width / 2) / math.tan(math.radians(hfov_deg) / 2)
        return cls(position, np.array([right, down, forward]), focal, (width / 2, height / 2))

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        return (np.asarray(points, float) - self.position) @ self.rotation.T

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pixel coordinates (N, 2) and depth along the viewing direction (N,)."""
        cam = self.to_camera(points)
        depth = np.maximum(cam[:, 2], 1e-3)
        xy = cam[:, :2] * (self.focal / depth)[:, None] + np.array(self.center)
        return xy, depth

    def rays(self, width: int, height: int) -> np.ndarray:
        """World direction of every pixel's ray, (H, W, 3)."""
        xs, ys = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
        local = np.stack([(xs - self.center[0]) / self.focal, (ys - self.center[1]) / self.focal,
                          np.ones_like(xs)], axis=-1)
        return local @ self.rotation


def _unit(v) -> np.ndarray:
    v = np.asarray(v, float)
    return v / np.linalg.norm(v)


@dataclass(frozen=True)
class Room:
    wall: tuple[int, int, int] = (214, 206, 192)
    floor: tuple[int, int, int] = (150, 112, 78)
    mat: tuple[int, int, int] = (62, 96, 142)
    mat_center_x: float = 0.0
    mat_size: tuple[float, float] = (1.85, 0.65)


def render_room(camera: Camera, room: Room, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """The empty room as float32 RGB, and a mask of the floor/mat pixels (where shadows fall)."""
    rays = camera.rays(width, height)
    origin = camera.position
    with np.errstate(divide="ignore", invalid="ignore"):
        t_floor = np.where(rays[..., 1] < -1e-6, -origin[1] / rays[..., 1], np.inf)
        t_wall = np.where(rays[..., 2] > 1e-6, (WALL_Z - origin[2]) / rays[..., 2], np.inf)
    floor = t_floor < t_wall
    hit = origin + rays * np.minimum(t_floor, t_wall)[..., None]
    image = _wall_colour(hit, room) * (~floor)[..., None] + _floor_colour(hit, room) * floor[..., None]
    distance = np.minimum(t_floor, t_wall)
    falloff = np.clip(1.08 - 0.06 * np.nan_to_num(distance, posinf=8.0), 0.7, 1.05)
    return (image * falloff[..., None]).astype(np.float32), floor


def _wall_colour(hit: np.ndarray, room: Room) -> np.ndarray:
    base = np.array(room.wall, np.float32)
    shade = 1.0 - 0.04 * np.clip(hit[..., 1], 0, 3)[..., None]
    colour = base * shade
    skirting = (hit[..., 1] < 0.09)[..., None]
    return np.where(skirting, np.array([236, 234, 228], np.float32), colour)


def _floor_colour(hit: np.ndarray, room: Room) -> np.ndarray:
    x, z = hit[..., 0], hit[..., 2]
    plank = np.floor(z / 0.14)
    tint = 0.9 + 0.12 * np.sin(plank * 12.9898) ** 2
    grain = 1.0 + 0.03 * np.sin(x * 23.0 + plank * 4.0)
    seam = 1.0 - 0.25 * (np.abs(z / 0.14 - np.round(z / 0.14)) < 0.03)
    wood = np.array(room.floor, np.float32) * (tint * grain * seam)[..., None]
    length, breadth = room.mat_size
    on_mat = (np.abs(x - room.mat_center_x) < length / 2) & (np.abs(z) < breadth / 2)
    mat = np.array(room.mat, np.float32) * (1.0 + 0.02 * np.sin(x * 90.0))[..., None]
    return np.where(on_mat[..., None], mat, wood)


@dataclass(frozen=True)
class Lighting:
    """Light direction in image terms (x right, y down, z towards the camera) and its mix."""

    direction: tuple[float, float, float] = (-0.45, -0.65, 0.6)
    ambient: float = 0.42
    diffuse: float = 0.68
    shadow: float = 0.55  # how dark the shadow under the figure is


def shade_vector(lighting: Lighting) -> np.ndarray:
    return _unit(lighting.direction).astype(np.float32)


def add_shadow(image: np.ndarray, floor: np.ndarray, camera: Camera, parts: list[Part],
               lighting: Lighting) -> np.ndarray:
    """Darken the floor under the figure with a soft blob (parts dropped straight down)."""
    height, width = floor.shape
    scale = 0.25
    mask = np.zeros((int(height * scale), int(width * scale)), np.float32)
    for part in parts:
        ends = np.array([part.a, part.b]) * np.array([1.0, 0.0, 1.0])
        xy, depth = camera.project(ends)
        thickness = max(1, int(round(2 * max(part.ra, part.rb) * camera.focal / depth.mean() * scale)))
        a, b = (tuple(int(round(c * scale)) for c in p) for p in xy)
        lift = max(0.0, min(part.a[1], part.b[1]))
        strength = float(np.clip(1.0 - lift / 0.9, 0.15, 1.0))
        cv2.line(mask, a, b, strength, thickness, cv2.LINE_AA)
    mask = cv2.GaussianBlur(mask, (0, 0), 5.0 * scale * width / 160)
    mask = cv2.resize(mask, (width, height), interpolation=cv2.INTER_LINEAR)
    darken = 1.0 - lighting.shadow * np.clip(mask, 0, 1) * floor
    return image * darken[..., None]


def draw_parts(image: np.ndarray, camera: Camera, parts: list[Part], colours: dict[str, np.ndarray],
               lighting: Lighting) -> np.ndarray:
    """Draw the parts far to near with a per-pixel depth test; returns the depth buffer."""
    height, width = image.shape[:2]
    depth_buffer = np.full((height, width), np.inf, np.float32)
    light = shade_vector(lighting)
    ends = np.array([p for part in parts for p in (part.a, part.b)])
    xy, depth = camera.project(ends)
    order = np.argsort(-(depth[0::2] + depth[1::2]))
    for i in order:
        part = parts[i]
        _draw_capsule(image, depth_buffer, xy[2 * i], xy[2 * i + 1], depth[2 * i], depth[2 * i + 1],
                      part, camera.focal, colours[part.material], light, lighting)
    return depth_buffer


def _draw_capsule(image, depth_buffer, a, b, za, zb, part: Part, focal, colour, light, lighting) -> None:
    ra, rb = part.ra * focal / za, part.rb * focal / zb
    pad = max(ra, rb) + 2
    x0, y0 = np.floor(np.minimum(a, b) - pad).astype(int)
    x1, y1 = np.ceil(np.maximum(a, b) + pad).astype(int)
    height, width = depth_buffer.shape
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
    if x1 <= x0 or y1 <= y0:
        return
    xs = np.arange(x0, x1, dtype=np.float32) + 0.5
    ys = np.arange(y0, y1, dtype=np.float32)[:, None] + 0.5
    axis = (b - a).astype(np.float32)
    length2 = float(axis @ axis)
    px, py = xs - a[0], ys - a[1]
    t = np.clip((px * axis[0] + py * axis[1]) / length2, 0, 1) if length2 > 1e-6 else np.zeros_like(px * py)
    dx, dy = px - t * axis[0], py - t * axis[1]
    radius = ra + (rb - ra) * t
    dist = np.sqrt(dx * dx + dy * dy)
    alpha = np.clip(radius + 0.5 - dist, 0.0, 1.0)
    inside = alpha > 0
    if not inside.any():
        return
    nx, ny = dx / np.maximum(radius, 1e-3), dy / np.maximum(radius, 1e-3)
    nz = np.sqrt(np.clip(1.0 - nx * nx - ny * ny, 0.0, 1.0))
    world_radius = part.ra + (part.rb - part.ra) * t
    depth = (za + (zb - za) * t) - world_radius * nz
    region = depth_buffer[y0:y1, x0:x1]
    visible = inside & (depth < region)
    lambert = np.clip(nx * light[0] + ny * light[1] + nz * light[2], 0.0, 1.0)
    rim = 0.82 + 0.18 * nz  # darker at the silhouette, as cloth and skin are
    shade = (lighting.ambient + lighting.diffuse * lambert) * rim
    a3 = (alpha * visible)[..., None]
    patch = image[y0:y1, x0:x1]
    patch *= 1.0 - a3
    patch += a3 * (shade[..., None] * colour)
    region[visible & (alpha > 0.5)] = depth[visible & (alpha > 0.5)]


def noise_bank(seed: int, height: int, width: int, sigma: float, count: int = 4) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(0.0, sigma, (height, width, 3)).astype(np.float32) for _ in range(count)]


def finish(image: np.ndarray, noise: np.ndarray | None) -> np.ndarray:
    """Slight lens softness, then noise, then 8-bit RGB."""
    image = cv2.GaussianBlur(image, (3, 3), 0.6)
    if noise is not None:
        image = image + noise
    return np.clip(image, 0, 255).astype(np.uint8)
