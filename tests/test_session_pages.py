"""Creating, editing, postponing, cancelling and deleting a session."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions.models import (
    Award,
    ContestTeam,
    Document,
    GroupMeeting,
    Photo,
    Postponement,
    ThematicSession,
)
from tests.factories import at, make_group, make_group_meeting, make_plan, make_session, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(groups, now):
    return make_plan(2020)


def session_data(meetings=(), **fields):
    """POST data for the session form; ``meetings`` is one dict per group row."""
    data = {
        "topic": "Học tập Chỉ thị 05-CT/TW",
        "description": "Học tập và làm theo tư tưởng Hồ Chí Minh.",
        "format": "presentation",
        "scope": "cell",
        "start": "2020-07-15T08:00",
        "end": "10:00",
        "location": "Hội trường Liên đoàn Lao động tỉnh",
        "preparer": "",
        "outside_speaker": "",
        "presiding": "",
        "minute_taker": "",
        "draft_approved_on": "",
        "meetings-TOTAL_FORMS": str(len(meetings)),
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
    }
    for index, meeting in enumerate(meetings):
        for key, value in meeting.items():
            data[f"meetings-{index}-{key}"] = value
    data.update(fields)
    return data


def create_url(plan):
    return reverse("sessions:create", args=[plan.year])


def test_secretary_creates_a_session_with_every_field(client, secretary, leader, member, plan):
    client.force_login(secretary)
    response = client.post(
        create_url(plan),
        session_data(
            preparer=member.member.pk,
            presiding=secretary.member.pk,
            minute_taker=leader.member.pk,
            regular="on",
            end="10:30",
            draft_approved_on="2020-07-01",
            format="seminar",
        ),
    )
    session = ThematicSession.objects.get()
    assert response.url == session.get_absolute_url()
    assert (session.start, session.end) == (at(2020, 7, 15, 8), at(2020, 7, 15, 10, 30))
    assert session.plan == plan
    assert (session.preparer, session.presiding, session.minute_taker) == (
        member.member,
        secretary.member,
        leader.member,
    )
    assert session.regular and session.format == "seminar"
    assert session.status == "planned"
    page = client.get(session.get_absolute_url())
    assert "Học tập Chỉ thị 05-CT/TW" in page.text
    assert "08:00–10:30" in page.text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"end": "07:30"}, "end", "Giờ kết thúc phải sau giờ bắt đầu."),
        ({"end": "09:00"}, "end", "Buổi sinh hoạt chuyên đề phải kéo dài ít nhất 90 phút."),
        (
            {"end": "09:45", "regular": "on"},
            "end",
            "Buổi sinh hoạt chuyên đề phải kéo dài ít nhất 120 phút.",
        ),
        (
            {"start": "2021-01-05T08:00"},
            "start",
            "Ngày sinh hoạt phải nằm trong năm 2020 của kế hoạch.",
        ),
        ({"topic": ""}, "topic", "Trường này là bắt buộc."),
        ({"start": "32/13/2020 08:00"}, "start", "Nhập một ngày/thời gian hợp lệ."),
        ({"format": "party"}, "format", "Hãy chọn một lựa chọn hợp lệ."),
    ],
)
def test_the_form_refuses_what_makes_no_sense(client, secretary, plan, fields, field, message):
    client.force_login(secretary)
    response = client.post(create_url(plan), session_data(**fields))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert message in response.text
    assert ThematicSession.objects.count() == 0


def test_minimum_length_comes_from_the_settings(client, secretary, plan, settings):
    settings.CHIBO_MIN_SESSION_MINUTES = 150
    client.force_login(secretary)
    response = client.post(create_url(plan), session_data(end="10:00"))
    assert "ít nhất 150 phút" in response.text
    assert ThematicSession.objects.count() == 0


def test_preparer_and_outside_speaker_are_not_both_given(client, secretary, member, plan):
    client.force_login(secretary)
    response = client.post(
        create_url(plan),
        session_data(preparer=member.member.pk, outside_speaker="Báo cáo viên Tỉnh ủy"),
    )
    assert "không chọn cả hai" in response.text
    assert ThematicSession.objects.count() == 0


def meeting(group, start, end, location="", presiding=""):
    return {"start": start, "end": end, "location": location, "presiding": presiding}


def test_group_by_group_the_whole_cells_time_may_be_left_to_the_groups(
    client, secretary, groups, plan
):
    """Every group's time is given: the session spans them, no "required" on its own time."""
    client.force_login(secretary)
    data = session_data(
        scope="groups",
        meetings=[
            meeting(groups[0], "2020-07-13T14:00", "16:00"),
            meeting(groups[1], "2020-07-14T08:00", "10:00"),
        ],
    )
    data.update(start="", end="")
    response = client.post(create_url(plan), data)
    assert response.status_code == 302, response.context["form"].errors
    session = ThematicSession.objects.get()
    assert timezone.localtime(session.start) == at(2020, 7, 13, 14)
    assert timezone.localtime(session.end) == at(2020, 7, 14, 10)
    # A whole-cell session still needs its own time.
    data.update(scope="cell", topic="Kỳ khác")
    response = client.post(create_url(plan), data)
    assert "Trường này là bắt buộc." in response.text
    # Said at the top of the long form too, not only at the fields.
    assert "Chưa lưu được: sửa các ô được đánh dấu đỏ bên dưới rồi lưu lại." in response.text


def test_a_session_held_group_by_group_saves_each_groups_meeting(
    client, secretary, other_member, groups, plan
):
    client.force_login(secretary)
    response = client.post(
        create_url(plan),
        session_data(
            scope="groups",
            meetings=[
                meeting(groups[0], "2020-07-13T14:00", "16:00", "Phòng Văn phòng", ""),
                meeting(
                    groups[1], "2020-07-14T08:00", "10:00", "Phòng Tổ chức", other_member.member.pk
                ),
            ],
        ),
    )
    assert response.status_code == 302, response.context["meetings"].errors
    session = ThematicSession.objects.get()
    meetings = {m.group.name: m for m in GroupMeeting.objects.select_related("group")}
    assert meetings["Tổ 1"].start == at(2020, 7, 13, 14)
    assert meetings["Tổ 1"].location == "Phòng Văn phòng"
    assert meetings["Tổ 2"].presiding == other_member.member
    assert meetings["Tổ 2"].end == at(2020, 7, 14, 10)
    page = client.get(session.get_absolute_url())
    assert "Lịch sinh hoạt của các tổ" in page.text
    assert "Phòng Tổ chức" in page.text


def test_a_group_left_blank_is_named_and_nothing_is_saved(client, secretary, groups, plan):
    """Group by group, every current group meets: the one without a meeting is named."""
    client.force_login(secretary)
    response = client.post(
        create_url(plan),
        session_data(
            scope="groups",
            meetings=[meeting(groups[0], "2020-07-13T14:00", "16:00"), meeting(groups[1], "", "")],
        ),
    )
    assert response.status_code == 200
    assert "Sinh hoạt theo tổ Đảng cần lịch của từng tổ: chưa có lịch của Tổ 2." in response.text
    assert ThematicSession.objects.count() == 0
    assert GroupMeeting.objects.count() == 0


def test_an_archived_group_need_not_meet(client, secretary, groups, plan):
    make_group("Tổ cũ", is_active=False)
    client.force_login(secretary)
    response = client.post(
        create_url(plan),
        session_data(
            scope="groups",
            meetings=[
                meeting(groups[0], "2020-07-13T14:00", "16:00"),
                meeting(groups[1], "2020-07-14T14:00", "16:00"),
            ],
        ),
    )
    assert response.status_code == 302
    assert GroupMeeting.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("2020-07-13T14:00", "13:00"), "Giờ kết thúc phải sau giờ bắt đầu."),
        (("2020-07-13T14:00", "15:00"), "ít nhất 90 phút"),
        (("2021-01-13T14:00", "16:00"), "Ngày sinh hoạt phải nằm trong năm 2020 của kế hoạch."),
        (("", "16:00"), "Trường này là bắt buộc."),
    ],
)
def test_a_groups_meeting_follows_the_same_rules(client, secretary, groups, plan, row, message):
    client.force_login(secretary)
    response = client.post(
        create_url(plan),
        session_data(
            scope="groups", meetings=[meeting(groups[0], *row), meeting(groups[1], "", "")]
        ),
    )
    assert response.status_code == 200
    assert message in response.text
    assert ThematicSession.objects.count() == 0
    assert GroupMeeting.objects.count() == 0


def test_group_by_group_needs_every_groups_meeting(client, secretary, groups, plan):
    client.force_login(secretary)
    response = client.post(
        create_url(plan),
        session_data(
            scope="groups", meetings=[meeting(groups[0], "", ""), meeting(groups[1], "", "")]
        ),
    )
    assert "cần lịch của từng tổ: chưa có lịch của Tổ 1, Tổ 2." in response.text
    assert ThematicSession.objects.count() == 0


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("", ""), ("", "")), "Sinh hoạt theo tổ Đảng cần lịch của từng tổ"),
        ((("2020-07-13T14:00", "13:00"), ("", "")), "Giờ kết thúc phải sau giờ bắt đầu."),
    ],
)
def test_group_meeting_errors_show_only_for_a_group_by_group_session(
    client, secretary, groups, plan, rows, message
):
    """A whole-cell session with an error shows that error, not the group meetings' rules."""
    client.force_login(secretary)
    meetings = [meeting(group, *row) for group, row in zip(groups, rows, strict=True)]
    response = client.post(create_url(plan), session_data(topic="", meetings=meetings))
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.text
    assert message not in response.text

    response = client.post(
        create_url(plan), session_data(scope="groups", topic="", meetings=meetings)
    )
    assert "Trường này là bắt buộc." in response.text
    assert message in response.text
    assert ThematicSession.objects.count() == 0


def test_the_form_offers_one_row_per_active_group(client, secretary, groups, plan):
    make_group("Tổ cũ", is_active=False)
    client.force_login(secretary)
    response = client.get(create_url(plan))
    names = [name for name, _form in response.context["meetings"].rows()]
    assert names == ["Tổ 1", "Tổ 2"]


def test_editing_shows_the_saved_times_and_turning_to_the_whole_cell_drops_meetings(
    client, secretary, groups, plan
):
    session = make_session(plan, at(2020, 7, 15, 14), scope="groups", topic="Theo tổ")
    make_group_meeting(session, groups[0], at(2020, 7, 13, 8))
    client.force_login(secretary)
    url = reverse("sessions:edit", args=[session.pk])
    form = client.get(url).context["form"]
    assert form["end"].value().strftime("%H:%M") == "16:00"  # local time, not UTC
    assert 'value="15/07/2020 14:00"' in str(form["start"])

    client.post(url, session_data(topic="Toàn chi bộ", start="2020-07-15T14:00", end="16:00"))
    session.refresh_from_db()
    assert (session.topic, session.scope) == ("Toàn chi bộ", "cell")
    assert GroupMeeting.objects.count() == 0


def removing_the_second_meeting(session, first, second):
    data = session_data(scope="groups", start="2020-07-15T14:00", end="16:00")
    data.update(
        {
            "meetings-TOTAL_FORMS": "2",
            "meetings-INITIAL_FORMS": "2",
            "meetings-0-id": first.pk,
            "meetings-0-start": "2020-07-13T09:00",
            "meetings-0-end": "11:00",
            "meetings-0-location": "Phòng mới",
            "meetings-1-id": second.pk,
            "meetings-1-start": "2020-07-14T08:00",
            "meetings-1-end": "10:00",
            "meetings-1-DELETE": "on",
        }
    )
    return data


def test_removing_a_current_groups_meeting_is_refused(client, secretary, groups, plan):
    session = make_session(plan, at(2020, 7, 15, 14), scope="groups")
    first = make_group_meeting(session, groups[0], at(2020, 7, 13, 8))
    second = make_group_meeting(session, groups[1], at(2020, 7, 14, 8))
    client.force_login(secretary)
    response = client.post(
        reverse("sessions:edit", args=[session.pk]),
        removing_the_second_meeting(session, first, second),
    )
    assert response.status_code == 200
    assert "chưa có lịch của Tổ 2." in response.text
    assert GroupMeeting.objects.count() == 2


def test_editing_a_groups_meeting_and_removing_another(client, secretary, groups, plan):
    """A dissolved group's meeting may go: only the cell's current groups must meet."""
    session = make_session(plan, at(2020, 7, 15, 14), scope="groups")
    first = make_group_meeting(session, groups[0], at(2020, 7, 13, 8))
    second = make_group_meeting(session, groups[1], at(2020, 7, 14, 8))
    groups[1].is_active = False
    groups[1].save()
    client.force_login(secretary)
    data = session_data(scope="groups", start="2020-07-15T14:00", end="16:00")
    data.update(
        {
            "meetings-TOTAL_FORMS": "2",
            "meetings-INITIAL_FORMS": "2",
            "meetings-0-id": first.pk,
            "meetings-0-start": "2020-07-13T09:00",
            "meetings-0-end": "11:00",
            "meetings-0-location": "Phòng mới",
            "meetings-1-id": second.pk,
            "meetings-1-start": "2020-07-14T08:00",
            "meetings-1-end": "10:00",
            "meetings-1-DELETE": "on",
        }
    )
    response = client.post(reverse("sessions:edit", args=[session.pk]), data)
    assert response.status_code == 302
    assert list(GroupMeeting.objects.values_list("location", flat=True)) == ["Phòng mới"]
    first.refresh_from_db()
    assert first.start == at(2020, 7, 13, 9)


# --- Postpone, cancel, delete -------------------------------------------------------


def test_postponing_keeps_the_old_time_and_the_reason(client, secretary, plan):
    session = make_session(plan, at(2020, 7, 15, 8))
    client.force_login(secretary)
    url = reverse("sessions:postpone", args=[session.pk])
    assert "Hoãn kỳ sinh hoạt" in client.get(url).text
    response = client.post(
        url, {"start": "2020-08-05T14:00", "end": "16:00", "reason": "Chuẩn bị Đại hội"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.status_reason) == ("postponed", "Chuẩn bị Đại hội")
    assert (session.start, session.end) == (at(2020, 8, 5, 14), at(2020, 8, 5, 16))
    postponement = Postponement.objects.get()
    assert (postponement.previous_start, postponement.new_start) == (
        at(2020, 7, 15, 8),
        session.start,
    )
    assert postponement.created_by == secretary
    assert session.history.count() == 2
    # Postponed again: both moves are kept.
    client.post(url, {"start": "2020-08-20T14:00", "end": "16:00", "reason": "Lần nữa"})
    page = client.get(session.get_absolute_url())
    assert "Các lần hoãn" in page.text
    assert page.text.count("→") == 2


def test_postponing_without_a_new_date_keeps_the_old_one_until_it_is_set(client, secretary, plan):
    """ "No new date yet": the session waits, then a later postponement sets its date."""
    session = make_session(plan, at(2020, 7, 15, 8))
    client.force_login(secretary)
    url = reverse("sessions:postpone", args=[session.pk])
    response = client.post(url, {"no_new_date": "on", "reason": "Dịch Covid-19"}, follow=True)
    assert "ngày mới sẽ định sau" in response.text
    assert "chưa có ngày mới" in response.text
    session.refresh_from_db()
    assert (session.status, session.start) == ("postponed", at(2020, 7, 15, 8))
    assert Postponement.objects.get().new_start is None
    again = client.post(url, {"no_new_date": "on", "reason": "Lần nữa"})
    assert "đang chờ ngày mới" in again.text
    client.post(url, {"start": "2020-09-02T08:00", "end": "10:00", "reason": "Hết giãn cách"})
    session.refresh_from_db()
    assert session.start == at(2020, 9, 2, 8)
    assert list(Postponement.objects.values_list("new_start", flat=True)) == [
        None,
        at(2020, 9, 2, 8),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2020-08-05T14:00", "end": "16:00", "reason": ""}, "Trường này là bắt buộc."),
        ({"start": "", "end": "16:00", "reason": "x"}, "Trường này là bắt buộc."),
        ({"start": "2020-07-15T08:00", "end": "10:00", "reason": "x"}, "phải khác thời gian"),
        ({"start": "2021-01-05T08:00", "end": "10:00", "reason": "x"}, "trong năm 2020"),
        ({"start": "2020-08-05T14:00", "end": "14:30", "reason": "x"}, "ít nhất 90 phút"),
    ],
)
def test_postponing_refuses_bad_input(client, secretary, plan, data, message):
    session = make_session(plan, at(2020, 7, 15, 8))
    client.force_login(secretary)
    response = client.post(reverse("sessions:postpone", args=[session.pk]), data)
    assert message in response.text
    session.refresh_from_db()
    assert session.status == "planned" and session.start == at(2020, 7, 15, 8)
    assert Postponement.objects.count() == 0


def test_a_held_session_cannot_be_postponed_or_cancelled(client, secretary, plan):
    session = make_session(plan, at(2020, 3, 12))
    record(session)
    client.force_login(secretary)
    response = client.post(
        reverse("sessions:postpone", args=[session.pk]),
        {"start": "2020-08-05T14:00", "end": "16:00", "reason": "x"},
        follow=True,
    )
    assert "Chỉ hoãn được kỳ sinh hoạt chưa tổ chức" in response.text
    response = client.post(
        reverse("sessions:cancel", args=[session.pk]), {"reason": "x"}, follow=True
    )
    assert "Chỉ hủy được kỳ sinh hoạt chưa tổ chức." in response.text
    session.refresh_from_db()
    assert session.status == "held"


def test_cancelling_needs_a_reason(client, secretary, plan):
    session = make_session(plan, at(2020, 7, 15))
    client.force_login(secretary)
    url = reverse("sessions:cancel", args=[session.pk])
    response = client.post(url, {"reason": ""})
    assert "Trường này là bắt buộc." in response.text
    session.refresh_from_db()
    assert session.status == "planned"
    client.post(url, {"reason": "Trùng lịch Đại hội"})
    session.refresh_from_db()
    assert (session.status, session.status_reason) == ("cancelled", "Trùng lịch Đại hội")
    assert 3 in plan.quarters_without_session()  # a cancelled session does not count
    page = client.get(session.get_absolute_url())
    assert "Trùng lịch Đại hội" in page.text


def test_a_planned_session_is_deleted_after_a_confirmation(client, secretary, plan):
    session = make_session(plan, at(2020, 7, 15))
    client.force_login(secretary)
    url = reverse("sessions:delete", args=[session.pk])
    page = client.get(url)
    assert "Không khôi phục được" in page.text
    assert ThematicSession.objects.filter(pk=session.pk).exists()  # GET deletes nothing
    response = client.post(url)
    assert response.url == plan.get_absolute_url()
    assert not ThematicSession.objects.filter(pk=session.pk).exists()


def test_a_held_session_cannot_be_deleted(client, secretary, plan):
    session = make_session(plan, at(2020, 3, 12))
    record(session)
    client.force_login(secretary)
    assert "Xóa" not in client.get(session.get_absolute_url()).text.split("<dl")[0]
    response = client.post(reverse("sessions:delete", args=[session.pk]), follow=True)
    assert "Kỳ sinh hoạt đã tổ chức không xóa được" in response.text
    assert ThematicSession.objects.filter(pk=session.pk).exists()


def test_session_page_shows_actions_only_to_the_secretary(client, secretary, leader, plan):
    session = make_session(plan, at(2020, 7, 15))
    client.force_login(secretary)
    assert (
        reverse("sessions:edit", args=[session.pk]) in client.get(session.get_absolute_url()).text
    )
    client.force_login(leader)
    page = client.get(session.get_absolute_url()).text
    assert reverse("sessions:edit", args=[session.pk]) not in page
    assert reverse("sessions:attendance", args=[session.pk]) not in page


def test_times_are_entered_in_the_cells_time_zone(client, secretary, plan):
    client.force_login(secretary)
    client.post(create_url(plan), session_data(start="2020-12-31T22:00", end="23:59"))
    session = ThematicSession.objects.get()
    assert timezone.localtime(session.start).year == 2020
    assert session.start.astimezone(dt.UTC).hour == 15


def detail_queries(client, session):
    with CaptureQueriesContext(connection) as context:
        assert client.get(session.get_absolute_url()).status_code == 200
    return len(context.captured_queries)


def test_session_page_queries_do_not_grow(client, secretary, groups, plan):
    session = make_session(plan, at(2020, 5, 14), scope="groups", format="contest")
    record(session)
    client.force_login(secretary)
    few = detail_queries(client, session)
    for n in range(8):
        group = make_group(f"Tổ thêm {n}")
        make_group_meeting(session, group, at(2020, 5, 12))
        ContestTeam.objects.create(session=session, group=group, score=n)
        Award.objects.create(session=session, prize=f"Giải {n}", guest_name=f"Khách {n}")
        Document.objects.create(session=session, title=f"Tài liệu {n}", url="https://example.org")
        Photo.objects.create(session=session, image=f"photos/2020/{n}.jpg", caption=f"Ảnh {n}")
    assert detail_queries(client, session) == few


@pytest.mark.parametrize(
    ("status", "days_from_now", "offered"),
    [
        (ThematicSession.Status.PLANNED, 7, False),  # not started: the sheet would refuse
        (ThematicSession.Status.PLANNED, -1, True),  # started, not recorded yet
        (ThematicSession.Status.HELD, -1, True),  # held: the sheet can be corrected
        (ThematicSession.Status.CANCELLED, -1, False),
    ],
)
def test_the_sheets_button_shows_only_where_the_sheet_opens(
    client, secretary, plan, now, status, days_from_now, offered
):
    session = make_session(plan, start=now + dt.timedelta(days=days_from_now), status=status)
    client.force_login(secretary)
    page = client.get(session.get_absolute_url()).content.decode()
    assert (reverse("sessions:attendance", args=[session.pk]) in page) is offered
    # "Hoãn" uses Chibo's dark amber, readable on white, not Bootstrap's yellow.
    assert "btn-outline-warning" not in page
