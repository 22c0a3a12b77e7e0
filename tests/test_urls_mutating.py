"""Every view that changes data refuses GET and refuses a POST without its CSRF token.

One row per view that changes something; the rows of tests/test_urls_matrix.py
marked ``mutating`` must all be here. Each row says who posts, what a valid
form holds, what GET answers (405, or 200 for a form view whose GET only shows
the form) and how to see whether the change happened. The control posts the
same form with a valid token and sees the change, so a 403 here means the
token, nothing else.
"""

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.test_urls_matrix import MATRIX

pytestmark = pytest.mark.django_db

PASSWORD = "mật-khẩu-thử-1"
NEW_PASSWORD = "Sinh-hoạt-chuyên-đề-2020"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users made here get a fast hash: these tests count attempts, not hashing rounds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def logged_in(client, user):
    return client.get(reverse("home")).wsgi_request.user == user


@dataclass(frozen=True)
class Mutation:
    user: str | None  # the fixture that posts; None: anonymous
    data: Any  # user -> a valid form
    get_status: int
    happened: Any  # (client, user) -> True once the change is made
    page_with_form: str = "home"  # where a browser would find the form and its token


MUTATIONS = {
    "logout": Mutation(
        user="member",
        data=lambda user: {},
        get_status=405,
        happened=lambda client, user: not logged_in(client, user),
    ),
    "set_language": Mutation(
        user="member",
        data=lambda user: {"language": "en", "next": "/"},
        get_status=405,
        happened=lambda client, user: (
            settings.LANGUAGE_COOKIE_NAME in client.cookies
            and client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        ),
    ),
    "password_change": Mutation(
        user="member",
        data=lambda user: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        get_status=200,
        happened=lambda client, user: user.refresh_from_db() or user.check_password(NEW_PASSWORD),
        page_with_form="password_change",
    ),
    "login": Mutation(
        user=None,
        data=lambda user: {"username": "member", "password": PASSWORD},
        get_status=200,
        happened=lambda client, user: logged_in(client, user),
        page_with_form="login",
    ),
}


def test_every_mutating_url_is_in_the_table():
    marked = {key for key, row in MATRIX.items() if row.mutating}
    assert sorted(marked ^ set(MUTATIONS)) == []


@pytest.fixture
def actor(request, member):
    """The client of a row's user (``member`` is also the one whose login is tried)."""

    def make(name):
        mutation = MUTATIONS[name]
        client = Client(enforce_csrf_checks=True)
        if mutation.user:
            client.force_login(request.getfixturevalue(mutation.user))
        return client, mutation, member

    return make


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_get_changes_nothing(actor, name):
    client, mutation, user = actor(name)
    response = client.get(reverse(name), mutation.data(user))
    assert response.status_code == mutation.get_status
    assert not mutation.happened(client, user)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_post_without_a_csrf_token_is_refused(actor, name):
    client, mutation, user = actor(name)
    response = client.post(reverse(name), mutation.data(user))
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    assert not mutation.happened(client, user)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_post_with_a_forged_csrf_token_is_refused(actor, name):
    client, mutation, user = actor(name)
    client.get(reverse(mutation.page_with_form))  # the browser has its own token
    forged = {**mutation.data(user), "csrfmiddlewaretoken": "x" * 64}
    assert client.post(reverse(name), forged).status_code == 403
    assert not mutation.happened(client, user)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_post_with_the_token_of_the_page_does_the_change(actor, name):
    """The control: the same form, sent from the page that shows it, works."""
    client, mutation, user = actor(name)
    page = client.get(reverse(mutation.page_with_form)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(reverse(name), {**mutation.data(user), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert mutation.happened(client, user)
