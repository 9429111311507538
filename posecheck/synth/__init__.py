"""Synthetic exercise videos with exact ground truth: a shaded 3-D figure posed from motion data.

    clip = render_clip(MotionScript(exercise="bird-dog", faults=[None, "leg_too_high"], camera_yaw=20))
    for rgb, t in clip.frames(): ...
    clip.truth_landmarks[i]   # (33, 4) true landmarks of frame i
    clip.labels               # ground truth in the corpus labels.toml format

See docs/synth.md for what this footage proves and what it does not.
"""

from posecheck.synth.body import Build
from posecheck.synth.clip import Clip, MotionScript, render_clip, write_clip
from posecheck.synth.demo import demo_script, render_demo
from posecheck.synth.render import Lighting, Room

__all__ = ["Build", "Clip", "Lighting", "MotionScript", "Room", "demo_script", "render_clip", "render_demo",
           "write_clip"]
