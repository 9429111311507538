"""Shared definitions (exercises/shared/common.toml): a template refers to a safety sentence or a
signal by name; the template parses as if it had written it out, and a bad reference is one
sentence naming the file and the field."""

import copy
import tomllib

import pytest

from conftest import ROOT, copy_shared_definitions
from posecheck.core.template import TemplateError
from posecheck.core.template_parser import parse_shared, parse_template
from posecheck.io.templates import load_all, load_available, load_shared, load_template_file

EXERCISES = ROOT / "exercises"
SHARED = load_shared(EXERCISES)
SOURCE = "exercises/bird-dog.toml"


def bird_dog() -> dict:
    return tomllib.loads((EXERCISES / "bird-dog.toml").read_text())


def written_out(data: dict) -> dict:
    """The template with each reference replaced by hand by what it names."""
    data = copy.deepcopy(data)
    data["safety"] = [SHARED.safety[item["shared"]] if isinstance(item, dict) else item for item in data["safety"]]
    data["signals"] = {name: SHARED.signals[spec["shared"]] if "shared" in spec else spec
                       for name, spec in data["signals"].items()}
    return data


def problem(data: dict, shared=SHARED) -> tuple[str, str]:
    with pytest.raises(TemplateError) as error:
        parse_template(data, source=SOURCE, shared=shared)
    assert str(error.value) == f"{SOURCE}: {error.value.field_path} {error.value.problem}"
    return error.value.field_path, error.value.problem


def test_the_shipped_templates_use_the_shared_definitions():
    files = [path.read_text() for path in EXERCISES.glob("*.toml")]
    assert all('{ shared = "see-a-doctor" }' in text for text in files)
    assert sum('trunk_tilt = { shared = "trunk_tilt" }' in text for text in files) == 9
    assert not any(sentence in text for sentence in SHARED.safety.values() for text in files)


def test_a_reference_parses_as_the_definition_written_out():
    written = written_out(bird_dog())
    assert "shared" not in str(written)
    assert parse_template(written, source=SOURCE) == parse_template(bird_dog(), source=SOURCE, shared=SHARED)


def test_the_shared_file_is_not_an_exercise():
    templates, problems = load_available(EXERCISES)
    assert problems == {} and "common" not in templates and "shared" not in templates


@pytest.mark.parametrize("change, field, words", [
    (lambda d: d["safety"].__setitem__(1, {"shared": "see-a-dentist"}), "safety[1].shared",
     "names no shared safety sentence: 'see-a-dentist'. {source} defines: stop-if-pain, see-a-doctor."),
    (lambda d: d["signals"].update(trunk_tilt={"shared": "trunk_tlit"}), "signals.trunk_tilt.shared",
     "names no shared signal: 'trunk_tlit'. {source} defines: trunk_tilt, knee_bend."),
    (lambda d: d["signals"]["trunk_tilt"].update(label="tilt"), "signals.trunk_tilt.label",
     "is not a known field (known fields: shared)"),
    (lambda d: d["safety"].__setitem__(2, {"shared": 3}), "safety[2].shared", "must be text, got 3"),
    (lambda d: d["safety"].__setitem__(2, {"share": "see-a-doctor"}), "safety[2].share",
     "is not a known field (known fields: shared)"),
    (lambda d: d["safety"].__setitem__(2, {}), "safety[2].shared", "is missing"),
])
def test_a_bad_reference_names_the_file_and_the_field(change, field, words):
    data = bird_dog()
    change(data)
    assert problem(data) == (field, words.format(source=SHARED.source))


def test_a_reference_without_shared_definitions_says_where_they_are_looked_for(tmp_path):
    assert problem(bird_dog(), shared=None) == (
        "safety[1].shared", "refers to the shared definitions, and there are none (shared/common.toml in the "
        "exercises folder)")
    path = tmp_path / "bird-dog.toml"
    path.write_text((EXERCISES / "bird-dog.toml").read_text())
    with pytest.raises(TemplateError, match=r"bird-dog.toml: safety\[1\].shared refers to the shared definitions"):
        load_template_file(path)


def test_a_broken_shared_file_names_itself(tmp_path):
    copy_shared_definitions(tmp_path)
    common = tmp_path / "shared" / "common.toml"
    common.write_text(common.read_text().replace('kind = "elevation"', 'kind = "tilt"'))
    (tmp_path / "bird-dog.toml").write_text((EXERCISES / "bird-dog.toml").read_text())
    with pytest.raises(TemplateError) as error:
        load_all(tmp_path)
    assert str(error.value).startswith(f"{common}: signals.trunk_tilt.kind must be one of ")


@pytest.mark.parametrize("data, field, words", [
    ({"safety": {"see-a-doctor": 3}}, "safety.see-a-doctor", "must be text, got 3"),
    ({"safety": ["See a doctor."]}, "safety", "must be a table, got a list"),
    ({"signal": {}}, "signal", "is not a known field (known fields: safety, signals)"),
    ({"signals": {"tilt": {"kind": "sum", "signals": ["a", "b"]}}}, "signals.tilt.signals[0]",
     "names no measured signal: 'a'. Defined measured signals: none."),
])
def test_the_shared_definitions_are_checked(data, field, words):
    with pytest.raises(TemplateError) as error:
        parse_shared(data, source="shared/common.toml")
    assert (error.value.field_path, error.value.problem) == (field, words)
