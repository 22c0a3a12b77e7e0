"""Attendance rate = present ÷ expected; excused and unexcused counted apart."""

from decimal import Decimal

import pytest

from members.models import Member
from sessions.models import Attendance, AttendanceFigures, longest_run, too_many_in_a_row
from tests.factories import at, make_member, make_session, record

pytestmark = pytest.mark.django_db

P, E, U = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED


def test_rate_is_present_over_expected():
    figures = AttendanceFigures(expected=29, present=27, excused=1, unexcused=1)
    assert figures.rate == Decimal("93.1")
    assert figures.absent == 2


def test_rate_is_none_when_nobody_was_expected():
    assert AttendanceFigures().rate is None
    assert not AttendanceFigures().below_good_rate


def test_a_rate_not_above_the_good_threshold_is_below_it(settings):
    settings.CHIBO_GOOD_ATTENDANCE_PERCENT = 85
    assert not AttendanceFigures(expected=20, present=18, excused=2).below_good_rate  # 90 %
    assert AttendanceFigures(expected=20, present=17, excused=3).below_good_rate  # 85 %
    settings.CHIBO_GOOD_ATTENDANCE_PERCENT = 95
    assert AttendanceFigures(expected=20, present=18, excused=2).below_good_rate


def test_unexcused_absences_are_flagged_from_the_yearly_threshold(settings):
    settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR = 3
    assert not AttendanceFigures(expected=9, present=7, unexcused=2).too_many_unexcused
    assert AttendanceFigures(expected=9, present=6, unexcused=3).too_many_unexcused
    settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR = 4
    assert not AttendanceFigures(expected=9, present=6, unexcused=3).too_many_unexcused


@pytest.mark.parametrize(
    ("statuses", "longest"),
    [
        ([], 0),
        ([P, P], 0),
        ([E, U, E], 3),
        ([E, P, U, U, P, E], 2),
        ([U, U, P, E, E, E, E], 4),
    ],
)
def test_the_longest_run_counts_absences_excused_or_not_in_a_row(statuses, longest):
    assert longest_run(statuses) == longest


def test_more_absences_in_a_row_than_the_rule_allows_are_flagged(settings):
    settings.CHIBO_MAX_ABSENCES_IN_A_ROW = 3
    assert not too_many_in_a_row(3)
    assert too_many_in_a_row(4)


def test_members_attending_temporarily_are_counted_apart(groups):
    regular = make_member(groups[0])
    visitor = make_member(groups[0], temporary=True)
    session = make_session(start=at(2020, 3, 12))
    record(session, {regular: U}, temporary=[visitor])
    counts = Attendance.objects.filter(session=session).figures()
    assert counts == {"expected": 1, "present": 0, "excused": 0, "unexcused": 1, "temporary": 1}


def test_session_figures_count_statuses_apart(groups):
    members = [make_member(groups[n % 2]) for n in range(10)]
    session = make_session(start=at(2020, 3, 12))
    record(session, {members[0]: E, members[1]: E, members[2]: U})
    figures = session.attendance_figures()
    assert figures == AttendanceFigures(expected=10, present=7, excused=2, unexcused=1)
    assert figures.rate == Decimal("70.0")


def test_temporary_attendees_are_recorded_but_never_counted(groups):
    make_member(groups[0])
    make_member(groups[0])
    visitor = make_member(None, "Khách Tạm Thời", temporary=True)
    session = make_session(start=at(2020, 3, 12))
    record(session, temporary=[visitor])
    assert Attendance.objects.filter(session=session).count() == 3
    assert session.attendance_figures() == AttendanceFigures(expected=2, present=2)


def test_guests_do_not_change_the_rate(groups):
    make_member(groups[0])
    session = make_session(start=at(2020, 3, 12), guest_count=12, guest_names="Quần chúng")
    record(session)
    assert session.attendance_figures().rate == Decimal("100.0")


def test_rate_by_group_uses_the_group_at_the_time(groups):
    mover = make_member(groups[0], "Chuyển Tổ")
    make_member(groups[1], "Ở Lại")
    session = make_session(start=at(2020, 3, 12))
    record(session, {mover: E})
    mover.group = groups[1]
    mover.save()
    rows = {
        row["group"]: AttendanceFigures.from_row(row)
        for row in Attendance.objects.figures_by("group")
    }
    assert rows[groups[0].pk] == AttendanceFigures(expected=1, present=0, excused=1)
    assert rows[groups[1].pk] == AttendanceFigures(expected=1, present=1)


def test_sessions_held_group_by_group_count_once_per_member(groups):
    for group in groups:
        make_member(group)
    session = make_session(start=at(2020, 5, 14), scope="groups")
    record(session)
    assert session.attendance_figures().expected == 2


def test_year_figures_only_count_that_year(groups):
    member = make_member(groups[0])
    record(make_session(start=at(2020, 3, 12)), {member: U})
    record(make_session(start=at(2021, 3, 12)))
    figures_2020 = AttendanceFigures.from_row(Attendance.objects.for_year(2020).figures())
    figures_2021 = AttendanceFigures.from_row(Attendance.objects.for_year(2021).figures())
    assert figures_2020 == AttendanceFigures(expected=1, present=0, unexcused=1)
    assert figures_2021 == AttendanceFigures(expected=1, present=1)


def test_departed_member_keeps_their_record(groups):
    leaver = make_member(groups[0], "Đã Chuyển")
    session = make_session(start=at(2020, 3, 12))
    record(session)
    leaver.left_cell_on = at(2021, 1, 1).date()
    leaver.left_reason = Member.LeaveReason.TRANSFER
    leaver.save()
    assert session.attendance_figures() == AttendanceFigures(expected=1, present=1)


def test_figures_from_fetched_rows_match_the_database_count(groups):
    """A member's year counted in Python gives what the aggregate query gives."""
    members = [make_member(groups[0]) for _ in range(4)]
    guest = make_member(temporary=True, name="Đặng Thị Tuyết")
    session = make_session(start=at(2020, 3, 12))
    record(session, {members[0]: E, members[1]: U}, temporary=[guest])
    rows = list(Attendance.objects.filter(session=session))
    assert AttendanceFigures.from_records(rows) == AttendanceFigures.from_row(
        Attendance.objects.filter(session=session).figures()
    )
    assert AttendanceFigures.from_records(rows) == AttendanceFigures(
        expected=4, present=2, excused=1, unexcused=1
    )


def test_figures_counted_by_group_add_up_to_the_whole(groups):
    members = [make_member(groups[n % 2]) for n in range(6)]
    session = make_session(start=at(2020, 3, 12))
    record(session, {members[0]: E, members[1]: U, members[3]: E})
    by_group = [
        AttendanceFigures.from_row(row) for row in Attendance.objects.all().figures_by("group")
    ]
    assert len(by_group) == 2
    assert AttendanceFigures.total(by_group) == AttendanceFigures.from_row(
        Attendance.objects.figures()
    )
