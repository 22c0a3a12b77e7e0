"""The printable annual report states the year in Vietnamese sentences."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.html import strip_tags

from sessions.models import Attendance, Photo, Postponement, ThematicSession
from sessions.services import postpone_session
from tests.builders import load_demo_at
from tests.factories import at, make_member, make_plan, make_session, record

pytestmark = pytest.mark.django_db

U = Attendance.Status.UNEXCUSED


def report_text(client, year=2020):
    response = client.get(reverse("sessions:annual_report", args=[year]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", strip_tags(response.text))


@pytest.fixture
def demo_report(client, monkeypatch):
    load_demo_at(monkeypatch)
    client.force_login(User.objects.get(username="leader"))
    return report_text(client)


def test_demo_2020_says_seven_sessions_were_held_one_by_group(demo_report):
    assert (
        "Năm 2020, chi bộ đã tổ chức 7 kỳ sinh hoạt chuyên đề, "
        "trong đó có 1 kỳ sinh hoạt theo tổ Đảng." in demo_report
    )


def test_demo_2020_states_the_plan_and_the_cell(demo_report):
    assert (
        "Chi ủy đã xây dựng và thông qua kế hoạch sinh hoạt chuyên đề năm 2020 ngày 08/01/2020, "
        "gồm 7 chuyên đề; kế hoạch đã được gửi cấp ủy cấp trên ngày 13/01/2020, số 1-KH/CB."
    ) in demo_report
    assert "Trong năm, chi bộ có 30 đảng viên, sinh hoạt ở 4 tổ Đảng." in demo_report
    assert "Quý nào cũng có sinh hoạt chuyên đề, đúng quy định (ít nhất 1 kỳ mỗi quý)." in (
        demo_report
    )


def test_demo_2020_states_formats_and_topics(demo_report):
    assert (
        "Về hình thức: 4 kỳ thuyết trình và thảo luận; 2 kỳ hội thi, sân khấu hóa "
        "và 1 kỳ tọa đàm, hội thảo." in demo_report
    )
    assert (
        "Ngày 16/01/2020: “Rung chuông vàng – Tìm hiểu lịch sử 90 năm vẻ vang của Đảng Cộng sản "
        "Việt Nam” (hội thi, sân khấu hóa; người chuẩn bị: Phùng Thị Hoa; xếp loại Tốt, 94 điểm; "
        "có mặt 27/29)." in demo_report
    )
    assert "thuyết trình và thảo luận, sinh hoạt theo tổ Đảng;" in demo_report


def test_demo_2020_states_attendance_and_guests(demo_report):
    assert (
        "Tỷ lệ đảng viên dự sinh hoạt chuyên đề bình quân đạt 93,2 % (192/206 lượt đảng viên "
        "phải dự); 12 lượt vắng có lý do, 2 lượt vắng không có lý do." in demo_report
    )
    assert (
        "Cùng dự các kỳ sinh hoạt còn có 24 lượt quần chúng, khách mời và 2 lượt đảng viên "
        "sinh hoạt tạm thời (không tính vào tỷ lệ dự sinh hoạt)." in demo_report
    )
    assert (
        "Không có đảng viên nào vắng không có lý do từ 3 lần trở lên hoặc vắng quá 3 kỳ "
        "liên tiếp." in demo_report
    )


def test_demo_2020_states_contests_awards_and_grades(demo_report):
    assert "Chi bộ tổ chức 2 hội thi theo hình thức sân khấu hóa" in demo_report
    assert "hạng 1 – Đội Tổ 3 – Tuyên giáo, Nữ công (100 điểm)" in demo_report
    assert "Giải Nhất – đồng chí Tô Thị Kim Oanh" in demo_report
    assert "Giải Khuyến khích – Nguyễn Thị Hồng Nhung (quần chúng, Văn phòng)" in demo_report
    assert "hạng 1 – Đội Tổ 4 – Chính sách, Pháp luật (260 điểm)" in demo_report
    assert "Về chất lượng: 3 kỳ xếp loại Tốt và 4 kỳ xếp loại Khá." in demo_report


def test_demo_report_is_signed_by_the_secretary(demo_report):
    assert "T/M CHI ỦY BÍ THƯ Nông Thị Hương" in demo_report
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in demo_report
    assert "BÁO CÁO Kết quả sinh hoạt chuyên đề năm 2020" in demo_report


def test_heading_names_the_cell_from_its_profile(client, leader):
    leader.member.cell.superior_name = "Đảng bộ Khối các cơ quan tỉnh"
    leader.member.cell.name = "Chi bộ Cơ quan Liên đoàn Lao động tỉnh"
    leader.member.cell.save()
    client.force_login(leader)
    text = report_text(client)
    assert "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH CHI BỘ CƠ QUAN LIÊN ĐOÀN LAO ĐỘNG TỈNH" in text
    assert "T/M CHI ỦY BÍ THƯ" in text


def test_a_cell_without_a_committee_signs_on_behalf_of_the_cell(client, leader):
    """A small cell has no chi ủy: its secretary signs "T/M CHI BỘ"."""
    leader.member.cell.has_committee = False
    leader.member.cell.save()
    client.force_login(leader)
    text = report_text(client)
    assert "T/M CHI BỘ BÍ THƯ" in text
    assert "T/M CHI ỦY" not in text


def test_report_shows_photos_with_captions(client, leader, groups):
    make_member(groups[0])
    session = make_session(start=at(2020, 1, 16))
    record(session)
    for n in range(3):
        Photo.objects.create(session=session, image=f"photos/2020/anh-{n}.jpg", caption=f"Ảnh {n}")
    client.force_login(leader)
    response = client.get(reverse("sessions:annual_report", args=[2020]))
    assert response.text.count('class="report-photo"') == 2  # the first two of the session
    assert 'src="/media/photos/2020/anh-0.jpg"' in response.text
    assert "Ảnh 1 — 16/01/2020" in report_text(client)


def test_a_postponed_session_still_to_hold_is_counted_once(client, leader, groups, now):
    """Held, cancelled and still to hold add up to the plan; postponed is said apart."""
    make_member(groups[0])
    plan = make_plan(2020)
    record(make_session(plan, at(2020, 2, 12)))
    moved = make_session(plan, at(2020, 5, 14))
    postpone_session(session=moved, start=at(2020, 7, 9), end=at(2020, 7, 9, 10), reason="Lũ")
    make_session(plan, at(2020, 10, 8))
    client.force_login(leader)
    text = report_text(client)
    assert "chi bộ đã tổ chức 1 kỳ sinh hoạt chuyên đề." in text
    assert "Theo kế hoạch: 2 kỳ chưa tổ chức. Có 1 kỳ phải hoãn sang thời gian khác." in text


def test_report_states_changes_missing_quarters_and_flags(client, leader, groups, settings):
    settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR = 2
    settings.CHIBO_GOOD_ATTENDANCE_PERCENT = 85
    absent = make_member(groups[0], "Vy Thị Dung")
    make_member(groups[1])
    plan = make_plan(2020, status="approved", approved_on=at(2020, 1, 8).date())
    record(make_session(plan, at(2020, 2, 12)), {absent: U})
    moved = make_session(plan, at(2020, 11, 12))
    Postponement.objects.create(
        session=moved, previous_start=at(2020, 8, 12), new_start=moved.start, reason="Bão"
    )
    record(moved, {absent: U})
    make_session(
        plan, at(2020, 5, 12), status=ThematicSession.Status.CANCELLED, status_reason="Covid-19"
    )
    client.force_login(leader)
    text = report_text(client)
    assert "Năm 2020, chi bộ đã tổ chức 2 kỳ sinh hoạt chuyên đề." in text
    assert "Theo kế hoạch: 1 kỳ bị hủy. Có 1 kỳ phải hoãn sang thời gian khác." in text
    assert "Quý II và III chưa có đủ kỳ sinh hoạt chuyên đề được tổ chức" in text
    assert "12/05/2020: “" in text and "— hủy (Covid-19)." in text
    assert "Vắng không có lý do từ 2 lần trở lên: đồng chí Vy Thị Dung (2 lần)." in text
    assert "2 kỳ có tỷ lệ dự không vượt quá 85 %: 12/02 (66,7 %) và 12/11 (66,7 %)." in text


def test_report_compares_with_the_previous_year(client, leader, groups):
    members = [make_member(groups[0]) for _ in range(3)]
    record(make_session(start=at(2019, 3, 12)), {members[0]: U, members[1]: U})
    record(make_session(start=at(2020, 3, 12)))
    client.force_login(leader)
    text = report_text(client)
    assert "Năm 2019, chi bộ tổ chức 1 kỳ, tỷ lệ dự sinh hoạt 50,0 %" in text
    assert "năm nay tỷ lệ dự sinh hoạt tăng 50,0 điểm phần trăm." in text


def test_year_without_a_plan_says_so(client, leader):
    client.force_login(leader)
    text = report_text(client, 2015)
    assert "Chi bộ chưa có kế hoạch sinh hoạt chuyên đề năm 2015." in text
    assert "Năm 2015, chi bộ đã tổ chức 0 kỳ sinh hoạt chuyên đề." in text
    assert "Chưa có kỳ nào được điểm danh." in text


def test_report_is_laid_out_for_a4_print(client, leader):
    client.force_login(leader)
    response = client.get(reverse("sessions:annual_report", args=[2020]))
    assert "data-print" in response.text
    assert "/static/js/print.js" in response.text
    assert "<script>" not in response.text and "style=" not in response.text
    assert "size: A4;" in Path(finders.find("css/chibo.css")).read_text(encoding="utf-8")


def test_report_in_english_when_chosen(client, leader, groups):
    make_member(groups[0])
    record(make_session(start=at(2020, 3, 12)))
    client.force_login(leader)
    client.cookies["chibo_language"] = "en"
    text = report_text(client)
    assert "In 2020 the cell held 1 thematic session." in text


def test_demo_2020_report_reads_on_a_phone(client, monkeypatch):
    """The kinds table stacks into labelled cards; the chart of seven sessions,
    too wide for a phone, is drawn again as rows there and left out of print."""
    load_demo_at(monkeypatch)
    client.force_login(User.objects.get(username="leader"))
    text = client.get(reverse("sessions:annual_report", args=[2020])).text
    table = re.search(r'<table class="[^"]*kind-table[^"]*">.*?</table>', text, re.S).group(0)
    assert "table-stack" in table.split(">", 1)[0]
    body = table.split("<tbody>")[1]
    for label in ("Có mặt / phải dự", "Vắng có lý do", "Vắng không có lý do", "Tỷ lệ"):
        assert body.count(f'data-label="{label}"') == 3  # regular, thematic, both
    assert 'class="chart chart-sessions chart-wide d-none d-sm-block d-print-block"' in text
    narrow = r'<svg class="chart chart-sessions-narrow d-sm-none d-print-none".*?</svg>'
    rows = re.search(narrow, text, re.S)
    assert rows.group(0).count('class="chart-bar') == 7
