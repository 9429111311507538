"""Definitions the exercise templates share (exercises/shared/common.toml): safety sentences and
signals written once, which a template refers to by name, `{ shared = "see-a-doctor" }` as a
safety item or `trunk_tilt = { shared = "trunk_tilt" }` as a signal. The references are replaced
by what they name before the template is parsed, so a template parses as if it had written them
out. A template given as plain data with no references needs no shared definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from posecheck.core.reader import Reader, field_path, quote
from posecheck.core.template_fields import SHARED_REFERENCE

SHARED_FILE = "shared/common.toml"  # where a folder of templates keeps its shared definitions


@dataclass(frozen=True)
class SharedDefinitions:
    source: str  # the file they were read from, for messages
    safety: dict[str, str]  # name -> sentence
    signals: dict[str, dict]  # name -> the signal's table, as a template writes it


def resolve_shared(r: Reader, data: dict[str, Any], shared: SharedDefinitions | None) -> dict[str, Any]:
    """The template's data with every reference replaced by the definition it names."""
    resolved = dict(data)
    safety, signals = data.get("safety"), data.get("signals")
    if isinstance(safety, list):  # an item that is a table is a reference
        resolved["safety"] = [_definition(r, item, f"safety[{i}]", shared, "safety") if isinstance(item, dict)
                              else item for i, item in enumerate(safety)]
    if isinstance(signals, dict):
        resolved["signals"] = {name: _definition(r, spec, field_path("signals", name), shared, "signals")
                               if isinstance(spec, dict) and "shared" in spec else spec
                               for name, spec in signals.items()}
    return resolved


def _definition(r: Reader, reference: dict, path: str, shared: SharedDefinitions | None, section: str) -> Any:
    r.only(reference, path, SHARED_REFERENCE)
    name = r.read(reference, path, SHARED_REFERENCE["shared"])
    if shared is None:
        r.fail(f"{path}.shared", f"refers to the shared definitions, and there are none ({SHARED_FILE} in the "
               "exercises folder)")
    known = getattr(shared, section)
    if name not in known:
        what = "safety sentence" if section == "safety" else "signal"
        r.fail(f"{path}.shared", f"names no shared {what}: {quote(name)}. {shared.source} defines: "
               f"{', '.join(known) or 'none'}.")
    return known[name]
