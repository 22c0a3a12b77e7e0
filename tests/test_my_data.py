"""A member downloads all the data Chibo holds about them, and only theirs."""

import datetime as dt
import json

import pytest
from axes.models import AccessLog
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import Attendance, Award, CheckIn, ReadConfirmation, Reminder
from tests.factories import at, make_exemption, make_member, make_plan, make_session, record

pytestmark = pytest.mark.django_db

# Strings that belong to one member each: the other's file must hold none of them.
TUAN = ("Lương Văn Tuấn", "0911 111 111", "Đi khám bệnh định kỳ", "Điều trị tại Bạch Mai")
HOA = ("Phùng Thị Hoa", "0922 222 222", "Con ốm nằm viện", "Học lớp cao cấp lý luận")


@pytest.fixture
def cell(secretary, member, other_member, groups):
    """Both members have a phone, an exemption, an excused absence and a prize."""
    tuan, hoa = member.member, other_member.member
    for who, (_name, phone, _absence, exemption) in ((tuan, TUAN), (hoa, HOA)):
        who.phone = phone
        who.save()
        make_exemption(who, dt.date(2020, 9, 1), dt.date(2020, 9, 30), reason=exemption)
    plan = make_plan(2020)
    held = make_session(plan, start=at(2020, 3, 12), topic="Học tập Chỉ thị 05", format="contest")
    record(held, statuses={tuan: "excused", hoa: "excused"})
    for who, (_name, _phone, absence, _exemption) in ((tuan, TUAN), (hoa, HOA)):
        row = Attendance.objects.get(session=held, member=who)
        row.reason = absence
        row.save()
    Award.objects.create(session=held, prize="Giải nhất cá nhân", member=tuan)
    Award.objects.create(session=held, prize="Giải ba cá nhân", member=hoa)
    held.presiding = tuan
    held.save()
    CheckIn.objects.create(session=held, member=tuan, at=at(2020, 3, 12, 8, 5))
    CheckIn.objects.create(session=held, member=hoa, at=at(2020, 3, 12, 8, 6))
    ReadConfirmation.objects.create(session=held, member=tuan, at=at(2020, 3, 11, 20, 0))
    Reminder.objects.create(
        kind="session", session=held, member=tuan, starts_at=held.start, email="tuan@example.org"
    )
    AccessLog.objects.create(
        username="member", ip_address="192.0.2.10", user_agent="Firefox Android", path_info="/"
    )
    AccessLog.objects.create(
        username="other", ip_address="198.51.100.7", user_agent="Safari iPhone", path_info="/"
    )
    return held


def download(client, user):
    client.force_login(user)
    response = client.get(reverse("my_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="chibo-du-lieu-')
    assert "no-store" in response["Cache-Control"]
    return response.content.decode(), json.loads(response.content)


def test_a_member_gets_everything_chibo_holds_about_them(client, member, cell):
    text, data = download(client, member)
    assert data["Đảng viên"]["Họ và tên"] == "Lương Văn Tuấn"
    assert data["Đảng viên"]["Số điện thoại"] == "0911 111 111"
    assert data["Đảng viên"]["Tổ Đảng"] == "Tổ 1"
    assert data["Tài khoản"]["Tên đăng nhập"] == "member"
    assert data["Tài khoản"]["Vai trò"] == "Đảng viên — Chi bộ"
    [exemption] = data["Miễn, tạm miễn sinh hoạt"]
    assert exemption == {
        "Hình thức": "Tạm miễn sinh hoạt",
        "Từ ngày": "01/09/2020",
        "Đến ngày": "30/09/2020",
        "Lý do": "Điều trị tại Bạch Mai",
    }
    [attendance] = data["Điểm danh"]
    assert attendance["Kỳ sinh hoạt"] == "Học tập Chỉ thị 05"
    assert attendance["Ngày"] == "12/03/2020"
    assert (attendance["Điểm danh"], attendance["Lý do vắng"]) == (
        "Vắng có lý do",
        "Đi khám bệnh định kỳ",
    )
    assert attendance["Tổ lúc đó"] == "Tổ 1"
    assert data["Giải thưởng"] == [
        {"Kỳ sinh hoạt": "Học tập Chỉ thị 05", "Ngày": "12/03/2020", "Giải": "Giải nhất cá nhân"}
    ]
    assert data["Vai trò ở các kỳ sinh hoạt"][0]["Vai trò"] == "Chủ trì"
    [check_in] = data["Tự điểm danh bằng mã QR"]
    assert (check_in["Kỳ sinh hoạt"], check_in["Lúc"]) == ("Học tập Chỉ thị 05", "12/03/2020 08:05")
    [read] = data["Xác nhận đã đọc tài liệu"]
    assert read["Lúc"] == "11/03/2020 20:00"
    assert data["Thư nhắc đã gửi"][0]["Gửi tới"] == "tuan@example.org"
    assert data["Lần đăng nhập"][0]["Địa chỉ IP"] == "192.0.2.10"
    # The history of their record, exemption, attendance and prize, with who made each change.
    kinds = {entry["Loại"] for entry in data["Lịch sử thay đổi"]}
    assert {"đảng viên", "miễn, tạm miễn sinh hoạt", "điểm danh", "giải thưởng"} <= kinds
    changed = [
        change
        for entry in data["Lịch sử thay đổi"]
        for change in entry["Thay đổi"]
        if change["Mục"] == "lý do vắng"
    ]
    assert {"Mục": "lý do vắng", "Cũ": "Đi công tác", "Mới": "Đi khám bệnh định kỳ"} in changed
    # The calendar's secret address is a key, not data to carry around.
    assert member.member.calendar_token not in text


def test_the_file_holds_nothing_about_another_member(client, member, other_member, cell):
    mine, _data = download(client, member)
    theirs, _data = download(client, other_member)
    for text in (*HOA, "198.51.100.7", "Safari iPhone", "Giải ba cá nhân"):
        assert text not in mine
    for text in (*TUAN, "192.0.2.10", "Firefox Android", "Giải nhất cá nhân"):
        assert text not in theirs


def test_the_link_is_on_the_members_own_record_page_only(client, member, leader, cell):
    own = reverse("sessions:member_record", args=[member.member.pk, 2020])
    client.force_login(member)
    page = client.get(own).text
    assert "Tải dữ liệu của tôi" in page
    assert f'href="{reverse("my_data")}"' in page
    client.force_login(leader)
    assert "Tải dữ liệu của tôi" not in client.get(own).text


def test_an_account_without_a_member_has_no_data_to_download(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("khach"))
    assert client.get(reverse("my_data")).status_code == 404


def test_the_download_takes_the_same_queries_for_a_short_and_a_long_record(
    client, member, groups, cell
):
    client.force_login(member)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("my_data")).status_code == 200
        return len(context.captured_queries)

    short = count()
    others = [make_member(groups[0], f"Đảng viên {n}") for n in range(5)]
    for month in range(4, 10):
        session = make_session(make_plan(2020), start=at(2020, month, 20))
        record(session, statuses={member.member: "unexcused"})
        Award.objects.create(session=session, prize=f"Giải {month}", member=member.member)
    assert Attendance.objects.filter(member__in=others).count() == 6 * 5
    assert count() == short


def log_in(client, username, address, browser):
    response = client.post(
        reverse("login"),
        {"username": username, "password": "mật-khẩu-thử-1"},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=browser,
    )
    assert response.status_code == 302
    client.logout()


def test_logins_follow_the_person_when_a_user_name_moves(
    client, secretary, member, other_member, cell
):
    """Issue 10, 1: A logs in as minhlv, is renamed minhlv.cu; B gets minhlv.

    B's download lists none of A's logins, and A's own download lists them.
    """
    a, b = member, other_member
    client.force_login(secretary)
    account = "members:account"
    client.post(reverse(account, args=[a.member.pk]), {"username": "minhlv", "role": "member"})
    log_in(client, "minhlv", "203.0.113.41", "Chrome A-máy-văn-phòng")
    client.force_login(secretary)
    client.post(reverse(account, args=[a.member.pk]), {"username": "minhlv.cu", "role": "member"})
    client.post(reverse(account, args=[b.member.pk]), {"username": "minhlv", "role": "member"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.username, b.username) == ("minhlv.cu", "minhlv")

    theirs, _data = download(client, b)
    assert "203.0.113.41" not in theirs and "A-máy-văn-phòng" not in theirs
    mine, data_a = download(client, a)
    addresses = [log["Địa chỉ IP"] for log in data_a["Lần đăng nhập"]]
    assert "203.0.113.41" in addresses
    assert "Chrome A-máy-văn-phòng" in mine
    # B logs in as minhlv now: that login is B's, not A's.
    log_in(client, "minhlv", "203.0.113.99", "Firefox B")
    theirs, _data = download(client, b)
    mine, _data = download(client, a)
    assert "203.0.113.99" in theirs and "203.0.113.99" not in mine
