"""A learned exercise (core/learn.py) written as an ordinary template file's TOML text: the same
fields as any shipped template (docs/templates.md), self-contained (its safety sentences are
written out, not referred to `exercises/shared/`, so that it loads from any folder), with comments
that say what was found and how sure it is. `parse_template` reads it back."""

from __future__ import annotations

from posecheck.core.learn import LearnedExercise
from posecheck.core.learn_movement import expected_count
from posecheck.core.learn_rules import LEAST_SHARE, RELEASE_SHARE, THRESHOLD_SHARE, Bound
from posecheck.core.learn_signals import ENTRIES, SUM_PARTS, Candidate
from posecheck.core.routine_builder import toml_value

SAFETY = (
    "Move gently and only as far as is comfortable, as in the demonstration.",
    "Stop if the exercise causes pain, and talk to a doctor or physiotherapist before going on.",
    "See a doctor if your back pain is severe, keeps getting worse, or comes with numbness, weakness, fever "
    "or problems passing urine.",
)
VALUES = {"angle": (0, 180), "bend": (-180, 180), "elevation": (-90, 90), "height": (-5, 5), "distance": (0, 5),
          "sum": (0, 360)}
IDENTITY_NOTE = (
    "# Not learned: what tells this exercise apart from its look-alikes. One demonstration shows what the\n"
    "# exercise is, not what it is not, so any movement of the key signal as large as this one, from\n"
    "# the same starting position, is counted. Add [[identity]] rules by hand (docs/templates.md) if a\n"
    "# look-alike must be refused.")


def number(value: float, candidate: Candidate) -> float:
    low, high = VALUES[candidate.kind]
    value = min(max(float(value), low), high)
    return round(value, 1) if candidate.angular else round(value, 3)


def template_text(learned: LearnedExercise) -> str:
    key = learned.key
    lines = [f"# Learned by `posecheck learn` from one demonstration{f' ({learned.source})' if learned.source else ''}.",
             "# An ordinary template: edit it as any other (docs/templates.md).", "#"]
    lines += [f"# {line}" for line in wrapped(learned.findings)]
    if learned.self_check is not None:
        lines.append(f"# Checked: this template counts {learned.self_check} rep(s) in the demonstration itself "
                     f"(found {expected_count(learned)}).")
    lines.append(f"# How sure: {learned.confidence_words} ({learned.confidence:.2f} of 1), from how clearly the key signal "
                 "moves against its jitter, how alike the reps are, how far ahead of the next candidate it is, and "
                 "the check above.")
    lines.append(IDENTITY_NOTE)
    lines.append("")
    movement = {"one-way": "a movement", "two-way": "a movement between two positions", "hold": "a held position"}
    fields = {
        "name": learned.name,
        "title": learned.title,
        "summary": f"An exercise learned from a demonstration: {movement[learned.kind]} of the {key.label}.",
    }
    lines += [f"{name} = {toml_value(value)}" for name, value in fields.items()]
    lines.append("instructions = [")
    for step in instructions(learned):
        lines.append(f"  {toml_value(step)},")
    lines.append("]")
    camera = ("Put the camera about 2-3 m away, side-on to you, so your whole body is in the frame, as in the "
              "demonstration." if learned.view == "side" else
              "Put the camera about 2-3 m away, as in the demonstration, so your whole body is in the frame.")
    lines.append(f"camera = {toml_value(camera)}")
    lines.append("safety = [")
    lines += [f"  {toml_value(sentence)}," for sentence in SAFETY]
    lines.append("]")
    lines.append(f"view = {toml_value(learned.view)}")
    lines.append("sides = false  # a side done at a time is read as the side that moves (larger_side / smaller_side)")
    lines.append(f"key_signal = {toml_value(key.name)}")
    lines.append("look_alikes = []")
    lines += ["", "[signals]"]
    lines += signal_lines(learned)
    lines += ["", "# The start position, as the demonstration showed it, with room for other views and people.",
              "[position]", f"label = {toml_value(learned.position_words)}",
              f"guidance = {toml_value('Get into the starting position shown in the demonstration.')}", "when = ["]
    lines += [f"  {condition(bound)}," for bound in learned.position]
    lines.append("]")
    lines += phase_lines(learned)
    rule = "cycle" if learned.kind == "two-way" else "reach"
    names = [target.name for target in learned.targets]
    lines += ["", "[counting]", f"rule = {toml_value(rule)}", f"phases = [{', '.join(toml_value(n) for n in names)}]"]
    lines += range_lines(learned)
    if learned.confirm is not None:
        check = learned.confirm
        lines += ["", "# Not identity against look-alikes: only that the second signal the demonstration moved in every",
                  f"# rep moves too. From the demonstration: {check.note}.", "[[identity]]",
                  f"phase = {toml_value(check.phase)}", f"when = {condition(check.bound, release=False, relative=True)}",
                  "relative = true"] + ([f"absolute = {toml_value(check.absolute)}"] if check.absolute is not None else []) + [
                  f"message = {toml_value(check.message)}"]
    if learned.hold_target:
        maximum = min(600, max(30, 3 * learned.hold_target))
        lines += ["", f"# Held {', '.join(f'{h:.1f}' for h in learned.holds)} s in the demonstration.", "[hold]",
                  f"phases = [{', '.join(toml_value(n) for n in names)}]",
                  f"target_seconds = {toml_value(learned.hold_target)}", f"max_seconds = {toml_value(float(maximum))}"]
    for check in learned.form:
        lines += ["", f"# From the demonstration: {check.note}.", "[[form]]", f"id = {toml_value(check.id)}",
                  f"phase = {toml_value(check.phase)}", f"when = {condition(check.bound, release=check.at == 'during')}"]
        if check.at == "peak":
            lines.append('at = "peak"')
        else:
            lines.append("min_seconds = 1")
        lines.append(f"message = {toml_value(check.message)}")
    return "\n".join(lines) + "\n"


def wrapped(lines: list[str], width: int = 98) -> list[str]:
    out = []
    for line in lines:
        words, current = line.split(), ""
        for word in words:
            if current and len(current) + 1 + len(word) > width:
                out.append(current)
                current = "  " + word
            else:
                current = f"{current} {word}" if current else word
        out.append(current)
    return out


def instructions(learned: LearnedExercise) -> list[str]:
    steps = [f"Start {learned.position_words}, as in the demonstration."]
    verbs = {"one-way": "Move as the demonstration does, then come back to the start.",
             "two-way": "Move one way as the demonstration does, then the other way; one of each is one rep.",
             "hold": "Move into the position the demonstration shows, hold it, then come back to the start."}
    steps.append(verbs[learned.kind])
    if learned.hold_target:
        steps.append(f"Hold each position for about {learned.hold_target:g} seconds.")
    if "alternates" in learned.alternation:
        steps.append("Change sides each time, as in the demonstration.")
    return steps


def used_signals(learned: LearnedExercise) -> list[Candidate]:
    used = [learned.key] + [bound.signal for bound in learned.position] + [check.bound.signal for check in learned.form]
    if learned.confirm is not None:
        used.append(learned.confirm.bound.signal)
    return list(dict.fromkeys(used))


def signal_lines(learned: LearnedExercise) -> list[str]:
    lines = []
    for candidate in used_signals(learned):
        space = ', space = "world"' if candidate.space == "world" else ""
        suffix = "_3d" if candidate.space == "world" else ""
        if candidate.base in SUM_PARTS:
            parts = []
            for part in SUM_PARTS[candidate.base]:
                kind, points, label = ENTRIES[part]
                parts.append(part + suffix)
                lines.append(f"{part}{suffix} = {{ kind = {toml_value(kind)}, points = {points_text(points)}{space}, "
                             f"label = {toml_value(label)} }}")
            lines.append(f"{candidate.name} = {{ kind = \"sum\", signals = [{', '.join(toml_value(p) for p in parts)}], "
                         f"label = {toml_value(candidate.label)} }}")
            continue
        kind, points, label = ENTRIES[candidate.base]
        if candidate.pick:
            lines.append(f"{candidate.each} = {{ kind = {toml_value(kind)}, points = {points_text(points)}{space}, "
                         f"label = {toml_value(label)} }}")
            lines.append(f"{candidate.name} = {{ kind = \"{candidate.pick}_side\", signals = [{toml_value(candidate.each)}], "
                         f"label = {toml_value(label)} }}")
        else:
            lines.append(f"{candidate.name} = {{ kind = {toml_value(kind)}, points = {points_text(points)}{space}, "
                         f"label = {toml_value(label)} }}")
    seen, unique = set(), []
    for line in lines:  # a sum's parts may also be used on their own
        name = line.split(" = ", 1)[0]
        if name not in seen:
            seen.add(name)
            unique.append(line)
    return unique


def points_text(points) -> str:
    return "[" + ", ".join(toml_value(p) for p in points) + "]"


def condition(bound: Bound, release: bool = True, relative: bool = False) -> str:
    value = round(float(bound.value), 1 if bound.signal.angular else 3) if relative else number(bound.value, bound.signal)
    text = f"{{ signal = {toml_value(bound.signal.name)}, {bound.direction} = {toml_value(value)}"
    if release:
        released = number(bound.release, bound.signal)
        released = min(released, value) if bound.direction == "above" else max(released, value)
        if released != value:
            text += f", release = {toml_value(released)}"
    return text + " }"


def thresholds(learned: LearnedExercise):
    """Per target: (threshold, release, least) on the key signal, rounded as written."""
    key = learned.key
    rest = number(learned.rest, key)
    out = {}
    for target in learned.targets:
        threshold = number(learned.rest + target.way * THRESHOLD_SHARE * target.reach, key)
        release = number(learned.rest + target.way * RELEASE_SHARE * target.reach, key)
        floor = 3 * learned.jitter
        least = max(LEAST_SHARE * target.reach, floor)
        least = min(least, abs(threshold - rest))
        least = round(least, 1) if key.angular else round(least, 3)
        if least <= 0 or least > abs(threshold - rest):
            least = abs(threshold - rest)
        out[target.name] = (threshold, release, least)
    return rest, out


def phase_lines(learned: LearnedExercise) -> list[str]:
    rest, limits = thresholds(learned)
    lines = []
    labels = {"target": "Target position", "lower": f"{learned.key.label.capitalize()} lower",
              "higher": f"{learned.key.label.capitalize()} higher"}
    for target in learned.targets:
        threshold, release, _ = limits[target.name]
        direction = "above" if target.way > 0 else "below"
        bound = Bound(learned.key, direction, threshold, release)
        lines += ["", f"# Entered at {THRESHOLD_SHARE:.0%} of the demonstrated reach from the start ({target.reach:.3g}); "
                  "with [range], at half of each person's own reach.",
                  "[[phases]]", f"name = {toml_value(target.name)}", f"label = {toml_value(labels[target.name])}",
                  f"cue = {toml_value('Move into the position shown in the demonstration.')}",
                  f"when = [{condition(bound)}]", f"min_seconds = {toml_value(0.3)}", f"grace_seconds = {toml_value(0.4)}"]
    return lines


def range_lines(learned: LearnedExercise) -> list[str]:
    rest, limits = thresholds(learned)
    full = ", ".join(f"{t.name} = {toml_value(number(t.level, learned.key))}" for t in learned.targets)
    least = ", ".join(f"{name} = {toml_value(float(values[2]))}" for name, values in limits.items())
    return ["", "# The demonstration's own range: each person is counted against theirs "
            f"(least: {LEAST_SHARE:.0%} of the demonstrated reach, and over 3 times the jitter).",
            "[range]", f"rest = {toml_value(rest)}", f"full = {{ {full} }}", f"least = {{ {least} }}"]
