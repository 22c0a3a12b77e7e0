"""The demo member and the demo leader, in a real browser.

The clock is set to 24 November 2026 so that the demo's current year has
sessions still ahead (one postponed to 3 December).
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.builders import DEMO_TODAY
from tests.e2e.conftest import SCREENSHOTS, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _demo_clock(monkeypatch):
    """Before the demo is loaded: the server and the demo agree on the date."""
    monkeypatch.setattr(timezone, "now", lambda: DEMO_TODAY)


def test_member_sees_next_session_own_record_and_subscribes(login, page):
    page = login("member")
    upcoming = page.locator("section[aria-labelledby=upcoming-heading]")
    first = upcoming.locator("article").first
    expect(first).to_contain_text("Phòng, chống tham nhũng, lãng phí, tiêu cực trong cơ quan")
    expect(first).to_contain_text("Thứ Năm, 03/12/2026")
    expect(first).to_contain_text("Đã hoãn từ 15/10/2026 08:00 sang thời gian trên.")
    expect(
        first.get_by_role("link", name="Dự thảo đề dẫn: Phòng, chống tham nhũng, lãng phí")
    ).to_be_visible()
    screenshot(page, "member-home")

    page.get_by_role("link", name="Điểm danh của tôi").click()
    expect(page.locator("h1")).to_have_text("Việc dự sinh hoạt của tôi năm 2026")
    page.select_option("#year-select", "2020")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("h1")).to_have_text("Việc dự sinh hoạt của tôi năm 2020")
    expect(page.locator("main")).to_contain_text("85,7 %")
    expect(page.locator("main")).to_contain_text("Vắng có lý do (Đi công tác Hà Nội)")
    screenshot(page, "member-record-2020")

    page.get_by_role("link", name="Lịch của tôi").click()
    feed_url = page.locator("#feed-https").input_value()
    assert re.fullmatch(r"http://[^/]+/sessions/calendar/feed/[\w-]+\.ics", feed_url)
    assert page.locator("#feed-webcal").input_value() == "webcal://" + feed_url.split("://")[1]
    screenshot(page, "member-calendar")

    # What a phone calendar does: fetch the address, without the member's login.
    page.context.clear_cookies()
    response = page.request.get(feed_url)
    assert response.ok
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.body())
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    moved = events["Sinh hoạt chuyên đề: Phòng, chống tham nhũng, lãng phí, tiêu cực trong cơ quan"]
    assert moved.decoded("DTSTART") == dt.datetime(2026, 12, 3, 8, 0, tzinfo=HANOI)
    assert moved.decoded("DTEND") == dt.datetime(2026, 12, 3, 10, 0, tzinfo=HANOI)
    assert moved["SEQUENCE"] == 1
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]


def test_member_pages_fit_a_phone(login, page, demo_site):
    page.set_viewport_size({"width": 390, "height": 844})
    login("member")
    for path, name in (
        ("/sessions/calendar/", "member-calendar-phone"),
        ("/sessions/my-record/", "member-record-phone"),
    ):
        page.goto(f"{demo_site.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, name)


def test_leader_reads_2020_downloads_excel_and_prints_the_report(login, page):
    page = login("leader")
    page.get_by_role("link", name="Tổng hợp", exact=True).click()
    expect(page.locator("h1")).to_have_text("Tổng hợp sinh hoạt chuyên đề năm 2026")
    page.select_option("#year-select", "2020")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("h1")).to_have_text("Tổng hợp sinh hoạt chuyên đề năm 2020")
    main = page.locator("main")
    expect(main).to_contain_text("7/7")
    expect(main).to_contain_text("93,2 %")
    expect(main).to_contain_text("192/206")
    expect(main).to_contain_text("Không có điều gì cần lưu ý")
    expect(page.locator("svg.chart-sessions rect.chart-bar")).to_have_count(7)
    screenshot(page, "leader-summary-2020")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải về Excel (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == "chibo-diem-danh-2020.xlsx"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = SCREENSHOTS / download.suggested_filename
    download.save_as(saved)
    workbook = load_workbook(saved)
    matrix = workbook["Điểm danh"]
    numbered = [row for row in matrix.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert len(numbered) == 30

    page.get_by_role("link", name="Báo cáo năm (bản in)").click()
    expect(page.locator("main")).to_contain_text(
        "Năm 2020, chi bộ đã tổ chức 7 kỳ sinh hoạt chuyên đề, "
        "trong đó có 1 kỳ sinh hoạt theo tổ Đảng."
    )
    expect(page.get_by_role("button", name="In báo cáo")).to_be_visible()
    screenshot(page, "leader-report-2020")
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_role("button", name="In báo cáo")).to_be_hidden()
    pdf = page.pdf(format="A4", path=SCREENSHOTS / "leader-report-2020.pdf")
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 2 <= pages <= 6


def test_leader_summary_fits_a_phone(login, page, demo_site):
    page.set_viewport_size({"width": 390, "height": 844})
    login("leader")
    page.goto(f"{demo_site.url}/sessions/summary/2020/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("h1")).to_contain_text("2020")
    screenshot(page, "leader-summary-phone")


def test_leader_home_chart_shows_every_session_on_a_phone(login, page, demo_site):
    page.set_viewport_size({"width": 390, "height": 844})
    login("leader")
    bars = page.locator("svg.chart-sessions rect.chart-bar")
    expect(bars.first).to_be_visible()
    held = bars.count()
    assert held >= 2  # the demo's sessions held this year
    chart = page.locator("figure.chart-box").first.bounding_box()
    for index in range(held):
        bar = bars.nth(index).bounding_box()
        assert chart["x"] <= bar["x"] and bar["x"] + bar["width"] <= chart["x"] + chart["width"]
    screenshot(page, "leader-home-phone")
