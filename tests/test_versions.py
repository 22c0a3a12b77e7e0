"""The data version that keys the cached parts of pages (members/versions.py).

Every kind of write gives the cell and its committee a new version in the
write's own transaction, and leaves other cells' versions alone; the leader's
summary, rendered once and then served from the cache, shows each write on
the very next request.
"""

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import services as member_services
from members.models import Member, Organisation, PartyGroup, single_cell
from members.versions import data_changed, one_renewal
from sessions import services
from sessions.models import Attendance, ThematicSession
from tests.factories import at, make_exemption, make_member, make_plan, make_session, record
from tests.images import image_bytes, upload

pytestmark = pytest.mark.django_db

U = Attendance.Status.UNEXCUSED


def version(organisation):
    return Organisation.objects.values_list("data_version", flat=True).get(pk=organisation.pk)


@pytest.fixture
def cell(groups):
    return single_cell()


@pytest.fixture
def sibling(cell):
    return Organisation.objects.create(
        name="Chi bộ Trường Tiểu học số 2", kind=Organisation.Kind.CELL, parent=cell.parent
    )


@pytest.fixture
def held(groups, member, other_member, now):
    session = make_session(make_plan(2020), start=at(2020, 3, 12), topic="Học tập Chỉ thị 05")
    record(session)
    return session


def renews(cell, sibling, write):
    """Whether ``write`` gave ``cell`` and its committee a new version, and not ``sibling``."""
    before = (version(cell), version(cell.parent), version(sibling))
    write()
    after = (version(cell), version(cell.parent), version(sibling))
    return after[0] != before[0] and after[1] != before[1] and after[2] == before[2]


def edit_session(d):
    session = ThematicSession.objects.get(pk=d["held"].pk)
    session.location = "Hội trường tầng 3"
    session.save()


def rename_group(d):
    group = PartyGroup.objects.get(pk=d["groups"][0].pk)
    group.name = "Tổ Đảng Văn phòng"
    group.save()


def edit_profile(d):
    cell = single_cell()
    cell.place_name = "Lạng Sơn"
    cell.save()


WRITES = {
    "a sheet saved": lambda d: record(d["held"], {d["member"]: U}),
    "a session edited": edit_session,
    "a session postponed": lambda d: services.postpone_session(
        session=d["planned"], start=None, end=None, reason="Trùng lịch"
    ),
    "a session cancelled": lambda d: services.cancel_session(
        session=d["planned"], reason="Trùng lịch"
    ),
    "a session deleted": lambda d: d["planned"].delete(),
    "an exemption": lambda d: make_exemption(d["member"], dt.date(2020, 4, 1)),
    "a member leaves": lambda d: member_services.mark_member_left(
        member=d["member"], day=dt.date(2020, 5, 2), reason=Member.LeaveReason.TRANSFER
    ),
    "a member moves group": lambda d: member_services.move_member(
        member=d["member"], group=d["groups"][1]
    ),
    "a member added": lambda d: make_member(d["groups"][0], name="Hoàng Văn Sơn"),
    "a group renamed": rename_group,
    "the groups reordered": lambda d: member_services.move_group(group=d["groups"][1], step=-1),
    "the cell's profile saved": edit_profile,
}


@pytest.mark.parametrize("kind", WRITES)
def test_every_kind_of_write_renews_its_cell_s_version(
    kind, cell, sibling, held, groups, member, now
):
    planned = make_session(make_plan(2020), start=at(2020, 9, 10), topic="Chuyển đổi số")
    data = {"held": held, "planned": planned, "member": member.members.get(), "groups": groups}
    assert renews(cell, sibling, lambda: WRITES[kind](data))


def test_a_write_that_rolls_back_leaves_the_version(cell, sibling, held):
    before = version(cell)
    with pytest.raises(RuntimeError), transaction.atomic():
        data_changed(cell.pk)
        raise RuntimeError
    assert version(cell) == before


def test_saving_a_cell_read_earlier_keeps_the_newer_version(cell, held):
    """A profile form saves the row it read: never with the version it read then."""
    read_before = single_cell()
    data_changed(cell.pk)
    newer = version(cell)
    read_before.name = "Chi bộ Sở Tư pháp"
    read_before.save()
    assert version(cell) not in (newer, read_before.data_version)
    assert Organisation.objects.get(pk=cell.pk).name == "Chi bộ Sở Tư pháp"


# --- The summary, served from the cache ---------------------------------------------


def summary(client):
    return client.get(reverse("sessions:summary", args=[2020])).text


def test_the_summary_is_rendered_once_for_each_version(client, leader, held, now):
    client.force_login(leader)
    with CaptureQueriesContext(connection) as first:
        summary(client)
    with CaptureQueriesContext(connection) as second:
        page = summary(client)
    assert "Học tập Chỉ thị 05" in page
    # The second request reads the session, the user and the cell, not the year.
    assert len(second) < len(first) - 5
    assert not any("thematic_attendance" in q["sql"] for q in second.captured_queries)


def test_the_next_summary_shows_every_kind_of_write(
    client, leader, secretary, held, member, groups, now
):
    client.force_login(leader)
    assert "93,8" not in summary(client)
    own = member.members.get()

    record(held, {own: U})  # the sheet: one unexcused absence
    page = summary(client)
    assert 'data-label="Vắng không có lý do">1<' in page.replace("\n", "")

    renamed = Member.objects.get(pk=own.pk)
    renamed.full_name = "Lục Văn Hải"
    renamed.save()
    assert "Lục Văn Hải" in summary(client)

    group = PartyGroup.objects.get(pk=groups[0].pk)
    group.name = "Tổ Đảng Văn phòng"
    group.save()
    assert "Tổ Đảng Văn phòng" in summary(client)

    planned = make_session(make_plan(2020), start=at(2020, 11, 5), topic="Chuyển đổi số")
    assert "Chuyển đổi số" not in summary(client)  # planned: not in the year's sessions
    services.cancel_session(session=planned, reason="Trùng lịch")
    assert re.search(r'data-label="Hủy">1<', summary(client))

    member_services.mark_member_left(
        member=renamed, day=dt.date(2020, 6, 1), reason=Member.LeaveReason.TRANSFER
    )
    assert "01/06/2020" in summary(client)


def test_another_cell_s_write_leaves_the_summary_cached(client, leader, held, sibling, now):
    client.force_login(leader)
    summary(client)
    make_member(PartyGroup.objects.create(name="Tổ Kim Đồng", cell=sibling), name="Bế Thị Mai")
    with CaptureQueriesContext(connection) as after:
        summary(client)
    assert not any("thematic_attendance" in q["sql"] for q in after.captured_queries)


def test_photos_renew_the_version_when_one_is_uploaded(client, secretary, held, cell, sibling):
    client.force_login(secretary)
    before = version(cell)
    response = client.post(
        reverse("sessions:photos", args=[held.pk]),
        {"images": [upload("hoi-truong.jpg", image_bytes())], "caption": ""},
    )
    assert response.status_code == 302
    assert version(cell) != before


def test_the_next_annual_report_shows_what_the_secretary_typed(client, secretary, held, now):
    client.force_login(secretary)
    report = reverse("sessions:annual_report", args=[2020])
    assert "Chi bộ duy trì nền nếp" not in client.get(report).text
    sections = {"strengths": "Chi bộ duy trì nền nếp sinh hoạt.", "weaknesses": ""}
    sections |= {"causes": "", "direction": ""}
    assert client.post(reverse("sessions:report_text", args=[2020]), sections).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        page = client.get(report).text
    assert "Chi bộ duy trì nền nếp sinh hoạt." in page
    assert any("thematic_attendance" in q["sql"] for q in queries.captured_queries)


def test_a_part_drawn_against_other_rules_is_another_part(client, leader, held, settings, now):
    client.force_login(leader)
    assert "vắng quá 3 kỳ liên tiếp" in summary(client)
    settings.CHIBO_MAX_ABSENCES_IN_A_ROW = 5
    assert "vắng quá 5 kỳ liên tiếp" in summary(client)


def test_the_leader_s_next_home_shows_a_sheet_saved(client, leader, held, member, now):
    client.force_login(leader)
    home = main(client.get(reverse("home")).text)
    assert "Học tập Chỉ thị 05" in home
    with CaptureQueriesContext(connection) as cached:
        assert main(client.get(reverse("home")).text) == home
    assert not any("thematic_attendance" in q["sql"] for q in cached.captured_queries)
    record(held, {member.members.get(): U})
    assert main(client.get(reverse("home")).text) != home


def main(page):
    """The page's own content, without the layout (whose forms carry a fresh token)."""
    return re.search(r"<main.*</main>", page, re.S)[0]


# --- The homes that list what is still to come ---------------------------------


def test_the_member_s_home_is_cached_for_each_login(
    client, member, other_member, held, monkeypatch, now
):
    client.force_login(member)
    home = main(client.get(reverse("home")).text)
    assert "Chào đồng chí Lương Văn Tuấn" in home
    with CaptureQueriesContext(connection) as cached:
        assert main(client.get(reverse("home")).text) == home
    assert not any("thematic_attendance" in q["sql"] for q in cached.captured_queries)

    client.force_login(other_member)
    other = main(client.get(reverse("home")).text)
    assert "Chào đồng chí Phùng Thị Hoa" in other
    assert "Lương Văn Tuấn" not in other


def test_the_member_s_next_home_shows_a_sheet_saved(client, member, held, now):
    client.force_login(member)
    assert "vắng không có lý do 0" in " ".join(client.get(reverse("home")).text.split())
    record(held, {member.members.get(): U})
    assert "vắng không có lý do 1" in " ".join(client.get(reverse("home")).text.split())


def test_the_member_s_home_drops_a_meeting_once_it_is_over(client, member, monkeypatch, now):
    """Nothing is written when a meeting ends: the part knows when it stops being right."""
    make_session(make_plan(2020), start=at(2020, 6, 1, 8), minutes=130, topic="Học tập Chỉ thị 05")
    make_session(make_plan(2020), start=at(2020, 6, 10, 8), topic="Chuyển đổi số")
    client.force_login(member)
    home = client.get(reverse("home")).text
    assert "Học tập Chỉ thị 05" in home and "Chuyển đổi số" in home

    monkeypatch.setattr(timezone, "now", lambda: at(2020, 6, 1, 10, 30))
    home = client.get(reverse("home")).text
    assert "Học tập Chỉ thị 05" not in home
    assert "Chuyển đổi số" in home


def test_the_secretary_s_home_asks_for_a_meeting_once_it_is_over(
    client, secretary, monkeypatch, now
):
    make_session(make_plan(2020), start=at(2020, 6, 1, 8), minutes=130, topic="Học tập Chỉ thị 05")
    client.force_login(secretary)
    to_record = reverse("home")
    assert "Các kỳ đã qua đều đã được ghi nhận." in client.get(to_record).text

    monkeypatch.setattr(timezone, "now", lambda: at(2020, 6, 1, 10, 30))
    home = client.get(to_record).text
    assert "Các kỳ đã qua đều đã được ghi nhận." not in home
    assert "Đã qua ngày, chưa ghi kết quả" in home


def test_the_secretary_s_next_home_shows_a_sheet_saved(client, secretary, held, now):
    client.force_login(secretary)
    first = main(client.get(reverse("home")).text)
    with CaptureQueriesContext(connection) as cached:
        assert main(client.get(reverse("home")).text) == first
    assert not any("thematic_sessionfigures" in q["sql"] for q in cached.captured_queries)
    services.cancel_session(
        session=make_session(make_plan(2020), start=at(2020, 9, 3)), reason="Trùng lịch"
    )
    assert main(client.get(reverse("home")).text) != first


def test_a_cell_moved_to_another_committee_renews_both_committees(cell):
    old = cell.parent
    new = Organisation.objects.create(
        name="Đảng bộ Khối doanh nghiệp", kind=Organisation.Kind.COMMITTEE
    )
    before = (version(old), version(new))
    moved = Organisation.objects.get(pk=cell.pk)
    moved.parent = new
    moved.save()
    assert version(old) != before[0]
    assert version(new) != before[1]


def test_the_calendar_feed_is_made_once_for_each_version(client, member, now):
    session = make_session(make_plan(2020), start=at(2020, 6, 10, 8), topic="Chuyển đổi số")
    feed = reverse("sessions:calendar_feed", args=[member.members.get().calendar_token])
    assert "Chuyển đổi số" in client.get(feed).content.decode()
    with CaptureQueriesContext(connection) as cached:
        client.get(feed)
    assert not any("thematic_thematicsession" in q["sql"] for q in cached.captured_queries)
    services.cancel_session(session=session, reason="Trùng lịch")
    assert "STATUS:CANCELLED" in client.get(feed).content.decode()


def test_the_next_member_list_shows_a_member_added_and_a_login_closed(
    client, secretary, member, groups, now
):
    client.force_login(secretary)
    members = reverse("members:list")
    first = client.get(members).text
    assert "Hoàng Văn Sơn" not in first
    make_member(groups[0], name="Hoàng Văn Sơn")
    assert "Hoàng Văn Sơn" in client.get(members).text
    accounts = client.get(members).text.count("có tài khoản")
    user = member.members.get().user
    member_services.take_login_away(member=member.members.get(), by=secretary)
    assert not type(user).objects.get(pk=user.pk).is_active
    assert client.get(members).text.count("có tài khoản") == accounts - 1


def test_the_next_plan_page_shows_a_meeting_added_and_one_postponed(client, secretary, now):
    plan = make_plan(2020)
    client.force_login(secretary)
    page = reverse("sessions:plan", args=[2020])
    assert "Chuyển đổi số" not in client.get(page).text
    session = make_session(plan, start=at(2020, 9, 3), topic="Chuyển đổi số")
    before = client.get(page).text
    assert "Chuyển đổi số" in before
    services.postpone_session(session=session, start=None, end=None, reason="Trùng lịch")
    assert client.get(page).text.lower().count("hoãn") > before.lower().count("hoãn")


def test_the_member_page_is_kept_apart_for_each_set_of_permissions(
    client, secretary, leader, member, now
):
    own = member.members.get()
    page = reverse("members:detail", args=[own.pk])
    client.force_login(leader)
    assert '<dt class="col-sm-3">Tài khoản</dt>' not in client.get(page).text
    client.force_login(secretary)
    assert '<dt class="col-sm-3">Tài khoản</dt>' in client.get(page).text
    client.force_login(leader)
    assert '<dt class="col-sm-3">Tài khoản</dt>' not in client.get(page).text
    make_exemption(own, dt.date(2020, 4, 1))
    assert "01/04/2020" in client.get(page).text


def test_a_loader_renews_each_version_once_at_the_end_of_its_block(cell, sibling, groups):

    before = (version(cell), version(cell.parent), version(sibling))
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), one_renewal():
        for n in range(5):
            make_member(groups[0], name=f"Đảng viên {n}")
        rename_group({"groups": groups})
        assert version(cell) == before[0]  # not yet: once, at the end
    renewals = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len([q for q in renewals if "data_version" in q["sql"]]) == 1
    assert version(cell) != before[0] and version(cell.parent) != before[1]
    assert version(sibling) == before[2]


def test_the_next_session_page_shows_a_postponement_and_a_conclusion(
    client, secretary, member, now
):
    session = make_session(make_plan(2020), start=at(2020, 9, 3), topic="Chuyển đổi số")
    page = reverse("sessions:detail", args=[session.pk])
    client.force_login(member)
    assert "Các lần hoãn" not in client.get(page).text
    services.postpone_session(session=session, start=None, end=None, reason="Trùng lịch họp")
    assert "Trùng lịch họp" in client.get(page).text.split("Các lần hoãn", 1)[1]
    client.force_login(secretary)  # another role: the same part, and what was saved since
    ThematicSession.objects.filter(pk=session.pk).update(conclusion="Giao các tổ triển khai.")
    data_changed(session.plan.cell_id)  # an update() sends no signal
    assert "Giao các tổ triển khai." in client.get(page).text
