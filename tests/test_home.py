"""Each role's home page shows real figures, with a number of queries that does not grow."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Attendance, Document
from sessions.sent import next_plan_year
from tests.factories import (
    at,
    make_group,
    make_group_meeting,
    make_member,
    make_plan,
    make_session,
    record,
)

pytestmark = pytest.mark.django_db

E, U = Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED


@pytest.fixture
def year_2020(groups, member, other_member, now):
    """A 2020 plan half done on 1 June: two sessions held, one missed, two ahead."""
    plan = make_plan(2020, status="approved", approved_on=at(2020, 1, 8).date())
    tuan = member.member
    held = make_session(plan, at(2020, 1, 16, 14), topic="Rung chuông vàng", format="contest")
    record(held, {tuan: E})
    second = make_session(plan, at(2020, 3, 12), topic="Chỉ thị 35")
    record(second, {other_member.member: U})
    make_session(plan, at(2020, 5, 20), topic="Chưa ghi kết quả")
    by_group = make_session(
        plan, at(2020, 6, 18, 14), topic="Học tập theo tổ", scope="groups", location="Hội trường"
    )
    make_group_meeting(by_group, groups[0], at(2020, 6, 16, 8), location="Phòng Văn phòng")
    make_group_meeting(by_group, groups[1], at(2020, 6, 17, 8), location="Phòng Tổ chức")
    Document.objects.create(
        session=by_group, title="Đề dẫn chuyên đề", kind="draft", url="https://example.org/de-dan"
    )
    make_session(plan, at(2020, 10, 22), topic="Nghị quyết tỉnh")
    return plan


def test_member_sees_next_sessions_with_their_group_meeting(client, member, year_2020):
    client.force_login(member)
    response = client.get("/")
    agenda = [item.session.topic for item in response.context["agenda"]]
    assert agenda == ["Học tập theo tổ", "Nghị quyết tỉnh"]
    assert "Phòng Văn phòng" in response.text  # Tổ 1's own meeting
    assert "Phòng Tổ chức" not in response.text
    assert "16/06/2020" in response.text
    assert "Đề dẫn chuyên đề" in response.text


def test_member_sees_own_attendance_this_year(client, member, year_2020):
    client.force_login(member)
    response = client.get("/")
    figures = response.context["figures"]
    assert (figures.present, figures.expected, figures.excused) == (1, 2, 1)
    assert "50,0 %" in response.text
    assert "Vắng có lý do" in response.text


def test_member_attendance_table_stacks_on_a_phone(client, member, year_2020):
    client.force_login(member)
    text = client.get("/").text
    table = re.search(r'<table class="[^"]*my-attendance[^"]*">.*?</table>', text, re.S).group(0)
    assert "table-stack" in table.split(">", 1)[0]
    first = table.split("<tbody>")[1].split("</tr>")[0]
    assert re.findall(r'data-label="([^"]*)"', first) == ["Ngày", "Kỳ sinh hoạt", "Điểm danh"]
    assert re.search(r'data-label="Điểm danh">Vắng có lý do', first)


def test_member_home_never_shows_another_members_record(client, member, other_member, year_2020):
    client.force_login(member)
    response = client.get("/")
    assert "Vắng không có lý do" not in response.text  # other_member's unexcused absence
    assert "Phùng Thị Hoa" not in response.text


def test_account_without_member_gets_an_explanation(client, db):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("khach"))
    response = client.get("/")
    assert "chưa được gắn với đảng viên nào" in response.text


def test_secretary_sees_plan_by_quarter_and_sessions_to_record(client, secretary, year_2020):
    client.force_login(secretary)
    response = client.get("/")
    assert [s.topic for s in response.context["to_record"]] == ["Chưa ghi kết quả"]
    quarters = {
        q: [s.topic for s in sessions] for q, sessions, _missing in response.context["quarters"]
    }
    assert quarters[2] == ["Chưa ghi kết quả", "Học tập theo tổ"]
    missing = [q for q, _sessions, is_missing in response.context["quarters"] if is_missing]
    assert missing == [3]
    assert "Chưa đủ kỳ sinh hoạt chuyên đề" in response.text


def test_secretary_without_a_plan_is_told(client, secretary, now):
    client.force_login(secretary)
    assert "Chi bộ chưa có kế hoạch sinh hoạt chuyên đề năm 2020" in client.get("/").text


def test_leader_sees_year_figures_and_rate_per_group(client, leader, year_2020):
    client.force_login(leader)
    response = client.get("/")
    summary = response.context["summary"]
    assert (summary.totals.held, summary.totals.total) == (2, 5)
    assert (summary.figures.excused, summary.figures.unexcused) == (1, 1)
    rates = {row.group.name: row.figures.rate for row in summary.groups}
    assert set(rates) == {"Tổ 1", "Tổ 2"}
    assert "Tỷ lệ dự sinh hoạt theo tổ Đảng" in response.text
    assert "2/5" in response.text
    assert reverse("sessions:summary", args=[2020]) in response.text
    assert reverse("sessions:annual_report", args=[2020]) in response.text


def test_leader_home_tables_stack_on_a_phone(client, leader, year_2020):
    client.force_login(leader)
    text = client.get("/").text
    table = re.search(r'<table class="[^"]*home-sessions[^"]*">.*?</table>', text, re.S).group(0)
    assert "table-stack" in table.split(">", 1)[0]
    rows = table.split("<tbody>")[1].split("</tr>")[:-1]
    assert len(rows) == 2  # the two sessions held
    for row in rows:
        labels = re.findall(r'data-label="([^"]*)"', row)
        assert labels == ["Ngày", "Chuyên đề", "Có mặt / phải dự", "Tỷ lệ"]


def grow(n_members, n_sessions):
    groups = [make_group(order=i) for i in range(4)]
    for i in range(n_members):
        make_member(groups[i % 4])
    plan = make_plan(2020)
    for i in range(n_sessions):
        start = at(2020, 1 + (i * 5) % 12, 1 + i % 27, 8)
        session = make_session(plan, start, scope="groups" if i % 3 == 0 else "cell")
        if i % 3 == 0:
            for group in groups:
                make_group_meeting(session, group, session.start)
        Document.objects.create(session=session, title="Tài liệu", url="https://example.org/a")
        if session.end < at(2020, 6, 1):
            record(session)


@pytest.mark.parametrize("role", ["member", "secretary", "leader"])
def test_home_query_count_does_not_grow_with_the_cell(
    client, role, request, django_assert_max_num_queries, now
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    grow(5, 4)
    with django_assert_max_num_queries(25) as small:
        client.get("/")
    grow(60, 24)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/")
    assert response.status_code == 200


def test_the_next_years_plan_is_asked_for_from_the_last_quarter(
    client, secretary, year_2020, monkeypatch
):
    # The plan is due 31/01: the home asks for next year's 92 days before.
    assert next_plan_year(at(2020, 10, 30).date()) is None
    assert next_plan_year(at(2020, 10, 31).date()) == 2021
    assert next_plan_year(at(2020, 12, 31).date()) == 2021

    client.force_login(secretary)
    assert 'id="next-plan"' not in client.get(reverse("home")).text  # 1 June

    december = at(2020, 12, 4, 9)
    monkeypatch.setattr(timezone, "now", lambda: december)
    client.force_login(secretary)  # six months on: a new login
    page = client.get(reverse("home")).text
    assert "Chi bộ chưa có kế hoạch năm 2021" in page
    assert "trước ngày 31/01/2021" in page
    assert reverse("sessions:plan_copy", args=[2020]) in page

    make_plan(2021)
    page = client.get(reverse("home")).text
    assert 'id="next-plan"' not in page
    assert "Kế hoạch năm 2021 đã lập, có 0 kỳ sinh hoạt." in page


def test_an_empty_plan_offers_no_copy(client, secretary, groups, now):
    empty = make_plan(2020)
    client.force_login(secretary)
    page = client.get(empty.get_absolute_url()).text
    assert reverse("sessions:plan_copy", args=[2020]) not in page
    make_session(empty, at(2020, 3, 12))
    page = client.get(empty.get_absolute_url()).text
    assert reverse("sessions:plan_copy", args=[2020]) in page
