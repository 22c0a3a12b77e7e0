"""Importing a member list from .xlsx or .csv: preview, an error per bad row, then confirm."""

import csv
import datetime as dt
import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from members.models import Member
from tests.factories import make_member

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Tổ Đảng,Loại đảng viên,Chức vụ,Ngày vào Đảng,Ngày về chi bộ,Số điện thoại,Email"


@pytest.fixture
def cell(groups):
    for group, name in zip(groups, ("Tổ 1 – Văn phòng", "Tổ 2 – Tổ chức"), strict=True):
        group.name = name
        group.save()
    return groups


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text):
    """Encode as Excel does on a Vietnamese Windows: tone marks apart from the letters."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONE_MARKS))
        out.append(base + "".join(p for p in parts if p in TONE_MARKS))
    return "".join(out).encode("cp1258")


def csv_file(*lines, name="danh-sach.csv", encoding="utf-8-sig"):
    text = "\r\n".join(lines)
    content = windows_1258(text) if encoding == "cp1258" else text.encode(encoding)
    return SimpleUploadedFile(name, content, content_type="text/csv")


def preview(client, upload):
    return client.post(reverse("members:import"), {"file": upload})


def test_a_good_csv_is_previewed_then_imported_on_confirmation(client, secretary, cell):
    client.force_login(secretary)
    response = preview(
        client,
        csv_file(
            HEADER,
            "Vi Thị Thu Hà,Tổ 1 – Văn phòng,Chính thức,Đảng viên,02/09/2008,16/04/2012,0912,",
            "Lăng Văn Hùng,Tổ 2,chinh thuc,Phó bí thư,19/08/2000,05/05/2008,,hung@example.org",
            "Hoàng Minh Đức,tổ 2 – tổ chức,Dự bị,,2020-03-02,2020-03-02,,",
            ",,,,,,,",
        ),
    )
    assert response.status_code == 200
    assert "3 dòng hợp lệ, sẵn sàng nhập." in response.text
    assert "Xác nhận nhập 3 đảng viên" in response.text
    assert Member.objects.filter(temporary=False).count() == 1  # only the secretary so far

    token = response.context["token"]
    response = client.post(reverse("members:import_confirm"), {"token": token})
    assert response.url == reverse("members:list")
    imported = {m.full_name: m for m in Member.objects.exclude(pk=secretary.member.pk)}
    assert set(imported) == {"Vi Thị Thu Hà", "Lăng Văn Hùng", "Hoàng Minh Đức"}
    hung = imported["Lăng Văn Hùng"]
    assert (hung.group, hung.position, hung.email) == (
        cell[1],
        "deputy_secretary",
        "hung@example.org",
    )
    assert imported["Hoàng Minh Đức"].standing == "probationary"
    assert imported["Vi Thị Thu Hà"].joined_cell_on == dt.date(2012, 4, 16)
    assert hung.sort_name  # sorted like a member saved one by one
    assert hung.history.count() == 1


def test_an_excel_file_with_date_cells_is_read(client, secretary, cell):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Tổ Đảng", "Ngày về chi bộ", "Ngày vào Đảng"])
    # A date cell: Excel has no time zones, and openpyxl reads it back as a datetime.
    sheet.append(["Chu Thị Hằng", "Tổ 2 – Tổ chức", dt.date(2017, 8, 14), "08/03/2014"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(secretary)
    response = preview(client, SimpleUploadedFile("ds.xlsx", buffer.getvalue()))
    assert "1 dòng hợp lệ" in response.text
    client.post(reverse("members:import_confirm"), {"token": response.context["token"]})
    hang = Member.objects.get(full_name="Chu Thị Hằng")
    assert (hang.joined_cell_on, hang.joined_party_on) == (
        dt.date(2017, 8, 14),
        dt.date(2014, 3, 8),
    )


def test_each_bad_row_gets_its_own_message_and_nothing_is_imported(client, secretary, cell):
    make_member(cell[0], "Triệu Văn Dũng")
    client.force_login(secretary)
    response = preview(
        client,
        csv_file(
            HEADER,
            ",Tổ 1,,,,01/01/2015,,",
            "Mã Thị Yến,Tổ 9,,,,01/04/2019,,",
            "Dương Văn Khải,Tổ 1,Chính thức,,,2007-19-11,,",
            "Tô Thị Kim Oanh,Tổ 1,Quần chúng,,,03/10/2016,,",
            "Tô Thị Kim Oanh,Tổ 1,,,,03/10/2016,,",
            "Triệu Văn Dũng,Tổ 1,,,,02/10/2006,,",
            "La Văn Quý,Tổ 1,,Tổ trưởng,,05/01/2009,,quy@",
            "Nông Văn Phúc,Tổ 1,,,,,,",
        ),
    )
    assert response.status_code == 200
    rows = {row.line: row.errors for row in response.context["rows"]}
    assert rows[2] == ["Thiếu họ và tên."]
    assert rows[3][0].startswith("Không có tổ Đảng “Tổ 9”. Các tổ: Tổ 1 – Văn phòng; Tổ 2")
    assert rows[4] == ["Ngày về chi bộ “2007-19-11” không đúng dạng ngày/tháng/năm."]
    assert rows[5] == ["Loại đảng viên “Quần chúng” không rõ: ghi Chính thức hoặc Dự bị."]
    assert rows[6] == ["Trùng tên với dòng 5."]
    assert rows[7] == ["Chi bộ đã có đảng viên “Triệu Văn Dũng”."]
    assert rows[8] == [
        "Chức vụ “Tổ trưởng” không rõ: ghi Bí thư, Phó bí thư, Chi ủy viên hoặc Đảng viên.",
        "Thư điện tử “quy@” không hợp lệ.",
    ]
    assert rows[9] == ["Thiếu ngày về chi bộ."]
    assert "8 dòng có lỗi" in response.text
    assert response.context["token"] is None
    assert "Xác nhận nhập" not in response.text
    assert Member.objects.count() == 2


def test_dates_the_member_form_refuses_are_refused_too(client, secretary, cell):
    client.force_login(secretary)
    response = preview(
        client,
        csv_file(
            HEADER,
            "Vi Thị Thu Hà,Tổ 1,,,01/01/0001,16/04/2012,,",
            "Lăng Văn Hùng,Tổ 1,,,01/01/9999,05/05/2008,,",
            "Hoàng Minh Đức,Tổ 1,,,02/09/2008,16/04/2007,,",
            "Chu Thị Hằng,Tổ 1,,,,31/12/1929,,",
        ),
    )
    rows = {row.line: row.errors for row in response.context["rows"]}
    assert rows == {
        2: ["Ngày vào Đảng không thể trước ngày thành lập Đảng (03/02/1930)."],
        3: ["Ngày vào Đảng không thể ở tương lai."],
        4: ["Ngày về chi bộ không thể trước ngày vào Đảng (02/09/2008)."],
        5: ["Ngày về chi bộ không thể trước ngày thành lập Đảng (03/02/1930)."],
    }
    assert response.context["token"] is None
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (csv_file("Tên,Tổ", "A,Tổ 1"), "Tệp thiếu cột: Họ và tên, Ngày về chi bộ."),
        (csv_file("Họ và tên,Tổ Đảng,Ngày về chi bộ"), "Tệp không có dòng đảng viên nào"),
        (csv_file(""), "Tệp trống."),
        (SimpleUploadedFile("ds.xlsx", b"PK\x03\x04 hong"), "Không đọc được tệp Excel này."),
        (SimpleUploadedFile("ds.xls", b"\xd0\xcf\x11\xe0"), "Chỉ nhận tệp .xlsx hoặc .csv"),
        (
            SimpleUploadedFile("ds.csv", b"\x81\x8d\x8f\x90\x9d"),
            "Không đọc được bảng mã của tệp CSV.",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused(client, secretary, cell, upload, message):
    client.force_login(secretary)
    response = preview(client, upload)
    assert response.status_code == 200
    assert message in response.text
    assert Member.objects.count() == 1


def test_a_semicolon_csv_from_excel_in_windows_1258_is_read(client, secretary, cell):
    client.force_login(secretary)
    lines = ["Họ và tên;Tổ Đảng;Ngày về chi bộ", "Bế Thị Mai;Tổ 1;05/11/2019"]
    response = preview(client, csv_file(*lines, encoding="cp1258"))
    assert "1 dòng hợp lệ" in response.text
    assert response.context["rows"][0].data["full_name"] == "Bế Thị Mai"


def test_a_tampered_or_stale_preview_imports_nothing(client, secretary, cell):
    client.force_login(secretary)
    response = client.post(reverse("members:import_confirm"), {"token": "gia-mao"}, follow=True)
    assert "Bản xem trước đã hết hạn hoặc không hợp lệ" in response.text
    # Previewed, then the same person is added by hand before confirming.
    response = preview(client, csv_file(HEADER, "Đinh Văn Sơn,Tổ 1,,,,01/02/2018,,"))
    make_member(cell[0], "Đinh Văn Sơn")
    response = client.post(reverse("members:import_confirm"), {"token": response.context["token"]})
    assert "Danh sách đã thay đổi từ lúc xem trước: chưa nhập ai." in response.text
    assert Member.objects.filter(full_name="Đinh Văn Sơn").count() == 1


def test_the_template_lists_the_expected_columns(client, secretary, cell):
    client.force_login(secretary)
    response = client.get(reverse("members:import_template"))
    text = response.content.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == HEADER.split(",")
    assert "Tổ 1 – Văn phòng" in text


def test_the_template_quotes_a_group_name_and_never_writes_a_formula(client, secretary, cell):
    """A group's name with a comma and a formula stays one quoted text cell (issue 10, 2)."""
    cell[0].name = "@SUM(1+1)*cmd|' /C calc'!A0, x"
    cell[0].save()
    client.force_login(secretary)
    text = client.get(reverse("members:import_template")).content.decode("utf-8-sig")
    header, example = list(csv.reader(io.StringIO(text)))
    assert len(example) == len(header) == 8
    assert example[1] == "'@SUM(1+1)*cmd|' /C calc'!A0, x"
    assert "\"'@SUM(1+1)" in text  # quoted in the file
    # A spreadsheet splitting on ',' or ';' sees no cell that starts a formula.
    for line in text.splitlines():
        for separator in ",;":
            for piece in line.split(separator):
                assert not piece.strip(' "').startswith(("=", "+", "-", "@")), line
    # The importer still reads the template's own header and example.
    assert preview(client, csv_file(*text.splitlines())).status_code == 200


def test_confirming_needs_a_post_and_the_secretary(client, secretary, member, cell):
    client.force_login(secretary)
    assert client.get(reverse("members:import_confirm")).status_code == 405
    client.force_login(member)
    assert client.post(reverse("members:import"), {"file": csv_file(HEADER)}).status_code == 403
