"""What a clinician changes in a learned template before saving it (the Teach page): its name and
title, each target's threshold on the key signal, the hold target, and identity rules taken from
an existing exercise. Pure: template text in, template text out, checked by the ordinary parser.

The text is edited line by line where the learned file (core/learn_template.py) writes the value,
so its comments (what was found, how sure) stay; every edit is read back with the parser and a
value that did not land where asked is an AdjustError, never a silently different file.

Identity against look-alikes cannot be learned from one clip (it shows what the exercise is, not
what it is not). `borrow_identity` copies another template's [[identity]] rules that can apply:
each rule's phase is mapped onto the learned exercise's (its one target; or, for a two-way cycle,
the position reached the same way on the same measurement as its key signal), and the signals it
reads come along (under the learned template's name for the same measurement, else their own).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from posecheck.core.routine_builder import toml_value
from posecheck.core.template import DERIVED_KINDS, OUTLINE_KIND, Condition, Identity, Signal, Template, TemplateError
from posecheck.core.template_parser import parse_template

NAME_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_NAME = 60
HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(#.*)?$")
HOLD_STEP = re.compile(r"Hold each position for about [0-9.]+ seconds\.")


class AdjustError(ValueError):
    """The change cannot be made; the message is one sentence saying why."""


# ----- names --------------------------------------------------------------------------------------

def name_problem(name: str) -> str | None:
    """Why `name` cannot name an exercise file, or None when it can."""
    if not name:
        return "Give the exercise a name."
    if len(name) > MAX_NAME:
        return f"The name is {len(name)} characters long: keep it to {MAX_NAME} or fewer."
    if not NAME_PATTERN.fullmatch(name):
        return (f"The name {name!r} must be lower-case letters and digits, words joined by '-' (like 'hip-hinge'): "
                "it is the exercise's file name.")
    return None


def name_from(text: str) -> str:
    """A file name made from a title or a clip's name: 'My Hip Hinge (side).mp4' -> 'my-hip-hinge-side'."""
    text = re.sub(r"\.[A-Za-z0-9]{2,4}$", "", text.strip())
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:MAX_NAME].strip("-")


# ----- what the template asks now ----------------------------------------------------------------

def key_condition(template: Template, phase: str) -> Condition | None:
    return next((c for c in template.phase(phase).conditions if c.signal == template.key_signal), None)


def target_thresholds(template: Template) -> dict[str, float]:
    """Each counted phase's threshold on the key signal (what the Teach page lets a clinician change)."""
    found = {}
    for phase in template.counting.phases:
        condition = key_condition(template, phase)
        if condition is not None:
            found[phase] = condition.threshold
    return found


def hold_seconds(template: Template) -> float:
    """The hold target in seconds, 0 when the exercise is not held."""
    return float(template.hold.target_seconds) if template.hold else 0.0


# ----- the text, line by line --------------------------------------------------------------------

@dataclass
class Section:
    """A table of the file: its header's line index (None: the top level) and its lines' span."""

    name: str
    array: bool
    header: int | None
    end: int  # one past its last line


def sections(lines: list[str]) -> list[Section]:
    found = [Section("", False, None, len(lines))]
    for i, line in enumerate(lines):
        match = HEADER.match(line)
        if match:
            found[-1].end = i
            found.append(Section(match.group(2), match.group(1) == "[[", i, len(lines)))
    return found


def value_at(lines: list[str], section: Section, key: str) -> tuple[int, int, object] | None:
    """The first line, one past the last line, and the value of `key` in `section` (a value may
    run over several lines, as a list does)."""
    start = 0 if section.header is None else section.header + 1
    for i in range(start, section.end):
        text = lines[i].split("#", 1)[0] if lines[i].lstrip().startswith("#") else lines[i]
        if "=" not in text or text.split("=", 1)[0].strip() != key:
            continue
        for j in range(i + 1, section.end + 1):
            try:
                return i, j, tomllib.loads("\n".join(lines[i:j]))[key]
            except tomllib.TOMLDecodeError:
                continue
        return None
    return None


def inline(value) -> str:
    """A value as TOML on one line: tables inline, lists in brackets."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    return toml_value(value)


def set_value(lines: list[str], section: Section, key: str, value, multiline: bool = False) -> None:
    found = value_at(lines, section, key)
    if found is None:
        raise AdjustError(f"The learned file has no {key!r} in its {section.name or 'top'} table to change.")
    first, last, _ = found
    if multiline and isinstance(value, list):
        text = [f"{key} = ["] + [f"  {inline(v)}," for v in value] + ["]"]
    else:
        text = [f"{key} = {inline(value)}"]
    lines[first:last] = text  # the lines after it move: callers take sections afresh after each change


def find_section(lines: list[str], name: str, where: tuple[str, object] | None = None) -> Section | None:
    """The table `name` (the first of an array of tables whose `where` key has that value)."""
    for section in sections(lines):
        if section.name != name:
            continue
        if where is None:
            return section
        found = value_at(lines, section, where[0])
        if found is not None and found[2] == where[1]:
            return section
    return None


def lead_start(lines: list[str], header: int) -> int:
    """Where a table's own comments begin: the comment lines right above its header."""
    start = header
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return start


# ----- the edits ---------------------------------------------------------------------------------

@dataclass
class Borrowed:
    """Another exercise's identity rules as they apply to a learned one."""

    source: str  # the exercise's name
    title: str
    rules: list[list[str]] = field(default_factory=list)  # each rule's lines ([[identity]] table)
    signals: dict[str, str] = field(default_factory=dict)  # name -> its definition's line, to add
    skipped: list[str] = field(default_factory=list)  # one sentence per rule that cannot apply
    described: list[str] = field(default_factory=list)  # each rule taken, in words


def adjusted(text: str, name: str | None = None, title: str | None = None,
             thresholds: dict[str, float] | None = None, hold: float | None = None,
             borrowed: list[Borrowed] = ()) -> str:
    """The learned template's text with the clinician's changes: `name` and `title`; `thresholds`,
    a counted phase's new threshold on the key signal (its release keeps its distance, and the
    range's `least` shrinks if the threshold comes closer to the start); `hold`, the hold target
    in seconds (0 removes the hold; None leaves it); `borrowed`, identity rules from other
    exercises (borrow_identity). Raises AdjustError (one sentence) when the result does not parse
    or says something other than asked."""
    lines = text.splitlines()
    before = parse(text)
    if name is not None:
        if problem := name_problem(name):
            raise AdjustError(problem)
        set_value(lines, sections(lines)[0], "name", name)
    if title is not None:
        if not title.strip():
            raise AdjustError("Give the exercise a title.")
        set_value(lines, sections(lines)[0], "title", title.strip())
    for phase, value in (thresholds or {}).items():
        _set_threshold(lines, before, phase, float(value))
    if hold is not None and hold != hold_seconds(before):
        _set_hold(lines, before, float(hold))
    for borrowing in borrowed:
        _add_borrowed(lines, borrowing)
    result = "\n".join(lines) + "\n"
    after = parse(result)
    _check(after, name, title, thresholds, hold, len(before.identity) + sum(len(b.rules) for b in borrowed))
    return result


def parse(text: str) -> Template:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AdjustError(f"The template is not valid TOML: {exc}.") from None
    try:
        return parse_template(data, source=f"{data.get('name', 'exercise')}.toml")
    except TemplateError as exc:
        raise AdjustError(str(exc)) from None


def _set_threshold(lines: list[str], template: Template, phase: str, value: float) -> None:
    if phase not in template.counting.phases:
        raise AdjustError(f"The exercise has no counted position named {phase!r}.")
    condition = key_condition(template, phase)
    if condition is None:
        raise AdjustError(f"The position {phase!r} is not entered on the key signal, so it has no threshold to set.")
    way = 1.0 if condition.direction == "above" else -1.0
    rest = template.range.rest if template.range else None
    if rest is not None and way * (value - rest) <= 0:
        side = "above" if way > 0 else "below"
        raise AdjustError(f"The threshold of {phase!r} must lie {side} the start position ({rest:g}), got {value:g}.")
    section = find_section(lines, "phases", ("name", phase))
    first, last, when = value_at(lines, section, "when")
    for item in when:
        if item.get("signal") == template.key_signal:
            item[condition.direction] = _rounded(value)
            if "release" in item:
                release = _rounded(value - (condition.threshold - condition.release))
                if rest is not None and way * (release - rest) < 0:  # never back past the start
                    release = _rounded(rest)
                item["release"] = release
    set_value(lines, section, "when", when)
    if template.range is not None:
        section = find_section(lines, "range")
        _, _, least = value_at(lines, section, "least")
        reach = way * (value - rest)
        if least.get(phase, 0) > reach:
            least[phase] = _rounded(reach)
            set_value(lines, section, "least", least)


def _rounded(value: float) -> float:
    return round(float(value), 3)


def _set_hold(lines: list[str], template: Template, seconds: float) -> None:
    if seconds < 0:
        raise AdjustError(f"The hold target must be 0 (no hold) or more seconds, got {seconds:g}.")
    section = find_section(lines, "hold")
    if seconds == 0:
        if section is not None:
            del lines[lead_start(lines, section.header):section.end]
    elif section is None:
        maximum = float(min(600, max(30, 3 * seconds)))
        phases = ", ".join(toml_value(p) for p in template.counting.phases)
        lines += ["", "# Set on the Teach page.", "[hold]", f"phases = [{phases}]",
                  f"target_seconds = {toml_value(seconds)}", f"max_seconds = {toml_value(maximum)}"]
    else:
        set_value(lines, section, "target_seconds", seconds)
        found = value_at(lines, find_section(lines, "hold"), "max_seconds")
        if found is not None and found[2] < seconds:
            set_value(lines, find_section(lines, "hold"), "max_seconds", float(min(600, max(30, 3 * seconds))))
    _say_hold(lines, seconds)


def _say_hold(lines: list[str], seconds: float) -> None:
    """The instructions' step about the hold says the new target (or goes)."""
    top = sections(lines)[0]
    found = value_at(lines, top, "instructions")
    if found is None:
        return
    steps = [step for step in found[2] if not HOLD_STEP.fullmatch(step)]
    if seconds > 0:
        steps.insert(min(2, len(steps)), f"Hold each position for about {seconds:g} seconds.")
    set_value(lines, top, "instructions", steps, multiline=True)


def _add_borrowed(lines: list[str], borrowing: Borrowed) -> None:
    if not borrowing.rules:
        return
    signals = find_section(lines, "signals")
    if signals is None:
        raise AdjustError("The learned file has no [signals] table to add the rules' signals to.")
    last = max(i for i in range(signals.header, signals.end) if lines[i].strip() and not lines[i].lstrip().startswith("#"))
    lines[last + 1:last + 1] = list(borrowing.signals.values())
    lines.append("")
    lines.append(f"# From {borrowing.title} ({borrowing.source}), added on the Teach page: what tells it apart from "
                 "its look-alikes.")
    for rule in borrowing.rules:
        lines += rule + [""]
    while lines and not lines[-1]:
        lines.pop()


def _check(after: Template, name, title, thresholds, hold, identity_rules: int) -> None:
    wrong = []
    if name is not None and after.name != name:
        wrong.append("name")
    if title is not None and after.title != title.strip():
        wrong.append("title")
    now = target_thresholds(after)
    wrong += [f"the threshold of {p!r}" for p, v in (thresholds or {}).items() if abs(now.get(p, float("nan")) - v) > 1e-3]
    if hold is not None and abs(hold_seconds(after) - hold) > 1e-9:
        wrong.append("the hold target")
    if len(after.identity) != identity_rules:
        wrong.append("the identity rules")
    if wrong:
        raise AdjustError(f"The learned file is not laid out as expected, so {', '.join(wrong)} could not be changed.")


# ----- identity rules by reference ---------------------------------------------------------------

def measurement(signal: Signal, signals: dict[str, Signal]) -> tuple:
    """What a signal measures, whatever it is called or labelled."""
    parts = tuple(measurement(signals[name], signals) for name in signal.signals)
    return signal.kind, signal.points, signal.space, signal.measure, signal.margin, parts


def definition(signal: Signal, names: dict[str, str]) -> str:
    """A signal's line under [signals], its combined signals renamed by `names`."""
    spec: dict = {"kind": signal.kind}
    if signal.kind == OUTLINE_KIND:
        spec["measure"] = signal.measure
    elif signal.kind in DERIVED_KINDS:
        spec["signals"] = [names[s] for s in signal.signals]
        if signal.kind == "side_match":
            spec["margin"] = signal.margin
    else:
        spec["points"] = list(signal.points)
        spec["space"] = signal.space
    spec["label"] = signal.label
    return f"{names[signal.name]} = {inline(spec)}"


def borrow_identity(text: str, source: Template) -> Borrowed:
    """`source`'s identity rules that can apply to the learned template in `text`, as lines to add,
    with a sentence for each rule that cannot."""
    learned = parse(text)
    borrowed = Borrowed(source.name, source.title)
    if not source.identity:
        borrowed.skipped.append(f"{source.title} has no identity rules.")
        return borrowed
    phases, why_not = phase_map(learned, source)
    names: dict[str, str] = {}  # source signal -> its name in the learned template
    taken = dict(learned.signals)
    for number, rule in enumerate(source.identity, 1):
        label = source.signals[rule.condition.signal].label
        about = f"{source.title}'s rule {number} (on the {label})"
        if why_not:
            borrowed.skipped.append(f"{about} cannot apply: {why_not}")
            continue
        reason = _cannot_carry(rule, source, learned, phases)
        if reason:
            borrowed.skipped.append(f"{about} cannot apply: {reason}")
            continue
        kept = dict(names), dict(taken)
        added = _carry_signals(rule, source, learned, names, taken)
        lines = _rule_lines(rule, phases, names)
        try:
            parse(_with(text, borrowed.signals | added, [*(line for r in borrowed.rules for line in r), *lines]))
        except AdjustError as exc:
            borrowed.skipped.append(f"{about} cannot apply: {exc}")
            names.clear(), taken.clear()
            names.update(kept[0]), taken.update(kept[1])
            continue
        borrowed.signals |= added
        borrowed.rules.append(lines)
        where = f"\u201c{learned.phase(phases[rule.phase]).label}\u201d"
        if rule.against:
            where += f" against \u201c{learned.phase(phases[rule.against]).label}\u201d"
        borrowed.described.append(f"{about}, judged in {where}: \u201c{rule.message}\u201d")
    return borrowed


def borrow_all(text: str, sources: list[Template]) -> list[Borrowed]:
    """borrow_identity from each source in turn, each against the text with the ones before it
    added (two sources' signals of one name, but measuring different things, get two names)."""
    found = []
    for source in sources:
        borrowed = borrow_identity(text, source)
        found.append(borrowed)
        lines = text.splitlines()
        _add_borrowed(lines, borrowed)
        text = "\n".join(lines) + "\n"
    return found


def _with(text: str, signals: dict[str, str], rule: list[str]) -> str:
    lines = text.splitlines()
    _add_borrowed(lines, Borrowed("check", "check", [rule], signals))
    return "\n".join(lines) + "\n"


def phase_map(learned: Template, source: Template) -> tuple[dict[str, str], str]:
    """Each of `source`'s counted phases -> the learned template's phase it stands for, or why none."""
    mine = learned.counting.phases
    if learned.counting.rule != "cycle":
        return {phase: mine[0] for phase in source.counting.phases}, ""
    if source.counting.rule != "cycle":
        return {}, (f"{source.title} counts one position, and this exercise moves between two, so a rule "
                    "cannot say which of them it is judged in.")
    key = measurement(learned.signals[learned.key_signal], learned.signals)
    ways = {}
    for phase in mine:
        ways[key_condition(learned, phase).direction] = phase
    found = {}
    for phase in source.counting.phases:
        condition = next((c for c in source.phase(phase).conditions
                          if measurement(source.signals[c.signal], source.signals) == key), None)
        if condition is not None and condition.direction in ways:
            found[phase] = ways[condition.direction]
    if len(set(found.values())) != 2:
        return {}, (f"{source.title}'s two positions are not read on the {learned.signals[learned.key_signal].label} "
                    "as this exercise's are, so they cannot be matched to its two.")
    return found, ""


def _cannot_carry(rule: Identity, source: Template, learned: Template, phases: dict[str, str]) -> str:
    if rule.phase not in phases or (rule.against and rule.against not in phases):
        return "it is judged in a position this exercise does not have."
    if rule.against and learned.counting.rule != "cycle":
        return "it compares the two positions of a cycle, and this exercise has one."
    if not rule.against and learned.counting.rule == "cycle":
        return "it is judged in one position, and this exercise's rules compare its two."
    for condition in (rule.condition, rule.also):
        if condition is None:
            continue
        signal = source.signals[condition.signal]
        if signal.per_side and not condition.any_side:
            return (f"it reads the {signal.label} of the side that moves, and a learned exercise does not "
                    "follow sides.")
    return ""


def _carry_signals(rule: Identity, source: Template, learned: Template, names: dict[str, str],
                   taken: dict[str, Signal]) -> dict[str, str]:
    """Name each signal the rule reads in the learned template; the definitions to add."""
    added: dict[str, str] = {}
    same = {measurement(s, learned.signals): name for name, s in learned.signals.items()}

    def carry(name: str) -> None:
        if name in names:
            return
        signal = source.signals[name]
        for part in signal.signals:
            carry(part)
        found = same.get(measurement(signal, source.signals))
        if found is not None:
            names[name] = found
            return
        new = name if name not in taken else f"{source.name.replace('-', '_')}_{name}"
        names[name] = new
        taken[new] = signal
        added[new] = definition(signal, names)

    for condition in (rule.condition, rule.also):
        if condition is not None:
            carry(condition.signal)
    if rule.per:
        carry(rule.per)
    return added


def _rule_lines(rule: Identity, phases: dict[str, str], names: dict[str, str]) -> list[str]:
    def when(condition: Condition) -> str:
        spec = {"signal": names[condition.signal], condition.direction: condition.threshold}
        if condition.any_side:
            spec["any_side"] = True
        return inline(spec)

    lines = ["[[identity]]", f"phase = {toml_value(phases[rule.phase])}"]
    if rule.against:
        lines.append(f"against = {toml_value(phases[rule.against])}")
    lines.append(f"when = {when(rule.condition)}")
    if rule.relative and not rule.against:
        lines.append("relative = true")
    if rule.absolute is not None:
        lines.append(f"absolute = {toml_value(rule.absolute)}")
    if rule.if_unseen:
        lines.append("if_unseen = true")
    if rule.also is not None:
        lines.append(f"also = {when(rule.also)}")
    if rule.per:
        lines.append(f"per = {toml_value(names[rule.per])}")
    lines.append(f"message = {toml_value(rule.message)}")
    return lines
