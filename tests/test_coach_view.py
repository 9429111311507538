"""The coach view's and the session summary's content, without a browser (ui/coach_view.py), and
the overlay drawn into frames (overlay.py): what a person on the mat reads."""

import numpy as np

from posecheck.core.engine import EngineState
from posecheck.presentation.overlay import FIGURE, annotate
from posecheck.core.summary import FormNote, SessionSummary
from posecheck.ui.coach_view import coach_html, summary_html, summary_lines


def state(**values) -> EngineState:
    s = EngineState()
    for name, value in values.items():
        setattr(s, name, value)
    return s


def test_the_panel_shows_count_against_target_sides_hold_left_and_the_cue():
    shown = coach_html(state(reps=3, reps_by_side={"left": 2, "right": 1, "all": 3}, hold_elapsed=6.2,
                             hold_target=15.0, cue="Keep your supporting hips level", phase="Arm and leg out"),
                       frames=120, target=10, each_side=5)
    assert 'data-frames="120"' in shown and 'data-reps="3"' in shown
    assert "3 <small>of 10</small>" in shown
    assert "left 2 of 5 · right 1 of 5" in shown
    assert "Hold 9 s more (6 / 15 s)" in shown and "width:41%" in shown
    assert "Keep your supporting hips level" in shown
    assert "fps" not in shown and "deg" not in shown  # nothing technical


def test_a_full_hold_says_so_and_a_cue_is_escaped():
    shown = coach_html(state(reps=1, hold_elapsed=16.0, hold_target=15.0, cue="<b>up</b>"), frames=1)
    assert "Held. Well done." in shown and 'class="fill done"' in shown and "width:100%" in shown
    assert "&lt;b&gt;up&lt;/b&gt;" in shown


def test_out_of_position_the_panel_says_how_to_get_into_it():
    shown = coach_html(state(reps=0, hold_target=5.0), frames=3, fallback_cue="Get on your hands and knees")
    assert "Hold 5 s in position" in shown and "Get on your hands and knees" in shown


def test_the_summary_names_reps_by_side_holds_against_target_one_form_note_and_pain():
    summary = SessionSummary("bird-dog", 4, {"left": 2, "right": 2, "all": 4}, holds_s=[14.6, 9.2],
                             hold_target_s=15.0,
                             faults=[FormNote("hold_short", "Arm: held 9 s of 15 s. Hold 6 s longer next time.", 2),
                                     FormNote("hips_level", "Keep your supporting hips level.")])
    lines = summary_lines(summary, pain_before=5, pain_after=None)
    assert lines == ["4 reps (left 2 · right 2)", "Holds: 15 s, 9 s (target 15 s)",
                     "Main form note: Keep your supporting hips level.", "Pain before 5/10, after not rated yet"]
    shown = summary_html("Bird-dog", summary, saved=True, pain_before=5, pain_after=3)
    assert "Bird-dog: session finished" in shown and "Pain before 5/10, after 3/10" in shown
    assert "Saved to your history." in shown
    stopped = summary_html("Bird-dog", summary, saved=False, stopped_for_pain=True)
    assert "Stopped because it hurts" in stopped and "Main form note" not in stopped and "Not saved" in stopped


def test_frame_text_is_scaled_to_the_frame_and_drawn_once():
    """The rep count's box is about FIGURE of the frame's height tall at any size, and no text has
    a black shadow copy (the old overlay drew each text twice, black under colour): text sits on
    a dark box blended with the picture, so no pixel of a mid-grey frame turns black."""
    for height, width in ((360, 640), (1080, 1920), (1920, 1080)):
        frame = np.full((height, width, 3), 128, np.uint8)
        out = annotate(frame, None, state(reps=7, phase="Cat"), "Cat-cow")
        top = out[: int(height * 0.2), : int(width * 0.25)]
        changed = np.argwhere(np.abs(top.astype(int) - 128).sum(axis=2) > 30)
        rows = changed[:, 0].max() - changed[:, 0].min() + 1
        assert rows >= 0.06 * min(height, 1.6 * width), (height, width, rows)
        bright = (top.min(axis=2) > 200).sum()
        assert bright > 0  # the digits, in white
        assert (out.astype(int).sum(axis=2) < 60).sum() == 0
    assert FIGURE >= 0.06
