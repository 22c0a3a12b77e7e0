"""The attendance sheet: every expected member on one page, saved in one submit."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.lib.text import vietnamese_sort_key
from members.models import Member
from sessions.models import Attendance, ThematicSession
from tests.factories import at, make_exemption, make_member, make_session, record

pytestmark = pytest.mark.django_db

P, E, U = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED


@pytest.fixture
def cell(groups, secretary, member, other_member):
    """Two groups: secretary and Tuấn in Tổ 1, Hoa in Tổ 2, plus people not expected."""
    make_member(groups[1], "Lâm Văn Cường")
    make_member(
        groups[0], "Lộc Văn Bình", left_cell_on=dt.date(2020, 3, 15), left_reason="transfer"
    )
    make_member(groups[1], "Đàm Thị Huệ", joined=dt.date(2020, 9, 1))
    exempt = make_member(groups[1], "Nguyễn Văn Hải")
    make_exemption(exempt, dt.date(2020, 5, 1))
    make_member(None, "Đặng Thị Tuyết", temporary=True, home_cell="Chi bộ Trường Chính trị")
    return groups


@pytest.fixture
def session(cell, now):
    return make_session(start=at(2020, 5, 19), topic="Học tập Chỉ thị 05")


def url(session):
    return reverse("sessions:attendance", args=[session.pk])


def sheet(session, statuses=None, reasons=None, version=None, temporary=(), **extra):
    """POST data for the sheet: present for everyone unless ``statuses`` says otherwise."""
    statuses, reasons = statuses or {}, reasons or {}
    data = {
        "version": session.attendance_version if version is None else version,
        "guest_count": 0,
        "guest_names": "",
        "conclusion": "",
        "minutes": "",
        "temporary": [str(member.pk) for member in temporary],
    }
    for member in session.expected_members():
        data[f"status_{member.pk}"] = statuses.get(member.full_name, P)
        data[f"reason_{member.pk}"] = reasons.get(member.full_name, "")
    data.update(extra)
    return data


def saved(session):
    return {
        row.member.full_name: (row.status, row.reason, row.temporary)
        for row in Attendance.objects.filter(session=session).select_related("member")
    }


def test_sheet_lists_every_expected_member_by_group_present_by_default(client, secretary, session):
    client.force_login(secretary)
    response = client.get(url(session))
    assert response.status_code == 200
    form = response.context["form"]
    groups = [
        (str(group), [row.member.full_name for row, _status, _reason in rows])
        for group, rows in form.groups()
    ]
    assert groups == [
        ("Tổ 1", ["Nông Thị Hương", "Lương Văn Tuấn"]),
        ("Tổ 2", ["Lâm Văn Cường", "Phùng Thị Hoa"]),
    ]
    assert all(form[f"status_{row.member.pk}"].value() == P for row in form.roster)
    # Left, not yet joined, exempt: not on the sheet. Temporary: listed apart.
    for name in ("Lộc Văn Bình", "Đàm Thị Huệ", "Nguyễn Văn Hải"):
        assert name not in response.text
    assert "Đặng Thị Tuyết" in response.text
    assert "Ngoài danh sách phải dự" in response.text


def test_saving_records_attendance_and_the_result_in_one_submit(client, secretary, session):
    client.force_login(secretary)
    tuyet = Member.objects.get(full_name="Đặng Thị Tuyết")
    data = sheet(
        session,
        statuses={"Lương Văn Tuấn": E, "Phùng Thị Hoa": U},
        reasons={"Lương Văn Tuấn": "Đi công tác Hà Nội"},
        temporary=[tuyet],
        guest_count=3,
        guest_names="Cán bộ công đoàn cơ quan",
        conclusion="Chi bộ thống nhất chương trình hành động.",
        minutes="Đồng chí Hương chủ trì; 2 ý kiến tham luận.",
    )
    response = client.post(url(session), data)
    assert response.status_code == 302
    assert saved(session) == {
        "Nông Thị Hương": (P, "", False),
        "Lương Văn Tuấn": (E, "Đi công tác Hà Nội", False),
        "Phùng Thị Hoa": (U, "", False),
        "Lâm Văn Cường": (P, "", False),
        "Đặng Thị Tuyết": (P, "", True),
    }
    session.refresh_from_db()
    assert session.status == ThematicSession.Status.HELD
    assert (session.guest_count, session.guest_names) == (3, "Cán bộ công đoàn cơ quan")
    assert session.conclusion.startswith("Chi bộ thống nhất")
    assert session.minutes.startswith("Đồng chí Hương")
    assert session.attendance_version == 1
    figures = session.attendance_figures()
    assert (figures.expected, figures.present, figures.excused, figures.unexcused) == (4, 2, 1, 1)
    # The group on the row is the member's group when the sheet was saved.
    row = Attendance.objects.get(session=session, member__full_name="Phùng Thị Hoa")
    assert row.group.name == "Tổ 2"
    assert row.history.count() == 1

    page = client.get(session.get_absolute_url())
    assert "2/4" in page.text
    assert "Đi công tác Hà Nội" in page.text


def test_excused_absence_needs_a_reason_and_nothing_is_saved(client, secretary, session):
    client.force_login(secretary)
    response = client.post(
        url(session), sheet(session, statuses={"Lương Văn Tuấn": E}, conclusion="Kết luận")
    )
    assert response.status_code == 200
    assert "Vắng có lý do thì cần ghi lý do." in response.text
    assert "Bảng điểm danh chưa được lưu" in response.text
    assert Attendance.objects.count() == 0
    session.refresh_from_db()
    assert (session.status, session.conclusion, session.attendance_version) == ("planned", "", 0)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("guest_count", "-2", "Giá trị phải lớn hơn hoặc bằng 0."),
        ("guest_count", "10001", "Số quần chúng, khách mời tối đa là 10000."),
        # An OverflowError on SQLite once; PostgreSQL's column ends at 2,147,483,647.
        ("guest_count", "99999999999999999999", "Số quần chúng, khách mời tối đa là 10000."),
    ],
)
def test_bad_result_fields_are_refused(client, secretary, session, field, value, message):
    client.force_login(secretary)
    response = client.post(url(session), sheet(session, **{field: value}))
    assert response.status_code == 200
    assert message in response.text
    assert Attendance.objects.count() == 0


def test_the_guest_count_is_bounded_in_the_model_too(session):
    session.guest_count = 10_001
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert error.value.message_dict["guest_count"] == ["Số quần chúng, khách mời tối đa là 10000."]


def test_reopening_shows_what_was_saved(client, secretary, session):
    client.force_login(secretary)
    client.post(
        url(session),
        sheet(session, statuses={"Lương Văn Tuấn": E}, reasons={"Lương Văn Tuấn": "Nghỉ ốm"}),
    )
    form = client.get(url(session)).context["form"]
    tuan = Member.objects.get(full_name="Lương Văn Tuấn")
    assert form[f"status_{tuan.pk}"].value() == E
    assert form[f"reason_{tuan.pk}"].value() == "Nghỉ ốm"
    assert form["version"].value() == 1


def as_shown(response):
    """The sheet's POST data as the page shows it: saving again without a change."""
    form = response.context["form"]
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


def test_a_saved_sheet_shows_exactly_its_rows_and_the_missing_apart(
    client, secretary, groups, session
):
    """A member added later with an earlier date is shown apart, not counted, not saved."""
    client.force_login(secretary)
    client.post(url(session), sheet(session, statuses={"Phùng Thị Hoa": U}))
    before = saved(session)
    opened = queries_to_open(client, session)
    late = make_member(groups[1], "Vi Văn Nam", joined=dt.date(2019, 1, 1))
    assert late in session.expected_members()

    response = client.get(url(session))
    form = response.context["form"]
    assert [row.member.full_name for row in form.roster] == [
        "Nông Thị Hương",
        "Lương Văn Tuấn",
        "Lâm Văn Cường",
        "Phùng Thị Hoa",
    ]
    assert [row.member for row in form.missing] == [late]
    assert form[f"status_{late.pk}"].value() == ""
    assert '<strong data-count="all">4</strong>' in response.text
    heading = response.text.index("Đảng viên chưa có trong bảng điểm danh đã lưu")
    assert heading < response.text.index("Vi Văn Nam")
    assert "Họ không được tính và không được lưu" in response.text
    checked = re.search(rf'<input[^>]*name="status_{late.pk}"[^>]*checked[^>]*>', response.text)
    assert 'value=""' in checked[0]
    assert "— chưa ghi —" in response.text
    assert queries_to_open(client, session) == opened

    # Saved again as shown: the same rows, the same figures.
    assert client.post(url(session), as_shown(response)).status_code == 302
    assert saved(session) == before
    figures = session.attendance_figures()
    assert (figures.present, figures.expected) == (3, 4)

    # Only a status chosen for him puts him on the sheet.
    session.refresh_from_db()
    data = as_shown(client.get(url(session)))
    data[f"status_{late.pk}"] = E
    response = client.post(url(session), data)
    assert "Vắng có lý do thì cần ghi lý do." in response.text
    data[f"reason_{late.pk}"] = "Chưa nhận quyết định"
    assert client.post(url(session), data).status_code == 302
    assert saved(session) == {**before, "Vi Văn Nam": (E, "Chưa nhận quyết định", False)}
    assert Attendance.objects.get(session=session, member=late).group == groups[1]
    assert client.get(url(session)).context["form"].missing == []


def test_rows_written_before_the_sheet_existed_are_its_snapshot(client, secretary, session):
    """Rows saved without the sheet (an import, say) count as saved: no one is added to them."""
    record(session)
    late = make_member(None, "Vi Văn Nam", joined=dt.date(2019, 1, 1))
    client.force_login(secretary)
    form = client.get(url(session)).context["form"]
    assert len(form.roster) == 4
    assert [row.member for row in form.missing] == [late]


def test_the_sheet_always_offers_to_add_a_member_attending_temporarily(
    client, secretary, groups, now
):
    session = make_session(start=at(2020, 5, 19))
    client.force_login(secretary)
    response = client.get(url(session))
    assert response.context["form"].fields["temporary"].choices == []
    assert "Đảng viên sinh hoạt tạm thời có mặt" in response.text
    assert "chưa có đồng chí nào trong danh sách." in response.text
    assert "đánh dấu “Sinh hoạt tạm thời”" in response.text
    assert "không sau 19/05/2020" in response.text
    add = reverse("members:create") + "?temporary=1"
    assert re.search(
        rf'<a href="{re.escape(add)}"[^>]*>Thêm đảng viên sinh hoạt tạm thời</a>', response.text
    )
    # The link opens the member form with "attending temporarily" already ticked.
    form = client.get(add).context["form"]
    assert form["temporary"].value() is True


def test_saving_again_updates_and_never_duplicates(client, secretary, session):
    client.force_login(secretary)
    tuyet = Member.objects.get(full_name="Đặng Thị Tuyết")
    client.post(url(session), sheet(session, temporary=[tuyet]))
    session.refresh_from_db()
    client.post(
        url(session),
        sheet(session, statuses={"Lâm Văn Cường": U}, reasons={"Lâm Văn Cường": "bỏ đi"}),
    )
    assert Attendance.objects.filter(session=session).count() == 4  # Tuyết unticked
    assert saved(session)["Lâm Văn Cường"] == (U, "bỏ đi", False)
    session.refresh_from_db()
    assert session.attendance_version == 2


def test_reason_of_a_present_member_is_dropped(client, secretary, session):
    client.force_login(secretary)
    client.post(url(session), sheet(session, reasons={"Lâm Văn Cường": "ghi nhầm"}))
    assert saved(session)["Lâm Văn Cường"] == (P, "", False)


def test_a_stale_sheet_does_not_overwrite_the_first_save(client, secretary, session):
    """Two people open the sheet; the second to save is told, and the first save stays."""
    client.force_login(secretary)
    first = sheet(session, statuses={"Phùng Thị Hoa": U})
    second = sheet(
        session, statuses={"Phùng Thị Hoa": E}, reasons={"Phùng Thị Hoa": "Đi học"}, minutes="B"
    )
    assert client.post(url(session), first).status_code == 302
    response = client.post(url(session), second)
    assert response.status_code == 409
    assert "Bảng điểm danh chưa được lưu." in response.text
    assert "một người khác đã lưu bảng điểm danh này" in response.text
    assert saved(session)["Phùng Thị Hoa"] == (U, "", False)
    session.refresh_from_db()
    assert (session.minutes, session.attendance_version) == ("", 1)
    # The page shows the data now saved, with the new version to save against.
    form = response.context["form"]
    hoa = Member.objects.get(full_name="Phùng Thị Hoa")
    assert form[f"status_{hoa.pk}"].value() == U
    assert form["version"].value() == 1


def test_a_future_session_has_no_sheet_yet(client, secretary, cell, now):
    session = make_session(start=at(2020, 9, 10))
    client.force_login(secretary)
    response = client.get(url(session), follow=True)
    assert "Kỳ sinh hoạt chưa diễn ra" in response.text
    response = client.post(url(session), sheet(session))
    assert Attendance.objects.count() == 0


def test_a_cancelled_session_has_no_sheet(client, secretary, cell, now):
    session = make_session(start=at(2020, 4, 10), status="cancelled")
    client.force_login(secretary)
    response = client.post(url(session), sheet(session), follow=True)
    assert "Kỳ sinh hoạt đã bị hủy" in response.text
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize("role", ["member", "leader"])
def test_only_the_secretary_takes_attendance(client, request, session, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(session)).status_code == 403
    response = client.post(url(session), sheet(session))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.text
    assert Attendance.objects.count() == 0
    version, status = session.attendance_version, session.status
    session.refresh_from_db()
    assert (session.attendance_version, session.status) == (version, status)


# --- A constant number of queries -------------------------------------------------


def add_members(group, count, joined):
    members = [
        Member(
            cell=group.cell,
            full_name=f"Đảng viên {joined.year} số {n}",
            sort_name=vietnamese_sort_key(f"Đảng viên số {n}"),
            group=group,
            joined_cell_on=joined,
        )
        for n in range(count)
    ]
    Member.objects.bulk_create(members)


def queries_to_save(client, session, temporary=(), **statuses):
    data = sheet(session, statuses=statuses, temporary=temporary)
    with CaptureQueriesContext(connection) as context:
        response = client.post(url(session), data)
    assert response.status_code == 302, response.content[:2000]
    session.refresh_from_db()
    return len(context.captured_queries)


def queries_to_open(client, session):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url(session)).status_code == 200
    return len(context.captured_queries)


def test_saving_takes_the_same_queries_for_30_and_300_members(client, secretary, groups, now):
    """First save, re-save with changes, and opening the sheet: same count at both sizes."""
    client.force_login(secretary)
    add_members(groups[0], 29, dt.date(2015, 1, 1))  # with the secretary: 30
    small = make_session(start=at(2020, 3, 10))
    add_members(groups[1], 270, dt.date(2020, 4, 1))
    large = make_session(start=at(2020, 5, 19))
    assert small.expected_members().count() == 30
    assert large.expected_members().count() == 300

    first = queries_to_save(client, small), queries_to_save(client, large)
    again = (
        queries_to_save(client, small, **{"Đảng viên 2015 số 3": U}),
        queries_to_save(client, large, **{"Đảng viên 2015 số 3": U}),
    )
    opened = queries_to_open(client, small), queries_to_open(client, large)
    # 17 before the figures were kept; 5 more write them (sessions.figures):
    # the meeting's counts, its row, its members' rows read, counted, written;
    # 1 more gives the cell and its committee a new data version (members.versions).
    assert first[0] == first[1] <= 23
    assert again[0] == again[1] <= 23
    assert opened[0] == opened[1] <= 12
    assert Attendance.objects.filter(session=large).count() == 300


def test_a_member_attending_temporarily_costs_no_query_more(client, secretary, session):
    """The first save of a sheet: with or without a member from another cell, the same queries."""
    client.force_login(secretary)
    visitor = make_member(None, "Đặng Thị Tuyết", temporary=True, home_cell="Chi bộ khác")
    other = make_session(start=at(2020, 5, 12))
    without = queries_to_save(client, session)
    with_visitor = queries_to_save(client, other, temporary=[visitor])
    assert not Attendance.objects.filter(session=session, member=visitor).exists()
    assert Attendance.objects.get(session=other, member=visitor).temporary
    assert without == with_visitor


def test_the_factory_writes_the_rows_the_page_writes(client, secretary, session):
    """tests/factories.record, used by many modules, saves what the page saves."""
    tuyet = Member.objects.get(full_name="Đặng Thị Tuyết")
    tuan, hoa = (Member.objects.get(full_name=name) for name in ("Lương Văn Tuấn", "Phùng Thị Hoa"))
    twin = make_session(start=session.start, topic="Học tập Chỉ thị 05 (bản sao)")
    client.force_login(secretary)
    response = client.post(
        url(session),
        sheet(
            session,
            statuses={tuan.full_name: E, hoa.full_name: U},
            reasons={tuan.full_name: "Đi công tác"},
            temporary=[tuyet],
        ),
    )
    assert response.status_code == 302
    record(twin, {tuan: E, hoa: U}, temporary=[tuyet])
    session.refresh_from_db()
    twin.refresh_from_db()
    assert saved(twin) == saved(session)
    assert len(saved(session)) == 5
    assert (twin.status, twin.attendance_version) == (session.status, session.attendance_version)
    assert [row.history.count() for row in Attendance.objects.filter(session=twin)] == [1] * 5
