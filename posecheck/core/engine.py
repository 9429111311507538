"""The exercise engine: a frame-at-a-time state machine, the same for live video and files.

It keeps only the order of work per frame; each step is a part that owns its state: the person
followed (main_person), the view (view_quality, guidance), the starting position (position_gate),
the phases (phases, conditions: hysteresis and minimum durations, so jitter near a threshold makes
no phantom reps), the identity check, counting (reach or cycle), holds, form rules, the rep's range
(rep_range, personal_range) and the cue on screen (guidance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from posecheck.core.conditions import Conditions
from posecheck.core.counting import RepLog, counting_for
from posecheck.core.events import RANGE_NOT_MEASURED, Event, Rep, reps_by_side
from posecheck.core.form_rules import FormRules, settled
from posecheck.core.guidance import Guidance, people_issues, required_parts, view_issues
from posecheck.core.holds import HoldJudge
from posecheck.core.identity import IdentityCheck
from posecheck.core.keypoints import Detection
from posecheck.core.main_person import MainPerson
from posecheck.core.personal_range import PersonalRange
from posecheck.core.phases import ActivePhase, Matches, PhaseMatcher
from posecheck.core.position_gate import PositionGate
from posecheck.core.range_view import Reading, RangeView, share_of_full
from posecheck.core.rep_range import RepRange, key_extreme_is_low, key_thresholds, measured_in_3d
from posecheck.core.signals import measure_all, visible_mask
from posecheck.core.smoothing import PoseSmoother
from posecheck.core.template import Template
from posecheck.core.view_quality import ABSENT_SECONDS, ViewWatch

UNSEEN_START_SECONDS = 1.0  # a position found this soon after the person is seen may have begun unseen
RANGE_NOT_SEEN = f"{RANGE_NOT_MEASURED}: the camera could not see it well (turn side-on, or come closer)"
START_NOT_SEEN = "You were already in the position when I first saw you: I'm timing your hold from now."


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
        self.events: list[Event] = []
        self.state = EngineState(hold_target=template.hold.target_seconds if template.hold else None)
        self.pose = None  # the smoothed pose of the last frame, for drawing
        self.people = MainPerson()
        self.view = ViewWatch()
        self.guidance = Guidance()
        self._required_parts = required_parts(template)
        conditions = Conditions(template.signals)
        self.gate = PositionGate(template.position, conditions)
        self.range = PersonalRange(template.range, key_thresholds(template)) if template.range else None
        self.matcher = PhaseMatcher(template, conditions, self.range, key_extreme_is_low(template))
        self.rep_range = RepRange(template, self.matcher.personal)
        self.range_view = RangeView(template, self.rep_range.key_value, self.rep_range.low)
        self.identity = IdentityCheck(template)
        self.holds = HoldJudge(template.hold, template.signals, template.key_signal, self.rep_range.low)
        self.log = RepLog()
        self.counting = counting_for(template, self.identity, self.log, self.holds)
        self.form = FormRules(template, conditions.met)
        self._key_in_3d = measured_in_3d(template, template.key_signal)
        self._current: ActivePhase | None = None
        self._candidate: tuple[str, str | None] | None = None
        self._candidate_since = 0.0
        self._last_time = -math.inf
        self._seen_since = 0.0  # when the person was last seen afresh (first, back in view, a cut)
        self._absent_since: float | None = None
        self._last_outside = -math.inf  # the last frame seen in position but in no counted phase
        self._view_unclear_in_rep = False  # the camera could not see well while this rep went on
        self._cut_off = False  # the phase being ended was cut off by the person stopping

    @property
    def reps(self) -> list[Rep]:
        return self.log.reps

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
            self._seen_afresh(t)
        self._last_time = self.state.time = t
        people = self.people.choose(detection.poses, t)
        self._tell(people_issues(people.main, people.others, people.main_side), t, new)
        view = self._follow_view(people.main, t, detection.picture_change, new)
        pose = people.main
        if pose is None:
            self._absent_since = t if self._absent_since is None else self._absent_since
            self.pose = None
            self.state.signals = {}
            self._end_phase_if_stale(t, new)
            return self._emit(new)
        if self._absent_since is not None and t - self._absent_since >= ABSENT_SECONDS:
            self._seen_afresh(t)
        self._absent_since = None
        pose = self.smoother(pose, t) if self.smoother is not None else pose
        self.pose = pose
        values = measure_all(self.template.signals, pose)
        self.holds.observe(values, t)
        self._tell(view_issues(self.template, self._required_parts, pose, visible_mask(pose)), t, new)
        self.guidance.issue("too_small", view.too_small, t, new)
        in_position = self.gate.update(values, t, pose, in_phase=self._current is not None) \
            or self._already_holding(values, t)
        self.guidance.issue("position", not in_position, t, new, self.template.position.guidance)
        self._update_phases(values, t, new)
        self._check_form(values, t, new)
        self._view_unclear_in_rep |= self.guidance.view_unclear()
        side = self._current.side if self._current else None
        key_value = self.rep_range.key_value(values, side)
        self.rep_range.observe(key_value, between_phases=self._current is None, in_position=in_position)
        self.range_view.observe(pose, side, in_position, in_phase=self._current is not None)
        # Learned only on frames that show the starting position themselves: the gate stays open
        # through a glitch, but a frame of misplaced landmarks is no resting value.
        if in_position and self.gate.met_now is not False:
            if self._current is None:
                self.identity.observe_rest(values)
            if self.range is not None:
                self.range.observe(t, key_value, between=self._current is None)
        if self._current is not None:
            self.holds.sample(self._current, values, key_value, t)
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

    # ----- view --------------------------------------------------------------------------------
    def _follow_view(self, pose, t: float, picture_change: float, new: list[Event]):
        """Watch the view for cuts (each shot its own take) and changes (learn afresh)."""
        view = self.view.update(pose, t, picture_change)
        if view.cut_at is not None and self._current is not None:
            # The same pose shown from another camera (an edited clip): each shot is its own take.
            self._end_phase(min(self._current.last_true, view.cut_at), new)
        if view.cut_at is not None:
            self._seen_afresh(view.cut_at)
        # Another view or another person: learn afresh. A cut to another angle moves what the
        # picture shows, but a key signal on the 3-D points keeps what it learned.
        if view.changed or (view.cut_at is not None and not self._key_in_3d):
            self.identity.reset(keep_positions=not view.changed)
            if self.range is not None:
                self.range.reset()
        return view

    def _seen_afresh(self, t: float) -> None:
        """The person is seen anew (first seen, back in view, after a cut): what they do now may
        have begun unseen."""
        self._seen_since = t
        self.holds.forget(t)
        self.rep_range.forget_rest()

    def _already_holding(self, values, t: float) -> bool:
        """Just seen, not in the starting position but already in a counted position that the
        starting position leads to (a clip that starts mid-hold): taken as in position, the hold
        timed from here."""
        if t - self._seen_since > UNSEEN_START_SECONDS or self.gate.met_now is not False \
                or not self.gate.would_keep(values):
            return False
        counted = self.template.counting.phases
        if not any(name in counted for name, _ in self.matcher.matches(values)):
            return False
        self.gate.assume_open()
        return True

    def _tell(self, issues, t: float, new: list[Event]) -> None:
        for code, active, text in issues:
            self.guidance.issue(code, active, t, new, text)

    # ----- phases and reps ---------------------------------------------------------------------
    def _update_phases(self, values, t: float, new: list[Event]) -> None:
        ready = self.gate.open and (self.range is None or self.range.ready)
        matches = self.matcher.matches(values) if ready else {}
        counted = self.template.counting.phases
        if ready and not any(name in counted for name, _ in matches):
            self._last_outside = t
        current = self._current
        if current is not None:
            key = (current.phase.name, current.side)
            if key in matches:
                current.still(t, matches[key])
                self._check_identity(current, values, t, new)
                self.holds.tick(current, t, new)
                return
            if t - current.last_true <= current.phase.grace_seconds and self.gate.open:
                return
            self._end_phase(current.last_true, new)
        self._follow_candidate(matches, values, t, new)

    def _follow_candidate(self, matches: Matches, values, t: float, new: list[Event]) -> None:
        """A phase starts once it has matched for its min_seconds."""
        candidate = self.matcher.best(matches, values)
        if candidate != self._candidate:
            self._candidate, self._candidate_since = candidate, t
        if candidate is None:
            return
        phase = self.template.phase(candidate[0])
        if t - self._candidate_since >= phase.min_seconds:
            self._start_phase(phase, candidate[1], self._candidate_since, matches[candidate], t, new)
            self._check_identity(self._current, values, t, new)

    def _end_phase_if_stale(self, t: float, new: list[Event]) -> None:
        current = self._current
        if current is not None and t - current.last_true > current.phase.grace_seconds:
            self._end_phase(current.last_true, new)

    def _start_phase(self, phase, side, start: float, hidden, t: float, new: list[Event]) -> None:
        seen = (self._last_outside > self._seen_since or self.rep_range.rest_seen
                or phase.name not in self.template.counting.phases)
        if not seen:  # already in the position when first seen: timed from then
            start = self._seen_since
            if self.template.hold and phase.name in self.template.hold.phases:
                new.append(Event("guidance", t, START_NOT_SEEN, side=side or "", code="start_not_seen"))
        timer = self.holds.timer_for(phase.name, side, start, start_seen=seen, now=t,
                                     way_out=self.matcher.release(phase))
        self._current = ActivePhase(phase, side, start, t, hidden, timer=timer)
        self.form.new_position()
        new.append(Event("phase", start, phase.label, side=side or "", code=phase.name))
        self.counting.started(self._current, t, new)

    def _check_identity(self, current: ActivePhase, values, t: float, new: list[Event]) -> None:
        """Count a pending rep once what tells the exercise apart from its look-alikes is seen."""
        if not (current.pending or self.identity.compares_positions):
            return
        settled_in = self.matcher.settled_in(current, values)
        if settled_in:
            self.identity.sample(current.phase.name, values, current.side)
        if not current.pending:
            return
        self.identity.observe(values, current.side, settled_in)
        if settled_in and self.identity.confirmed:
            current.pending = False
            self.counting.count_pending(current, t, new)

    def _end_phase(self, end: float, new: list[Event]) -> None:
        current, self._current = self._current, None
        self._candidate = None
        if current is None:
            return
        if current.pending and not self.counting.settle(current, end, new):
            return
        rep = self.log.open()
        for code, message in self.form.peaks(current, self.range):
            self._add_fault(code, message, current.start, current, rep, new)
        if current.timer is not None:  # a held phase
            self.holds.finish(current, end, rep, self._cut_off, new)
        if rep is not None and self.counting.ends_rep(current):
            self._end_rep(rep, current, end, new)

    def _end_rep(self, rep: Rep, current: ActivePhase, end: float, new: list[Event]) -> None:
        rep.end = round(end, 2)
        rep.reached = self.rep_range.reached(self.range) if self.range is not None else {}
        rep.range_of_motion, rep.peak = self.rep_range.measure()
        self._read_range_as_seen(rep, self.range_view.finish())
        self._view_unclear_in_rep = False
        if current.partial:
            rep.notes.append(f"counted without seeing your {' or '.join(current.partial)}")
        too_fast = self.form.tempo(rep)
        if too_fast is not None:
            rep.faults.append("too_fast")
            new.append(too_fast)
        new.append(Event("rep_done", end, f"Rep {rep.number} done", rep=rep.number, side=rep.side))

    def _read_range_as_seen(self, rep: Rep, reading: Reading) -> None:
        """The rep's range as the view allows: none where the camera could not see it or the body
        was turned from it, the picture's own angle where it saw a 3-D key side-on."""
        withheld = RANGE_NOT_SEEN if self._view_unclear_in_rep else reading.withheld
        if withheld:  # a figure the camera could not see is not given
            rep.range_of_motion, rep.reached = None, {}
            rep.notes.append(withheld)
        elif reading.span is not None and rep.range_of_motion is not None:
            rep.range_of_motion, rep.peak = round(reading.span, 1), round(reading.peak, 1)
            if self.range is not None and not self.range.two_way:
                rep.reached = {phase: share_of_full(self.range.spec, phase, reading.span) for phase in rep.reached}

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
            self._add_fault(rule.id, rule.message, since, current, self.log.open(), new)

    def _add_fault(self, code: str, message: str, t: float, current: ActivePhase, rep: Rep | None,
                   new: list[Event]) -> None:
        current.faults.add(code)
        if rep is not None and code not in rep.faults:
            rep.faults.append(code)
        new.append(Event("form", t, message, rep=rep.number if rep else None, side=current.side or "", code=code))

    # ----- state for the screen ----------------------------------------------------------------
    def _update_state(self, values, key_value: float | None, t: float) -> None:
        state, current = self.state, self._current
        state.in_position = self.gate.open
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
