"""An unexpected error shows a plain Vietnamese page and is logged; a stale form is explained."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_client(member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    return client


@pytest.mark.urls("tests.urls_failing")
def test_an_unexpected_error_shows_a_plain_vietnamese_page(failing_client, caplog):
    response = failing_client.get("/boom/")
    assert response.status_code == 500
    text = response.content.decode()
    assert '<html lang="vi">' in text
    assert "Đã có lỗi xảy ra" in text
    assert "lỗi đã được ghi lại" in text
    for leak in ("Traceback", "DatabaseOnFire", "bí mật", "/srv/chibo", "failing_view"):
        assert leak not in text


@pytest.mark.urls("tests.urls_failing")
def test_an_unexpected_error_is_logged_with_its_traceback(failing_client, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        failing_client.get("/boom/")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert "/boom/" in record.getMessage()
    assert record.exc_info[0].__name__ == "DatabaseOnFire"
    assert "failing_view" in caplog.text  # the traceback, in the log only
    assert "Traceback" in caplog.text


@pytest.mark.urls("tests.urls_failing")
def test_the_error_page_follows_the_chosen_language(failing_client):
    failing_client.cookies["chibo_language"] = "en"
    text = failing_client.get("/boom/").content.decode()
    assert '<html lang="en">' in text
    assert "Something went wrong" in text
    assert "Đã có lỗi" not in text


def test_a_form_without_its_csrf_token_gets_a_vietnamese_page(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    text = response.content.decode()
    assert '<html lang="vi">' in text
    assert "Biểu mẫu đã hết hạn" in text
    assert "tải lại trang rồi gửi lại" in text
    assert "CSRF" not in text
    # Nothing happened: still logged in.
    assert client.get(reverse("home")).status_code == 200


def test_an_expired_login_form_gets_the_same_page(client):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "member", "password": "x"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    # The page gives the browser a fresh token, so reloading the form works.
    assert client.cookies["csrftoken"].value
