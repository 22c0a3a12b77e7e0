"""send_reminders: members before their sessions, the secretary after unrecorded ones."""

import datetime as dt
import smtplib
import socket
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from icalendar import Calendar

from sessions.models import Document, Postponement, Reminder, ThematicSession
from sessions.reminders import send_reminders
from tests.factories import (
    at,
    make_exemption,
    make_group_meeting,
    make_member,
    make_session,
    record,
)

pytestmark = pytest.mark.django_db

Status = ThematicSession.Status


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CHIBO_REMINDER_DAYS_AHEAD = 3
    settings.CHIBO_SITE_URL = "https://chibo.example.vn"


@pytest.fixture
def emails(member, other_member):
    """Addresses for Tuấn (on the member) and Hoa (on her login)."""
    tuan = member.member
    tuan.email = "tuan@example.vn"
    tuan.save()
    other_member.email = "hoa@example.vn"
    other_member.save()


@pytest.fixture
def secretary_email(secretary):
    secretary.email = "bithu@example.vn"
    secretary.save()


def run(**kwargs):
    out = StringIO()
    call_command("send_reminders", stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def test_members_are_reminded_of_a_session_within_the_days_ahead(emails, now):
    session = make_session(start=at(2020, 6, 3, 14), topic="Chỉ thị 35", location="Hội trường")
    Document.objects.create(session=session, title="Đề dẫn", url="https://example.org/de-dan")
    make_session(start=at(2020, 6, 10, 14), topic="Còn xa")
    out = run()
    assert "Đã gửi 2 thư nhắc lịch sinh hoạt và 0 thư nhắc ghi điểm danh." in out
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"tuan@example.vn", "hoa@example.vn"}
    message = by_address["tuan@example.vn"]
    assert message.subject == "Nhắc lịch sinh hoạt chuyên đề: Chỉ thị 35 – 03/06/2020 14:00"
    assert "Kính gửi đồng chí Lương Văn Tuấn," in message.body
    assert "Thứ Tư, 03/06/2020, 14:00–16:00" in message.body
    assert "Địa điểm: Hội trường" in message.body
    assert "- Đề dẫn: https://example.org/de-dan" in message.body
    assert f"https://chibo.example.vn/sessions/{session.pk}/" in message.body
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("sinh-hoat-chuyen-de-2020-06-03.ics", "text/calendar")
    assert Calendar.from_ical(content).walk("VEVENT")[0]["SUMMARY"]


def test_running_twice_sends_nothing_twice(emails, now):
    make_session(start=at(2020, 6, 3, 14))
    run()
    assert len(mail.outbox) == 2
    assert "Đã gửi 0 thư nhắc lịch sinh hoạt" in run()
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(kind=Reminder.Kind.SESSION).count() == 2


def test_a_postponed_session_is_announced_again_for_its_new_date(emails, now):
    session = make_session(start=at(2020, 6, 3, 14), topic="Điều lệ")
    run()
    Postponement.objects.create(
        session=session, previous_start=session.start, new_start=at(2020, 6, 4, 8), reason="Bão"
    )
    session.start, session.end = at(2020, 6, 4, 8), at(2020, 6, 4, 10)
    session.status = Status.POSTPONED
    session.save()
    mail.outbox.clear()
    run()
    assert len(mail.outbox) == 2
    assert "Lưu ý: kỳ sinh hoạt đã được hoãn từ 03/06/2020 14:00" in mail.outbox[0].body


def test_cancelled_or_held_sessions_and_undated_postponements_are_not_announced(emails, now):
    make_session(start=at(2020, 6, 2), status=Status.CANCELLED)
    undated = make_session(start=at(2020, 6, 2, 14), status=Status.POSTPONED)
    Postponement.objects.create(session=undated, previous_start=undated.start, reason="Covid")
    run()
    assert mail.outbox == []


def test_group_by_group_uses_each_members_own_meeting(emails, groups, now):
    session = make_session(start=at(2020, 6, 20, 14), scope="groups", topic="Học tập theo tổ")
    make_group_meeting(session, groups[0], at(2020, 6, 3, 8), location="Phòng Văn phòng")
    make_group_meeting(session, groups[1], at(2020, 6, 10, 8), location="Phòng Tổ chức")
    run()
    assert [message.to for message in mail.outbox] == [["tuan@example.vn"]]
    assert "Phòng Văn phòng" in mail.outbox[0].body
    assert "lịch riêng của Tổ 1" in mail.outbox[0].body


def test_exempt_and_departed_members_are_not_reminded(emails, member, now):
    make_exemption(member.member, dt.date(2020, 5, 1), dt.date(2020, 6, 30))
    make_session(start=at(2020, 6, 3, 14))
    run()
    assert "tuan@example.vn" not in [message.to[0] for message in mail.outbox]


def test_members_without_an_address_are_listed(groups, now):
    make_member(groups[0], "Không Có Thư")
    make_session(start=at(2020, 6, 3, 14))
    err = StringIO()
    call_command("send_reminders", stdout=StringIO(), stderr=err)
    assert "Không Có Thư" in err.getvalue()


def test_days_ahead_count_whole_days(emails, now):
    """On 1 June at 10:00, three days ahead reach the evening of 4 June."""
    make_session(start=at(2020, 6, 4, 19))
    make_session(start=at(2020, 6, 8, 14), topic="Tuần sau")
    run()
    assert len(mail.outbox) == 2
    run(days=7)
    assert len(mail.outbox) == 4
    assert "Tuần sau" in mail.outbox[-1].subject


def test_a_negative_number_of_days_is_refused(now):
    with pytest.raises(CommandError, match="không âm"):
        run(days=-1)


def test_dry_run_sends_and_records_nothing(emails, now):
    make_session(start=at(2020, 6, 3, 14), topic="Chỉ thị 35")
    out = run(dry_run=True)
    assert "tuan@example.vn: Chỉ thị 35" in out
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_secretary_is_reminded_once_of_sessions_to_record(emails, secretary_email, now):
    held = make_session(start=at(2020, 5, 20), topic="Đã tổ chức, chưa điểm danh")
    held.status = Status.HELD
    held.save()
    make_session(start=at(2020, 5, 27), topic="Quên ghi là đã tổ chức")
    recorded = make_session(start=at(2020, 5, 6), topic="Đã điểm danh")
    record(recorded)
    make_session(start=at(2020, 6, 1, 7), topic="Sáng nay")  # over, but today: not yet
    out = run()
    assert "0 thư nhắc lịch sinh hoạt và 1 thư nhắc ghi điểm danh" in out
    [message] = mail.outbox
    assert message.to == ["bithu@example.vn"]
    assert message.subject == "Chibo: 2 kỳ sinh hoạt chưa ghi kết quả điểm danh"
    assert "Đã tổ chức, chưa điểm danh (đã tổ chức, chưa điểm danh)" in message.body
    assert "Quên ghi là đã tổ chức (chưa ghi là đã tổ chức)" in message.body
    assert "Đã điểm danh" not in message.body.replace("đã tổ chức, chưa điểm danh", "")
    assert "Sáng nay" not in message.body
    mail.outbox.clear()
    run()
    assert mail.outbox == []


def test_leaders_and_members_get_no_secretary_reminder(emails, secretary_email, leader, now):
    leader.email = "lanhdao@example.vn"
    leader.save()
    session = make_session(start=at(2020, 5, 20))
    session.status = Status.HELD
    session.save()
    run()
    assert [message.to for message in mail.outbox] == [["bithu@example.vn"]]


def test_a_failed_send_is_tried_again_next_time(emails, now, monkeypatch):
    make_session(start=at(2020, 6, 3, 14))

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("mất kết nối")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        with pytest.raises(CommandError, match="lần chạy sau sẽ gửi lại"):
            run()
    assert not Reminder.objects.exists()
    assert mail.outbox == []
    run()
    assert len(mail.outbox) == 2


@pytest.fixture
def unreachable_smtp(settings):
    """An SMTP server that refuses connections: a bound port nobody listens on."""
    with socket.socket() as reserved:
        reserved.bind(("127.0.0.1", 0))
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = reserved.getsockname()
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield f"127.0.0.1:{settings.EMAIL_PORT}"


def test_an_unreachable_mail_server_is_named_and_nothing_is_recorded(emails, now, unreachable_smtp):
    make_session(start=at(2020, 6, 3, 14))
    with pytest.raises(CommandError) as raised:
        run()
    assert str(raised.value) == (
        f"Không kết nối được máy chủ thư {unreachable_smtp} ([Errno 111] Connection refused): "
        "chưa gửi thư nào. Thư nào chưa gửi được, lần chạy sau sẽ gửi lại."
    )
    assert not Reminder.objects.exists()
    # A dry run needs no server.
    assert "Chạy thử: 2 thư sẽ được gửi." in run(dry_run=True)


def test_a_refused_mail_is_named_and_the_others_still_go(emails, now, monkeypatch):
    make_session(start=at(2020, 6, 3, 14))
    send = LocmemBackend.send_messages

    def refuse_tuan(self, messages):
        if messages[0].to == ["tuan@example.vn"]:
            raise smtplib.SMTPRecipientsRefused({"tuan@example.vn": (550, b"No such user")})
        return send(self, messages)

    out, err = StringIO(), StringIO()
    with monkeypatch.context() as patched:
        patched.setattr(LocmemBackend, "send_messages", refuse_tuan)
        with pytest.raises(CommandError, match=r"^1 thư chưa gửi được; lần chạy sau sẽ gửi lại"):
            call_command("send_reminders", stdout=out, stderr=err)
    assert "Đã gửi 1 thư nhắc lịch sinh hoạt" in out.getvalue()
    assert "Không gửi được thư tới tuan@example.vn: " in err.getvalue()
    assert [message.to for message in mail.outbox] == [["hoa@example.vn"]]
    assert list(Reminder.objects.values_list("email", flat=True)) == ["hoa@example.vn"]
    run()
    assert [message.to for message in mail.outbox][1:] == [["tuan@example.vn"]]


def test_the_reminder_log_refuses_a_duplicate(emails, member, now):
    session = make_session(start=at(2020, 6, 3, 14))
    fields = {
        "kind": Reminder.Kind.SESSION,
        "session": session,
        "member": member.member,
        "starts_at": session.start,
        "email": "tuan@example.vn",
    }
    Reminder.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(**fields)


def test_service_reports_what_it_did(emails, now):
    make_session(start=at(2020, 6, 3, 14))
    outcome = send_reminders()
    assert (outcome.session_reminders, outcome.attendance_reminders, outcome.failed) == (2, 0, 0)


def test_the_secretary_is_reminded_of_sessions_as_a_member_too(secretary_email, now):
    make_session(start=at(2020, 6, 3, 14))
    run()
    assert [message.to for message in mail.outbox] == [["bithu@example.vn"]]
    assert "Kính gửi đồng chí Nông Thị Hương," in mail.outbox[0].body
