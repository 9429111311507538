"""Small charts as inline SVG text, for a page that must print and open without any other file:
stacked bars and lines over a row of labelled places. Pure functions from numbers to markup."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 42  # room for the axes' labels
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
AXIS_COLOUR, GRID_COLOUR, TARGET_COLOUR = "#444", "#ddd", "#b3261e"


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: tuple[float | None, ...]  # one per place; None: nothing there (a gap in a line)


@dataclass(frozen=True)
class Axis:
    top: float  # the y axis runs from 0 to this
    unit: str  # written beside the axis
    ticks: tuple[float, ...]


def axis_to(top: float, unit: str, steps: int = 4) -> Axis:
    """A y axis from 0 to `top` rounded up to whole ticks."""
    step = max(1, -(-top // steps))
    return Axis(step * steps, unit, tuple(step * n for n in range(steps + 1)))


def bar_chart(labels: list[str], stacks: list[Series], axis: Axis, target: Series | None = None) -> str:
    """Bars stacked per place; `target`, a dashed line over each place that has a value."""
    slot = PLOT_W / max(1, len(labels))
    bars = []
    for index in range(len(labels)):
        base = 0.0
        for series in stacks:
            value = series.values[index] or 0
            if value:
                bars.append(_rect(LEFT + index * slot + slot * 0.2, _y(base + value, axis), slot * 0.6,
                                  _y(base, axis) - _y(base + value, axis), series.colour))
            base += value
    marks = [_target_mark(LEFT + index * slot + slot * 0.08, _y(value, axis), slot * 0.84)
             for index, value in enumerate(target.values if target else ()) if value is not None]
    return _frame(axis, _x_labels(labels, slot), bars + marks, stacks, target)


def line_chart(labels: list[str], lines: list[Series], axis: Axis) -> str:
    """Lines through the places, a dot at each value; a missing value breaks its line."""
    slot = PLOT_W / max(1, len(labels))
    marks = []
    for series in lines:
        points = [(LEFT + slot * (i + 0.5), _y(v, axis)) for i, v in enumerate(series.values) if v is not None]
        for run in _unbroken_runs(series.values, slot, axis):
            marks.append(f'<polyline points="{run}" fill="none" stroke="{series.colour}" stroke-width="2.5"/>')
        marks += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{series.colour}"/>' for x, y in points]
    return _frame(axis, _x_labels(labels, slot), marks, lines)


def _unbroken_runs(values: tuple[float | None, ...], slot: float, axis: Axis) -> list[str]:
    runs, current = [], []
    for index, value in enumerate(values + (None,)):
        if value is None:
            if len(current) > 1:
                runs.append(" ".join(current))
            current = []
        else:
            current.append(f"{LEFT + slot * (index + 0.5):.1f},{_y(value, axis):.1f}")
    return runs


def _y(value: float, axis: Axis) -> float:
    return TOP + PLOT_H * (1 - min(value, axis.top) / axis.top)


def _rect(x: float, y: float, width: float, height: float, colour: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{colour}"/>'


def _target_mark(x: float, y: float, width: float) -> str:
    return (f'<line x1="{x:.1f}" x2="{x + width:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{TARGET_COLOUR}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>')


MAX_X_LABELS = 12  # "24 Aug" is about 36 units wide: twelve fit under the plot, apart


def _x_labels(labels: list[str], slot: float) -> list[str]:
    """The places' labels, every second one (or third...) when more than MAX_X_LABELS would overlap."""
    every = max(1, -(-len(labels) // MAX_X_LABELS))
    return [f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{TOP + PLOT_H + 16}" text-anchor="middle">{escape(label)}</text>'
            for i, label in enumerate(labels) if i % every == 0]


def _frame(axis: Axis, x_labels: list[str], marks: list[str], legend: list[Series], target: Series | None = None) -> str:
    grid = [f'<line x1="{LEFT}" x2="{LEFT + PLOT_W}" y1="{_y(t, axis):.1f}" y2="{_y(t, axis):.1f}" '
            f'stroke="{GRID_COLOUR}"/><text x="{LEFT - 6}" y="{_y(t, axis) + 4:.1f}" text-anchor="end">{t:g}</text>'
            for t in axis.ticks]
    unit = (f'<text transform="translate(12 {TOP + PLOT_H / 2:.0f}) rotate(-90)" text-anchor="middle">'
            f'{escape(axis.unit)}</text>')
    keys = [f'<rect x="{LEFT + 150 * i}" y="{HEIGHT - 11}" width="10" height="10" fill="{s.colour}"/>'
            f'<text x="{LEFT + 150 * i + 14}" y="{HEIGHT - 2}">{escape(s.name)}</text>'
            for i, s in enumerate(legend) if len(legend) > 1]
    if target is not None:
        x = LEFT + 150 * len(legend)
        keys.append(_target_mark(x, HEIGHT - 6, 18) + f'<text x="{x + 22}" y="{HEIGHT - 2}">{escape(target.name)}</text>')
    return (f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'font-family="sans-serif" font-size="11" fill="{AXIS_COLOUR}">'
            + "".join(grid + [unit] + marks + x_labels + keys)
            + f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + PLOT_H}" stroke="{AXIS_COLOUR}"/></svg>')


def sparkline(values: list[float | None], top: float, target: float | None = None,
              width: int = 170, height: int = 36) -> str:
    """A small line of values from 0 to `top` (a missing value leaves its place empty), with the target
    as a dashed line: a trend to read inside a table row."""
    step = width / max(1, len(values))

    def point(index: int, value: float) -> tuple[float, float]:
        return step * (index + 0.5), 2 + (height - 4) * (1 - min(value, top) / top)

    marks = []
    if target is not None:
        y = point(0, target)[1]
        marks.append(f'<line x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="{TARGET_COLOUR}" '
                     f'stroke-dasharray="4 3"/>')
    measured = [point(i, v) for i, v in enumerate(values) if v is not None]
    if len(measured) > 1:
        marks.append('<polyline fill="none" stroke="#1565c0" stroke-width="2" points="'
                     + " ".join(f"{x:.1f},{y:.1f}" for x, y in measured) + '"/>')
    marks += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#1565c0"/>' for x, y in measured]
    return f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">{"".join(marks)}</svg>'
