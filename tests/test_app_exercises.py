"""The app with a broken exercise file (Streamlit's AppTest, no browser): the broken exercise is
listed as unavailable, with the file and field at fault, and the others can still be chosen.

AppTest runs the page's script without a browser; the webcam component cannot start there
(it needs a real server session), which the browser tests cover."""

import shutil

import pytest

from conftest import ROOT


@pytest.fixture
def broken_exercises(tmp_path, monkeypatch):
    for template in (ROOT / "exercises").glob("*.toml"):
        shutil.copy(template, tmp_path)
    cat_cow = tmp_path / "cat-cow.toml"
    cat_cow.write_text(cat_cow.read_text().replace("[hold]\n", "[hold]\nseconds = 'five'\n", 1))
    monkeypatch.setenv("POSECHECK_EXERCISES", str(tmp_path))
    return tmp_path


def test_a_broken_exercise_is_unavailable_and_the_others_still_work(broken_exercises):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    warnings = [w.value for w in app.warning if "is unavailable" in w.value]
    assert len(warnings) == 1
    assert warnings[0].startswith("cat-cow is unavailable: ") and "cat-cow.toml: hold.seconds" in warnings[0]
    from posecheck.io.templates import load_all

    shipped = load_all(ROOT / "exercises")
    assert app.selectbox(key="exercise").options == [t.title for name, t in shipped.items() if name != "cat-cow"]
    assert app.subheader[0].value == "Bird-dog"  # the first working exercise is shown
