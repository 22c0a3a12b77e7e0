"""The year's attendance as CSV and as an Excel workbook."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from openpyxl import load_workbook

from chibo.lib.spreadsheets import safe_cell
from sessions.models import Attendance
from tests.builders import load_demo_at
from tests.factories import at, make_member, make_session, record

pytestmark = pytest.mark.django_db

E, U = Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED


def download(client, name, year=2020):
    response = client.get(reverse(f"sessions:{name}", args=[year]))
    assert response.status_code == 200
    return response


def open_workbook(response):
    return load_workbook(io.BytesIO(response.content))


def member_rows(sheet):
    """The matrix's member lines: those numbered in the first column."""
    return [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]


@pytest.fixture
def demo(client, monkeypatch):
    load_demo_at(monkeypatch)
    client.force_login(User.objects.get(username="leader"))


def test_workbook_of_the_demo_holds_thirty_members_and_the_summaries(client, demo):
    response = download(client, "export_xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="chibo-diem-danh-2020.xlsx"'
    workbook = open_workbook(response)
    assert workbook.sheetnames == ["Điểm danh", "Tổng hợp", "Vắng mặt"]
    matrix = workbook["Điểm danh"]
    assert matrix["A1"].value == "Điểm danh sinh hoạt chuyên đề năm 2020"
    header = next(row for row in matrix.iter_rows(values_only=True) if row[0] == "STT")
    assert header[:4] == ("STT", "Họ và tên", "Tổ Đảng", "Kỳ 1\n16/01/2020")
    assert header[3 + 7 : 3 + 7 + 5] == (
        "Có mặt",
        "Phải dự",
        "Vắng có lý do",
        "Vắng không có lý do",
        "Tỷ lệ",
    )
    rows = member_rows(matrix)
    assert len(rows) == 30
    assert [row[0] for row in rows] == list(range(1, 31))
    tuan = next(row for row in rows if row[1] == "Lương Văn Tuấn")
    assert tuan[2] == "Tổ 3 – Tuyên giáo, Nữ công"
    assert tuan[3:10] == ("x", "x", "x", "x", "P", "x", "x")
    assert tuan[10:15] == (6, 7, 1, 0, pytest.approx(6 / 7, abs=0.001))
    hai = next(row for row in rows if row[1] == "Nguyễn Văn Hải")
    assert hai[3:10] == ("x", "x", "x", "x", None, None, None)  # tạm miễn from July
    assert "Tạm miễn sinh hoạt 01/07/2020–31/12/2020" in hai[-1]
    lines = list(matrix.iter_rows(values_only=True))
    heading = lines.index(("Đảng viên sinh hoạt tạm thời (không tính vào tỷ lệ)",) + (None,) * 16)
    assert lines[heading + 1][:3] == (None, "Đặng Thị Tuyết", None)  # shown apart, not numbered


def test_summary_sheet_has_the_year_in_figures(client, demo):
    sheet = open_workbook(download(client, "export_xlsx"))["Tổng hợp"]
    values = {row[0]: row[1:3] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert values["Số kỳ đã tổ chức"] == (7, 0)
    assert values["Trong đó sinh hoạt theo tổ Đảng"] == (1, 0)
    assert values["Lượt đảng viên phải dự"] == (206, 0)
    assert values["Tỷ lệ dự sinh hoạt"][0] == pytest.approx(0.932)
    assert values["Lượt quần chúng, khách mời"] == (24, 0)
    assert values["Không có cảnh báo."] == (None, None)
    texts = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "Theo quý" in texts and "Theo kỳ sinh hoạt" in texts and "Theo tổ Đảng" in texts
    assert "Tổ 4 – Chính sách, Pháp luật" in texts


def test_absences_sheet_lists_each_absence_with_its_reason(client, demo):
    sheet = open_workbook(download(client, "export_xlsx"))["Vắng mặt"]
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert len(rows) == 12 + 2
    assert ("Vy Thị Dung", "Vắng không có lý do") in [(row[2], row[4]) for row in rows]
    assert ("Lương Văn Tuấn", "Đi công tác Hà Nội") in [(row[2], row[5]) for row in rows]


def test_csv_is_utf8_with_a_bom_and_one_line_per_attendance(client, demo):
    response = download(client, "export_csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="chibo-diem-danh-2020.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [
        "Kỳ",
        "Ngày",
        "Chuyên đề",
        "Phạm vi",
        "Tổ Đảng",
        "Họ và tên",
        "Sinh hoạt tạm thời",
        "Điểm danh",
        "Lý do vắng",
        "Tính vào tỷ lệ",
        "Loại đảng viên",
    ]
    body = lines[1:]
    assert len(body) == 206 + 2  # the counted rows and two temporary ones
    counted = [line for line in body if line[9] == "Có"]
    assert len(counted) == 206
    assert sum(line[7] == "Có mặt" for line in counted) == 192
    assert sorted({line[3] for line in body if line[1] == "14/05/2020"}) == ["Theo tổ Đảng"]
    assert [line[5] for line in body if line[6] == "Có"] == ["Đặng Thị Tuyết"] * 2


def test_exports_follow_the_chosen_language(client, leader, groups):
    make_member(groups[0])
    record(make_session(start=at(2020, 3, 12)))
    client.force_login(leader)
    client.cookies["chibo_language"] = "en"
    lines = download(client, "export_csv").content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith('"No.","Date","Topic"')
    sheet = open_workbook(download(client, "export_xlsx"))
    assert sheet.sheetnames == ["Attendance", "Summary", "Absences"]


def test_an_empty_year_exports_headers_only(client, leader):
    client.force_login(leader)
    lines = download(client, "export_csv", 1995).content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1
    workbook = open_workbook(download(client, "export_xlsx", 1995))
    assert member_rows(workbook["Điểm danh"]) == []


def test_flagged_members_are_highlighted(client, leader, groups, settings):
    settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR = 1
    absent = make_member(groups[0], "Vy Thị Dung")
    record(make_session(start=at(2020, 3, 12)), {absent: U})
    client.force_login(leader)
    matrix = open_workbook(download(client, "export_xlsx"))["Điểm danh"]
    row = next(r for r in matrix.iter_rows() if r[1].value == "Vy Thị Dung")
    assert row[0].fill.fgColor.rgb.endswith("FFF2CC")
    assert row[3].value == "KP"


def test_text_that_looks_like_a_formula_stays_text(client, leader, groups):
    trap = make_member(groups[0], '=HYPERLINK("http://example.org","Bấm")')
    record(make_session(start=at(2020, 3, 12), topic="+Chuyên đề"), {trap: E})
    client.force_login(leader)
    lines = download(client, "export_csv").content.decode("utf-8-sig").splitlines()
    assert "'+Chuyên đề" in lines[1]
    assert "'=HYPERLINK" in "\n".join(lines)
    matrix = open_workbook(download(client, "export_xlsx"))["Điểm danh"]
    cell = next(row[1] for row in matrix.iter_rows() if str(row[1].value).startswith("=HYPER"))
    assert cell.data_type == "s"


def read_as_a_spreadsheet(text, separator):
    """The cells a spreadsheet set to ``separator`` sees, reading the file naively."""
    return [piece.strip(' "') for line in text.splitlines() for piece in line.split(separator)]


def test_a_formula_after_either_separator_stays_text(client, leader, groups):
    """Text cells are quoted; no piece split on ',' or ';' starts a formula (issue 10, 3)."""
    absent = make_member(groups[0], "Lý Văn Tám, @Nhóm")
    record(make_session(start=at(2020, 3, 12), topic="Chuyên đề; -2+3"), {absent: E})
    Attendance.objects.filter(member=absent).update(reason="x;=1+1;y")
    client.force_login(leader)
    text = download(client, "export_csv").content.decode("utf-8-sig")
    assert '"x;\'=1+1;y"' in text
    for separator in ",;":
        cells = read_as_a_spreadsheet(text, separator)
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t"))]
    # Read with the file's own separator, the values are whole, one line per row.
    body = list(csv.reader(io.StringIO(text)))[1:]
    [line] = [line for line in body if line[5] == "Lý Văn Tám, '@Nhóm"]
    assert line[8] == "x;'=1+1;y"
    assert all(len(line) == 11 for line in body)


def test_one_guard_for_every_csv():
    """The guard quotes a formula at the start of any cell a spreadsheet could split off."""
    assert safe_cell("x;=1+1;y") == "x;'=1+1;y"
    assert safe_cell("a, -b\n@c") == "a, '-b\n'@c"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell("Tổ 1 - Văn phòng") == "Tổ 1 - Văn phòng"
    assert safe_cell(12) == 12
