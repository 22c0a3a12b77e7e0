"""The secretary's job in a real browser, as the demo secretary.

Create a session in the current year's plan, attach a document, record
attendance for every expected member with one excused and one unexcused
absence, upload two photos, and see all of it on the session page and in the
home page's figures.
"""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOPIC = "Học tập Chỉ thị 05 về đạo đức cách mạng"


def jpeg(color, name="anh.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(buffer, format="JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def home_figures(page):
    figures = {}
    for key in ("held", "present", "expected", "excused", "unexcused", "photos"):
        text = page.locator(f"[data-figure='{key}']").inner_text()
        figures[key] = text
    held, planned = figures.pop("held").split("/")
    return {
        **{key: int(value) for key, value in figures.items()},
        "held": int(held),
        "planned": int(planned),
    }


def session_slot():
    """A past slot in the current year (the demo's current plan is this year's)."""
    now = timezone.localtime()
    yesterday = now.date() - dt.timedelta(days=1)
    if yesterday.year == now.year:
        return yesterday.strftime("%d/%m/%Y 08:00"), "10:00"
    return now.strftime("%d/%m/%Y 00:00"), "02:00"


def test_secretary_records_a_whole_session(login, page):
    page = login("secretary")
    before = home_figures(page)
    screenshot(page, "secretary-home-before")

    # A new session in this year's plan.
    page.get_by_role("link", name="Thêm kỳ sinh hoạt").first.click()
    page.fill("#id_topic", TOPIC)
    page.fill("#id_description", "Mỗi tổ chuẩn bị một tham luận.")
    start, end = session_slot()
    page.fill("#id_start", start)
    page.fill("#id_end", end)
    page.fill("#id_location", "Phòng họp tầng 2")
    page.get_by_role("button", name="Lưu kỳ sinh hoạt").click()
    expect(page.locator("h1")).to_have_text(TOPIC)
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu kỳ sinh hoạt")

    # A document.
    page.get_by_role("link", name="Tài liệu", exact=True).click()
    page.fill("#id_title", "Dự thảo đề dẫn chuyên đề")
    page.select_option("#id_kind", "draft")
    page.set_input_files(
        "#id_file",
        {"name": "de-dan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 de dan"},
    )
    page.get_by_role("button", name="Đính kèm").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã đính kèm")
    page.get_by_role("link", name="Về kỳ sinh hoạt").click()

    # The attendance sheet: everyone present by default, one excused, one unexcused.
    page.get_by_role("link", name="Điểm danh, kết quả").click()
    # The click returns before the sheet has loaded: wait for it before counting.
    expect(page).to_have_url(re.compile(r"/sessions/\d+/attendance/$"))
    rows = page.locator(".attendance-row")
    expect(rows.first).to_be_visible()
    expected = rows.count()
    assert expected > 20
    excused, unexcused = rows.nth(2), rows.nth(5)
    excused_name = excused.locator(".fw-medium").inner_text().strip()
    unexcused_name = unexcused.locator(".fw-medium").inner_text().strip()
    excused.get_by_text("Vắng có lý do", exact=True).click()
    excused.get_by_placeholder("Lý do vắng").fill("Đi công tác huyện")
    unexcused.get_by_text("Vắng không có lý do", exact=True).click()
    expect(page.locator("[data-count='present']")).to_have_text(str(expected - 2))
    page.fill("#id_guest_count", "2")
    page.fill("#id_conclusion", "Chi bộ thống nhất kế hoạch làm theo Chỉ thị.")
    screenshot(page, "secretary-attendance-sheet")
    page.get_by_role("button", name="Lưu bảng điểm danh").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu bảng điểm danh")
    expect(page.locator("#attendance-figures")).to_contain_text(f"{expected - 2}/{expected}")

    # Grading: every criterion at its maximum, but one unexcused absence: Khá, not Tốt.
    page.get_by_role("link", name="Chấm điểm").click()
    points = page.locator("#grading-form input[type=number]")
    expect(points.first).to_be_visible()
    for n in range(points.count()):
        field = points.nth(n)
        field.fill(field.get_attribute("max"))
    expect(page.locator("#grading-good-reason")).to_contain_text("chỉ được xếp loại Tốt")
    screenshot(page, "secretary-grading")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã chấm điểm: 100 điểm, xếp loại Khá")

    # Two photos chosen at once, then each given its own caption.
    page.get_by_role("link", name="Ảnh", exact=True).click()
    page.set_input_files(
        "#id_images", [jpeg((180, 30, 30), "khai-mac.jpg"), jpeg((30, 80, 160), "tham-luan.jpg")]
    )
    page.fill("#id_caption", "Các tổ trình bày tham luận")
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tải lên 2 ảnh")
    first_caption = page.get_by_label("Chú thích").nth(1)
    first_caption.fill("Đồng chí Bí thư phát biểu khai mạc")
    page.get_by_role("button", name="Lưu", exact=True).first.click()
    expect(page.get_by_label("Chú thích").nth(1)).to_have_value(
        "Đồng chí Bí thư phát biểu khai mạc"
    )
    page.get_by_role("link", name="Về kỳ sinh hoạt").click()

    # The session page shows all of it.
    main = page.locator("main")
    expect(main).to_contain_text("Dự thảo đề dẫn chuyên đề")
    expect(main).to_contain_text(f"{excused_name} ")
    expect(main).to_contain_text("Đi công tác huyện")
    expect(main).to_contain_text(unexcused_name)
    expect(main).to_contain_text("vắng có lý do 1 · vắng không có lý do 1")
    expect(main).to_contain_text("Chi bộ thống nhất kế hoạch làm theo Chỉ thị.")
    expect(main).to_contain_text("Khá")
    expect(page.locator(".photo-gallery img")).to_have_count(2)
    expect(main).to_contain_text("Các tổ trình bày tham luận")
    screenshot(page, "secretary-session-recorded")

    # And the home page's figures count it.
    page.get_by_role("link", name="Trang chủ").first.click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    after = home_figures(page)
    assert after == {
        "held": before["held"] + 1,
        "planned": before["planned"] + 1,
        "present": before["present"] + expected - 2,
        "expected": before["expected"] + expected,
        "excused": before["excused"] + 1,
        "unexcused": before["unexcused"] + 1,
        "photos": before["photos"] + 2,
    }
    screenshot(page, "secretary-home-after")


PHONE_PAGES = ["/", "/sessions/plans/", "/members/", "/members/groups/"]


def test_secretary_pages_fit_a_phone(login, page, demo_site):
    page.set_viewport_size({"width": 390, "height": 844})
    login("secretary")
    year = timezone.localdate().year
    urls = [*PHONE_PAGES, f"/sessions/plans/{year}/", f"/sessions/plans/{year}/sessions/new/"]
    for url in urls:
        page.goto(f"{demo_site.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    # The attendance sheet of the first held session of this year.
    page.goto(f"{demo_site.url}/sessions/plans/{year}/")
    page.locator("text=Đã tổ chức").first.locator("xpath=ancestor::li//a").first.click()
    page.get_by_role("link", name="Điểm danh, kết quả").click()
    # Measure the sheet itself, not the session page it is leaving.
    expect(page).to_have_url(re.compile(r"/sessions/\d+/attendance/$"))
    expect(page.locator(".attendance-row").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "secretary-attendance-sheet-phone")


def test_deleting_a_photo_asks_first_on_a_phone(login, page, demo_site):
    """Dismissing the question keeps the photo; accepting it deletes the photo."""
    from sessions.models import Photo

    page.set_viewport_size({"width": 390, "height": 844})
    login("secretary")
    session = Photo.objects.first().session
    before = session.photos.count()
    page.goto(f"{demo_site.url}{reverse('sessions:photos', args=[session.pk])}")
    asked = []

    def answer(accept):
        def handle(dialog):
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", handle)

    question = "Xóa hẳn ảnh này khỏi kỳ sinh hoạt? Không thể khôi phục."
    delete_buttons = page.get_by_role("button", name="Xóa ảnh")
    expect(delete_buttons).to_have_count(before)
    first_form = page.locator("form[data-confirm]").first
    first_photo = int(re.search(r"/photos/(\d+)/delete/$", first_form.get_attribute("action"))[1])
    # A mark on this document: a sent form would load another one without it.
    page.evaluate("window.chiboNotReloaded = true")

    answer(accept=False)
    delete_buttons.first.click()
    # click() returns after the dialog was answered and after any navigation it
    # started has begun: the question was asked, and the page never left.
    assert asked == [question]
    assert page.evaluate("window.chiboNotReloaded === true")
    expect(page).to_have_url(re.compile(rf"/sessions/{session.pk}/photos/$"))
    expect(page.locator(".alert-success")).to_have_count(0)
    expect(delete_buttons).to_have_count(before)
    assert session.photos.count() == before

    answer(accept=True)
    delete_buttons.first.click()
    expect(page.locator(".alert-success")).to_contain_text("Đã xóa ảnh.")
    assert page.evaluate("window.chiboNotReloaded === undefined")
    expect(delete_buttons).to_have_count(before - 1)
    # Exactly the photo asked about is gone: the dismissed question deleted none.
    assert session.photos.count() == before - 1
    assert not session.photos.filter(pk=first_photo).exists()
    assert asked == [question] * 2
