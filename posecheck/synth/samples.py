"""The committed synthetic sample clips: fixed scripts, so `regenerate_samples` reproduces them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from posecheck.synth.body import Build
from posecheck.synth.clip import MotionScript, write_clip
from posecheck.synth.labels import block_for_file, clip_table
from posecheck.synth.render import Lighting, Room

POLYBAG = "bird-dog__polybag.mp4"
HEADER = "# Ground truth for the clips in samples/, in the format of the test corpus's labels.toml.\n"
SYNTH_NOTE = ("# Clips named *__synth-*.mp4 are rendered by posecheck.synth (python -m posecheck.synth samples);\n"
              "# their labels are exact by construction. `holds` follow the corpus's convention (from 90 % of\n"
              "# the way into the position to 90 % of the way out); `still` is the script's motionless time.\n"
              "# Do not edit them by hand: regenerate.\n")
SIZE = dict(width=640, height=360, fps=20.0, sway=1.0)


@dataclass(frozen=True)
class Sample:
    name: str  # file name without .mp4
    script: MotionScript
    notes: str = ""


SAMPLES: list[Sample] = [
    Sample("cat-cow__synth-correct", MotionScript(
        exercise="cat-cow", reps=1, holds=5.0, seed=11, **SIZE), "Correct cat-cow, 5 s holds."),
    Sample("cat-cow__synth-too-fast", MotionScript(
        exercise="cat-cow", reps=2, holds=2.0, tempo=1.5, faults=[None, "too_fast"], camera_yaw=20,
        facing="right", top=(58, 120, 84), bottom=(70, 70, 76), skin=(150, 104, 78), hair=(24, 20, 18),
        hair_style="bun", build=Build(height=1.62, girth=0.95), seed=12, **SIZE),
        "Rep 1 correct with short holds; rep 2 rushes from cat to cow in 0.5 s without holding."),
    Sample("bird-dog__synth-correct", MotionScript(
        exercise="bird-dog", reps=2, holds=3.0, seed=21, **SIZE), "Correct bird-dog, 3 s holds."),
    Sample("bird-dog__synth-faults", MotionScript(
        exercise="bird-dog", reps=2, holds=3.0, faults=["leg_too_high", "bent_knee"], camera_yaw=20,
        facing="right", top=(40, 90, 160), bottom=(30, 30, 34), skin=(236, 190, 160), hair=(150, 110, 60),
        build=Build(height=1.82, legs=1.04, girth=1.08), room=Room(mat=(120, 60, 110)),
        lighting=Lighting(direction=(0.5, -0.6, 0.6)), seed=22, **SIZE),
        "Rep 1: leg lifted too high; rep 2: back knee bent."),
    Sample("knee-to-chest__synth-correct", MotionScript(
        exercise="knee-to-chest", reps=1, holds=10.0, seed=31, **SIZE), "Correct knee-to-chest, 10 s hold."),
    Sample("knee-to-chest__synth-faults", MotionScript(
        exercise="knee-to-chest", reps=2, holds=4.0, tempo=2.0, faults=["head_lifted", "other_leg_lifted"],
        camera_yaw=-20, facing="right", top=(230, 200, 70), bottom=(90, 60, 110), skin=(120, 80, 60),
        hair=(20, 16, 14), hair_style="bun", seed=32, **SIZE),
        "Rep 1: head and shoulders lifted; rep 2: the other leg lifted off the floor."),
]


def samples_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "samples"


def labels_text(labels: list[dict], existing: str) -> str:
    """The new labels.toml: the polybag entry verbatim, then the synthetic clips."""
    polybag = block_for_file(existing, POLYBAG)
    blocks = [polybag] if polybag else []
    return HEADER + "".join(blocks) + "\n" + SYNTH_NOTE + "\n".join(clip_table(l) for l in labels)


def regenerate_samples(out_dir: str | Path | None = None, only: list[str] | None = None) -> list[Path]:
    """Write every sample clip and labels.toml into `out_dir` (default: the repository's samples/).

    The polybag entry is copied from the repository's samples/labels.toml. Same scripts -> same
    frames and labels on the same machine (libx264 output may differ across builds).
    """
    out_dir = Path(out_dir) if out_dir else samples_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    existing = (samples_dir() / "labels.toml").read_text(encoding="utf-8")
    written, labels = [], []
    for sample in SAMPLES:
        if only and sample.name not in only:
            continue
        path = out_dir / f"{sample.name}.mp4"
        clip_labels = write_clip(sample.script, path)
        if sample.notes:
            clip_labels["notes"] = sample.notes
        labels.append(clip_labels)
        written.append(path)
    labels_path = out_dir / "labels.toml"
    labels_path.write_text(labels_text(labels, existing), encoding="utf-8")
    return written + [labels_path]
