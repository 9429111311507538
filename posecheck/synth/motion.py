"""Motion scripts as data: key poses from `exercises/motion/<exercise>.toml` become a timeline of
eased poses, and the timeline knows its own ground truth (reps, holds, phases, sides, faults).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from posecheck.synth.body import SIDES

OTHER = {"left": "right", "right": "left"}
LIMB_JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "plant_hand", "plant_foot",
               "hip_abduct", "shoulder_abduct")
LEG_JOINTS = ("hip", "knee", "ankle", "plant_foot", "hip_abduct")
CONTACTS = ("plant_hand_", "plant_foot_", "grip_", "hands_chest")  # 0..1 weights of contacts, not angles
# People label a hold from when the body is nearly there to when it has just started back: at the
# labelled starts of the corpus's real holds the key signal is a median 86 % of the way into the
# position, at the labelled ends still 94 % (benchmarks/hold_convention.py).
# The `holds` labels follow that convention; `still` keeps the script's motionless spans.
HELD_FROM = 0.9


def motion_dir() -> Path:
    """exercises/motion inside the installed package (a wheel), else in the source tree."""
    packaged = Path(__file__).resolve().parents[1] / "exercises" / "motion"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "exercises" / "motion"


@dataclass(frozen=True)
class Fault:
    id: str
    changes: dict = field(default_factory=dict)  # key pose name -> {joint: value}
    scale: dict = field(default_factory=dict)  # key pose name -> fraction of the movement
    tempo: float | None = None
    hold: float | None = None
    swap_leg: bool = False  # the {other} leg's changes go to the {side} leg
    labelled: str = "hold"  # which span the label covers: "hold" (key poses held) or "rep"
    note: str = ""


@dataclass(frozen=True)
class Motion:
    exercise: str
    posture: str
    start: dict
    keys: dict  # name -> {joint (may contain {side}/{other}): value}
    sequence: tuple[str, ...]
    tempo: float
    hold: float
    demo_hold: float
    rest: float
    sides: tuple[str, ...]  # default side per rep, cycled; () for exercises without sides
    side_label: str  # "{side} arm + {leg} leg", "{side} knee", or ""
    faults: dict


def load_motion(exercise: str, folder: Path | None = None) -> Motion:
    path = (folder or motion_dir()) / f"{exercise}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    faults = {name: Fault(id=name, **spec) for name, spec in data.get("faults", {}).items()}
    return Motion(
        exercise=data["exercise"], posture=data["posture"], start=expand_sides(data["start"]),
        keys=data["keys"], sequence=tuple(data["sequence"]), tempo=float(data["tempo"]),
        hold=float(data["hold"]), demo_hold=float(data.get("demo_hold", 2.0)), rest=float(data.get("rest", 1.0)),
        sides=tuple(data.get("sides", ())), side_label=data.get("side_label", ""), faults=faults,
    )


def expand_sides(pose: dict) -> dict:
    """`knee = 90` means both knees: `knee_left = knee_right = 90`."""
    out = {}
    for key, val in pose.items():
        if key in LIMB_JOINTS:
            out.update({f"{key}_{side}": float(val) for side in SIDES})
        else:
            out[key] = float(val)
    return out


def resolve_key(changes: dict, side: str | None, swap_leg: bool = False) -> dict:
    """Fill in {side}/{other} for one rep; with `swap_leg`, the other leg's joints go to `side`."""
    out = {}
    for key, val in changes.items():
        joint = key.split("_{")[0]
        other = side if swap_leg and joint in LEG_JOINTS else OTHER.get(side or "", "")
        out[key.replace("{side}", side or "").replace("{other}", other)] = float(val)
    return expand_sides(out)


@dataclass(frozen=True)
class RepPlan:
    number: int
    side: str | None
    fault: str | None
    hold: float
    tempo: float


@dataclass(frozen=True)
class Keyframe:
    time: float
    pose: dict
    name: str  # "start" or a key pose name


@dataclass
class Timeline:
    keyframes: list[Keyframe]
    duration: float
    labels: dict  # everything but the file-level fields

    def pose_at(self, t: float) -> dict:
        frames = self.keyframes
        if t <= frames[0].time:
            return frames[0].pose
        for before, after in zip(frames, frames[1:]):
            if t <= after.time:
                span = after.time - before.time
                w = 0.0 if span <= 0 else ease((t - before.time) / span)
                return interpolate(before.pose, after.pose, w)
        return frames[-1].pose


def ease(x: float) -> float:
    """Smooth start and stop (cosine ease-in-out)."""
    return 0.5 - 0.5 * math.cos(math.pi * min(max(x, 0.0), 1.0))


def interpolate(a: dict, b: dict, w: float) -> dict:
    return {k: a.get(k, 0.0) + (b.get(k, 0.0) - a.get(k, 0.0)) * w for k in a.keys() | b.keys()}


def key_pose(motion: Motion, name: str, plan: RepPlan, depth: float = 1.0) -> dict:
    """The key pose `name` for one rep, with the rep's fault and the range of motion `depth`."""
    fault = motion.faults.get(plan.fault) if plan.fault else None
    swap = bool(fault and fault.swap_leg)
    pose = dict(motion.start)
    pose.update(resolve_key(motion.keys[name], plan.side, swap))
    if fault:
        pose.update(resolve_key(fault.changes.get(name, {}), plan.side, swap))
        if name in fault.scale:
            pose = interpolate(motion.start, pose, float(fault.scale[name]))
    if depth != 1.0:
        pose = scale_movement(motion.start, pose, depth)
    return pose


def scale_movement(start: dict, pose: dict, depth: float) -> dict:
    """start + depth * (pose - start) for every joint angle (and pelvis_dy); contact weights
    (plant_hand, plant_foot, grip, hands_chest) keep the pose's value while depth > 0, the start's at
    0 or below."""
    out = {}
    for key in start.keys() | pose.keys():
        a, b = start.get(key, 0.0), pose.get(key, 0.0)
        if key.startswith(CONTACTS):
            out[key] = b if depth > 0 else a
        else:
            out[key] = a + depth * (b - a)
    return out


def build_timeline(motion: Motion, plans: list[RepPlan], lead_in: float = 1.5, tail: float = 1.0,
                   depth: float = 1.0) -> Timeline:
    start = dict(motion.start)
    frames = [Keyframe(0.0, start, "start")]
    t = lead_in
    frames.append(Keyframe(t, start, "start"))
    holds, still, phases, rep_times, faults = [], [], {name: [] for name in motion.sequence}, [], []
    for index, plan in enumerate(plans):
        rep_start = t
        key_spans = []
        for name in motion.sequence:
            pose = key_pose(motion, name, plan, depth)
            reached = t + plan.tempo
            t = reached + plan.hold
            frames += [Keyframe(reached, pose, name), Keyframe(t, pose, name)]
            key_spans.append((name, reached, t))
            if plan.hold > 0:
                still.append([round(reached, 2), round(t, 2)])
                holds.append(held_span(reached, t, plan.tempo))
        t += plan.tempo
        frames.append(Keyframe(t, start, "start"))
        rep_times.append([round(rep_start, 2), round(t, 2)])
        _add_phases(phases, key_spans, plan.tempo)
        if plan.fault:
            faults.append(_fault_label(motion, plan, key_spans, rep_times[-1]))
        if index < len(plans) - 1:
            t += motion.rest
            frames.append(Keyframe(t, start, "start"))
    t += tail
    frames.append(Keyframe(t, start, "start"))
    labels = {"reps": len(plans), "accept": [len(plans), len(plans)]}
    if motion.side_label:
        labels["sides"] = [side_text(motion, plan) for plan in plans]
    if holds:
        labels["holds"] = holds
        labels["still"] = still
    if len(motion.sequence) > 1:
        labels["phases"] = phases
    labels["rep_times"] = rep_times
    labels["faults"] = faults
    if depth != 1.0:
        labels["depth"] = float(depth)
    return Timeline(frames, t, labels)


def held_span(reached: float, left: float, tempo: float) -> list[float]:
    """The span people would label as held: from HELD_FROM of the eased way in to the same share
    of the way out (the acos inverts `ease`: the share of the move time at which it reaches HELD_FROM)."""
    early = tempo * (1 - math.acos(1 - 2 * HELD_FROM) / math.pi)
    return [round(reached - early, 2), round(left + early, 2)]


def _add_phases(phases: dict, key_spans: list, tempo: float) -> None:
    """A key pose's phase runs from halfway in to halfway out (where the pose is nearer it)."""
    for name, reached, left in key_spans:
        phases[name].append([round(reached - tempo / 2, 2), round(left + tempo / 2, 2)])


def _fault_label(motion: Motion, plan: RepPlan, key_spans: list, rep_time: list) -> dict:
    fault = motion.faults[plan.fault]
    if fault.labelled == "rep":
        span = rep_time
    else:
        touched = [s for s in key_spans if s[0] in fault.changes or s[0] in fault.scale] or key_spans
        span = [round(touched[0][1], 2), round(touched[-1][2], 2)]
    return {"id": fault.id, "rep": plan.number, "time": span}


def side_text(motion: Motion, plan: RepPlan) -> str:
    fault = motion.faults.get(plan.fault) if plan.fault else None
    leg = plan.side if fault and fault.swap_leg else OTHER[plan.side]
    return motion.side_label.format(side=plan.side, leg=leg)


def plan_reps(motion: Motion, reps: int, sides=None, holds=None, tempo=None, faults=None) -> list[RepPlan]:
    """One plan per rep: side, fault, hold and tempo (a fault may change the timing)."""
    plans = []
    for i in range(reps):
        side = _nth(sides, i) or (motion.sides[i % len(motion.sides)] if motion.sides else None)
        fault_id = _nth(faults, i)
        if fault_id and fault_id not in motion.faults:
            known = ", ".join(motion.faults) or "none"
            raise ValueError(f"{motion.exercise} has no fault {fault_id!r}; known: {known}")
        hold = _nth(holds, i)
        hold = motion.hold if hold is None else float(hold)
        speed = motion.tempo if tempo is None else float(tempo)
        fault = motion.faults.get(fault_id) if fault_id else None
        if fault and fault.hold is not None:
            hold = fault.hold
        if fault and fault.tempo is not None:
            speed = fault.tempo
        plans.append(RepPlan(i + 1, side, fault_id, hold, speed))
    return plans


def _nth(values, i):
    """values[i] for a list (None past its end), or the value itself for a scalar."""
    if values is None or isinstance(values, (str, int, float)):
        return values
    return values[i] if i < len(values) else None
