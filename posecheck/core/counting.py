"""Counting reps, two ways a template can ask for:
- reach: a rep each time the one counted phase is reached (a knee to the chest);
- cycle: a rep once every counted phase has been reached in turn (a cat, then a cow).
A rep that needs the identity check (what tells the exercise from its look-alikes) waits,
`pending`, until that is seen, or is settled when its phase ends."""

from __future__ import annotations

from posecheck.core.events import Event, Rep
from posecheck.core.holds import HoldJudge
from posecheck.core.identity import IdentityCheck
from posecheck.core.phases import ActivePhase
from posecheck.core.template import Template


class RepLog:
    def __init__(self) -> None:
        self.reps: list[Rep] = []

    def count(self, start: float, t: float, side: str | None, new: list[Event]) -> Rep:
        rep = Rep(number=len(self.reps) + 1, side=side or "", start=round(start, 2), counted_at=round(t, 2))
        self.reps.append(rep)
        message = f"Rep {rep.number}" + (f" ({side})" if side else "")
        new.append(Event("rep", t, message, rep=rep.number, side=rep.side))
        return rep

    def open(self) -> Rep | None:
        """The last rep, while it has not ended."""
        return self.reps[-1] if self.reps and self.reps[-1].end is None else None


class Counting:
    def __init__(self, template: Template, identity: IdentityCheck, log: RepLog, holds: HoldJudge):
        self.phases = template.counting.phases
        self.identity = identity
        self.log = log
        self.holds = holds

    def started(self, active: ActivePhase, t: float, new: list[Event]) -> None:
        """A phase has begun: count a rep if it completes one."""
        raise NotImplementedError

    def count_pending(self, active: ActivePhase, t: float, new: list[Event]) -> None:
        raise NotImplementedError

    def ends_rep(self, active: ActivePhase) -> bool:
        """Whether the end of this phase is the end of the rep."""
        raise NotImplementedError

    def refused(self, active: ActivePhase) -> None:
        """A pending rep turned out to be another exercise."""

    def settle(self, active: ActivePhase, end: float, new: list[Event]) -> bool:
        """At the end of a pending phase: count it if nothing contradicted the exercise (saying
        what could not be seen), or say what the person did instead. True if it counted."""
        message = self.identity.contradiction()
        if message:
            new.append(Event("guidance", end, message, side=active.side or "", code="not_this_exercise"))
            self.refused(active)
            return False
        self.count_pending(active, end, new)
        self.log.reps[-1].notes.append(f"counted without seeing your {' or '.join(self.identity.unseen())}")
        return True

    def _begin_rep(self, active: ActivePhase) -> bool:
        """The identity check starts on the rep's last phase; False while the rep waits on it."""
        self.identity.start(active.phase.name)
        active.pending = self.identity.needed
        return not active.pending


class ReachCounting(Counting):
    def started(self, active, t, new):
        if active.phase.name == self.phases[0] and self._begin_rep(active):
            self.count_pending(active, t, new)

    def count_pending(self, active, t, new):
        self.log.count(active.start, t, active.side, new)

    def ends_rep(self, active):
        return active.phase.name == self.phases[0]


class CycleCounting(Counting):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.reached: dict[str, ActivePhase] = {}

    def started(self, active, t, new):
        if active.phase.name not in self.phases:
            return
        self.identity.visit(active.phase.name)
        self.reached[active.phase.name] = active
        if all(name in self.reached for name in self.phases) and self._begin_rep(active):
            self.count_pending(active, t, new)

    def count_pending(self, active, t, new):
        """Every position of the cycle was reached: a rep from the first of them."""
        first = min(p.start for p in self.reached.values())
        self._carry_into(self.log.count(first, t, active.side, new))
        self.reached = {}

    def ends_rep(self, active):
        return active.phase.name in self.phases and not self.reached

    def refused(self, active):
        self.reached = {active.phase.name: active}  # this position may still begin the next rep

    def _carry_into(self, rep: Rep) -> None:
        """A cycle's rep is counted at its last phase: give it the holds and faults of the phases
        that came before it."""
        holds = [p.held for p in self.reached.values() if p.held is not None]
        rep.hold_seconds = min(holds) if holds else None
        codes = [code for p in self.reached.values() for code in sorted(p.faults)]
        if self.holds.short(rep.hold_seconds):
            codes.append("hold_short")
        rep.faults.extend(code for code in dict.fromkeys(codes) if code not in rep.faults)


def counting_for(template: Template, identity: IdentityCheck, log: RepLog, holds: HoldJudge) -> Counting:
    rules = {"reach": ReachCounting, "cycle": CycleCounting}
    return rules[template.counting.rule](template, identity, log, holds)
