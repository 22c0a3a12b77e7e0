"""Đã đọc tài liệu: members confirm, the secretary sees who has not and reminds them."""

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from members.models import Member
from sessions import checkin
from sessions.models import ReadConfirmation, ThematicSession
from tests.factories import at, make_session, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(groups, now):
    return make_session(start=at(2020, 6, 5, 8, 0), topic="Học tập Chỉ thị 05")


def page(response):
    return response.content.decode()


def test_a_member_confirms_reading(client, member, session):
    client.force_login(member)
    assert "Tôi đã đọc dự thảo và tài liệu" in page(client.get(session.get_absolute_url()))
    response = client.post(reverse("sessions:confirm_read", args=[session.pk]), follow=True)
    assert "Đã ghi nhận đồng chí đã đọc tài liệu." in page(response)
    assert "Đồng chí đã xác nhận đọc dự thảo và tài liệu lúc 10:00 01/06/2020." in page(response)
    assert ReadConfirmation.objects.get().member == member.member


def test_confirming_twice_keeps_one_row(member, session, now):
    assert checkin.confirm_read(session=session, member=member.member, now=now)
    assert not checkin.confirm_read(session=session, member=member.member, now=now)
    assert ReadConfirmation.objects.count() == 1


def test_the_database_keeps_one_confirmation_per_member(member, session, now):
    ReadConfirmation.objects.create(session=session, member=member.member, at=now)
    with pytest.raises(IntegrityError):
        ReadConfirmation.objects.create(session=session, member=member.member, at=now)


def test_a_held_session_needs_no_confirmation(client, member, groups, now):
    held = make_session(start=at(2020, 5, 5))
    record(held)
    client.force_login(member)
    assert "Tôi đã đọc" not in page(client.get(held.get_absolute_url()))
    response = client.post(reverse("sessions:confirm_read", args=[held.pk]), follow=True)
    assert "không cần xác nhận nữa" in page(response)
    assert not ReadConfirmation.objects.exists()


def test_the_secretary_sees_who_has_and_has_not_read(
    client, secretary, member, other_member, session, now
):
    checkin.confirm_read(session=session, member=member.member, now=now)
    client.force_login(secretary)
    html = page(client.get(session.get_absolute_url()))
    assert "Đã xác nhận đọc tài liệu: 1/3" in html
    read, unread = html.split('id="unread"')
    assert "Lương Văn Tuấn" in read
    assert "Phùng Thị Hoa" in unread and "Nông Thị Hương" in unread


def test_a_member_does_not_see_the_others(client, member, other_member, session, now):
    client.force_login(member)
    assert "Phùng Thị Hoa" not in page(client.get(session.get_absolute_url()))


def test_the_secretary_reminds_those_who_have_not_read(
    client, secretary, member, other_member, session, now
):
    Member.objects.filter(pk=other_member.member.pk).update(email="hoa@example.org")
    Member.objects.filter(pk=member.member.pk).update(email="tuan@example.org")
    checkin.confirm_read(session=session, member=member.member, now=now)
    client.force_login(secretary)
    response = client.post(reverse("sessions:remind_unread", args=[session.pk]), follow=True)
    assert [message.to for message in mail.outbox] == [["hoa@example.org"]]
    assert "Nhắc lịch sinh hoạt chuyên đề: Học tập Chỉ thị 05" in mail.outbox[0].subject
    assert "Đã gửi thư nhắc tới 1 đồng chí." in page(response)
    assert "Chưa có địa chỉ thư: Nông Thị Hương." in page(response)


def test_a_member_cannot_send_reminders(client, member, session):
    client.force_login(member)
    response = client.post(reverse("sessions:remind_unread", args=[session.pk]))
    assert response.status_code == 403
    assert mail.outbox == []


def test_a_cancelled_session_lists_no_readers(client, secretary, session):
    ThematicSession.objects.filter(pk=session.pk).update(status="cancelled")
    client.force_login(secretary)
    assert 'id="readers"' not in page(client.get(session.get_absolute_url()))
