"""Sample videos of the chosen exercise, for trying posecheck without a webcam or a recording.

The shipped ones (samples/EXERCISE__*.mp4) come first; an exercise with none gets a clip rendered
from its motion data once (the correct movement, two reps, the template's own hold) and kept in
the user's cache folder, so every exercise has a sample of itself.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "posecheck" / "samples"
ORDER = ("synth-correct", "synth-faults", "synth-too-fast")  # a correct clip first, real clips last


def shipped_samples(exercise: str, folder: Path = SAMPLES) -> list[Path]:
    """This exercise's clips in samples/, correct ones first."""
    found = sorted(folder.glob(f"{exercise}__*.mp4"))
    rank = {kind: i for i, kind in enumerate(ORDER)}
    return sorted(found, key=lambda p: (rank.get(p.stem.split("__", 1)[1], len(ORDER)), p.name))


def describe(path: Path) -> str:
    """A sample's name as a person reads it."""
    if _is_demonstration(path):
        return "the demonstration it was learned from"
    kind = path.stem.split("__", 1)[1] if "__" in path.stem else path.stem
    kind = "synth-rendered" if kind.startswith("synth-rendered") else kind
    return {"synth-correct": "done correctly (animated figure)",
            "synth-faults": "with form mistakes (animated figure)",
            "synth-too-fast": "one rep too fast (animated figure)",
            "synth-rendered": "done correctly (animated figure)"}.get(kind, f"a real recording ({kind})")


def _rendered_path(exercise: str, hold_seconds: float | None, folder: Path) -> tuple[Path, float]:
    holds = min(hold_seconds or 3.0, 10.0)
    return folder / f"{exercise}__synth-rendered-{holds:.0f}s.mp4", holds


def rendered_sample(exercise: str, hold_seconds: float | None, folder: Path = CACHE) -> Path:
    """A correct clip of `exercise` rendered from its motion data, made once and kept (about
    15 s of CPU the first time on a 2-core machine)."""
    from posecheck.synth.clip import MotionScript, write_clip

    path, holds = _rendered_path(exercise, hold_seconds, folder)
    script = MotionScript(exercise=exercise, reps=2, holds=holds, width=640, height=360, fps=20.0, seed=1)
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".mp4")
        os.close(handle)
        try:
            write_clip(script, Path(temporary))
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return path


def hold_of(template) -> float | None:
    return template.hold.target_seconds if template.hold else None


def samples_for(template, folder: Path = CACHE) -> list[Path]:
    """Clips of this exercise ready to play: the shipped ones, else one rendered earlier (none
    is rendered here: `rendered_sample` does that when the person asks for it)."""
    from posecheck.io.templates import demonstration_clip

    kept = demonstration_clip(template.name)  # a learned exercise's own demonstration, when kept
    shipped = ([kept] if kept else []) + shipped_samples(template.name)
    if shipped:
        return shipped
    path, _ = _rendered_path(template.name, hold_of(template), folder)
    return [path] if path.is_file() else []


def _is_demonstration(path: Path) -> bool:
    from posecheck.io.templates import user_exercises_dir

    return path.parent.resolve() == user_exercises_dir().resolve()


def can_render(template) -> bool:
    """Whether the exercise has motion data to render a sample from (a learned one may not)."""
    from posecheck.synth.motion import motion_dir

    return (motion_dir() / f"{template.name}.toml").is_file()
