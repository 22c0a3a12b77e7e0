"""Attendance charts drawn on the server as SVG: no script, no outside request, they print.

The functions here only compute geometry; the templates under
``templates/sessions/reports/`` draw it. Coordinates are formatted here, never
by the template, so that a Vietnamese decimal comma cannot end up in an SVG
attribute. Colours come from classes in ``static/css/chibo.css`` (the
Content-Security-Policy forbids ``style=""``).
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.utils import formats, timezone

from sessions.reports.summaries import GroupRow, SessionRow


def _n(value: float) -> str:
    """A coordinate for an SVG attribute: plain digits, a dot, one decimal at most."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _rate_text(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{formats.number_format(rate, 1)} %"


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    label: str  # under a column, above a horizontal bar
    label_x: str
    label_y: str
    value: str  # the rate, beside the bar
    value_x: str
    value_y: str
    title: str  # the tooltip: the whole story of the bar
    is_low: bool


@dataclass(frozen=True)
class Line:
    x1: str
    y1: str
    x2: str
    y2: str
    label: str = ""
    label_x: str = ""
    label_y: str = ""


# A chart this wide (in the SVG's units, its pixels at most) fits a phone's screen.
NARROW = 360


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    grid: list[Line]
    threshold: Line
    show_values: bool = True
    # A wide chart's other drawing for a phone: one horizontal bar per column.
    narrow: "Chart | None" = None

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def is_wide(self) -> bool:
        """Wider than a phone: drawn at a readable size, scrolled sideways there."""
        return self.width > NARROW


def _threshold() -> int:
    return settings.CHIBO_GOOD_ATTENDANCE_PERCENT


def _rate(figures) -> float:
    return float(figures.rate or 0)


def session_chart(rows: list[SessionRow]) -> Chart | None:
    """Columns: each held session's attendance rate, in date order, against the threshold."""
    if not rows:
        return None
    left, right, top, bottom = 44, 48, 22, 44
    # As wide as the sessions need, so that a year of a few sessions is drawn
    # at its own size and fits a phone; a full year scrolls there instead of
    # shrinking its labels (see .chart-wide in chibo.css).
    width, height = min(max(left + right + 64 * len(rows), NARROW), 640), 260
    plot_w, plot_h = width - left - right, height - top - bottom
    base = top + plot_h

    def y_of(percent: float) -> float:
        return base - plot_h * percent / 100

    slot = plot_w / len(rows)
    bar_w = min(slot * 0.64, 56)
    many = len(rows) > 12
    bars = []
    for index, row in enumerate(rows):
        rate = _rate(row.figures)
        x = left + slot * index + (slot - bar_w) / 2
        day = timezone.localtime(row.session.start)
        figures = row.figures
        bars.append(
            Bar(
                x=_n(x),
                y=_n(y_of(rate)),
                width=_n(bar_w),
                height=_n(plot_h * rate / 100),
                # With many sessions every other date is written, the rest are in the tooltips.
                label="" if many and index % 2 else day.strftime("%d/%m"),
                label_x=_n(x + bar_w / 2),
                label_y=_n(base + 18),
                value=_rate_text(figures.rate).replace(" %", ""),
                value_x=_n(x + bar_w / 2),
                value_y=_n(y_of(rate) - 5),
                title=(
                    f"{day:%d/%m/%Y} – {row.session}: {figures.present}/{figures.expected}"
                    f" ({_rate_text(figures.rate)})"
                ),
                is_low=row.below_threshold,
            )
        )
    grid = [
        Line(
            _n(left),
            _n(y_of(p)),
            _n(width - right),
            _n(y_of(p)),
            f"{p}",
            _n(left - 6),
            _n(y_of(p) + 4),
        )
        for p in (0, 25, 50, 75, 100)
    ]
    # The threshold's label sits in the right margin, clear of the columns.
    threshold = Line(
        _n(left),
        _n(y_of(_threshold())),
        _n(width - right),
        _n(y_of(_threshold())),
        f"{_threshold()} %",
        _n(width - right + 4),
        _n(y_of(_threshold()) + 4),
    )
    chart = Chart(width, height, bars, grid, threshold, show_values=not many)
    return replace(chart, narrow=_session_rows(rows)) if chart.is_wide else chart


def _session_rows(rows: list[SessionRow]) -> Chart:
    """The sessions as horizontal bars, one under another, for a phone's width.

    A year of twelve columns shrunk to a phone's width would write its dates
    and rates too small to read; a bar per line keeps every one at full size.
    """
    width = NARROW
    left, right, top, step, bar_h = 48, 52, 4, 24, 16
    plot_w = width - left - right
    height = top + step * len(rows) + 22
    bars = []
    for index, row in enumerate(rows):
        rate = _rate(row.figures)
        y = top + step * index
        bar_w = plot_w * rate / 100
        day = timezone.localtime(row.session.start)
        figures = row.figures
        bars.append(
            Bar(
                x=_n(left),
                y=_n(y),
                width=_n(bar_w),
                height=_n(bar_h),
                label=day.strftime("%d/%m"),
                label_x=_n(left - 6),
                label_y=_n(y + bar_h - 3),
                value=_rate_text(figures.rate).replace(" %", ""),
                value_x=_n(left + bar_w + 4),
                value_y=_n(y + bar_h - 3),
                title=(
                    f"{day:%d/%m/%Y} – {row.session}: {figures.present}/{figures.expected}"
                    f" ({_rate_text(figures.rate)})"
                ),
                is_low=row.below_threshold,
            )
        )
    bottom = top + step * len(rows)
    x_of = left + plot_w * _threshold() / 100
    threshold = Line(
        _n(x_of), _n(top), _n(x_of), _n(bottom), f"{_threshold()} %", _n(x_of), _n(bottom + 14)
    )
    grid = [Line(_n(left), _n(top), _n(left), _n(bottom))]
    return Chart(width, height, bars, grid, threshold)


def group_chart(rows: list[GroupRow], no_group: str) -> Chart | None:
    """Horizontal bars: each party group's attendance rate, the group's name above its bar."""
    rows = [row for row in rows if row.figures.expected]
    if not rows:
        return None
    width = 480
    left, right, top, step, bar_h = 4, 56, 6, 44, 18
    plot_w = width - left - right
    height = top + step * len(rows) + 26
    bars = []
    for index, row in enumerate(rows):
        rate = _rate(row.figures)
        y = top + step * index + 20
        bar_w = plot_w * rate / 100
        name = str(row.group) if row.group is not None else no_group
        figures = row.figures
        bars.append(
            Bar(
                x=_n(left),
                y=_n(y),
                width=_n(bar_w),
                height=_n(bar_h),
                label=name,
                label_x=_n(left),
                label_y=_n(y - 5),
                value=_rate_text(figures.rate),
                value_x=_n(left + bar_w + 5),
                value_y=_n(y + bar_h - 4),
                title=f"{name}: {figures.present}/{figures.expected} ({_rate_text(figures.rate)})",
                is_low=figures.rate is not None and figures.rate <= _threshold(),
            )
        )
    x_of = left + plot_w * _threshold() / 100
    bottom = top + step * len(rows) + 4
    threshold = Line(
        _n(x_of), _n(top + 14), _n(x_of), _n(bottom), f"{_threshold()} %", _n(x_of), _n(bottom + 12)
    )
    grid = [Line(_n(left), _n(top + 14), _n(left), _n(bottom))]
    return Chart(width, height, bars, grid, threshold)
