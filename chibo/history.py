"""Who changed what, and when: the history pages read from django-simple-history.

Every save of a member, group, exemption, plan, session, group meeting,
attendance row, contest team or award leaves a historical row with the user
who made it and the moment (bulk writes too, through
``bulk_create_with_history``). This module turns those rows into entries a
person can read: "15/05/2020 09:12 · Nông Thị Hương · Sửa · Lương Văn Tuấn:
Số điện thoại — → 0912 345 678".

Each page reads a fixed number of queries whatever the length of the
history: one per historical model, one for the earlier versions that the
changes are measured against (the cell-wide page only), and one per model
the changed fields point to (groups, members, sessions, plans, users).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import date as date_format
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from chibo.lib.cells import cell_filter
from members.models import Exemption, Member, Organisation, PartyGroup
from sessions.models import (
    AnnualPlan,
    Attendance,
    Award,
    ContestTeam,
    GroupMeeting,
    ThematicSession,
    regular_meeting_title,
)

# Fields that change with every save or are bookkeeping, not what a person changed.
# A record's cell is set when it is made, never edited: every page is one cell's.
SKIPPED = {
    "id",
    "created_at",
    "updated_at",
    "recorded_at",
    "attendance_version",
    "order",
    "cell",
}
ACTIONS = {
    "+": pgettext_lazy("history", "Thêm"),
    "~": pgettext_lazy("history", "Sửa"),
    "-": pgettext_lazy("history", "Xóa"),
}
LONG_TEXT = 160
# Rows of one attendance sheet written one by one come this close together.
SHEET_MOMENT = dt.timedelta(seconds=2)


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class Line:
    """One object's change inside an entry (a member's line of an attendance sheet)."""

    subject: str
    changes: list[Change]


@dataclass
class Entry:
    when: dt.datetime
    who: str
    action: str  # "+", "~", "-"
    kind: str
    subject: str
    lines: list[Line] = field(default_factory=list)
    url: str = ""
    # For grouping the lines of one attendance sheet: its session and name.
    session_id: int | None = None
    member_ids: set = field(default_factory=set)
    sheet: str = ""
    order: tuple = ()

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])

    @property
    def changes(self) -> list[Change]:
        """The changes of an entry about a single object."""
        return self.lines[0].changes if len(self.lines) == 1 else []


def history_model(model):
    return model.history.model


# What an entry's subject already says: not repeated among its changes.
IDENTIFYING = {
    Exemption: {"member"},
    GroupMeeting: {"session"},
    Attendance: {"session", "member"},
    ContestTeam: {"session"},
    Award: {"session"},
}


def tracked_fields(model, *, labelled=False) -> list[models.Field]:
    """The fields a person changes; ``labelled`` keeps those that name the subject."""
    skipped = SKIPPED if labelled else SKIPPED | IDENTIFYING.get(model, set())
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in skipped and f.editable
    ]


# --- Labels of the objects a field points to ------------------------------------


def _meeting_name(topic, start) -> str:
    """A meeting's name: its topic; a regular meeting of its own has none, only its month."""
    return topic or regular_meeting_title(timezone.localtime(start).date())


def _session_label(pk, topic, start):
    return f"{_meeting_name(topic, start)} ({date_format(timezone.localtime(start), 'd/m/Y')})"


LABELS = {
    PartyGroup: (("name",), lambda pk, name: name),
    Member: (("full_name",), lambda pk, name: name),
    ThematicSession: (("topic", "start"), _session_label),
    AnnualPlan: (("year",), lambda pk, year: str(year)),
    User: (("username",), lambda pk, name: name),
    Organisation: (("name",), lambda pk, name: name),
}


class Labels:
    """Names of the groups, members, sessions… that historical rows point to.

    Filled in one query per model; an object deleted since (a session never
    held) is named by its number.
    """

    def __init__(self, rows):
        wanted = defaultdict(set)
        for row in rows:
            for f in tracked_fields(row.instance_type, labelled=True):
                if f.is_relation:
                    value = getattr(row, f.attname)
                    if value is not None:
                        wanted[f.related_model].add(value)
        self.names = {}
        for model, ids in wanted.items():
            fields, label = LABELS[model]
            for values in model._base_manager.filter(pk__in=ids).values_list("pk", *fields):
                self.names[model, values[0]] = label(*values)

    def name(self, model, pk) -> str:
        if pk is None:
            return "—"
        return self.names.get((model, pk), _("#%(id)s (đã xóa)") % {"id": pk})


def display(f, value, labels: Labels) -> str:
    """A field's value as the pages show it."""
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return labels.name(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("có") if value else _("không")
    if isinstance(f, models.DateTimeField):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(f, models.DateField):
        return date_format(value, "d/m/Y")
    return truncatechars(str(value), LONG_TEXT)


def _value(row, f):
    return getattr(row, f.attname)


def changes_between(model, previous, row, labels: Labels) -> list[Change]:
    """What changed from ``previous`` to ``row`` (a creation lists what was filled in)."""
    changes = []
    for f in tracked_fields(model):
        new = _value(row, f)
        if previous is None:
            if not new:  # a creation lists what was filled in
                continue
            changes.append(Change(str(f.verbose_name), "", display(f, new, labels)))
            continue
        old = _value(previous, f)
        if old != new:
            changes.append(
                Change(str(f.verbose_name), display(f, old, labels), display(f, new, labels))
            )
    return changes


# --- Subjects and links -----------------------------------------------------------


def subject(model, row, labels: Labels, page: str) -> str:
    """What an entry is about, as the ``page`` ("cell", "member", "session") needs it."""
    name = labels.name
    if model is Member:
        return row.full_name
    if model is PartyGroup:
        return row.name
    if model is Exemption:
        return f"{name(Member, row.member_id)} — {row.get_kind_display()}"
    if model is AnnualPlan:
        return row.title or str(row.year)
    if model is ThematicSession:
        return _meeting_name(row.topic, row.start)
    if model is GroupMeeting:
        own = name(PartyGroup, row.group_id)
    elif model is Attendance:
        own = name(Member, row.member_id)
    elif model is ContestTeam:
        own = row.name or name(PartyGroup, row.group_id)
    else:
        winner = name(Member, row.member_id) if row.member_id else row.guest_name
        own = f"{row.prize}: {winner}"
    session = name(ThematicSession, row.session_id)
    if page == "session":
        return own
    if page == "member" and model is Attendance:
        return session
    return f"{session} — {own}"


def link(model, row) -> str:
    """The per-object history page an entry of the cell-wide page leads to."""
    if model is Member:
        return reverse("history:member", args=[row.id])
    if model is Exemption:
        return reverse("history:member", args=[row.member_id])
    if model is ThematicSession:
        return reverse("history:session", args=[row.id])
    if model in (GroupMeeting, Attendance, ContestTeam, Award):
        return reverse("history:session", args=[row.session_id])
    return ""


def who(row) -> str:
    user = row.history_user
    if user is None:
        return _("hệ thống")
    # A login may belong to members of several cells: the same person in each.
    members = user.members.all()  # prefetched
    return members[0].full_name if members else user.username


# --- Building the entries ------------------------------------------------------------


def _rows(model, queryset):
    return list(
        queryset.select_related("history_user")
        .prefetch_related("history_user__members")
        .order_by("-history_date", "-history_id")
    )


def _previous_by_row(groups: dict) -> dict:
    """For every row, the version of the same object just before it (or None)."""
    previous = {}
    for model, rows in groups.items():
        by_object = defaultdict(list)
        for row in rows:
            by_object[row.id].append(row)
        for versions in by_object.values():
            versions.sort(key=lambda r: (r.history_date, r.history_id))
            for earlier, later in zip([None, *versions], versions, strict=False):
                previous[model, later.history_id] = earlier
    return previous


def build_entries(shown: dict, complete: dict, *, page: str):
    """Entries for the ``shown`` rows of each model, newest first.

    ``complete`` holds, per model, every version of the shown objects (the
    shown rows included), so that each change is measured against the
    version before it. ``page`` is "cell", "member" or "session".
    """
    every_row = [row for rows in complete.values() for row in rows]
    labels = Labels(every_row)
    previous = _previous_by_row(complete)
    entries = []
    for model, rows in shown.items():
        kind = str(model._meta.verbose_name)
        for row in rows:
            if row.history_type == "-":
                changes = []
            else:
                changes = changes_between(model, previous.get((model, row.history_id)), row, labels)
                if row.history_type == "~" and not changes:
                    continue  # a save that changed nothing a person sees
            is_sheet = model is Attendance
            entries.append(
                Entry(
                    when=row.history_date,
                    who=who(row),
                    action=row.history_type,
                    kind=kind,
                    subject=subject(model, row, labels, page),
                    lines=[
                        Line(
                            labels.name(Member, row.member_id)
                            if is_sheet
                            else subject(model, row, labels, page),
                            changes,
                        )
                    ],
                    url=link(model, row) if page == "cell" else "",
                    session_id=row.session_id if is_sheet else None,
                    member_ids={row.member_id} if is_sheet else set(),
                    sheet=labels.name(ThematicSession, row.session_id) if is_sheet else "",
                    order=(row.history_date, row.history_id),
                )
            )
    entries.sort(key=lambda entry: entry.order, reverse=True)
    return entries


def group_sheets(entries: list[Entry], page: str) -> list[Entry]:
    """One entry per save of an attendance sheet.

    ``save_attendance_sheet`` gives all the history rows of one save the same
    moment and user; rows written one by one (the demo cell, older data) come
    within a moment of each other. A member seen again belongs to another save.
    """
    grouped, oldest = [], None
    for entry in entries:
        last = grouped[-1] if grouped else None
        if (
            entry.session_id is not None
            and last is not None
            and last.session_id == entry.session_id
            and last.who == entry.who
            and oldest - entry.when <= SHEET_MOMENT
            and not last.member_ids & entry.member_ids
        ):
            last.lines += entry.lines
            last.member_ids |= entry.member_ids
            oldest = entry.when
            if entry.action != last.action:
                last.action = "~"
            continue
        grouped.append(entry)
        oldest = entry.when
    for entry in grouped:
        if entry.session_id is not None and len(entry.lines) > 1:
            count = _("%(count)s dòng điểm danh") % {"count": len(entry.lines)}
            entry.subject = f"{entry.sheet} — {count}" if page == "cell" else count
    return grouped


def member_history(member: Member) -> list[Entry]:
    """Every change to a member's record, exemptions, attendance and awards."""
    rows = {
        Member: _rows(Member, history_model(Member).objects.filter(id=member.pk)),
        Exemption: _rows(Exemption, history_model(Exemption).objects.filter(member_id=member.pk)),
        Attendance: _rows(
            Attendance, history_model(Attendance).objects.filter(member_id=member.pk)
        ),
        Award: _rows(Award, history_model(Award).objects.filter(member_id=member.pk)),
    }
    return build_entries(rows, rows, page="member")


def session_history(session: ThematicSession) -> list[Entry]:
    """Every change to a session, its group meetings, attendance sheet and contest."""
    rows = {
        ThematicSession: _rows(
            ThematicSession, history_model(ThematicSession).objects.filter(id=session.pk)
        ),
        GroupMeeting: _rows(
            GroupMeeting, history_model(GroupMeeting).objects.filter(session_id=session.pk)
        ),
        Attendance: _rows(
            Attendance, history_model(Attendance).objects.filter(session_id=session.pk)
        ),
        ContestTeam: _rows(
            ContestTeam, history_model(ContestTeam).objects.filter(session_id=session.pk)
        ),
        Award: _rows(Award, history_model(Award).objects.filter(session_id=session.pk)),
    }
    entries = build_entries(rows, rows, page="session")
    return group_sheets(entries, "session")


CELL_MODELS = (
    Member,
    PartyGroup,
    Exemption,
    AnnualPlan,
    ThematicSession,
    GroupMeeting,
    Attendance,
    ContestTeam,
    Award,
)
PAGE_ROWS = 60


def in_cell(model, cell) -> Q:
    """The historical rows of ``model`` that belong to ``cell``, by its ``CELL_PATH``.

    A model with its own ``cell`` is filtered on it (its historical rows keep
    it). Another one is filtered on the object its path starts from (a
    session, a member, a plan): that object is of the cell now, or a version
    of it was, so that the history of a session deleted since (never held)
    stays with its cell. One query still: the lookups are subqueries.
    """
    if model.CELL_PATH == "cell":
        return Q(cell=cell)
    first = model.CELL_PATH.split("__", 1)[0]
    parent = model._meta.get_field(first).related_model
    now = parent._base_manager.filter(**cell_filter(parent, cell)).values("pk")
    then = history_model(parent).objects.filter(in_cell(parent, cell)).values("id")
    return Q(**{f"{first}_id__in": now}) | Q(**{f"{first}_id__in": then})


def recent_changes(cell, before: dt.datetime | None = None, size: int = PAGE_ROWS):
    """``cell``'s latest changes, older than ``before``; and the cursor of the next page.

    Reads the ``size`` latest rows of each model, keeps the ``size`` latest of
    them all, then the earlier versions of those objects.
    """
    latest = []
    for model in CELL_MODELS:
        queryset = history_model(model).objects.filter(in_cell(model, cell))
        if before is not None:
            queryset = queryset.filter(history_date__lt=before)
        latest += [(model, row) for row in _rows(model, queryset)[: size + 1]]
    latest.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)
    more = len(latest) > size
    latest = latest[:size]
    shown = defaultdict(list)
    for model, row in latest:
        shown[model].append(row)
    complete = {}
    for model, rows in shown.items():
        ids = {row.id for row in rows}
        oldest = min(row.history_date for row in rows)
        earlier = history_model(model).objects.filter(id__in=ids, history_date__lt=oldest)
        # The version just before the oldest shown one is enough for each object.
        complete[model] = rows + _latest_per_object(earlier)
    entries = build_entries(shown, complete, page="cell")
    cursor = latest[-1][1].history_date if more and latest else None
    return group_sheets(entries, "cell"), cursor


def _latest_per_object(queryset) -> list:
    newest = {}
    for row in queryset.order_by("id", "-history_date", "-history_id"):
        newest.setdefault(row.id, row)
    return list(newest.values())
