"""posecheck in the browser: the Exercises, Routines, History and Teach pages (posecheck/ui/), on a
server that only this computer reaches unless it is opened to the network on purpose.

Run with `./dev app`. Video stays on this machine: uploads are analysed in a temporary folder that
is deleted afterwards.
"""

from __future__ import annotations

import os

os.environ.setdefault("GLOG_minloglevel", "2")

import streamlit as st  # noqa: E402

from posecheck.core.reader import DataError  # noqa: E402
from posecheck.io.templates import load_available  # noqa: E402
from posecheck.pipeline.memory import limit_malloc_arenas  # noqa: E402
from posecheck.ui.coaches import coach_owner  # noqa: E402
from posecheck.ui.history import history_page  # noqa: E402
from posecheck.ui.camera import use_coach_style  # noqa: E402

limit_malloc_arenas()  # long analyses in worker threads: keep memory flat

LOOPBACK = ("127.0.0.1", "localhost", "::1")
PAIN_WARNING = ("Stop if an exercise hurts. posecheck is a coach, not a doctor: see a doctor or "
                "physiotherapist about back pain that is severe, lasting or getting worse.")

st.set_page_config(page_title="posecheck", page_icon="🧘", layout="wide")


@st.cache_resource
def templates():
    """The exercises that load (the shipped ones and the user's own, taught on the Teach page), and
    each broken file's problem (its exercise is unavailable)."""
    return load_available()


def history() -> None:
    try:
        available, _ = templates()
    except DataError:
        available = {}  # the history still opens; sessions show their exercise names
    history_page(available)


def loaded_templates() -> tuple[dict, dict] | None:
    """The exercises and the broken files' problems, or None after saying why none could load."""
    try:
        return templates()
    except DataError as exc:
        st.error(f"The exercises could not be loaded: {exc}")
        return None


def routines() -> None:
    from posecheck.ui.routines_page import routine_page

    if (loaded := loaded_templates()) is not None:
        st.warning(PAIN_WARNING)
        routine_page(loaded[0])


def teach() -> None:
    from posecheck.ui.teach import teach_page

    if (loaded := loaded_templates()) is not None:
        teach_page(loaded[0], on_saved=templates.clear)  # the new exercise is in the list at once


def say_if_open_to_the_network() -> None:
    """Every page says so when the server listens beyond this computer (`./dev app --network`)."""
    address = st.get_option("server.address") or "0.0.0.0"
    if address not in LOOPBACK:
        st.warning(f"posecheck is open to your network (listening on {address}): anyone who can reach this "
                   "computer can open this page, your history and your pain records. Start it with `./dev app` "
                   "to keep it to this computer.", icon="🔓")


def exercises() -> None:
    from posecheck.ui.exercise import exercise_page

    if (loaded := loaded_templates()) is not None:
        exercise_page(*loaded, PAIN_WARNING)


use_coach_style()  # large, high-contrast text and 44 px buttons on every page
say_if_open_to_the_network()
coach_owner().sweep()  # close the landmarkers of browser sessions that have gone
st.navigation([st.Page(exercises, title="Exercises", icon="🧘", default=True),
               st.Page(routines, title="Routines", icon="📋", url_path="routines"),
               st.Page(history, title="History", icon="📈", url_path="history"),
               st.Page(teach, title="Teach", icon="🎓", url_path="teach")]).run()
