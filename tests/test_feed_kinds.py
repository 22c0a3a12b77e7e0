"""Regular meetings beside thematic sessions on the member's pages, feed and reminders.

Each is marked with its kind, and a regular meeting is never called a
thematic session ("chuyên đề").
"""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from tests.factories import at, make_group_meeting, make_plan, make_session

pytestmark = pytest.mark.django_db

REGULAR = "Sinh hoạt chi bộ định kỳ tháng 6/2020"


@pytest.fixture
def both(groups, now):
    """On 1 June 2020: a regular meeting on 3 June and a thematic session on 4 June."""
    plan = make_plan(2020)
    regular = make_session(
        plan, at(2020, 6, 3, 14), topic="", thematic=False, regular=True, location="Phòng họp"
    )
    thematic = make_session(plan, at(2020, 6, 4, 8), topic="Chỉ thị 35")
    return regular, thematic


def card_of(text: str, title: str) -> str:
    """The agenda card whose heading names ``title``."""
    [card] = [part for part in text.split("<article")[1:] if f">{title}</a></h3>" in part]
    return card


def test_member_home_lists_both_kinds_marked(client, member, both):
    client.force_login(member)
    response = client.get("/")
    assert response.status_code == 200
    regular = card_of(response.text, REGULAR)
    assert "Sinh hoạt định kỳ" in regular and "chuyên đề" not in regular
    assert "Phòng họp" in regular
    assert "Sinh hoạt chuyên đề" in card_of(response.text, "Chỉ thị 35")


def test_calendar_page_lists_both_kinds_marked(client, member, both):
    client.force_login(member)
    response = client.get(reverse("sessions:calendar"))
    assert response.status_code == 200
    assert "Sinh hoạt định kỳ" in card_of(response.text, REGULAR)
    assert "Sinh hoạt chuyên đề" in card_of(response.text, "Chỉ thị 35")


def test_a_meeting_of_both_natures_says_so(client, member, groups, now):
    make_session(start=at(2020, 6, 5, 8), topic="Nghị quyết tỉnh", regular=True)
    client.force_login(member)
    response = client.get("/")
    assert "Định kỳ và chuyên đề" in card_of(response.text, "Nghị quyết tỉnh")


def test_secretary_home_marks_the_kind_of_upcoming_meetings(client, secretary, both):
    client.force_login(secretary)
    response = client.get("/")
    assert f">{REGULAR}</a>" in response.text
    assert "· Sinh hoạt định kỳ ·" in response.text
    assert "· Sinh hoạt chuyên đề ·" in response.text


def test_ical_feed_carries_both_kinds_with_categories(client, member, both):
    regular, thematic = both
    token = member.member.calendar_token
    response = client.get(reverse("sessions:calendar_feed", args=[token]))
    assert response.status_code == 200
    events = {
        str(event["UID"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")
    }
    event = events[f"chibo-session-{regular.pk}@testserver"]
    assert str(event["SUMMARY"]) == f"Sinh hoạt định kỳ: {REGULAR}"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Sinh hoạt định kỳ"]
    assert event["SEQUENCE"] == 0
    event = events[f"chibo-session-{thematic.pk}@testserver"]
    assert str(event["SUMMARY"]) == "Sinh hoạt chuyên đề: Chỉ thị 35"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Sinh hoạt chuyên đề"]
    calendar = Calendar.from_ical(response.content)
    assert "chuyên đề" not in str(calendar["X-WR-CALNAME"])


def test_single_download_of_a_regular_meeting(client, member, both):
    regular, _ = both
    client.force_login(member)
    response = client.get(reverse("sessions:session_ics", args=[regular.pk]))
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == REGULAR
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Sinh hoạt định kỳ: {REGULAR}"


@pytest.fixture
def emails(member, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CHIBO_REMINDER_DAYS_AHEAD = 3
    settings.CHIBO_SITE_URL = "https://chibo.example.vn"
    tuan = member.member
    tuan.email = "tuan@example.vn"
    tuan.save()
    return tuan


def run():
    call_command("send_reminders", stdout=StringIO(), stderr=StringIO())


def test_reminder_of_a_regular_meeting_names_it_right(emails, groups, now):
    make_session(start=at(2020, 6, 3, 14), topic="", thematic=False, regular=True)
    run()
    [message] = [m for m in mail.outbox if m.to == ["tuan@example.vn"]]
    assert message.subject == f"Nhắc lịch sinh hoạt chi bộ định kỳ: {REGULAR} – 03/06/2020 14:00"
    assert "Chi bộ nhắc đồng chí lịch sinh hoạt chi bộ định kỳ sắp tới:" in message.body
    assert f"Kỳ sinh hoạt: {REGULAR}" in message.body
    assert "chuyên đề" not in message.subject + message.body
    [(name, content, _)] = message.attachments
    assert name == "sinh-hoat-dinh-ky-2020-06-03.ics"
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["CATEGORIES"].cats[0]) == "Sinh hoạt định kỳ"


def test_reminder_of_a_thematic_session_is_unchanged(emails, groups, now):
    make_session(start=at(2020, 6, 3, 14), topic="Chỉ thị 35")
    run()
    [message] = [m for m in mail.outbox if m.to == ["tuan@example.vn"]]
    assert message.subject == "Nhắc lịch sinh hoạt chuyên đề: Chỉ thị 35 – 03/06/2020 14:00"
    assert "Chuyên đề: Chỉ thị 35" in message.body


def test_group_by_group_regular_meeting_gives_the_member_their_groups_time(
    client, emails, member, groups, now
):
    meeting = make_session(
        start=at(2020, 6, 20, 14), topic="", thematic=False, regular=True, scope="groups"
    )
    make_group_meeting(meeting, groups[0], at(2020, 6, 3, 8), location="Phòng Văn phòng")
    make_group_meeting(meeting, groups[1], at(2020, 6, 10, 8), location="Phòng Tổ chức")
    run()
    [message] = [m for m in mail.outbox if m.to == ["tuan@example.vn"]]
    assert "Phòng Văn phòng" in message.body and "lịch riêng của Tổ 1" in message.body
    client.force_login(member)
    card = card_of(client.get("/").text, REGULAR)
    assert "Phòng Văn phòng" in card and "Phòng Tổ chức" not in card
    assert "03/06/2020" in card
    token = emails.calendar_token
    feed = Calendar.from_ical(client.get(reverse("sessions:calendar_feed", args=[token])).content)
    [event] = feed.walk("VEVENT")
    assert str(event["LOCATION"]) == "Phòng Văn phòng"
    assert event.decoded("DTSTART").day == 3


def test_signing_sheet_of_a_regular_meeting_names_it_right(client, secretary, both):
    regular, _ = both
    client.force_login(secretary)
    response = client.get(reverse("sessions:signing_sheet", args=[regular.pk]))
    assert response.status_code == 200
    assert "Danh sách đảng viên dự sinh hoạt chi bộ định kỳ" in response.text
    assert f'<p class="text-center fw-bold">{REGULAR}</p>' in response.text
    sheet = response.text.split("minutes-sheet", 1)[1].split("</article>", 1)[0]
    assert "chuyên đề" not in sheet


def test_a_regular_meetings_pages_name_it_without_a_topic(client, secretary, member, both):
    regular, _ = both
    client.force_login(secretary)
    response = client.get(reverse("sessions:documents", args=[regular.pk]))
    assert response.status_code == 200
    assert f"Tài liệu · {REGULAR}" in response.text
    assert f">{REGULAR}</a></li>" in response.text  # the breadcrumb
