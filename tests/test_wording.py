"""Wording: members are "đồng chí", weekdays are in full, English dates in English order.

Issue 12, item 9. Every page a role opens, the error pages and the password
pages say "đồng chí", never "bạn"; a day printed with its weekday says "Thứ
Năm" (Django's Vietnamese says "Thứ 5"); an English page writes "Thursday,
14 May 2020", not the Vietnamese order translated word by word.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_texts
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from chibo.lib import dates
from chibo.lib.dates import dated_line, day_in_full
from tests.factories import at, make_session, make_user

pytestmark = pytest.mark.django_db

YOU = re.compile(r"\b[bB]ạn\b")
ROOTS = ("templates", "chibo", "members", "sessions")


def sources():
    base = Path(settings.BASE_DIR)
    for root in ROOTS:
        for path in (base / root).rglob("*"):
            if path.suffix in {".html", ".txt", ".py"} and "demo" not in path.parts:
                yield path


def test_no_template_or_code_says_ban():
    found = [
        f"{path}:{number}"
        for path in sources()
        if path.name != "passwords.py"  # its docstring quotes what it replaces
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if YOU.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("template", ["403.html", "404.html", "500.html", "503.html"])
def test_the_error_pages_say_dong_chi(template):
    request = RequestFactory().get("/")
    text = render_to_string(template, request=request)
    assert not YOU.search(text)
    assert "đồng chí" in text.lower() or template == "503.html"


def test_the_403_page_says_the_comrade_has_no_access():
    text = render_to_string("403.html", request=RequestFactory().get("/"))
    assert "Đồng chí không có quyền xem trang này." in text


@pytest.mark.parametrize(
    "names", [("home", "password_change", "password_change_done", "sessions:my_record")]
)
def test_every_roles_pages_say_dong_chi(client, member, leader, secretary, names):
    for user in (member, leader, secretary):
        client.force_login(user)
        for name in names:
            response = client.get(reverse(name), follow=True)
            assert response.status_code in {200, 403, 404}
            assert not YOU.search(response.content.decode()), (user.username, name)


def test_a_login_without_a_member_reads_dong_chi(client, groups):
    client.force_login(make_user("lonely", "member"))
    text = client.get(reverse("home")).content.decode()
    assert not YOU.search(text)


def test_the_password_rules_address_the_comrade():
    texts = password_validators_help_texts()
    assert len(texts) == 4
    assert all("đồng chí" in text for text in texts)
    assert not any(YOU.search(text) for text in texts)


# --- Weekdays in full, dates in the language's order --------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2020, 5, 11), "Thứ Hai, 11/05/2020"),
        (dt.date(2020, 5, 14), "Thứ Năm, 14/05/2020"),
        (dt.date(2020, 5, 16), "Thứ Bảy, 16/05/2020"),
        (dt.date(2020, 5, 17), "Chủ Nhật, 17/05/2020"),
    ],
)
def test_vietnamese_weekdays_are_written_in_full(day, expected):
    with translation.override("vi"):
        assert day_in_full(day) == expected


def test_a_moment_is_read_in_the_cells_time_zone():
    # 23:30 on Wednesday in UTC is already Thursday in Hà Nội.
    moment = dt.datetime(2020, 5, 13, 23, 30, tzinfo=dt.UTC)
    with translation.override("vi"):
        assert day_in_full(moment) == "Thứ Năm, 14/05/2020"


def test_the_document_date_line_follows_the_guidance():
    with translation.override("vi"):
        assert dated_line(dt.date(2020, 5, 14)) == "ngày 14 tháng 05 năm 2020"
        assert dated_line(dt.date(2020, 2, 3)) == "ngày 03 tháng 02 năm 2020"
        assert dated_line(dt.date(2020, 12, 15)) == "ngày 15 tháng 12 năm 2020"


@pytest.fixture
def english(monkeypatch):
    """English, with the weekdays' English names of the PO snippet (compiled at the merge)."""
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    monkeypatch.setattr(dates, "WEEKDAYS", names)
    with translation.override("en"):
        yield


def test_english_dates_are_in_english_order(english):
    assert day_in_full(dt.date(2020, 5, 14)) == "Thursday, 14 May 2020"
    assert dated_line(dt.date(2020, 5, 14)) == "14 May 2020"


def test_a_sessions_page_prints_its_weekday_in_full(client, secretary):
    session = make_session(start=at(2020, 5, 14, 8, 0))
    client.force_login(secretary)
    text = client.get(session.get_absolute_url()).content.decode()
    assert "Thứ Năm, 14/05/2020" in text
    assert "Thứ 5" not in text


def test_no_template_prints_djangos_short_weekdays():
    base = Path(settings.BASE_DIR) / "templates"
    short = re.compile(r'\|date:"[^"]*[lD]')
    found = [str(path) for path in base.rglob("*.html") if short.search(path.read_text())]
    found += [str(path) for path in base.rglob("*.txt") if short.search(path.read_text())]
    assert found == []
