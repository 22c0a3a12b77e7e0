"""Two cells in one Chibo: every figure, list, export and feed counts one cell's rows.

Cell A is the tests' cell (``single_cell()``, with the named users of
conftest); cell B is a sibling under the same committee, with its own
members, plan and sessions held with attendance. Each page of a user of A
shows exactly A's figures and never a name or a topic of B; a leader of B
sees B's figures the same way.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chibo.history import recent_changes
from chibo.lib.roles import LEADER, MEMBER
from members.models import Organisation, single_cell
from sessions.models import Attendance
from tests.factories import (
    at,
    make_group,
    make_group_meeting,
    make_member,
    make_plan,
    make_session,
    make_user,
    record,
)

pytestmark = pytest.mark.django_db

P, E, U = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED

A_HELD = "Học tập Nghị quyết của chi bộ A"
A_NEXT = "Kỳ sắp tới của chi bộ A"
B_HELD = "Chuyên đề riêng của chi bộ B"
B_NEXT = "Kỳ sắp tới của chi bộ B"
B_OLD = "Chuyên đề năm 2018 của chi bộ B"
B_NAMES = ("Đinh Văn Khải", "Vi Thị Lan", "Ma Văn Sơn")
B_WORDS = (*B_NAMES, B_HELD, B_NEXT, B_OLD, "Tổ Trường học")


@pytest.fixture
def cells(secretary, leader, member, now):
    """A: three members, one held session (one unexcused absence), one to come.
    B: three members, a held session of 2020 (one excused absence), one to come,
    and a plan of 2018 with a held session."""
    a = single_cell()
    b = Organisation.objects.create(
        name="Chi bộ Trường Tiểu học", kind=Organisation.Kind.CELL, parent=a.parent
    )
    group_b = make_group("Tổ Trường học", cell=b)
    khai, lan, son = (make_member(group_b, name) for name in B_NAMES)
    b_leader = make_user("b-leader", LEADER, son)
    make_user("b-member", MEMBER, khai)

    plan_a = make_plan(2020)
    held_a = make_session(plan_a, start=at(2020, 3, 12), topic=A_HELD)
    record(held_a, {member.member: U})
    make_session(plan_a, start=at(2020, 9, 10), topic=A_NEXT)

    plan_b = make_plan(2020, cell=b)
    held_b = make_session(plan_b, start=at(2020, 3, 20), topic=B_HELD)
    record(held_b, {khai: E})
    make_session(plan_b, start=at(2020, 9, 15), topic=B_NEXT)
    old_b = make_session(make_plan(2018, cell=b), start=at(2018, 4, 5), topic=B_OLD)
    record(old_b, {lan: U})
    return {"a": a, "b": b, "b_leader": b_leader, "khai": khai, "held_b": held_b}


def text_of(response) -> str:
    return response.content.decode()


def assert_none_of_b(text: str):
    found = [word for word in B_WORDS if word in text]
    assert not found, found


def unfolded(response) -> str:
    """An iCalendar body with its long lines unfolded."""
    return response.content.decode().replace("\r\n ", "")


def a_names(secretary, leader, member):
    return {user.member.full_name for user in (secretary, leader, member)}


def test_the_summary_counts_cell_as_rows_only(client, leader, secretary, member, cells):
    client.force_login(leader)
    response = client.get(reverse("sessions:summary", args=[2020]))
    summary = response.context["summary"]
    assert summary.cell == cells["a"]
    assert (summary.totals.total, summary.totals.held) == (2, 1)
    figures = summary.figures
    assert (figures.expected, figures.present, figures.excused, figures.unexcused) == (3, 2, 0, 1)
    assert [row.session.topic for row in summary.sessions] == [A_HELD]
    assert {row.member.full_name for row in summary.members} == a_names(secretary, leader, member)
    assert [str(row.group) for row in summary.groups] == ["Tổ 1"]
    assert not summary.previous.has_data
    assert response.context["years"] == [2020]  # B's plan of 2018 is not A's year
    assert_none_of_b(text_of(response))


def test_a_leader_of_the_other_cell_sees_its_own_figures(client, secretary, member, cells):
    client.force_login(cells["b_leader"])
    response = client.get(reverse("sessions:summary", args=[2020]))
    summary = response.context["summary"]
    figures = summary.figures
    assert (figures.expected, figures.present, figures.excused, figures.unexcused) == (3, 2, 1, 0)
    assert [row.session.topic for row in summary.sessions] == [B_HELD]
    assert {row.member.full_name for row in summary.members} == set(B_NAMES)
    assert response.context["years"] == [2020, 2018]
    text = text_of(response)
    assert secretary.member.full_name not in text and member.member.full_name not in text
    assert A_HELD not in text


def test_the_leaders_home_glances_at_cell_as_year(client, leader, cells):
    client.force_login(leader)
    response = client.get(reverse("home"))
    glance = response.context["summary"]
    assert (glance.totals.total, glance.totals.held) == (2, 1)
    assert (glance.figures.expected, glance.figures.unexcused) == (3, 1)
    assert [row.session.topic for row in glance.sessions] == [A_HELD]
    assert_none_of_b(text_of(response))


def test_the_secretarys_home_counts_cell_as_sessions(client, secretary, cells):
    client.force_login(secretary)
    response = client.get(reverse("home"))
    context = response.context
    assert (context["held"], context["planned"]) == (1, 2)
    assert context["figures"].expected == 3
    assert [session.topic for session in context["upcoming"]] == [A_NEXT]
    assert list(context["to_record"]) == []
    assert_none_of_b(text_of(response))


def test_the_annual_report_tells_cell_as_year(client, leader, cells):
    client.force_login(leader)
    response = client.get(reverse("sessions:annual_report", args=[2020]))
    report = response.context["report"]
    assert report.summary.figures.expected == 3
    assert [session.topic for session in report.other_sessions] == [A_NEXT]
    assert report.secretary.cell == cells["a"]
    assert "3 đảng viên" in report.cell_sentence()
    assert_none_of_b(text_of(response))


def test_the_csv_export_holds_cell_as_rows(client, leader, secretary, member, cells):
    client.force_login(leader)
    response = client.get(reverse("sessions:export_csv", args=[2020]))
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 1 + 3  # the header and A's three rows
    assert all(A_HELD in line for line in lines[1:])
    for name in a_names(secretary, leader, member):
        assert name in text
    assert_none_of_b(text)


def test_the_workbook_holds_cell_as_rows(client, leader, secretary, member, cells):
    client.force_login(leader)
    response = client.get(reverse("sessions:export_xlsx", args=[2020]))
    book = load_workbook(io.BytesIO(response.content))
    text = "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    for name in a_names(secretary, leader, member):
        assert name in text
    assert_none_of_b(text)


def test_the_members_home_lists_cell_as_sessions(client, member, cells):
    client.force_login(member)
    response = client.get(reverse("home"))
    assert [item.session.topic for item in response.context["agenda"]] == [A_NEXT]
    assert [row.session.topic for row in response.context["records"]] == [A_HELD]
    assert_none_of_b(text_of(response))


def test_the_calendar_page_and_feed_carry_cell_as_sessions(client, member, cells):
    client.force_login(member)
    page = client.get(reverse("sessions:calendar"))
    assert [item.session.topic for item in page.context["agenda"]] == [A_NEXT]
    assert_none_of_b(text_of(page))
    client.logout()
    feed = client.get(reverse("sessions:calendar_feed", args=[member.member.calendar_token]))
    text = unfolded(feed)
    assert A_HELD in text and A_NEXT in text
    assert_none_of_b(text)


def test_the_other_cells_member_gets_their_own_feed(client, cells):
    token = cells["khai"].calendar_token
    text = unfolded(client.get(reverse("sessions:calendar_feed", args=[token])))
    assert B_HELD in text and B_NEXT in text and A_HELD not in text and A_NEXT not in text


def test_the_cell_history_page_lists_cell_as_changes(client, leader, cells):
    client.force_login(leader)
    response = client.get(reverse("history:cell"))
    text = text_of(response)
    assert A_HELD in text
    assert_none_of_b(text)


def test_a_member_record_lists_cell_as_sessions(client, member, cells):
    client.force_login(member)
    response = client.get(reverse("sessions:member_record", args=[member.member.pk, 2020]))
    topics = [line.session.topic for line in response.context["record"].lines]
    assert topics == [A_HELD, A_NEXT]
    assert_none_of_b(text_of(response))


@pytest.mark.parametrize(
    "url",
    [
        lambda c: reverse("members:detail", args=[c["khai"].pk]),
        lambda c: reverse("sessions:member_record", args=[c["khai"].pk, 2020]),
        lambda c: reverse("history:member", args=[c["khai"].pk]),
        lambda c: reverse("history:session", args=[c["held_b"].pk]),
        lambda c: reverse("sessions:session_ics", args=[c["held_b"].pk]),
    ],
)
def test_a_leader_of_one_cell_gets_404_for_the_other_cells_pages(client, leader, cells, url):
    client.force_login(leader)
    assert client.get(url(cells)).status_code == 404


def test_a_deleted_sessions_history_stays_with_its_cell(groups, cells):
    """Its rows and its group meetings' rows are found through the session's own history."""
    session = make_session(make_plan(2020), start=at(2020, 11, 5), topic="Kỳ bỏ khỏi kế hoạch")
    make_group_meeting(session, groups[0], at(2020, 11, 5))
    session.delete()
    entries, _cursor = recent_changes(cells["a"])
    deleted = [entry for entry in entries if entry.action == "-"]
    assert {entry.kind for entry in deleted} == {"kỳ sinh hoạt", "buổi sinh hoạt của tổ"}
    entries_b, _cursor = recent_changes(cells["b"])
    assert not [entry for entry in entries_b if entry.action == "-"]
