"""Every URL of the project against every kind of visitor.

The walk comes from the resolver (tests/urlwalk.py), so a new page that is not
in MATRIX fails ``test_every_url_is_in_the_matrix``. Each row says, for
anonymous, member, other member, leader, secretary and a deactivated user,
what a GET must answer. URLs about a member point at ``member``'s own record,
so the "other member" column is someone asking for another member's data.

Every answer also carries the security headers, and every page of Chibo's own
is free of inline script and style (the CSP forbids them).
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.factories import make_member, make_user
from tests.pagechecks import assert_security_headers, inline_code
from tests.urlwalk import admin_kwargs, all_routes, build_dataset, media_path

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "other_member", "leader", "secretary", "deactivated")

# Expected answers besides a plain status code.
LOGIN = "the login page"  # 302 to /accounts/login/?next=<the url>
ADMIN_LOGIN = "the admin's login page"  # 302 to /admin/login/?next=<the url>
ANY_LOGIN = "either login page"  # admin views LoginRequiredMiddleware stops first
ADMIN_INDEX = "the admin's index"  # 302 to /admin/


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users made here get a fast hash: these tests count attempts, not hashing rounds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Row:
    expected: dict[str, Any]
    kwargs: Any = None  # data -> kwargs for the URL
    mutating: bool = False  # changes data on POST: must be in tests/test_urls_mutating.py


def row(anonymous=LOGIN, member=200, other_member=None, leader=200, secretary=200, **rest):
    """Most pages: anonymous and deactivated users get the login page."""
    expected = {
        "anonymous": anonymous,
        "member": member,
        "other_member": member if other_member is None else other_member,
        "leader": leader,
        "secretary": secretary,
        "deactivated": rest.pop("deactivated", LOGIN),
    }
    return Row(expected, **rest)


def everyone(status):
    return dict.fromkeys(ROLES, status)


MATRIX = {
    "home": row(),
    "login": Row(everyone(200), mutating=True),
    # Logout is POST only; anonymous visitors are sent to log in before the 405.
    "logout": row(member=405, leader=405, secretary=405, mutating=True),
    "password_change": row(mutating=True),
    "password_change_done": row(),
    "set_language": Row(everyone(405), mutating=True),
    # The member list and records: leaders and the secretary only. A member
    # gets 403 for the page itself, whoever's record the URL names.
    "members:list": row(member=403),
    "members:detail": row(member=403, kwargs=lambda d: {"pk": d["member"].pk}),
    "sessions:plans": row(member=403),
    "sessions:plan": row(member=403, kwargs=lambda d: {"year": d["plan"].year}),
    "sessions:detail": row(kwargs=lambda d: {"pk": d["held"].pk}),
    "media": row(kwargs=lambda d: {"path": media_path(d["document"].file)}),
}


def admin_row(route):
    """The admin is for superusers: none of the six gets past its login."""
    if route.key == "admin:login":
        return Row(everyone(200))
    if route.key == "admin:logout":
        return row(
            ADMIN_LOGIN,
            ADMIN_INDEX,
            leader=ADMIN_INDEX,
            secretary=ADMIN_INDEX,
            deactivated=ADMIN_LOGIN,
        )
    return row(
        ANY_LOGIN, ADMIN_LOGIN, leader=ADMIN_LOGIN, secretary=ADMIN_LOGIN, deactivated=ANY_LOGIN
    )


def matrix_row(route):
    if route.namespace == "admin":
        return admin_row(route)
    return MATRIX[route.key]


def test_every_url_is_in_the_matrix():
    """A page added without its row here fails; a row for a page that is gone too."""
    ours = {route.key for route in all_routes() if route.namespace != "admin"}
    assert sorted(ours - set(MATRIX)) == [], "URLs without a row in MATRIX"
    assert sorted(set(MATRIX) - ours) == [], "rows in MATRIX for URLs that no longer exist"


def test_the_walk_reaches_nested_and_admin_patterns():
    keys = {route.key for route in all_routes()}
    assert {"home", "members:detail", "sessions:detail", "media"} <= keys
    assert "admin:members_member_change" in keys
    assert "admin/(?P<url>.*)$" in keys  # unnamed patterns are walked too
    assert all(route.key.startswith("admin") or route.name for route in all_routes())


@pytest.fixture
def visitors(member, other_member, leader, secretary, groups):
    deactivated = make_user("nghi", "member", make_member(groups[1], "Đinh Văn Nghỉ"))
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    return {
        "anonymous": None,
        "member": member,
        "other_member": other_member,
        "leader": leader,
        "secretary": secretary,
        "deactivated": deactivated,
    }


def answer(response):
    if response.status_code != 302:
        return response.status_code
    return response["Location"]


def meets(response, url, expected):
    location = response.get("Location", "")
    login = f"{reverse('login')}?next={quote(url)}"
    admin_login = f"{reverse('admin:login')}?next={quote(url)}"
    if expected == LOGIN:
        return response.status_code == 302 and location == login
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and location == admin_login
    if expected == ANY_LOGIN:
        return response.status_code == 302 and location in (login, admin_login)
    if expected == ADMIN_INDEX:
        return response.status_code == 302 and location == reverse("admin:index")
    return response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_each_url_answers_each_role_as_the_matrix_says(
    client, visitors, role, member, other_member
):
    data = build_dataset(member, other_member)
    generic = admin_kwargs(data)
    user = visitors[role]
    if user is not None:
        client.force_login(user)

    wrong, checked = {}, 0
    for route in all_routes():
        entry = matrix_row(route)
        if route.namespace == "admin":
            kwargs = {name: generic[name] for name in route.parameters}
        else:
            kwargs = entry.kwargs(data) if entry.kwargs else {}
        url = route.url(kwargs)
        response = client.get(url)
        checked += 1
        expected = entry.expected[role]
        if not meets(response, url, expected):
            wrong[route.key] = f"{url}: expected {expected}, got {answer(response)}"
            continue
        assert_security_headers(response, logged_in=role not in ("anonymous", "deactivated"))
        is_html = response.get("Content-Type", "").startswith("text/html")
        if route.namespace != "admin" and response.status_code != 302 and is_html:
            assert inline_code(response.content.decode()) == [], url
    assert wrong == {}
    assert checked == len(all_routes())


def test_a_missing_object_is_404_for_every_role_that_may_see_the_page(client, leader, member):
    for user, urls in [
        (leader, ["/members/999999/", "/sessions/999999/", "/sessions/plans/1999/"]),
        (member, ["/sessions/999999/", "/media/documents/khong-co.pdf"]),
    ]:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
