"""Pain and safety, as the programme asks: a short check before exercising, pain from 0 to 10
before and after, and the exercises that reliably lower this person's pain suggested more often.

Pure functions over plain records; the store keeps the numbers and the app asks the questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean
from typing import Iterable

# The programme's reasons not to exercise today: any "yes" means see a doctor first.
CONTRAINDICATIONS: tuple[tuple[str, str], ...] = (
    ("fever", "Fever"),
    ("chills", "Chills"),
    ("cold_sweat", "Cold sweat"),
    ("blood_pressure", "Very high or very low blood pressure"),
    ("heart_rate", "A racing or a very slow heart"),
    ("sudden_pain", "Sudden, severe pain"),
)
SEE_A_DOCTOR = ("Please don't exercise today. {reasons} can be a sign that something else is going on, "
                "and exercise could make it worse. Rest, and see a doctor (or call your local emergency "
                "number if you feel very unwell or the pain is severe).")
PAIN_SCALE = range(0, 11)  # 0 no pain, 10 the worst imaginable

# "Reliably lowers the pain": over at least this many sessions with pain before and after, the
# pain dropped on average by at least this much, and dropped in at least this share of them.
MIN_SESSIONS = 3
MIN_MEAN_DROP = 1.0
MIN_SHARE_LOWER = 0.6


@dataclass(frozen=True)
class Screening:
    ok: bool  # no reason found not to exercise today
    reasons: tuple[str, ...] = ()  # codes from CONTRAINDICATIONS answered "yes"
    message: str = ""  # what to tell the user when not ok


def screen(answers: dict[str, bool]) -> Screening:
    """The pre-session check. Unanswered questions count as "no"; unknown codes are an error."""
    unknown = set(answers) - {code for code, _ in CONTRAINDICATIONS}
    if unknown:
        raise ValueError(f"not a screening question: {', '.join(sorted(unknown))}")
    reasons = tuple(code for code, _ in CONTRAINDICATIONS if answers.get(code))
    if not reasons:
        return Screening(True)
    return Screening(False, reasons, SEE_A_DOCTOR.format(reasons=_list_in_words(reasons)))


def _list_in_words(codes: tuple[str, ...]) -> str:
    words = {"fever": "a fever", "chills": "chills", "cold_sweat": "a cold sweat",
             "blood_pressure": "very high or low blood pressure", "heart_rate": "a racing or very slow heart",
             "sudden_pain": "sudden severe pain"}
    named = [words[c] for c in codes]
    text = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return text[0].upper() + text[1:]


def check_pain(value) -> int:
    """A pain rating as given by a user: a whole number from 0 to 10."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in PAIN_SCALE:
        raise ValueError(f"pain is rated from 0 to 10, got {value!r}")
    return value


@dataclass(frozen=True)
class PainRecord:
    exercise: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        """After minus before: negative when the exercise lowered the pain."""
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class Relief:
    exercise: str
    sessions: int  # sessions with pain rated before and after
    mean_change: float  # average of after - before (negative: lower after)
    share_lower: float  # share of those sessions where the pain was lower after

    @property
    def reliable(self) -> bool:
        return (self.sessions >= MIN_SESSIONS and -self.mean_change >= MIN_MEAN_DROP
                and self.share_lower >= MIN_SHARE_LOWER)


def relief_by_exercise(records: Iterable[PainRecord]) -> dict[str, Relief]:
    """Per exercise, how the pain changed across the sessions rated before and after."""
    changes: dict[str, list[int]] = {}
    for record in records:
        if record.change is not None:
            changes.setdefault(record.exercise, []).append(record.change)
    return {name: Relief(name, len(values), round(mean(values), 2), round(sum(v < 0 for v in values) / len(values), 2))
            for name, values in changes.items()}


def helpful_exercises(records: Iterable[PainRecord]) -> list[Relief]:
    """The exercises that reliably lower this person's pain, the best first: the programme says
    to repeat those more often."""
    reliable = [r for r in relief_by_exercise(records).values() if r.reliable]
    return sorted(reliable, key=lambda r: r.mean_change)


def suggestion(relief: Relief, title: str) -> str:
    return (f"{title} has lowered your pain by {-relief.mean_change:.1f} points on average over "
            f"{relief.sessions} sessions: do it more often (the programme's advice), for example one extra set.")
