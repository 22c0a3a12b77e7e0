"""The regular monthly meeting on a phone, as the demo secretary and the demo member.

The secretary sets the year's rule on the plan, Chibo lays out the twelve
meetings, she records March's sheet and its resolution, and April's minutes
open with the review of March's tasks; the member finds his task on his home
page. At 390 px, the width of a phone. The clock is the demo's (24 November
2026); the year is 2025, whose plan has no meeting yet.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Member
from sessions.models import AnnualPlan
from tests.builders import DEMO_TODAY
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TASK = "Vận động đoàn viên tham gia hiến máu tình nguyện"


@pytest.fixture(autouse=True)
def _demo_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: DEMO_TODAY)


def record_sheet(page, *, unexcused=None):
    page.get_by_role("link", name="Điểm danh, kết quả").click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+/attendance/$"))
    rows = page.locator(".attendance-row")
    expect(rows.first).to_be_visible()
    if unexcused is not None:
        rows.nth(unexcused).get_by_text("Vắng không có lý do", exact=True).click()
    page.get_by_role("button", name="Lưu bảng điểm danh").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu bảng điểm danh")


def test_secretary_plans_records_and_follows_up_a_regular_meeting_on_a_phone(login, page):
    page.set_viewport_size(PHONE)
    page = login("secretary")
    cell = Member.objects.get(user__username="secretary").cell
    AnnualPlan.objects.create(cell=cell, year=2025, title="Kế hoạch sinh hoạt năm 2025")

    # The year's rule, set once; the twelve meetings laid out on it.
    page.goto(page.url + "sessions/plans/2025/")
    page.get_by_role("link", name="Lịch sinh hoạt định kỳ").click()
    page.fill("#id_regular_day", "5")
    page.fill("#id_regular_time", "14:00")
    page.fill("#id_regular_location", "Phòng họp tầng 2")
    screenshot(page, "regular-rule-phone")
    page.get_by_role("button", name="Lưu và lập lịch các tháng").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Đã lập lịch 12 kỳ sinh hoạt chi bộ định kỳ."
    )
    meetings = page.locator(".regular-meetings li")
    expect(meetings).to_have_count(12)
    screenshot(page, "regular-plan-phone")

    # March: the sheet, then the resolution with a task for the demo member.
    page.get_by_role("link", name="05/03/2025 14:00").click()
    expect(page.locator("h1")).to_have_text("Sinh hoạt chi bộ định kỳ tháng 3/2025")
    record_sheet(page, unexcused=3)
    page.get_by_role("link", name="Ghi nghị quyết").click()
    page.fill("#id_tasks-0-content", TASK)
    page.select_option("#id_tasks-0-responsible", label="Lương Văn Tuấn")
    page.fill("#id_tasks-0-due_on", "31/03/2025")
    page.fill("#id_tasks-1-content", "Hoàn thành báo cáo quý I gửi Đảng ủy Khối")
    page.fill("#id_tasks-1-responsible_name", "Chi ủy")
    page.fill("#id_tasks-1-due_on", "31/03/2025")
    screenshot(page, "regular-resolution-form-phone")
    page.get_by_role("button", name="Lưu nghị quyết").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu nghị quyết")
    expect(page.locator("article")).to_contain_text("NGHỊ QUYẾT CHI BỘ THÁNG 3 NĂM 2025")
    expect(page.locator("article")).to_contain_text(TASK)

    # April: its minutes open with the review of March's tasks.
    page.goto(page.url.split("/sessions/")[0] + "/sessions/plans/2025/")
    page.get_by_role("link", name="05/04/2025 14:00").click()
    record_sheet(page)
    page.get_by_role("link", name="Biên bản", exact=True).click()
    minutes = page.locator("article")
    expect(minutes).to_contain_text("BIÊN BẢN SINH HOẠT CHI BỘ ĐỊNH KỲ THÁNG 4 NĂM 2025")
    expect(minutes).to_contain_text("Kiểm điểm việc thực hiện nhiệm vụ kỳ trước")
    review = minutes.locator("table.task-review")
    expect(review).to_contain_text(TASK)
    expect(review).to_contain_text("Lương Văn Tuấn")
    expect(review).to_contain_text("chưa kiểm điểm")
    screenshot(page, "regular-minutes-review-phone")

    # The member sees the task he is responsible for on his home page.
    page.context.clear_cookies()
    page = login("member")
    tasks = page.locator("section[aria-labelledby=tasks-heading]")
    expect(tasks).to_contain_text(TASK)
    expect(tasks).to_contain_text("quá hạn")
    screenshot(page, "member-home-task-phone")
