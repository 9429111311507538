"""Every field of an exercise template, as data: its kind, default, allowed values and meaning.

The parser reads its fields through these tables (the names it accepts, and the kind, default
and bounds of the plain ones), and docs/templates.md is generated from them
(`python -m posecheck.presentation.template_docs`), so the docs say what the parser does.
"""

from __future__ import annotations

from posecheck.core.reader import TEXTS, Computed, Field, fields
from posecheck.core.template import (DEFAULT_SPACE, DERIVED_KINDS, HOLD_MAX_SECONDS, HOLD_SECONDS, OUTLINE_KIND,
                                     REP_SECONDS, SETTLE_SECONDS, SIGNAL_KINDS, SPACES, TEMPLATE_MEASURES)

SIGNAL_VALUES_WORDS = "what the signal can read (see Signal kinds); on a change from rest, plus or minus its span"
ONE_THRESHOLD = Computed("*required*: `above` or `below`, not both")


def _space_default() -> Computed | str:
    """One default space for every kind, else the default per kind."""
    spaces = set(DEFAULT_SPACE.values())
    if len(spaces) == 1:
        return spaces.pop()
    return Computed(", ".join(f"{kind}: {space!r}" for kind, space in DEFAULT_SPACE.items()))


TEMPLATE = fields(
    Field("name", str, "The exercise's name, the same as its file's name (`bird-dog` in `bird-dog.toml`).",
          allowed="lower-case words joined by '-'"),
    Field("title", str, "The name people read (\"Bird-dog\")."),
    Field("summary", str, "One sentence on what the exercise is, shown with its title."),
    Field("instructions", TEXTS, "How to do it, one step an item (at least one)."),
    Field("camera", str, "Where to put the camera, shown before starting."),
    Field("safety", list, "Safety notes, at least one: each a sentence, or `{ shared = \"name\" }` for a "
          "sentence of the shared definitions (see Shared definitions)."),
    Field("view", str, "`side`: judged side-on, and a person facing the camera is asked to turn side-on; "
          "`any`: any view will do.", "side", ("side", "any")),
    Field("sides", bool, "`true`: done one side at a time. Phases are matched for each side, reps and "
          "holds are told per side, and `{side}` signals are measured for both.", False),
    Field("key_signal", str, "The signal that counts: the one the personal range learns, the hold is timed "
          "on (unless `hold.signal`) and the rep tables show.", allowed="a signal's name"),
    Field("look_alikes", TEXTS, "Exercises it is told apart from, for the person to read.", ()),
    Field("signals", dict, "What to measure, each signal under its own name (see Signals)."),
    Field("position", dict, "The starting position, which must hold before anything counts (see Position)."),
    Field("phases", list, "The positions that matter, each under its own `[[phases]]` (see Phases)."),
    Field("counting", dict, "How reps are counted (see Counting)."),
    Field("range", dict, "The key signal's clinical range; with it, counting follows the person's own range "
          "(see Range).", None),
    Field("identity", list, "What tells the exercise apart from its look-alikes, each rule under its own "
          "`[[identity]]` (see Identity).", ()),
    Field("hold", dict, "How long to hold the held phases (see Hold).", None),
    Field("form", list, "Faults to look for and what to say, each under its own `[[form]]` (see Form).", ()),
    Field("tempo", dict, "How fast a rep may be (see Tempo).", None),
)

SIGNAL = fields(
    Field("kind", str, "How the signal is measured (see Signal kinds).",
          allowed=(*SIGNAL_KINDS, OUTLINE_KIND, *DERIVED_KINDS)),
    Field("points", TEXTS, "Measured kinds: the landmarks, 3 for `angle` and `bend`, 2 for the others. "
          "`left_knee`; `mid_hip`: the middle of the left and right hip; `{side}_wrist` and `{other}_hip`: "
          "the signal is measured for each side, `{other}` being the side opposite `{side}`.",
          allowed="MediaPipe landmark names"),
    Field("space", str, "Measured kinds: `image` on the picture's 2-D points, `world` on MediaPipe's 3-D "
          "points (docs/signals.md measures which is better where).", _space_default(), SPACES),
    Field("measure", str, "`outline` only: which silhouette measure: `back_curve`, how far the back's outline "
          "bulges above the line between its ends; `past_head`, how far the silhouette reaches beyond the "
          "head along the trunk (an arm in front of the head). Both in trunk lengths.",
          allowed=TEMPLATE_MEASURES),
    Field("signals", TEXTS, "`side_match` and `sum` only: the two measured signals combined; `larger_side` "
          "and `smaller_side`: the one measured per-side signal.",
          allowed="measured signals' names"),
    Field("margin", float, "`side_match` only: how much larger one side must read than the other for that "
          "side to be clearly the larger (a smaller difference is undecided).", 20.0,
          "0 to the compared signal's span"),
    Field("label", str, "What to call the signal in messages and charts.", Computed("the signal's name")),
)

# What each kind of signal reads. Torso lengths: the shoulders-to-hips distance (a body is about 3).
SIGNAL_KIND_MEANINGS = {
    "angle": "The angle at the middle point between the lines to the other two (hip, knee, ankle: the knee's "
             "angle; 180 is straight).",
    "bend": "How far the line from the second point to the third turns away from the straight continuation of "
            "the line from the first to the second: positive when it turns up, negative when down.",
    "elevation": "The line from the first point to the second, in degrees above horizontal (negative: below).",
    "height": "How far the second point lies below the first, in torso lengths (negative: above it).",
    "distance": "How far apart the two points are, in torso lengths.",
    "outline": "A measure of the person's silhouette (`measure`), in trunk lengths. Read only when the "
               "estimator gives the segmentation mask and the trunk is seen from the side.",
    "side_match": "1 when the side on which the first signal is clearly larger (by `margin`) is also the side "
                  "on which the second one is, 0 when it is the other side, unknown when either is undecided.",
    "larger_side": "The one per-side signal on the side where it reads larger (where both are seen; else the "
                   "side seen): the leg that supports a single-leg bridge, whichever it is.",
    "smaller_side": "The one per-side signal on the side where it reads smaller (as `larger_side`).",
    "sum": "The two signals added (per side where either is measured per side): a hip angle plus the trunk's "
           "tilt is what the thigh alone moved.",
}

CONDITION = fields(
    Field("signal", str, "The signal the condition is on.", allowed="a signal's name"),
    Field("above", float, "True once the signal reads this or more.", ONE_THRESHOLD, SIGNAL_VALUES_WORDS),
    Field("below", float, "True once the signal reads this or less.", ONE_THRESHOLD, SIGNAL_VALUES_WORDS),
    Field("release", float, "Once true, the condition stays true until the signal crosses back past this "
          "value (hysteresis, so that a signal near the threshold does not flicker). At or below `above`, at "
          "or above `below`.", Computed("the threshold: no hysteresis"), SIGNAL_VALUES_WORDS),
    Field("hidden_ok", bool, "In a phase: when the signal cannot be read (a limb hidden behind the body), let "
          "the phase be recognised on its other conditions instead of not at all. The rep then counts with the "
          "note \"counted without seeing your <hidden_part>\", and the part is not asked to be brought into "
          "view.", False),
    Field("hidden_part", str, "What the note calls the hidden part (\"reaching arm\").",
          Computed("the signal's label")),
    Field("any_side", bool, "A signal measured per side may be met by either side's limb (MediaPipe swaps "
          "left and right in side views). In a form rule: the fault shows only when every side that can be "
          "seen shows it.", False),
    Field("ends_hold", bool, "In the position: whether this condition failing ends a counted phase that is "
          "under way. `false` for a condition that the phase's own movement can upset in the landmarks (a bird-dog's "
          "kneeling leg, which MediaPipe seen from above reads as reaching back too; the back's tilt, which a reach "
          "shifts): it is still needed to get into the position, and ends it between reps.", True),
)

POSITION = fields(
    Field("label", str, "The starting position in a few words (\"on hands and knees\")."),
    Field("guidance", str, "What to say while the person is not in the starting position."),
    Field("when", list, "Conditions that must all hold (for one side at least) to be in position."),
)

PHASE = fields(
    Field("name", str, "The phase's name, used by counting, hold, form and identity.",
          allowed="unique among the phases"),
    Field("label", str, "What the person reads when the phase starts (\"Reach\").", Computed("the name")),
    Field("cue", str, "A short instruction for reaching the phase, kept with the template.", ""),
    Field("when", list, "Conditions that must all hold for the phase (see Conditions)."),
    Field("min_seconds", float, "The conditions must hold this long before the phase starts: a passing moment "
          "is not a position.", 0.3, SETTLE_SECONDS),
    Field("grace_seconds", float, "Once started, the phase lasts through a gap this long in its conditions (a "
          "flicker, a limb hidden for a moment); a longer gap ends it where its conditions were last met.",
          0.3, SETTLE_SECONDS),
)

COUNTING = fields(
    Field("rule", str, "`reach`: a rep each time the one phase listed is reached; `cycle`: a rep once every "
          "phase listed has been reached, in any order.", allowed=("reach", "cycle")),
    Field("phases", TEXTS, "The counted phases: exactly one for `reach`, two or more for `cycle`.",
          allowed="phases' names"),
)

HOLD = fields(
    Field("phases", TEXTS, "The phases that are held and timed.", allowed="phases' names"),
    Field("target_seconds", float, "How long to hold: a shorter hold gets \"Hold N s longer next time\".",
          allowed=HOLD_SECONDS),
    Field("max_seconds", float, "A longer hold gets \"N s is enough\". At least `target_seconds`.", None,
          HOLD_MAX_SECONDS),
    Field("signal", str, "The signal the hold is timed on (when it comes to rest and starts moving out).",
          Computed("the key signal"), "a signal's name"),
    Field("when", list, "What the held position needs beyond the phase's own conditions (a child's pose: the "
          "chest down on the thighs, not only the hips back). The hold is timed only from the first to the "
          "last moment they are met; a hold that never meets them is timed without them (the person holds "
          "what they can).", []),
)

FORM = fields(
    Field("id", str, "The fault's code, in events and reports.", allowed="unique among the form rules"),
    Field("phase", str, "The phase the rule is judged in.", allowed="a phase's name"),
    Field("when", dict, "The condition that is the fault (see Conditions)."),
    Field("at", str, "`during`: judged while the phase is held, once the position has settled; `peak`: judged "
          "once, at the phase's end, on the most extreme value the phase reached (the signal must be one the "
          "phase is entered by). A peak rule on the key signal of a template with a `[range]` may say "
          "`{percent}` in its message: how much of the full movement the peak reached.", "during",
          ("during", "peak")),
    Field("min_seconds", float, "`during`: the fault must show this long before it is said.", 0.4,
          SETTLE_SECONDS),
    Field("message", str, "What to say when the fault shows."),
)

RANGE = fields(
    Field("rest", float, "The key signal in the starting position; it must lie on the near side of each "
          "counted phase's threshold.", allowed="what the key signal can read"),
    Field("full", dict, "Per counted phase (`{ reach = 175 }`): the key signal at the full position.",
          allowed="beyond `rest` the way the phase goes"),
    Field("least", dict, "Per counted phase: the smallest movement from the person's rest that still counts.",
          allowed="more than 0, at most the phase's threshold's distance from `rest`"),
    Field("seen_limb_only", bool, "With `sides`: a rep's range is given only when the camera saw the moving "
          "side's key points well (MediaPipe's visibility 0.8 or more); otherwise its note says which point "
          "was hidden. For a limb that hides behind the other in a side view (a far knee pulled in behind "
          "the near one), whose place MediaPipe guesses.", False),
)

IDENTITY = fields(
    Field("phase", str, "The phase the rule is judged in (a counted one).", allowed="a phase's name"),
    Field("when", dict, "What must be seen in that phase (its `above` or `below`; `release` is not used).",),
    Field("relative", bool, "`when` is on the signal's change from its own value at rest (learned between "
          "positions), not on the signal itself.", False),
    Field("if_unseen", bool, "A fallback: judged only when the phase's other rules could not be seen.", False),
    Field("absolute", float, "With `relative`: the rule is also met when the signal itself passes this (someone "
          "who started mid-movement has no true rest).", None, "what the signal can read"),
    Field("against", str, "A cycle's rule: `when` is on the signal in `phase` minus its value in this other "
          "counted phase, judged in whichever of the two is reached second. Makes the rule relative.", "",
          "the other counted phase"),
    Field("per", str, "With `against`: the change is taken per unit of this signal's change between the same two "
          "positions (how far the back's outline moves for each degree the back-and-neck curve moves), so a "
          "shallow but whole movement passes as a deep one does.", "", "a signal's name"),
    Field("also", dict, "Another condition that meets the rule in a frame where it holds, and says nothing "
          "where it does not (another view of the same thing).", None),
    Field("message", str, "What to say when the rule is seen failing: what the person did instead."),
)

TEMPO = fields(
    Field("min_rep_seconds", float, "A rep done faster than this, from start to end, was rushed.",
          allowed=REP_SECONDS),
    Field("message", str, "What to say about a rushed rep."),
)

# A reference to the shared definitions: a safety item or a signal written as { shared = "name" }.
SHARED_REFERENCE = fields(
    Field("shared", str, "The name of a shared definition: in `safety`, of a shared safety sentence; in "
          "`[signals]`, of a shared signal, which the template then has under its own name.",
          allowed="a name the shared definitions define"),
)

# The shared definitions' own file.
SHARED = fields(
    Field("safety", dict, "Safety sentences by name (`see-a-doctor = \"See a doctor if ...\"`).", {}),
    Field("signals", dict, "Signals by name, each written as in a template's `[signals]`.", {}),
)


def pick(table: dict[str, Field], *names: str) -> dict[str, Field]:
    """Some of a table's fields, in the order named."""
    return {name: table[name] for name in names}
