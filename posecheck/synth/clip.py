"""A motion script (what to render) and the clip it becomes: frames, true landmarks and labels."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterator

import numpy as np

from posecheck.synth import render
from posecheck.synth.body import Build, Skeleton
from posecheck.synth.figure import Posture, pose_figure, settle
from posecheck.synth.motion import Motion, Timeline, build_timeline, load_motion, plan_reps
from posecheck.synth.parts import figure_parts, landmark_depth_margin, true_landmarks

RGB = tuple[int, int, int]
LOOK_AT_HEIGHT = 0.32  # metres: the camera looks at this point above the middle of the mat
SWAYING = {"trunk_pitch", "lumbar", "thoracic", "neck"} | {
    f"{joint}_{side}" for joint in ("shoulder", "elbow", "hip", "knee") for side in ("left", "right")}


@dataclass(frozen=True)
class MotionScript:
    """Everything that decides a clip. Same script (and seed) -> identical frames and labels.

    Per-rep values (`sides`, `holds`, `faults`) are lists indexed by rep (None = the default);
    a single value applies to every rep. Camera yaw is in degrees: 0 is a pure side view,
    positive swings the camera towards the figure's head (front-oblique), negative towards its
    feet. `facing` is where the head points on screen at yaw 0. `camera_elevation` (degrees, None =
    use `camera_height`) puts the camera that far above the horizontal through the look-at point
    (0 = level with it at the body's height, 45 = looking down at 45 degrees). `depth` is the range
    of motion: every key pose's joint angles become start + depth * (key - start).
    """

    exercise: str = "bird-dog"
    reps: int = 2
    tempo: float | None = None  # seconds to move into (and out of) a key pose; None = the exercise's
    holds: float | list | None = None  # seconds held per rep; None = the exercise's default
    sides: str | list | None = None  # "left"/"right" per rep; None = alternate, right first
    faults: str | list | None = None  # fault id per rep (None = done correctly)
    lead_in: float = 1.5
    tail: float = 1.0
    camera_yaw: float = 0.0
    camera_height: float = 0.4  # metres above the floor (a laptop on the floor); raised, with the
    # look-at point, by the posture's `camera_raise` for standing (0.58 m) and seated (0.15 m) exercises
    camera_elevation: float | None = None  # degrees above the look-at point; overrides camera_height
    distance: float | None = None  # metres from the figure; None = fit the movement in the frame
    hfov: float = 64.0  # horizontal field of view, degrees (typical laptop webcam)
    facing: str = "left"
    build: Build = field(default_factory=Build)
    top: RGB = (196, 58, 64)
    bottom: RGB = (44, 48, 62)
    skin: RGB = (224, 172, 138)
    hair: RGB = (70, 46, 30)
    feet: RGB = (232, 232, 228)  # socks
    hair_style: str = "short"
    room: render.Room = field(default_factory=render.Room)
    lighting: render.Lighting = field(default_factory=render.Lighting)
    width: int = 640
    height: int = 360
    fps: float = 24.0
    noise: float = 2.5  # sensor noise, standard deviation in 8-bit levels
    sway: float = 0.0  # degrees of slow seeded wobble added to the joint angles (nobody holds still)
    seed: int = 0
    depth: float = 1.0  # range of motion: fraction of the scripted movement (0.5 = half, 1.2 = 20 % beyond)

    def with_(self, **changes) -> "MotionScript":
        from dataclasses import replace

        return replace(self, **changes)


class Clip:
    """A rendered clip. Frames are drawn on demand; the true landmarks are known for every frame."""

    def __init__(self, script: MotionScript):
        self.script = script
        if script.camera_elevation is not None and not 0.0 <= script.camera_elevation <= 85.0:
            # below 0 the camera would soon be under the floor: use camera_height for low cameras
            raise ValueError(f"camera_elevation must be within 0..85 degrees, not {script.camera_elevation}")
        self.motion: Motion = load_motion(script.exercise)
        plans = plan_reps(self.motion, script.reps, script.sides, script.holds, script.tempo, script.faults)
        self.timeline: Timeline = build_timeline(self.motion, plans, script.lead_in, script.tail, script.depth)
        self.posture: Posture = settle(self.motion.start, script.build, self.motion.posture)
        self.fps = float(script.fps)
        self.size = (script.width, script.height)
        self.frame_count = int(math.floor(self.timeline.duration * self.fps)) + 1
        self.heading = self.posture.front_sign * (1.0 if script.facing == "left" else -1.0)
        self.camera = self._place_camera()
        self._world: dict[int, np.ndarray] = {}  # frame index -> truth_world, filled as frames are drawn
        self._room = render.render_room(self.camera, script.room, script.width, script.height)
        self._noise = render.noise_bank(script.seed, script.height, script.width, script.noise) if script.noise else None
        self._colours = {name: np.array(rgb, np.float32) for name, rgb in (
            ("skin", script.skin), ("top", script.top), ("bottom", script.bottom), ("hair", script.hair),
            ("feet", script.feet), ("eye", (40, 30, 28)), ("lips", _lips(script.skin)))}

    # --- geometry -------------------------------------------------------------------------

    def times(self) -> np.ndarray:
        return np.arange(self.frame_count) / self.fps

    def skeleton_at(self, t: float) -> Skeleton:
        """The figure in world coordinates at time t."""
        body = pose_figure(self.pose_at(t), self.script.build, self.posture)
        return Skeleton({k: self._to_world(v) for k, v in body.joints.items()},
                        self._to_world(body.head_up, point=False), self._to_world(body.head_front, point=False))

    def pose_at(self, t: float) -> dict:
        """The scripted joint angles at time t, plus the sway."""
        pose = self.timeline.pose_at(t)
        if not self.script.sway:
            return pose
        return {key: val + self.script.sway * self._wobble(key, t) if key in SWAYING else val
                for key, val in pose.items()}

    def _wobble(self, key: str, t: float) -> float:
        frequencies, phases = self._wobble_params[key]
        return float(np.mean(np.sin(2 * np.pi * frequencies * t + phases)))

    @cached_property
    def _wobble_params(self) -> dict:
        rng = np.random.default_rng((self.script.seed, 7))
        return {key: (rng.uniform(0.12, 0.45, 2), rng.uniform(0, 2 * np.pi, 2)) for key in sorted(SWAYING)}

    def _to_world(self, v: np.ndarray, point: bool = True) -> np.ndarray:
        # Turning the body frame half a circle about the vertical keeps it right-handed.
        h = self.heading
        return np.array([h * v[0] - (self._center_u * h if point else 0.0), v[1], h * v[2]])

    @cached_property
    def _sampled_bodies(self) -> list[Skeleton]:
        times = np.linspace(0, self.timeline.duration, 32)
        return [pose_figure(self.pose_at(t), self.script.build, self.posture) for t in times]

    @cached_property
    def _center_u(self) -> float:
        us = np.array([body[name][0] for body in self._sampled_bodies for name in body.joints])
        return float((us.max() + us.min()) / 2)

    def _place_camera(self) -> render.Camera:
        """At the script's distance, or the nearest one that keeps the whole movement in frame."""
        s = self.script
        if s.distance:
            return self._camera_at(s.distance)
        points = np.array([self._to_world(p) for body in self._sampled_bodies for p in body.joints.values()])
        distance = 1.6
        while distance < 8.0:
            camera = self._camera_at(distance)
            xy, _ = camera.project(points)
            x, y = xy[:, 0] / s.width, xy[:, 1] / s.height
            if x.min() > 0.1 and x.max() < 0.9 and y.min() > 0.12 and y.max() < 0.94:
                return camera
            distance *= 1.04
        return self._camera_at(distance)

    def _camera_at(self, distance: float) -> render.Camera:
        s = self.script
        head_way = self.heading * self.posture.front_sign  # world X direction the head points to
        yaw = math.radians(s.camera_yaw)
        raise_by = self.posture.camera_raise  # 0 on the floor; upright postures film from higher up
        target = np.array([0.0, LOOK_AT_HEIGHT + raise_by, 0.0])
        if s.camera_elevation is None:
            position = np.array([head_way * distance * math.sin(yaw), s.camera_height + raise_by,
                                 -distance * math.cos(yaw)])
        else:
            # `distance` is then the straight-line distance to the look-at point.
            elevation = math.radians(s.camera_elevation)
            across = distance * math.cos(elevation)
            position = target + np.array([head_way * across * math.sin(yaw), distance * math.sin(elevation),
                                          -across * math.cos(yaw)])
        return render.Camera.look_at(position, target, s.width, s.height, s.hfov)

    # --- frames ---------------------------------------------------------------------------

    def render_frame(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """RGB uint8 frame and its true landmarks (33, 4): x, y (pixels), depth, visible (0/1)."""
        t = index / self.fps
        skeleton = self.skeleton_at(t)
        parts = figure_parts(skeleton, self.script.build, self.script.hair_style)
        background, floor = self._room
        image = render.add_shadow(background, floor, self.camera, parts, self.script.lighting)
        depth_buffer = render.draw_parts(image, self.camera, parts, self._colours, self.script.lighting)
        noise = self._noise[self._noise_index(index)] if self._noise is not None else None
        world = true_landmarks(skeleton, self.script.build)
        self._world[index] = self._camera_world(world)
        return render.finish(image, noise), self._landmarks(world, depth_buffer)

    def _noise_index(self, index: int) -> int:
        return int(np.random.default_rng((self.script.seed, index)).integers(len(self._noise)))

    def _landmarks(self, world: np.ndarray, depth_buffer: np.ndarray) -> np.ndarray:
        xy, depth = self.camera.project(world)
        height, width = depth_buffer.shape
        px = np.clip(np.round(xy[:, 0] - 0.5).astype(int), 0, width - 1)
        py = np.clip(np.round(xy[:, 1] - 0.5).astype(int), 0, height - 1)
        inside = (xy[:, 0] >= 0) & (xy[:, 0] < width) & (xy[:, 1] >= 0) & (xy[:, 1] < height)
        covered = depth_buffer[py, px] < depth - landmark_depth_margin(self.script.build)
        visible = inside & ~covered
        hip_depth = depth[23:25].mean()
        relative = (depth - hip_depth) * self.camera.focal / hip_depth
        return np.column_stack([xy, relative, visible.astype(float)])

    def frames(self) -> Iterator[tuple[np.ndarray, float]]:
        """(rgb uint8 HxWx3, t seconds) for every frame; fills `truth_landmarks` on the way."""
        truth = []
        for index in range(self.frame_count):
            rgb, landmarks = self.render_frame(index)
            truth.append(landmarks)
            yield rgb, index / self.fps
        self.__dict__["truth_landmarks"] = truth  # the cached_property's slot: no second render

    @cached_property
    def truth_landmarks(self) -> list[np.ndarray]:
        """Per frame, (33, 4): x, y in pixels, relative depth, visible (1) or hidden by the body (0)."""
        return [self.render_frame(i)[1] for i in range(self.frame_count)]

    def truth_world(self, index: int) -> np.ndarray:
        """(33, 3) true landmarks of one frame as MediaPipe's world landmarks: metres, origin at the
        midpoint of the hips, axes of the camera (x image right, y image down, z away from the camera)."""
        if index not in self._world:
            world = true_landmarks(self.skeleton_at(index / self.fps), self.script.build)
            self._world[index] = self._camera_world(world)
        return self._world[index].copy()

    def _camera_world(self, world: np.ndarray) -> np.ndarray:
        hips = (world[23] + world[24]) / 2
        return (world - hips) @ self.camera.rotation.T

    @property
    def world_down(self) -> np.ndarray:
        """Unit gravity direction in the camera axes of `truth_world` ((0, 1, 0) for a level camera)."""
        return self.camera.rotation @ np.array([0.0, -1.0, 0.0])

    def truth_pose(self, index: int, all_visible: bool = True):
        """The true landmarks of one frame as a Pose (every point visible unless asked otherwise)."""
        from posecheck.core.keypoints import Pose

        array = self.truth_landmarks[index].copy()
        if all_visible:
            array[:, 3] = 1.0
        return Pose.from_array(array, self.size)

    @property
    def labels(self) -> dict:
        s = self.script
        labels = {"file": "", "exercise": s.exercise, "synthetic": True, "view": self.view}
        labels.update(self.timeline.labels)
        labels["seed"] = s.seed
        return labels

    @property
    def view(self) -> str:
        s = self.script
        if self.motion.posture == "supine":
            text = f"side, lying on the back, head {s.facing}"
        elif self.motion.posture == "prone":
            text = f"side, lying on the front, head {s.facing}"
        else:
            text = f"side, facing {s.facing}"
        text += f", camera yaw {s.camera_yaw:g}" if s.camera_yaw else ""
        return text + (f", camera elevation {s.camera_elevation:g}" if s.camera_elevation is not None else "")

    @property
    def duration(self) -> float:
        return self.timeline.duration


def _lips(skin: RGB) -> RGB:
    r, g, b = skin
    return (int(r * 0.8), int(g * 0.55), int(b * 0.55))


def render_clip(script: MotionScript) -> Clip:
    return Clip(script)


def write_clip(script: MotionScript, path: str | Path) -> dict:
    """Render to an H.264 MP4 at `path`; returns the labels with `file` set to the file name."""
    from posecheck.io.video import VideoWriter

    path = Path(path)
    clip = render_clip(script)
    with VideoWriter(path, script.width, script.height, fps=script.fps) as writer:
        for rgb, t in clip.frames():
            writer.write(rgb, t)
    labels = clip.labels
    labels["file"] = path.name
    return labels
