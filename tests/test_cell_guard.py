"""A query on a cell's rows that names no cell fails loudly in the suite's requests.

``chibo.lib.cells``: a ``CellQuerySet`` knows whether it is scoped (by
``.of_cell``, a filter on its cell path, an object of a cell it starts from,
or ``.across_cells()``); ``chibo.middleware.CellGuardMiddleware`` switches
the guard on for every request while ``CHIBO_CELL_GUARD`` is set, which
``tests/conftest.py`` does for the whole suite. The views below are served
on top of the project's URLs, through the same middleware as every page.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from chibo.lib.cells import UnscopedQuery, cell_guard, guard_is_on
from chibo.lib.roles import SECRETARY
from chibo.urls import urlpatterns as project_urlpatterns
from members.models import Member, Organisation, PartyGroup, single_cell
from members.workplace import cell_of
from sessions.forms import team_formset
from sessions.models import Attendance, ContestTeam, ThematicSession
from tests.factories import at, make_group, make_member, make_plan, make_session, make_user, record

READS = {
    "unscoped": lambda cell: Attendance.objects.count(),
    "of-cell": lambda cell: Attendance.objects.of_cell(cell).count(),
    "related-manager": lambda cell: sum(
        session.attendances.count() for session in ThematicSession.objects.of_cell(cell)
    ),
    "prefetch": lambda cell: sum(
        len(session.attendances.all())
        for session in ThematicSession.objects.of_cell(cell).prefetch_related("attendances")
    ),
    "across-cells": lambda cell: Attendance.objects.across_cells().count(),
    "guard": lambda cell: guard_is_on(),
}


def read(request, kind):
    return HttpResponse(str(READS[kind](cell_of(request.user))))


urlpatterns = [*project_urlpatterns, path("guard/<str:kind>/", read)]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def cells(secretary, groups, member, other_member):
    """Two cells, each with a held contest whose sheet is saved and a team."""
    cell_a = single_cell()
    cell_b = Organisation.objects.create(
        name="Chi bộ Trường Tiểu học Kim Đồng", kind=Organisation.Kind.CELL, parent=cell_a.parent
    )
    group_b = make_group("Tổ Kim Đồng", cell=cell_b)
    member_b = make_member(group_b, "Bế Văn Khánh", joined=dt.date(2015, 1, 1))
    sessions = {}
    for cell, group in ((cell_a, groups[0]), (cell_b, group_b)):
        session = make_session(make_plan(2020, cell=cell), start=at(2020, 3, 12), format="contest")
        record(session)
        ContestTeam.objects.create(session=session, group=group, score=5)
        sessions[cell] = session
    return {"a": cell_a, "b": cell_b, "sessions": sessions, "member_b": member_b}


def test_the_guard_is_on_in_every_request_of_the_suite(client, secretary):
    """The suite sets CHIBO_CELL_GUARD; a page is served with the guard on.

    Fails if the setting, the middleware or conftest's switch goes: the
    guard would then be silently off and every other test here would pass
    for nothing.
    """
    assert settings.CHIBO_CELL_GUARD is True
    assert settings.MIDDLEWARE[0] == "chibo.middleware.CellGuardMiddleware"
    client.force_login(secretary)
    assert client.get("/guard/guard/").content == b"True"


def test_an_unscoped_read_in_a_request_fails_loudly(client, secretary, cells):
    client.force_login(secretary)
    with pytest.raises(UnscopedQuery, match="Attendance"):
        client.get("/guard/unscoped/")


@pytest.mark.parametrize("kind", ["of-cell", "related-manager", "prefetch", "across-cells"])
def test_a_read_that_names_its_cell_passes(client, secretary, cells, kind):
    in_a = Attendance.objects.of_cell(cells["a"]).count()
    every = Attendance.objects.count()
    assert 0 < in_a < every
    client.force_login(secretary)
    response = client.get(f"/guard/{kind}/")
    assert response.status_code == 200
    assert int(response.content) == (every if kind == "across-cells" else in_a)


def test_the_guard_is_off_outside_requests(cells):
    """Test setup, management commands, migrations and the shell read freely."""
    assert guard_is_on() is False
    assert Attendance.objects.count() > Attendance.objects.of_cell(cells["a"]).count()


def test_without_the_setting_the_middleware_is_not_loaded(settings, secretary, cells):
    """Production: the middleware is dropped and nothing is checked."""
    settings.CHIBO_CELL_GUARD = False
    client = Client()
    client.force_login(secretary)
    assert client.get("/guard/guard/").content == b"False"
    assert int(client.get("/guard/unscoped/").content) == Attendance.objects.count()


def test_the_admin_reads_every_cell_for_a_superuser(client, cells):
    admin = make_user("quan-tri")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.get("/admin/thematic/attendance/")
    assert response.status_code == 200
    assert "Bế Văn Khánh" in response.text


# --- What counts as scoped ---------------------------------------------------


def scoped_reads(cells):
    cell = cells["a"]
    session = cells["sessions"][cell]
    member = session.attendances.first().member
    return {
        "of_cell": lambda: list(Member.objects.of_cell(cell)),
        "of_cell by id": lambda: list(Member.objects.of_cell(cell.pk)),
        "a filter on the cell path": lambda: Attendance.objects.filter(
            session__plan__cell=cell
        ).count(),
        "a filter on the cell's id": lambda: PartyGroup.objects.filter(cell_id=cell.pk).exists(),
        "cells by __in": lambda: list(Member.objects.filter(cell__in=[cell])),
        "an object of a cell": lambda: Attendance.objects.filter(member=member).count(),
        "a scoped queryset": lambda: Attendance.objects.filter(
            session__in=ThematicSession.objects.of_cell(cell)
        ).count(),
        "objects of a cell": lambda: Attendance.objects.filter(session__in=[session]).count(),
        "either of two objects": lambda: list(
            ThematicSession.objects.filter(Q(presiding=member) | Q(preparer=member))
        ),
        "a related manager": lambda: list(member.attendances.all()),
        "a prefetch": lambda: [
            list(s.contest_teams.all())
            for s in ThematicSession.objects.of_cell(cell).prefetch_related(
                Prefetch("contest_teams", queryset=ContestTeam.objects.order_by("rank"))
            )
        ],
        "an unscoped subquery of a scoped query": lambda: list(
            ThematicSession.objects.of_cell(cell).filter(
                Exists(Attendance.objects.filter(session=OuterRef("pk")))
            )
        ),
        "a forward foreign key": lambda: session.attendances.first().group.name,
        "an aggregate": lambda: session.attendances.aggregate(n=Count("pk")),
        "values": lambda: list(Member.objects.of_cell(cell).values_list("pk", flat=True)),
        "an empty queryset": lambda: list(Member.objects.none()),
        "across cells": lambda: Member.objects.across_cells().filter(pk=member.pk).get(),
        "an update of rows in hand": lambda: Attendance.objects.bulk_update(
            list(session.attendances.all()), ["reason"]
        ),
    }


def unscoped_reads(cells):
    cell = cells["a"]
    member = cells["sessions"][cell].attendances.first().member
    return {
        "every row": lambda: list(Member.objects.all()),
        "by id": lambda: Member.objects.get(pk=member.pk),
        "a filter on ids": lambda: Attendance.objects.filter(member_id=member.pk).count(),
        "every other cell": lambda: list(Member.objects.exclude(cell=cell)),
        "a negated cell": lambda: list(Member.objects.filter(~Q(cell=cell))),
        "an object or anything": lambda: list(
            Attendance.objects.filter(Q(member=member) | Q(status="present"))
        ),
        "an unscoped queryset": lambda: Attendance.objects.filter(
            session__in=ThematicSession.objects.all()
        ).count(),
        "exists": lambda: Member.objects.filter(full_name="x").exists(),
        "an aggregate": lambda: ThematicSession.objects.aggregate(n=Count("pk")),
        "values": lambda: list(Member.objects.values_list("pk", flat=True)),
        "an iterator": lambda: list(Member.objects.iterator()),
        "an update": lambda: Member.objects.filter(pk=member.pk).update(notes="x"),
        "a delete": lambda: ContestTeam.objects.filter(score=5).delete(),
        "a model without a queryset of its own before": lambda: list(ContestTeam.objects.all()),
    }


def test_reads_scoped_to_a_cell_pass_while_the_guard_is_on(cells):
    for name, read_rows in scoped_reads(cells).items():
        with cell_guard():
            try:
                read_rows()
            except UnscopedQuery as error:  # pragma: no cover - the failure's message
                pytest.fail(f"{name}: {error}")


def test_reads_without_a_cell_fail_while_the_guard_is_on(cells):
    for name, read_rows in unscoped_reads(cells).items():
        with cell_guard(), pytest.raises(UnscopedQuery):
            read_rows()
            pytest.fail(f"{name} passed the guard")  # pragma: no cover
        read_rows()  # the same, with the guard off


def test_the_error_names_the_model_and_the_ways_out(cells):
    with cell_guard(), pytest.raises(UnscopedQuery) as raised:
        list(Attendance.objects.all())
    message = str(raised.value)
    assert "Attendance" in message
    assert "'session__plan__cell'" in message
    assert ".of_cell(cell)" in message
    assert ".across_cells()" in message


def test_the_guard_switch_nests_and_ends(cells):
    with cell_guard():
        with cell_guard(on=False):
            assert list(Member.objects.all())
        assert guard_is_on()
    assert not guard_is_on()


def test_a_formsets_rows_are_looked_up_in_its_own_session_and_cell(cells):
    """A contest form's hidden team id and group come from its session and cell only.

    Django looks a posted row id up among every row of the model: a team of
    another cell's contest passed the field (and was then ignored).
    """
    session = cells["sessions"][cells["a"]]
    teams = team_formset(None, session=session, groups=[])
    form = teams.forms[0]
    with cell_guard():
        assert set(form.fields["id"].queryset) == set(session.contest_teams.all())
        assert set(form.fields["group"].queryset) == set(PartyGroup.objects.of_cell(cells["a"]))


def test_a_scoped_view_answers_404_for_another_cells_session(client, cells):
    """The guard is no access rule: the view's scope still answers another cell's 404."""
    other = make_user("b-secretary", SECRETARY, cells["member_b"])
    client.force_login(other)
    session_a = cells["sessions"][cells["a"]]
    assert client.get(f"/sessions/{session_a.pk}/").status_code == 404
