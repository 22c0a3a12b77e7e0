"""thematic 0018 creates the kept figures and fills them from the attendance rows.

A database made before it (its meetings held and recorded, one a year
before, one of both natures, a member attending temporarily) is migrated
through 0018: every held meeting and every member's year get the figures a
recount gives, and nothing else is written.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sessions import models
from sessions.figures import count_members, count_sessions

BEFORE = [("thematic", "0017_check_ins")]
AFTER = [("thematic", "0018_stored_figures")]
TZ = dt.timezone(dt.timedelta(hours=7))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_figures_are_filled_from_the_rows():
    old = migrate(BEFORE)
    try:
        Organisation = old.get_model("members", "Organisation")
        Group = old.get_model("members", "PartyGroup")
        Member = old.get_model("members", "Member")
        Plan = old.get_model("thematic", "AnnualPlan")
        Session = old.get_model("thematic", "ThematicSession")
        Attendance = old.get_model("thematic", "Attendance")
        cell = Organisation.objects.filter(kind="cell").first()
        if cell is None:  # another transactional test emptied the database
            committee = Organisation.objects.create(name="Đảng ủy Khối", kind="committee")
            cell = Organisation.objects.create(name="Chi bộ", kind="cell", parent=committee)
        group = Group.objects.create(cell=cell, name="Tổ 0018", order=1)
        members = [
            Member.objects.create(
                cell=cell,
                group=group,
                full_name=f"Đảng viên {n}",
                sort_name=f"dang vien {n}",
                joined_cell_on=dt.date(2015, 1, 1),
            )
            for n in range(3)
        ]
        guest = Member.objects.create(
            cell=cell,
            full_name="Khách",
            sort_name="khach",
            joined_cell_on=dt.date(2015, 1, 1),
            temporary=True,
            home_cell="Chi bộ khác",
        )
        sessions = []
        for year, month, regular in ((2019, 12, True), (2020, 1, False), (2020, 2, False)):
            plan, _ = Plan.objects.get_or_create(cell=cell, year=year, defaults={"title": "KH"})
            start = dt.datetime(year, month, 10, 8, tzinfo=TZ)
            sessions.append(
                Session.objects.create(
                    plan=plan,
                    topic=f"Chuyên đề {month}",
                    start=start,
                    end=start + dt.timedelta(hours=2),
                    status="held",
                    regular=regular,
                    guest_count=month,
                )
            )
        planned = Session.objects.create(
            plan=plan,
            topic="Chưa họp",
            start=dt.datetime(2020, 11, 10, 8, tzinfo=TZ),
            end=dt.datetime(2020, 11, 10, 10, tzinfo=TZ),
        )
        for session in sessions:
            for n, member in enumerate(members):
                Attendance.objects.create(
                    session=session,
                    member=member,
                    group=group,
                    status="unexcused" if n == 0 else "present",
                )
            Attendance.objects.create(session=session, member=guest, temporary=True)

        new = migrate(AFTER)
        SessionFigures = new.get_model("thematic", "SessionFigures")
        MemberYearFigures = new.get_model("thematic", "MemberYearFigures")
        kept = {row.session_id: row for row in SessionFigures.objects.all()}
        assert planned.pk not in kept
        counted = count_sessions(models.ThematicSession.objects.across_cells())
        for session in sessions:
            row = kept[session.pk]
            assert {name: getattr(row, name) for name in counted[session.pk]} == counted[session.pk]
            assert (row.expected, row.present, row.unexcused, row.temporary) == (3, 2, 1, 1)
            assert row.guests == session.start.month
        assert kept[sessions[0].pk].year == 2019
        assert kept[sessions[0].pk].regular
        years = {
            (row.member_id, row.year): row
            for row in MemberYearFigures.objects.filter(cell_id=cell.pk)
        }
        assert guest.pk not in {member for member, _year in years}
        truant = years[(members[0].pk, 2020)]
        # Two unexcused absences in 2020 after one in December: a run of three.
        assert (truant.expected, truant.unexcused, truant.longest_run) == (2, 2, 3)
        assert truant.months_unexcused == 2
        recounted = count_members(models.Attendance.objects.filter(session__plan__cell=cell.pk))
        for (cell_id, member_id, year), values in recounted.items():
            row = years[(member_id, year)]
            assert cell_id == cell.pk
            assert {name: getattr(row, name) for name in values} == values
        assert len(recounted) == len(years) == 6
    finally:
        # The schema the other tests expect, whatever happened: every app's latest.
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
