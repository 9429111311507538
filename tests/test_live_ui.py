"""The live pages' watch on a camera that does not start: START pressed (the browser's offer
reached the app) and no picture within CONNECT_SECONDS gets a plain message, instead of the page
waiting forever on "Press START" (a second START pressed too soon leaves the browser waiting on a
connection the app never answered)."""

from collections import namedtuple
from types import SimpleNamespace

import streamlit as st

from posecheck.ui.camera import CONNECT_SECONDS, NO_PICTURE, seconds_without_picture, wait_for_picture

State = namedtuple("State", "playing signalling")


class Clock:
    def __init__(self, step: float = 0.0):
        self.now, self.step = 100.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


class Slot:
    def __init__(self):
        self.shown = []

    def info(self, text):
        self.shown.append(("info", text))

    def warning(self, text):
        self.shown.append(("warning", text))


def camera(playing=False, signalling=False):
    return SimpleNamespace(state=State(playing, signalling))


def coach(frames=0):
    return SimpleNamespace(snapshot=lambda: SimpleNamespace(frames=frames))


def test_no_wait_is_counted_before_start_or_once_pictures_come():
    clock = Clock()
    assert seconds_without_picture(camera(), coach(), "cam-a", clock) == 0.0
    assert seconds_without_picture(camera(playing=True), coach(frames=5), "cam-a", clock) == 0.0
    assert "camera-starting-cam-a" not in st.session_state


def test_the_wait_runs_from_the_first_run_that_saw_start_across_reruns():
    clock = Clock()
    assert seconds_without_picture(camera(signalling=True), coach(), "cam-b", clock) == 0.0
    clock.now += 4
    assert seconds_without_picture(camera(signalling=True), coach(), "cam-b", clock) == 4.0  # a rerun: same start
    clock.now += 3
    assert seconds_without_picture(camera(playing=True), coach(), "cam-b", clock) == 7.0  # connected, no frame yet
    assert seconds_without_picture(camera(playing=True), coach(frames=1), "cam-b", clock) == 0.0
    assert seconds_without_picture(camera(playing=True), coach(), "cam-b", clock) == 0.0  # a new step's coach: anew


def test_a_camera_that_does_not_connect_gets_the_message_and_the_run_ends():
    slot, clock = Slot(), Clock(step=0.5)
    wait_for_picture(camera(signalling=True), coach(), "cam-c", slot, poll=0, clock=clock)
    assert slot.shown[0] == ("info", "Starting the camera…")
    kind, text = slot.shown[-1]
    assert kind == "warning" and text.startswith("The camera did not start") and "Press START again" in text
    assert text == NO_PICTURE.format(seconds=10.5)  # the first look past CONNECT_SECONDS
    assert sum(kind == "info" for kind, _ in slot.shown) * 0.5 >= CONNECT_SECONDS  # it waited that long, not less


def test_nothing_is_shown_or_awaited_when_the_camera_is_off_or_playing():
    slot = Slot()
    wait_for_picture(camera(), coach(), "cam-d", slot, poll=0, clock=Clock(step=1))
    wait_for_picture(camera(playing=True), coach(), "cam-d", slot, poll=0, clock=Clock(step=1))
    assert slot.shown == []

