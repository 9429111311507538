"""The demo loop for an exercise's page: the correct movement, two reps, short holds."""

from __future__ import annotations

import tempfile
from pathlib import Path

from posecheck.synth.clip import MotionScript, write_clip
from posecheck.synth.motion import load_motion


def demo_script(exercise_name: str) -> MotionScript:
    motion = load_motion(exercise_name)
    return MotionScript(exercise=exercise_name, reps=2, holds=motion.demo_hold, lead_in=0.8, tail=0.8,
                        width=480, height=270, fps=20, noise=0.0, seed=1)


def render_demo(exercise_name: str, width: int = 480) -> bytes:
    """A small H.264 MP4 of the demo (loop it in the page), as bytes."""
    script = demo_script(exercise_name)
    height = int(round(width * 9 / 16 / 2)) * 2
    script = script.with_(width=width, height=height)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{exercise_name}-demo.mp4"
        write_clip(script, path)
        return path.read_bytes()
