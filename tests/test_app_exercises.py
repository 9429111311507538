"""The app with a broken exercise file (Streamlit's AppTest, no browser): the broken exercise is
listed as unavailable, with the file and field at fault, and the others can still be chosen.

AppTest runs the page's script without a browser; the webcam component cannot start there
(it needs a real server session), which the browser tests cover."""

import shutil

import pytest

from conftest import ROOT, copy_shared_definitions


@pytest.fixture
def broken_exercises(tmp_path, monkeypatch):
    for template in (ROOT / "exercises").glob("*.toml"):
        shutil.copy(template, tmp_path)
    copy_shared_definitions(tmp_path)
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


def test_how_to_do_it_shows_every_text_before_the_demonstration():
    """Switching exercise must not leave the last exercise's camera advice, hold and safety notes
    on screen while a demonstration is prepared (issue 23, finding 7): in the page's order, every
    text of the guide comes before the demonstration video (it was the other way round)."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    guide = next(tab for tab in app.tabs if tab.label == "How to do it")
    order = [(type(element).__name__, str(getattr(element, "value", ""))) for element in flatten(guide)]
    camera = next(i for i, (kind, _) in enumerate(order) if kind == "Info")
    hold = next(i for i, (_, value) in enumerate(order) if value.startswith("**Hold**"))
    safety = next(i for i, (_, value) in enumerate(order) if value == "**Safety**")
    video = next(i for i, (kind, _) in enumerate(order) if kind in ("Video", "UnknownElement"))
    assert max(camera, hold, safety) < video, order


def flatten(node):
    """The elements under a block, in the page's order."""
    for child in node.children.values():
        if hasattr(child, "children") and isinstance(child.children, dict):
            yield from flatten(child)
        else:
            yield child


def test_the_server_is_for_this_computer_and_runs_without_a_file_watcher():
    """Finding 1 and 12's defaults, as shipped: loopback only, no source-file watcher."""
    import tomllib

    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert server["address"] == "127.0.0.1" and server["fileWatcherType"] == "none"
