"""The figures of a year, for the leaders' summary, the exports and the annual report.

The attendance figures of each meeting and each member's year are read from
the rows kept as sheets are saved (``SessionFigures``, ``MemberYearFigures``,
sessions/figures.py), not recounted; what is not kept (the groups' figures,
the members attending temporarily, the sessions by quarter) is counted by the
database (``aggregate``/``annotate``); Python only arranges the rows.
``longest_absence_runs`` and ``removal.months_unexcused`` stay as the queries
the kept figures are checked against (tests/test_figures_invariant.py). A
summary therefore costs the same couple of dozen queries for a cell of 30
members or one of 300 with twenty years of history. Every query reads one cell's rows: each
function takes the ``cell`` and filters through its models' ``of_cell``.

The rules behind the figures are those of the design:

- expected at a session are the members on its attendance sheet, which the
  secretary saves from the member list of that day (joined, not left, not
  exempt); members attending temporarily from another cell (sinh hoạt tạm
  thời) and guests are shown apart and never counted;
- a session held group by group is one session, each member counted once;
- each member's group is the one of the attendance rows (the group at the
  time), not the group they are in today;
- a past year reads as it did then: groups carry the name they had at the
  end of that year (a group renamed or dissolved since keeps it), and a
  member without a row that year is placed in the group they were in then.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractQuarter
from django.utils import timezone
from django.utils.translation import gettext_lazy

from chibo.lib.cells import cell_filter
from members.models import Exemption, Member, Organisation, PartyGroup
from sessions import removal
from sessions.grading import FAIR, GOOD, scheme_by_key, scheme_on
from sessions.models import (
    ABSENT,
    QUARTERS,
    AnnualPlan,
    Attendance,
    AttendanceFigures,
    MemberYearFigures,
    Postponement,
    SessionFigures,
    ThematicSession,
    figure_counts,
    too_many_in_a_row,
    year_bounds,
)
from sessions.removal import RemovalRule

Status = ThematicSession.Status


def _was_postponed():
    return Exists(Postponement.objects.filter(session=OuterRef("pk")))


def _session_counts(sessions, group_by=()):
    """Sessions in the plan, held (and of those, group by group), postponed, cancelled."""
    counts = {
        "total": Count("pk"),
        "held": Count("pk", filter=Q(status=Status.HELD)),
        "held_by_group": Count(
            "pk", filter=Q(status=Status.HELD, scope=ThematicSession.Scope.GROUPS)
        ),
        "postponed": Count("pk", filter=Q(was_postponed=True)),
        "cancelled": Count("pk", filter=Q(status=Status.CANCELLED)),
        "pending": Count("pk", filter=Q(status__in=[Status.PLANNED, Status.POSTPONED])),
    }
    sessions = sessions.alias(was_postponed=_was_postponed())
    if group_by:
        return sessions.values(*group_by).order_by(*group_by).annotate(**counts)
    return sessions.aggregate(
        **counts,
        guests=Coalesce(Sum("guest_count", filter=Q(status=Status.HELD)), 0),
    )


FIGURES = ("expected", "present", "excused", "unexcused", "temporary")


def kept_totals(kept) -> dict:
    """The sums of ``SessionFigures`` rows: the counts of ``figure_counts()`` (one query)."""
    return kept.aggregate(**{name: Coalesce(Sum(name), 0) for name in FIGURES})


def kept_by_kind(kept) -> dict[str, AttendanceFigures]:
    """``figures_by_kind`` from ``SessionFigures`` rows: regular, thematic, all (one query)."""
    sums = {}
    for key, nature in (*KINDS, ("all", Q())):
        for name in FIGURES:
            sums[f"{key}_{name}"] = Coalesce(Sum(name, filter=nature), 0)
    return kinds_of(kept.aggregate(**sums))


@dataclass(frozen=True)
class YearTotals:
    """A year in a few numbers: sessions and attendance."""

    year: int
    total: int = 0
    held: int = 0
    held_by_group: int = 0
    postponed: int = 0
    cancelled: int = 0
    pending: int = 0
    guests: int = 0
    temporary: int = 0
    figures: AttendanceFigures = field(default_factory=AttendanceFigures)

    @classmethod
    def of(cls, year: int, *, cell) -> "YearTotals":
        """Two queries: one over ``cell``'s sessions of the year, one over their kept figures."""
        sessions = _session_counts(ThematicSession.objects.for_year(year).thematic().of_cell(cell))
        attendance = kept_totals(
            SessionFigures.objects.of_cell(cell).filter(year=year, thematic=True)
        )
        return cls(
            year=year,
            temporary=attendance["temporary"],
            figures=AttendanceFigures.from_row(attendance),
            **sessions,
        )

    @property
    def has_data(self) -> bool:
        return bool(self.total or self.figures.expected)


@dataclass(frozen=True)
class KindRow:
    """A year's meetings of one kind (regular, thematic) or of both together.

    A thematic session held with the regular meeting counts in each kind
    apart and once in the total: it is one meeting, with one roll call.
    """

    label: str
    held: int
    planned: int
    figures: AttendanceFigures


KINDS = (
    ("regular", Q(regular=True)),
    ("thematic", Q(thematic=True)),
)


KIND_LABELS = {
    "regular": gettext_lazy("Sinh hoạt chi bộ định kỳ"),
    "thematic": gettext_lazy("Sinh hoạt chuyên đề"),
    "all": gettext_lazy("Cả hai (mỗi buổi một lần)"),
}


def kind_counts() -> dict:
    """``figure_counts()`` for each kind of meeting and for all, as ``{kind}_{figure}``."""
    counts = {}
    for key, nature in (*KINDS, ("all", Q())):
        prefixed = Q(**{f"session__{name}": value for name, value in nature.children})
        for name, aggregate in figure_counts().items():
            counts[f"{key}_{name}"] = Count("pk", filter=aggregate.filter & prefixed)
    return counts


def kinds_of(row: dict) -> dict[str, AttendanceFigures]:
    """A row of ``kind_counts()`` as figures by kind: ``regular``, ``thematic``, ``all``."""
    return {
        key: AttendanceFigures.from_row({name: row[f"{key}_{name}"] for name in figure_counts()})
        for key in KIND_LABELS
    }


def figures_by_kind(attendance) -> dict[str, AttendanceFigures]:
    """The figures of ``attendance`` rows at regular meetings, at thematic sessions, and
    at all meetings (a combined meeting's rows in each kind, once in all): one query."""
    return kinds_of(attendance.aggregate(**kind_counts()))


def kind_rows(year: int, *, cell) -> list[KindRow]:
    """Regular meetings, thematic sessions, and all meetings of ``cell``'s year (two queries)."""
    sessions = ThematicSession.objects.for_year(year).of_cell(cell).not_cancelled()
    counts = {}
    for key, nature in (*KINDS, ("all", Q())):
        counts[f"{key}_held"] = Count("pk", filter=nature & Q(status=Status.HELD))
        counts[f"{key}_planned"] = Count("pk", filter=nature)
    counts = sessions.aggregate(**counts)
    figures = kept_by_kind(SessionFigures.objects.of_cell(cell).filter(year=year))
    return [
        KindRow(
            label=label,
            held=counts[f"{key}_held"],
            planned=counts[f"{key}_planned"],
            figures=figures[key],
        )
        for key, label in KIND_LABELS.items()
    ]


@dataclass(frozen=True)
class QuarterRow:
    """The sessions of a quarter and the rule of at least N thematic sessions in it."""

    quarter: int
    total: int = 0
    held: int = 0
    postponed: int = 0
    cancelled: int = 0
    pending: int = 0
    is_over: bool = True

    @property
    def minimum(self) -> int:
        return settings.CHIBO_MIN_SESSIONS_PER_QUARTER

    @property
    def meets_rule(self) -> bool | None:
        """True when enough sessions were held; None while the quarter can still make it."""
        if self.held >= self.minimum:
            return True
        if not self.is_over and self.held + self.pending >= self.minimum:
            return None
        return False


@dataclass(frozen=True)
class SessionRow:
    session: ThematicSession
    figures: AttendanceFigures
    temporary: int = 0

    @property
    def below_threshold(self) -> bool:
        return self.figures.below_good_rate

    @property
    def attendance_allows_good(self) -> bool:
        """``AttendanceFigures.is_good`` under the rule of the session's scheme."""
        scheme = scheme_by_key(self.session.grading_scheme) or scheme_on(self.session.day)
        if scheme.good_attendance is None:
            return True
        return self.figures.is_good(scheme.good_attendance)

    @property
    def grade(self) -> str:
        """The grade the session counts with: as recorded, but never Tốt when its
        attendance forbids it (a grade recorded before the rule was checked)."""
        if self.session.grade == GOOD and not self.attendance_allows_good:
            return FAIR
        return self.session.grade

    @property
    def is_good(self) -> bool:
        """A good session: graded Tốt, with the attendance that allows it."""
        return self.grade == GOOD


@dataclass(frozen=True)
class GroupRow:
    group: PartyGroup | None
    figures: AttendanceFigures


@dataclass(frozen=True)
class MemberRow:
    member: Member
    group: PartyGroup | None
    figures: AttendanceFigures
    longest_absence_run: int = 0
    exemptions: tuple = ()
    # The standing in the summary's year (Member.standing_in_year), not today's.
    standing: str = Member.Standing.FULL
    # Months of the year with an unexcused absence, at any meeting (sessions.removal).
    months_unexcused: int = 0
    removal_rule: RemovalRule = field(default_factory=lambda: removal.DIEU_LE_2011)

    @property
    def is_probationary(self) -> bool:
        return self.standing == Member.Standing.PROBATIONARY

    @property
    def too_many_unexcused(self) -> bool:
        return self.figures.too_many_unexcused

    @property
    def too_many_in_a_row(self) -> bool:
        return too_many_in_a_row(self.longest_absence_run)

    @property
    def to_consider_removal(self) -> bool:
        return removal.reaches(self.months_unexcused, self.removal_rule)

    @property
    def is_flagged(self) -> bool:
        return self.too_many_unexcused or self.too_many_in_a_row or self.to_consider_removal


@dataclass(frozen=True)
class TemporaryRow:
    """A member attending temporarily from another cell: shown, never counted."""

    member_id: int
    name: str
    home_cell: str
    sessions: int
    present: int


@dataclass
class YearView:
    """A year's totals, quarters, sessions and groups, and the flags they raise.

    ``YearSummary`` (the leaders' summary) and ``YearGlance`` (the leader's
    home) both are one; they differ in how they know the flagged members.
    """

    year: int
    cell: Organisation
    totals: YearTotals
    quarters: list[QuarterRow]
    sessions: list[SessionRow]
    groups: list[GroupRow]

    @property
    def figures(self) -> AttendanceFigures:
        return self.totals.figures

    @property
    def quarters_missing(self) -> list[int]:
        return [row.quarter for row in self.quarters if row.meets_rule is False]

    @property
    def sessions_below(self) -> list[SessionRow]:
        return [row for row in self.sessions if row.below_threshold]

    @property
    def sessions_short(self) -> list[SessionRow]:
        """Held sessions shorter than the rule asks (``ThematicSession.is_short``)."""
        return [row for row in self.sessions if row.session.is_short]

    @property
    def good_sessions(self) -> list[SessionRow]:
        """Held sessions that count as good (``SessionRow.is_good``)."""
        return [row for row in self.sessions if row.is_good]

    @property
    def flagged_members(self) -> tuple[int, int, int]:
        """How many members have too many unexcused absences, too many in a row, and
        reach the removal rule."""
        raise NotImplementedError

    @property
    def flag_count(self) -> int:
        return (
            sum(self.flagged_members)
            + len(self.sessions_below)
            + len(self.sessions_short)
            + len(self.quarters_missing)
        )


@dataclass
class YearSummary(YearView):
    previous: YearTotals
    members: list[MemberRow]
    temporary: list[TemporaryRow]
    kinds: list[KindRow] = field(default_factory=list)

    @property
    def members_unexcused(self) -> list[MemberRow]:
        return [row for row in self.members if row.too_many_unexcused]

    @property
    def members_in_a_row(self) -> list[MemberRow]:
        return [row for row in self.members if row.too_many_in_a_row]

    @property
    def members_removal(self) -> list[MemberRow]:
        return [row for row in self.members if row.to_consider_removal]

    @property
    def flagged_members(self) -> tuple[int, int, int]:
        return len(self.members_unexcused), len(self.members_in_a_row), len(self.members_removal)

    @property
    def rate_change(self) -> Decimal | None:
        """Points of attendance rate gained (or lost) since the previous year."""
        if self.figures.rate is None or self.previous.figures.rate is None:
            return None
        return self.figures.rate - self.previous.figures.rate

    @property
    def rate_change_points(self) -> Decimal | None:
        change = self.rate_change
        return None if change is None else abs(change)


def quarter_rows(year: int, today: dt.date, *, cell) -> list[QuarterRow]:
    """One query: the year's sessions counted by quarter of their (current) date."""
    sessions = ThematicSession.objects.for_year(year).thematic().of_cell(cell)
    rows = {
        row["quarter"]: row
        for row in _session_counts(
            sessions.annotate(quarter=ExtractQuarter("start")),
            group_by=("quarter",),
        )
    }
    return [quarter_row(quarter, rows.get(quarter, {}), year, today) for quarter in QUARTERS]


def quarter_row(quarter: int, row: dict, year: int, today: dt.date) -> QuarterRow:
    """A quarter of ``year`` from its session counts (``_session_counts``), as of ``today``."""
    is_over = dt.date(year, quarter * 3, 1) < dt.date(today.year, today.month, 1)
    return QuarterRow(
        quarter=quarter,
        total=row.get("total", 0),
        held=row.get("held", 0),
        postponed=row.get("postponed", 0),
        cancelled=row.get("cancelled", 0),
        pending=row.get("pending", 0),
        is_over=is_over,
    )


def session_rows(year: int, *, cell) -> list[SessionRow]:
    """Three queries: the year's held sessions, their groups' meetings (whether each
    was shorter than the rule), and their kept figures (``SessionFigures``).
    """
    sessions = (
        ThematicSession.objects.for_year(year)
        .thematic()
        .of_cell(cell)
        .held()
        .select_related("preparer")
        .prefetch_related("group_meetings")
        .order_by("start", "pk")
    )
    counts = {
        row["session"]: row
        for row in SessionFigures.objects.of_cell(cell)
        .filter(year=year, thematic=True)
        .values("session", *FIGURES)
    }
    empty = {"expected": 0, "present": 0, "excused": 0, "unexcused": 0, "temporary": 0}
    rows = []
    for session in sessions:
        row = counts.get(session.pk, empty)
        rows.append(SessionRow(session, AttendanceFigures.from_row(row), row["temporary"]))
    return rows


def group_rows(year: int, groups: dict, *, cell) -> list[GroupRow]:
    """One query: counts by the group each member was in at the session."""
    rows = (
        Attendance.objects.for_year(year, thematic=True).of_cell(cell).counted().figures_by("group")
    )
    result = [GroupRow(groups.get(row["group"]), AttendanceFigures.from_row(row)) for row in rows]
    result.sort(key=lambda row: (row.group is None, *_group_key(row.group)))
    return result


def _group_key(group):
    return (group.order, group.name) if group is not None else (0, "")


def groups_of_year(year: int, *, cell) -> dict[int, PartyGroup]:
    """The cell's groups by id, named and ordered as they were at the end of ``year``.

    A group renamed or dissolved since keeps, for that year, the name it had.
    A group whose history does not reach back that far (created since, or
    before Chibo kept history) comes as it is now. One more query for a past
    year: the groups' historical rows up to its end.
    """
    groups = PartyGroup.objects.of_cell(cell).in_bulk()
    end = year_bounds(year)[1]
    if end > timezone.now():
        return groups
    seen = set()
    past = PartyGroup.history.filter(**cell_filter(PartyGroup, cell), history_date__lt=end)
    for record in past.order_by("id", "-history_date", "-history_id"):
        if record.id in seen:
            continue
        seen.add(record.id)
        if record.id in groups and record.history_type != "-":
            groups[record.id] = record.instance
    return groups


def members_of_year(year: int, *, cell):
    """Members of ``cell`` at any time in ``year``, or with a counted row in it.

    Annotated with ``history_group_id``: the group their record had at the end
    of the year (see ``year_group_ids`` for the group each is counted in).
    """
    rows = Attendance.objects.for_year(year, thematic=True).of_cell(cell).counted()
    group_then = (
        Member.history.filter(id=OuterRef("pk"), history_date__lt=year_bounds(year)[1])
        .order_by("-history_date", "-history_id")
        .values("group_id")
    )
    in_cell = Q(temporary=False, joined_cell_on__lte=dt.date(year, 12, 31)) & (
        Q(left_cell_on__isnull=True) | Q(left_cell_on__gt=dt.date(year, 1, 1))
    )
    return (
        Member.objects.of_cell(cell)
        .filter(in_cell | Exists(rows.filter(member=OuterRef("pk"))))
        .annotate(history_group_id=Subquery(group_then[:1], output_field=IntegerField()))
        .order_by()
    )


def last_row_groups(year: int, *, cell) -> dict[int, int | None]:
    """The group of each member's last counted row of ``year`` (one query).

    One pass over the year's rows in session order: a subquery per member
    asking for their last row took PostgreSQL 32 ms at the large size.
    """
    rows = (
        Attendance.objects.for_year(year)
        .of_cell(cell)
        .counted()
        .order_by("session__start", "pk")
        .values_list("member_id", "group_id")
    )
    return dict(rows.iterator(chunk_size=5000))  # the last row of each member wins


def year_group_id(member, last_groups: dict) -> int | None:
    """The group a member is counted in for the year: that of their last row,
    else the one their record had at the end of the year, else today's."""
    for group_id in (last_groups.get(member.pk), member.history_group_id, member.group_id):
        if group_id is not None:
            return group_id
    return None


def longest_absence_runs(year: int, *, cell, member=None) -> dict[int, int]:
    """The most sessions in a row each member missed (excused or not), runs ending in ``year``.

    ``member``: only theirs (a member's record counts the summary's way).

    One query of (member, status, start) over this year's and last year's
    sessions, in session order: a run that began in December and goes on in
    January is one run, counted in the year it reaches. Sessions at which a
    member was not expected (exempt, not yet in the cell) have no row: they
    neither break nor extend a run.
    """
    this_year = ThematicSession.objects.for_year(year).thematic().values("pk")
    last_year = ThematicSession.objects.for_year(year - 1).thematic().values("pk")
    rows = Attendance.objects.filter(Q(session__in=this_year) | Q(session__in=last_year))
    if member is not None:
        rows = rows.filter(member=member)
    rows = (
        rows.of_cell(cell)
        .counted()
        .order_by("member_id", "session__start", "session_id")
        .values_list("member_id", "status", "session__start")
    )
    first_day = year_bounds(year)[0]
    runs = {}
    for member_id, member_rows in groupby(rows.iterator(chunk_size=5000), key=itemgetter(0)):
        longest = run = 0
        counted = False
        for _member, status, start in member_rows:
            run = run + 1 if status in ABSENT else 0
            if start >= first_day:
                counted = True
                longest = max(longest, run)
        if counted:
            runs[member_id] = longest
    return runs


def member_rows(year: int, groups: dict, *, cell) -> list[MemberRow]:
    """Four queries: the members, their exemptions, their kept figures, their groups."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    exemptions = Exemption.objects.filter(
        Q(starts_on__lte=last), Q(ends_on__isnull=True) | Q(ends_on__gte=first)
    ).order_by("starts_on")
    members = members_of_year(year, cell=cell).prefetch_related(
        Prefetch("exemptions", queryset=exemptions, to_attr="year_exemptions")
    )
    kept = {row.member_id: row for row in kept_members(year, cell=cell)}
    last_groups = last_row_groups(year, cell=cell)
    rule = removal.rule_of_year(year)
    result = [
        MemberRow(
            member=member,
            group=groups.get(year_group_id(member, last_groups)),
            figures=kept[member.pk].figures if member.pk in kept else AttendanceFigures(),
            longest_absence_run=kept[member.pk].longest_run if member.pk in kept else 0,
            exemptions=tuple(member.year_exemptions),
            standing=member.standing_in_year(year),
            months_unexcused=kept[member.pk].months_unexcused if member.pk in kept else 0,
            removal_rule=rule,
        )
        for member in members
    ]
    result.sort(key=lambda row: (*_group_key(row.group), row.member.sort_name, row.member.pk))
    return result


def kept_members(year: int, *, cell):
    """The members' kept figures of ``cell``'s ``year`` (``MemberYearFigures``)."""
    return (
        MemberYearFigures.objects.of_cell(cell)
        .filter(year=year)
        .only("member_id", *MemberYearFigures.FIGURES)
    )


def temporary_rows(year: int, *, cell) -> list[TemporaryRow]:
    """One query: members attending temporarily, with the sessions they came to."""
    rows = (
        Attendance.objects.for_year(year, thematic=True)
        .of_cell(cell)
        .filter(temporary=True)
        .values("member", "member__full_name", "member__home_cell", "member__sort_name")
        .order_by("member__sort_name", "member")
        .annotate(
            sessions=Count("pk"),
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        )
    )
    return [
        TemporaryRow(
            member_id=row["member"],
            name=row["member__full_name"],
            home_cell=row["member__home_cell"],
            sessions=row["sessions"],
            present=row["present"],
        )
        for row in rows
    ]


def year_summary(year: int, today: dt.date | None = None, *, cell) -> YearSummary:
    """Everything the leaders' summary shows of ``cell``'s ``year``, in a fixed number of
    queries."""
    today = today or timezone.localdate()
    groups = groups_of_year(year, cell=cell)
    return YearSummary(
        year=year,
        cell=cell,
        totals=YearTotals.of(year, cell=cell),
        previous=YearTotals.of(year - 1, cell=cell),
        quarters=quarter_rows(year, today, cell=cell),
        sessions=session_rows(year, cell=cell),
        groups=group_rows(year, groups, cell=cell),
        members=member_rows(year, groups, cell=cell),
        temporary=temporary_rows(year, cell=cell),
        kinds=kind_rows(year, cell=cell),
    )


@dataclass
class YearGlance(YearView):
    """What the leader's home shows of a year: its totals, sessions, groups and flags.

    The same figures as ``YearSummary``, without the member-by-member table:
    the flags about members are counted from the year's rows alone.
    """

    members_unexcused: int = 0
    members_in_a_row: int = 0
    members_removal: int = 0

    @property
    def flagged_members(self) -> tuple[int, int, int]:
        return self.members_unexcused, self.members_in_a_row, self.members_removal


def year_glance(year: int, today: dt.date | None = None, *, cell) -> YearGlance:
    """The leader's home: a fixed number of queries, none of them per member.

    A member is flagged in the summary from their kept figures of the year
    (``MemberRow``): the same flags are counted here from those rows, without
    reading the members themselves.
    """
    today = today or timezone.localdate()
    rule = removal.rule_of_year(year)
    unexcused = in_a_row = to_remove = 0
    for row in kept_members(year, cell=cell):
        unexcused += row.figures.too_many_unexcused
        in_a_row += too_many_in_a_row(row.longest_run)
        to_remove += removal.reaches(row.months_unexcused, rule)
    return YearGlance(
        year=year,
        cell=cell,
        totals=YearTotals.of(year, cell=cell),
        quarters=quarter_rows(year, today, cell=cell),
        sessions=session_rows(year, cell=cell),
        groups=group_rows(year, groups_of_year(year, cell=cell), cell=cell),
        members_unexcused=unexcused,
        members_in_a_row=in_a_row,
        members_removal=to_remove,
    )


def years_with_data(*also: int, cell) -> list[int]:
    """Years in which ``cell`` has a plan, newest first, plus ``also`` (one query)."""
    years = set(AnnualPlan.objects.of_cell(cell).values_list("year", flat=True))
    return sorted(years | set(also), reverse=True)
