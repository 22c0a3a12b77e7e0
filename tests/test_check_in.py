"""Self check-in by QR code: the code, the refusals, the sheet's live feed.

The clock is frozen at 1 June 2020, 10:00 (the ``now`` fixture); the session
starts at 9:30 and ends at 11:30 unless a test says otherwise.
"""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.db import IntegrityError
from django.urls import reverse

from sessions import checkin
from sessions.models import Attendance, CheckIn, ThematicSession
from tests.builders import sibling_cell
from tests.factories import (
    at,
    make_exemption,
    make_group_meeting,
    make_member,
    make_session,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(groups, now):
    return make_session(start=at(2020, 6, 1, 9, 30), topic="Học tập Chỉ thị 05")


def scan_url(session, when):
    return reverse("sessions:check_in_scan", args=[checkin.make_code(session, when)])


def page(response):
    return response.content.decode()


# --- The code ------------------------------------------------------------------


def test_the_code_names_its_session(session, now):
    assert checkin.read_code(checkin.make_code(session, now), now) == session.pk


def test_the_code_changes_every_minute(session, now):
    assert checkin.make_code(session, now) != checkin.make_code(
        session, now + dt.timedelta(minutes=1)
    )


def test_a_code_of_two_minutes_ago_still_works(session, now):
    code = checkin.make_code(session, now - dt.timedelta(minutes=2))
    assert checkin.read_code(code, now) == session.pk


def test_an_expired_code_is_refused(session, now):
    code = checkin.make_code(session, now - dt.timedelta(minutes=3))
    with pytest.raises(checkin.CheckInRefused, match="Mã điểm danh đã hết hạn"):
        checkin.read_code(code, now)


def test_a_forged_code_is_refused(session, now):
    code = checkin.make_code(session, now)[:-2] + "xx"
    with pytest.raises(checkin.CheckInRefused, match="Mã điểm danh không hợp lệ"):
        checkin.read_code(code, now)


# --- The service ----------------------------------------------------------------


def test_it_checks_in_an_expected_member(session, member, now):
    row = checkin.check_in(session=session, member=member.member, now=now)
    assert (row.session, row.member, row.meeting, row.at) == (session, member.member, None, now)


def test_it_writes_no_attendance(session, member, now):
    """The sheet's save stays the one record."""
    checkin.check_in(session=session, member=member.member, now=now)
    assert not Attendance.objects.exists()


def test_a_second_scan_says_when_the_first_was(session, member, now):
    checkin.check_in(session=session, member=member.member, now=now)
    with pytest.raises(checkin.CheckInRefused, match="đã tự điểm danh lúc 10:00 01/06/2020"):
        checkin.check_in(session=session, member=member.member, now=now + dt.timedelta(minutes=5))
    assert CheckIn.objects.count() == 1


def test_the_database_keeps_one_check_in_per_member(session, member, now):
    CheckIn.objects.create(session=session, member=member.member, at=now)
    with pytest.raises(IntegrityError):
        CheckIn.objects.create(session=session, member=member.member, at=now)


def test_a_member_not_expected_is_refused(session, groups, now):
    exempt = make_member(groups[0], "Đinh Văn Miễn")
    make_exemption(exempt, dt.date(2020, 1, 1))
    with pytest.raises(checkin.CheckInRefused, match="không có trong danh sách phải dự"):
        checkin.check_in(session=session, member=exempt, now=now)


def test_before_the_start_is_refused(groups, member, now):
    later = make_session(start=at(2020, 6, 1, 14, 0))
    with pytest.raises(checkin.CheckInRefused, match="chưa bắt đầu \\(bắt đầu lúc 14:00"):
        checkin.check_in(session=later, member=member.member, now=now)


def test_long_after_the_end_is_refused(groups, member, now, settings):
    """ "Long over" is CHIBO_CHECK_IN_CLOSES_AFTER_MINUTES after the end."""
    settings.CHIBO_CHECK_IN_CLOSES_AFTER_MINUTES = 30
    ended = make_session(start=at(2020, 6, 1, 7, 0), minutes=90)  # ended 8:30
    with pytest.raises(checkin.CheckInRefused, match="kết thúc từ lâu"):
        checkin.check_in(session=ended, member=member.member, now=now)
    settings.CHIBO_CHECK_IN_CLOSES_AFTER_MINUTES = 90
    assert checkin.check_in(session=ended, member=member.member, now=now)


def test_the_default_grace_is_an_hour():
    assert django_settings.CHIBO_CHECK_IN_CLOSES_AFTER_MINUTES == 60


def test_a_cancelled_session_is_refused(session, member, now):
    session.status = ThematicSession.Status.CANCELLED
    session.save()
    with pytest.raises(checkin.CheckInRefused, match="đã bị hủy"):
        checkin.check_in(session=session, member=member.member, now=now)


def test_group_by_group_checks_in_at_the_members_groups_meeting(groups, member, other_member, now):
    session = make_session(start=at(2020, 6, 1, 8, 0), scope=ThematicSession.Scope.GROUPS)
    own = make_group_meeting(session, groups[0], at(2020, 6, 1, 9, 30))
    make_group_meeting(session, groups[1], at(2020, 6, 1, 14, 0))
    row = checkin.check_in(session=session, member=member.member, now=now)
    assert row.meeting == own
    with pytest.raises(checkin.CheckInRefused, match="bắt đầu lúc 14:00"):
        checkin.check_in(session=session, member=other_member.member, now=now)


# --- The pages -------------------------------------------------------------------


def test_the_secretary_sees_the_qr_code_and_its_link(client, secretary, session):
    client.force_login(secretary)
    response = client.get(reverse("sessions:check_in", args=[session.pk]))
    assert response.status_code == 200
    assert "/sessions/check-in/" in page(response)
    qr = client.get(reverse("sessions:check_in_qr", args=[session.pk]))
    assert qr["Content-Type"] == "image/svg+xml"
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page(qr)  # an image, not inline
    assert "no-cache" in qr["Cache-Control"] or "max-age=0" in qr["Cache-Control"]


def test_the_session_page_offers_the_qr_code_while_it_goes_on(client, secretary, session):
    client.force_login(secretary)
    response = client.get(session.get_absolute_url())
    assert "Mã QR tự điểm danh" in page(response)


def test_the_session_page_offers_no_qr_code_before_the_start(client, secretary, groups, now):
    later = make_session(start=at(2020, 6, 1, 14, 0))
    client.force_login(secretary)
    assert "Mã QR tự điểm danh" not in page(client.get(later.get_absolute_url()))
    response = client.get(reverse("sessions:check_in", args=[later.pk]), follow=True)
    assert "chưa bắt đầu" in page(response)


def test_a_member_cannot_open_the_secretarys_check_in_page(client, member, session):
    client.force_login(member)
    assert client.get(reverse("sessions:check_in", args=[session.pk])).status_code == 403
    assert client.get(reverse("sessions:check_ins", args=[session.pk])).status_code == 403


def test_anonymous_scan_is_sent_to_log_in_and_back(client, session, now):
    url = scan_url(session, now)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


def test_a_member_checks_in_with_one_tap(client, member, session, now):
    client.force_login(member)
    url = scan_url(session, now)
    assert "Tôi có mặt" in page(client.get(url))
    assert not CheckIn.objects.exists()
    response = client.post(url, follow=True)
    assert "Đã điểm danh: đồng chí có mặt lúc 10:00" in page(response)
    assert CheckIn.objects.get().member == member.member


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (dt.timedelta(minutes=-5), "Mã điểm danh đã hết hạn"),
        (dt.timedelta(0), "đã tự điểm danh lúc 10:00"),
    ],
)
def test_refusals_are_told_on_the_page(client, member, session, now, when, message):
    checkin.check_in(session=session, member=member.member, now=now)
    client.force_login(member)
    response = client.post(scan_url(session, now + when))
    assert response.status_code == 400
    assert message in page(response)


def test_a_member_not_expected_is_told_on_the_page(client, groups, session, now):
    exempt = make_member(groups[0], "Đinh Văn Miễn")
    make_exemption(exempt, dt.date(2020, 1, 1))
    client.force_login(make_user("exempt", "member", exempt))
    response = client.get(scan_url(session, now))
    assert response.status_code == 400
    assert "không có trong danh sách phải dự" in page(response)


def test_another_cells_member_gets_404(client, session, now):
    sibling_cell(2020)
    client.force_login(User.objects.get(username="b-secretary"))
    assert client.get(scan_url(session, now)).status_code == 404
    assert client.post(scan_url(session, now)).status_code == 404
    assert not CheckIn.objects.exists()


def test_the_sheet_feed_lists_check_ins(client, secretary, member, session, now):
    checkin.check_in(session=session, member=member.member, now=now)
    client.force_login(secretary)
    data = client.get(reverse("sessions:check_ins", args=[session.pk])).json()
    assert data == {"check_ins": [{"member": member.member.pk, "at": "10:00"}]}


def test_the_sheet_shows_the_badge_of_who_checked_in(client, secretary, member, session, now):
    checkin.check_in(session=session, member=member.member, now=now)
    client.force_login(secretary)
    html = page(client.get(reverse("sessions:attendance", args=[session.pk])))
    assert html.count("đã tự điểm danh") >= 1
    assert html.count('check-in-badge">') == 1  # the others' badges are hidden


def test_the_code_endpoint_gives_this_minutes_link(client, secretary, session, now):
    client.force_login(secretary)
    data = client.get(reverse("sessions:check_in_code", args=[session.pk])).json()
    assert data["url"].endswith(scan_url(session, now))


def test_the_check_in_page_closes_when_the_session_is_long_over(client, secretary, groups, now):
    ended = make_session(start=at(2020, 6, 1, 6, 0), minutes=90)  # ended 7:30, closed 8:30
    client.force_login(secretary)
    response = client.get(reverse("sessions:check_in", args=[ended.pk]), follow=True)
    assert "Kỳ sinh hoạt đã kết thúc từ lâu: không còn tự điểm danh được." in page(response)
    response = client.get(reverse("sessions:check_in_code", args=[ended.pk]))
    assert response.status_code == 410
    assert "kết thúc từ lâu" in response.json()["error"]


def test_group_by_group_the_page_opens_from_the_first_groups_start(client, secretary, groups, now):
    session = make_session(start=at(2020, 6, 1, 14, 0), scope=ThematicSession.Scope.GROUPS)
    make_group_meeting(session, groups[0], at(2020, 6, 1, 9, 30))
    make_group_meeting(session, groups[1], at(2020, 6, 1, 14, 0))
    client.force_login(secretary)
    assert client.get(reverse("sessions:check_in", args=[session.pk])).status_code == 200
