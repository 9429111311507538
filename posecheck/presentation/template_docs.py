"""docs/templates.md, written from the parsers' own field tables (core/template_fields.py and
core/routine.py), so that the docs say what the parsers accept:

    python -m posecheck.presentation.template_docs > docs/templates.md

tests/test_template_docs.py fails when the file differs from what this writes.
"""

from __future__ import annotations

from typing import Any

from posecheck.core import template_fields as tf
from posecheck.core.reader import REQUIRED, TEXTS, Bounds, Computed, Field
from posecheck.core.routine import ROUTINE_FIELDS, STEP_FIELDS
from posecheck.core.shared_definitions import SHARED_FILE
from posecheck.core.template import SIGNAL_KINDS, SIGNAL_VALUES

COMMAND = "python -m posecheck.presentation.template_docs > docs/templates.md"

INTRO = f"""\
# Exercise templates and routines: every field

<!-- Written by `{COMMAND}` from the parsers' own tables
(posecheck/core/template_fields.py, posecheck/core/routine.py): change those, not this file. -->

An exercise is a TOML file in `exercises/`, not code: `exercises/bird-dog.toml` is the exercise
`bird-dog`. In every frame posecheck measures the template's **signals** (angles, heights and
distances from MediaPipe's landmarks, or the person's silhouette). Nothing counts until the
**starting position** holds. Then it recognises the **phases**, positions described by threshold
conditions, counts reps by the **counting** rule, times the **hold**, and says what the **form**
and **identity** rules find (docs/counting.md tells how). A broken file is refused with one
sentence that names the file, the field and the problem, e.g. `exercises/bird-dog.toml:
hold.target_seconds must be a number, got text 'ten'`.

In the tables, *required* fields must be given; a default of *none* means that leaving the field
out leaves that part out. A field not in its table is refused (a misspelt optional field would
otherwise be silently ignored).
"""

# (heading, what it is, fields), in the order a template is read.
TEMPLATE_SECTIONS = (
    ("The template", "The file's top level.", tf.TEMPLATE),
    ("Signals: `[signals]`", "Each signal is a table under its own name, e.g. `hip = { kind = \"angle\", "
     "points = [\"mid_shoulder\", \"mid_hip\", \"mid_knee\"] }`. Which fields a signal takes depends on its "
     "kind, and a field marked required is required of the kinds it is for. A reference to a shared signal "
     "takes only `shared` (see Shared definitions).", tf.SIGNAL),
    ("Conditions", "A condition is a table like `{ signal = \"hip\", above = 150, release = 130 }`, in "
     "`position.when`, a phase's `when`, and a form or identity rule's `when` and `also`.", tf.CONDITION),
    ("Position: `[position]`", "", tf.POSITION),
    ("Phases: `[[phases]]`", "A phase starts when all its conditions hold (for one side, in an exercise "
     "with `sides`) and lasts while they do; one phase at a time. Where several could start, the first "
     "listed wins.", tf.PHASE),
    ("Counting: `[counting]`", "", tf.COUNTING),
    ("Hold: `[hold]`", "A held phase is timed from when the person settles into it: see docs/counting.md, "
     "\"When form is judged\".", tf.HOLD),
    ("Form: `[[form]]`", "", tf.FORM),
    ("Range: `[range]`", "Counting then follows the person's own range on the key signal: a phase is "
     "reached at half the way this person goes, at least `least` and at most the phase's own threshold "
     "(docs/counting.md).", tf.RANGE),
    ("Identity: `[[identity]]`", "A rule is met when seen met in a few frames of the phase; when it was "
     "never met and seen failing in most frames, the rep is not counted and `message` is said. A rule that "
     "could not be seen neither confirms nor refuses: the rep counts with a note.", tf.IDENTITY),
    ("Tempo: `[tempo]`", "", tf.TEMPO),
)

SHARED_TEXT = f"""\
## Shared definitions

What many templates say alike is written once, in `exercises/{SHARED_FILE}`, and a template
refers to it by name: a safety note as `{{ shared = "see-a-doctor" }}` among its `safety` items, a
signal as `trunk_tilt = {{ shared = "trunk_tilt" }}` under `[signals]`. The template then parses
as if it had written the definition out (a shared signal takes the name the template gives it).
The loader reads the `{SHARED_FILE}` of the template's own folder; it is not an exercise (only the
folder's own `*.toml` files are). A template given as plain data (`parse_template(data)`) needs
no shared definitions unless it refers to one.
"""

ROUTINE_TEXT = """\
## Routines

A routine is a TOML file in `routines/`: exercises in order, each with its reps or holds and a
rest after it. Every exercise it names must load.
"""

EXAMPLE = '''\
# cat-cow, shortened: exercises/cat-cow.toml has more position conditions, an identity
# fallback for when no silhouette is read, and a form rule for each of its two positions.
name = "cat-cow"
title = "Cat-cow"
summary = "On hands and knees, slowly round your back up like a cat, then let it dip into a gentle arch."
instructions = [
  "Kneel on the mat on your hands and knees: hands under your shoulders, knees under your hips.",
  "Breathe out and round your back towards the ceiling, letting your head and tailbone drop (cat).",
]
camera = "Put the camera at floor level about 2-3 m away, side-on to you, so your whole body from head to knees is in the frame."
safety = [
  "Move gently and only as far as is comfortable.",
  { shared = "stop-if-pain" },  # a sentence of exercises/shared/common.toml
  { shared = "see-a-doctor" },
]
view = "side"      # judged side-on: a person facing the camera is asked to turn
sides = false      # both sides move together: no left and right reps
key_signal = "spine"

[signals]
# The line hip - shoulder - ear bends up (cow, positive) or down (cat, negative).
spine = { kind = "bend", points = ["mid_hip", "mid_shoulder", "mid_ear"], label = "back and neck curve" }
trunk_tilt = { shared = "trunk_tilt" }  # the hips-to-shoulders line above horizontal
hip_angle = { kind = "angle", points = ["mid_shoulder", "mid_hip", "mid_knee"], label = "hip angle" }
arms = { kind = "angle", points = ["mid_shoulder", "mid_elbow", "mid_wrist"], label = "elbow angle" }
knees = { kind = "angle", points = ["mid_hip", "mid_knee", "mid_ankle"], label = "knees on the floor" }
# The back itself, from the silhouette: how far the middle of its outline bulges up.
back_outline = { kind = "outline", measure = "back_curve", label = "back's outline" }

# On all fours: back about level, hips bent, knees bent under the hips. Each condition has a
# `release` a little past its threshold, so that a value near it does not flicker in and out.
[position]
label = "on hands and knees"
guidance = "Get onto your hands and knees, side-on to the camera: hands under shoulders, knees under hips."
when = [
  { signal = "trunk_tilt", below = 35, release = 40 },
  { signal = "hip_angle", above = 65, release = 60 },
  { signal = "knees", below = 130, release = 145 },
]

[[phases]]
name = "cat"
label = "Cat (back rounded)"
cue = "Round your back up and let your head drop."
when = [{ signal = "spine", below = -25, release = -12 }]
min_seconds = 0.2  # held this long before it counts as the cat (default 0.3)

[[phases]]
name = "cow"
label = "Cow (back arched)"
cue = "Let your belly sink and lift your head."
when = [{ signal = "spine", above = 15, release = 5 }]
min_seconds = 0.2

[counting]
rule = "cycle"  # one rep = a cat and a cow, in either order
phases = ["cat", "cow"]

# The clinical range of `spine`: rest in the middle, full cat -70, full cow +45; a cat or a cow
# counts from 10 degrees away from this person's own rest.
[range]
rest = -5
full = { cat = -70, cow = 45 }
least = { cat = 10, cow = 10 }

# Not just the head: from the cat to the cow the back's outline must sink by 0.026 trunk lengths
# for each 100 degrees the back-and-neck curve moves (`per`): a nod moves the curve as far with
# the back still; a shallow but whole cat-cow moves both less.
[[identity]]
phase = "cow"
against = "cat"
when = { signal = "back_outline", below = -0.00026 }
per = "spine"
message = "Only your head is moving: round your whole back up towards the ceiling, then let your belly sink."

[hold]
phases = ["cat", "cow"]
target_seconds = 5

# Said when the arms bend in the cat for a second or more.
[[form]]
id = "bent_arms"
phase = "cat"
when = { signal = "arms", below = 140, release = 150 }
min_seconds = 1.0
message = "Keep your arms straight, hands under your shoulders."

# Judged once per cat, on its deepest value: a cat that never got below -45 was shallow.
[[form]]
id = "shallow_cat"
phase = "cat"
at = "peak"
when = { signal = "spine", above = -45 }
message = "Your cat reaches about {percent} % of the full curve: round your back more, push the floor away, tuck your chin and tailbone."

[tempo]
min_rep_seconds = 4
message = "Slow down: move gently into each position and hold it for a few breaths."
'''


def render() -> str:
    """The whole of docs/templates.md."""
    parts = [INTRO]
    for heading, text, table in TEMPLATE_SECTIONS:
        parts.append(_section(heading, text, table))
        if table is tf.SIGNAL:
            parts.append(_signal_kinds())
    parts.append(SHARED_TEXT)
    parts.append(_section("A reference: `{ shared = \"name\" }`", "", tf.SHARED_REFERENCE, level="###"))
    parts.append(_section(f"The shared definitions' file: `exercises/{SHARED_FILE}`", "", tf.SHARED, level="###"))
    parts.append(ROUTINE_TEXT)
    parts.append(_section("The routine", "The file's top level.", ROUTINE_FIELDS, level="###"))
    parts.append(_section("Steps: `[[steps]]`", "", STEP_FIELDS, level="###"))
    parts.append(f"## An annotated example\n\n```toml\n{EXAMPLE}```\n")
    return "\n".join(parts)


def _section(heading: str, text: str, table: dict[str, Field], level: str = "##") -> str:
    lines = [f"{level} {heading}", ""]
    if text:
        lines += [text, ""]
    lines += ["| field | type | default | allowed | meaning |", "|---|---|---|---|---|"]
    lines += [f"| `{f.name}` | {_type(f)} | {_default(f.default)} | {_allowed(f.allowed)} | {f.meaning} |"
              for f in table.values()]
    return "\n".join(lines) + "\n"


def _signal_kinds() -> str:
    lines = ["### Signal kinds", "", "| kind | points | reads | meaning |", "|---|---|---|---|"]
    for kind, meaning in tf.SIGNAL_KIND_MEANINGS.items():
        points = SIGNAL_KINDS.get(kind, "-")
        reads = SIGNAL_VALUES.get(kind, "the sum of its two signals' ranges")
        lines.append(f"| `{kind}` | {points} | {reads} | {meaning} |")
    return "\n".join(lines) + "\n"


def _type(field: Field) -> str:
    names = {str: "text", float: "number", int: "whole number", bool: "true or false", list: "list",
             dict: "table", TEXTS: "list of text"}
    return names[field.kind]


def _default(value: Any) -> str:
    if value is REQUIRED:
        return "*required*"
    if isinstance(value, Computed):
        return value.words
    if value is None or value == {}:
        return "*none*"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    if isinstance(value, (tuple, list)):
        return "`[]`"
    return f"`{value:g}`"


def _allowed(allowed: Bounds | tuple[str, ...] | str) -> str:
    if isinstance(allowed, tuple):
        return ", ".join(f"`{option}`" for option in allowed)
    return str(allowed)


if __name__ == "__main__":
    print(render(), end="")
