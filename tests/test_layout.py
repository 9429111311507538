"""The package's layout says its architecture: the data flows one way (core <- pipeline <- ui),
the core imports no I/O, no Streamlit, no pipeline; no two modules share a name. Read from the
source (ast), no imports run."""

import ast
from collections import Counter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "posecheck"
# What each package may import from posecheck (besides itself).
ALLOWED = {
    "core": set(),
    "io": {"core"},
    "synth": {"core", "io"},
    "pipeline": {"core", "io", "presentation"},
    "presentation": {"core", "io"},
    "ui": {"core", "io", "pipeline", "presentation", "synth"},
}
OUTSIDE = {"streamlit", "streamlit_webrtc", "cv2", "av", "sqlite3", "mediapipe", "ray"}


def modules(package: str):
    return sorted((PACKAGE / package).glob("*.py"))


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_each_package_imports_only_the_layers_below_it():
    wrong = []
    for package, allowed in ALLOWED.items():
        for path in modules(package):
            for name in imported(path):
                parts = name.split(".")
                if parts[0] == "posecheck" and len(parts) > 1 and parts[1] not in allowed | {package}:
                    wrong.append(f"{package}/{path.name} imports {name}")
    assert not wrong, wrong


def test_the_core_reads_no_files_and_draws_nothing():
    wrong = [f"core/{path.name} imports {name}" for path in modules("core") for name in imported(path)
             if name.split(".")[0] in OUTSIDE | {"pathlib", "os", "io"}]
    assert not wrong, wrong


def test_no_two_modules_share_a_name():
    names = Counter(path.stem for path in PACKAGE.rglob("*.py") if not path.stem.startswith("__"))
    assert [name for name, count in names.items() if count > 1] == []
