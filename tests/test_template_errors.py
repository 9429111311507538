"""Hostile and odd templates: every problem is one sentence naming the file and the field, never
a traceback. A table of broken variants of the shipped templates, the file-level problems, and
property-based tests: random mutations and random files raise TemplateError or nothing."""

import copy
import datetime
import math
import tomllib
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_shared_definitions
from posecheck.core.template import TemplateError
from posecheck.core.template_parser import parse_template
from posecheck.io.templates import load_all, load_available, load_shared, load_template, load_template_file

EXERCISES = Path(__file__).resolve().parents[1] / "exercises"
NAMES = ("bird-dog", "cat-cow", "knee-to-chest")
SHARED = load_shared(EXERCISES)
BASES = {name: tomllib.loads((EXERCISES / f"{name}.toml").read_text()) for name in NAMES}
FUZZ = settings(max_examples=100, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


def broken(name, change):
    data = copy.deepcopy(BASES[name])
    change(data)
    return data


def add_phase_named(name):
    def change(d):
        d["phases"].append(copy.deepcopy(d["phases"][0]) | {"name": name})
    return change


# (exercise, change, field path, problem): the message must be exactly
# "exercises/<exercise>.toml: <field path> <problem>".
CASES = [
    # missing fields and empty ones
    ("bird-dog", lambda d: d.pop("title"), "title", "is missing"),
    ("bird-dog", lambda d: d.pop("key_signal"), "key_signal", "is missing"),
    ("bird-dog", lambda d: d["hold"].pop("target_seconds"), "hold.target_seconds", "is missing"),
    ("bird-dog", lambda d: d.update(title="  "), "title", "must not be empty"),
    ("bird-dog", lambda d: d.update(instructions=[]), "instructions", "must list at least one item"),
    ("bird-dog", lambda d: d.update(signals={}), "signals", "must define at least one signal"),
    ("bird-dog", lambda d: d["phases"][0].update(when=[]), "phases[0].when", "must list at least one condition"),
    # wrong types
    ("bird-dog", lambda d: d["hold"].update(target_seconds="ten"), "hold.target_seconds",
     "must be a number, got text 'ten'"),
    ("bird-dog", lambda d: d["hold"].update(target_seconds=True), "hold.target_seconds",
     "must be a number, got true"),
    ("bird-dog", lambda d: d.update(title=3), "title", "must be text, got 3"),
    ("bird-dog", lambda d: d.update(title=datetime.date(2024, 1, 2)), "title",
     "must be text, got the date 2024-01-02"),
    ("bird-dog", lambda d: d.update(sides="yes"), "sides", "must be true or false, got text 'yes'"),
    ("bird-dog", lambda d: d.update(phases={"name": "reach"}), "phases", "must be a list, got a table"),
    ("bird-dog", lambda d: d.update(instructions="Reach."), "instructions", "must be a list, got text 'Reach.'"),
    ("bird-dog", lambda d: d["safety"].__setitem__(1, 3), "safety[1]", "must be non-empty text, got 3"),
    ("bird-dog", lambda d: d["range"].update(full=[]), "range.full", "must be a table, got an empty list"),
    ("bird-dog", lambda d: d["phases"].__setitem__(0, "reach"), "phases[0]",
     "must be a table (write each phase under its own [[phases]]), got text 'reach'"),
    ("bird-dog", lambda d: d["phases"][0]["when"].__setitem__(0, "leg_raise > 125"), "phases[0].when[0]",
     "must be a table like { signal = \"name\", above = 150, release = 130 }, got text 'leg_raise > 125'"),
    ("bird-dog", lambda d: d["signals"].update(spine="bend"), "signals.spine",
     "must be a table like { kind = \"angle\", points = [...] }, got text 'bend'"),
    ("bird-dog", lambda d: d.update(sides="x" * 100), "sides",
     "must be true or false, got text 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"),
    # names and choices
    ("bird-dog", lambda d: d.update(name="Bird Dog"), "name",
     "must be lower-case words joined by '-' (like 'bird-dog'), got text 'Bird Dog'"),
    ("bird-dog", lambda d: d.update(view="top"), "view", "must be 'side' or 'any', got text 'top'"),
    ("bird-dog", lambda d: d["signals"].update(bad={"kind": "twist"}), "signals.bad.kind",
     "must be one of 'angle', 'bend', 'elevation', 'height', 'distance', 'outline', 'side_match', 'sum', "
     "'larger_side', 'smaller_side', got text 'twist'"),
    ("bird-dog", lambda d: d["counting"].update(rule="sometimes"), "counting.rule",
     "must be 'reach' or 'cycle', got text 'sometimes'"),
    # unknown fields, anywhere
    ("bird-dog", lambda d: d.update(colour="red"), "colour",
     "is not a known field (known fields: name, title, summary, instructions, camera, safety, view, sides, "
     "key_signal, look_alikes, signals, position, phases, counting, range, identity, hold, form, tempo)"),
    ("bird-dog", lambda d: d["hold"].update(target_secs=15), "hold.target_secs",
     "is not a known field (known fields: phases, target_seconds, max_seconds, signal, when)"),
    ("bird-dog", lambda d: d["signals"].update({"my signal": 3}), "signals.'my signal'",
     "must be a table like { kind = \"angle\", points = [...] }, got 3"),
    # landmarks and references
    ("bird-dog", lambda d: d["signals"]["leg_raise"]["points"].__setitem__(2, "{other}_kne"),
     "signals.leg_raise.points[2]", "names an unknown landmark '{other}_kne' (use names like 'left_knee', "
     "'mid_hip', '{side}_wrist' or '{other}_hip')"),
    ("bird-dog", lambda d: d["signals"]["spine"]["points"].__setitem__(0, "mid_tail"),
     "signals.spine.points[0]", "names an unknown landmark 'mid_tail' (use names like 'left_knee', "
     "'mid_hip', '{side}_wrist' or '{other}_hip')"),
    ("bird-dog", lambda d: d["signals"]["spine"]["points"].pop(), "signals.spine.points",
     "must list 3 landmarks for the kind 'bend', got 2"),
    ("bird-dog", lambda d: d["signals"]["limbs_match"]["signals"].__setitem__(1, "spine"),
     "signals.limbs_match.signals[1]", "must name a signal measured per side, and 'spine' is not"),
    ("bird-dog", lambda d: d["phases"][0]["when"][0].update(signal="wobble"), "phases[0].when[0].signal",
     "names no signal: 'wobble'. Defined signals: arm_raise, arm_reach_3d, past_head, arm_straight, leg_raise, "
     "leg_straight, leg_lift, trunk_tilt, support, spine, limbs_match."),
    ("bird-dog", lambda d: d["form"][0].update(phase="sleep"), "form[0].phase",
     "names no phase: 'sleep'. Defined phases: reach."),
    ("cat-cow", lambda d: d["hold"]["phases"].__setitem__(1, "moo"), "hold.phases[1]",
     "names no phase: 'moo'. Defined phases: cat, cow."),
    ("bird-dog", lambda d: d["hold"].update(signal="leg_height"), "hold.signal",
     "names no signal: 'leg_height'. Defined signals: arm_raise, arm_reach_3d, past_head, arm_straight, leg_raise, "
     "leg_straight, leg_lift, trunk_tilt, support, spine, limbs_match."),
    ("bird-dog", lambda d: d["hold"].update(signal=3), "hold.signal", "must be text, got 3"),
    ("bird-dog", add_phase_named("reach"), "phases[1].name", "repeats the phase name 'reach'"),
    ("cat-cow", lambda d: d["counting"].update(phases=["cat", "cat"]), "counting.phases[1]",
     "repeats the phase 'cat'"),
    ("bird-dog", lambda d: d["form"][1].update(id="leg_too_high"), "form[1].id",
     "repeats the form rule id 'leg_too_high'"),
    ("bird-dog", lambda d: d["phases"][0]["when"][0].pop("above"), "phases[0].when[0]",
     "needs exactly one of 'above' or 'below'"),
    # NaN, inf, absurd thresholds (bounds per signal kind)
    ("bird-dog", lambda d: d["phases"][0]["when"][0].update(above=1000), "phases[0].when[0].above",
     "must be between 0 and 180 degrees, got 1000"),
    ("bird-dog", lambda d: d["phases"][0]["when"][0].update(above=-5, release=-10), "phases[0].when[0].above",
     "must be between 0 and 180 degrees, got -5"),
    ("bird-dog", lambda d: d["phases"][0]["when"][0].update(release=math.nan), "phases[0].when[0].release",
     "must be a finite number, got nan"),
    ("bird-dog", lambda d: d["phases"][0]["when"][0].update(above=-math.inf), "phases[0].when[0].above",
     "must be a finite number, got -inf"),
    ("bird-dog", lambda d: d["phases"][0]["when"][0].update(release=150), "phases[0].when[0].release",
     "must be at or below 'above' (125) so that the state cannot flicker, got 150"),
    ("bird-dog", lambda d: d["form"][0]["when"].update(above=120, release=100), "form[0].when.above",
     "must be between -90 and 90 degrees, got 120"),
    ("bird-dog", lambda d: d["position"]["when"][2].update(above=50), "position.when[2].above",
     "must be between -5 and 5 torso lengths, got 50"),
    ("bird-dog", lambda d: d["signals"]["limbs_match"].update(margin=500), "signals.limbs_match.margin",
     "must be between 0 and 180 degrees, got 500"),
    ("bird-dog", lambda d: d["identity"][0]["when"].update(above=500), "identity[0].when.above",
     "must be between -180 and 180 degrees, got 500"),  # relative: a change from rest
    ("bird-dog", lambda d: d["identity"][0].update(absolute=400), "identity[0].absolute",
     "must be between 0 and 180 degrees, got 400"),
    ("knee-to-chest", lambda d: d["identity"][0]["when"].update(below=-400), "identity[0].when.below",
     "must be between -360 and 360 degrees, got -400"),  # a sum of an angle and an elevation
    ("cat-cow", lambda d: d["identity"][0].pop("against"), "identity[0]",
     "needs `against`, the other counted phase, in a cycle (a rule compares the two positions)"),
    ("cat-cow", lambda d: d["identity"][0].update(against="moo"), "identity[0].against",
     "must name the counted phase other than 'cow' (cat, cow), got 'moo'"),
    ("cat-cow", lambda d: d["identity"][0].update(against="cow"), "identity[0].against",
     "must name the counted phase other than 'cow' (cat, cow), got 'cow'"),
    ("bird-dog", lambda d: d["identity"][0].update(against="reach"), "identity[0].against",
     'is only for a cycle (counting.rule = "cycle")'),
    ("cat-cow", lambda d: d["identity"][0].update(per="neck"), "identity[0].per",
     "names no signal: 'neck'. Known signals: spine, trunk_tilt, hip_angle, support, arms, knees, back_outline, back"),
    ("bird-dog", lambda d: d["identity"][0].update(per="trunk_tilt"), "identity[0].per",
     "is only for a rule between a cycle's two positions (with `against`)"),
    ("cat-cow", lambda d: d["signals"]["back_outline"].update(measure="spine"), "signals.back_outline.measure",
     "must be 'back_curve' or 'past_head', got text 'spine'"),
    ("cat-cow", lambda d: d["signals"]["back_outline"].update(points=["mid_hip", "mid_knee"]), "signals.back_outline.points",
     "is not a known field (known fields: kind, measure, label)"),
    ("bird-dog", lambda d: d["identity"][0]["also"].update(signal="reach"), "identity[0].also.signal",
     "names no signal: 'reach'. Defined signals: arm_raise, arm_reach_3d, past_head, arm_straight, leg_raise, "
     "leg_straight, leg_lift, trunk_tilt, support, spine, limbs_match."),
    ("cat-cow", lambda d: d["identity"][0]["when"].update(below=-7), "identity[0].when.below",
     "must be between -6 and 6 torso lengths, got -7"),  # a change between two positions
    ("bird-dog", lambda d: d["range"].update(rest=130), "range.rest",
     "must lie below the 'reach' phase's threshold (125), got 130"),
    ("bird-dog", lambda d: d["range"]["least"].update(reach=40), "range.least.reach",
     "must be more than 0 and no more than the 'reach' threshold's distance from rest (25), got 40"),
    # durations
    ("bird-dog", lambda d: d["hold"].update(target_seconds=0), "hold.target_seconds",
     "must be more than 0 and at most 300 seconds, got 0"),
    ("bird-dog", lambda d: d["hold"].update(target_seconds=-3), "hold.target_seconds",
     "must be more than 0 and at most 300 seconds, got -3"),
    ("bird-dog", lambda d: d["hold"].update(target_seconds=1e9), "hold.target_seconds",
     "must be more than 0 and at most 300 seconds, got 1e+09"),
    ("bird-dog", lambda d: d["hold"].update(target_seconds=math.inf), "hold.target_seconds",
     "must be a finite number, got inf"),
    ("bird-dog", lambda d: d["hold"].update(target_seconds=10**30), "hold.target_seconds",
     "must be a number of sensible size, got a number with more than 15 digits"),
    ("bird-dog", lambda d: d["hold"].update(max_seconds=10), "hold.max_seconds",
     "must be at least target_seconds (15), got 10"),
    ("bird-dog", lambda d: d["phases"][0].update(min_seconds=-1), "phases[0].min_seconds",
     "must be between 0 and 10 seconds, got -1"),
    ("bird-dog", lambda d: d["phases"][0].update(grace_seconds=60), "phases[0].grace_seconds",
     "must be between 0 and 10 seconds, got 60"),
    ("bird-dog", lambda d: d["form"][0].update(min_seconds="long"), "form[0].min_seconds",
     "must be a number, got text 'long'"),
    ("cat-cow", lambda d: d["tempo"].update(min_rep_seconds=0), "tempo.min_rep_seconds",
     "must be more than 0 and at most 60 seconds, got 0"),
]


@pytest.mark.parametrize("exercise, change, field, problem", CASES,
                         ids=[f"{c[0]}:{c[2]}:{i}" for i, c in enumerate(CASES)])
def test_each_problem_is_one_sentence_naming_file_and_field(exercise, change, field, problem):
    source = f"exercises/{exercise}.toml"
    with pytest.raises(TemplateError) as error:
        parse_template(broken(exercise, change), source=source, shared=SHARED)
    assert (error.value.source, error.value.field_path, error.value.problem) == (source, field, problem)
    assert str(error.value) == f"{source}: {field} {problem}"


# ---- Problems with the whole file ------------------------------------------------------------

def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def file_problem(path: Path) -> str:
    with pytest.raises(TemplateError) as error:
        load_template_file(path)
    assert error.value.field_path == ""
    return str(error.value)


@pytest.mark.parametrize("content, problem", [
    ("", "is empty"),
    ("  \n\n\t\n", "is empty"),
    ("# only a comment\n", "is empty"),
    ('name = "bird-dog"\ntitle = [unclosed\n', "is not valid TOML: invalid value (at line 2, column 10)"),
    # the wording after "is not valid TOML: " is tomllib's
    ('name = "bird-dog"\nname = "again"\n', "is not valid TOML: cannot overwrite a value (at line 2"),
    (b'name = "bird-dog"\ntitle = "caf\xe9"\n', "is not UTF-8 text (byte 0xe9 at position 30 is not valid UTF-8)"),
    (b"\xff\xfe\x00n\x00a", "is not UTF-8 text (byte 0xff at position 0 is not valid UTF-8)"),
    ("a = " + "[" * 3000 + "]" * 3000, "is not valid TOML: its lists or tables are nested far too deeply"),
    ("a = " + "9" * 5000, "is not valid TOML: it holds a number with far too many digits"),
    ("# " + "x" * 1_000_000 + "\n", "is larger than 1 MB, far too large for an exercise template"),
])
def test_file_problems_are_one_sentence_naming_the_file(tmp_path, content, problem):
    path = write(tmp_path, "bird-dog.toml", content)
    assert file_problem(path).startswith(f"{path} {problem}")


def test_missing_file_and_folder_instead_of_file(tmp_path):
    assert file_problem(tmp_path / "nothing.toml") == f"{tmp_path / 'nothing.toml'} does not exist"
    (tmp_path / "odd.toml").mkdir()
    assert file_problem(tmp_path / "odd.toml") == f"{tmp_path / 'odd.toml'} is a folder, not a file"


def test_name_must_be_the_file_name(tmp_path):
    copy_shared_definitions(tmp_path)
    path = write(tmp_path, "dog-bird.toml", (EXERCISES / "bird-dog.toml").read_text())
    with pytest.raises(TemplateError) as error:
        load_template_file(path)
    assert str(error.value) == f"{path}: name must match the file name ('dog-bird'), got text 'bird-dog'"


def test_a_broken_field_in_a_file_names_the_file(tmp_path):
    copy_shared_definitions(tmp_path)
    text = (EXERCISES / "bird-dog.toml").read_text().replace("target_seconds = 15", 'target_seconds = "ten"')
    path = write(tmp_path, "bird-dog.toml", text)
    with pytest.raises(TemplateError) as error:
        load_template_file(path)
    assert str(error.value) == f"{path}: hold.target_seconds must be a number, got text 'ten'"


def test_a_byte_order_mark_is_accepted(tmp_path):
    copy_shared_definitions(tmp_path)
    path = write(tmp_path, "bird-dog.toml", b"\xef\xbb\xbf" + (EXERCISES / "bird-dog.toml").read_bytes())
    assert load_template_file(path).name == "bird-dog"


def test_unknown_exercise_names_the_known_ones_without_a_path(tmp_path):
    with pytest.raises(TemplateError) as error:
        load_template("foo", EXERCISES)
    known = ", ".join(sorted(path.stem for path in EXERCISES.glob("*.toml")))
    assert str(error.value) == f"There is no exercise named 'foo'. Known exercises: {known}."
    with pytest.raises(TemplateError, match=r"^There is no exercise named 'foo'. Known exercises: none.$"):
        load_template("foo", tmp_path)
    with pytest.raises(TemplateError, match=r"^There is no exercises folder at '.*nowhere'.$"):
        load_template("foo", tmp_path / "nowhere")


def test_only_the_folders_own_toml_files_are_templates():
    templates, problems = load_available(EXERCISES)
    motions = {path.stem for path in (EXERCISES / "motion").glob("*.toml")}
    assert set(NAMES) <= set(templates) and problems == {}
    assert set(templates) == {path.stem for path in EXERCISES.glob("*.toml")}  # not exercises/motion/*.toml
    assert motions - set(templates)  # motion-only files (look-alikes) exist and are not templates


def test_load_available_keeps_the_good_and_names_the_broken(tmp_path):
    copy_shared_definitions(tmp_path)
    for name in NAMES:
        write(tmp_path, f"{name}.toml", (EXERCISES / f"{name}.toml").read_text())
    write(tmp_path, "cat-cow.toml", (EXERCISES / "cat-cow.toml").read_text()
          .replace('rule = "cycle"', 'rule = "often"'))
    write(tmp_path, "empty.toml", "")
    write(tmp_path, "notes.txt", "not a template")
    (tmp_path / "motion").mkdir()
    write(tmp_path / "motion", "bird-dog.toml", "exercise = 'bird-dog'")
    templates, problems = load_available(tmp_path)
    assert set(templates) == {"bird-dog", "knee-to-chest"}
    assert problems == {
        "cat-cow": f"{tmp_path / 'cat-cow.toml'}: counting.rule must be 'reach' or 'cycle', got text 'often'",
        "empty": f"{tmp_path / 'empty.toml'} is empty",
    }
    with pytest.raises(TemplateError, match="counting.rule"):
        load_all(tmp_path)


# ---- Property-based: random damage raises TemplateError, never anything else -------------------

def leaf_paths(value, prefix=()):
    """The path (keys and indexes) to every value nested in `value`."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield prefix + (key,)
        yield from leaf_paths(child, prefix + (key,))


def words_of(data) -> list[str]:
    """Every text and key in the templates: replacements that reach the deeper checks."""
    found = set()
    for path in leaf_paths(data):
        found.update(k for k in path if isinstance(k, str))
        value = get_at(data, path)
        if isinstance(value, str) and len(value) < 40:
            found.add(value)
    return sorted(found)


def get_at(data, path):
    for key in path:
        data = data[key]
    return data


WORDS = sorted({w for data in BASES.values() for w in words_of(data)})
ODD_NUMBERS = st.sampled_from([math.nan, math.inf, -math.inf, 0, 0.0, -1, -5, 1000, 1e9, -1e9, 10**20,
                               2**63, 1e-300, 1e308, 0.5])


def toml_values(words):
    """Any value TOML can hold: numbers (odd ones too), texts (some of them `words`), dates,
    booleans, and lists and tables of those."""
    scalars = st.one_of(st.booleans(), st.integers(), st.floats(), ODD_NUMBERS, st.sampled_from(words),
                        st.text(max_size=12), st.dates(), st.datetimes(), st.times())
    keys = st.sampled_from(words) | st.text(max_size=6)
    def containers(inner):
        return st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3)
    return st.recursive(scalars, containers, max_leaves=6)


def mutate(data, draw, words) -> None:
    """One random change: delete a value, replace it (any value, or an odd number in place of a
    number), or add a field of junk to a table."""
    paths = list(leaf_paths(data))
    numbers = [p for p in paths if isinstance(get_at(data, p), (int, float))]
    action = draw(st.sampled_from(["delete", "replace", "number", "add"]))
    if action == "number" and numbers:
        path, value = draw(st.sampled_from(numbers)), draw(ODD_NUMBERS)
    else:
        path, value = draw(st.sampled_from(paths)), draw(toml_values(words))
    parent, key = get_at(data, path[:-1]), path[-1]
    if action == "delete":
        del parent[key]
    elif action == "add" and isinstance(parent, dict):
        parent[draw(st.sampled_from(words) | st.text(max_size=6))] = value
    else:
        parent[key] = value


def assert_all_finite(value) -> None:
    """What parses holds no NaN or infinity anywhere."""
    if isinstance(value, float):
        assert math.isfinite(value)
    elif is_dataclass(value):
        for f in fields(value):
            assert_all_finite(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            assert_all_finite(item)
    elif isinstance(value, dict):
        for item in value.values():
            assert_all_finite(item)


def assert_one_sentence(error: TemplateError, source: str) -> None:
    message = str(error)
    assert message.startswith(source) and "\n" not in message and "(file)" not in message
    assert len(message) < 600, message


@FUZZ
@given(st.data())
def test_random_mutations_parse_or_raise_template_error(data):
    exercise = data.draw(st.sampled_from(NAMES))
    template = copy.deepcopy(BASES[exercise])
    for _ in range(data.draw(st.integers(1, 3))):
        mutate(template, data.draw, WORDS)
    source = f"exercises/{exercise}.toml"
    try:
        parsed = parse_template(template, source=source, shared=SHARED)
    except TemplateError as error:
        assert error.field_path and str(error).startswith(f"{source}: {error.field_path} ")
        assert_one_sentence(error, source)
    else:
        assert_all_finite(parsed)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def load_or_template_error(path: Path) -> None:
    try:
        load_template_file(path)
    except TemplateError as error:
        assert_one_sentence(error, str(path))


@FUZZ
@given(content=st.binary(max_size=2000))
def test_random_bytes_raise_template_error(scratch, content):
    path = write(scratch, "bird-dog.toml", content)
    load_or_template_error(path)


@FUZZ
@given(content=st.text(st.characters(exclude_categories=("Cs",)), max_size=500))
def test_random_text_raises_template_error(scratch, content):
    path = write(scratch, "bird-dog.toml", content)
    load_or_template_error(path)


TOML_CHARS = st.text(st.sampled_from('[]{}="\',.#\n -_0123456789abcnfit'), min_size=1, max_size=8)


@FUZZ
@given(data=st.data())
def test_damaged_shipped_files_raise_template_error(scratch, data):
    exercise = data.draw(st.sampled_from(NAMES))
    text = (EXERCISES / f"{exercise}.toml").read_text()
    for _ in range(data.draw(st.integers(1, 3))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 20)))
        text = text[:start] + data.draw(TOML_CHARS | st.just("")) + text[end:]
    path = write(scratch, f"{exercise}.toml", text)
    load_or_template_error(path)
