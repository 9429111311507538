"""Exercise identity (posecheck/core/identity.py): look-alikes are named, not counted.

Stick-figure sequences with exact angles: a leg kick with both hands down is not a bird-dog, a
knee pulled in without the hands is not a knee-to-chest, and a hidden arm gives the benefit of
the doubt with a note; a head nod on all fours is not a cat-cow. They prove the rule logic, not
that MediaPipe sees arms, hands and the back's tilt on real people (the corpus clips fire-hydrant,
sit-ups and the four cat-cows do that).
"""

from posecheck.core.identity import IdentityCheck
from synthetic import cat_cow, lying, quadruped, sequence
from synthetic import run_engine as run


def kick(arm: float, hidden=frozenset()):
    up = {"leg": {"left": 175.0}, "arm": {"right": arm}, "hidden": hidden}
    rest = {"hidden": hidden}
    return [(0.0, rest), (2.0, rest), (3.0, up), (6.0, up), (7.0, rest), (9.0, rest)]


def test_a_leg_kick_with_both_hands_down_is_not_a_bird_dog(templates):
    # 104 degrees: how a supporting arm reads in a front-oblique view of a fire hydrant.
    engine = run(templates["bird-dog"], sequence(kick(arm=104.0), quadruped, jitter=1.0))
    assert engine.reps == []
    said = [e.message for e in engine.events if e.code == "not_this_exercise"]
    assert said and said[0].startswith("Both hands are on the floor")


def test_the_same_kick_with_the_arm_reaching_counts(templates):
    engine = run(templates["bird-dog"], sequence(kick(arm=170.0), quadruped, jitter=1.0))
    assert len(engine.reps) == 1
    assert not [e for e in engine.events if e.code == "not_this_exercise"]


def test_an_arm_the_landmarks_put_on_the_floor_counts_when_the_silhouette_shows_it_reaching(templates):
    # The far arm behind the head: MediaPipe reads it as supporting (about 80 degrees), while the
    # silhouette reaches a trunk length past the shoulders. The silhouette only confirms: one
    # that reaches no further than the head changes nothing.
    def reaching_in_the_silhouette(leg=None, **kwargs):
        reach = 1.3 if leg and leg.get("left", 90.0) > 150 else 0.55  # the head alone: about 0.5
        return quadruped(leg=leg, **kwargs).with_outline(front_reach=reach)

    def head_only_in_the_silhouette(**kwargs):
        return quadruped(**kwargs).with_outline(front_reach=0.55)

    engine = run(templates["bird-dog"], sequence(kick(arm=85.0), reaching_in_the_silhouette, jitter=1.0))
    assert len(engine.reps) == 1 and engine.reps[0].notes == []
    engine = run(templates["bird-dog"], sequence(kick(arm=85.0), head_only_in_the_silhouette, jitter=1.0))
    assert engine.reps == []


def test_a_hidden_arm_counts_with_a_note(templates):
    hidden = frozenset({"right_elbow", "left_elbow"})
    engine = run(templates["bird-dog"], sequence(kick(arm=170.0, hidden=hidden), quadruped, jitter=1.0))
    assert len(engine.reps) == 1
    assert any("counted without seeing" in note for note in engine.reps[0].notes)


def test_a_knee_pulled_in_without_the_hands_is_not_a_knee_to_chest(templates, monkeypatch):
    import synthetic

    def hands_by_the_sides(**kwargs):
        pose = lying(**kwargs)
        xy = pose.xy.copy()
        for side in ("left", "right"):
            xy[synthetic.INDEX[f"{side}_wrist"]] = xy[synthetic.INDEX[f"{side}_hip"]] + (0.0, 5.0)
        return pose.with_xy(xy)

    frames = [(0, {"pull": {"right": 125.0}}), (2, {"pull": {"right": 125.0}}), (3, {"pull": {"right": 60.0}}),
              (8, {"pull": {"right": 60.0}}), (9, {"pull": {"right": 125.0}}), (11, {"pull": {"right": 125.0}})]
    engine = run(templates["knee-to-chest"], sequence(frames, hands_by_the_sides, jitter=1.0))
    assert engine.reps == []
    assert any(e.message.startswith("Hold your knee with both hands") for e in engine.events)


def test_identity_check_alone(templates):
    check = IdentityCheck(templates["bird-dog"])
    straight_leg = {("leg_straight", "left"): 170.0, ("leg_straight", "right"): 170.0}
    for _ in range(30):  # resting on hands and knees: the arms' resting angles
        check.observe_rest({("arm_reach_3d", "left"): 80.0, ("arm_reach_3d", "right"): 82.0})
    check.start("reach")
    down = {("arm_reach_3d", "left"): 90.0, ("arm_reach_3d", "right"): 92.0} | straight_leg
    for _ in range(5):
        check.observe(down, "left")
    assert not check.confirmed and check.contradiction().startswith("Both hands")
    reaching = {("arm_reach_3d", "left"): 150.0, ("arm_reach_3d", "right"): float("nan")} | straight_leg
    check.observe(reaching, "left")
    assert not check.confirmed, "one frame (maybe a glitch) confirms nothing"
    check.observe(reaching, "left")
    check.observe(reaching, "left")
    assert check.confirmed and check.contradiction() == ""


def test_with_no_arm_seen_a_bent_knee_is_not_a_bird_dog(templates):
    check = IdentityCheck(templates["bird-dog"])
    hidden_arms = {("arm_reach_3d", "left"): float("nan"), ("arm_reach_3d", "right"): float("nan")}
    check.start("reach")
    for _ in range(10):
        check.observe(hidden_arms | {("leg_straight", "left"): 95.0, ("leg_straight", "right"): 170.0}, "left")
    assert check.contradiction().startswith("I can't see an arm reaching")
    check.start("reach")
    for _ in range(10):
        check.observe(hidden_arms | {("leg_straight", "left"): 172.0, ("leg_straight", "right"): 90.0}, "left")
    assert check.contradiction() == "" and check.unseen() == ["reaching arm"]


def test_a_passing_moment_confirms_nothing(templates):
    # A leg pull-in or a kick brushes past the rule on the way: it must be met for a fair share
    # of the frames it was seen, not only for three of them.
    check = IdentityCheck(templates["bird-dog"])
    for _ in range(30):
        check.observe_rest({("arm_reach_3d", "left"): 80.0, ("arm_reach_3d", "right"): 82.0})
    check.start("reach")
    down = {("arm_reach_3d", "left"): 85.0, ("arm_reach_3d", "right"): 84.0, ("leg_straight", "left"): 170.0}
    up = down | {("arm_reach_3d", "left"): 140.0}
    for _ in range(20):
        check.observe(down, "left")
    for _ in range(3):
        check.observe(up, "left")
    assert not check.confirmed and check.contradiction().startswith("Both hands")


def test_a_position_that_never_settled_is_judged_on_what_was_seen(templates):
    # A sit-up dips through the knee-to-chest threshold for a moment: the thigh was seen not
    # coming in, so it is not counted "without seeing" anything.
    check = IdentityCheck(templates["knee-to-chest"])
    for _ in range(30):
        check.observe_rest({("thigh_in", "left"): 150.0, ("thigh_in", "right"): 150.0})
    check.start("hug")
    sitting_up = {("thigh_in", "left"): 152.0, ("thigh_in", "right"): 151.0,
                  ("hands_to_knee", "left"): 0.3, ("hands_to_knee", "right"): 0.3}
    for _ in range(4):
        check.observe(sitting_up, "right", settled=False)
    assert check.contradiction().startswith("Keep your back and head down")


def nods_or_cat_cows(n=3, cat=-45.0, cow=35.0):
    """n cycles of head down (cat), neutral, head up (cow), with holds, after a still start."""
    frames, t = [(0.0, {"spine": 0.0}), (1.0, {"spine": 0.0})], 1.0
    for _ in range(n):
        frames += [(t + 1, {"spine": cat}), (t + 3, {"spine": cat}), (t + 4, {"spine": 0.0}),
                   (t + 5, {"spine": cow}), (t + 7, {"spine": cow}), (t + 8, {"spine": 0.0})]
        t += 8
    return frames + [(t + 1, {"spine": 0.0})]


def test_a_head_nod_on_all_fours_is_not_a_cat_cow(templates):
    # The head drops and lifts as far as in a full cat and cow, the back stays still.
    engine = run(templates["cat-cow"], sequence(nods_or_cat_cows(), quadruped, jitter=1.5))
    assert engine.reps == []
    said = [e.message for e in engine.events if e.code == "not_this_exercise"]
    assert len(said) >= 3 and said[0].startswith("Only your head is moving")


def test_the_same_cycles_with_the_back_moving_count(templates):
    engine = run(templates["cat-cow"], sequence(nods_or_cat_cows(), cat_cow, jitter=1.5))
    assert len(engine.reps) == 3
    assert not [e for e in engine.events if e.code == "not_this_exercise"]
    assert all(rep.notes == [] for rep in engine.reps)


def test_a_cat_cow_that_starts_in_cow_is_judged_the_other_way(templates):
    # cow first, then cat: the cat is judged against the cow (the back lower, not higher).
    frames = [(0.0, {"spine": 0.0}), (1.0, {"spine": 0.0}), (2.0, {"spine": 35.0}), (4.0, {"spine": 35.0}),
              (5.0, {"spine": 0.0}), (6.0, {"spine": -45.0}), (8.0, {"spine": -45.0}), (9.0, {"spine": 0.0}),
              (11.0, {"spine": 0.0})]
    assert len(run(templates["cat-cow"], sequence(frames, cat_cow, jitter=1.5)).reps) == 1
    assert run(templates["cat-cow"], sequence(frames, quadruped, jitter=1.5)).reps == []


def test_a_nod_that_tilts_the_shoulders_is_still_not_a_cat_cow(templates):
    # MediaPipe's shoulders follow the head: the hips-to-shoulders line tilts with a nod as in a
    # shallow cat-cow. The back's outline does not move, and that decides.
    def nod(spine=0.0):
        return quadruped(spine=spine, trunk_tilt=0.15 * spine)

    engine = run(templates["cat-cow"], sequence(nods_or_cat_cows(), nod, jitter=1.5))
    assert engine.reps == []
    assert [e for e in engine.events if e.code == "not_this_exercise"]


def test_without_a_silhouette_the_back_tilt_stands_in(templates):
    def landmarks_only(make):
        return lambda **kwargs: make(**kwargs).with_outline(back_curve=float("nan"))

    cat_cows = run(templates["cat-cow"], sequence(nods_or_cat_cows(), landmarks_only(cat_cow), jitter=1.5))
    assert len(cat_cows.reps) == 3
    assert all("counted without seeing" in " ".join(rep.notes) for rep in cat_cows.reps)
    nods = run(templates["cat-cow"], sequence(nods_or_cat_cows(), landmarks_only(quadruped), jitter=1.5))
    assert nods.reps == []


SPINE = {"cat": -45.0, "cow": 35.0}  # the back-and-neck curve in each position: 80 degrees apart


def held(check, phase, back, frames=20, outline=float("nan")):
    """A visit to `phase` with the back's tilt at `back` (and its outline), as the first position of a rep."""
    check.visit(phase)
    for _ in range(frames):
        check.sample(phase, {("back", None): back, ("back_outline", None): outline,
                             ("spine", None): SPINE[phase]}, None)


def judged(check, phase, back, frames=3, outline=float("nan"), spine=None):
    """`phase` reached second, with the back's tilt at `back`: is it confirmed or, with no
    outline seen, not contradicted?"""
    check.start(phase)
    for _ in range(frames):
        check.observe({("back", None): back, ("back_outline", None): outline,
                       ("spine", None): SPINE[phase] if spine is None else spine}, None)
    return check.confirmed


def test_a_cycle_rule_compares_the_second_position_with_the_first(templates):
    check = IdentityCheck(templates["cat-cow"])
    held(check, "cat", 100.0, outline=0.05)
    check.visit("cow")
    assert not judged(check, "cow", 106.0, frames=5, outline=0.04)  # the back's outline barely moved: a nod
    assert check.contradiction().startswith("Only your head")
    assert judged(check, "cow", 106.0, outline=-0.03)
    # The other way round: a cat after a cow must round the back up from the cow's.
    held(check, "cow", 106.0, outline=-0.03)
    check.visit("cat")
    assert not judged(check, "cat", 99.0, outline=-0.02) and check.contradiction()
    assert judged(check, "cat", 99.0, outline=0.05)


def test_a_shallow_cycle_is_judged_by_how_far_the_back_moves_for_each_degree_of_the_curve(templates):
    """The cat-cow's outline rule is per degree of the back-and-neck curve's change: a cycle at
    half the depth moves the outline half as far, and still counts; a nod moves the curve as far
    as a deep cat-cow with the outline nearly still (rendered: 0.003-0.02 trunk lengths per 100
    degrees; cat-cows 0.032-0.19, shallow ones at 45 degrees of camera yaw included)."""
    check = IdentityCheck(templates["cat-cow"])
    held(check, "cat", 100.0, outline=0.02)
    check.visit("cow")
    assert judged(check, "cow", 103.0, outline=-0.005, spine=-5.0)  # 0.025 over 40 degrees: a shallow cow
    check = IdentityCheck(templates["cat-cow"])
    held(check, "cat", 100.0, outline=0.02)
    check.visit("cow")
    assert not judged(check, "cow", 103.0, frames=5, outline=0.005, spine=35.0)  # 0.015 over 80: a nod
    assert check.contradiction().startswith("Only your head")


def test_with_no_outline_the_back_tilt_can_only_refuse(templates):
    check = IdentityCheck(templates["cat-cow"])
    held(check, "cat", 100.0)
    check.visit("cow")
    assert not judged(check, "cow", 100.8, frames=5)  # the back's line barely moved: a nod
    assert check.contradiction().startswith("Only your head")
    assert not judged(check, "cow", 106.0)  # moved, but the outline was not seen:
    assert check.contradiction() == "" and check.unseen() == ["back's outline"]  # counted with a note


def test_a_cycle_rule_with_the_first_position_unseen_gives_the_benefit_of_the_doubt(templates):
    check = IdentityCheck(templates["cat-cow"])
    check.visit("cow")
    check.start("cow")
    for _ in range(5):
        check.observe({("back", None): 101.0, ("back_outline", None): -0.03}, None)
    assert not check.confirmed and check.contradiction() == "" and check.unseen() == ["back's outline"]


def test_a_camera_cut_keeps_the_position_already_held_as_the_reference(templates):
    check = IdentityCheck(templates["cat-cow"])
    held(check, "cat", 100.0, outline=0.05)
    check.reset(keep_positions=True)  # the same person from another angle (or a 3-D flip taken for one)
    check.visit("cow")
    assert not judged(check, "cow", 100.0, frames=5, outline=0.045)
    assert check.contradiction().startswith("Only your head")
    check.reset()  # someone new: nothing they did before stands
    check.visit("cow")
    assert not judged(check, "cow", 100.0, frames=5, outline=0.045) and check.contradiction() == ""
