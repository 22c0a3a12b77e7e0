"""Roles per cell: a login works in one organisation at a time and switches in the menu."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from chibo.lib.roles import (
    CHANGE_SESSION,
    COMMITTEE,
    LEADER,
    MEMBER,
    SECRETARY,
    VIEW_ROLLUP,
    VIEW_SUMMARY,
)
from members import services
from members.models import Organisation, Role, single_cell
from members.workplace import SESSION_KEY, cell_of, member_of, workplace_of
from sessions.reminders import secretaries
from tests.factories import make_group, make_member, make_plan, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """The migration's committee with two cells; another committee with one cell."""
    first = single_cell()
    second = Organisation.objects.create(
        name="Chi bộ Văn phòng", kind=Organisation.Kind.CELL, parent=first.parent
    )
    elsewhere = Organisation.objects.create(
        name="Đảng bộ Khối doanh nghiệp", kind=Organisation.Kind.COMMITTEE
    )
    far = Organisation.objects.create(
        name="Chi bộ Công ty Điện lực", kind=Organisation.Kind.CELL, parent=elsewhere
    )
    return SimpleNamespace(
        root=first.parent, first=first, second=second, elsewhere=elsewhere, far=far
    )


def fresh(user):
    return User.objects.get(pk=user.pk)


def switch(client, organisation, next_url="/"):
    return client.post(
        reverse("switch_workplace"), {"organisation": organisation.pk, "next": next_url}
    )


@pytest.fixture
def moved(tree):
    """Secretary of the first cell, and a plain member of the second, with one login."""
    user = make_user("hai", SECRETARY, make_member(make_group(), "Đỗ Văn Hải"))
    other = make_member(make_group("Tổ Văn phòng", cell=tree.second), "Đỗ Văn Hải", user=user)
    Role.objects.create(user=user, organisation=tree.second, kind=MEMBER)
    return SimpleNamespace(user=user, first=user.member, second=other)


@pytest.fixture
def officer(tree):
    user = User.objects.create_user("vanphong", password="mật-khẩu-thử-1")
    Role.objects.create(user=user, organisation=tree.root, kind=COMMITTEE)
    return user


# --- Where a login works -------------------------------------------------------------


def test_a_login_works_where_it_got_its_first_role(tree, moved):
    workplace = workplace_of(fresh(moved.user))
    assert workplace.organisation == tree.first
    assert (workplace.kind, workplace.member) == (SECRETARY, moved.first)
    assert [role.organisation for role in workplace.choices] == [tree.first, tree.second]


def test_switching_changes_the_cell_the_member_record_and_the_permissions(client, tree, moved, now):
    client.force_login(moved.user)
    assert client.get(reverse("members:list")).status_code == 200
    response = switch(client, tree.second)
    assert response.status_code == 302 and response.url == "/"
    assert client.session[SESSION_KEY] == tree.second.pk
    request = client.get(reverse("home")).wsgi_request
    assert cell_of(request.user) == tree.second
    assert member_of(request.user) == moved.second
    assert not request.user.has_perm(CHANGE_SESSION)
    assert client.get(reverse("members:list")).status_code == 403
    switch(client, tree.first)
    assert client.get(reverse("members:list")).status_code == 200


def test_the_menu_offers_the_other_cell_and_names_this_one(client, tree, moved, now):
    client.force_login(moved.user)
    page = client.get(reverse("home")).text
    assert "Chi bộ Văn phòng" in page  # the button to switch
    assert f'name="organisation" value="{tree.second.pk}"' in page
    assert f'name="organisation" value="{tree.first.pk}"' not in page  # not to itself


def test_a_login_with_one_role_sees_no_switch(client, secretary, now):
    client.force_login(secretary)
    page = client.get(reverse("home")).text
    assert reverse("switch_workplace") not in page
    assert single_cell().name in page


def test_no_login_may_work_where_it_holds_no_role(client, tree, moved, secretary):
    client.force_login(moved.user)
    assert switch(client, tree.far).status_code == 404
    assert switch(client, tree.root).status_code == 404
    client.force_login(secretary)
    assert switch(client, tree.second).status_code == 404
    assert SESSION_KEY not in client.session


def test_a_role_taken_away_sends_the_login_back_to_its_first(client, tree, moved, now):
    client.force_login(moved.user)
    switch(client, tree.second)
    Role.objects.filter(user=moved.user, organisation=tree.second).delete()
    request = client.get(reverse("home")).wsgi_request
    assert cell_of(request.user) == tree.first


def test_an_unsafe_next_goes_home(client, moved, tree):
    client.force_login(moved.user)
    for target in ("https://example.org/", "//example.org/", "0", ""):
        assert switch(client, tree.second, target).url == "/"


# --- The committee officer -----------------------------------------------------------


def test_an_officer_works_at_their_committee_and_reads_its_roll_ups(client, tree, officer):
    workplace = workplace_of(fresh(officer))
    assert (workplace.committee, workplace.cell, workplace.kind) == (tree.root, None, COMMITTEE)
    user = fresh(officer)
    assert user.has_perm(VIEW_ROLLUP) and not user.has_perm(VIEW_SUMMARY)
    client.force_login(officer)
    page = client.get(reverse("home")).text
    assert tree.first.name in page and tree.second.name in page
    assert tree.far.name not in page


def test_an_officer_reads_a_cell_under_them_as_a_leader_and_changes_nothing(
    client, tree, officer, now
):
    make_plan(2020)
    client.force_login(officer)
    response = switch(client, tree.first, reverse("sessions:summary", args=[2020]))
    assert response.url == reverse("sessions:summary", args=[2020])
    request = client.get(response.url).wsgi_request
    workplace = workplace_of(request.user)
    assert workplace.cell == tree.first and workplace.through_committee
    assert workplace.kind == LEADER and workplace.member is None
    assert client.get(reverse("sessions:summary", args=[2020])).status_code == 200
    assert client.get(reverse("sessions:plan_create")).status_code == 403
    assert client.get(reverse("members:create")).status_code == 403
    assert "Xem với tư cách cán bộ" in client.get(reverse("home")).text


def test_an_officer_never_reaches_a_cell_of_another_committee(client, tree, officer):
    client.force_login(officer)
    assert switch(client, tree.far).status_code == 404
    assert switch(client, tree.elsewhere).status_code == 404


def test_a_superuser_may_work_anywhere(client, tree):
    admin = User.objects.create_superuser("quantri", password=None)
    assert cell_of(admin) == tree.first
    client.force_login(admin)
    switch(client, tree.far)
    assert cell_of(client.get(reverse("home")).wsgi_request.user) == tree.far


# --- The roles themselves ------------------------------------------------------------


def test_roles_sit_where_they_belong(tree):
    user = User.objects.create_user("ai")
    with pytest.raises(ValidationError, match="gắn với một đảng bộ"):
        Role(user=user, organisation=tree.first, kind=COMMITTEE).full_clean()
    with pytest.raises(ValidationError, match="giữ vai trò trong một chi bộ"):
        Role(user=user, organisation=tree.root, kind=SECRETARY).full_clean()
    Role(user=user, organisation=tree.root, kind=COMMITTEE).full_clean()


def test_the_database_keeps_one_role_per_organisation_and_one_record_per_cell(tree, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(user=member, organisation=tree.first, kind=LEADER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(user=member, organisation=tree.first, kind="chairman")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_member(make_group("Tổ 9"), "Người thứ hai", user=member)


def test_a_secretary_cannot_take_over_a_login_with_a_role_elsewhere(tree, secretary, member):
    Role.objects.create(user=member, organisation=tree.second, kind=MEMBER)
    with pytest.raises(services.ServiceError, match="vai trò cao hơn đảng viên"):
        services.take_login_away(member=member.member, by=secretary)
    assert fresh(member).is_active


def test_leaving_one_cell_keeps_the_login_for_the_other(tree, moved):
    services.mark_member_left(
        member=moved.second, day=dt.date(2020, 5, 1), reason="retirement", note=""
    )
    user = fresh(moved.user)
    assert user.is_active
    assert list(user.roles.values_list("organisation", flat=True)) == [tree.first.pk]
    services.mark_member_left(
        member=moved.first, day=dt.date(2020, 5, 1), reason="retirement", note=""
    )
    assert not fresh(moved.user).is_active


def test_each_secretary_hears_of_their_own_cells_sessions(tree, moved, secretary):
    found = {(role.user.username, role.organisation_id) for role in secretaries()}
    assert found == {("hai", tree.first.pk), ("secretary", tree.first.pk)}
