"""Login: lockout per user name and address, strong passwords, fresh and expiring sessions."""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from chibo.security import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "mật-khẩu-thử-1"  # tests/factories.make_user
HOME = reverse("home")


def attempt(client, username, password, ip="10.0.0.1", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def fail_until_locked(client, username="member", ip="10.0.0.1", **extra):
    """Wrong passwords up to the limit; returns the last response."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, username, "sai-mật-khẩu", ip, **extra)
    return response


def is_logged_in_as(client, user):
    return client.get(HOME).wsgi_request.user == user


# --- Lockout -------------------------------------------------------------------------


def test_failures_below_the_limit_show_the_form_again(client, member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "member", "sai-mật-khẩu")
        assert response.status_code == 200
        assert "Tên đăng nhập và mật khẩu chính xác" in response.text
    response = attempt(client, "member", PASSWORD)
    assert response.status_code == 302
    assert response.url == HOME


def test_the_last_allowed_failure_shows_a_vietnamese_lockout_page(client, member):
    response = fail_until_locked(client)
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.text
    assert "Đã có quá nhiều lần đăng nhập sai." in response.text
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"tạm dừng trong {minutes} phút" in response.text
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert '<html lang="vi">' in response.text


def test_locked_out_user_cannot_log_in_even_with_the_right_password(client, member):
    fail_until_locked(client)
    response = attempt(client, "member", PASSWORD)
    assert response.status_code == 429
    assert not is_logged_in_as(client, member)


def test_lockout_does_not_reach_the_same_member_on_another_machine(client, member):
    """Someone guessing at a member's password cannot lock the member out."""
    fail_until_locked(client, ip="10.0.0.66")
    response = attempt(client, "member", PASSWORD, ip="10.0.0.7")
    assert response.status_code == 302
    assert is_logged_in_as(client, member)


def test_lockout_does_not_reach_another_user_on_the_same_machine(client, member, leader):
    fail_until_locked(client, "member", ip="10.0.0.66")
    assert attempt(client, "leader", PASSWORD, ip="10.0.0.66").status_code == 302
    assert is_logged_in_as(client, leader)


def test_lockout_ends_after_the_cool_off(client, member):
    fail_until_locked(client)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )
    assert attempt(client, "member", PASSWORD).status_code == 302
    assert is_logged_in_as(client, member)


def test_the_admin_login_is_counted_too(client, member):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("admin:login"),
            {"username": "member", "password": "sai-mật-khẩu"},
            REMOTE_ADDR="10.0.0.1",
        )
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.text
    assert attempt(client, "member", PASSWORD).status_code == 429


def test_a_successful_login_resets_the_failure_count(client, member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "member", "sai-mật-khẩu")
    assert attempt(client, "member", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "member", "sai-mật-khẩu").status_code == 200
    assert attempt(client, "member", PASSWORD).status_code == 302


def test_without_a_proxy_a_forged_forwarded_for_header_changes_nothing(client, member):
    """X-Forwarded-For is the client's own words unless a proxy is configured."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(
            client, "member", "sai-mật-khẩu", HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}"
        )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}


def test_behind_one_proxy_the_address_it_appended_counts(client, member, settings):
    settings.CHIBO_PROXY_COUNT = 1
    proxy = "10.0.0.254"
    # The guesser writes a false address first; nginx appends the real one.
    fail_until_locked(client, ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.9, 203.0.113.5")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]
    locked = attempt(client, "member", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert locked.status_code == 429
    other = attempt(client, "member", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.254"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.9, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.9, 203.0.113.5, 10.0.0.3", "203.0.113.5"),
        (1, "2001:db8::1", "2001:db8::1"),
        (2, "203.0.113.5", "10.0.0.254"),  # fewer entries than proxies: misconfigured
        (1, "not-an-address", "10.0.0.254"),
        (1, "", "10.0.0.254"),
    ],
)
def test_client_address_resolution(settings, count, forwarded, expected):
    settings.CHIBO_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# --- Passwords ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("12345678", "Mật khẩu này quá phổ biến."),
        ("84629175301", "Mật khẩu này hoàn toàn là số."),
        ("k9#mQ2", "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
        ("member2020", "Mật khẩu quá giống với Tên đăng nhập."),
    ],
)
def test_a_weak_password_is_refused_with_a_vietnamese_message(
    client, member, new_password, message
):
    client.force_login(member)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.text
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_a_strong_password_is_accepted(client, member):
    client.force_login(member)
    new = "Sinh-hoạt-chuyên-đề-2020"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.url == reverse("password_change_done")
    member.refresh_from_db()
    assert member.check_password(new)


# --- Sessions -------------------------------------------------------------------------


def test_the_session_key_changes_at_login(client, member):
    """A session id planted before login (session fixation) is worthless afterwards."""
    before = client.session.session_key
    assert attempt(client, "member", PASSWORD).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.get(session_key=after).get_decoded()["_auth_user_id"] == str(member.pk)


def test_an_idle_session_is_logged_out(client, member, monkeypatch):
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    clock = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    client.force_login(member)

    # Each request pushes the end back: twice almost the idle time, still in.
    for _ in range(2):
        clock[0] += idle - dt.timedelta(minutes=1)
        assert client.get(HOME).status_code == 200

    clock[0] += idle + dt.timedelta(seconds=1)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/login",
        "http://evil.example@testserver/",
        "https:///evil.example/",
        "/\\evil.example/",
    ],
)
def test_next_pointing_off_site_lands_on_the_home_page(client, member, next_url):
    response = client.post(
        reverse("login"), {"username": "member", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response.url == HOME


def test_next_on_site_is_followed(client, member):
    response = client.post(
        reverse("login"),
        {"username": "member", "password": PASSWORD, "next": reverse("password_change")},
    )
    assert response.url == reverse("password_change")


def test_a_deactivated_user_cannot_log_in_and_loses_an_open_session(client, member):
    client.force_login(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    response = attempt(client, "member", PASSWORD)
    assert response.status_code == 200
    assert "Tên đăng nhập và mật khẩu chính xác" in response.text


# --- Limits across addresses and across user names (issue 10, 6) ----------------


def test_a_user_name_guessed_from_many_addresses_is_locked_everywhere(client, member):
    """Below the pair's limit on each address, the user name's own limit still holds."""
    limit = settings.CHIBO_LOGIN_FAILURE_LIMIT_PER_NAME
    per_pair = settings.AXES_FAILURE_LIMIT - 1
    addresses = [f"10.1.0.{n // per_pair}" for n in range(limit)]
    for ip in addresses[:-1]:
        assert attempt(client, "member", "sai-mật-khẩu", ip).status_code == 200
    assert attempt(client, "member", "sai-mật-khẩu", addresses[-1]).status_code == 429
    # A new address, the right password: refused while the name is locked.
    response = attempt(client, "member", PASSWORD, ip="10.2.0.1")
    assert response.status_code == 429
    assert not is_logged_in_as(client, member)


def test_one_address_trying_every_user_name_is_locked(client, member, leader):
    """One try per user name, on many names, from one address: the address's limit."""
    limit = settings.CHIBO_LOGIN_FAILURE_LIMIT_PER_ADDRESS
    for n in range(limit - 1):
        assert attempt(client, f"ten{n}", "sai-mật-khẩu", ip="10.3.0.1").status_code == 200
    assert attempt(client, "ten-cuoi", "sai-mật-khẩu", ip="10.3.0.1").status_code == 429
    response = attempt(client, "leader", PASSWORD, ip="10.3.0.1")
    assert response.status_code == 429
    assert not is_logged_in_as(client, leader)
    # Another address is not reached.
    assert attempt(client, "leader", PASSWORD, ip="10.3.0.2").status_code == 302


def lockout_words(response):
    return re.search(r"<main.*</main>", response.text, re.S).group(0)


def test_every_lockout_page_says_the_same_and_nothing_about_the_name(client, member):
    """Which limit was reached, and whether the user name exists, are not told."""
    pages = [
        fail_until_locked(client, "member", ip="10.4.0.1"),
        fail_until_locked(client, "khong-co-ai", ip="10.4.0.2"),
    ]
    for n in range(settings.CHIBO_LOGIN_FAILURE_LIMIT_PER_ADDRESS):
        last = attempt(client, f"ten{n}", "sai-mật-khẩu", ip="10.4.0.3")
    pages.append(last)
    for username, ip in (("member", "10.4.0.1"), ("khong-co-ai", "10.4.0.2"), ("x", "10.4.0.3")):
        pages.append(attempt(client, username, PASSWORD, ip=ip))
    assert {page.status_code for page in pages} == {429}
    assert len({lockout_words(page) for page in pages}) == 1
    assert "member" not in lockout_words(pages[0])


def test_limits_are_settings(settings, client, member):
    settings.CHIBO_LOGIN_FAILURE_LIMIT_PER_ADDRESS = 3
    for n in range(3):
        attempt(client, f"ten{n}", "sai-mật-khẩu", ip="10.5.0.1")
    assert attempt(client, "member", PASSWORD, ip="10.5.0.1").status_code == 429


def test_a_guessers_own_login_does_not_clear_their_address_count(client, member, leader):
    for n in range(settings.CHIBO_LOGIN_FAILURE_LIMIT_PER_ADDRESS - 1):
        attempt(client, f"ten{n}", "sai-mật-khẩu", ip="10.6.0.1")
    assert attempt(client, "member", PASSWORD, ip="10.6.0.1").status_code == 302
    client.logout()
    attempt(client, "ten-cuoi", "sai-mật-khẩu", ip="10.6.0.1")
    assert attempt(client, "leader", PASSWORD, ip="10.6.0.1").status_code == 429


# --- Keep me signed in (issue 10, 8) -----------------------------------------------


def session_cookie(response):
    return response.cookies[settings.SESSION_COOKIE_NAME]


def test_without_keep_signed_in_the_session_ends_with_the_browser(client, member):
    """A cookie without an expiry date: a shared PC's browser drops it when closed."""
    page = client.get(reverse("login"))
    assert "Duy trì đăng nhập" in page.text
    response = attempt(client, "member", PASSWORD)
    assert response.status_code == 302
    cookie = session_cookie(response)
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()
    # A page later: still a cookie for the browser's life only.
    refreshed = client.get(HOME)
    if settings.SESSION_COOKIE_NAME in refreshed.cookies:
        assert session_cookie(refreshed)["max-age"] == ""


def test_keep_signed_in_makes_a_cookie_that_lasts_the_idle_time(client, member):
    response = client.post(
        reverse("login"), {"username": "member", "password": PASSWORD, "remember": "on"}
    )
    assert response.status_code == 302
    cookie = session_cookie(response)
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE
    assert not client.session.get_expire_at_browser_close()


@pytest.mark.parametrize("remember", [False, True])
def test_either_way_the_idle_timeout_holds(client, member, monkeypatch, remember):
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    clock = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    data = {"username": "member", "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    assert client.post(reverse("login"), data).status_code == 302
    clock[0] += idle - dt.timedelta(minutes=1)
    assert client.get(HOME).status_code == 200
    clock[0] += idle - dt.timedelta(minutes=1)
    assert client.get(HOME).status_code == 200
    assert client.session.get_expire_at_browser_close() is not remember
    clock[0] += idle + dt.timedelta(seconds=1)
    assert client.get(HOME).status_code == 302


def test_the_admin_login_also_ends_with_the_browser(client, django_user_model):
    django_user_model.objects.create_superuser("quantri", password="x-Quan-tri-2020")
    response = client.post(
        reverse("admin:login"), {"username": "quantri", "password": "x-Quan-tri-2020"}
    )
    assert response.status_code == 302
    assert session_cookie(response)["max-age"] == ""
