"""The printable minutes (biên bản) of a held session, as the cell keeps them."""

import html
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from members.models import Organisation, single_cell
from sessions.models import Attendance, Award, ContestTeam, Speech, ThematicSession
from tests.builders import load_demo_at
from tests.factories import at, make_group_meeting, make_member, make_session, record

pytestmark = pytest.mark.django_db


def printed(response) -> str:
    """The printed record's text, tags dropped and spaces folded, as a reader sees it."""
    page = response.text
    body = page[page.index('<article class="printed-record') : page.index("</article>")]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture
def held(groups, secretary, leader, member, other_member, now):
    Organisation.objects.cells().update(
        name="Chi bộ Liên đoàn Lao động tỉnh", place_name="Lạng Sơn"
    )
    visitor = make_member(None, "Đặng Thị Tuyết", temporary=True, home_cell="Chi bộ khác")
    session = make_session(
        start=at(2020, 5, 19, 8),
        topic="Học tập Chỉ thị 05",
        location="Hội trường",
        presiding=secretary.member,
        minute_taker=leader.member,
        outside_speaker="Ông Nguyễn Văn Bình, Ban Tuyên giáo Tỉnh ủy",
        guest_count=3,
        guest_names="Cán bộ công đoàn",
        conclusion="Chi bộ thống nhất chương trình hành động.",
        score=86,
        grade="fair",
    )
    session.minutes = "Báo cáo viên trình bày những nội dung cơ bản của Chỉ thị 05."
    session.save()
    record(
        session,
        {
            member.member: Attendance.Status.EXCUSED,
            other_member.member: Attendance.Status.UNEXCUSED,
        },
        temporary=[visitor],
    )
    Speech.objects.create(
        session=session,
        member=leader.member,
        content="Đề nghị mỗi tổ đăng ký một việc làm.",
        order=0,
    )
    Speech.objects.create(
        session=session, speaker_name="Lê Thị Khách", content="Công đoàn sẽ phối hợp.", order=1
    )
    session.votes_for, session.votes_against, session.votes_abstain = 2, 0, 0
    session.save()
    return session


def test_minutes_say_what_the_guidance_asks(client, secretary, held):
    client.force_login(secretary)
    response = client.get(reverse("sessions:minutes", args=[held.pk]))
    assert response.status_code == 200
    text = printed(response)
    for expected in [
        "CHI BỘ LIÊN ĐOÀN LAO ĐỘNG TỈNH",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Lạng Sơn, ngày 19 tháng 05 năm 2020",
        "BIÊN BẢN SINH HOẠT CHUYÊN ĐỀ",
        "Chuyên đề: “Học tập Chỉ thị 05”",
        "từ 08:00 đến 10:00",
        "Địa điểm: Hội trường.",
        "Chủ trì: đồng chí Nông Thị Hương; Thư ký: đồng chí Hoàng Văn Thắng.",
        "Đảng viên có mặt: 2/4 đồng chí (50,0 %); vắng 2 đồng chí: ",
        "Lương Văn Tuấn (có lý do: Đi công tác)",
        "Phùng Thị Hoa (không có lý do)",
        "Đảng viên sinh hoạt tạm thời dự: đồng chí Đặng Thị Tuyết (Chi bộ khác).",
        "Quần chúng, khách mời: 3 người (Cán bộ công đoàn).",
        "Báo cáo viên: Ông Nguyễn Văn Bình, Ban Tuyên giáo Tỉnh ủy (ngoài chi bộ)",
        "Báo cáo viên trình bày những nội dung cơ bản của Chỉ thị 05.",
        "Ý kiến thảo luận: Đồng chí Hoàng Văn Thắng: Đề nghị mỗi tổ đăng ký một việc làm. "
        "Khách mời Lê Thị Khách: Công đoàn sẽ phối hợp.",
        "Kết luận Chi bộ thống nhất chương trình hành động.",
        "Biểu quyết: 2/2 đồng chí tán thành (100,0 %), 0 không tán thành, 0 không biểu quyết.",
        "Xếp loại: Khá",
        "Biên bản đã được đọc lại cho hội nghị nghe và được nhất trí thông qua; "
        "buổi sinh hoạt kết thúc lúc 10:00 cùng ngày.",
        "THƯ KÝ Hoàng Văn Thắng CHỦ TRÌ Nông Thị Hương",
    ]:
        assert expected in text, expected
    # An outside speaker is labelled as such, never as the preparer.
    assert "Người chuẩn bị" not in text
    assert "In biên bản" in response.text
    assert reverse("sessions:minutes_edit", args=[held.pk]) in response.text


def test_the_preparer_is_named_as_preparer(client, secretary, held):
    held.outside_speaker = ""
    held.preparer = secretary.member
    held.save()
    client.force_login(secretary)
    text = printed(client.get(reverse("sessions:minutes", args=[held.pk])))
    assert "Người chuẩn bị, trình bày: đồng chí Nông Thị Hương trình bày chuyên đề." in text
    assert "Báo cáo viên:" not in text


def test_no_vote_no_vote_line_and_nobody_absent_said_so(client, secretary, groups, now):
    session = make_session(start=at(2020, 4, 2, 8), presiding=secretary.member)
    record(session)
    client.force_login(secretary)
    text = printed(client.get(reverse("sessions:minutes", args=[session.pk])))
    assert "Đảng viên có mặt: 1/1 đồng chí (100,0 %); không có đồng chí nào vắng." in text
    assert "Biểu quyết" not in text
    assert "Không có quần chúng, khách mời." in text


def test_only_the_allowed_tags_are_in_the_printed_record(client, secretary, held):
    """Another engineer turns the record into .docx and PDF from a few tags."""
    client.force_login(secretary)
    page = client.get(reverse("sessions:minutes", args=[held.pk])).text
    body = page[page.index('<article class="printed-record') : page.index("</article>")]
    allowed = "article header footer div p h1 h2 h3 ol ul li table tr th td strong b em i br span"
    assert set(re.findall(r"<([a-z0-9]+)", body)) <= set(allowed.split(" "))


def test_leader_reads_the_minutes_and_a_member_does_not(client, leader, member, held):
    client.force_login(leader)
    response = client.get(reverse("sessions:minutes", args=[held.pk]))
    assert response.status_code == 200
    assert "Phùng Thị Hoa (không có lý do)" in printed(response)
    # Writing them is the secretary's.
    assert reverse("sessions:minutes_edit", args=[held.pk]) not in response.text
    client.force_login(member)
    response = client.get(reverse("sessions:minutes", args=[held.pk]))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.text


def test_a_session_not_held_has_no_minutes(client, secretary, groups, now):
    session = make_session(start=at(2020, 9, 1))
    client.force_login(secretary)
    assert client.get(reverse("sessions:minutes", args=[session.pk])).status_code == 404


# --- Group by group: one complete set of minutes per group ------------------------


@pytest.fixture
def by_group(groups, secretary, leader, member, other_member, now):
    second_leader = make_member(groups[1], "Trần Văn Long")
    session = make_session(
        start=at(2020, 5, 14, 14),
        minutes=90,
        topic="Học tập và làm theo Bác",
        scope="groups",
        preparer=leader.member,
        presiding=secretary.member,
        conclusion="Các tổ đã sinh hoạt đầy đủ.",
    )
    first = make_group_meeting(
        session,
        groups[0],
        at(2020, 5, 12, 14),
        minutes=90,
        location="Phòng họp Văn phòng",
        presiding=secretary.member,
        minute_taker=leader.member,
        content="Tổ 1 nghe đề dẫn về tác phong.",
        conclusion="Tổ 1 đăng ký ba việc làm.",
        votes_for=2,
        votes_against=0,
        votes_abstain=0,
    )
    second = make_group_meeting(
        session,
        groups[1],
        at(2020, 5, 13, 8),
        minutes=90,
        location="Phòng Ban Tổ chức",
        presiding=second_leader,
        minute_taker=other_member.member,
        conclusion="Tổ 2 đăng ký hai việc làm.",
    )
    record(session, {member.member: Attendance.Status.EXCUSED})
    Speech.objects.create(
        session=session, group_meeting=first, member=leader.member, content="Ý kiến của tổ 1."
    )
    Speech.objects.create(
        session=session, group_meeting=second, member=other_member.member, content="Ý kiến tổ 2."
    )
    return session


def test_a_session_held_group_by_group_prints_one_set_per_group(client, secretary, by_group):
    client.force_login(secretary)
    response = client.get(reverse("sessions:minutes", args=[by_group.pk]))
    assert response.status_code == 200
    page = response.text
    assert page.count('<div class="page-break"></div>') == 1
    first, second = printed(response).split("ĐẢNG CỘNG SẢN VIỆT NAM")[1:]
    assert page.count("BIÊN BẢN SINH HOẠT CHUYÊN ĐỀ") == 2
    assert page.count("THƯ KÝ") == page.count("CHỦ TRÌ") == 2
    for text, expected in [
        (
            first,
            [
                "ngày 12 tháng 05 năm 2020",
                "Tổ 1",
                "từ 14:00 đến 15:30",
                "Địa điểm: Phòng họp Văn phòng.",
                "Chủ trì: đồng chí Nông Thị Hương; Thư ký: đồng chí Hoàng Văn Thắng.",
                # Tổ 1: the secretary, the leader and the member, who was away.
                "Đảng viên có mặt: 2/3 đồng chí (66,7 %); vắng 1 đồng chí: "
                "Lương Văn Tuấn (có lý do: Đi công tác).",
                "Người chuẩn bị chuyên đề: đồng chí Hoàng Văn Thắng.",
                "Tổ 1 nghe đề dẫn về tác phong.",
                "Đồng chí Hoàng Văn Thắng: Ý kiến của tổ 1.",
                "Tổ 1 đăng ký ba việc làm.",
                "Biểu quyết: 2/2 đồng chí tán thành (100,0 %)",
                "kết thúc lúc 15:30 cùng ngày.",
                "THƯ KÝ Hoàng Văn Thắng CHỦ TRÌ Nông Thị Hương",
            ],
        ),
        (
            second,
            [
                "ngày 13 tháng 05 năm 2020",
                "Tổ 2",
                "từ 08:00 đến 09:30",
                "Địa điểm: Phòng Ban Tổ chức.",
                "Chủ trì: đồng chí Trần Văn Long; Thư ký: đồng chí Phùng Thị Hoa.",
                "Đảng viên có mặt: 2/2 đồng chí (100,0 %); không có đồng chí nào vắng.",
                "Đồng chí Phùng Thị Hoa: Ý kiến tổ 2.",
                "Tổ 2 đăng ký hai việc làm.",
                "THƯ KÝ Phùng Thị Hoa CHỦ TRÌ Trần Văn Long",
            ],
        ),
    ]:
        for line in expected:
            assert line in text, line
    # Each group's set names only its own members and speakers.
    assert "Lương Văn Tuấn" not in second
    assert "Ý kiến của tổ 1" not in second and "Ý kiến tổ 2" not in first
    assert "Biểu quyết" not in second


def test_the_minutes_page_reads_in_a_fixed_number_of_queries(
    client, secretary, by_group, groups, django_assert_max_num_queries
):
    client.force_login(secretary)
    url = reverse("sessions:minutes", args=[by_group.pk])
    client.get(url)
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    # Twice the members, speeches and groups: the same queries.
    for n in range(3, 6):
        group = groups[n % 2]
        extra = make_member(group, f"Đảng viên thêm {n}")
        Attendance.objects.create(session=by_group, member=extra, group=group)
        meeting = by_group.group_meetings.get(group=group)
        Speech.objects.create(
            session=by_group, group_meeting=meeting, member=extra, content=f"Ý kiến {n}"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert "Ý kiến 5" in response.text


# --- A contest: teams, scores, ranks, prizes and who presented them -----------------


def test_a_contest_prints_its_results_and_who_presented_the_prizes(
    client, secretary, groups, member, other_member, now
):
    session = make_session(start=at(2020, 1, 16, 14), format="contest", topic="Rung chuông vàng")
    record(session)
    ContestTeam.objects.create(
        session=session, group=groups[0], name="Đội Văn phòng", score=95, rank=1
    )
    ContestTeam.objects.create(
        session=session, group=groups[1], name="Đội Tổ chức", score=88, rank=2
    )
    Award.objects.create(session=session, prize="Giải Nhất", member=member.member, order=0)
    Award.objects.create(
        session=session, prize="Giải Khuyến khích", guest_name="Chị Nhung", order=1
    )
    session.prizes_presented_by = "đồng chí Bí thư chi bộ"
    session.save()
    client.force_login(secretary)
    text = printed(client.get(reverse("sessions:minutes", args=[session.pk])))
    for expected in [
        "Kết quả hội thi: Hạng Đội thi Tổ Đảng Điểm "
        "1 Đội Văn phòng Tổ 1 95,0 2 Đội Tổ chức Tổ 2 88,0",
        "Giải thưởng: Giải Nhất: đồng chí Lương Văn Tuấn. Giải Khuyến khích: khách mời Chị Nhung.",
        "Trao giải: đồng chí Bí thư chi bộ.",
    ]:
        assert expected in text, expected


# --- The demo's 2020: full minutes -----------------------------------------------------


def test_the_demos_2020_minutes_are_full(client, monkeypatch):
    load_demo_at(monkeypatch)
    sessions = ThematicSession.objects.of_cell(single_cell()).for_year(2020)
    client.force_login(User.objects.get(username="secretary"))
    by_group = sessions.get(scope="groups")
    response = client.get(reverse("sessions:minutes", args=[by_group.pk]))
    sets = printed(response).split("ĐẢNG CỘNG SẢN VIỆT NAM")[1:]
    assert len(sets) == 4
    for text in sets:
        assert "Ý kiến thảo luận: 1. Đồng chí" in text or "Ý kiến thảo luận: Đồng chí" in text
        assert "Thư ký: đồng chí" in text
    assert sum("Biểu quyết:" in text for text in sets) == 3
    for contest in sessions.filter(format="contest"):
        text = printed(client.get(reverse("sessions:minutes", args=[contest.pk])))
        assert "Trao giải: đồng chí Nông Thị Hương, Bí thư chi bộ" in text
        assert "Khách mời " in text
    votes = sessions.filter(scope="cell").exclude(votes_for=None)
    assert votes.count() == 4
