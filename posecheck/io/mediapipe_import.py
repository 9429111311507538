"""MediaPipe Tasks, imported without matplotlib.

`import mediapipe` imports its drawing utilities, and they import `matplotlib.pyplot` at the top:
38 MB of memory and a third of a second in every process here (`benchmarks/speed.py`), for
functions posecheck never calls (it draws with OpenCV). While MediaPipe is imported, matplotlib
and its pyplot are stand-ins that import the real modules the first time anything on them is
used; once MediaPipe is in, the stand-ins leave `sys.modules`, so any later `import matplotlib`
is the real one. Where matplotlib is already imported, nothing is replaced.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types

_STAND_INS = ("matplotlib", "matplotlib.pyplot")


class _ImportedOnFirstUse(types.ModuleType):
    """A module name that imports the real module when one of its attributes is first read."""

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attribute)


@functools.lru_cache(maxsize=None)
def mediapipe():
    """The `mediapipe` package, imported once."""
    if any(name in sys.modules for name in _STAND_INS):
        return importlib.import_module("mediapipe")
    stand_ins = {name: _ImportedOnFirstUse(name) for name in _STAND_INS}
    stand_ins["matplotlib"].pyplot = stand_ins["matplotlib.pyplot"]
    sys.modules.update(stand_ins)
    try:
        return importlib.import_module("mediapipe")
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


def vision():
    """`mediapipe.tasks.python.vision` (PoseLandmarker and its options)."""
    mediapipe()
    return importlib.import_module("mediapipe.tasks.python.vision")
