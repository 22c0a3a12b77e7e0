"""Who is expected at a session: the roster rule of DESIGN.md."""

import datetime as dt

import pytest

from members.models import Member
from tests.factories import at, make_exemption, make_member, make_session

pytestmark = pytest.mark.django_db

DAY = dt.date(2020, 6, 18)


def expected_names(day=DAY):
    return set(Member.objects.expected_on(day).values_list("full_name", flat=True))


def test_full_and_probationary_members_are_expected(groups):
    make_member(groups[0], "Chính Thức", standing=Member.Standing.FULL)
    make_member(groups[1], "Dự Bị", standing=Member.Standing.PROBATIONARY)
    assert expected_names() == {"Chính Thức", "Dự Bị"}


def test_member_who_joined_after_the_session_is_not_expected(groups):
    make_member(groups[0], "Về Sau", joined=DAY + dt.timedelta(days=1))
    make_member(groups[0], "Về Đúng Ngày", joined=DAY)
    assert expected_names() == {"Về Đúng Ngày"}


def test_member_who_left_before_the_session_is_not_expected(groups):
    make_member(
        groups[0], "Đã Chuyển", left_cell_on=DAY - dt.timedelta(days=1), left_reason="transfer"
    )
    make_member(
        groups[0], "Chuyển Hôm Sau", left_cell_on=DAY + dt.timedelta(days=1), left_reason="transfer"
    )
    assert expected_names() == {"Chuyển Hôm Sau"}


def test_member_who_leaves_on_the_session_day_is_no_longer_expected(groups):
    make_member(groups[0], "Chuyển Cùng Ngày", left_cell_on=DAY, left_reason="transfer")
    assert expected_names() == set()


def test_left_member_is_still_expected_at_sessions_before_leaving(groups):
    make_member(groups[0], "Đã Chuyển", left_cell_on=dt.date(2021, 3, 15), left_reason="transfer")
    assert expected_names(dt.date(2020, 12, 10)) == {"Đã Chuyển"}
    assert expected_names(dt.date(2021, 6, 1)) == set()


def test_exempt_member_is_not_expected_during_the_exemption(groups):
    exempt = make_member(groups[0], "Tạm Miễn")
    make_exemption(exempt, dt.date(2020, 7, 1), dt.date(2020, 12, 31))
    assert expected_names(dt.date(2020, 6, 30)) == {"Tạm Miễn"}
    assert expected_names(dt.date(2020, 7, 1)) == set()
    assert expected_names(dt.date(2020, 12, 31)) == set()
    assert expected_names(dt.date(2021, 1, 1)) == {"Tạm Miễn"}


def test_open_ended_exemption_lasts(groups):
    exempt = make_member(groups[0], "Miễn Hẳn")
    make_exemption(exempt, dt.date(2019, 1, 1), None, kind="exempt")
    assert expected_names(dt.date(2030, 1, 1)) == set()


def test_member_attending_temporarily_is_never_expected(groups):
    make_member(None, "Tạm Thời", temporary=True, home_cell="Chi bộ Sở Y tế")
    make_member(groups[0], "Chính Thức")
    assert expected_names() == {"Chính Thức"}


def test_moving_group_keeps_member_expected(groups):
    mover = make_member(groups[0], "Chuyển Tổ")
    mover.group = groups[1]
    mover.save()
    assert expected_names() == {"Chuyển Tổ"}


def test_session_uses_its_local_date_for_the_roster(groups):
    """23:30 UTC on 31 Dec is already 1 Jan in Hà Nội: the roster is the 1 Jan one."""
    make_member(groups[0], "Về Ngày Đầu Năm", joined=dt.date(2021, 1, 1))
    session = make_session(start=at(2021, 1, 1, 6, 30), minutes=120)
    assert session.day == dt.date(2021, 1, 1)
    assert [m.full_name for m in session.expected_members()] == ["Về Ngày Đầu Năm"]


def test_member_is_expected_on_helper(groups):
    member = make_member(groups[0], "Một Người", joined=dt.date(2020, 1, 1))
    assert member.is_expected_on(DAY)
    assert not member.is_expected_on(dt.date(2019, 12, 31))
