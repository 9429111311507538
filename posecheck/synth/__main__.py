"""python -m posecheck.synth samples [OUT_DIR]
python -m posecheck.synth render --exercise bird-dog --fault leg_too_high --yaw 20 -o out.mp4
"""

from __future__ import annotations

import argparse
import sys

from posecheck.synth.clip import MotionScript, write_clip
from posecheck.synth.labels import clip_table
from posecheck.synth.samples import regenerate_samples


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posecheck.synth", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    samples = commands.add_parser("samples", help="regenerate the sample clips and labels.toml")
    samples.add_argument("out_dir", nargs="?", help="default: the repository's samples/")
    render = commands.add_parser("render", help="render one clip and print its labels")
    render.add_argument("--exercise", "-e", required=True)
    render.add_argument("--reps", type=int, default=2)
    render.add_argument("--fault", action="append", help="fault id for every rep, or once per rep ('none' = correct)")
    render.add_argument("--side", action="append", help="left/right per rep")
    render.add_argument("--hold", type=float, help="seconds held per rep")
    render.add_argument("--tempo", type=float, help="seconds to move into and out of the pose")
    render.add_argument("--yaw", type=float, default=0.0, help="camera yaw in degrees (0 = side view)")
    render.add_argument("--camera-height", type=float, default=0.4)
    render.add_argument("--elevation", type=float, help="camera elevation in degrees above the look-at point "
                        "(0 = level, 45 = looking down); overrides --camera-height")
    render.add_argument("--depth", type=float, default=1.0, help="range of motion (1 = as scripted)")
    render.add_argument("--facing", choices=("left", "right"), default="left")
    render.add_argument("--size", default="640x360")
    render.add_argument("--fps", type=float, default=24.0)
    render.add_argument("--seed", type=int, default=0)
    render.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    if args.command == "samples":
        for path in regenerate_samples(args.out_dir):
            print(path)
        return 0
    width, height = (int(v) for v in args.size.lower().split("x"))
    faults = [None if f == "none" else f for f in args.fault] if args.fault else None
    if faults and len(faults) == 1:
        faults = faults[0]
    script = MotionScript(exercise=args.exercise, reps=args.reps, faults=faults, sides=args.side,
                          holds=args.hold, tempo=args.tempo, camera_yaw=args.yaw,
                          camera_height=args.camera_height, camera_elevation=args.elevation,
                          depth=args.depth, facing=args.facing, width=width,
                          height=height, fps=args.fps, seed=args.seed)
    try:
        labels = write_clip(script, args.output)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(clip_table(labels), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
