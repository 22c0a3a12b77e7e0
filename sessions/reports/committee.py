"""A committee's year: each of its cells' figures side by side, and in sentences.

A committee (đảng bộ, đảng bộ bộ phận) reads every cell at and under its node:
whether each held the thematic sessions the rule asks for in each quarter,
its attendance rate, absences and flags, and the rate of the year before.
The figures are the cells' own — the same rules as each cell's summary
(``summaries.quarter_row``, ``figure_counts``, ``AttendanceFigures``) — read
for all cells at once from the figures kept as sheets are saved
(``SessionFigures``, ``MemberYearFigures``, sessions/figures.py): a fixed
number of queries whatever the number of cells (a test holds it at two
sizes). These reads span cells on purpose, and only the cells under the node
the officer works at.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import ExtractQuarter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.lib.text import vietnamese_sort_key
from members.models import Organisation
from sessions import removal
from sessions.models import (
    QUARTERS,
    AttendanceFigures,
    MemberYearFigures,
    SessionFigures,
    ThematicSession,
)
from sessions.reports.annual_report import rate_text
from sessions.reports.summaries import QuarterRow, _session_counts, quarter_row
from sessions.sent import CellSendings, sent_for

CELL = "plan__cell"  # a session's path to its cell (ThematicSession.CELL_PATH)
FIGURE_NAMES = ("expected", "present", "excused", "unexcused")


@dataclass(frozen=True)
class CellYear:
    """One cell's line of the committee's matrix."""

    cell: Organisation
    quarters: list[QuarterRow]
    held: int = 0
    figures: AttendanceFigures = field(default_factory=AttendanceFigures)
    previous: AttendanceFigures = field(default_factory=AttendanceFigures)
    sessions_below: int = 0
    members_unexcused: int = 0
    # Every meeting of the year: the regular ones, and all (sessions.reports.summaries.kinds_of).
    regular: AttendanceFigures = field(default_factory=AttendanceFigures)
    all_meetings: AttendanceFigures = field(default_factory=AttendanceFigures)
    # Members who reach the removal rule (sessions.removal), at any meeting.
    members_removal: int = 0
    # What the cell sent its committee for the year: its plan and report.
    sending: CellSendings | None = None

    @property
    def quarters_missing(self) -> list[int]:
        return [row.quarter for row in self.quarters if row.meets_rule is False]

    @property
    def meets_rule(self) -> bool:
        """No quarter short of the rule (a quarter still to come is not short)."""
        return not self.quarters_missing

    @property
    def rate_change(self) -> Decimal | None:
        if self.figures.rate is None or self.previous.rate is None:
            return None
        return self.figures.rate - self.previous.rate

    @property
    def below_good_rate(self) -> bool:
        return self.figures.below_good_rate


@dataclass(frozen=True)
class CommitteeYear:
    """The cells at and under ``node`` in ``year``, and their totals."""

    node: Organisation
    year: int
    cells: list[CellYear]
    figures: AttendanceFigures = field(default_factory=AttendanceFigures)
    previous: AttendanceFigures = field(default_factory=AttendanceFigures)

    @property
    def cells_meeting_rule(self) -> list[CellYear]:
        return [row for row in self.cells if row.meets_rule]

    @property
    def cells_short(self) -> list[CellYear]:
        return [row for row in self.cells if not row.meets_rule]

    @property
    def cells_below_good_rate(self) -> list[CellYear]:
        return [row for row in self.cells if row.below_good_rate]

    @property
    def sessions_below(self) -> int:
        return sum(row.sessions_below for row in self.cells)

    @property
    def members_unexcused(self) -> int:
        return sum(row.members_unexcused for row in self.cells)

    @property
    def members_removal(self) -> int:
        return sum(row.members_removal for row in self.cells)

    @property
    def regular(self) -> AttendanceFigures:
        return _total(row.regular for row in self.cells)

    @property
    def all_meetings(self) -> AttendanceFigures:
        return _total(row.all_meetings for row in self.cells)

    @property
    def late(self) -> list[CellYear]:
        """Cells whose plan or report came late, or has not come and is overdue."""
        return [row for row in self.cells if row.sending.plan.late or row.sending.report.late]

    @property
    def held(self) -> int:
        return sum(row.held for row in self.cells)

    @property
    def rate_change(self) -> Decimal | None:
        if self.figures.rate is None or self.previous.rate is None:
            return None
        return self.figures.rate - self.previous.rate

    def quarter_totals(self) -> list[tuple[int, int, int]]:
        """Per quarter: (quarter, cells that met the rule, cells short of it)."""
        return [
            (
                quarter,
                sum(row.quarters[quarter - 1].meets_rule is True for row in self.cells),
                sum(row.quarters[quarter - 1].meets_rule is False for row in self.cells),
            )
            for quarter in QUARTERS
        ]

    def sentences(self) -> list[str]:
        return committee_sentences(self)


def cells_under(node: Organisation) -> list[Organisation]:
    """The cells at and under ``node``, in the order of their names."""
    cells = Organisation.objects.under(node).cells()
    return sorted(cells, key=lambda cell: (vietnamese_sort_key(cell.name), cell.pk))


def committee_year(node: Organisation, year: int, today: dt.date | None = None) -> CommitteeYear:
    """Every cell under ``node`` in ``year``: a constant number of queries for any number."""
    today = today or timezone.localdate()
    cells = cells_under(node)
    ids = [cell.pk for cell in cells]
    sessions = ThematicSession.objects.for_year(year).thematic().filter(**{f"{CELL}__in": ids})
    by_quarter = {
        (row[CELL], row["quarter"]): row
        for row in _session_counts(
            sessions.annotate(quarter=ExtractQuarter("start")), group_by=(CELL, "quarter")
        )
    }
    # The kept figures of every held meeting of the year and the year before
    # (``SessionFigures``), one row a meeting: the cells' totals by kind, the
    # previous year's, and the meetings below the good rate, summed here.
    figures, previous, below, kinds = {}, {}, {}, {}
    for row in (
        SessionFigures.objects.filter(cell__in=ids, year__in=[year, year - 1])
        .order_by()
        .values_list("cell_id", "year", "thematic", "regular", *FIGURE_NAMES)
    ):
        cell_id, row_year, thematic, regular, *counts = row
        one = AttendanceFigures(*counts)
        if row_year != year:
            if thematic:
                previous.setdefault(cell_id, []).append(one)
            continue
        cell_kinds = kinds.setdefault(cell_id, {"regular": [], "all": []})
        cell_kinds["all"].append(one)
        if regular:
            cell_kinds["regular"].append(one)
        if thematic:
            figures.setdefault(cell_id, []).append(one)
            below[cell_id] = below.get(cell_id, 0) + one.below_good_rate
    # The members flagged, from their kept figures (``MemberYearFigures``).
    rule, unexcused, removal_counts = removal.rule_of_year(year), {}, {}
    flagged = MemberYearFigures.objects.filter(cell__in=ids, year=year).filter(
        Q(unexcused__gte=settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR)
        | Q(months_unexcused__gte=rule.months)
    )
    for cell_id, member_unexcused, months in flagged.values_list(
        "cell_id", "unexcused", "months_unexcused"
    ):
        if AttendanceFigures(unexcused=member_unexcused).too_many_unexcused:
            unexcused[cell_id] = unexcused.get(cell_id, 0) + 1
        if removal.reaches(months, rule):
            removal_counts[cell_id] = removal_counts.get(cell_id, 0) + 1
    sendings = {row.cell.pk: row for row in sent_for(cells, year, today=today)}
    lines = []
    for cell in cells:
        quarters = [
            quarter_row(quarter, by_quarter.get((cell.pk, quarter), {}), year, today)
            for quarter in QUARTERS
        ]
        lines.append(
            CellYear(
                cell=cell,
                quarters=quarters,
                held=sum(row.held for row in quarters),
                figures=_total(figures.get(cell.pk, ())),
                previous=_total(previous.get(cell.pk, ())),
                sessions_below=below.get(cell.pk, 0),
                members_unexcused=unexcused.get(cell.pk, 0),
                regular=_total(kinds.get(cell.pk, {}).get("regular", ())),
                all_meetings=_total(kinds.get(cell.pk, {}).get("all", ())),
                members_removal=removal_counts.get(cell.pk, 0),
                sending=sendings[cell.pk],
            )
        )
    return CommitteeYear(
        node=node,
        year=year,
        cells=lines,
        figures=_total(row.figures for row in lines),
        previous=_total(row.previous for row in lines),
    )


def _total(figures) -> AttendanceFigures:
    total = {"expected": 0, "present": 0, "excused": 0, "unexcused": 0}
    for one in figures:
        for name in total:
            total[name] += getattr(one, name)
    return AttendanceFigures.from_row(total)


def _cell_names(rows) -> str:
    return "; ".join(row.cell.name for row in rows)


def committee_sentences(data: CommitteeYear) -> list[str]:
    """The committee's year in Vietnamese sentences, as a cell's annual report reads."""
    count = len(data.cells)
    if not count:
        return [_("Chưa có chi bộ trực thuộc.")]
    sentences = [
        _(
            "Năm %(year)s, %(met)s/%(count)s chi bộ tổ chức đủ sinh hoạt chuyên đề theo quy "
            "định (mỗi quý ít nhất %(minimum)s lần); tổng cộng %(held)s kỳ đã tổ chức."
        )
        % {
            "year": data.year,
            "met": len(data.cells_meeting_rule),
            "count": count,
            "minimum": data.cells[0].quarters[0].minimum,
            "held": data.held,
        }
    ]
    short = data.cells_short
    if short:
        sentences.append(
            _("Chi bộ chưa đủ: %(cells)s.")
            % {
                "cells": "; ".join(
                    _("%(cell)s (quý %(quarters)s)")
                    % {
                        "cell": row.cell.name,
                        "quarters": ", ".join(str(q) for q in row.quarters_missing),
                    }
                    for row in short
                )
            }
        )
    if data.figures.rate is not None:
        rate = _("Tỷ lệ đảng viên dự sinh hoạt %(rate)s (%(present)s/%(expected)s lượt)") % {
            "rate": rate_text(data.figures.rate),
            "present": data.figures.present,
            "expected": data.figures.expected,
        }
        if data.previous.rate is not None:
            rate += _("; năm %(year)s là %(rate)s") % {
                "year": data.year - 1,
                "rate": rate_text(data.previous.rate),
            }
        sentences.append(rate + ".")
        sentences.append(
            _("Vắng có lý do %(excused)s lượt, vắng không có lý do %(unexcused)s lượt.")
            % {"excused": data.figures.excused, "unexcused": data.figures.unexcused}
        )
    weak = data.cells_below_good_rate
    if weak:
        sentences.append(
            ngettext(
                "%(count)s chi bộ có tỷ lệ dự sinh hoạt không quá %(good)s %%: %(cells)s.",
                "%(count)s chi bộ có tỷ lệ dự sinh hoạt không quá %(good)s %%: %(cells)s.",
                len(weak),
            )
            % {
                "count": len(weak),
                "good": settings.CHIBO_GOOD_ATTENDANCE_PERCENT,
                "cells": _cell_names(weak),
            }
        )
    if data.sessions_below:
        sentences.append(
            ngettext(
                "%(count)s kỳ sinh hoạt có tỷ lệ dự không quá %(good)s %%.",
                "%(count)s kỳ sinh hoạt có tỷ lệ dự không quá %(good)s %%.",
                data.sessions_below,
            )
            % {"count": data.sessions_below, "good": settings.CHIBO_GOOD_ATTENDANCE_PERCENT}
        )
    late = data.late
    if late:
        sentences.append(
            ngettext(
                "%(count)s chi bộ gửi kế hoạch hoặc báo cáo muộn, hoặc chưa gửi khi đã đến hạn: "
                "%(cells)s.",
                "%(count)s chi bộ gửi kế hoạch hoặc báo cáo muộn, hoặc chưa gửi khi đã đến hạn: "
                "%(cells)s.",
                len(late),
            )
            % {"count": len(late), "cells": _cell_names(late)}
        )
    if data.members_unexcused:
        sentences.append(
            ngettext(
                "%(count)s đảng viên vắng không có lý do từ %(limit)s lần trở lên trong năm.",
                "%(count)s đảng viên vắng không có lý do từ %(limit)s lần trở lên trong năm.",
                data.members_unexcused,
            )
            % {"count": data.members_unexcused, "limit": settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR}
        )
    return sentences
