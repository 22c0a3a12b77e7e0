"""load_bulk writes years of data that follow the cell's own rules, or nothing at all."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count
from PIL import Image

from chibo.demo import bulk
from chibo.demo.bulk import BulkLoader, Size
from chibo.management.commands import load_bulk
from members.models import Exemption, Member, Organisation, PartyGroup, Role, single_cell
from sessions.models import (
    AnnualPlan,
    Attendance,
    Award,
    ContestTeam,
    GroupMeeting,
    Photo,
    Submission,
    ThematicSession,
)
from tests.factories import make_member

pytestmark = pytest.mark.django_db

SMALL = Size(
    members=12, groups=3, years=3, sessions_per_year=4, photos_per_session=1, temporary_members=1
)


@pytest.fixture
def loaded(now):
    """Three years (2018–2020) of a 12-member cell, loaded on 1 June 2020."""
    return BulkLoader(SMALL, seed=7, today=now.date()).run()


def test_it_writes_a_cell_of_the_requested_size(loaded):
    assert PartyGroup.objects.count() == 3
    today = dt.date(2020, 6, 1)
    assert Member.objects.in_cell_on(today).count() == 12
    assert Member.objects.filter(left_cell_on__isnull=False).exists()
    assert Member.objects.filter(temporary=True).count() == 1
    assert list(AnnualPlan.objects.values_list("year", flat=True)) == [2020, 2019, 2018]
    assert ThematicSession.objects.count() == 12
    assert loaded["Attendance"] == Attendance.objects.count() > 0


def test_every_held_session_has_a_row_for_each_expected_member(loaded):
    """The sheets follow the app's own roster rule: joined, not left, not exempt."""
    held = ThematicSession.objects.held()
    assert held.exists()
    for session in held:
        counted = set(session.attendances.counted().values_list("member", flat=True))
        assert counted == set(session.expected_members().values_list("pk", flat=True))
    assert not Attendance.objects.exclude(session__status="held").exists()


def test_absences_exemptions_and_temporary_attendees_are_all_there(loaded):
    statuses = set(Attendance.objects.values_list("status", flat=True))
    assert statuses == {"present", "excused", "unexcused"}
    assert not Attendance.objects.filter(status="excused", reason="").exists()
    assert Attendance.objects.filter(temporary=True).exists()
    assert Exemption.objects.exists()


def test_the_current_year_has_sessions_to_come_and_one_to_record(loaded, now):
    assert ThematicSession.objects.upcoming(now).exists()
    assert ThematicSession.objects.to_record(now).count() == 1


def test_group_by_group_sessions_and_contests_are_complete(loaded):
    by_group = ThematicSession.objects.filter(scope="groups")
    assert by_group.exists()
    for session in by_group.annotate(meetings=Count("group_meetings")):
        assert session.meetings == 3
    contest = ThematicSession.objects.held().filter(format="contest").first()
    assert contest is not None
    ranks = sorted(ContestTeam.objects.filter(session=contest).values_list("rank", flat=True))
    assert ranks == [1, 2, 3]
    winners = Award.objects.filter(session=contest, member__isnull=False)
    assert winners.exists()
    for award in winners:
        assert Attendance.objects.get(session=contest, member=award.member).status == "present"
    assert GroupMeeting.objects.filter(presiding__isnull=True).count() == 0


def test_photos_are_real_jpegs_on_disk(loaded):
    photos = Photo.objects.all()
    assert photos.count() == ThematicSession.objects.held().count()
    for photo in photos[:3]:
        for name in (photo.image.name, photo.thumbnail.name):
            path = Path(settings.MEDIA_ROOT) / name
            with Image.open(path) as image:
                assert image.format == "JPEG"


def test_the_secretary_sent_each_plan_and_each_past_years_report(loaded):
    sent = Submission.objects.order_by("pk")
    assert [(s.kind, s.year) for s in sent] == [
        ("plan", 2018),
        ("report", 2018),
        ("plan", 2019),
        ("report", 2019),
        ("plan", 2020),  # the report of 2020 is not due before December
    ]
    assert [s.reference.split("-")[0] for s in sent] == ["1", "2", "1", "2", "1"]
    assert {s.sent_by_name for s in sent} == {Member.objects.get(position="secretary").full_name}
    assert all(s.body and s.figures for s in sent)


def test_history_is_written_with_the_rows(loaded):
    assert Attendance.history.count() == Attendance.objects.count()
    assert Member.history.count() >= Member.objects.count()


def test_each_member_in_the_cell_has_a_login_with_a_role(loaded):
    today = dt.date(2020, 6, 1)
    in_cell = Member.objects.in_cell_on(today)
    assert in_cell.filter(user__isnull=True).count() == 0
    roles = set(User.objects.values_list("roles__kind", flat=True))
    assert roles == {"secretary", "leader", "member"}
    assert not any(user.has_usable_password() for user in User.objects.all())


def test_the_same_seed_draws_the_same_cell(now):
    def draw(seed):
        return [
            (p.name, p.group, p.joined, p.left)
            for p in BulkLoader(SMALL, seed=seed, today=now.date()).draw_people()
        ]

    assert draw(3) == draw(3)
    assert draw(3) != draw(4)


def test_a_failure_half_way_leaves_no_row_and_no_file(now, monkeypatch):
    def fail(self, sessions):
        raise RuntimeError("disk full")

    monkeypatch.setattr(BulkLoader, "write_contests", fail)
    with pytest.raises(RuntimeError):
        BulkLoader(SMALL, seed=7, today=now.date()).run()
    assert not Member.objects.exists()
    assert not ThematicSession.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_the_command_loads_the_chosen_size(monkeypatch, now):
    monkeypatch.setattr(load_bulk, "SIZES", {"cell": SMALL, "large": bulk.SIZES["large"]})
    out = StringIO()
    call_command("load_bulk", "--size", "cell", "--seed", "2", stdout=out)
    assert "Đã nạp dữ liệu cỡ cell" in out.getvalue()
    assert AnnualPlan.objects.count() == 3


def test_the_command_refuses_a_database_that_is_not_empty(groups):
    make_member(groups[0], "Nông Thị Hương")
    with pytest.raises(CommandError, match="chỉ nạp vào một cơ sở dữ liệu trống"):
        call_command("load_bulk", "--size", "cell", stdout=StringIO())
    assert Member.objects.count() == 1
    assert not AnnualPlan.objects.exists()


def test_the_sizes_are_those_of_the_issue():
    cell, large = bulk.SIZES["cell"], bulk.SIZES["large"]
    assert (cell.members, cell.groups, cell.years, cell.sessions_per_year) == (30, 4, 10, 12)
    assert (large.members, large.groups, large.years, large.sessions_per_year) == (300, 20, 20, 24)


COMMITTEE = Size(members=8, groups=2, years=2, sessions_per_year=4, photos_per_session=0, cells=3)


def test_the_committee_size_writes_sibling_cells_under_one_committee(now):
    counts = BulkLoader(COMMITTEE, seed=5, today=now.date()).run()
    first = single_cell()
    cells = list(Organisation.objects.cells())
    assert len(cells) == 3 and {cell.parent for cell in cells} == {first.parent}
    assert counts["Organisation"] == 2
    for cell in cells:
        assert Member.objects.of_cell(cell).in_cell_on(now.date()).count() == 8
        assert set(AnnualPlan.objects.of_cell(cell).values_list("year", flat=True)) == {2019, 2020}
        for session in ThematicSession.objects.of_cell(cell).held():
            counted = set(session.attendances.counted().values_list("member", flat=True))
            assert counted == set(session.expected_members().values_list("pk", flat=True))
        roles = Role.objects.filter(organisation=cell)
        assert roles.filter(kind="secretary").exists()
        assert (
            not Member.objects.of_cell(cell)
            .exclude(user__isnull=True)
            .exclude(user__roles__organisation=cell)
            .exists()
        )
    assert User.objects.filter(username="dv0001").exists()
    assert User.objects.filter(username__startswith="cb003-dv").exists()
    assert not Photo.objects.exists()


def test_the_committee_size_is_200_cells_of_the_model_case():
    committee = bulk.SIZES["committee"]
    assert (committee.cells, committee.members, committee.groups) == (200, 30, 4)
