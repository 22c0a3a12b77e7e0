"""History pages: every change to members, sessions and attendance, with who and when.

Changes are made through the pages, as the secretary would, so that the
history rows carry the user the way they do in real use; bulk writes (the
attendance sheet, the member import, the group order) included.
"""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chibo.history import PAGE_ROWS
from members.models import Member, PartyGroup
from sessions.models import Attendance, ThematicSession
from tests.factories import at, make_member, make_plan, make_session
from tests.test_attendance_sheet import sheet

pytestmark = pytest.mark.django_db


# No frozen clock here: history is ordered by the moment of each change.


@pytest.fixture
def session(groups, secretary, member, other_member):
    return make_session(make_plan(2020), start=at(2020, 5, 19), topic="Học tập Chỉ thị 05")


def edit_member(client, member, **changes):
    data = {
        "full_name": member.full_name,
        "standing": member.standing,
        "position": member.position,
        "joined_party_on": "",
        "joined_cell_on": member.joined_cell_on.strftime("%d/%m/%Y"),
        "home_cell": "",
        "phone": member.phone,
        "email": member.email,
        "notes": member.notes,
        **changes,
    }
    response = client.post(reverse("members:edit", args=[member.pk]), data)
    assert response.status_code == 302, response.text[:2000]


def save_sheet(client, session, **statuses):
    session.refresh_from_db()
    response = client.post(
        reverse("sessions:attendance", args=[session.pk]),
        sheet(session, statuses=statuses, reasons=dict.fromkeys(statuses, "Ốm")),
    )
    assert response.status_code == 302, response.text[:2000]


def entries(response):
    return response.context["entries"]


def test_a_members_page_shows_who_changed_what_and_when(client, secretary, member):
    client.force_login(secretary)
    edit_member(client, member.member, phone="0912 345 678")
    response = client.get(reverse("history:member", args=[member.member.pk]))
    assert response.status_code == 200
    latest = entries(response)[0]
    assert (latest.who, latest.action_label, latest.subject) == (
        "Nông Thị Hương",
        "Sửa",
        "Lương Văn Tuấn",
    )
    assert latest.when == member.member.history.latest().history_date
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("số điện thoại", "—", "0912 345 678")
    ]
    assert f"{timezone.localtime(latest.when):%d/%m/%Y %H:%M}" in response.text
    assert "<del" in response.text and "0912 345 678" in response.text
    # The record's creation is kept too, by whoever made it (the test's setup: nobody).
    assert entries(response)[-1].action_label == "Thêm"
    assert entries(response)[-1].who == "hệ thống"


def test_a_members_page_lists_their_attendance_and_exemptions(client, secretary, member, session):
    client.force_login(secretary)
    save_sheet(client, session)
    save_sheet(client, session, **{"Lương Văn Tuấn": "excused"})
    response = client.post(
        reverse("members:exemption_create", args=[member.member.pk]),
        {"kind": "temporary", "starts_on": "01/07/2020", "ends_on": "", "reason": "Điều trị"},
    )
    assert response.status_code == 302
    found = [
        (e.kind, e.action_label, e.subject)
        for e in entries(client.get(reverse("history:member", args=[member.member.pk])))
    ]
    assert found[:3] == [
        ("miễn, tạm miễn sinh hoạt", "Thêm", "Lương Văn Tuấn — Tạm miễn sinh hoạt"),
        ("điểm danh", "Sửa", "Học tập Chỉ thị 05 (19/05/2020)"),
        ("điểm danh", "Thêm", "Học tập Chỉ thị 05 (19/05/2020)"),
    ]
    changed = entries(client.get(reverse("history:member", args=[member.member.pk])))[1]
    assert [(c.label, c.old, c.new) for c in changed.changes] == [
        ("điểm danh", "Có mặt", "Vắng có lý do"),
        ("lý do vắng", "—", "Ốm"),
    ]
    assert changed.who == "Nông Thị Hương"


def test_a_sessions_page_groups_each_save_of_the_sheet(client, secretary, session):
    client.force_login(secretary)
    save_sheet(client, session)
    save_sheet(client, session, **{"Phùng Thị Hoa": "excused"})
    response = client.get(reverse("history:session", args=[session.pk]))
    assert response.status_code == 200
    found = entries(response)
    sheets = [entry for entry in found if entry.kind == "điểm danh"]
    changed, first = sheets
    assert (changed.subject, changed.who) == ("Phùng Thị Hoa", "Nông Thị Hương")
    assert (first.subject, first.who) == ("3 dòng điểm danh", "Nông Thị Hương")
    assert sorted(line.subject for line in first.lines) == [
        "Lương Văn Tuấn",
        "Nông Thị Hương",
        "Phùng Thị Hoa",
    ]
    assert "Xem từng dòng" in response.text
    # The session itself: created, then marked held by the first save.
    held = next(e for e in found if e.kind == "kỳ sinh hoạt" and e.action == "~")
    assert ("trạng thái", "Theo kế hoạch", "Đã tổ chức") in [
        (c.label, c.old, c.new) for c in held.changes
    ]


def test_bulk_writes_keep_history_with_the_user(client, secretary, groups):
    """The member import and the group order are bulk writes: their rows name the user."""
    client.force_login(secretary)
    content = "Họ và tên,Tổ Đảng,Ngày về chi bộ\r\nBế Thị Mai,Tổ 1,05/11/2019\r\n".encode()
    preview = client.post(
        reverse("members:import"), {"file": SimpleUploadedFile("ds.csv", content)}
    )
    client.post(reverse("members:import_confirm"), {"token": preview.context["token"]})
    client.post(reverse("members:group_down", args=[groups[0].pk]))
    mai = Member.objects.get(full_name="Bế Thị Mai")
    assert [row.history_user for row in mai.history.all()] == [secretary]
    assert groups[0].history.order_by("-history_id").first().history_user == secretary
    page = client.get(reverse("history:cell"))
    subjects = [(e.subject, e.who) for e in entries(page)]
    assert ("Bế Thị Mai", "Nông Thị Hương") in subjects
    assert ("Tổ 1", "Nông Thị Hương") not in subjects  # only its order changed: not shown


def test_a_deleted_session_stays_in_the_cells_history(client, secretary, groups):
    session = make_session(make_plan(2020), start=at(2020, 9, 10), topic="Chuyển đổi số")
    client.force_login(secretary)
    assert client.post(reverse("sessions:delete", args=[session.pk])).status_code == 302
    latest = entries(client.get(reverse("history:cell")))[0]
    assert (latest.action_label, latest.subject, latest.who) == (
        "Xóa",
        "Chuyển đổi số",
        "Nông Thị Hương",
    )
    assert latest.url == reverse("history:session", args=[session.pk])


def test_a_regular_meeting_of_its_own_is_named_by_its_month(client, secretary, groups):
    """It has no topic: its entry and its link still say which meeting it is."""
    meeting = make_session(
        make_plan(2020), start=at(2020, 6, 8), topic="", thematic=False, regular=True
    )
    save_sheet(client_logged_in(client, secretary), meeting)
    response = client.get(reverse("history:cell"))
    subjects = {entry.subject for entry in entries(response)}
    assert "Sinh hoạt chi bộ định kỳ tháng 6/2020" in subjects
    link = f'<a href="{reverse("history:session", args=[meeting.pk])}">'
    assert f"{link}Sinh hoạt chi bộ định kỳ tháng 6/2020</a>" in response.text
    # The sheet's rows name the meeting and its day.
    assert "Sinh hoạt chi bộ định kỳ tháng 6/2020 (08/06/2020) — Nông Thị Hương" in subjects


def client_logged_in(client, user):
    client.force_login(user)
    return client


def test_the_cells_page_goes_back_page_by_page(client, secretary, groups):
    client.force_login(secretary)
    member = make_member(groups[0], "Vi Văn Tám")
    for n in range(PAGE_ROWS + 5):
        member.notes = f"Ghi chú {n}"
        member.save()
    first = client.get(reverse("history:cell"))
    assert len(entries(first)) == PAGE_ROWS
    cursor = first.context["cursor"]
    assert "Cũ hơn" in first.text
    older = client.get(reverse("history:cell"), {"before": cursor})
    assert "Mới nhất" in older.text
    seen = {e.when for e in entries(first)} & {e.when for e in entries(older)}
    assert seen == set()
    assert entries(older)[0].when < entries(first)[-1].when
    for bad in ("hôm qua", "0001-01-01T00:00:00+07:00", "2020-06-01T10:00", "9" * 50, "\x00"):
        response = client.get(reverse("history:cell"), {"before": bad})
        assert response.status_code == 200
        assert entries(response)[0].when == entries(first)[0].when


def test_leaders_read_history_members_do_not(client, leader, member, other_member, session):
    client.force_login(leader)
    for url in (
        reverse("history:cell"),
        reverse("history:member", args=[other_member.member.pk]),
        reverse("history:session", args=[session.pk]),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(member)
    assert client.get(reverse("history:cell")).status_code == 403
    assert client.get(reverse("history:session", args=[session.pk])).status_code == 403
    assert client.get(reverse("history:member", args=[other_member.member.pk])).status_code == 404
    own = client.get(reverse("history:member", args=[member.member.pk]))
    this_year = timezone.localdate().year
    assert own.url == reverse("sessions:member_record", args=[member.member.pk, this_year])


def test_links_to_the_history_pages(client, leader, secretary, member, session):
    client.force_login(leader)
    assert reverse("history:cell") in client.get(reverse("home")).text
    assert (
        reverse("history:session", args=[session.pk]) in client.get(session.get_absolute_url()).text
    )
    assert (
        reverse("history:member", args=[member.member.pk])
        in client.get(member.member.get_absolute_url()).text
    )
    client.force_login(member)
    page = client.get(session.get_absolute_url()).text
    assert reverse("history:session", args=[session.pk]) not in page
    assert reverse("history:cell") not in page


def grow(groups, session_count, member_count, start):
    """Members, sessions with a saved sheet each, and edits: history at some size."""
    secretary = User.objects.get(username="secretary")
    members = [make_member(groups[n % 2], f"Đảng viên {start} số {n}") for n in range(member_count)]
    sessions = []
    for n in range(session_count):
        session = make_session(make_plan(2020), start=at(2020, 1 + n, 10), topic=f"Chủ đề {n}")
        session.status = ThematicSession.Status.HELD
        session._history_user = secretary
        session.save()
        for row in Attendance.objects.bulk_create(
            [Attendance(session=session, member=m, group_id=m.group_id) for m in members]
        ):
            row.status = "unexcused"
            row._history_user = secretary
            row.save()
        sessions.append(session)
    for m in members:
        m.phone = "0900"
        m._history_user = secretary
        m.save()
    return members, sessions


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_history_pages_take_the_same_queries_at_any_size(client, secretary, groups):
    client.force_login(secretary)
    small_members, small_sessions = grow(groups, 2, 3, 2019)
    big_members, big_sessions = grow(groups, 6, 25, 2021)
    PartyGroup.objects.filter(pk=groups[1].pk).update(name="Tổ 2 – Tổ chức")
    for name, small, big in [
        ("history:member", small_members[0].pk, big_members[0].pk),
        ("history:session", small_sessions[0].pk, big_sessions[-1].pk),
    ]:
        counts = (
            count_queries(client, reverse(name, args=[small])),
            count_queries(client, reverse(name, args=[big])),
        )
        assert counts[0] == counts[1] <= 20, name
    cell = count_queries(client, reverse("history:cell"))
    make_member(groups[0], "Thêm một người")
    grow(groups, 3, 10, 2022)
    assert count_queries(client, reverse("history:cell")) == cell <= 30
