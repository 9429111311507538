"""docs/templates.md is written from the parsers' own field tables: it must be what the generator
writes now, every field the parsers accept must be described, and its example must parse."""

import ast
import tomllib

import pytest

from conftest import ROOT
from posecheck.core import template_fields
from posecheck.core.reader import Field
from posecheck.core.routine import ROUTINE_FIELDS, STEP_FIELDS
from posecheck.core.template_parser import parse_template
from posecheck.io.templates import load_all, load_shared
from posecheck.presentation.template_docs import COMMAND, EXAMPLE, render

PARSERS = [ROOT / "posecheck" / "core" / name
           for name in ("template_parser.py", "routine.py", "shared_definitions.py")]
TABLES = {name: table for name, table in vars(template_fields).items()
          if isinstance(table, dict) and table and all(isinstance(f, Field) for f in table.values())}


def test_the_docs_are_what_the_generator_writes_now():
    written = (ROOT / "docs" / "templates.md").read_text()
    assert written == render(), f"docs/templates.md is out of date: run `{COMMAND}`"


@pytest.mark.parametrize("parser", PARSERS, ids=lambda path: path.name)
def test_the_parsers_take_the_fields_they_accept_from_the_described_tables(parser):
    """`only(table, path, known)` with `known` written out in the call would accept a field that
    the tables, and so the docs, do not describe."""
    calls = [node for node in ast.walk(ast.parse(parser.read_text()))
             if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "only"]
    assert calls
    assert not [ast.unparse(call) for call in calls if isinstance(call.args[2], (ast.Tuple, ast.List, ast.Set))]


def test_every_field_and_signal_kind_is_described():
    tables = [*TABLES.values(), ROUTINE_FIELDS, STEP_FIELDS]
    assert {"TEMPLATE", "SIGNAL", "CONDITION", "PHASE", "SHARED_REFERENCE"} <= set(TABLES)
    assert all(field.meaning.strip() for table in tables for field in table.values())
    assert set(template_fields.SIGNAL_KIND_MEANINGS) == set(template_fields.SIGNAL["kind"].allowed)
    docs = render()
    assert all(f"| `{field}` |" in docs for table in tables for field in table)


def test_the_example_is_the_real_cat_cow_shortened():
    shared = load_shared(ROOT / "exercises")
    example = parse_template(tomllib.loads(EXAMPLE), source="docs/templates.md", shared=shared)
    real = load_all(ROOT / "exercises")["cat-cow"]
    assert example.phases == real.phases and example.counting == real.counting and example.range == real.range
    assert all(real.signals[name] == signal for name, signal in example.signals.items())
    assert set(example.form) <= set(real.form) and set(example.identity) <= set(real.identity)
    assert set(example.position.conditions) <= set(real.position.conditions)
