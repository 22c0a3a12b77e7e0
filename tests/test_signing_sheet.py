"""The attendance signing sheet a secretary prints before the session."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from members.models import Organisation, single_cell
from sessions.models import ThematicSession
from sessions.views import SIGNING_SHEET_GUEST_LINES
from tests.factories import (
    at,
    make_exemption,
    make_group,
    make_group_meeting,
    make_member,
    make_plan,
    make_session,
)

pytestmark = pytest.mark.django_db


def names_in_order(text):
    return re.findall(r"<td class=\"signing-number\">\d+</td><td>([^<]+)</td>", text)


def test_the_expected_members_sign_by_group_with_lines_for_guests(
    client, secretary, leader, member, other_member, groups, now
):
    away = make_member(groups[1], "Đinh Văn Vắng")
    make_exemption(away, dt.date(2020, 1, 1))  # exempt: not expected, not listed
    make_member(None, "Lò Văn Tạm", temporary=True, home_cell="Chi bộ Xã Hữu Lũng")
    session = make_session(start=at(2020, 6, 20, 8), location="Hội trường tầng 2")
    client.force_login(secretary)
    response = client.get(reverse("sessions:signing_sheet", args=[session.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Danh sách đảng viên dự sinh hoạt chuyên đề" in text
    assert "08:00 ngày 20/06/2020, tại Hội trường tầng 2" in text
    # Group 1 then group 2, each in order of given name; the temporary member after.
    assert names_in_order(text)[:5] == [
        "Nông Thị Hương",
        "Hoàng Văn Thắng",
        "Lương Văn Tuấn",
        "Phùng Thị Hoa",
        "Lò Văn Tạm",
    ]
    assert "Đinh Văn Vắng" not in text
    assert "Chi bộ Xã Hữu Lũng" in text
    assert text.count('class="signing-blank"') == SIGNING_SHEET_GUEST_LINES
    assert text.index("Tổ 1") < text.index("Tổ 2") < text.index("Khách mời")
    client.force_login(leader)
    assert client.get(reverse("sessions:signing_sheet", args=[session.pk])).status_code == 200


def test_a_session_held_group_by_group_gives_each_group_its_time_and_place(
    client, secretary, member, other_member, groups, now
):
    session = make_session(start=at(2020, 6, 20, 8), scope=ThematicSession.Scope.GROUPS)
    make_group_meeting(session, groups[0], at(2020, 6, 18, 14), location="Phòng họp tổ 1")
    make_group_meeting(session, groups[1], at(2020, 6, 19, 15), location="Phòng họp tổ 2")
    client.force_login(secretary)
    text = client.get(reverse("sessions:signing_sheet", args=[session.pk])).text
    assert "Tổ 1 — 14:00 ngày 18/06/2020, tại Phòng họp tổ 1" in text
    assert "Tổ 2 — 15:00 ngày 19/06/2020, tại Phòng họp tổ 2" in text


def test_the_sheet_is_the_cells_document(client, secretary, now):
    cell = single_cell()
    cell.superior_name, cell.place_name = "Đảng bộ Khối các cơ quan tỉnh", "Lạng Sơn"
    cell.save()
    session = make_session(start=at(2020, 6, 20, 8))
    client.force_login(secretary)
    text = client.get(reverse("sessions:signing_sheet", args=[session.pk])).text
    assert "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH" in text
    assert "Lạng Sơn, ngày 20 tháng 06 năm 2020" in text


def test_members_and_other_cells_do_not_get_it(client, member, secretary, now):
    session = make_session(start=at(2020, 6, 20, 8))
    client.force_login(member)
    assert client.get(reverse("sessions:signing_sheet", args=[session.pk])).status_code == 403
    other = Organisation.objects.create(
        name="Chi bộ khác", kind=Organisation.Kind.CELL, parent=single_cell().parent
    )
    make_group("Tổ khác", cell=other)
    theirs = make_session(make_plan(2020, cell=other), start=at(2020, 6, 20, 8))
    client.force_login(secretary)
    assert client.get(reverse("sessions:signing_sheet", args=[theirs.pk])).status_code == 404
    session.status = ThematicSession.Status.CANCELLED
    session.save()
    assert client.get(reverse("sessions:signing_sheet", args=[session.pk])).status_code == 404
