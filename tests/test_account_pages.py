"""Giving a member a login with a role, the one-time set-password link, taking it away."""

import re
import smtplib

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.http import HttpRequest
from django.urls import reverse

from chibo.lib.roles import SECRETARY
from members import services
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sinh-hoat-chuyen-de-2020"


@pytest.fixture
def nga(groups):
    return make_member(groups[1], "Hoàng Thị Nga", email="nga@example.org")


def account_url(member):
    return reverse("members:account", args=[member.pk])


def shown_link(response):
    match = re.search(r'id="password-link-value" value="([^"]+)"', response.text)
    return match.group(1) if match else None


def test_secretary_gives_a_login_and_the_member_sets_a_password(client, secretary, nga):
    client.force_login(secretary)
    page = client.get(account_url(nga))
    assert page.context["form"]["username"].value() == "ngaht"  # suggested from the name
    response = client.post(account_url(nga), {"username": "ngaht", "role": "leader"}, follow=True)
    nga.refresh_from_db()
    user = nga.user
    assert user.username == "ngaht" and user.is_active
    assert not user.has_usable_password()
    assert list(user.roles.values_list("kind", flat=True)) == ["leader"]
    link = shown_link(response)
    assert link and link.startswith("http://testserver/accounts/set-password/")
    assert "Đã gửi đường dẫn đặt mật khẩu tới nga@example.org." in response.text
    assert mail.outbox[0].to == ["nga@example.org"]
    assert link in mail.outbox[0].body
    # The link is shown once.
    assert shown_link(client.get(account_url(nga))) is None

    # The member follows it, logged out, and sets a password.
    client.logout()
    form_page = client.get(link, follow=True)
    assert "Tên đăng nhập của đồng chí: <strong>ngaht</strong>" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Đã đặt mật khẩu" in done.text
    assert authenticate(HttpRequest(), username="ngaht", password=NEW_PASSWORD) == user
    # The same link does not work twice.
    again = client.get(link, follow=True)
    assert "Đường dẫn này đã được dùng hoặc đã hết hạn." in again.text


def test_without_an_email_the_link_is_only_shown(client, secretary, groups):
    hai = make_member(groups[1], "Nguyễn Văn Hải")
    client.force_login(secretary)
    response = client.post(account_url(hai), {"username": "hainv", "role": "member"}, follow=True)
    assert shown_link(response)
    assert "chưa có thư điện tử" in response.text
    assert mail.outbox == []


class FailingMailBackend(BaseEmailBackend):
    """A mail server that cannot be reached, or that refuses the mail."""

    error = ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):
        raise self.error


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connection refused"),
        smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication failed"),
    ],
)
def test_when_the_mail_fails_the_link_is_still_shown(
    client, secretary, nga, settings, monkeypatch, error
):
    """The login is made and its link shown, with a word that the mail did not go."""
    settings.EMAIL_BACKEND = "tests.test_account_pages.FailingMailBackend"
    monkeypatch.setattr(FailingMailBackend, "error", error)
    client.force_login(secretary)
    response = client.post(account_url(nga), {"username": "ngaht", "role": "member"}, follow=True)
    assert response.status_code == 200
    assert shown_link(response)
    assert (
        "Chưa gửi được thư tới nga@example.org vì lỗi máy chủ thư: hãy trao đường dẫn "
        "dưới đây tận tay." in response.text
    )
    assert "Đã gửi đường dẫn" not in response.text
    nga.refresh_from_db()
    assert nga.user.username == "ngaht" and nga.user.is_active


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "secretary", "role": "member"}, "Tên đăng nhập này đã có người dùng."),
        ({"username": "SECRETARY", "role": "member"}, "Tên đăng nhập này đã có người dùng."),
        ({"username": "có dấu cách", "role": "member"}, "Tên đăng nhập"),
        ({"username": "ngaht", "role": "admin"}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"username": "", "role": "member"}, "Trường này là bắt buộc."),
    ],
)
def test_bad_login_data_is_refused(client, secretary, nga, data, message):
    client.force_login(secretary)
    response = client.post(account_url(nga), data)
    assert response.status_code == 200
    assert message in response.text
    nga.refresh_from_db()
    assert nga.user is None


def test_role_and_name_of_an_open_login_can_change(client, secretary, member):
    target = member.member
    client.force_login(secretary)
    client.post(account_url(target), {"username": "tuanlv", "role": "leader"})
    member.refresh_from_db()
    assert member.username == "tuanlv"
    assert member.has_usable_password()  # an open login keeps its password
    assert list(member.roles.values_list("kind", flat=True)) == ["leader"]


def test_taking_a_login_away_and_giving_it_back(client, secretary, member):
    target = member.member
    client.force_login(secretary)
    revoke = reverse("members:account_revoke", args=[target.pk])
    assert "sẽ không đăng nhập được nữa" in client.get(revoke).text
    member.refresh_from_db()
    assert member.is_active  # GET changes nothing
    client.post(revoke)
    member.refresh_from_db()
    assert not member.is_active
    assert not member.has_usable_password()
    assert not member.roles.exists()
    assert authenticate(HttpRequest(), username="member", password="mật-khẩu-thử-1") is None
    # Given back: the same account, reopened with a new link.
    response = client.post(
        account_url(target), {"username": "member", "role": "member"}, follow=True
    )
    member.refresh_from_db()
    assert member.is_active and shown_link(response)
    assert User.objects.filter(username="member").count() == 1


def test_secretary_cannot_lock_themself_out(client, secretary):
    own = secretary.member
    client.force_login(secretary)
    response = client.post(reverse("members:account_revoke", args=[own.pk]), follow=True)
    assert "Không thể tự thu hồi tài khoản của chính mình." in response.text
    response = client.post(
        account_url(own), {"username": "secretary", "role": "member"}, follow=True
    )
    assert "Không thể tự bỏ vai trò bí thư của chính mình." in response.text
    secretary.refresh_from_db()
    assert secretary.is_active and secretary.roles.filter(kind="secretary").exists()


def test_a_new_link_for_an_open_login(client, secretary, member):
    client.force_login(secretary)
    url = reverse("members:account_link", args=[member.member.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert shown_link(response)


def test_every_user_can_change_their_password(client, member):
    client.force_login(member)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "mật-khẩu-thử-1",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("role", ["member", "leader"])
def test_only_the_secretary_gives_logins(client, request, nga, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(account_url(nga), {"username": "ngaht", "role": "secretary"})
    assert response.status_code == 403
    nga.refresh_from_db()
    assert nga.user is None


def test_a_new_link_voids_the_earlier_ones(client, secretary, member):
    """Issue 10, 4: only the newest one-time link of a login sets a password."""
    client.force_login(secretary)
    url = reverse("members:account_link", args=[member.member.pk])
    first = shown_link(client.post(url, follow=True))
    second = shown_link(client.post(url, follow=True))
    assert first and second and first != second
    client.logout()
    old = client.get(first, follow=True)
    assert "Đường dẫn này đã được dùng hoặc đã hết hạn." in old.text
    new = client.get(second, follow=True)
    assert "new_password1" in new.text
    done = client.post(
        new.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Đã đặt mật khẩu" in done.text
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


REACH_REFUSED = "Tài khoản này giữ vai trò cao hơn đảng viên"


@pytest.fixture
def second_secretary(groups):
    return make_user("phobithu", SECRETARY, make_member(groups[1], "Trịnh Văn Phó"))


@pytest.mark.parametrize("target", ["leader", "second_secretary", "staff", "granted"])
def test_the_secretary_cannot_reach_a_login_with_a_role_above_member(
    client, request, secretary, member, target
):
    """Issue 10, 5: no link, no rename, no role change, no revoke for such a login."""
    if target == "staff":
        user = member
        User.objects.filter(pk=user.pk).update(is_staff=True)
    elif target == "granted":
        user = member
        user.user_permissions.add(Permission.objects.get(codename="view_summary"))
    else:
        user = request.getfixturevalue(target)
    user.refresh_from_db()
    before = (user.username, user.password, set(user.roles.values_list("kind", flat=True)))
    person = user.member
    client.force_login(secretary)
    link = client.post(reverse("members:account_link", args=[person.pk]), follow=True)
    assert REACH_REFUSED in link.text and shown_link(link) is None
    rename = client.post(account_url(person), {"username": "doiten", "role": "member"}, follow=True)
    assert REACH_REFUSED in rename.text
    revoke = client.post(reverse("members:account_revoke", args=[person.pk]), follow=True)
    assert REACH_REFUSED in revoke.text
    user.refresh_from_db()
    assert user.is_active
    assert (user.username, user.password, set(user.roles.values_list("kind", flat=True))) == before
    assert mail.outbox == []


def test_the_secretary_still_manages_member_logins_and_their_own(client, secretary, member):
    client.force_login(secretary)
    link = client.post(reverse("members:account_link", args=[member.member.pk]), follow=True)
    assert shown_link(link)
    own = client.post(
        account_url(secretary.member), {"username": "bithu", "role": "secretary"}, follow=True
    )
    assert REACH_REFUSED not in own.text
    secretary.refresh_from_db()
    assert secretary.username == "bithu"


def test_a_superuser_reaches_every_login(client, leader, django_user_model):
    admin = django_user_model.objects.create_superuser("quantri", password="x-Quan-tri-2020")
    client.force_login(admin)
    link = client.post(reverse("members:account_link", args=[leader.member.pk]), follow=True)
    assert shown_link(link)


LOOK_ALIKE = "Tên đăng nhập chỉ gồm chữ cái không dấu (a–z), chữ số và các ký tự . _ -"


@pytest.mark.parametrize(
    "username",
    [
        "l\u0435ader",  # a Cyrillic е
        "\u0455ecretary",  # a Cyrillic ѕ
        "ngaһt",  # a Cyrillic һ
        "nga\u200bht",  # a zero-width space
        "ngãht",
        "nga@ht",
        "nga+ht",
        "ｎｇａｈｔ",  # full-width letters
    ],
)
def test_user_names_that_look_alike_are_refused(client, secretary, member, nga, username):
    """Issue 10, 7: a new login and a rename hold only ASCII letters, digits and . _ -"""
    client.force_login(secretary)
    response = client.post(account_url(nga), {"username": username, "role": "member"})
    assert LOOK_ALIKE in response.text
    nga.refresh_from_db()
    assert nga.user is None
    response = client.post(account_url(member.member), {"username": username, "role": "member"})
    assert LOOK_ALIKE in response.text
    member.refresh_from_db()
    assert member.username == "member"


def test_a_safe_user_name_with_dots_and_dashes_is_accepted(client, secretary, nga):
    client.force_login(secretary)
    client.post(account_url(nga), {"username": "nga.ht-2_b", "role": "member"})
    nga.refresh_from_db()
    assert nga.user.username == "nga.ht-2_b"


def test_the_service_refuses_a_look_alike_user_name(nga):
    with pytest.raises(services.ServiceError, match="chữ cái không dấu"):
        services.give_login(member=nga, username="l\u0435ader", role="member")


@pytest.mark.parametrize("admin_form", ["add", "change"])
def test_the_admin_refuses_a_look_alike_user_name(client, member, django_user_model, admin_form):
    admin_user = django_user_model.objects.create_superuser("quantri", password="x-Quan-tri-2020")
    client.force_login(admin_user)
    if admin_form == "add":
        url = reverse("admin:auth_user_add")
        data = {"username": "l\u0435ader", "usable_password": "false"}
    else:
        url = reverse("admin:auth_user_change", args=[member.pk])
        data = {
            "username": "l\u0435ader",
            "is_active": "on",
            "date_joined_0": "2020-01-01",
            "date_joined_1": "00:00:00",
        }
    response = client.post(url, data)
    assert response.status_code == 200
    assert LOOK_ALIKE in response.text
    assert not django_user_model.objects.filter(username="l\u0435ader").exists()
