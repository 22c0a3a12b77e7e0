"""The figures behind the leaders' summary: each rule of the design, one test at least."""

import datetime as dt
from decimal import Decimal

import pytest

from members.models import Member, single_cell
from sessions.models import Attendance, AttendanceFigures, Postponement, ThematicSession
from sessions.reports.summaries import longest_absence_runs, year_summary
from tests.factories import (
    at,
    make_exemption,
    make_group,
    make_group_meeting,
    make_member,
    make_plan,
    make_session,
    record,
)

pytestmark = pytest.mark.django_db

P, E, U = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED
TODAY = dt.date(2021, 2, 1)


@pytest.fixture
def cell(groups):
    """Four members in two groups."""
    return {
        "an": make_member(groups[0], "Nguyễn Văn An"),
        "binh": make_member(groups[0], "Trần Thị Bình"),
        "cuong": make_member(groups[1], "Lê Văn Cường"),
        "dung": make_member(groups[1], "Phạm Thị Dung"),
    }


def member_row(summary, member):
    return next(row for row in summary.members if row.member == member)


def test_rate_is_present_over_expected_with_absences_apart(cell):
    record(make_session(start=at(2020, 3, 12)), {cell["an"]: E, cell["binh"]: U})
    record(make_session(start=at(2020, 6, 18)), {cell["an"]: E})
    summary = year_summary(2020, today=TODAY, cell=single_cell())
    assert summary.figures == AttendanceFigures(expected=8, present=5, excused=2, unexcused=1)
    assert summary.figures.rate == Decimal("62.5")
    assert summary.totals.held == 2


def test_exempt_member_is_not_expected_during_the_exemption(cell):
    make_exemption(cell["cuong"], dt.date(2020, 5, 1), dt.date(2020, 8, 31))
    record(make_session(start=at(2020, 3, 12)))
    record(make_session(start=at(2020, 6, 18)))
    record(make_session(start=at(2020, 10, 22)))
    summary = year_summary(2020, today=TODAY, cell=single_cell())
    row = member_row(summary, cell["cuong"])
    assert (row.figures.expected, row.figures.present) == (2, 2)
    assert [exemption.reason for exemption in row.exemptions] == ["Điều trị bệnh"]
    assert summary.sessions[1].figures.expected == 3
    assert summary.figures.expected == 11


def test_member_exempt_all_year_is_listed_with_no_rate(cell):
    make_exemption(cell["dung"], dt.date(2019, 6, 1))
    record(make_session(start=at(2020, 3, 12)))
    row = member_row(year_summary(2020, today=TODAY, cell=single_cell()), cell["dung"])
    assert row.figures == AttendanceFigures()
    assert row.figures.rate is None


def test_departed_member_counts_until_leaving_and_not_the_year_after(cell):
    record(make_session(start=at(2020, 3, 12)), {cell["binh"]: E})
    binh = cell["binh"]
    binh.left_cell_on, binh.left_reason = dt.date(2020, 5, 1), Member.LeaveReason.TRANSFER
    binh.save()
    record(make_session(start=at(2020, 6, 18)))
    record(make_session(start=at(2021, 3, 11)))
    summary = year_summary(2020, today=TODAY, cell=single_cell())
    assert member_row(summary, binh).figures == AttendanceFigures(expected=1, excused=1)
    assert [row.figures.expected for row in summary.sessions] == [4, 3]
    assert binh not in [
        row.member for row in year_summary(2021, today=TODAY, cell=single_cell()).members
    ]


def test_member_who_joined_mid_year_is_expected_from_then(cell, groups):
    newcomer = make_member(groups[1], "Hoàng Minh Đức", joined=dt.date(2020, 5, 1))
    record(make_session(start=at(2020, 3, 12)))
    record(make_session(start=at(2020, 6, 18)))
    summary = year_summary(2020, today=TODAY, cell=single_cell())
    assert member_row(summary, newcomer).figures.expected == 1
    assert newcomer not in [
        row.member for row in year_summary(2019, today=TODAY, cell=single_cell()).members
    ]


def test_temporary_attendees_are_shown_apart_and_never_counted(cell):
    visitor = make_member(None, "Đặng Thị Tuyết", temporary=True, home_cell="Chi bộ Trường")
    record(make_session(start=at(2020, 3, 12)), temporary=[visitor])
    record(make_session(start=at(2020, 6, 18)), temporary=[visitor])
    summary = year_summary(2020, today=TODAY, cell=single_cell())
    assert summary.figures.expected == 8
    assert summary.totals.temporary == 2
    assert [row.temporary for row in summary.sessions] == [1, 1]
    assert visitor not in [row.member for row in summary.members]
    [person] = summary.temporary
    assert (person.name, person.home_cell, person.present, person.sessions) == (
        "Đặng Thị Tuyết",
        "Chi bộ Trường",
        2,
        2,
    )


def test_guests_are_summed_and_leave_the_rate_alone(cell):
    record(make_session(start=at(2020, 1, 16), guest_count=9))
    record(make_session(start=at(2020, 8, 20), guest_count=12))
    make_session(start=at(2020, 10, 22), guest_count=5)  # not held: its guests do not count
    summary = year_summary(2020, today=TODAY, cell=single_cell())
    assert summary.totals.guests == 21
    assert summary.figures.rate == Decimal("100.0")


def test_session_held_group_by_group_counts_once_per_member(cell, groups):
    session = make_session(start=at(2020, 5, 14), scope="groups")
    make_group_meeting(session, groups[0], at(2020, 5, 12))
    make_group_meeting(session, groups[1], at(2020, 5, 13))
    record(session, {cell["cuong"]: E})
    record(make_session(start=at(2020, 6, 18)))
    summary = year_summary(2020, today=TODAY, cell=single_cell())
    assert (summary.totals.held, summary.totals.held_by_group) == (2, 1)
    assert summary.sessions[0].figures == AttendanceFigures(expected=4, present=3, excused=1)
    rates = {str(row.group): row.figures for row in summary.groups}
    assert rates["Tổ 2"] == AttendanceFigures(expected=4, present=3, excused=1)


def test_group_figures_use_the_group_at_the_time(cell, groups):
    record(make_session(start=at(2020, 3, 12)), {cell["an"]: U})
    an = cell["an"]
    an.group = groups[1]
    an.save()
    summary = year_summary(2020, today=TODAY, cell=single_cell())
    rates = {str(row.group): row.figures for row in summary.groups}
    assert rates["Tổ 1"] == AttendanceFigures(expected=2, present=1, unexcused=1)
    assert rates["Tổ 2"] == AttendanceFigures(expected=2, present=2)
    assert member_row(summary, an).group == groups[0]  # the group of their last row


def test_quarters_count_statuses_and_check_the_rule(cell, settings):
    settings.CHIBO_MIN_SESSIONS_PER_QUARTER = 1
    plan = make_plan(2020)
    record(make_session(plan, at(2020, 2, 12)))
    moved = make_session(plan, at(2020, 5, 20), status=ThematicSession.Status.POSTPONED)
    Postponement.objects.create(
        session=moved, previous_start=at(2020, 4, 20), new_start=moved.start, reason="Covid-19"
    )
    make_session(plan, at(2020, 8, 20), status=ThematicSession.Status.CANCELLED)
    make_session(plan, at(2020, 11, 20))
    quarters = year_summary(2020, today=dt.date(2020, 10, 15), cell=single_cell()).quarters
    q1, q2, q3, q4 = quarters
    assert (q1.total, q1.held, q1.meets_rule) == (1, 1, True)
    assert (q2.total, q2.postponed, q2.pending, q2.meets_rule) == (1, 1, 1, False)
    assert (q3.cancelled, q3.meets_rule) == (1, False)
    assert (q4.pending, q4.is_over, q4.meets_rule) == (1, False, None)


def test_longest_run_of_absences_per_member(cell):
    an, binh = cell["an"], cell["binh"]
    plan = make_plan(2020)
    pattern = [(E, P), (U, E), (P, E), (E, P), (E, P), (E, P), (P, P)]
    for month, (an_status, binh_status) in enumerate(pattern, start=1):
        record(make_session(plan, at(2020, month, 10)), {an: an_status, binh: binh_status})
    runs = longest_absence_runs(2020, cell=single_cell())
    assert runs[an.pk] == 3
    assert runs[binh.pk] == 2
    assert runs[cell["cuong"].pk] == 0


def test_an_exemption_neither_breaks_nor_extends_a_run(cell):
    an = cell["an"]
    plan = make_plan(2020)
    record(make_session(plan, at(2020, 1, 10)), {an: E})
    record(make_session(plan, at(2020, 2, 10)), {an: E})
    make_exemption(an, dt.date(2020, 3, 1), dt.date(2020, 3, 31))
    record(make_session(plan, at(2020, 3, 10)))
    record(make_session(plan, at(2020, 4, 10)), {an: U})
    assert longest_absence_runs(2020, cell=single_cell())[an.pk] == 3


def test_flags_follow_the_settings(cell, settings):
    settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR = 3
    settings.CHIBO_MAX_ABSENCES_IN_A_ROW = 3
    settings.CHIBO_GOOD_ATTENDANCE_PERCENT = 85
    an, binh = cell["an"], cell["binh"]
    plan = make_plan(2020)
    for month in range(1, 5):
        statuses = {an: U} if month < 4 else {an: U, binh: E}
        record(make_session(plan, at(2020, month * 3 - 1, 10)), statuses)
    summary = year_summary(2020, today=TODAY, cell=single_cell())
    assert [row.member for row in summary.members_unexcused] == [an]
    assert [row.member for row in summary.members_in_a_row] == [an]
    # 3/4 = 75 % and 2/4 = 50 %: every session is under the threshold.
    assert len(summary.sessions_below) == 4
    settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR = 5
    settings.CHIBO_MAX_ABSENCES_IN_A_ROW = 4
    settings.CHIBO_GOOD_ATTENDANCE_PERCENT = 50
    summary = year_summary(2020, today=TODAY, cell=single_cell())
    assert summary.members_unexcused == summary.members_in_a_row == []
    assert [row.figures.rate for row in summary.sessions_below] == [Decimal("50.0")]


def test_a_session_at_exactly_the_threshold_is_flagged(settings, groups):
    settings.CHIBO_GOOD_ATTENDANCE_PERCENT = 85
    members = [make_member(groups[0]) for _ in range(20)]
    record(make_session(start=at(2020, 3, 12)), {members[0]: E, members[1]: E, members[2]: E})
    [row] = year_summary(2020, today=TODAY, cell=single_cell()).sessions
    assert row.figures.rate == Decimal("85.0")
    assert row.below_threshold


def test_comparison_with_the_previous_year(cell):
    record(make_session(start=at(2019, 3, 12)), {cell["an"]: E, cell["binh"]: E})
    record(make_session(start=at(2020, 3, 12)), {cell["an"]: E})
    summary = year_summary(2020, today=TODAY, cell=single_cell())
    assert summary.previous.year == 2019
    assert summary.previous.figures.rate == Decimal("50.0")
    assert summary.rate_change == Decimal("25.0")
    assert year_summary(2019, today=TODAY, cell=single_cell()).previous.has_data is False


def test_a_year_without_anything_is_empty_not_an_error(db):
    summary = year_summary(1990, today=TODAY, cell=single_cell())
    assert summary.sessions == summary.groups == summary.members == []
    assert summary.figures.rate is None
    assert summary.quarters_missing == [1, 2, 3, 4]


def test_the_demo_cell_2020_matches_the_model_case(monkeypatch):
    from tests.builders import load_demo_at

    load_demo_at(monkeypatch)
    summary = year_summary(2020, cell=single_cell())
    assert (summary.totals.held, summary.totals.held_by_group) == (7, 1)
    assert len(summary.members) == 30
    assert len({row.group for row in summary.members}) == 4
    assert summary.figures == AttendanceFigures(expected=206, present=192, excused=12, unexcused=2)
    assert summary.figures.rate == Decimal("93.2")
    assert summary.totals.guests == 24
    assert summary.quarters_missing == []
    assert summary.flag_count == 0
    exempt = next(row for row in summary.members if row.member.full_name == "Nguyễn Văn Hải")
    assert exempt.figures.expected == 4  # tạm miễn from July
    assert [person.name for person in summary.temporary] == ["Đặng Thị Tuyết"]


def test_groups_without_rows_are_not_listed(cell):
    make_group("Tổ đã giải thể", is_active=False)
    record(make_session(start=at(2020, 3, 12)))
    assert [
        str(row.group) for row in year_summary(2020, today=TODAY, cell=single_cell()).groups
    ] == ["Tổ 1", "Tổ 2"]


def test_the_leaders_home_glance_counts_what_the_summary_does(db, now, settings):
    """Years of generated data: the same totals, sessions, groups and flags."""
    from chibo.demo.bulk import BulkLoader, Size
    from sessions.reports.summaries import year_glance

    settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR = 1
    settings.CHIBO_MAX_ABSENCES_IN_A_ROW = 1
    size = Size(members=12, groups=3, years=3, sessions_per_year=6, photos_per_session=0)
    BulkLoader(size, seed=5, today=now.date()).run()
    flagged = 0
    for year in (now.year - 2, now.year - 1, now.year):
        summary, glance = (
            year_summary(year, cell=single_cell()),
            year_glance(year, cell=single_cell()),
        )
        assert glance.totals == summary.totals
        assert [(row.session.pk, row.figures) for row in glance.sessions] == [
            (row.session.pk, row.figures) for row in summary.sessions
        ]
        assert [(row.group, row.figures) for row in glance.groups] == [
            (row.group, row.figures) for row in summary.groups
        ]
        assert glance.members_unexcused == len(summary.members_unexcused)
        assert glance.members_in_a_row == len(summary.members_in_a_row)
        assert glance.flag_count == summary.flag_count
        flagged += glance.members_unexcused + glance.members_in_a_row
    assert flagged  # the data has members to flag
