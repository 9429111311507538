"""Write clip labels as `[[clip]]` tables in the corpus labels.toml format (no TOML writer needed)."""

from __future__ import annotations

import re

KEY_ORDER = ("file", "exercise", "synthetic", "view", "reps", "accept", "sides", "holds", "still", "phases",
             "rep_times", "faults", "depth", "seed", "notes")


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _number(value) -> str:
    if isinstance(value, int):
        return str(value)
    return repr(round(float(value), 3))


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_value(key)


def clip_table(labels: dict) -> str:
    keys = [k for k in KEY_ORDER if k in labels] + [k for k in labels if k not in KEY_ORDER]
    lines = ["[[clip]]"] + [f"{_key(k)} = {toml_value(labels[k])}" for k in keys]
    return "\n".join(lines) + "\n"


def clip_blocks(text: str) -> list[str]:
    """The verbatim `[[clip]]` blocks of a labels file (each up to the next table or the end)."""
    parts = re.split(r"(?m)^(?=\[\[clip\]\])", text)
    return [_without_trailing_comments(p) for p in parts if p.startswith("[[clip]]")]


def _without_trailing_comments(block: str) -> str:
    """A block's lines up to its last value: comments after it introduce the next block."""
    lines = block.rstrip("\n").split("\n")
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return "\n".join(lines) + "\n"


def block_for_file(text: str, file_name: str) -> str | None:
    for block in clip_blocks(text):
        if re.search(rf'(?m)^file\s*=\s*"{re.escape(file_name)}"\s*$', block):
            return block
    return None
