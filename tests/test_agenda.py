"""A member's next sessions: their own group's time, the status of each, what to read."""

import datetime as dt

import pytest
from django.urls import reverse

from members.models import Exemption
from sessions.agenda import upcoming_for
from sessions.models import Document, Postponement, ThematicSession
from tests.factories import at, make_exemption, make_group_meeting, make_plan, make_session

pytestmark = pytest.mark.django_db

Status = ThematicSession.Status


@pytest.fixture
def agenda_2020(groups, now):
    """On 1 June 2020 at 10:00."""
    plan = make_plan(2020)
    make_session(plan, at(2020, 5, 20), topic="Đã qua")
    by_group = make_session(plan, at(2020, 6, 3, 14), topic="Theo tổ", scope="groups")
    make_group_meeting(by_group, groups[0], at(2020, 6, 1, 7), location="Phòng Văn phòng")
    make_group_meeting(by_group, groups[1], at(2020, 6, 4, 8), location="Phòng Tổ chức")
    moved = make_session(plan, at(2020, 7, 9), topic="Đã dời", status=Status.POSTPONED)
    moved.status_reason = "Trùng Đại hội Công đoàn"
    moved.save()
    Postponement.objects.create(
        session=moved, previous_start=at(2020, 6, 11), new_start=moved.start, reason="Đại hội"
    )
    waiting = make_session(plan, at(2020, 5, 28), topic="Chờ ngày mới", status=Status.POSTPONED)
    Postponement.objects.create(session=waiting, previous_start=waiting.start, reason="Covid-19")
    make_session(
        plan,
        at(2020, 6, 25),
        topic="Đã hủy",
        status=Status.CANCELLED,
        status_reason="Không mời được báo cáo viên",
    )
    ahead = make_session(plan, at(2020, 8, 20), topic="Hội thi Olympia")
    Document.objects.create(session=ahead, title="Điều lệ Công đoàn", url="https://example.org/dl")
    return plan


def topics(items):
    return [item.session.topic for item in items]


def test_each_member_sees_their_own_groups_meeting(agenda_2020, member, other_member, now):
    tuan, hoa = member.member, other_member.member
    # Tổ 1 met from 7:00 to 9:00 this morning: gone from Tuấn's list; Tổ 2 meets on 4 June.
    assert "Theo tổ" not in topics(upcoming_for(tuan, now))
    [item] = [item for item in upcoming_for(hoa, now) if item.session.topic == "Theo tổ"]
    assert item.schedule.location == "Phòng Tổ chức"
    assert item.schedule.start == at(2020, 6, 4, 8)


def test_list_is_in_date_order_with_cancelled_and_undated_sessions(agenda_2020, other_member, now):
    assert topics(upcoming_for(other_member.member, now)) == [
        "Chờ ngày mới",
        "Theo tổ",
        "Đã hủy",
        "Đã dời",
        "Hội thi Olympia",
    ]


def test_home_page_shows_each_status(client, agenda_2020, member):
    client.force_login(member)
    text = client.get("/").text
    assert "Đã hoãn, chưa có ngày mới." in text
    assert "Đã hoãn từ 11/06/2020 08:00 sang thời gian trên." in text
    assert "Lý do hoãn: Trùng Đại hội Công đoàn" in text
    assert "Kỳ sinh hoạt này đã bị hủy. Lý do: Không mời được báo cáo viên" in text
    assert "Đã qua" not in text


def test_home_page_lists_documents_and_calendar_links(client, agenda_2020, member):
    client.force_login(member)
    text = client.get("/").text
    assert 'href="https://example.org/dl"' in text
    ahead = ThematicSession.objects.get(topic="Hội thi Olympia")
    assert reverse("sessions:session_ics", args=[ahead.pk]) in text
    assert reverse("sessions:calendar") in text
    assert reverse("sessions:my_record") in text


def test_home_page_shows_at_most_five(agenda_2020, member, now, client):
    for day in range(1, 5):
        make_session(start=at(2020, 9, day), topic=f"Thêm {day}")
    client.force_login(member)
    assert len(client.get("/").context["agenda"]) == 5
    calendar = client.get(reverse("sessions:calendar"))
    assert len(calendar.context["agenda"]) == 8


def test_menus_lead_to_the_members_own_pages(client, member, now):
    client.force_login(member)
    text = client.get("/").text
    assert reverse("sessions:my_record") in text
    assert reverse("sessions:calendar") in text
    assert reverse("sessions:summary_current") not in text


def test_leaders_menu_leads_to_the_summary(client, leader, now):
    client.force_login(leader)
    assert reverse("sessions:summary_current") in client.get("/").text


@pytest.mark.parametrize("url", ["/", "/sessions/calendar/"])
def test_member_pages_make_the_same_queries_for_few_and_many_sessions(
    client, member, groups, now, django_assert_max_num_queries, url
):
    def plan_ahead(count):
        for n in range(count):
            session = make_session(start=at(2020, 7 + n % 6, 1 + n % 27), scope="groups")
            make_group_meeting(session, groups[0], session.start)
            make_group_meeting(session, groups[1], session.start)
            Document.objects.create(session=session, title="Đề dẫn", url="https://example.org/a")
            Postponement.objects.create(
                session=session, previous_start=at(2020, 6, 30), new_start=session.start, reason="-"
            )

    client.force_login(member)
    plan_ahead(2)
    with django_assert_max_num_queries(15) as few:
        assert client.get(url).status_code == 200
    plan_ahead(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["agenda"]) >= 5


def test_an_exempt_member_is_told_they_need_not_come(client, agenda_2020, member, now):
    """The sessions stay on the list (they may still come), each one marked."""
    make_exemption(member.member, dt.date(2020, 7, 1), kind=Exemption.Kind.TEMPORARY)
    items = {item.session.topic: item for item in upcoming_for(member.member, now)}
    assert items["Đã hủy"].exemption is None  # 25 June, before the exemption
    assert items["Hội thi Olympia"].exemption is not None
    client.force_login(member)
    text = client.get("/").text
    assert text.count("Đồng chí đang được tạm miễn sinh hoạt vào ngày này") == 2
