import ast
import copy
import tomllib
from pathlib import Path

import pytest

from posecheck.core.template import TemplateError
from posecheck.core.template_parser import parse_template
from conftest import copy_shared_definitions
from posecheck.io.templates import load_all, load_shared, load_template, load_template_file

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"


def base():
    return tomllib.loads((EXERCISES / "bird-dog.toml").read_text())


def test_every_shipped_template_loads_and_is_complete():
    templates = load_all(EXERCISES)
    assert {"cat-cow", "bird-dog", "knee-to-chest"} <= set(templates)
    for template in templates.values():
        assert template.instructions and template.safety and template.camera
        assert any("pain" in note.lower() for note in template.safety)
        assert template.key_signal in template.signals


@pytest.mark.parametrize("change, field, words", [
    (lambda d: d.pop("title"), "title", "missing"),
    (lambda d: d.update(title=3), "title", "must be text"),
    (lambda d: d.update(view="top"), "view", "'side' or 'any'"),
    (lambda d: d.update(colour="red"), "colour", "not a known field"),
    (lambda d: d["signals"].update(bad={"kind": "angle", "points": ["left_hip", "left_knee"]}),
     "signals.bad.points", "must list 3 landmarks"),
    (lambda d: d["signals"].update(bad={"kind": "angle", "points": ["left_hip", "left_knee", "tail"]}),
     "signals.bad.points[2]", "unknown landmark"),
    (lambda d: d["signals"].update(bad={"kind": "twist", "points": ["left_hip"]}),
     "signals.bad.kind", "must be one of"),
    (lambda d: d["phases"][0]["when"][0].update(signal="nope"), "phases[0].when[0].signal", "names no signal"),
    (lambda d: d["phases"][0]["when"][0].update(release=150), "phases[0].when[0].release", "flicker"),
    (lambda d: d["phases"][0]["when"][0].update(below=3), "phases[0].when[0]", "exactly one of"),
    (lambda d: d["counting"].update(phases=["fly"]), "counting.phases[0]", "names no phase"),
    (lambda d: d["counting"].update(rule="sometimes"), "counting.rule", "'reach' or 'cycle'"),
    (lambda d: d["hold"].update(target_seconds=-1), "hold.target_seconds", "more than 0"),
    (lambda d: d["form"][0].update(phase="sleep"), "form[0].phase", "names no phase"),
    (lambda d: d.update(key_signal="wobble"), "key_signal", "names no signal"),
    (lambda d: d["signals"]["leg_raise"].update(space="3d"), "signals.leg_raise.space", "'image' or 'world'"),
    (lambda d: d["range"].update(rest="low"), "range.rest", "must be a number"),
    (lambda d: d["range"]["full"].pop("reach"), "range.full.reach", "missing"),
    (lambda d: d["range"]["full"].update(reach=50), "range.full.reach", "must lie above"),
    (lambda d: d["range"]["least"].update(reach=40), "range.least.reach", "no more than"),
    (lambda d: d["identity"][0].update(phase="fly"), "identity[0].phase", "names no phase"),
    (lambda d: d["identity"][0]["when"].update(signal="wings"), "identity[0].when.signal", "names no signal"),
    (lambda d: d["identity"][0].update(relative="yes"), "identity[0].relative", "true or false"),
    (lambda d: d.update(look_alikes="fire hydrant"), "look_alikes", "must be a list"),
])
def test_broken_templates_name_the_field_and_the_problem(change, field, words):
    data = copy.deepcopy(base())
    change(data)
    with pytest.raises(TemplateError) as error:
        parse_template(data, source="exercises/bird-dog.toml", shared=load_shared(EXERCISES))
    assert error.value.field_path == field
    assert words in str(error.value)
    assert str(error.value).startswith(f"exercises/bird-dog.toml: {field} ")


def test_bad_toml_syntax_names_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('name = "broken"\ntitle = [unclosed\n')
    with pytest.raises(TemplateError, match=r"broken.toml is not valid TOML: invalid value \(at line 2"):
        load_template_file(path)


def test_file_name_must_match_exercise_name(tmp_path):
    copy_shared_definitions(tmp_path)
    path = tmp_path / "dog-bird.toml"
    path.write_text((EXERCISES / "bird-dog.toml").read_text())
    with pytest.raises(TemplateError, match=r"dog-bird.toml: name must match the file name \('dog-bird'\), "
                                            r"got text 'bird-dog'"):
        load_template_file(path)


def test_unknown_exercise_lists_the_known_ones():
    with pytest.raises(TemplateError) as error:
        load_template("handstand", EXERCISES)
    known = ", ".join(sorted(path.stem for path in EXERCISES.glob("*.toml")))
    assert "bird-dog, cat-cow" in known
    assert str(error.value) == f"There is no exercise named 'handstand'. Known exercises: {known}."


def test_adding_an_exercise_is_adding_a_file(tmp_path):
    copy_shared_definitions(tmp_path)
    data = (EXERCISES / "knee-to-chest.toml").read_text().replace('name = "knee-to-chest"', 'name = "hug-both"')
    (tmp_path / "hug-both.toml").write_text(data)
    assert load_template("hug-both", tmp_path).title == "Knee-to-chest"


def imports(module: Path) -> list[tuple[str, str]]:
    """(module, name) of every `from posecheck... import name` in a source file."""
    tree = ast.parse(module.read_text())
    return [(node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("posecheck") for alias in node.names]


def test_the_schema_imports_no_behaviour():
    # The schema is data: it may lean on the reader's Bounds and errors, nothing that measures or counts.
    modules = {module for module, _ in imports(ROOT / "posecheck" / "core" / "template.py")}
    assert modules <= {"posecheck.core.reader", "posecheck.core.keypoints"}


def test_no_module_imports_another_modules_private_names():
    private = [(path.relative_to(ROOT), module, name) for path in sorted((ROOT / "posecheck").rglob("*.py"))
               for module, name in imports(path) if name.startswith("_")]
    assert private == []


def test_a_larger_side_signal_reads_the_supporting_leg_of_a_single_leg_bridge(templates):
    """The glute bridge's hip line is read on the side where it is larger: with one leg pulled up
    (a single-leg bridge's raised leg), the mid point of both knees would mix the two legs."""
    from posecheck.core.signals import measure_all
    from posecheck.core.template import Signal
    from synthetic import lying

    template = templates["glute-bridge"]
    mid_line = Signal("mid_line", "angle", ("mid_shoulder", "mid_hip", "mid_knee"), "mid points", False)
    values = measure_all(template.signals | {"mid_line": mid_line}, lying(pull={"left": 70.0, "right": 160.0}))
    left, right = values[("hip_line_each", "left")], values[("hip_line_each", "right")]
    assert left < 90 < 150 < right
    assert values[("hip_line", None)] == right
    assert values[("mid_line", None)] < right - 20  # what the mid points read: neither leg


def test_a_larger_side_signal_must_name_one_per_side_signal():
    data = base()
    data["signals"]["spread"] = {"kind": "larger_side", "signals": ["trunk_tilt"]}
    with pytest.raises(TemplateError, match="must name a signal measured per side"):
        parse_template(data, shared=load_shared(EXERCISES))
    data["signals"]["spread"] = {"kind": "larger_side", "signals": ["trunk_tilt", "trunk_tilt"]}
    with pytest.raises(TemplateError, match="must list the 1 signal it combines, got 2"):
        parse_template(data, shared=load_shared(EXERCISES))
