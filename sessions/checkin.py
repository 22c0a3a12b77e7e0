"""Self check-in by QR code, and members' word that they read the documents.

The secretary's check-in page shows a QR code of a URL carrying a signed code
of the session and the current minute; it changes every minute, and a code
from this minute or the two before is accepted (a phone may scan just as the
minute turns, or log in first). A CheckIn row is only a hint for the attendance sheet: the
sheet's save stays the one record.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from sessions.models import CheckIn, ReadConfirmation, ThematicSession

SALT = "chibo.check-in"
# How many minutes a code stays good: the one it was made in and the next two
# (time to log in on the phone first).
CODE_MINUTES = 3


class CheckInRefused(Exception):
    """Why a scan is refused, in Vietnamese (the exception's message)."""


def closes_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.CHIBO_CHECK_IN_CLOSES_AFTER_MINUTES)


def _minute(now: dt.datetime) -> int:
    return int(now.timestamp() // 60)


def make_code(session: ThematicSession, now: dt.datetime) -> str:
    """The code the QR carries this minute."""
    return signing.Signer(salt=SALT).sign(f"{session.pk}-{_minute(now)}")


def read_code(code: str, now: dt.datetime) -> int:
    """The session's pk a code names; CheckInRefused if forged or expired."""
    try:
        pk, minute = signing.Signer(salt=SALT).unsign(code).split("-")
        pk, minute = int(pk), int(minute)
    except (signing.BadSignature, ValueError):
        raise CheckInRefused(
            _("Mã điểm danh không hợp lệ: hãy quét lại mã trên màn hình.")
        ) from None
    if not 0 <= _minute(now) - minute < CODE_MINUTES:
        raise CheckInRefused(
            _("Mã điểm danh đã hết hạn (mã đổi mỗi phút): hãy quét lại mã đang hiện trên màn hình.")
        )
    return pk


def window(session: ThematicSession, member: Member | None = None):
    """(start, end) of the meeting ``member`` attends (prefetch group_meetings)."""
    schedule = session.schedule_for(member)
    return schedule.start, schedule.end


def page_refusal(session: ThematicSession, now: dt.datetime) -> str | None:
    """Why the secretary's check-in page cannot open now, or None.

    For a session held group by group, open from the first group's start to
    the last group's end (plus the grace).
    """
    if session.status == ThematicSession.Status.CANCELLED:
        return _("Kỳ sinh hoạt đã bị hủy: không điểm danh.")
    meetings = list(session.group_meetings.all()) if session.is_by_group else []
    start = min([m.start for m in meetings], default=session.start)
    end = max([m.end for m in meetings], default=session.end)
    if now < start:
        return _("Kỳ sinh hoạt chưa bắt đầu: mở điểm danh bằng mã QR từ giờ bắt đầu.")
    if now > end + closes_after():
        return _("Kỳ sinh hoạt đã kết thúc từ lâu: không còn tự điểm danh được.")
    return None


def check_in_refusal(*, session: ThematicSession, member: Member, now: dt.datetime):
    """Raise CheckInRefused if ``member`` may not check in at ``session`` now."""
    if session.status == ThematicSession.Status.CANCELLED:
        raise CheckInRefused(_("Kỳ sinh hoạt đã bị hủy: không điểm danh."))
    if not session.expected_members().filter(pk=member.pk).exists():
        raise CheckInRefused(
            _("Đồng chí không có trong danh sách phải dự kỳ sinh hoạt này: hãy báo bí thư chi bộ.")
        )
    earlier = CheckIn.objects.filter(session=session, member=member).first()
    if earlier is not None:
        raise _already(earlier)
    meeting = session.meeting_for(member.group_id) if session.is_by_group else None
    if session.is_by_group and meeting is None:
        raise CheckInRefused(
            _("Tổ của đồng chí không có lịch sinh hoạt trong kỳ này: hãy báo bí thư chi bộ.")
        )
    start, end = window(session, member)
    if now < start:
        raise CheckInRefused(
            _("Buổi sinh hoạt của đồng chí chưa bắt đầu (bắt đầu lúc %(time)s).")
            % {"time": timezone.localtime(start).strftime("%H:%M %d/%m/%Y")}
        )
    if now > end + closes_after():
        raise CheckInRefused(
            _("Buổi sinh hoạt của đồng chí đã kết thúc từ lâu: không tự điểm danh được.")
        )
    return meeting


def _already(earlier: CheckIn) -> CheckInRefused:
    return CheckInRefused(
        _("Đồng chí đã tự điểm danh lúc %(time)s rồi.")
        % {"time": timezone.localtime(earlier.at).strftime("%H:%M %d/%m/%Y")}
    )


def check_in(*, session: ThematicSession, member: Member, now: dt.datetime) -> CheckIn:
    """Mark ``member`` checked in at ``session``, or raise CheckInRefused."""
    meeting = check_in_refusal(session=session, member=member, now=now)
    try:
        with transaction.atomic():
            return CheckIn.objects.create(session=session, member=member, meeting=meeting, at=now)
    except IntegrityError:
        raise _already(CheckIn.objects.get(session=session, member=member)) from None


def confirm_read(*, session: ThematicSession, member: Member, now: dt.datetime) -> bool:
    """Record that ``member`` read the documents; False if they had already said so."""
    if session.status in (ThematicSession.Status.HELD, ThematicSession.Status.CANCELLED):
        raise CheckInRefused(_("Kỳ sinh hoạt đã diễn ra hoặc đã hủy: không cần xác nhận nữa."))
    if not session.expected_members().filter(pk=member.pk).exists():
        raise CheckInRefused(_("Đồng chí không có trong danh sách phải dự kỳ sinh hoạt này."))
    _row, created = ReadConfirmation.objects.get_or_create(
        session=session, member=member, defaults={"at": now}
    )
    return created


def readers(session: ThematicSession):
    """(confirmations, members expected who have not confirmed)."""
    confirmed = list(session.read_confirmations.select_related("member"))
    ids = {row.member_id for row in confirmed}
    others = [m for m in session.expected_members().order_by("sort_name") if m.pk not in ids]
    return confirmed, others
