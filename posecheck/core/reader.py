"""Reading data files (exercise templates, routines): typed fields out of nested tables, each
problem one sentence naming the file, the field's full path and what is wrong, e.g.
"exercises/bird-dog.toml: hold.target_seconds must be a number, got text 'ten'".
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from typing import Any, NoReturn

NAME_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # exercise and routine names: "bird-dog"
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")

class DataError(ValueError):
    """A data file (an exercise template, a routine) is broken. The message is one sentence
    naming the file, the field's full path and what is wrong; a problem with the whole file has
    an empty field_path, and one with no file (an unknown name) an empty source."""

    noun = "a data file"  # what such a file is, for messages about the whole file

    def __init__(self, source: str, field_path: str, problem: str):
        super().__init__(_sentence(source, field_path, problem))
        self.source, self.field_path, self.problem = source, field_path, problem

    def __reduce__(self):  # survives pickling (a process pool) with its parts
        return type(self), (self.source, self.field_path, self.problem)



def _sentence(source: str, field_path: str, problem: str) -> str:
    if source and field_path:
        return f"{source}: {field_path} {problem}"
    subject = source or field_path
    return f"{subject} {problem}" if subject else problem


@dataclass(frozen=True)
class Bounds:
    """The values a number may take: `low` to `high`, but not `low` itself when `above_low`."""

    low: float
    high: float
    unit: str = ""
    above_low: bool = False

    def allows(self, value: float) -> bool:
        return (value > self.low if self.above_low else value >= self.low) and value <= self.high

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.above_low:
            return f"more than {self.low:g} and at most {self.high:g}{unit}"
        return f"between {self.low:g} and {self.high:g}{unit}"


REQUIRED = ...  # a Field's default when the field must be given
TEXTS = "list of text"  # a Field's kind: a list of non-empty texts


@dataclass(frozen=True)
class Computed:
    """A field's default that the parser works out from other fields, in words for the docs."""

    words: str


@dataclass(frozen=True)
class Field:
    """One field of a data file: how the reader checks it and what the docs say about it."""

    name: str
    kind: Any  # str, float, int, bool, list, dict or TEXTS
    meaning: str
    default: Any = REQUIRED  # REQUIRED, a value, or Computed(words)
    allowed: Bounds | tuple[str, ...] | str = ""  # a number's bounds, the choices, or in words


def fields(*described: Field) -> dict[str, Field]:
    """A table's fields by name, in the order given (the order error messages list them in)."""
    return {field.name: field for field in described}


def field_path(path: str, key: Any) -> str:
    """`path.key`, with odd keys quoted so that the path stays short and on one line."""
    name = key if isinstance(key, str) and _PLAIN_KEY.fullmatch(key) else quote(key)
    return f"{path}.{name}" if path else name


def quote(text: Any, limit: int = 40) -> str:
    """repr() of a text, cut short when long."""
    if isinstance(text, str) and len(text) > limit:
        text = text[:limit - 3] + "..."
    return repr(text)


def describe(value: Any) -> str:
    """A value as the person who wrote the file would recognise it: "text 'ten'", "a table"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"text {quote(value)}"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else "a number with more than 15 digits"
    if isinstance(value, float):
        short = f"{value:g}"  # 15 rather than 15.0, but never 30 for 30.0000001
        return short if not math.isfinite(value) or float(short) == value else repr(value)
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a table" if value else "an empty table"
    if isinstance(value, (datetime.date, datetime.time)):
        return f"the {'time' if isinstance(value, datetime.time) else 'date'} {value.isoformat()}"
    return type(value).__name__


def _kind_name(kind) -> str:
    return {str: "text", float: "a number", int: "a whole number", list: "a list",
            dict: "a table", bool: "true or false"}[kind]


def _is_kind(value: Any, kind) -> bool:
    if isinstance(value, bool):  # a bool is an int to Python, never a number in a template
        return kind is bool
    if kind is float:
        return isinstance(value, (int, float))
    return isinstance(value, kind)


def _either(options) -> str:
    quoted = [repr(option) for option in options]
    if len(quoted) == 2:
        return " or ".join(quoted)
    return f"one of {', '.join(quoted)}"


class Reader:
    """Reads typed fields out of nested tables. Every problem raises `error` (a DataError
    subclass: TemplateError, RoutineError) naming the file (`source`) and the field's full path."""

    def __init__(self, source: str, error: type[DataError] = DataError):
        self.source, self.error = source, error

    def fail(self, path: str, problem: str) -> NoReturn:
        raise self.error(self.source, path, problem)

    def get(self, table: dict, key: str, path: str, kind, default=...):
        """table[key], checked to be of `kind` (str, float, int, bool, list or dict); `default`
        when absent (no default: the field is required)."""
        full = field_path(path, key)
        if key not in table:
            if default is ...:
                self.fail(full, "is missing")
            return default
        value = table[key]
        if not _is_kind(value, kind):
            self.fail(full, f"must be {_kind_name(kind)}, got {describe(value)}")
        if kind is float:
            return self._finite(full, value)
        if kind is str and not value.strip():
            self.fail(full, "must not be empty")
        return value

    def _finite(self, full: str, value: int | float) -> float:
        if isinstance(value, int) and abs(value) >= 10**15:  # would overflow or lose digits as a float
            self.fail(full, f"must be a number of sensible size, got {describe(value)}")
        if not math.isfinite(value):
            self.fail(full, f"must be a finite number, got {describe(value)}")
        return float(value)

    def number(self, table: dict, key: str, path: str, bounds: Bounds, default=..., kind=float):
        """A number within `bounds` (kind=int: a whole number); `default` when absent."""
        if key not in table and default is not ...:
            return default
        value = self.get(table, key, path, kind)
        if not bounds.allows(value):
            self.fail(field_path(path, key), f"must be {bounds}, got {describe(value)}")
        return value

    def read(self, table: dict, path: str, field: Field, default=...) -> Any:
        """table[field.name], checked as `field` says; `default` stands in for a Computed one."""
        default = field.default if default is ... else default
        assert not isinstance(default, Computed), f"{field.name}: the parser must work out the default"
        if isinstance(field.allowed, Bounds):
            return self.number(table, field.name, path, field.allowed, default, field.kind)
        if isinstance(field.allowed, tuple):
            return self.choice(table, field.name, path, field.allowed, default)
        if field.kind == TEXTS:
            return self.strings(table, field.name, path, default)
        return self.get(table, field.name, path, field.kind, default)

    def choice(self, table: dict, key: str, path: str, options, default=...) -> str:
        value = self.get(table, key, path, str, default)
        if value not in options:
            self.fail(field_path(path, key), f"must be {_either(options)}, got {describe(value)}")
        return value

    def slug(self, table: dict, key: str, path: str) -> str:
        """A name like 'bird-dog': lower-case words joined by '-'."""
        value = self.get(table, key, path, str)
        if not NAME_PATTERN.fullmatch(value):
            self.fail(field_path(path, key), "must be lower-case words joined by '-' (like 'bird-dog'), "
                      f"got {describe(value)}")
        return value

    def strings(self, table: dict, key: str, path: str, default=..., at_least_one=False) -> tuple[str, ...]:
        full = field_path(path, key)
        values = self.get(table, key, path, list, default)
        if at_least_one and not values:
            self.fail(full, "must list at least one item")
        for i, item in enumerate(values):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{full}[{i}]", f"must be non-empty text, got {describe(item)}")
        return tuple(values)

    def table(self, value: Any, path: str, example: str = "") -> dict:
        """`value` (a list's item, or the file's top level) checked to be a table."""
        if not isinstance(value, dict):
            self.fail(path, f"must be a table{example}, got {describe(value)}")
        return value

    def only(self, table: dict, path: str, known) -> None:
        """Fails on a field that is not in `known`: a misspelt optional field would otherwise be
        silently ignored."""
        for key in table:
            if key not in known:
                self.fail(field_path(path, key), f"is not a known field (known fields: {', '.join(known)})")


def names_no(what: str, value: str, known) -> str:
    """The problem of a reference to nothing: "names no phase: 'fly'. Defined phases: reach."."""
    return f"names no {what}: {quote(value)}. Defined {what}s: {', '.join(known) or 'none'}."
