"""Security headers on every page, a strict CSP the templates keep, and production settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.pagechecks import assert_security_headers, inline_code

ROOT = Path(settings.BASE_DIR)


def test_the_inline_code_finder_finds_what_it_looks_for():
    """The scanner used below and in the URL walk is not blind."""
    assert inline_code('<script src="/static/x.js"></script><p class="a">ok</p>') == []
    assert inline_code("<p>on=1, style is fine in text</p>") == []
    for bad in [
        "<script>alert(1)</script>",
        '<script type="module">\n import x</script>',
        "<style>p{}</style>",
        '<p style="color:red">',
        '<button onclick="x()">',
        '<img src=x onerror="y">',
        '<a href="javascript:void(0)">',
    ]:
        assert inline_code(bad), bad


def test_no_template_has_inline_script_or_style():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert len(templates) >= 15
    offenders = {str(t.relative_to(ROOT)): inline_code(t.read_text()) for t in templates}
    assert {name: found for name, found in offenders.items() if found} == {}


@pytest.mark.django_db
def test_login_page_carries_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_security_headers(response, logged_in=False)
    assert inline_code(response.text) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "leader", "secretary"])
def test_logged_in_pages_are_never_stored(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert_security_headers(response, logged_in=True)
    assert "no-store" in response["Cache-Control"]
    assert inline_code(response.text) == []


@pytest.mark.django_db
def test_a_404_for_a_logged_in_user_is_not_stored_either(client, member):
    client.force_login(member)
    response = client.get("/sessions/999999/")
    assert response.status_code == 404
    assert_security_headers(response, logged_in=True)


# --- Production settings, as an operator sets them -------------------------------------

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings, setup_test_environment

setup_test_environment()
plain = "django.contrib.staticfiles.storage.StaticFilesStorage"  # no collectstatic here
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": plain}}):
    client = Client()
    http = client.get("/accounts/login/")
    https = client.get("/accounts/login/", secure=True)
    proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "http": [http.status_code, http.headers.get("Location", "")],
    "https": [https.status_code, dict(https.headers)],
    "https_cookie": https.cookies[settings.CSRF_COOKIE_NAME]["secure"],
    "proxied": proxied.status_code,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_age": settings.SESSION_COOKIE_AGE,
    "axes": [settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()],
}))
"""


def production_env(tmp_path, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CHIBO_", "DJANGO_", "SECURE_")) and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="chibo.settings",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-production-like-secret-for-the-test-" + "x1y2z3" * 5,
        ALLOWED_HOSTS="chibo.example.org,testserver",
        CSRF_TRUSTED_ORIGINS="https://chibo.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        **extra,
    )
    return env


def probe(tmp_path, **extra):
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=production_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_to_https_and_sends_hsts(tmp_path):
    seen = probe(tmp_path)
    assert seen["http"] == [301, "https://testserver/accounts/login/"]
    status, headers = seen["https"]
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["https_cookie"] is True
    assert seen["session_cookie_secure"] is True
    # A proxy's X-Forwarded-Proto is not trusted unless the operator says so.
    assert seen["proxied"] == 301


def test_behind_a_tls_proxy_its_forwarded_proto_is_trusted(tmp_path):
    seen = probe(tmp_path, CHIBO_BEHIND_TLS_PROXY="1")
    assert seen["proxied"] == 200


def test_operator_values_come_from_the_environment(tmp_path):
    seen = probe(
        tmp_path,
        CHIBO_HSTS_SECONDS="600",
        CHIBO_HSTS_PRELOAD="0",
        CHIBO_SESSION_IDLE_MINUTES="20",
        CHIBO_LOGIN_FAILURE_LIMIT="8",
        CHIBO_LOGIN_COOLOFF_MINUTES="30",
    )
    assert seen["https"][1]["Strict-Transport-Security"] == "max-age=600; includeSubDomains"
    assert seen["session_cookie_age"] == 20 * 60
    assert seen["axes"] == [8, 30 * 60]


def test_check_deploy_passes_with_production_values(tmp_path):
    """The same command CI runs: any warning fails it."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_https_is_switched_off(tmp_path):
    """The trial switch is honest: the deployment check says what it costs."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path, CHIBO_HTTPS="0"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr
