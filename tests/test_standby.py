"""The standby for the roll-ups (chibo/routers.py): where each request's queries go.

The suite's ``standby`` is the default database under another name
(``TEST: {"MIRROR": "default"}``, tests/conftest.py): each connection's
queries are captured to prove which one a request used. The two are
separate connections, so the tests that read through the standby commit
their data (``transaction=True``): a mirror does not see the default
connection's open transaction (and Django's TestCase opens one on each).
"""

import time
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import OperationalError, connections
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from chibo import routers
from chibo.middleware import IdleSessionMiddleware
from members.models import Member, single_cell
from tests.e2e.conftest import create_roles, give_the_profile, roles_per_cell
from tests.test_committee_pages import cell_with, officer_at

BOTH = ["default", "standby"]
# Committed data, seen by both connections. A transactional test empties the
# database at its end: the roles' groups and permissions the migrations made are
# made again for each test (``standby``), as the browser tests do.
STANDBY_DB = pytest.mark.django_db(transaction=True, databases=BOTH)
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def committee(db):
    """Two cells with 2019's sessions under the root committee (tests/test_committee_pages.py)."""
    root = single_cell().parent
    strong = cell_with("Mạnh", None, size=5, quarters=[1, 2, 3, 4])
    weak = cell_with("Yếu", root, size=4, quarters=[1, 2, 4], absent=[1, 2], unexcused_times=3)
    return SimpleNamespace(root=root, strong=strong, weak=weak)


@pytest.fixture
def standby(settings):
    """Chibo configured with a standby (DATABASE_STANDBY_URL)."""
    create_roles(apps, schema_editor=None)
    give_the_profile(apps, schema_editor=None)
    roles_per_cell(apps, schema_editor=None)
    settings.CHIBO_STANDBY_READS = True
    settings.CHIBO_STANDBY_AFTER_WRITE_SECONDS = 10
    return settings


class Queries:
    """The queries each connection ran inside the block."""

    def __enter__(self):
        self.default = CaptureQueriesContext(connections["default"])
        self.standby = CaptureQueriesContext(connections["standby"])
        self.default.__enter__()
        self.standby.__enter__()
        return self

    def __exit__(self, *exc):
        self.standby.__exit__(*exc)
        self.default.__exit__(*exc)

    @staticmethod
    def writes(captured):
        return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(WRITES)]


def fresh(client):
    """A GET now counts as a page of a user who has not written lately."""
    client.cookies.pop(routers.WROTE_COOKIE, None)
    return client


# --- The committee's pages and the exports read the standby ------------------------


@STANDBY_DB
def test_the_committee_page_and_its_file_read_only_the_standby(client, committee, standby, now):
    client.force_login(officer_at(committee.root))
    for name in ("sessions:committee", "sessions:committee_xlsx"):
        with Queries() as queries:
            response = client.get(reverse(name, args=[2019]))
        assert response.status_code == 200
        # The session, the user, the roles, the cells' figures: every query on the standby.
        assert len(queries.standby) >= 10
        assert len(queries.default) == 0, [q["sql"] for q in queries.default]
    assert committee.weak.name in client.get(reverse("sessions:committee", args=[2019])).text


@STANDBY_DB
def test_a_cells_exports_read_the_standby_and_its_pages_the_primary(client, leader, standby):
    client.force_login(leader)
    for name in ("sessions:export_csv", "sessions:export_xlsx"):
        with Queries() as queries:
            assert client.get(reverse(name, args=[2019])).status_code == 200
        assert queries.standby and not queries.default
    for url in (reverse("home"), reverse("sessions:summary", args=[2019])):
        with Queries() as queries:
            assert client.get(url).status_code == 200
        assert queries.default and not queries.standby, url


@pytest.mark.django_db(databases=["default"])
def test_without_a_standby_every_query_goes_to_the_one_database(client, committee, now):
    # DATABASE_STANDBY_URL unset: CHIBO_STANDBY_READS is off (chibo/settings.py).
    # A query to the standby would fail the test: only "default" is allowed here.
    client.force_login(officer_at(committee.root))
    response = client.get(reverse("sessions:committee", args=[2019]))
    assert response.status_code == 200
    switched = client.post(reverse("switch_workplace"), {"organisation": committee.weak.pk})
    assert switched.status_code == 302
    assert routers.WROTE_COOKIE not in switched.cookies


# --- Writes go to the primary, and the writer reads the primary for a while --------


@STANDBY_DB
def test_after_a_write_the_writer_reads_the_primary_within_the_window(
    client, committee, standby, now
):
    client.force_login(officer_at(committee.root))
    export = reverse("sessions:export_csv", args=[2019])
    with Queries() as queries:
        response = client.post(
            reverse("switch_workplace"), {"organisation": committee.weak.pk, "next": export}
        )
    assert response.status_code == 302
    assert queries.default and not queries.standby
    cookie = response.cookies[routers.WROTE_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]
    # The next export, within the window: the primary, which holds the session just
    # written (a standby may not have it yet).
    with Queries() as queries:
        assert client.get(export).status_code == 200
    assert queries.default and not queries.standby
    # The window over: the standby again.
    client.cookies[routers.WROTE_COOKIE] = f"{time.time() - 11:.3f}"
    with Queries() as queries:
        assert client.get(export).status_code == 200
    assert queries.standby and not queries.default


@STANDBY_DB
def test_a_write_in_a_standby_request_goes_to_the_primary_and_so_do_its_reads(standby, member):
    reading = routers.Reading(standby=True)
    token = routers._request.set(reading)
    try:
        with Queries() as queries:
            record = Member.objects.get(pk=member.member.pk)
            assert record._state.db == "standby"
            record.full_name = "Lương Văn Tuấn Anh"
            record.save()  # an instance read from the standby, written to the primary
            assert Member.objects.get(pk=record.pk).full_name == "Lương Văn Tuấn Anh"
    finally:
        routers._request.reset(token)
    assert Queries.writes(queries.default)
    assert not Queries.writes(queries.standby)
    assert len(queries.standby) == 1  # the first read; after the write, the primary
    assert reading.wrote


def test_the_router_never_writes_to_the_standby_nor_migrates_it():
    router = routers.StandbyRouter()
    token = routers._request.set(routers.Reading(standby=True))
    try:
        assert router.db_for_read(Member) == "standby"
        assert router.db_for_write(Member) == "default"
        assert router.db_for_read(Member) == "default"  # it wrote: it reads what it wrote
    finally:
        routers._request.reset(token)
    assert router.db_for_read(Member) is None  # outside a request: the primary
    assert router.allow_migrate("standby", "members") is False
    assert router.allow_migrate("default", "members") is True


@STANDBY_DB
def test_reads_inside_a_transaction_on_the_primary_stay_there(standby, member):
    from django.db import transaction

    token = routers._request.set(routers.Reading(standby=True))
    try:
        with transaction.atomic():
            assert routers.StandbyRouter().db_for_read(Member) == "default"
    finally:
        routers._request.reset(token)


# --- A GET of a standby page writes nothing, and answers with the primary down ----


@STANDBY_DB
def test_a_committee_page_answers_while_the_primary_is_down(client, committee, standby, now):
    client.force_login(officer_at(committee.root))
    url = reverse("sessions:committee", args=[2019])
    client.get(url)
    # The session's end is due to be pushed back (a write, once a minute).
    session = client.session
    session[IdleSessionMiddleware.KEY] = 0
    session.save()

    def down(execute, sql, params, many, context):
        raise OperationalError("connection refused (the primary is stopped)")

    with connections["default"].execute_wrapper(down), Queries() as queries:
        response = client.get(url)
        other = client.get(reverse("sessions:summary", args=[2019]))
    assert response.status_code == 200
    assert committee.strong.name in response.text
    assert not Queries.writes(queries.standby)
    # A page that is not a roll-up reads the primary: the Vietnamese 503 page.
    assert other.status_code == 503
    assert "Chibo tạm thời không truy cập được" in other.text


@STANDBY_DB
def test_a_plain_get_of_a_standby_page_writes_nothing(client, committee, standby, now):
    client.force_login(officer_at(committee.root))
    for name in sorted(routers.STANDBY_PAGES):
        try:
            url = reverse(name, args=[2019])
        except NoReverseMatch:
            continue  # a cell's own files (the sent documents' numbers): below
        with Queries() as queries:
            client.get(url)
        assert not Queries.writes(queries.default) and not Queries.writes(queries.standby)


def test_every_standby_page_is_a_url_of_chibo():
    from django.urls import get_resolver

    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        names |= {f"{namespace}:{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    assert names >= routers.STANDBY_PAGES
