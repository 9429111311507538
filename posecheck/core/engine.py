"""The exercise engine: a frame-at-a-time state machine, the same for live video and files.

Per frame: smooth the landmarks, measure the template's signals, check the person is in view and
in the starting position, follow the phases (with hysteresis and minimum durations, so jitter
near a threshold makes no phantom reps), count reps, time holds, check form rules and emit events.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from posecheck.core.events import Event, Rep, reps_by_side
from posecheck.core.hold_timer import HoldTimer
from posecheck.core.identity import IdentityCheck
from posecheck.core.keypoints import Detection, Pose
from posecheck.core.main_person import MainPerson, People
from posecheck.core.personal_range import PersonalRange
from posecheck.core.signals import measure_all, value_of, visible_mask
from posecheck.core.form_rules import FormRules, settled
from posecheck.core.guidance import Guidance, facing_camera, missing_part, required_parts
from posecheck.core.smoothing import PoseSmoother
from posecheck.core.template import SIDES, Condition, Phase, Template, key_unit
from posecheck.core.view_quality import ABSENT_SECONDS, ViewWatch

POSITION_ENTER_SECONDS = 0.25
POSITION_LEAVE_SECONDS = 1.0


@dataclass
class ActivePhase:
    phase: Phase
    side: str | None
    start: float
    last_true: float
    partial: tuple[str, ...] = ()  # parts that were hidden while this phase was recognised
    faults: set[str] = field(default_factory=set)
    held: float | None = None  # seconds, once a held phase has ended
    timer: HoldTimer | None = None  # for a held phase: times the hold, says when it is held
    peaks: dict[str, float] = field(default_factory=dict)  # peak-rule signal -> its extreme so far
    pending: bool = False  # counted once what tells the exercise apart has been seen (identity)


@dataclass
class EngineState:
    """A snapshot for overlays and live pages."""

    time: float = 0.0
    in_position: bool = False
    phase: str = ""  # label of the current phase, "" when none
    side: str = ""
    reps: int = 0
    reps_by_side: dict[str, int] = field(default_factory=dict)
    hold_elapsed: float | None = None
    hold_target: float | None = None
    cue: str = ""
    guidance: str = ""
    key_value: float | None = None
    signals: dict[str, float] = field(default_factory=dict)


class Engine:
    def __init__(self, template: Template, smoothing: bool = True):
        self.template = template
        uses_world = any(signal.space == "world" for signal in template.signals.values())
        self.smoother = PoseSmoother(world=uses_world) if smoothing else None
        self.reps: list[Rep] = []
        self.events: list[Event] = []
        self.state = EngineState(hold_target=template.hold.target_seconds if template.hold else None)
        self.pose: Pose | None = None  # the smoothed pose of the last frame, for drawing
        self._hysteresis: dict[tuple, bool] = {}
        self._position_since: float | None = None
        self._position_lost_since: float | None = None
        self._in_position = False
        self._current: ActivePhase | None = None
        self._candidate: tuple[str, str | None] | None = None
        self._candidate_since = 0.0
        self._reached: dict[str, ActivePhase] = {}
        # The key signal's lowest and highest values since the last rep ended (only these two: a
        # list of every value grew with every frame while no rep ended, e.g. through a long pause).
        self._rep_extremes = (math.inf, -math.inf)
        # Whether the key signal was seen back at rest since the last rep ended: a rep that starts
        # already in the position (a clip that begins mid-hold, a camera cut) has no range to report.
        self._rest_seen = False
        self.form = FormRules(template, self._condition)
        self.guidance = Guidance()
        self._last_hold_tick = 0
        self._last_time = -math.inf
        self._cut_off = False  # the phase being ended was cut off by the person stopping
        self._key_low = _key_extreme_is_low(template)
        self._key_condition = _counted_key_condition(template)
        self._key_digits = 1 if key_unit(template) == "degrees" else 2  # torso lengths need two
        self._key_in_3d = _measured_in_3d(template, template.key_signal)
        self._required_parts = required_parts(template)
        self.range = PersonalRange(template.range, _key_thresholds(template)) if template.range else None
        self.identity = IdentityCheck(template)
        self.view = ViewWatch()
        self.people = MainPerson()

    # ----- the per-frame entry point -----------------------------------------------------------
    def update(self, detection: Detection) -> list[Event]:
        t = detection.timestamp
        if not (math.isfinite(t) and t > self._last_time):
            # Stamped at or before the last frame (a repeating or glitching clock): it tells nothing
            # new in time. Skipped, no duration can come out negative and, should the clock stand
            # still, no window kept over time (range, view, hold) can grow with every frame.
            return []
        new: list[Event] = []
        if t - self._last_time >= ABSENT_SECONDS:
            # No frames for a while (a stalled camera, a cut in a video): a position that was only
            # beginning must be seen afresh, for its min_seconds, not credited with the unseen gap.
            self._candidate = None
        self._last_time = t
        self.state.time = t
        people = self.people.choose(detection.poses, t)
        pose = people.main
        self._check_people(people, t, new)
        view = self.view.update(pose, t)
        if view.cut_at is not None and self._current is not None:
            # The same pose shown from another camera (an edited clip): each shot is its own take.
            self._end_phase(min(self._current.last_true, view.cut_at), new)
        # Another view or another person: learn afresh. A cut to another angle moves what the
        # picture shows, but a key signal on the 3-D points keeps what it learned.
        if view.changed or (view.cut_at is not None and not self._key_in_3d):
            self.identity.reset(keep_positions=not view.changed)
            if self.range is not None:
                self.range.reset()
        if pose is None:
            self.pose = None
            self.state.signals = {}
            self._end_phase_if_stale(t, new)
            return self._emit(new)
        pose = self.smoother(pose, t) if self.smoother is not None else pose
        self.pose = pose
        values = measure_all(self.template.signals, pose)
        self._check_view(pose, t, new)
        self._issue("too_small", view.too_small, t, new)
        self._update_position(values, t, new)
        self._update_phases(values, t, new)
        self._check_form(values, t, new)
        key_value = self._key_value(values)
        if key_value is not None:
            low, high = self._rep_extremes
            self._rep_extremes = (min(low, key_value), max(high, key_value))
            self._rest_seen = self._rest_seen or (self._current is None and self._at_rest(key_value))
        if self._in_position:
            if self._current is None:
                self.identity.observe_rest(values)
            if self.range is not None:
                self.range.observe(t, key_value, between=self._current is None)
        self._sample_hold(values, key_value, t)
        self._update_state(values, key_value, t)
        return self._emit(new)

    def finish(self, stopped: bool = False) -> list[Event]:
        """Close what is still open at the end of a clip or session (a hold still running counts).
        `stopped`: the person ended the session (STOP, "it hurts"): a hold it cut off is timed but
        not judged short, since it was not the person's hold that ended it."""
        new: list[Event] = []
        if self._current is not None:
            self._cut_off = stopped
            self._end_phase(self._last_time, new)
            self._cut_off = False
        return self._emit(new)

    # ----- people, view and framing ------------------------------------------------------------
    def _check_people(self, people: People, t: float, new: list[Event]) -> None:
        self._issue("no_person", people.main is None, t, new)
        crowded = people.main is not None and people.others > 0
        self._issue("two_people", crowded, t, new,
                    f"Someone else is in view: I'm following the person on the {people.main_side}. Only the "
                    "person exercising should be in the frame." if crowded else "")

    def _check_view(self, pose: Pose, t: float, new: list[Event]) -> None:
        visible = visible_mask(pose)
        if self.template.view == "side":
            self._issue("turn_side_on", facing_camera(pose, visible), t, new)
        missing = missing_part(self._required_parts, visible)
        self._issue("out_of_frame", missing is not None, t, new,
                    f"I can't see your {missing}: move so your whole body is in the frame." if missing else "")

    # ----- position gate -----------------------------------------------------------------------
    def _update_position(self, values, t: float, new: list[Event]) -> None:
        ok = self._position_met(values)
        if ok is None:  # cannot tell: keep what we had
            ok = self._in_position
        if ok:
            self._position_lost_since = None
            self._position_since = t if self._position_since is None else self._position_since
            if not self._in_position and t - self._position_since >= POSITION_ENTER_SECONDS:
                self._in_position = True
        else:
            self._position_since = None
            self._position_lost_since = t if self._position_lost_since is None else self._position_lost_since
            if self._in_position and t - self._position_lost_since >= POSITION_LEAVE_SECONDS:
                self._in_position = False
        self._issue("position", not self._in_position, t, new, self.template.position.guidance)

    def _position_met(self, values) -> bool | None:
        """Whether the starting position holds for either side (with hysteresis); None if unseen."""
        results = []
        for s in SIDES:
            result = True
            for i, condition in enumerate(self.template.position.conditions):
                value = self._condition_for(condition, values, s, ("position", i))
                if value is None:
                    result = None if result is not False else False
                elif not value:
                    result = False
            results.append(result)
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False

    def _condition_for(self, condition: Condition, values, side, key) -> bool | None:
        """The condition for `side`, or for either side when it says `any_side`."""
        if not condition.any_side:
            return self._condition(condition, values, side, key + (side,))
        # MediaPipe can swap left and right limbs in side views: let either side meet it.
        results = [self._condition(condition, values, s, key + (s,)) for s in SIDES]
        return True if True in results else (None if None in results else False)

    def _condition(self, condition: Condition, values, side, key) -> bool | None:
        value = value_of(values, self.template.signals[condition.signal], side)
        if not math.isfinite(value):
            return None
        previous = self._hysteresis.get(key, False)
        now = condition.holds(value) if previous else condition.enters(value)
        self._hysteresis[key] = now
        return now

    # ----- phases, reps and holds --------------------------------------------------------------
    def _phase_match(self, phase: Phase, values, side) -> tuple[bool, tuple[str, ...]]:
        """Whether the phase's conditions hold for this side, and which hidden parts were let pass."""
        seen_true, hidden = False, []
        for i, condition in enumerate(phase.conditions):
            condition = self._personal(phase.name, condition)
            result = self._condition_for(condition, values, side, ("phase", phase.name, i))
            if result is False:
                return False, ()
            if result is None:
                if not condition.hidden_ok:
                    return False, ()
                hidden.append(condition.hidden_part)
            else:
                seen_true = True
        return seen_true, tuple(hidden)

    def _personal(self, phase: str, condition: Condition) -> Condition:
        """The key signal's condition for this person: thresholds from their own rest and range."""
        if self.range is None or condition.signal != self.template.key_signal or phase not in self.range.spec.full:
            return condition
        enter, release = self.range.thresholds(phase)
        return replace(condition, threshold=enter, release=release)

    def _update_phases(self, values, t: float, new: list[Event]) -> None:
        sides = SIDES if self.template.sides else (None,)
        matches = {}
        if self._in_position and (self.range is None or self.range.ready):
            for phase in self.template.phases:
                for side in sides:
                    ok, hidden = self._phase_match(phase, values, side)
                    if ok:
                        matches[(phase.name, side)] = hidden
        current = self._current
        if current is not None:
            key = (current.phase.name, current.side)
            if key in matches:
                current.last_true = t
                if matches[key]:
                    current.partial = tuple(dict.fromkeys(current.partial + matches[key]))
                self._check_identity(current, values, t, new)
                self._tick_hold(current, t, new)
                return
            if t - current.last_true <= current.phase.grace_seconds and self._in_position:
                return
            self._end_phase(current.last_true, new)
        candidate = self._best_match(matches, values)
        if candidate != self._candidate:
            self._candidate, self._candidate_since = candidate, t
        if candidate is None:
            return
        phase = self.template.phase(candidate[0])
        if t - self._candidate_since >= phase.min_seconds:
            self._start_phase(phase, candidate[1], self._candidate_since, matches[candidate], t, new)
            self._check_identity(self._current, values, t, new)

    def _best_match(self, matches, values):
        """The first matching phase; where both sides match, the side moving furthest (key signal)."""
        if not matches:
            return None
        phase_name = next(iter(matches))[0]
        sides = [side for name, side in matches if name == phase_name]
        if len(sides) == 1:
            return (phase_name, sides[0])
        key = self.template.signals[self.template.key_signal]
        low = self._key_low

        def extremeness(side):
            value = value_of(values, key, side)
            return -math.inf if not math.isfinite(value) else (-value if low else value)

        return (phase_name, max(sides, key=extremeness))

    def _end_phase_if_stale(self, t: float, new: list[Event]) -> None:
        current = self._current
        if current is not None and t - current.last_true > current.phase.grace_seconds:
            self._end_phase(current.last_true, new)

    def _start_phase(self, phase: Phase, side, start: float, hidden, t: float, new: list[Event]) -> None:
        hold = self.template.hold
        timer = HoldTimer() if hold and phase.name in hold.phases else None
        self._current = ActivePhase(phase, side, start, t, hidden, timer=timer)
        self._last_hold_tick = 0
        self.form.new_position()
        new.append(Event("phase", start, phase.label, side=side or "", code=phase.name))
        counting = self.template.counting
        if counting.rule == "reach":
            if phase.name == counting.phases[0]:
                self.identity.start(phase.name)
                self._current.pending = self.identity.needed
                if not self._current.pending:
                    self._count(start, t, side, new)
        elif phase.name in counting.phases:
            self.identity.visit(phase.name)
            self._reached[phase.name] = self._current
            if all(name in self._reached for name in counting.phases):
                self.identity.start(phase.name)
                self._current.pending = self.identity.needed
                if not self._current.pending:
                    self._count_cycle(t, side, new)

    def _check_identity(self, current: ActivePhase, values, t: float, new: list[Event]) -> None:
        """Count a pending rep once what tells the exercise apart from its look-alikes is seen."""
        if not (current.pending or self.identity.compares_positions):
            return
        settled = self._settled_in(current, values)
        if settled:
            self.identity.sample(current.phase.name, values, current.side)
        if not current.pending:
            return
        self.identity.observe(values, current.side, settled)
        if settled and self.identity.confirmed:
            current.pending = False
            self._count_pending(current, t, new)

    def _settled_in(self, current: ActivePhase, values) -> bool:
        """Whether the key signal is past the phase's entry threshold, not just inside its
        hysteresis band: identity is judged in the position itself, not on the way in or out
        (a sit-up lowering its back while the knee angle is still small is no knee-to-chest)."""
        for condition in current.phase.conditions:
            if condition.signal != self.template.key_signal:
                continue
            condition = self._personal(current.phase.name, condition)
            sides = SIDES if condition.any_side else (current.side,)
            signal = self.template.signals[condition.signal]
            found = [value_of(values, signal, s) for s in sides]
            if not any(math.isfinite(v) and condition.enters(v) for v in found):
                return False
        return True

    def _settle_identity(self, current: ActivePhase, end: float, new: list[Event]) -> bool:
        """At the end of a pending phase: count it if nothing contradicted the exercise (saying
        what could not be seen), or say what the person did instead. True if it counted."""
        message = self.identity.contradiction()
        if message:
            new.append(Event("guidance", end, message, side=current.side or "", code="not_this_exercise"))
            if self.template.counting.rule == "cycle":  # this position may still begin the next rep
                self._reached = {current.phase.name: current}
            return False
        self._count_pending(current, end, new)
        self.reps[-1].notes.append(f"counted without seeing your {' or '.join(self.identity.unseen())}")
        return True

    def _count_pending(self, current: ActivePhase, t: float, new: list[Event]) -> None:
        if self.template.counting.rule == "cycle":
            self._count_cycle(t, current.side, new)
        else:
            self._count(current.start, t, current.side, new)

    def _count_cycle(self, t: float, side, new: list[Event]) -> None:
        """Every position of the cycle was reached: a rep from the first of them."""
        first = min(p.start for p in self._reached.values())
        self._count(first, t, side, new)
        self._carry_into_rep(self.reps[-1])
        self._reached = {}

    def _carry_into_rep(self, rep: Rep) -> None:
        """A cycle's rep is counted at its last phase: give it the holds and faults of the phases
        that came before it."""
        holds = [p.held for p in self._reached.values() if p.held is not None]
        rep.hold_seconds = min(holds) if holds else None
        codes = [code for p in self._reached.values() for code in sorted(p.faults)]
        hold = self.template.hold
        if hold and rep.hold_seconds is not None and rep.hold_seconds < hold.target_seconds:
            codes.append("hold_short")
        rep.faults.extend(code for code in dict.fromkeys(codes) if code not in rep.faults)

    def _count(self, start: float, t: float, side, new: list[Event]) -> None:
        rep = Rep(number=len(self.reps) + 1, side=side or "", start=round(start, 2),
                  counted_at=round(t, 2))
        self.reps.append(rep)
        message = f"Rep {rep.number}" + (f" ({side})" if side else "")
        new.append(Event("rep", t, message, rep=rep.number, side=rep.side))

    def _end_phase(self, end: float, new: list[Event]) -> None:
        current, self._current = self._current, None
        self._candidate = None
        if current is None:
            return
        if current.pending and not self._settle_identity(current, end, new):
            return
        rep = self.reps[-1] if self.reps and self.reps[-1].end is None else None
        for code, message in self.form.peaks(current, self.range):
            self._add_fault(code, message, current.start, current, rep, new)
        if current.timer is not None:  # a held phase
            seconds = current.timer.seconds(current.start, end)
            current.held = seconds
            self._finish_hold(current, seconds, end, rep, new)
        if rep is not None and rep.end is None and self._ends_rep(current):
            rep.end = round(end, 2)
            rep.range_of_motion, rep.peak = self._range_of_motion()
            if current.partial:
                rep.notes.append(f"counted without seeing your {' or '.join(current.partial)}")
            too_fast = self.form.tempo(rep)
            if too_fast is not None:
                rep.faults.append("too_fast")
                new.append(too_fast)
            new.append(Event("rep_done", end, f"Rep {rep.number} done", rep=rep.number, side=rep.side))
            self._rep_extremes = (math.inf, -math.inf)
            self._rest_seen = False

    def _sample_hold(self, values, key_value: float | None, t: float) -> None:
        current = self._current
        if current is None or current.timer is None or current.last_true != t:
            return
        name = self.template.hold.signal
        if name is None:
            current.timer.add(t, math.nan if key_value is None else key_value)
        else:
            current.timer.add(t, value_of(values, self.template.signals[name], current.side))

    def _add_fault(self, code: str, message: str, t: float, current: ActivePhase, rep: Rep | None,
                   new: list[Event]) -> None:
        current.faults.add(code)
        if rep is not None and code not in rep.faults:
            rep.faults.append(code)
        new.append(Event("form", t, message, rep=rep.number if rep else None, side=current.side or "", code=code))

    def _ends_rep(self, phase: ActivePhase) -> bool:
        counting = self.template.counting
        if counting.rule == "reach":
            return phase.phase.name == counting.phases[0]
        return phase.phase.name in counting.phases and not self._reached

    def _finish_hold(self, current: ActivePhase, seconds: float, end: float, rep, new) -> None:
        target = self.template.hold.target_seconds
        label = current.phase.label
        if rep is not None:
            rep.hold_seconds = seconds if rep.hold_seconds is None else min(rep.hold_seconds, seconds)
        if seconds < target and not self._cut_off:
            message = f"{label}: held {seconds:.0f} s of {target:.0f} s. Hold {target - seconds:.0f} s longer next time."
            new.append(Event("form", end, message, rep=rep.number if rep else None,
                             side=current.side or "", code="hold_short", seconds=seconds))
            if rep is not None and "hold_short" not in rep.faults:
                rep.faults.append("hold_short")
        maximum = self.template.hold.max_seconds
        if maximum and seconds > maximum:
            new.append(Event("form", end, f"{label}: held {seconds:.0f} s; {maximum:.0f} s is enough.",
                             rep=rep.number if rep else None, code="hold_long", seconds=seconds))
        new.append(Event("hold", end, f"{label} held {seconds:.1f} s", rep=rep.number if rep else None,
                         side=current.side or "", code=current.phase.name, seconds=seconds))

    def _tick_hold(self, current: ActivePhase, t: float, new: list[Event]) -> None:
        if current.timer is None:  # not a held phase
            return
        hold = self.template.hold
        elapsed = int(t - current.start)
        if elapsed > self._last_hold_tick:
            self._last_hold_tick = elapsed
            left = hold.target_seconds - elapsed
            message = f"Hold {left:.0f} s more" if left > 0 else "Hold complete: well done"
            new.append(Event("hold_progress", t, message, side=current.side or "",
                             code=current.phase.name, seconds=float(elapsed)))

    def _key_value(self, values) -> float | None:
        """The key signal for the current side; with no side yet, the side moving furthest."""
        key = self.template.signals[self.template.key_signal]
        side = self._current.side if self._current else None
        sides = ([side] if side else list(SIDES)) if key.per_side else [None]
        found = [values[(key.name, s)] for s in sides if math.isfinite(values[(key.name, s)])]
        if not found:
            return None
        return min(found) if self._key_low else max(found)

    def _range_of_motion(self) -> tuple[float | None, float | None]:
        low, high = self._rep_extremes
        if low > high:  # no value seen
            return None, None
        peak = round(low if self._key_low else high, self._key_digits)
        if self._key_condition is not None and not self._rest_seen:
            return None, peak  # the way in was not seen: a span would only be the hold's wobble
        return round(high - low, self._key_digits), peak

    def _at_rest(self, value: float) -> bool:
        """Whether the key signal is back past the counted phase's release, towards rest."""
        if self._key_condition is None:
            return True
        phase = self.template.counting.phases[0]
        release = self._personal(phase, self._key_condition).release
        return value > release if self._key_low else value < release

    # ----- form rules --------------------------------------------------------------------------
    def _check_form(self, values, t: float, new: list[Event]) -> None:
        current = self._current
        if current is None or current.last_true != t:
            return
        self.form.track_peaks(current, values)
        # Judge form only in the settled position: not while moving in, nor during the exit grace;
        # and not while the view is too poor to see it (the user is told what to change).
        if not settled(current, t) or self.guidance.view_unclear():
            return
        for rule, since in self.form.during(current, values, t):
            rep = self.reps[-1] if self.reps and self.reps[-1].end is None else None
            self._add_fault(rule.id, rule.message, since, current, rep, new)

    # ----- guidance and state ------------------------------------------------------------------
    def _issue(self, code: str, active: bool, t: float, new: list[Event], text: str = "") -> None:
        self.guidance.issue(code, active, t, new, text)

    def _update_state(self, values, key_value: float | None, t: float) -> None:
        state, current = self.state, self._current
        state.in_position = self._in_position
        state.phase = current.phase.label if current else ""
        state.side = (current.side or "") if current else ""
        state.reps = len(self.reps)
        state.reps_by_side = reps_by_side(self.reps)
        held = current is not None and current.timer is not None
        # The same reading the hold is saved with, so the screen never shows more than is kept.
        state.hold_elapsed = current.timer.seconds(current.start, t) if held else None
        state.key_value = key_value
        state.signals = {f"{n}:{s}" if s else n: v for (n, s), v in values.items() if math.isfinite(v)}
        state.guidance = self.guidance.message

    def _emit(self, new: list[Event]) -> list[Event]:
        self.state.cue = self.guidance.cue(self.state.cue, self.state.time, new)
        self.events.extend(new)
        return new


def _key_extreme_is_low(template: Template) -> bool:
    """Whether the key signal's target is a low value (e.g. a hip angle closing), from the
    direction of its condition in the counted phase."""
    target = template.phase(template.counting.phases[0])
    for condition in target.conditions:
        if condition.signal == template.key_signal:
            return condition.direction == "below"
    return False


def _counted_key_condition(template: Template) -> Condition | None:
    """The key signal's condition in the one counted phase of a "reach" template (None for a
    cycle, whose reps sweep from one end to the other and always show their range)."""
    if template.counting.rule != "reach":
        return None
    phase = template.phase(template.counting.phases[0])
    return next((c for c in phase.conditions if c.signal == template.key_signal), None)


def _key_thresholds(template: Template) -> dict[str, float]:
    """Per counted phase, the template's own threshold on the key signal."""
    out = {}
    for name in template.counting.phases:
        for condition in template.phase(name).conditions:
            if condition.signal == template.key_signal:
                out[name] = condition.threshold
    return out


def _measured_in_3d(template: Template, name: str) -> bool:
    """Whether a signal (or every signal a derived one combines) is measured on the 3-D points."""
    signal = template.signals[name]
    if signal.signals:
        return all(_measured_in_3d(template, part) for part in signal.signals)
    return signal.space == "world"
