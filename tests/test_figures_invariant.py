"""The kept figures equal a recount from the attendance rows, after any sequence of writes.

A stateful hypothesis test drives the real services in random order — the
attendance sheet saved with random statuses (a correction of last year's
sheet among them), exemptions added and removed, members leaving, moving to
another group or cell, meetings postponed, cancelled, moved to another date
or given another kind — and after each step checks every stored figure of
``SessionFigures`` and ``MemberYearFigures`` twice: against ``recount``
(sessions/figures.py), and against the queries the pages made before the
figures were kept (``figures_by``, ``longest_absence_runs``,
``removal.months_unexcused``). Each example runs in a savepoint rolled back
at its end: the same on SQLite and PostgreSQL.
"""

import datetime as dt
from contextlib import suppress

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from members import services as member_services
from members.models import Exemption, Member, Organisation, single_cell
from sessions import removal, services
from sessions.figures import recount
from sessions.models import (
    Attendance,
    AttendanceFigures,
    MemberYearFigures,
    SessionFigures,
    ThematicSession,
)
from sessions.reports.summaries import longest_absence_runs
from sessions.services import AttendanceEntry, ServiceError, SessionRecord
from tests.factories import at, make_group, make_member, make_plan, make_session

STATUSES = [
    Attendance.Status.PRESENT,
    Attendance.Status.EXCUSED,
    Attendance.Status.UNEXCUSED,
]
YEARS = (2019, 2020, 2021)
# A write the services refuse (a member who left already, a held meeting) is a step too.
REFUSED = (ServiceError, member_services.ServiceError)
MEMBERS = 5


class FiguresMachine(RuleBasedStateMachine):
    """One cell with two groups, five members, one attending temporarily, seven meetings."""

    @initialize()
    def set_up(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.cell = single_cell()
        self.groups = [make_group(f"Tổ máy {n}", order=n, cell=self.cell) for n in (1, 2)]
        self.members = [
            make_member(self.groups[n % 2], f"Đảng viên máy {n}").pk for n in range(MEMBERS)
        ]
        self.temporary = make_member(
            None, "Khách máy", temporary=True, home_cell="Chi bộ bạn", cell=self.cell
        ).pk
        self.other = Organisation.objects.create(
            name="Chi bộ máy 2", kind=Organisation.Kind.CELL, parent=self.cell.parent
        )
        make_group("Tổ máy ở chi bộ 2", order=1, cell=self.other)
        make_plan(2019, cell=self.cell)
        plan = make_plan(2020, cell=self.cell)
        self.past = [
            make_session(start=at(2019, 11, 12)).pk,
            make_session(start=at(2019, 12, 10), regular=True).pk,
            make_session(plan, start=at(2020, 1, 9), thematic=False, regular=True, topic="").pk,
            make_session(plan, start=at(2020, 2, 13), scope=ThematicSession.Scope.GROUPS).pk,
            make_session(plan, start=at(2020, 3, 12)).pk,
        ]
        self.future = [
            make_session(plan, start=at(2020, 9, 10)).pk,
            make_session(plan, start=at(2020, 10, 8), regular=True).pk,
        ]

    def teardown(self):
        if hasattr(self, "atomic"):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    # --- The writes --------------------------------------------------------------

    @rule(
        index=st.integers(0, 4),
        statuses=st.lists(st.sampled_from(STATUSES), min_size=MEMBERS + 1, max_size=MEMBERS + 1),
        with_temporary=st.booleans(),
        add_missing=st.booleans(),
        guests=st.integers(0, 5),
    )
    def save_sheet(self, index, statuses, with_temporary, add_missing, guests):
        """The sheet saved (again, for a sheet of last year: a correction)."""
        session = ThematicSession.objects.get(pk=self.past[index])
        roster = session.roster()
        lines = roster.rows + (roster.missing if add_missing else [])
        entries = [
            AttendanceEntry(
                line.member.pk,
                line.group.pk if line.group else None,
                status,
                "Ốm" if status == Attendance.Status.EXCUSED else "",
            )
            for line, status in zip(lines, statuses, strict=False)
        ]
        with suppress(*REFUSED):
            services.save_attendance_sheet(
                session=session,
                version=session.attendance_version,
                entries=entries,
                temporary_ids=[self.temporary] if with_temporary else [],
                record=SessionRecord(guest_count=guests),
            )

    @rule(member=st.integers(0, MEMBERS - 1), month=st.integers(1, 12), days=st.integers(1, 90))
    def add_exemption(self, member, month, days):
        start = dt.date(2019 + month % 2, month, 1)
        try:
            with transaction.atomic():
                Exemption.objects.create(
                    member_id=self.members[member],
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=days),
                    reason="Điều trị bệnh",
                )
        except IntegrityError:
            pass

    @rule(member=st.integers(0, MEMBERS - 1))
    def remove_exemption(self, member):
        exemption = Exemption.objects.filter(member_id=self.members[member]).first()
        if exemption is not None:
            exemption.delete()

    @rule(member=st.integers(0, MEMBERS - 1), month=st.integers(1, 5))
    def member_leaves(self, member, month):
        record = Member.objects.get(pk=self.members[member])
        with suppress(*REFUSED):
            member_services.mark_member_left(
                member=record,
                day=dt.date(2020, month, 15),
                reason=Member.LeaveReason.values[0],
            )

    @rule(member=st.integers(0, MEMBERS - 1), group=st.integers(0, 1))
    def member_moves(self, member, group):
        record = Member.objects.get(pk=self.members[member])
        with suppress(*REFUSED):
            member_services.move_member(member=record, group=self.groups[group])

    @rule(member=st.integers(0, MEMBERS - 1), month=st.integers(1, 5))
    def member_transfers(self, member, month):
        record = Member.objects.get(pk=self.members[member])
        with suppress(*REFUSED):
            member_services.transfer_member(
                member=record, to_cell=self.other, day=dt.date(2020, month, 20)
            )

    @rule(index=st.integers(0, 1), days=st.integers(1, 40), with_date=st.booleans())
    def postpone(self, index, days, with_date):
        session = ThematicSession.objects.get(pk=self.future[index])
        start = session.start + dt.timedelta(days=days) if with_date else None
        end = start + dt.timedelta(hours=2) if with_date else None
        with suppress(*REFUSED):
            services.postpone_session(session=session, start=start, end=end, reason="Bão")

    @rule(index=st.integers(0, 1))
    def cancel(self, index):
        session = ThematicSession.objects.get(pk=self.future[index])
        with suppress(*REFUSED):
            services.cancel_session(session=session, reason="Dịch bệnh")

    @rule(
        index=st.integers(0, 4),
        days=st.integers(-45, 45).filter(bool),
        kind=st.sampled_from([(False, True), (True, True), (True, False)]),
    )
    def edit_meeting(self, index, days, kind):
        """A meeting's date moved (across the turn of the year too) and its kind changed."""
        session = ThematicSession.objects.get(pk=self.past[index])
        start = session.start + dt.timedelta(days=days)
        if start > at(2020, 5, 30):
            return
        session.start, session.end = start, start + dt.timedelta(hours=2)
        if (session.thematic, session.regular) == kind:
            kind = (not kind[0], True)
        session.thematic, session.regular = kind
        if session.thematic and not session.topic:
            session.topic = "Chuyên đề thêm"
        services.save_session(session=session)

    # --- The invariant -------------------------------------------------------------

    @invariant()
    def kept_figures_equal_a_recount(self):
        if not hasattr(self, "cell"):
            return
        assert recount(fix=False) == []
        self.check_against_the_pages_queries()

    def check_against_the_pages_queries(self):
        cell = self.cell
        kept_sessions = {row.session_id: row for row in SessionFigures.objects.of_cell(cell)}
        held = ThematicSession.objects.of_cell(cell).held().values_list("pk", flat=True)
        assert set(kept_sessions) == set(held)
        kept_members = {
            (row.member_id, row.year): row for row in MemberYearFigures.objects.of_cell(cell)
        }
        for year in YEARS:
            rows = Attendance.objects.for_year(year).of_cell(cell)
            for row in rows.figures_by("session"):
                kept = kept_sessions[row["session"]]
                assert kept.year == year
                assert kept.figures == AttendanceFigures.from_row(row)
                assert kept.temporary == row["temporary"]
            thematic = Attendance.objects.for_year(year, thematic=True).of_cell(cell)
            figures = {
                row["member"]: AttendanceFigures.from_row(row)
                for row in thematic.counted().figures_by("member")
            }
            runs = longest_absence_runs(year, cell=cell)
            months = removal.months_unexcused(rows)
            members = {key[0] for key in kept_members if key[1] == year}
            assert set(figures) <= members
            for member in members:
                kept = kept_members[(member, year)]
                assert kept.figures == figures.get(member, AttendanceFigures())
                assert kept.longest_run == runs.get(member, 0)
                assert kept.months_unexcused == months.get(member, 0)


@pytest.mark.django_db
def test_kept_figures_equal_a_recount_after_any_writes(now):
    run_state_machine_as_test(
        FiguresMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
