"""The member list and a member's record: add, edit, move, exempt, leave."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Exemption, Member
from sessions.models import Attendance
from tests.factories import at, make_exemption, make_member, make_session, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(groups, secretary, leader, member, other_member):
    make_member(groups[1], "Vy Thị Dung", standing="probationary")
    exempt = make_member(groups[1], "Nguyễn Văn Hải")
    make_exemption(exempt, dt.date(2020, 1, 1))
    make_member(
        groups[0], "Lộc Văn Bình", left_cell_on=dt.date(2020, 3, 15), left_reason="transfer"
    )
    make_member(None, "Đặng Thị Tuyết", temporary=True, home_cell="Chi bộ Trường Chính trị")
    return groups


def names(response):
    return sorted(m.full_name for _group, members in response.context["sections"] for m in members)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "Hoàng Văn Thắng",
                "Lương Văn Tuấn",
                "Nguyễn Văn Hải",
                "Nông Thị Hương",
                "Phùng Thị Hoa",
                "Vy Thị Dung",
            ],
        ),
        ("?filter=probationary", ["Vy Thị Dung"]),
        ("?filter=exempt", ["Nguyễn Văn Hải"]),
        ("?filter=left", ["Lộc Văn Bình"]),
        ("?filter=temporary", ["Đặng Thị Tuyết"]),
        ("?filter=nonsense", None),
    ],
)
def test_member_list_filters(client, secretary, cell, now, query, expected):
    client.force_login(secretary)
    response = client.get(reverse("members:list") + query)
    assert response.status_code == 200
    if expected is None:
        assert response.context["chosen"] == "active"
    else:
        assert names(response) == expected


def test_member_list_by_group_and_group_filter(client, secretary, cell, now):
    client.force_login(secretary)
    response = client.get(reverse("members:list"))
    sections = [(str(group), len(members)) for group, members in response.context["sections"]]
    assert sections == [("Tổ 1", 3), ("Tổ 2", 3)]
    counts = {key: count for key, _label, count in response.context["filters"]}
    assert counts == {"active": 6, "probationary": 1, "exempt": 1, "temporary": 1, "left": 1}
    response = client.get(reverse("members:list") + f"?group={cell[1].pk}")
    assert names(response) == ["Nguyễn Văn Hải", "Phùng Thị Hoa", "Vy Thị Dung"]


def list_queries(client):
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("members:list")).status_code == 200
    return len(context.captured_queries)


def test_member_list_queries_do_not_grow(client, secretary, groups, now):
    client.force_login(secretary)
    few = list_queries(client)
    for n in range(60):
        member = make_member(groups[n % 2])
        if n % 5 == 0:
            make_exemption(member, dt.date(2020, 1, 1))
    assert list_queries(client) == few


def member_data(**fields):
    data = {
        "full_name": "Hoàng Minh Đức",
        "group": "",
        "standing": "probationary",
        "position": "member",
        "joined_party_on": "2020-03-02",
        "joined_cell_on": "02/03/2020",
        "home_cell": "",
        "phone": "0912 345 678",
        "email": "duc@example.org",
        "notes": "",
    }
    data.update(fields)
    return data


def test_secretary_adds_a_member(client, secretary, groups, now):
    client.force_login(secretary)
    response = client.post(reverse("members:create"), member_data(group=groups[1].pk))
    member = Member.objects.get(full_name="Hoàng Minh Đức")
    assert response.url == member.get_absolute_url()
    assert (member.group, member.standing, member.joined_cell_on) == (
        groups[1],
        "probationary",
        dt.date(2020, 3, 2),
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Đảng viên của chi bộ phải thuộc một tổ Đảng."),
        ({"group": "G", "full_name": ""}, "Trường này là bắt buộc."),
        ({"group": "G", "joined_party_on": "2030-01-01"}, "Ngày vào Đảng không thể ở tương lai."),
        ({"group": "G", "joined_cell_on": ""}, "Trường này là bắt buộc."),
        ({"group": "G", "email": "khong-phai-thu"}, "Hãy nhập một địa chỉ thư điện tử hợp lệ."),
        ({"temporary": "on"}, "Ghi chi bộ nơi đồng chí này sinh hoạt chính thức."),
    ],
)
def test_bad_member_data_is_refused(client, secretary, groups, now, fields, message):
    if fields.get("group") == "G":
        fields["group"] = groups[0].pk
    client.force_login(secretary)
    response = client.post(reverse("members:create"), member_data(**fields))
    assert response.status_code == 200
    assert message in response.text
    assert not Member.objects.filter(full_name="Hoàng Minh Đức").exists()


def test_a_temporary_member_needs_no_group(client, secretary, groups, now):
    client.force_login(secretary)
    client.post(reverse("members:create"), member_data(temporary="on", home_cell="Chi bộ khác"))
    assert Member.objects.get(full_name="Hoàng Minh Đức").temporary


def test_secretary_edits_a_member(client, secretary, member, now):
    client.force_login(secretary)
    target = member.member
    response = client.post(
        reverse("members:edit", args=[target.pk]),
        member_data(full_name="Lương Văn Tuấn", standing="full", position="committee"),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.position, target.phone) == ("committee", "0912 345 678")


def test_moving_a_member_keeps_the_group_of_past_attendance(client, secretary, member, groups, now):
    target = member.member
    session = make_session(start=at(2020, 3, 12))
    record(session)
    client.force_login(secretary)
    url = reverse("members:move", args=[target.pk])
    assert "Đồng chí này đang ở tổ này rồi." in client.post(url, {"group": groups[0].pk}).text
    client.post(url, {"group": groups[1].pk})
    target.refresh_from_db()
    assert target.group == groups[1]
    assert Attendance.objects.get(session=session, member=target).group == groups[0]
    page = client.get(target.get_absolute_url()).text
    assert "Các tổ đã sinh hoạt" in page


def test_exemption_is_recorded_and_checked(client, secretary, member, now):
    target = member.member
    client.force_login(secretary)
    url = reverse("members:exemption_create", args=[target.pk])
    data = {"kind": "temporary", "starts_on": "2020-07-01", "ends_on": "2020-06-01", "reason": "Ốm"}
    assert "Ngày kết thúc phải sau ngày bắt đầu." in client.post(url, data).text
    data["ends_on"] = "2020-12-31"
    client.post(url, data)
    exemption = Exemption.objects.get()
    assert not target.is_expected_on(dt.date(2020, 8, 1))
    assert target.is_expected_on(dt.date(2021, 1, 5))
    overlap = {"kind": "exempt", "starts_on": "2020-12-01", "ends_on": "", "reason": "Tuổi cao"}
    assert "Trùng với đợt tạm miễn sinh hoạt từ 01/07/2020." in client.post(url, overlap).text
    assert Exemption.objects.count() == 1
    # Closing it earlier.
    edit = reverse("members:exemption_edit", args=[target.pk, exemption.pk])
    client.post(edit, {**data, "ends_on": "2020-09-30"})
    exemption.refresh_from_db()
    assert exemption.ends_on == dt.date(2020, 9, 30)


def test_missing_exemption_reason_is_refused(client, secretary, member, now):
    client.force_login(secretary)
    url = reverse("members:exemption_create", args=[member.member.pk])
    response = client.post(url, {"kind": "temporary", "starts_on": "2020-07-01", "reason": ""})
    assert "Trường này là bắt buộc." in response.text
    assert Exemption.objects.count() == 0


def test_marking_a_member_as_left_keeps_them_and_closes_their_login(
    client, secretary, member, groups, now
):
    target = member.member
    groups[0].leader = target
    groups[0].save()
    client.force_login(secretary)
    url = reverse("members:leave", args=[target.pk])
    response = client.post(url, {"left_cell_on": "2010-01-01", "left_reason": "transfer"})
    assert "Ngày thôi sinh hoạt phải sau ngày về chi bộ (01/01/2015)." in response.text
    response = client.post(url, {"left_cell_on": "2020-06-01", "left_reason": ""})
    assert "Trường này là bắt buộc." in response.text
    target.refresh_from_db()
    assert target.left_cell_on is None

    client.post(
        url,
        {"left_cell_on": "2020-06-01", "left_reason": "transfer", "left_note": "Sở LĐTBXH"},
    )
    target.refresh_from_db()
    member.refresh_from_db()
    groups[0].refresh_from_db()
    assert (target.left_cell_on, target.left_reason) == (dt.date(2020, 6, 1), "transfer")
    assert not member.is_active
    assert groups[0].leader is None
    assert Member.objects.filter(pk=target.pk).exists()
    assert not target.is_expected_on(dt.date(2020, 7, 1))
    assert names(client.get(reverse("members:list") + "?filter=left")) == ["Lương Văn Tuấn"]


@pytest.mark.parametrize("role", ["member", "leader"])
def test_only_the_secretary_changes_members(client, request, groups, role, now):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("members:create"), member_data(group=groups[0].pk))
    assert response.status_code == 403
    assert 'name="full_name"' not in response.text
    assert not Member.objects.filter(full_name="Hoàng Minh Đức").exists()


def test_leader_reads_the_list_without_actions(client, leader, cell, now):
    client.force_login(leader)
    page = client.get(reverse("members:list")).text
    assert "Nông Thị Hương" in page
    assert reverse("members:create") not in page
