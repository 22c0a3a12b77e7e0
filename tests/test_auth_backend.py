"""Chibo's ModelBackend: Django's permissions, in fewer queries on every page."""

import pytest
from django.contrib.auth import backends
from django.contrib.auth.models import Permission, User

from chibo.auth import ModelBackend

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_each_role_has_the_permissions_djangos_backend_gives(secretary, leader, member):
    for user in (secretary, leader, member):
        ours = ModelBackend().get_all_permissions(fresh(user))
        django = backends.ModelBackend().get_all_permissions(fresh(user))
        assert ours == django
        assert ours  # every role has some


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


def test_the_user_comes_with_their_member(member, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(member.pk)
        assert user.member.full_name == "Lương Văn Tuấn"


def test_a_plain_page_needs_three_queries(client, secretary, django_assert_num_queries):
    """The session, the user with their member, all their permissions: nothing more."""
    client.force_login(secretary)
    with django_assert_num_queries(3):
        response = client.get("/accounts/password/done/")
    assert "Nông Thị Hương" in response.text  # the member's name in the menu
    assert "/members/" in response.text  # a menu entry the secretary's permissions open
