"""MediaPipe is imported without matplotlib (posecheck/io/mediapipe_import.py), and what MediaPipe
took from matplotlib still works when used. Run in a fresh interpreter: the test process may
have imported matplotlib already."""

import subprocess
import sys

CHILD = """
import sys
from posecheck.io.mediapipe_import import vision
vision().PoseLandmarkerOptions  # the landmarker's API is there
print("matplotlib imported:", "matplotlib" in sys.modules)
drawing = sys.modules["mediapipe.tasks.python.vision.drawing_utils"]
print("on first use:", drawing.plt.figure.__module__)
import matplotlib
print("later import:", type(matplotlib).__name__, hasattr(matplotlib, "__version__"))
"""


def test_mediapipe_comes_without_matplotlib_which_still_loads_when_used():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, check=True).stdout
    assert "matplotlib imported: False" in out
    assert "on first use: matplotlib.pyplot" in out
    assert "later import: module True" in out
