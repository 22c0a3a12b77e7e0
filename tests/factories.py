"""Small builders for test data: plain functions with sensible defaults."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.utils import timezone

from members.models import Exemption, Member, PartyGroup, Role, single_cell
from sessions.models import AnnualPlan, Attendance, GroupMeeting, ThematicSession
from sessions.services import (
    RECORD_FIELDS,
    AttendanceEntry,
    SessionRecord,
    save_attendance_sheet,
)

_counter = itertools.count(1)


HANOI = ZoneInfo("Asia/Ho_Chi_Minh")  # the cell's time zone, settings.TIME_ZONE


def at(year, month, day, hour=8, minute=0):
    """That day and time in Hà Nội."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=HANOI)


def make_group(name=None, order=0, **fields):
    fields.setdefault("cell", single_cell())
    return PartyGroup.objects.create(name=name or f"Tổ thử {next(_counter)}", order=order, **fields)


def make_member(group=None, name=None, joined=dt.date(2015, 1, 1), **fields):
    if group is None and not fields.get("temporary"):
        group = make_group()
    fields.setdefault("cell", group.cell if group else single_cell())
    return Member.objects.create(
        full_name=name or f"Đảng viên {next(_counter)}",
        group=group,
        joined_cell_on=joined,
        **fields,
    )


def make_user(username, role=None, member=None):
    """A login with ``role`` in ``member``'s cell (or the only cell), linked to ``member``.

    The returned object carries ``member`` as an attribute, for the tests to
    reach the person (a login's member records are ``user.members``, one per cell).
    """
    user = User.objects.create_user(username=username, password="mật-khẩu-thử-1")
    user.member = member
    if role:
        cell = member.cell if member is not None else single_cell()
        Role.objects.create(user=user, organisation=cell, kind=role)
    if member is not None:
        member.user = user
        member.save(update_fields=["user"])
    return user


def make_exemption(member, starts_on, ends_on=None, **fields):
    fields.setdefault("reason", "Điều trị bệnh")
    return Exemption.objects.create(member=member, starts_on=starts_on, ends_on=ends_on, **fields)


def make_plan(year=2020, **fields):
    fields.setdefault("title", f"Kế hoạch sinh hoạt chuyên đề năm {year}")
    cell = fields.pop("cell", None) or single_cell()
    plan, _ = AnnualPlan.objects.get_or_create(cell=cell, year=year, defaults=fields)
    return plan


def make_session(plan=None, start=None, minutes=120, **fields):
    start = start or at(2020, 3, 12)
    plan = plan or make_plan(timezone.localtime(start).year)
    fields.setdefault("topic", f"Chuyên đề {next(_counter)}")
    return ThematicSession.objects.create(
        plan=plan, start=start, end=start + dt.timedelta(minutes=minutes), **fields
    )


def make_group_meeting(session, group, start, minutes=120, **fields):
    return GroupMeeting.objects.create(
        session=session,
        group=group,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        **fields,
    )


def record(session, statuses=None, temporary=()):
    """Save ``session``'s attendance sheet as the page does, and return its rows.

    Goes through ``sessions.services.save_attendance_sheet``, the service the
    attendance page calls: the session is marked held, one row written for
    every expected member, and the rows' history kept. ``statuses`` maps a
    member to a status (present by default); members in ``temporary`` attend
    temporarily from another cell. The session's record (conclusion, minutes,
    score, grade, guests) is kept as it is.
    """
    statuses = statuses or {}
    entries = []
    for member in session.expected_members():
        status = statuses.get(member, Attendance.Status.PRESENT)
        reason = "Đi công tác" if status == Attendance.Status.EXCUSED else ""
        entries.append(AttendanceEntry(member.pk, member.group_id, status, reason))
    saved = ThematicSession.objects.values("attendance_version", *RECORD_FIELDS).get(pk=session.pk)
    save_attendance_sheet(
        session=session,
        version=saved.pop("attendance_version"),
        entries=entries,
        temporary_ids=[member.pk for member in temporary],
        record=SessionRecord(**saved),
    )
    return list(Attendance.objects.filter(session=session).order_by("pk"))
