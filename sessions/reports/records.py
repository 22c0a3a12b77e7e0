"""One member's attendance record: a year's sessions with their status, and past years."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q

from chibo.lib.cells import cell_filter
from members.models import Member
from sessions.models import (
    Attendance,
    AttendanceFigures,
    GroupMeeting,
    ThematicSession,
)
from sessions.reports.summaries import KIND_LABELS, figures_by_kind, longest_absence_runs


@dataclass(frozen=True)
class RecordLine:
    """A session of the member's year; ``start``: their own group's meeting, if by group."""

    session: ThematicSession
    attendance: Attendance | None
    start: dt.datetime

    @classmethod
    def of(cls, session: ThematicSession, member: Member) -> "RecordLine":
        row = session.own_rows[0] if session.own_rows else None
        start = session.start
        if session.is_by_group:
            # The group the member was in that day, as the row keeps it.
            group_id = row.group_id if row is not None and row.group_id else member.group_id
            meeting = session.meeting_for(group_id)
            start = meeting.start if meeting is not None else start
        return cls(session, row, start)


@dataclass(frozen=True)
class YearLine:
    year: int
    figures: AttendanceFigures


@dataclass
class MemberRecord:
    member: Member
    year: int
    lines: list[RecordLine]
    figures: AttendanceFigures
    years: list[YearLine]
    # Regular meetings and thematic sessions apart, and all meetings (summaries.figures_by_kind).
    kinds: list[tuple[str, AttendanceFigures]] = ()
    # The most thematic sessions missed in a row, a run from last year's tail
    # included: the summary's rule (summaries.longest_absence_runs).
    longest_absence_run: int = 0

    @property
    def standing_label(self) -> str:
        """The member's standing in the record's year (at its end), not today's."""
        return Member.Standing(self.member.standing_in_year(self.year)).label

    @property
    def year_choices(self) -> list[int]:
        return year_choices(self.years, self.year)


def member_years(member: Member) -> list[YearLine]:
    """Each year the member has attendance rows in, newest first, with its figures.

    One grouped query. A member attending temporarily has rows but no counted
    ones: their years are listed too, with empty figures.
    """
    rows = Attendance.objects.filter(member=member).figures_by("session__start__year")
    lines = [YearLine(row["session__start__year"], AttendanceFigures.from_row(row)) for row in rows]
    return sorted(lines, key=lambda line: -line.year)


def year_choices(years: list[YearLine], year: int) -> list[int]:
    """The year selector's years: those with rows, and the one shown, newest first."""
    return sorted({line.year for line in years} | {year}, reverse=True)


def member_record(member: Member, year: int) -> MemberRecord:
    """Six queries: the year's sessions with the member's own row and the group
    meetings, the yearly counts, and the longest run of absences.

    The year's sessions are those of the member's cell in their time there,
    and any other one at which they have a row (they attended temporarily, say).
    """
    own = Attendance.objects.filter(member=member)
    in_cell = Q(
        start__date__gte=member.joined_cell_on, **cell_filter(ThematicSession, member.cell_id)
    )
    if member.left_cell_on is not None:
        in_cell &= Q(start__date__lt=member.left_cell_on)
    sessions = (
        # The member's own rows say which sessions of another cell are theirs.
        ThematicSession.objects.across_cells()
        .for_year(year)
        .filter(in_cell | Exists(own.filter(session=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("attendances", queryset=own, to_attr="own_rows"),
            Prefetch("group_meetings", queryset=GroupMeeting.objects.order_by()),
        )
        .order_by("start", "pk")
    )
    lines = [RecordLine.of(session, member) for session in sessions]
    figures = AttendanceFigures.from_row(own.for_year(year).figures())
    by_kind = figures_by_kind(own.for_year(year))
    return MemberRecord(
        member=member,
        year=year,
        lines=lines,
        figures=figures,
        years=member_years(member),
        kinds=[(label, by_kind[key]) for key, label in KIND_LABELS.items()],
        longest_absence_run=longest_absence_runs(year, cell=member.cell_id, member=member).get(
            member.pk, 0
        ),
    )
