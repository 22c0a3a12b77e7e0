"""The secretary writes the minutes of a held session (sessions:minutes_edit)."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from members.models import Member
from sessions import services
from sessions.models import Attendance, Speech, ThematicSession
from tests.builders import SIBLING_MARK, sibling_cell
from tests.factories import at, make_group_meeting, make_member, make_session, record

pytestmark = pytest.mark.django_db


def url(session):
    return reverse("sessions:minutes_edit", args=[session.pk])


def speeches(prefix, rows, initial=0):
    """A speech formset's fields: ``rows`` are (member or "", guest name, content, extra)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "200",
    }
    for index, (member, name, content, *extra) in enumerate(rows):
        data[f"{prefix}-{index}-member"] = member.pk if member else ""
        data[f"{prefix}-{index}-speaker_name"] = name
        data[f"{prefix}-{index}-content"] = content
        for key, value in (extra[0] if extra else {}).items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.fixture
def held(groups, secretary, leader, member, other_member, now):
    """A whole-cell session: four expected, three present (the member was away)."""
    session = make_session(start=at(2020, 5, 19, 8), presiding=secretary.member)
    record(session, {member.member: Attendance.Status.EXCUSED})
    session.refresh_from_db()
    return session


def form(session, **changes):
    return {
        "version": session.attendance_version,
        "minutes": "Đồng chí Hương trình bày đề dẫn.",
        "conclusion": "Chi bộ thống nhất chương trình hành động.",
        "votes_for": "3",
        "votes_against": "",
        "votes_abstain": "",
        **changes,
    }


def test_the_secretary_writes_the_whole_minutes_in_one_submit(client, secretary, leader, held):
    client.force_login(secretary)
    page = client.get(url(held))
    assert page.status_code == 200
    assert "Thêm người phát biểu" in page.text
    data = form(held) | speeches(
        "speeches",
        [
            (leader.member, "", "Đề nghị mỗi tổ đăng ký một việc làm."),
            ("", "Bà Lê Thị Khách", "Công đoàn sẽ phối hợp."),
            ("", "", ""),  # a spare line left blank
        ],
    )
    response = client.post(url(held), data)
    assert response.status_code == 302
    assert response.url == reverse("sessions:minutes", args=[held.pk])
    held.refresh_from_db()
    assert held.minutes == "Đồng chí Hương trình bày đề dẫn."
    assert held.conclusion == "Chi bộ thống nhất chương trình hành động."
    # Counts left empty beside one typed are 0.
    assert (held.votes_for, held.votes_against, held.votes_abstain) == (3, 0, 0)
    assert held.attendance_version == 2
    rows = list(held.speeches.values_list("order", "member", "speaker_name", "content"))
    assert rows == [
        (0, leader.member.pk, "", "Đề nghị mỗi tổ đăng ký một việc làm."),
        (1, None, "Bà Lê Thị Khách", "Công đoàn sẽ phối hợp."),
    ]
    # Kept with their history, by the secretary.
    assert Speech.history.filter(history_user=secretary).count() == 2


def test_speeches_are_changed_and_removed(client, secretary, leader, held):
    first = Speech.objects.create(session=held, member=leader.member, content="Cũ", order=0)
    second = Speech.objects.create(session=held, speaker_name="Khách", content="Bỏ", order=1)
    client.force_login(secretary)
    data = form(held, votes_for="") | speeches(
        "speeches",
        [
            (leader.member, "", "Đã sửa", {"id": first.pk}),
            ("", "Khách", "Bỏ", {"id": second.pk, "DELETE": "on"}),
        ],
        initial=2,
    )
    assert client.post(url(held), data).status_code == 302
    assert list(held.speeches.values_list("pk", "content")) == [(first.pk, "Đã sửa")]
    held.refresh_from_db()
    assert held.votes_for is None


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        (
            {"votes_for": "3", "votes_against": "1", "votes_abstain": ""},
            "Tổng số biểu quyết (4) nhiều hơn số đảng viên có mặt (3 đồng chí).",
        ),
        ({"votes_for": "-1"}, "lớn hơn hoặc bằng 0"),
        ({"votes_for": "ba"}, "nhập một số nguyên"),
    ],
)
def test_a_bad_vote_is_refused_on_the_field_and_nothing_is_saved(
    client, secretary, leader, held, votes, message
):
    client.force_login(secretary)
    data = form(held, **votes) | speeches("speeches", [(leader.member, "", "Ý kiến")])
    response = client.post(url(held), data)
    assert response.status_code == 200
    errors = response.context["page"].form.errors
    assert message in " ".join(errors["votes_for"])
    held.refresh_from_db()
    assert (held.conclusion, held.votes_for, held.attendance_version) == ("", None, 1)
    assert not held.speeches.exists()


def test_a_speech_needs_a_speaker_and_only_one(client, secretary, leader, held):
    client.force_login(secretary)
    data = form(held) | speeches(
        "speeches", [("", "", "Ý kiến không tên"), (leader.member, "Khách", "Hai người")]
    )
    response = client.post(url(held), data)
    assert response.status_code == 200
    [nameless, both] = response.context["page"].parts[0].speeches.forms
    assert nameless.errors["member"] == ["Chọn đảng viên phát biểu hoặc ghi tên khách mời."]
    assert both.errors["speaker_name"] == [
        "Chọn một đảng viên hoặc ghi tên một khách mời, không cả hai."
    ]
    assert not held.speeches.exists()


def test_a_copy_opened_before_another_save_is_refused(client, secretary, held):
    client.force_login(secretary)
    stale = form(held, conclusion="Bản cũ") | speeches("speeches", [])
    record(held)  # the attendance sheet saved meanwhile: the version moved on
    response = client.post(url(held), stale)
    assert response.status_code == 409
    assert "vừa được người khác lưu" in response.text
    held.refresh_from_db()
    assert held.conclusion == ""


def test_a_session_not_held_has_no_minutes_to_write(client, secretary, groups, now):
    planned = make_session(start=at(2020, 9, 10))
    client.force_login(secretary)
    for response in (client.get(url(planned)), client.post(url(planned), form(planned))):
        assert response.status_code == 302
        assert response.url == planned.get_absolute_url()
    page = client.get(planned.get_absolute_url())
    assert "Chỉ ghi biên bản cho kỳ sinh hoạt đã tổ chức" in page.text
    assert planned.speeches.count() == 0


def test_only_the_secretary_writes_the_minutes(client, leader, member, held):
    for user in (leader, member):
        client.force_login(user)
        assert client.get(url(held)).status_code == 403
        assert client.post(url(held), form(held)).status_code == 403
    held.refresh_from_db()
    assert held.conclusion == ""


def test_the_minutes_are_written_all_or_nothing(held, leader, monkeypatch):
    """A failure on the second speech leaves nothing of the first, nor of the session."""
    original = Speech.save

    def failing(speech, *args, **kwargs):
        if speech.order == 1:
            raise IntegrityError("disk full")
        return original(speech, *args, **kwargs)

    monkeypatch.setattr(Speech, "save", failing)
    held.conclusion = "Kết luận"
    lines = [Speech(member=leader.member, content="Một"), Speech(speaker_name="K", content="Hai")]
    with pytest.raises(IntegrityError):
        services.save_minutes(session=held, version=held.attendance_version, speeches=lines)
    held.refresh_from_db()
    assert (held.conclusion, held.attendance_version) == ("", 1)
    assert not Speech.objects.filter(session=held).exists()


def test_the_service_refuses_a_session_not_held(groups, now):
    planned = make_session(start=at(2020, 9, 10))
    with pytest.raises(services.ServiceError, match="đã tổ chức"):
        services.save_minutes(session=planned, version=0)


# --- Group by group: each group's own minutes -----------------------------------------


@pytest.fixture
def by_group(groups, secretary, leader, member, other_member, now):
    session = make_session(start=at(2020, 5, 14, 14), scope="groups")
    first = make_group_meeting(session, groups[0], at(2020, 5, 12, 14))
    second = make_group_meeting(session, groups[1], at(2020, 5, 13, 8))
    record(session, {member.member: Attendance.Status.EXCUSED})
    session.refresh_from_db()
    return session, first, second


def group_form(meeting, minute_taker, **changes):
    prefix = f"group-{meeting.pk}"
    values = {
        "minute_taker": minute_taker.pk,
        "content": f"Nội dung {meeting.group}",
        "conclusion": f"Kết luận {meeting.group}",
        "votes_for": "",
        "votes_against": "",
        "votes_abstain": "",
        **changes,
    }
    return {f"{prefix}-{key}": value for key, value in values.items()}


def test_each_group_keeps_its_own_minutes(client, secretary, leader, other_member, by_group):
    session, first, second = by_group
    client.force_login(secretary)
    page = client.get(url(session))
    assert page.status_code == 200
    assert str(first.group) in page.text and str(second.group) in page.text
    data = {
        "version": session.attendance_version,
        "minutes": "",
        "conclusion": "Các tổ đã sinh hoạt đầy đủ.",
        **group_form(first, leader.member, votes_for="2", votes_abstain="0"),
        **group_form(second, other_member.member),
        **speeches(f"speeches-{first.pk}", [(leader.member, "", "Tổ 1 phát biểu")]),
        **speeches(f"speeches-{second.pk}", [(other_member.member, "", "Tổ 2 phát biểu")]),
    }
    response = client.post(url(session), data)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.minute_taker, first.content, first.conclusion) == (
        leader.member,
        "Nội dung Tổ 1",
        "Kết luận Tổ 1",
    )
    assert (first.votes_for, first.votes_against, first.votes_abstain) == (2, 0, 0)
    assert (second.minute_taker, second.votes_for) == (other_member.member, None)
    assert list(first.speeches.values_list("content", flat=True)) == ["Tổ 1 phát biểu"]
    assert list(second.speeches.values_list("content", flat=True)) == ["Tổ 2 phát biểu"]
    session.refresh_from_db()
    assert session.conclusion == "Các tổ đã sinh hoạt đầy đủ."


def test_a_groups_vote_is_counted_against_its_own_members(
    client, secretary, leader, other_member, by_group
):
    """Tổ 2 has one member present: two votes there are refused, on Tổ 2's field."""
    session, first, second = by_group
    client.force_login(secretary)
    data = {
        "version": session.attendance_version,
        "minutes": "",
        "conclusion": "",
        **group_form(first, leader.member),
        **group_form(second, other_member.member, votes_for="2"),
        **speeches(f"speeches-{first.pk}", []),
        **speeches(f"speeches-{second.pk}", []),
    }
    response = client.post(url(session), data)
    assert response.status_code == 200
    parts = response.context["page"].parts
    assert parts[1].form.errors["votes_for"] == [
        "Tổng số biểu quyết (2) nhiều hơn số đảng viên có mặt (1 đồng chí)."
    ]
    assert not parts[0].form.errors
    second.refresh_from_db()
    assert second.votes_for is None


def test_a_groups_meeting_with_minutes_is_not_removed(by_group, leader):
    session, first, _second = by_group
    Speech.objects.create(session=session, group_meeting=first, member=leader.member, content="Ý")
    session.scope = ThematicSession.Scope.CELL
    with pytest.raises(services.ServiceError, match="không bỏ buổi sinh hoạt của tổ này"):
        services.save_session(session=session)
    assert session.group_meetings.count() == 2


# --- Another cell's ------------------------------------------------------------------


def test_another_cells_members_are_not_offered_nor_taken(client, secretary, held):
    b = sibling_cell(2020)
    client.force_login(secretary)
    page = client.get(url(held))
    assert SIBLING_MARK not in page.text
    data = form(held) | speeches("speeches", [(b["member"], "", "Ý kiến từ cell khác")])
    response = client.post(url(held), data)
    assert response.status_code == 200
    assert not Speech.objects.exists()


def test_another_cells_session_is_not_found(client, secretary, held):
    b = sibling_cell(2020)
    client.force_login(secretary)
    assert client.get(url(b["held"])).status_code == 404
    assert client.post(url(b["held"]), form(b["held"])).status_code == 404


def test_a_speaker_who_left_since_is_still_offered(client, secretary, held, groups):
    """A 2020 session's speakers are those on its sheet, whoever has left since."""
    gone = make_member(groups[0], "Lộc Văn Bình")
    record(held)
    gone.left_cell_on = at(2021, 3, 15).date()
    gone.left_reason = Member.LeaveReason.TRANSFER
    gone.save()
    client.force_login(secretary)
    assert "Lộc Văn Bình" in client.get(url(held)).text


def test_saving_again_unchanged_writes_no_new_history_of_the_speeches(client, secretary, held):
    line = Speech.objects.create(session=held, speaker_name="Khách", content="Ý kiến", order=0)
    client.force_login(secretary)
    data = form(held) | speeches("speeches", [("", "Khách", "Ý kiến", {"id": line.pk})], initial=1)
    assert client.post(url(held), data).status_code == 302
    assert line.history.count() == 1
