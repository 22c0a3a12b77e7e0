"""Self check-in by QR and "Đã đọc tài liệu", on phones (390 px), in two browsers.

The server's clock is the demo's (24 November 2026, 9:00); a session of the
whole cell started at 8:30 that morning.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from members.workplace import member_of
from sessions.models import AnnualPlan, ThematicSession
from tests.builders import DEMO_TODAY
from tests.e2e.conftest import PASSWORD, SCREENSHOTS, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _demo_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: DEMO_TODAY)


def log_in(page, url, username):
    page.goto(f"{url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(f"{url}/")


@pytest.fixture
def phones(browser, demo_site):
    """Phones for the test's people, closed before its data goes: the sheet polls."""
    contexts = []

    def new_phone():
        contexts.append(browser.new_context(viewport=PHONE))
        return contexts[-1].new_page()

    yield new_phone
    for context in contexts:
        context.close()


def demo_plan():
    return AnnualPlan.objects.get(
        year=2026, cell=member_of(User.objects.get(username="member")).cell
    )


def todays_session():
    start = DEMO_TODAY - dt.timedelta(minutes=30)
    return ThematicSession.objects.create(
        plan=demo_plan(),
        topic="Học tập Chỉ thị 05 tại chỗ",
        start=start,
        end=start + dt.timedelta(minutes=120),
        location="Hội trường tầng 2",
    )


def test_a_member_checks_in_by_qr_and_the_sheet_shows_it(phones, demo_site):
    session = todays_session()
    member = member_of(User.objects.get(username="member"))
    secretary = phones()
    log_in(secretary, demo_site.url, "secretary")
    secretary.goto(f"{demo_site.url}{session.get_absolute_url()}")
    secretary.get_by_role("link", name="Mã QR tự điểm danh").click()
    expect(secretary.locator("#check-in-qr")).to_be_visible()
    for _ in range(50):  # the image drawn (wait_for_function needs eval, which the CSP forbids)
        if secretary.evaluate("document.getElementById('check-in-qr').naturalWidth") > 0:
            break
        secretary.wait_for_timeout(100)
    assert secretary.evaluate("document.getElementById('check-in-qr').naturalWidth") > 0
    assert secretary.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(secretary, "check-in-qr-390")
    secretary.set_viewport_size({"width": 1280, "height": 900})
    screenshot(secretary, "check-in-qr-1280")
    secretary.set_viewport_size(PHONE)
    # What the QR code encodes, for members whose camera fails.
    scan_url = secretary.locator("#check-in-link").get_attribute("href")

    secretary.get_by_role("link", name="Mở bảng điểm danh").click()
    row = secretary.locator(f'.attendance-row[data-member="{member.pk}"]')
    expect(row.locator(".check-in-badge")).to_be_hidden()

    # The member's phone: not logged in yet, so the login page first, then back.
    phone_page = phones()
    phone_page.goto(scan_url)
    phone_page.fill("#id_username", "member")
    phone_page.fill("#id_password", PASSWORD)
    phone_page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    expect(phone_page.get_by_role("button", name="Tôi có mặt")).to_be_visible()
    screenshot(phone_page, "check-in-scan-390")
    phone_page.get_by_role("button", name="Tôi có mặt").click()
    expect(phone_page.locator("main")).to_contain_text("Đã điểm danh: đồng chí có mặt lúc 09:00")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    # The secretary's sheet, never reloaded, shows it within a poll.
    expect(row.locator(".check-in-badge")).to_be_visible(timeout=10_000)
    expect(row.locator(".check-in-badge")).to_contain_text("đã tự điểm danh 09:00")
    expect(row.locator('input[value="present"]')).to_be_checked()
    screenshot(secretary, "check-in-sheet-390")
    row.screenshot(path=SCREENSHOTS / "check-in-row-390.png")

    # A second scan is refused, with the time of the first.
    phone_page.goto(scan_url)
    expect(phone_page.locator("#check-in-refused")).to_contain_text(
        "Đồng chí đã tự điểm danh lúc 09:00 24/11/2026 rồi."
    )
    screenshot(phone_page, "check-in-again-390")


def test_a_member_confirms_reading_and_the_secretary_sees_it(phones, demo_site):
    session = ThematicSession.objects.create(
        plan=demo_plan(),
        topic="Chuyển đổi số trong công đoàn",
        start=DEMO_TODAY + dt.timedelta(days=3),
        end=DEMO_TODAY + dt.timedelta(days=3, hours=2),
    )
    member_page = phones()
    log_in(member_page, demo_site.url, "member")
    member_page.goto(f"{demo_site.url}{session.get_absolute_url()}")
    member_page.get_by_role("button", name="Tôi đã đọc dự thảo và tài liệu").click()
    expect(member_page.locator("#read-confirmed")).to_be_visible()
    name = member_of(User.objects.get(username="member")).full_name

    secretary = phones()
    log_in(secretary, demo_site.url, "secretary")
    secretary.goto(f"{demo_site.url}{session.get_absolute_url()}")
    readers = secretary.locator("#readers")
    expect(readers).to_contain_text("Đã xác nhận đọc tài liệu: 1/")
    expect(readers.locator("p").first).to_contain_text(name)
    expect(readers.locator("#unread")).not_to_contain_text(name)
    expect(
        readers.get_by_role("button", name="Gửi thư nhắc những đồng chí chưa đọc")
    ).to_be_visible()
    assert secretary.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(secretary, "read-confirmations-390")
