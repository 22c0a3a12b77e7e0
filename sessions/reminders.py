"""Reminder emails: members before their sessions, the secretary after unrecorded ones.

``send_reminders`` runs daily (cron or a systemd timer). Every email sent is
recorded as a ``Reminder`` row, claimed *before* sending under a unique
constraint: a second run, even a concurrent one, finds the claim and sends
nothing twice. If sending fails, the claim is removed so that the next run
tries again. A mail the server refuses is skipped and the run carries on; a
server that cannot be reached or drops the connection stops the run.

- A member hears about each session that concerns them once per start time,
  when it is at most ``CHIBO_REMINDER_DAYS_AHEAD`` days away (by date) (their own group's
  meeting for a session held group by group); a session postponed to a new
  date is announced again.
- The secretary hears once about each session that is over (before today) and
  still unrecorded: held without an attendance sheet, or never marked held.
"""

import contextlib
import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chibo.lib.roles import CHANGE_SESSION
from members.models import Member, Role
from sessions import calendar, wording
from sessions.agenda import AgendaItem
from sessions.models import GroupMeeting, Reminder, ThematicSession

logger = logging.getLogger(__name__)
Status = ThematicSession.Status
SEND_ERRORS = (smtplib.SMTPException, OSError)


@dataclass
class Outcome:
    """What a run did, for the command's report."""

    session_reminders: int = 0
    attendance_reminders: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)  # what failed, in Vietnamese
    stopped: str = ""  # why the run stopped before the end, in Vietnamese
    without_email: set[str] = field(default_factory=set)
    planned: list[str] = field(default_factory=list)  # a dry run's list


class MailServerDown(Exception):
    """The mail server cannot be reached, or dropped the connection: stop the run."""


def _server(connection) -> str:
    host = getattr(connection, "host", None)
    if host:
        return f"{host}:{connection.port}"
    return settings.EMAIL_BACKEND


def _connection_lost(error: Exception) -> bool:
    """Whether ``error`` means the server is gone, not that it refused this one mail."""
    return isinstance(error, smtplib.SMTPServerDisconnected) or not isinstance(
        error, smtplib.SMTPException
    )


def site_url(path: str) -> str:
    return settings.CHIBO_SITE_URL + path


def address_of(member: Member) -> str:
    if member.email:
        return member.email
    user = member.user
    return user.email if user is not None and user.is_active else ""


def _recipients(session: ThematicSession):
    """Who is told about a session: expected members and members attending temporarily."""
    temporary = session.possible_temporaries()
    return (session.expected_members() | temporary).select_related("user", "group").distinct()


def due_session_reminders(now: dt.datetime, days: int) -> list[tuple[Member, AgendaItem]]:
    """(member, their view of a session) pairs due a reminder and not yet reminded.

    Due: starting from now until the end of the day ``days`` days from today,
    so that a run early in the morning covers the whole of that day.
    """
    last_day = timezone.localdate(now) + dt.timedelta(days=days + 1)
    until = timezone.make_aware(dt.datetime.combine(last_day, dt.time())) - dt.timedelta(
        microseconds=1
    )
    meetings = GroupMeeting.objects.select_related("group", "presiding")
    sessions = (
        ThematicSession.objects.filter(status__in=[Status.PLANNED, Status.POSTPONED])
        .filter(Q(start__range=(now, until)) | Q(group_meetings__start__range=(now, until)))
        .distinct()
        .select_related("plan", "presiding", "preparer")
        .prefetch_related(
            Prefetch("group_meetings", queryset=meetings), "documents", "postponements"
        )
        .order_by("start", "pk")
    )
    sessions = list(sessions)
    done = set(
        Reminder.objects.filter(kind=Reminder.Kind.SESSION, session__in=sessions).values_list(
            "session_id", "member_id", "starts_at"
        )
    )
    due = []
    for session in sessions:
        for member in _recipients(session):
            item = AgendaItem(session, session.schedule_for(member))
            start = item.schedule.start
            if item.date_unknown or not now <= start <= until:
                continue
            if (session.pk, member.pk, start) in done:
                continue
            due.append((member, item))
    return due


def _session_message(member: Member, item: AgendaItem, address: str) -> EmailMessage:
    session = item.session
    url = site_url(session.get_absolute_url())
    context = {
        "member": member,
        "item": item,
        "session": session,
        "schedule": item.schedule,
        "url": url,
        "calendar_url": site_url("/sessions/calendar/"),
        "documents": [
            (document.title, site_url(document.file.url) if document.file else document.url)
            for document in session.documents.all()
        ],
    }
    subject = _("Nhắc lịch %(kind)s: %(title)s – %(when)s") % {
        "kind": wording.kind_phrase(session),
        "title": session,
        "when": timezone.localtime(item.schedule.start).strftime("%d/%m/%Y %H:%M"),
    }
    message = EmailMessage(
        subject=subject,
        body=render_to_string("sessions/reminders/session.txt", context),
        to=[address],
    )
    host = urlsplit(settings.CHIBO_SITE_URL).netloc or "chibo"
    message.attach(
        calendar.file_name(session, timezone.localtime(item.schedule.start)),
        calendar.single(item, url=url, host=host),
        "text/calendar",
    )
    return message


def _claim(**fields) -> Reminder | None:
    """Record a reminder before sending it; None when a run already did."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(**fields)
    except IntegrityError:
        return None


def _send(message: EmailMessage, claims: list[Reminder], connection, outcome: Outcome) -> bool:
    try:
        connection.send_messages([message])
    except SEND_ERRORS as error:
        logger.warning(
            "Reminder to %s not sent (%r); the next run will try again.", message.to, error
        )
        Reminder.objects.filter(pk__in=[claim.pk for claim in claims]).delete()
        outcome.failed += 1
        outcome.errors.append(
            _("Không gửi được thư tới %(to)s: %(error)s.")
            % {"to": ", ".join(message.to), "error": error}
        )
        if _connection_lost(error):
            raise MailServerDown(
                _("Mất kết nối với máy chủ thư %(server)s: đã dừng gửi.")
                % {"server": _server(connection)}
            ) from error
        return False
    return True


def send_session_reminders(
    now: dt.datetime, days: int, connection, outcome: Outcome, *, dry_run=False
):
    for member, item in due_session_reminders(now, days):
        address = address_of(member)
        if not address:
            outcome.without_email.add(member.full_name)
            continue
        if dry_run:
            outcome.planned.append(f"{address}: {item.session}")
            continue
        claim = _claim(
            kind=Reminder.Kind.SESSION,
            session=item.session,
            member=member,
            starts_at=item.schedule.start,
            email=address,
        )
        if claim is None:
            continue
        if _send(_session_message(member, item, address), [claim], connection, outcome):
            outcome.session_reminders += 1


def secretaries():
    """Roles of active logins that keep a cell's sessions, each with its cell.

    The role's group holds the permission (an administrator may shape the
    roles in the admin): the permission decides, not the role's name.
    """
    app_label, codename = CHANGE_SESSION.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    keepers = Group.objects.filter(permissions=permission).values("name")
    return (
        Role.objects.filter(user__is_active=True, kind__in=keepers)
        .select_related("user", "organisation")
        .order_by("user_id", "pk")
    )


def _secretary_address(role) -> str:
    if role.user.email:
        return role.user.email
    member = Member.objects.filter(user=role.user_id, cell=role.organisation_id).first()
    return member.email if member is not None else ""


def send_attendance_reminders(now: dt.datetime, connection, outcome: Outcome, *, dry_run=False):
    today = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time()))
    sessions = list(
        ThematicSession.objects.to_record(now).filter(end__lt=today).select_related("plan")
    )
    if not sessions:
        return
    done = set(
        Reminder.objects.filter(kind=Reminder.Kind.ATTENDANCE, session__in=sessions).values_list(
            "session_id", "user_id"
        )
    )
    for role in secretaries():
        user = role.user  # a secretary is told of their own cell's sessions only
        pending = [
            session
            for session in sessions
            if session.plan.cell_id == role.organisation_id and (session.pk, user.pk) not in done
        ]
        address = _secretary_address(role)
        if not pending:
            continue
        if not address:
            outcome.without_email.add(user.get_full_name() or user.get_username())
            continue
        if dry_run:
            outcome.planned += [f"{address}: {session}" for session in pending]
            continue
        claims = [
            claim
            for session in pending
            if (
                claim := _claim(
                    kind=Reminder.Kind.ATTENDANCE, session=session, user=user, email=address
                )
            )
        ]
        if not claims:
            continue
        claimed = [claim.session for claim in claims]
        context = {
            "user": user,
            "sessions": [(session, site_url(session.get_absolute_url())) for session in claimed],
        }
        message = EmailMessage(
            subject=_("Chibo: %(count)s kỳ sinh hoạt chưa ghi kết quả điểm danh")
            % {"count": len(claimed)},
            body=render_to_string("sessions/reminders/attendance.txt", context),
            to=[address],
        )
        if _send(message, claims, connection, outcome):
            outcome.attendance_reminders += 1


def send_reminders(*, now=None, days=None, dry_run=False) -> Outcome:
    """Send every reminder that is due; in Vietnamese, whatever the server's locale."""
    now = now or timezone.now()
    days = settings.CHIBO_REMINDER_DAYS_AHEAD if days is None else days
    outcome = Outcome()
    with translation.override(settings.LANGUAGE_CODE):
        connection = get_connection()
        if not dry_run:
            try:
                connection.open()
            except SEND_ERRORS as error:
                logger.warning("Mail server %s unreachable: %r", _server(connection), error)
                outcome.stopped = _(
                    "Không kết nối được máy chủ thư %(server)s (%(error)s): chưa gửi thư nào."
                ) % {"server": _server(connection), "error": error}
                return outcome
        try:
            send_session_reminders(now, days, connection, outcome, dry_run=dry_run)
            send_attendance_reminders(now, connection, outcome, dry_run=dry_run)
        except MailServerDown as error:
            outcome.stopped = str(error)
        finally:
            # Every mail was handed over or given up by then: a failed goodbye changes nothing.
            with contextlib.suppress(*SEND_ERRORS):
                connection.close()
    return outcome


def remind_unread(session: ThematicSession, members) -> Outcome:
    """Send ``members`` (who have not confirmed reading) the session's reminder now.

    The secretary asks for it on the session page; the mail is the usual
    session reminder, sent through the same path, and not claimed: asking
    twice sends twice, as the secretary chose.
    """
    outcome = Outcome()
    with translation.override(settings.LANGUAGE_CODE):
        connection = get_connection()
        try:
            for member in members:
                address = address_of(member)
                if not address:
                    outcome.without_email.add(member.full_name)
                    continue
                item = AgendaItem(session, session.schedule_for(member))
                if _send(_session_message(member, item, address), [], connection, outcome):
                    outcome.session_reminders += 1
        except MailServerDown as error:
            outcome.stopped = str(error)
        finally:
            with contextlib.suppress(*SEND_ERRORS):
                connection.close()
    return outcome
