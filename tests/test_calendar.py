"""The member's private iCalendar feed, its renewal, and single .ics downloads."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from members.models import Member
from sessions.models import Postponement, ThematicSession
from sessions.services import cancel_session, postpone_session, save_session
from tests.builders import grow_cell
from tests.factories import (
    at,
    make_group_meeting,
    make_member,
    make_plan,
    make_session,
    make_user,
)

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
Status = ThematicSession.Status


def feed_url(member):
    member.refresh_from_db()
    return reverse("sessions:calendar_feed", args=[member.calendar_token])


def events_of(response) -> dict:
    """The feed's events by topic, after checking it is a valid calendar."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    return {str(event["SUMMARY"]).split(": ", 1)[1]: event for event in calendar.walk("VEVENT")}


@pytest.fixture
def sessions_2020(groups, now):
    """On 1 June 2020: a session by group ahead, one postponed, one cancelled, one held."""
    plan = make_plan(2020)
    by_group = make_session(
        plan, at(2020, 6, 18, 14), topic="Học tập theo tổ", scope="groups", location="Hội trường"
    )
    make_group_meeting(by_group, groups[0], at(2020, 6, 16, 8), location="Phòng Văn phòng")
    make_group_meeting(by_group, groups[1], at(2020, 6, 17, 14), location="Phòng Tổ chức")
    moved = make_session(plan, at(2020, 8, 20, 8), topic="Điều lệ Công đoàn")
    postpone_session(session=moved, start=at(2020, 9, 10, 8), end=at(2020, 9, 10, 10), reason="Bão")
    cancel_session(
        session=make_session(plan, at(2020, 10, 22, 8), topic="Nghị quyết tỉnh"),
        reason="Trùng lịch Đại hội",
    )
    make_session(plan, at(2020, 3, 12, 8), topic="Chỉ thị 35", status=Status.HELD)
    return plan


def test_feed_is_open_by_token_without_login(client, member, sessions_2020):
    response = client.get(feed_url(member.member))
    events = events_of(response)
    assert set(events) == {"Học tập theo tổ", "Điều lệ Công đoàn", "Nghị quyết tỉnh", "Chỉ thị 35"}
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_feed_gives_the_members_own_group_time_in_hanoi_time(client, member, sessions_2020):
    response = client.get(feed_url(member.member))
    assert b"DTSTART;TZID=Asia/Ho_Chi_Minh:20200616T080000" in response.content
    assert b"TZOFFSETTO:+0700" in response.content
    event = events_of(response)["Học tập theo tổ"]
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2020, 6, 16, 8, 0, tzinfo=HANOI)
    assert start.tzinfo.key == "Asia/Ho_Chi_Minh"
    assert start.utcoffset() == dt.timedelta(hours=7)
    assert event.decoded("DTEND") == dt.datetime(2020, 6, 16, 10, 0, tzinfo=HANOI)
    assert str(event["LOCATION"]) == "Phòng Văn phòng"


def test_another_group_gets_its_own_meeting(client, other_member, sessions_2020):
    event = events_of(client.get(feed_url(other_member.member)))["Học tập theo tổ"]
    assert event.decoded("DTSTART") == dt.datetime(2020, 6, 17, 14, 0, tzinfo=HANOI)
    assert str(event["LOCATION"]) == "Phòng Tổ chức"


def test_postponed_session_moves_with_the_same_uid_and_a_higher_sequence(
    client, member, sessions_2020
):
    before = events_of(client.get(feed_url(member.member)))["Điều lệ Công đoàn"]
    assert before.decoded("DTSTART") == dt.datetime(2020, 9, 10, 8, 0, tzinfo=HANOI)
    assert before["STATUS"] == "CONFIRMED"
    assert before["SEQUENCE"] == 1
    assert "Đã hoãn từ 20/08/2020" in str(before["DESCRIPTION"])
    session = ThematicSession.objects.get(topic="Điều lệ Công đoàn")
    postpone_session(
        session=session, start=at(2020, 11, 5, 8), end=at(2020, 11, 5, 10), reason="Lũ"
    )
    after = events_of(client.get(feed_url(member.member)))["Điều lệ Công đoàn"]
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == 2
    assert after.decoded("DTSTART") == dt.datetime(2020, 11, 5, 8, 0, tzinfo=HANOI)


def test_an_edited_session_has_a_higher_sequence(client, member, sessions_2020):
    """A calendar takes a changed time or place only from a higher SEQUENCE."""
    before = events_of(client.get(feed_url(member.member)))["Chỉ thị 35"]
    session = ThematicSession.objects.get(topic="Chỉ thị 35")
    session.location = "Phòng họp tầng 3"
    save_session(session=session)
    after = events_of(client.get(feed_url(member.member)))["Chỉ thị 35"]
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert str(after["LOCATION"]) == "Phòng họp tầng 3"


def test_a_postponed_group_session_moves_each_groups_meeting(client, member, sessions_2020):
    """Each group meets as much later as the session was moved, in the feed too."""
    session = ThematicSession.objects.get(topic="Học tập theo tổ")
    postpone_session(
        session=session, start=at(2020, 6, 25, 14), end=at(2020, 6, 25, 16), reason="Covid-19"
    )
    event = events_of(client.get(feed_url(member.member)))["Học tập theo tổ"]
    assert event.decoded("DTSTART") == dt.datetime(2020, 6, 23, 8, 0, tzinfo=HANOI)
    assert event["SEQUENCE"] == 1
    starts = sorted(session.group_meetings.values_list("start", flat=True))
    assert starts == [at(2020, 6, 23, 8), at(2020, 6, 24, 14)]


def test_cancelled_session_is_marked_cancelled(client, member, sessions_2020):
    events = events_of(client.get(feed_url(member.member)))
    event = next(e for topic, e in events.items() if topic == "Nghị quyết tỉnh")
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]).startswith("[Đã hủy]")
    assert "Trùng lịch Đại hội" in str(event["DESCRIPTION"])


def test_postponed_without_a_new_date_is_tentative(client, member, groups, now):
    session = make_session(start=at(2020, 7, 2), topic="Chờ ngày mới", status=Status.POSTPONED)
    Postponement.objects.create(session=session, previous_start=session.start, reason="Covid-19")
    response = client.get(feed_url(member.member))
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert event["STATUS"] == "TENTATIVE"
    assert str(event["SUMMARY"]).startswith("[Hoãn, chưa có ngày mới]")


def test_feed_is_in_vietnamese_whatever_the_client(client, member, sessions_2020):
    client.cookies["chibo_language"] = "en"
    response = client.get(feed_url(member.member), HTTP_ACCEPT_LANGUAGE="en")
    assert "Sinh hoạt chuyên đề: Chỉ thị 35" in response.content.decode()


def test_feed_leaves_out_sessions_after_the_member_left(client, member, sessions_2020):
    tuan = member.member
    tuan.left_cell_on, tuan.left_reason = dt.date(2020, 7, 1), Member.LeaveReason.TRANSFER
    tuan.save()
    assert set(events_of(client.get(feed_url(tuan)))) == {"Học tập theo tổ", "Chỉ thị 35"}


def test_unknown_token_or_inactive_account_is_not_found(client, member, sessions_2020):
    assert client.get(reverse("sessions:calendar_feed", args=["not-a-token"])).status_code == 404
    url = feed_url(member.member)
    member.is_active = False
    member.save()
    assert client.get(url).status_code == 404


def test_renewing_the_token_closes_the_old_address(client, member, sessions_2020):
    old = feed_url(member.member)
    client.force_login(member)
    response = client.post(reverse("sessions:calendar_renew"), follow=True)
    assert "Đã tạo đường dẫn lịch mới" in response.text
    new = feed_url(member.member)
    assert new != old
    assert new in response.text
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_renewing_needs_a_post(client, member):
    client.force_login(member)
    token = member.member.calendar_token
    assert client.get(reverse("sessions:calendar_renew")).status_code == 405
    member.member.refresh_from_db()
    assert member.member.calendar_token == token


def test_calendar_page_shows_the_members_own_addresses(client, member, other_member, now):
    client.force_login(member)
    response = client.get(reverse("sessions:calendar"))
    assert response.status_code == 200
    token = member.member.calendar_token
    assert f"webcal://testserver/sessions/calendar/feed/{token}.ics" in response.text
    assert f"http://testserver/sessions/calendar/feed/{token}.ics" in response.text
    # The address is a link too, not only a box to copy from.
    assert f'href="http://testserver/sessions/calendar/feed/{token}.ics"' in response.text
    assert other_member.member.calendar_token not in response.text
    assert "iPhone" in response.text and "Android" in response.text


def test_calendar_page_needs_a_member(client, db):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("khach"))
    assert client.get(reverse("sessions:calendar")).status_code == 404


def test_calendar_page_needs_a_login(client):
    assert client.get(reverse("sessions:calendar")).status_code == 302


def test_single_download_for_a_session(client, member, sessions_2020):
    session = ThematicSession.objects.get(topic="Học tập theo tổ")
    client.force_login(member)
    response = client.get(reverse("sessions:session_ics", args=[session.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="sinh-hoat-chuyen-de-2020-06-16.ics"'
    )
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("DTSTART") == dt.datetime(2020, 6, 16, 8, 0, tzinfo=HANOI)
    assert event["UID"] == f"chibo-session-{session.pk}@testserver"


def test_session_page_offers_the_download(client, member, sessions_2020):
    session = ThematicSession.objects.get(topic="Học tập theo tổ")
    client.force_login(member)
    response = client.get(session.get_absolute_url())
    assert reverse("sessions:session_ics", args=[session.pk]) in response.text


def test_single_download_needs_a_login(client, sessions_2020):
    session = ThematicSession.objects.first()
    assert client.get(reverse("sessions:session_ics", args=[session.pk])).status_code == 302


def test_feed_makes_the_same_queries_for_a_small_and_a_large_cell(
    client, django_assert_max_num_queries, now
):
    members = grow_cell(30, [2019, 2020])
    subscriber = make_member(members[0].group, "Người đăng ký")
    make_user("nguoi-dang-ky", "member", subscriber)
    url = feed_url(subscriber)
    with django_assert_max_num_queries(10) as small:
        events_of(client.get(url))
    grow_cell(300, [2019, 2020, 2021], sessions_per_year=12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        events = events_of(client.get(url))
    assert len(events) > 8


def test_the_feeds_time_zone_is_the_one_icalendar_writes(client, member, sessions_2020):
    """The VTIMEZONE is kept between requests (chibo's, sessions/calendar.py): same text."""
    feed = Calendar.from_ical(client.get(feed_url(member.member)).content)
    again = Calendar.from_ical(client.get(feed_url(member.member)).content)
    expected = Calendar()
    expected.add_component(feed.walk("VEVENT")[0])
    days = [event.start.date() for event in feed.walk("VEVENT")]
    expected.add_missing_timezones(
        first_date=dt.date(min(days).year, 1, 1), last_date=dt.date(max(days).year + 2, 1, 1)
    )
    [timezone] = expected.walk("VTIMEZONE")
    assert [tz.to_ical() for tz in feed.walk("VTIMEZONE")] == [timezone.to_ical()]
    assert [tz.to_ical() for tz in again.walk("VTIMEZONE")] == [timezone.to_ical()]
