"""Chibo's ModelBackend: Django's permissions, in fewer queries on every page."""

import pytest
from django.contrib.auth import backends
from django.contrib.auth.models import Group, Permission, User

from chibo.auth import ModelBackend

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_each_role_has_the_permissions_of_its_group(secretary, leader, member):
    for user, role in ((secretary, "secretary"), (leader, "leader"), (member, "member")):
        ours = ModelBackend().get_all_permissions(fresh(user))
        group = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role).permissions.select_related("content_type")
        }
        assert ours == group
        assert ours  # every role has some


def test_a_group_given_in_the_admin_counts_as_with_djangos_backend(member):
    Group.objects.get(name="leader").user_set.add(member)
    ours = ModelBackend().get_all_permissions(fresh(member))
    django = backends.ModelBackend().get_all_permissions(fresh(member))
    assert django <= ours


def test_a_users_own_permissions_count_too(member):
    permission = Permission.objects.get(codename="view_member")
    member.user_permissions.add(permission)
    assert ModelBackend().has_perm(fresh(member), "members.view_member")


def test_superuser_has_every_permission_and_inactive_user_none(db):
    admin = User.objects.create_superuser("quantri", password=None)
    assert ModelBackend().get_all_permissions(admin) == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    admin.is_active = False
    admin.save()
    assert ModelBackend().get_all_permissions(fresh(admin)) == set()


def test_a_plain_page_needs_five_queries(client, secretary, django_assert_num_queries):
    """The session, the user, their roles, their member there, their permissions."""
    client.force_login(secretary)
    with django_assert_num_queries(5):
        response = client.get("/accounts/password/done/")
    assert "Nông Thị Hương" in response.text  # the member's name in the menu
    assert "/members/" in response.text  # a menu entry the secretary's permissions open
