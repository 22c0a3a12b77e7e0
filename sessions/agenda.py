"""What concerns one member: their sessions, at their own group's time and place.

Used by the member's home page, the calendar page and feed, and the reminders.
Every function here makes a fixed number of queries, whatever the number of
sessions, groups or documents.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from members.models import Exemption, Member
from sessions.models import Document, GroupMeeting, Postponement, Schedule, ThematicSession

Status = ThematicSession.Status


@dataclass(frozen=True)
class AgendaItem:
    """A session as one member sees it: their schedule and, if moved, from when.

    ``exemption``: the member's exemption (miễn, tạm miễn sinh hoạt) in force on
    the day, if any: they are not expected at the session, but may still come.
    """

    session: ThematicSession
    schedule: Schedule
    exemption: Exemption | None = None

    @property
    def postponement(self) -> Postponement | None:
        return self.session.postponement

    @property
    def date_unknown(self) -> bool:
        return self.session.awaits_new_date

    @property
    def sequence(self) -> int:
        """The session's iCalendar SEQUENCE: how many times it was edited, moved or cancelled."""
        return self.session.calendar_sequence


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def sessions_for(member: Member, related=("presiding", "preparer")):
    """Sessions that concern ``member``, with what their agenda needs prefetched.

    The sessions of the member's cell, whole-cell and group by group (with
    only the member's own group's meeting), from the day they joined the cell
    until the day they left it: never another cell's. ``related``: the members
    loaded with each session (the calendar feed names the preparer; the agenda
    cards do not).
    """
    # The related rows come in their models' order, without the session in
    # it: ordering by the session joins its table (for its own ordering), and
    # that join was a third of each of these queries' cost.
    meetings = (
        GroupMeeting.objects.filter(group_id=member.group_id)
        .select_related("group", "presiding")
        .order_by()  # one group: at most one meeting a session
    )
    documents = Document.objects.order_by("kind", "title", "pk")
    postponements = Postponement.objects.order_by("created_at", "pk")
    sessions = (
        ThematicSession.objects.of_cell(member.cell_id)
        .select_related(*related)
        .prefetch_related(
            Prefetch("group_meetings", queryset=meetings),
            Prefetch("documents", queryset=documents),
            Prefetch("postponements", queryset=postponements),
        )
        .filter(start__gte=_start_of(member.joined_cell_on))
    )
    if member.left_cell_on is not None:
        sessions = sessions.filter(start__lt=_start_of(member.left_cell_on))
    return sessions


def items_for(member: Member, sessions) -> list[AgendaItem]:
    exemptions = list(member.exemptions.all())
    items = []
    for session in sessions:
        schedule = session.schedule_for(member)
        day = timezone.localdate(schedule.start)
        exemption = next((e for e in exemptions if e.covers(day)), None)
        items.append(AgendaItem(session, schedule, exemption))
    items.sort(key=lambda item: (item.schedule.start, item.session.pk))
    return items


def upcoming_for(member: Member, now: dt.datetime, limit: int | None = None) -> list[AgendaItem]:
    """The member's next sessions: planned, postponed or cancelled, not yet over.

    A cancelled session stays on the list until its date, so that nobody
    turns up for it. A postponed session whose new date is not set yet stays
    on it too, however old its former date.
    """
    own_meeting_ahead = Exists(
        GroupMeeting.objects.filter(session=OuterRef("pk"), group_id=member.group_id, end__gte=now)
    )
    # Exists rather than a join on the postponements: no duplicate rows, so no
    # DISTINCT over every column, which PostgreSQL took 1 ms to plan.
    no_new_date = Exists(Postponement.objects.filter(session=OuterRef("pk"), new_start=None))
    sessions = sessions_for(member, related=("presiding",)).filter(
        Q(status__in=[Status.PLANNED, Status.POSTPONED, Status.CANCELLED])
        & (Q(end__gte=now) | own_meeting_ahead)
        | Q(status=Status.POSTPONED) & no_new_date
    )
    items = [
        item
        for item in items_for(member, sessions)
        if item.schedule.end >= now or item.date_unknown
    ]
    return items[:limit] if limit else items
