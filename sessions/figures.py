"""Attendance figures kept as they are written, and the recount that checks them.

Pages read a meeting's figures and a member's figures for a year from two
tables (``SessionFigures``, ``MemberYearFigures``) instead of counting the
year's attendance rows each time they are shown. Those rows are derived
data: everything in them follows from the attendance rows and the meetings
(their cell, date, kinds, status and guests). One function computes them
from there (``count_sessions``, ``count_members``: the recount), and one
writes what differs (``refresh_figures``), called inside the transaction of
every service that changes an attendance row or a meeting's date, kind,
status or guests (docs/development.md lists them). The invariant: after any
sequence of writes, every stored figure equals the recount. ``manage.py
recount`` checks a whole database against it and repairs what differs.

Writes that never change an attendance row (an exemption, a member leaving,
moving to another group or cell) change no stored figure: a sheet is a
snapshot of its day, and later moves never rewrite it.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.db.models import Count, Q
from django.utils import timezone

from chibo.lib.dates import FIRST_YEAR, LAST_YEAR
from sessions.models import (
    ABSENT,
    Attendance,
    MemberYearFigures,
    SessionFigures,
    ThematicSession,
    year_bounds,
)

SESSION_FIELDS = ("cell_id", "year", *SessionFigures.KEYS[2:], *SessionFigures.FIGURES)
MEMBER_FIELDS = MemberYearFigures.FIGURES


@dataclass(frozen=True)
class Change:
    """One stored figure that differed from the recount: what it was, what it is."""

    table: str  # "session" or "member"
    key: int | tuple  # a session's id, or (cell_id, member_id, year)
    field: str
    stored: object
    counted: object

    def __str__(self):
        return f"{self.table} {self.key}: {self.field} {self.stored} → {self.counted}"


def local_year(moment: dt.datetime) -> int:
    return timezone.localtime(moment).year


# --- The recount ------------------------------------------------------------------


def _meeting_rows(sessions):
    """``sessions`` with their counts, cell, status and the year their kept row has (one query)."""
    counted = Q(attendances__temporary=False)
    status = Attendance.Status
    return (
        sessions.values(
            "pk",
            "status",
            "start",
            "thematic",
            "regular",
            "guest_count",
            "plan__cell_id",
            "kept_figures__year",
        )
        .order_by("pk")
        .annotate(
            expected=Count("attendances", filter=counted),
            present=Count("attendances", filter=counted & Q(attendances__status=status.PRESENT)),
            excused=Count("attendances", filter=counted & Q(attendances__status=status.EXCUSED)),
            unexcused=Count(
                "attendances", filter=counted & Q(attendances__status=status.UNEXCUSED)
            ),
            temporary=Count("attendances", filter=Q(attendances__temporary=True)),
        )
    )


def _session_values(row) -> dict:
    return {
        "cell_id": row["plan__cell_id"],
        "year": local_year(row["start"]),
        "thematic": row["thematic"],
        "regular": row["regular"],
        "expected": row["expected"],
        "present": row["present"],
        "excused": row["excused"],
        "unexcused": row["unexcused"],
        "temporary": row["temporary"],
        "guests": row["guest_count"],
    }


def count_sessions(sessions) -> dict[int, dict]:
    """The figures of each held meeting among ``sessions``, counted from its rows (one query).

    ``{session_id: {field: value}}`` with the fields of ``SessionFigures``.
    """
    return {
        row["pk"]: _session_values(row)
        for row in _meeting_rows(sessions.filter(status=ThematicSession.Status.HELD))
    }


def years_filter(years, cell_id) -> Q:
    """Rows of ``cell_id``'s meetings in ``years`` and in the year before each (a run goes
    back one), through a subquery on the meetings: the database then finds the rows by
    meeting, not by reading every year of each member."""
    wanted = sorted({y for year in years for y in (year - 1, year) if FIRST_YEAR <= y <= LAST_YEAR})
    condition = Q(pk__in=[])
    for year in wanted:
        start, end = year_bounds(year)
        condition |= Q(start__gte=start, start__lt=end)
    meetings = ThematicSession.objects.filter(condition, plan__cell=cell_id).values("pk")
    return Q(session__in=meetings)


def count_members(rows, years=None) -> dict[tuple, dict]:
    """Each member's figures per cell and year, counted from attendance ``rows`` (one query).

    ``rows`` must hold every row of ``years`` and of the year before each for
    the members concerned (``years_filter``); ``years`` None counts every
    year found. ``{(cell_id, member_id, year): {field: value}}``, a key for
    each member with a counted row in the cell in the year.

    The same rules as the summary (``summaries.member_rows``): thematic
    sessions for the figures and the runs, a run reaching back into the year
    before and no further (``longest_absence_runs``), every meeting for the
    months with an unexcused absence (``removal.months_unexcused``).
    """
    rows = (
        rows.filter(temporary=False)
        .order_by("session__plan__cell_id", "member_id", "session__start", "session_id")
        .values_list(
            "session__plan__cell_id", "member_id", "status", "session__start", "session__thematic"
        )
    )
    wanted = None if years is None else set(years)
    result = {}
    # The year and month of each meeting's start, in the cell's time zone:
    # worked out once per meeting, not once per row (the rows share them).
    tz = timezone.get_current_timezone()
    when = {}
    # The whole database (``recount``) in chunks, through a server-side cursor on
    # PostgreSQL. A write's few members in one fetch: PostgreSQL plans a cursor
    # for its first rows, and for a sheet's 30 members that plan took 90 ms
    # where the query itself takes 4.
    fetched = rows.iterator(chunk_size=5000) if years is None else rows
    for (cell_id, member_id), member_rows in groupby(fetched, key=itemgetter(0, 1)):
        by_year = defaultdict(list)
        for _cell, _member, status, start, thematic in member_rows:
            if start not in when:
                moment = start.astimezone(tz)
                when[start] = moment.year, moment.month
            year, month = when[start]
            by_year[year].append((status, month, thematic))
        for year, year_rows in by_year.items():
            if wanted is not None and year not in wanted:
                continue
            thematic = [status for status, _month, is_thematic in year_rows if is_thematic]
            before = [
                status for status, _month, is_thematic in by_year.get(year - 1, ()) if is_thematic
            ]
            longest = run = 0
            for index, status in enumerate(before + thematic):
                run = run + 1 if status in ABSENT else 0
                if index >= len(before):
                    longest = max(longest, run)
            excused = thematic.count(Attendance.Status.EXCUSED)
            unexcused = thematic.count(Attendance.Status.UNEXCUSED)
            result[(cell_id, member_id, year)] = {
                "expected": len(thematic),
                "present": thematic.count(Attendance.Status.PRESENT),
                "absent": excused + unexcused,
                "excused": excused,
                "unexcused": unexcused,
                "longest_run": longest,
                "months_unexcused": len(
                    {
                        month
                        for status, month, _thematic in year_rows
                        if status == Attendance.Status.UNEXCUSED
                    }
                ),
            }
    return result


# --- Writing what differs ------------------------------------------------------------


def _write(model, stored: dict, counted: dict, fields, table: str, make, unique) -> list[Change]:
    """Make the stored rows ``stored`` (by key) hold ``counted``: what differs is written.

    New and changed rows in one upsert (``INSERT … ON CONFLICT … DO UPDATE``
    on the key), rows without a count any more deleted: at most two queries.
    """
    changes, to_write, to_delete = [], [], []
    for key, values in counted.items():
        row = stored.get(key)
        differs = [
            Change(table, key, name, None if row is None else getattr(row, name), values[name])
            for name in fields
            if row is None or getattr(row, name) != values[name]
        ]
        if differs:
            changes += differs
            to_write.append(make(key, values))
    for key, row in stored.items():
        if key not in counted:
            to_delete.append(row.pk)
            changes += [Change(table, key, name, getattr(row, name), None) for name in fields]
    if to_delete:
        model.objects.across_cells().filter(pk__in=to_delete).delete()
    if to_write:
        model.objects.bulk_create(
            to_write,
            batch_size=500,
            update_conflicts=True,
            unique_fields=unique,
            update_fields=[name for name in fields if name not in unique],
        )
    return changes


def write_sessions(stored_rows, counted: dict) -> list[Change]:
    stored = {row.session_id: row for row in stored_rows}
    return _write(
        SessionFigures,
        stored,
        counted,
        SESSION_FIELDS,
        "session",
        lambda key, values: SessionFigures(session_id=key, **values),
        ["session"],
    )


def write_members(stored_rows, counted: dict) -> list[Change]:
    stored = {(row.cell_id, row.member_id, row.year): row for row in stored_rows}
    return _write(
        MemberYearFigures,
        stored,
        counted,
        MEMBER_FIELDS,
        "member",
        lambda key, values: MemberYearFigures(
            cell_id=key[0], member_id=key[1], year=key[2], **values
        ),
        ["cell", "member", "year"],
    )


def refresh_figures(*, session=None, sessions=(), cell=None, members=None, years=()) -> None:
    """Recount and store the figures a write may have changed; call it in the write's transaction.

    ``session`` (or ``sessions``, of one cell): the meetings whose rows or
    date, kinds, status or guests changed; their members' figures are
    refreshed for the meetings' years (the year stored before and the year
    now, for a meeting moved) and the year after each (a run crosses the turn
    of the year). ``cell`` and ``years``, with ``members`` (ids) or None for
    every member: members' figures of those years, for a write that changes
    rows of many meetings (the loaders).
    """
    ids = [s.pk for s in ([session] if session is not None else [])] + [s.pk for s in sessions]
    touched = set(years)
    member_scope = None if members is None else list(members)
    if ids:
        # One query: the meetings' counts, their cell and the year of their kept row.
        rows = list(_meeting_rows(ThematicSession.objects.across_cells().filter(pk__in=ids)))
        cell_ids = {row["plan__cell_id"] for row in rows}
        if not cell_ids:  # deleted: a meeting never held, with no figures to keep
            return
        if len(cell_ids) != 1:
            raise ValueError("refresh_figures: the meetings of one cell")
        cell_id = cell_ids.pop()
        held = [row for row in rows if row["status"] == ThematicSession.Status.HELD]
        touched |= {row["kept_figures__year"] for row in rows if row["kept_figures__year"]}
        touched |= {local_year(row["start"]) for row in held}
        gone = [row["pk"] for row in rows if row not in held and row["kept_figures__year"]]
        if gone:  # no longer held (the database keeps a meeting with rows held)
            SessionFigures.objects.filter(cell=cell_id, session_id__in=gone).delete()
        if held:
            SessionFigures.objects.bulk_create(
                [SessionFigures(session_id=row["pk"], **_session_values(row)) for row in held],
                update_conflicts=True,
                unique_fields=["session"],
                update_fields=SESSION_FIELDS,
            )
        # The members on the sheets, read by the query below (a subquery, not a query).
        on_sheets = Attendance.objects.filter(session__plan__cell=cell_id, session_id__in=ids)
        member_filter = Q(member_id__in=on_sheets.values("member_id"))
        if member_scope is not None:
            member_filter |= Q(member_id__in=member_scope)
    else:
        if cell is None:
            raise ValueError("refresh_figures: a session, or a cell and years")
        cell_id = getattr(cell, "pk", cell)
        member_filter = Q() if member_scope is None else Q(member_id__in=member_scope)
    years = sorted(
        {y for year in touched for y in (year, year + 1) if FIRST_YEAR <= y <= LAST_YEAR}
    )
    if not years:
        return
    rows = Attendance.objects.filter(
        member_filter, years_filter(years, cell_id), session__plan__cell=cell_id
    )
    counted = count_members(rows, years)
    stored = MemberYearFigures.objects.filter(member_filter, cell=cell_id, year__in=years)
    write_members(stored, counted)


def refresh_cell(cell) -> None:
    """Every figure of ``cell``: for the loaders, after they write rows in bulk."""
    cell_id = getattr(cell, "pk", cell)
    counted = count_sessions(ThematicSession.objects.filter(plan__cell=cell_id))
    write_sessions(list(SessionFigures.objects.filter(cell=cell_id)), counted)
    years = set(SessionFigures.objects.filter(cell=cell_id).values_list("year", flat=True))
    years |= set(MemberYearFigures.objects.filter(cell=cell_id).values_list("year", flat=True))
    if years:
        refresh_figures(cell=cell_id, years=years)


def recount(*, fix: bool) -> list[Change]:
    """Every stored figure of the database against a recount; with ``fix``, repaired.

    Reads every cell's rows on purpose: the check is of the whole database.
    Returns what differed (what was changed, with ``fix``).
    """
    # Across cells on purpose: the command checks the whole database.
    counted_sessions = count_sessions(ThematicSession.objects.across_cells())
    stored_sessions = list(SessionFigures.objects.across_cells())
    counted_members = count_members(Attendance.objects.across_cells())
    stored_members = list(MemberYearFigures.objects.across_cells())
    if fix:
        return write_sessions(stored_sessions, counted_sessions) + write_members(
            stored_members, counted_members
        )
    return diff(stored_sessions, counted_sessions, stored_members, counted_members)


def diff(stored_sessions, counted_sessions, stored_members, counted_members) -> list[Change]:
    """What ``write_*`` would change, without writing."""
    changes = []
    for table, stored, counted, fields in (
        ("session", {r.session_id: r for r in stored_sessions}, counted_sessions, SESSION_FIELDS),
        (
            "member",
            {(r.cell_id, r.member_id, r.year): r for r in stored_members},
            counted_members,
            MEMBER_FIELDS,
        ),
    ):
        for key in sorted(set(stored) | set(counted)):
            row, values = stored.get(key), counted.get(key)
            for name in fields:
                old = None if row is None else getattr(row, name)
                new = None if values is None else values[name]
                if old != new:
                    changes.append(Change(table, key, name, old, new))
    return changes
