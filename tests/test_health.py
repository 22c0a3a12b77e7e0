"""/healthz and the 503 page: a database that is down gets a clear answer, not a 500."""

import pytest
from django.db import OperationalError
from django.db.backends import utils
from django.test import RequestFactory
from django.utils import translation

from chibo.health import database_unavailable, server_error

pytestmark = pytest.mark.django_db

DOWN_MESSAGE = "Chibo tạm thời không truy cập được"


@pytest.fixture
def stop_database(monkeypatch):
    """Call it and every query fails as it does when PostgreSQL has stopped."""

    def refuse(self, sql, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    def stop():
        monkeypatch.setattr(utils.CursorWrapper, "execute", refuse)
        monkeypatch.setattr(utils.CursorWrapper, "executemany", refuse)

    return stop


@pytest.fixture
def attendance_table_down(monkeypatch):
    """The session and the user load, then the database goes away mid-page."""
    execute = utils.CursorWrapper.execute

    def fail_on_attendance(self, sql, *args, **kwargs):
        if "thematic_attendance" in sql:
            raise OperationalError("terminating connection due to administrator command")
        return execute(self, sql, *args, **kwargs)

    monkeypatch.setattr(utils.CursorWrapper, "execute", fail_on_attendance)


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_needs_no_login_and_sets_no_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert not response.cookies


def test_healthz_answers_503_when_the_database_does_not(client, stop_database):
    stop_database()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.text == "database unavailable\n"


def test_a_page_answers_503_in_vietnamese_when_the_session_cannot_be_loaded(
    client, member, stop_database
):
    client.force_login(member)
    stop_database()
    response = client.get("/")
    assert response.status_code == 503
    assert DOWN_MESSAGE in response.text
    assert '<html lang="vi">' in response.text
    assert response.headers["Retry-After"] == "30"
    assert "no-store" in response.headers["Cache-Control"]
    assert "Content-Security-Policy" in response.headers


def test_a_page_answers_503_when_the_database_goes_away_mid_page(
    client, member, attendance_table_down
):
    client.force_login(member)
    response = client.get("/?nam=2020")
    assert response.status_code == 503
    assert DOWN_MESSAGE in response.text
    assert 'href="/?nam=2020">Thử lại' in response.text


def test_try_again_never_leads_off_the_site():
    request = RequestFactory().get("/")
    request.path = request.path_info = "//example.com/sessions/"
    with translation.override("vi"):
        response = database_unavailable(request, OperationalError("gone"))
    assert 'href="/">Thử lại' in response.content.decode()


def test_try_again_after_a_form_opens_the_home_page(client, member, attendance_table_down):
    client.force_login(member)
    response = client.post("/?nam=2020")
    assert response.status_code == 503
    assert 'href="/">Thử lại' in response.text


def test_the_503_page_follows_the_language_switch(client, member, attendance_table_down):
    client.force_login(member)
    client.cookies["chibo_language"] = "en"
    response = client.get("/")
    assert response.status_code == 503
    assert '<html lang="en">' in response.text
    assert "Chibo is temporarily unavailable" in response.text


def test_an_error_outside_any_view_is_a_503_when_the_database_is_down():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("could not connect to server: Connection refused")
    except OperationalError:
        with translation.override("vi"):
            response = server_error(request)
    assert response.status_code == 503
    assert DOWN_MESSAGE in response.text


def test_any_other_error_is_still_the_500_page():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()
