"""The coach view: what a person on the mat reads from 2-3 m while the camera runs (the rep count
against its target, a hold bar that fills while the position is held, the one current cue), and
the summary that stays on screen after the session. Pure functions from a snapshot to HTML, so
they are tested without a browser; the page only places them."""

from __future__ import annotations

import html

from posecheck.core.summary import SessionSummary

# High contrast (WCAG AA and more) at sizes read from the floor; the figures scale with the screen.
STYLE = """
<style>
.coach-view {background:#10151f; color:#ffffff; border-radius:14px; padding:18px 22px; line-height:1.15;}
.coach-view .label {font-size:1.15rem; color:#e6e9ef; margin:0;}
.coach-view .count {font-size:clamp(3.2rem, 9vw, 6.5rem); font-weight:800; margin:0;}
.coach-view .count small {font-size:0.38em; font-weight:600; color:#e6e9ef;}
.coach-view .sides {font-size:1.4rem; margin:2px 0 10px 0;}
.coach-view .hold {font-size:clamp(1.4rem, 3vw, 2.2rem); font-weight:700; margin:10px 0 4px 0;}
.coach-view .bar {background:#3a4150; border-radius:8px; height:22px; overflow:hidden;}
.coach-view .fill {background:#f5b83d; height:22px;}
.coach-view .fill.done {background:#5ad06c;}
.coach-view .cue {font-size:clamp(1.4rem, 3vw, 2.1rem); font-weight:700; color:#ffd27a; margin:14px 0 0 0;}
.coach-view .phase {font-size:1.2rem; color:#b9f0c2; margin:8px 0 0 0;}
.session-summary {border:3px solid #1f7a35; border-radius:14px; padding:14px 20px; background:#f2fbf4; color:#111;}
.session-summary h3 {margin-top:0; color:#111;}
.session-summary li {font-size:1.15rem;}
.session-summary.pain {border-color:#b3261e; background:#fdf1f0;}
/* Buttons used from the mat: at least 44 px tall with readable text. */
div.stButton > button, div.stDownloadButton > button {min-height:48px; font-size:1.05rem;}
.stButtonGroup button[data-variant="pills"] {min-height:44px; min-width:44px; font-size:1.1rem;}
[data-testid="stCaptionContainer"], .stCaption {color:#4a4f57 !important;}
</style>
"""


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def sides_text(by_side: dict[str, int], each: int | None = None) -> str:
    """'left 2 · right 1' (with ' of 5' per side when the routine sets a number per side)."""
    of = f" of {each}" if each else ""
    return " · ".join(f"{side} {n}{of}" for side, n in sorted(by_side.items()) if side != "all")


def coach_html(state, frames: int, target: int | None = None, each_side: int | None = None,
               fallback_cue: str = "") -> str:
    """The live panel for an `EngineState`: count (against `target`), sides, hold, cue.
    `frames` (how many pictures the coach has read) is kept as a data attribute for tests."""
    count = f"{state.reps}" + (f" <small>of {target}</small>" if target else "")
    sides = sides_text(state.reps_by_side, each_side)
    parts = [f'<div class="coach-view" data-frames="{frames}" data-reps="{state.reps}">',
             '<p class="label">Reps</p>', f'<p class="count" id="coach-count">{count}</p>']
    if sides:
        parts.append(f'<p class="sides">{html.escape(sides)}</p>')
    if state.hold_elapsed is not None and state.hold_target:
        done = min(state.hold_elapsed / state.hold_target, 1.0)
        left = max(state.hold_target - state.hold_elapsed, 0.0)
        words = "Held. Well done." if done >= 1 else f"Hold {left:.0f} s more"
        parts += [f'<p class="hold" id="coach-hold">{words} ({state.hold_elapsed:.0f} / {state.hold_target:.0f} s)</p>',
                  f'<div class="bar"><div class="fill{" done" if done >= 1 else ""}" '
                  f'style="width:{done:.0%}"></div></div>']
    elif state.hold_target:
        parts.append(f'<p class="hold" id="coach-hold">Hold {state.hold_target:.0f} s in position</p>')
    cue = state.guidance or state.cue or fallback_cue
    if state.phase:
        parts.append(f'<p class="phase">{html.escape(state.phase)}</p>')
    parts.append(f'<p class="cue" id="coach-cue">{html.escape(cue or "Ready")}</p>')
    parts.append("</div>")
    return "".join(parts)


def summary_lines(summary: SessionSummary, pain_before: int | None = None, pain_after: int | None = None,
                  stopped_for_pain: bool = False) -> list[str]:
    """What the session did, in plain words: reps by side, holds against the target, the main form
    note (the most frequent), pain before and after. Hold shortfalls are not repeated as form notes."""
    sides = sides_text(summary.reps_by_side)
    lines = [plural(summary.reps, "rep") + (f" ({sides})" if sides else "")]
    holds, target = summary.holds_s, summary.hold_target_s
    if holds:
        against = f" (target {target:.0f} s)" if target else ""
        lines.append("Holds: " + ", ".join(f"{h:.0f} s" for h in holds) + against)
    how_far = summary.how_far()
    if how_far:
        lines.append(how_far)
    notes = summary.form_messages()
    if notes and not stopped_for_pain:
        lines.append(f"Main form note: {notes[0]}")
    if pain_before is not None or pain_after is not None:
        before = "not rated" if pain_before is None else f"{pain_before}/10"
        after = "not rated yet" if pain_after is None else f"{pain_after}/10"
        lines.append(f"Pain before {before}, after {after}")
    return lines


def summary_html(title: str, summary: SessionSummary, saved: bool, pain_before: int | None = None,
                 pain_after: int | None = None, stopped_for_pain: bool = False) -> str:
    heading = "Stopped because it hurts" if stopped_for_pain else f"{title}: session finished"
    items = "".join(f"<li>{html.escape(line)}</li>" for line in
                    summary_lines(summary, pain_before, pain_after, stopped_for_pain))
    saved_text = "Saved to your history." if saved else "Not saved: the history could not be opened."
    kind = "session-summary pain" if stopped_for_pain else "session-summary"
    return (f'<div class="{kind}" id="session-summary"><h3>{html.escape(heading)}</h3><ul>{items}</ul>'
            f"<p>{saved_text}</p></div>")
