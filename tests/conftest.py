import os
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("GLOG_minloglevel", "2")
# Tests (and the processes they start) never write into the user's own history.
os.environ["POSECHECK_DB"] = str(Path(tempfile.mkdtemp(prefix="posecheck-tests-")) / "history.db")
sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def templates():
    from posecheck.io.templates import load_all

    return load_all(ROOT / "exercises")


def require_corpus():
    if not (CORPUS / "labels.toml").exists():
        pytest.skip(f"the real-clip corpus is not at {CORPUS} (it is not redistributable; "
                    "these tests run where ../shared/corpus exists)")
    return CORPUS
