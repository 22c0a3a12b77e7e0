"""A member's own record: this year's rate, every session with its status, earlier years."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from members.models import single_cell
from sessions.models import Attendance, ThematicSession
from sessions.reports.summaries import year_summary
from tests.builders import grow_cell
from tests.factories import (
    at,
    make_exemption,
    make_group_meeting,
    make_member,
    make_plan,
    make_session,
    record,
)

pytestmark = pytest.mark.django_db

E, U = Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED


def record_url(member, year=2020):
    return reverse("sessions:member_record", args=[member.pk, year])


@pytest.fixture
def year_2020(groups, member, other_member):
    tuan, hoa = member.member, other_member.member
    plan = make_plan(2020)
    record(make_session(plan, at(2020, 1, 16), topic="Rung chuông vàng"), {tuan: E})
    record(make_session(plan, at(2020, 3, 12), topic="Chỉ thị 35"), {hoa: U})
    make_session(plan, at(2020, 8, 20), topic="Hội thi Olympia")
    make_session(plan, at(2020, 10, 22), topic="Đã hủy", status=ThematicSession.Status.CANCELLED)
    record(make_session(start=at(2019, 6, 18), topic="Năm trước"), {tuan: U})
    return plan


def test_a_session_held_group_by_group_shows_the_members_own_groups_day(
    client, member, groups, year_2020
):
    """Each group met on its own day: the record gives the one the member attended."""
    session = make_session(year_2020, at(2020, 5, 14), topic="Theo tổ", scope="groups")
    make_group_meeting(session, groups[0], at(2020, 5, 12, 14))
    make_group_meeting(session, groups[1], at(2020, 5, 13, 8))
    record(session)
    client.force_login(member)
    response = client.get(record_url(member.member))
    [line] = [line for line in response.context["record"].lines if line.session == session]
    assert line.start == at(2020, 5, 12, 14)
    assert "12/05/2020" in response.text and "14/05/2020" not in response.text


def test_my_record_goes_to_my_own_page_for_this_year(client, member, now):
    client.force_login(member)
    response = client.get(reverse("sessions:my_record"))
    assert response.url == record_url(member.member, 2020)


def test_member_sees_every_session_of_the_year_with_their_status(client, member, year_2020):
    client.force_login(member)
    response = client.get(record_url(member.member))
    assert response.status_code == 200
    text = response.text
    assert "Việc dự sinh hoạt của tôi năm 2020" in text
    lines = [(line.session.topic, line.attendance) for line in response.context["record"].lines]
    assert [topic for topic, _row in lines] == [
        "Rung chuông vàng",
        "Chỉ thị 35",
        "Hội thi Olympia",
        "Đã hủy",
    ]
    assert lines[0][1].status == E
    assert "Vắng có lý do" in text and "(Đi công tác)" in text
    assert "Kỳ sinh hoạt đã bị hủy" in text
    assert "Theo kế hoạch" in text  # the session still to come
    figures = response.context["record"].figures
    assert (figures.present, figures.expected, figures.excused) == (1, 2, 1)
    assert "50,0 %" in text


def test_member_sees_earlier_years_and_can_open_them(client, member, year_2020):
    client.force_login(member)
    response = client.get(record_url(member.member))
    years = [line.year for line in response.context["record"].years]
    assert years == [2020, 2019]
    assert record_url(member.member, 2019) in response.text
    earlier = client.get(record_url(member.member, 2019))
    assert "Năm trước" in earlier.text
    assert "Vắng không có lý do" in earlier.text
    assert "Rung chuông vàng" not in earlier.text


def test_year_selector_redirects_and_refuses_bad_years(client, member, year_2020):
    client.force_login(member)
    url = record_url(member.member)
    assert client.get(url, {"year": "2019"}).url == record_url(member.member, 2019)
    response = client.get(url, {"year": "năm ngoái"}, follow=True)
    assert response.status_code == 200
    assert "Năm không hợp lệ" in response.text


def test_member_cannot_read_another_members_record(client, member, other_member, year_2020):
    """The record at that address names Hoa and her absence, but only to Hoa."""
    client.force_login(other_member)
    own = client.get(record_url(other_member.member))
    assert own.status_code == 200
    assert "Phùng Thị Hoa" in own.text and "Vắng không có lý do" in own.text
    client.force_login(member)
    response = client.get(record_url(other_member.member))
    assert response.status_code == 404
    assert "Vắng không có lý do" not in response.text
    assert "Phùng Thị Hoa" not in response.text


def test_member_cannot_guess_records_of_members_without_login(client, member, groups, year_2020):
    stranger = make_member(groups[1], "Không Có Tài Khoản")
    client.force_login(member)
    assert client.get(record_url(stranger)).status_code == 404
    assert client.get(reverse("sessions:member_record", args=[999999, 2020])).status_code == 404


@pytest.mark.parametrize("role", ["leader", "secretary"])
def test_leaders_and_secretary_read_any_record(client, request, role, other_member, year_2020):
    client.force_login(request.getfixturevalue(role))
    response = client.get(record_url(other_member.member))
    assert response.status_code == 200
    assert "Việc dự sinh hoạt của Phùng Thị Hoa năm 2020" in response.text
    assert "Vắng không có lý do" in response.text


def test_account_without_a_member_has_no_record(client, db):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("khach"))
    assert client.get(reverse("sessions:my_record")).status_code == 404


def test_a_run_of_absences_across_new_year_counts_on_the_record_as_on_the_summary(
    client, member, groups
):
    tuan = member.member
    for month, year in ((10, 2019), (11, 2019), (12, 2019), (1, 2020), (2, 2020), (3, 2020)):
        away = (month, year) not in ((10, 2019), (3, 2020))
        record(make_session(start=at(year, month, 20, 8)), {tuan: E} if away else {})
    client.force_login(member)
    # November to February: four sessions missed in a row, shown in the year the run reaches.
    assert client.get(record_url(tuan, 2020)).context["record"].longest_absence_run == 4
    assert client.get(record_url(tuan, 2019)).context["record"].longest_absence_run == 2
    text = client.get(record_url(tuan, 2020)).text
    assert re.search(
        r'<div class="figure-number">4</div>\s*<div[^>]*>kỳ vắng liên tiếp nhiều nhất', text
    )
    summary = {row.member: row for row in year_summary(2020, cell=single_cell()).members}
    assert summary[tuan].longest_absence_run == 4


def test_exempt_session_is_shown_as_not_expected(client, member, now):
    tuan = member.member
    make_exemption(tuan, dt.date(2020, 3, 1), dt.date(2020, 3, 31))
    record(make_session(start=at(2020, 3, 12), topic="Trong thời gian miễn"))
    client.force_login(member)
    text = client.get(record_url(tuan)).text
    assert "Trong thời gian miễn" in text
    assert "Không phải dự" in text


def test_temporary_attendee_sees_their_record_without_a_rate(client, member, groups):
    tuan = member.member
    tuan.temporary, tuan.group = True, None
    tuan.save()
    make_member(groups[0])
    record(make_session(start=at(2020, 3, 12), topic="Chỉ thị 35"), temporary=[tuan])
    client.force_login(member)
    text = client.get(record_url(tuan)).text
    assert "không tính vào tỷ lệ" in text
    assert "Chỉ thị 35" in text
    assert "Có mặt" in text


def test_record_makes_the_same_queries_for_a_small_and_a_large_cell(
    client, member, django_assert_max_num_queries
):
    client.force_login(member)
    tuan = member.member

    def attend_everything():
        Attendance.objects.bulk_create(
            Attendance(session=session, member=tuan, group=tuan.group)
            for session in ThematicSession.objects.exclude(attendances__member=tuan)
        )

    grow_cell(30, [2019, 2020])
    attend_everything()
    with django_assert_max_num_queries(20) as small:
        assert client.get(record_url(tuan)).status_code == 200
    grow_cell(300, [2016, 2017, 2018, 2019, 2020], sessions_per_year=12)
    attend_everything()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(record_url(tuan))
    assert len(response.context["record"].lines) == 8 + 12
    assert [line.year for line in response.context["record"].years] == [
        2020,
        2019,
        2018,
        2017,
        2016,
    ]


def test_on_a_phone_the_years_are_cards_and_the_titles_compact_links(client, member, year_2020):
    client.force_login(member)
    text = client.get(record_url(member.member)).text
    years = re.search(r'<table class="[^"]*record-years[^"]*">.*?</table>', text, re.S).group(0)
    assert "table-stack" in years.split(">", 1)[0]
    first = years.split("<tbody>")[1].split("</tr>")[0]
    assert re.findall(r'data-label="([^"]*)"', first) == [
        "Năm",
        "Có mặt / phải dự",
        "Vắng có lý do",
        "Vắng không có lý do",
        "Tỷ lệ",
    ]
    assert re.search(r'<a class="record-title" href="[^"]+">Rung chuông vàng</a>', text)
