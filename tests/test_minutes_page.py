"""The printable minutes (biên bản) of a held session."""

import pytest
from django.urls import reverse

from members.models import Organisation
from sessions.models import Attendance
from tests.factories import at, make_member, make_session, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(groups, secretary, leader, member, other_member, now):
    Organisation.objects.cells().update(name="Chi bộ Liên đoàn Lao động tỉnh")
    visitor = make_member(None, "Đặng Thị Tuyết", temporary=True, home_cell="Chi bộ khác")
    session = make_session(
        start=at(2020, 5, 19, 8),
        topic="Học tập Chỉ thị 05",
        location="Hội trường",
        presiding=secretary.member,
        minute_taker=leader.member,
        outside_speaker="Báo cáo viên Tỉnh ủy",
        guest_count=3,
        guest_names="Cán bộ công đoàn",
        conclusion="Chi bộ thống nhất chương trình hành động.",
        score=86,
        grade="fair",
    )
    session.minutes = "Có 3 ý kiến tham luận."
    session.save()
    record(
        session,
        {
            member.member: Attendance.Status.EXCUSED,
            other_member.member: Attendance.Status.UNEXCUSED,
        },
        temporary=[visitor],
    )
    return session


def test_minutes_say_what_the_guidance_asks(client, secretary, held):
    client.force_login(secretary)
    response = client.get(reverse("sessions:minutes", args=[held.pk]))
    page = response.text
    assert response.status_code == 200
    for expected in [
        "Chi bộ Liên đoàn Lao động tỉnh",
        "Biên bản sinh hoạt chuyên đề",
        "Học tập Chỉ thị 05",
        "từ 08:00 đến 10:00",
        "Hội trường",
        "Nông Thị Hương",  # presiding
        "Hoàng Văn Thắng",  # minute-taker
        "Báo cáo viên Tỉnh ủy",
        "đảng viên có mặt 2/4 đồng chí phải dự (50,0 %)",
        "Vắng có lý do: 1 đồng chí: Lương Văn Tuấn (Đi công tác)",
        "Vắng không có lý do: 1 đồng chí: Phùng Thị Hoa",
        "Đặng Thị Tuyết",
        "Quần chúng, khách mời: 3 người (Cán bộ công đoàn)",
        "Có 3 ý kiến tham luận.",
        "Chi bộ thống nhất chương trình hành động.",
        "Khá",
        "In biên bản",
    ]:
        assert expected in page, expected


def test_leader_reads_the_minutes_and_a_member_does_not(client, leader, member, held):
    client.force_login(leader)
    response = client.get(reverse("sessions:minutes", args=[held.pk]))
    assert response.status_code == 200
    assert "Biên bản sinh hoạt chuyên đề" in response.text
    assert "Vắng không có lý do: 1 đồng chí: Phùng Thị Hoa" in response.text
    client.force_login(member)
    response = client.get(reverse("sessions:minutes", args=[held.pk]))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.text


def test_a_session_not_held_has_no_minutes(client, secretary, groups, now):
    session = make_session(start=at(2020, 9, 1))
    client.force_login(secretary)
    assert client.get(reverse("sessions:minutes", args=[session.pk])).status_code == 404
