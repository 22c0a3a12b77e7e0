"""Sessions as iCalendar (RFC 5545): a member's private feed and single downloads.

Times are written in Asia/Ho_Chi_Minh with its VTIMEZONE, so that a phone set
to another zone still shows the right hour. Each session keeps one UID for its
whole life; its SEQUENCE rises each time it is edited, postponed or
cancelled, so that a calendar that subscribed moves or strikes the event.
"""

import datetime as dt
import functools

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from sessions import wording
from sessions.agenda import AgendaItem
from sessions.models import ThematicSession

PRODID = "-//Chibo//Sinh hoat chuyen de//VI"
# How often a subscribed calendar should fetch the feed again.
REFRESH = dt.timedelta(hours=6)
Status = ThematicSession.Status


def _description(item: AgendaItem, url: str) -> str:
    session, schedule = item.session, item.schedule
    lines = []
    if item.date_unknown:
        lines.append(_("Kỳ sinh hoạt đã hoãn, chưa có ngày mới."))
    elif item.postponement is not None:
        lines.append(
            _("Đã hoãn từ %(date)s.")
            % {"date": timezone.localtime(item.postponement.previous_start).strftime("%d/%m/%Y")}
        )
    if session.status == Status.CANCELLED:
        lines.append(_("Kỳ sinh hoạt đã bị hủy."))
    if session.status_reason:
        lines.append(_("Lý do: %(reason)s") % {"reason": session.status_reason})
    if item.exemption is not None:
        lines.append(
            _("Đồng chí đang được %(kind)s vào ngày này: không bắt buộc dự kỳ sinh hoạt này.")
            % {"kind": item.exemption.get_kind_display().lower()}
        )
    if schedule.group is not None:
        lines.append(_("Sinh hoạt theo tổ: lịch riêng của %(group)s.") % {"group": schedule.group})
    if schedule.presiding:
        lines.append(_("Chủ trì: %(name)s") % {"name": schedule.presiding})
    if session.preparer_name:
        lines.append(_("Người chuẩn bị: %(name)s") % {"name": session.preparer_name})
    if session.description:
        lines += ["", session.description]
    documents = session.documents.all()
    if documents:
        lines += ["", _("Tài liệu cần đọc trước:")]
        lines += [f"- {document.title}" for document in documents]
    lines += ["", url]
    return "\n".join(lines).strip()


def file_name(session, day) -> str:
    """The name of a meeting's .ics file: its kind and its day."""
    return f"{wording.kind_slug(session)}-{day:%Y-%m-%d}.ics"


def _summary(item: AgendaItem) -> str:
    session = item.session
    summary = _("%(kind)s: %(title)s") % {"kind": session.kind_label, "title": session}
    if item.session.status == Status.CANCELLED:
        return _("[Đã hủy] %(summary)s") % {"summary": summary}
    if item.date_unknown:
        return _("[Hoãn, chưa có ngày mới] %(summary)s") % {"summary": summary}
    return summary


def session_event(item: AgendaItem, *, url: str, host: str) -> Event:
    """One session as a VEVENT, at the member's own time and place."""
    session, schedule = item.session, item.schedule
    if session.status == Status.CANCELLED:
        status = "CANCELLED"
    elif item.date_unknown:
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    tz = timezone.get_default_timezone()
    event = Event.new(
        uid=f"chibo-session-{session.pk}@{host}",
        summary=_summary(item),
        start=schedule.start.astimezone(tz),
        end=schedule.end.astimezone(tz),
        location=schedule.location or None,
        description=_description(item, url),
        url=url,
        status=status,
        sequence=item.sequence,
        stamp=session.updated_at,
        last_modified=session.updated_at,
        categories=[item.session.kind_label],
    )
    return event


def calendar_for(events: list[Event], *, name: str, uid: str) -> Calendar:
    calendar = Calendar.new(
        name=name,
        prodid=PRODID,
        method="PUBLISH",
        uid=uid,
        refresh_interval=REFRESH,
        subcomponents=events,
    )
    calendar.add("X-WR-TIMEZONE", settings.TIME_ZONE)
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    # A VTIMEZONE for the years the events span: Việt Nam has kept UTC+7 since 1975.
    days = [event.start.date() for event in events]
    first = min(days, default=timezone.localdate())
    last = max(days, default=timezone.localdate())
    position = len(calendar.timezones)
    for tzid in sorted(calendar.get_missing_tzids()):
        component = _timezone_component(tzid, first.year, last.year + 2)
        if component is not None:
            calendar.subcomponents.insert(position, Timezone.from_ical(component))
            position += 1
    return calendar


@functools.lru_cache(maxsize=64)
def _timezone_component(tzid: str, first_year: int, last_year: int) -> bytes | None:
    """A VTIMEZONE for ``tzid`` from 1 January ``first_year`` to 1 January ``last_year``.

    What ``Calendar.add_missing_timezones`` writes, kept: icalendar finds the
    zone's transitions by asking its offset at every step of the years, half
    the feed's time, and the answer is the same for the same years.
    """
    try:
        component = Timezone.from_tzid(
            tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 1, 1)
        )
    except ValueError:  # a zone icalendar does not know: left out, as it does
        return None
    return component.to_ical()


def feed(items: list[AgendaItem], *, member, build_url, host: str) -> bytes:
    """The member's private feed: every item, in Vietnamese whatever the client asks."""
    with translation.override(settings.LANGUAGE_CODE):
        events = [
            session_event(item, url=build_url(item.session.get_absolute_url()), host=host)
            for item in items
        ]
        calendar = calendar_for(
            events,
            name=_("Lịch sinh hoạt chi bộ – %(name)s") % {"name": member.full_name},
            uid=f"chibo-member-{member.pk}@{host}",
        )
        return calendar.to_ical()


def single(item: AgendaItem, *, url: str, host: str) -> bytes:
    """One session as a file to open in a calendar."""
    event = session_event(item, url=url, host=host)
    calendar = calendar_for(
        [event], name=str(item.session), uid=f"chibo-session-{item.session.pk}-file@{host}"
    )
    return calendar.to_ical()
