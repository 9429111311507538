"""What the person is told about the picture, and the cue on screen (core/guidance.py), alone."""

from posecheck.core.events import Event
from posecheck.core.guidance import CUE_MIN_SECONDS, GUIDANCE_DELAY, Guidance, missing_part, required_parts
from posecheck.core.signals import visible_mask
from synthetic import quadruped


def test_a_situation_is_told_after_its_delay_once_and_cleared_when_it_ends():
    guidance, new = Guidance(), []
    guidance.issue("no_person", True, 10.0, new)
    assert new == [] and guidance.message == ""  # a glitch says nothing
    guidance.issue("no_person", True, 10.0 + GUIDANCE_DELAY["no_person"], new)
    guidance.issue("no_person", True, 12.5, new)
    assert [(e.kind, e.time) for e in new] == [("guidance", 10.0)]  # told once, from when it began
    assert "can't see you" in guidance.message
    guidance.issue("too_small", True, 12.5, new)
    guidance.issue("too_small", True, 14.0, new)
    assert guidance.view_unclear()
    guidance.issue("no_person", False, 15.0, new)
    assert new[-1].kind == "guidance_clear" and "small" in guidance.message


def test_the_cue_changes_at_most_every_few_seconds_guidance_at_once_and_fades():
    guidance = Guidance()
    cue = guidance.cue("", 1.0, [Event("form", 1.0, "Keep your hips level")])
    cue = guidance.cue(cue, 2.0, [Event("form", 2.0, "Straighten the leg")])
    assert cue == "Keep your hips level"  # too soon for another form cue
    cue = guidance.cue(cue, 2.5, [Event("guidance", 2.5, "Turn side-on")])
    assert cue == "Turn side-on"  # guidance is said at once
    cue = guidance.cue(cue, 2.5 + CUE_MIN_SECONDS, [Event("form", 5.0, "Straighten the leg")])
    assert cue == "Straighten the leg"
    assert guidance.cue(cue, 5.0 + 2 * CUE_MIN_SECONDS + 0.1, []) == ""


def test_a_part_the_position_needs_is_named_when_out_of_sight(templates):
    required = required_parts(templates["bird-dog"])
    pose = quadruped()
    assert missing_part(required, visible_mask(pose)) is None
    hidden = quadruped(hidden={"left_knee", "right_knee", "left_ankle", "right_ankle"})
    assert missing_part(required, visible_mask(hidden)) in ("knee", "left knee", "right knee", "ankle",
                                                            "left ankle", "right ankle")
