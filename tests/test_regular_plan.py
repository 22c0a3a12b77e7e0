"""The year's regular meetings: a rule set once, twelve meetings laid out on it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions import services
from sessions.models import ThematicSession
from tests.factories import at, make_plan, make_session

pytestmark = pytest.mark.django_db


def rule(plan, day=5, hour=14, minutes=None, location="Phòng họp tầng 2"):
    plan.regular_day, plan.regular_time = day, dt.time(hour, 0)
    plan.regular_minutes, plan.regular_location = minutes, location
    plan.save()
    return plan


def local_days(meetings):
    return [timezone.localtime(m.start).date() for m in meetings]


def test_twelve_meetings_on_the_rule_and_none_more_the_second_time(settings):
    settings.CHIBO_MIN_REGULAR_MEETING_MINUTES = 90
    plan = rule(make_plan(2020), day=31)
    created = services.lay_out_regular_meetings(plan=plan)
    assert len(created) == 12
    days = local_days(created)
    # Past a month's end: its last day (2020 is a leap year).
    assert days[:4] == [
        dt.date(2020, 1, 31),
        dt.date(2020, 2, 29),
        dt.date(2020, 3, 31),
        dt.date(2020, 4, 30),
    ]
    first = created[0]
    assert (first.thematic, first.regular, first.topic) == (False, True, "")
    assert timezone.localtime(first.start).time() == dt.time(14, 0)
    assert first.end - first.start == dt.timedelta(minutes=90)
    assert first.location == "Phòng họp tầng 2"
    assert services.lay_out_regular_meetings(plan=plan) == []
    assert plan.sessions.regular().count() == 12


def test_a_month_with_a_combined_meeting_keeps_it():
    plan = rule(make_plan(2020))
    combined = make_session(plan, at(2020, 3, 12, 8), regular=True)
    moved = make_session(
        plan, at(2020, 4, 20, 14), minutes=90, topic="", thematic=False, regular=True
    )
    created = services.lay_out_regular_meetings(plan=plan)
    assert len(created) == 10
    march = list(plan.sessions.regular().filter(start__month=3))
    assert march == [combined]
    assert list(plan.sessions.regular().filter(start__month=4)) == [moved]


def test_no_rule_no_meetings():
    with pytest.raises(services.ServiceError, match="Chưa đặt lịch"):
        services.lay_out_regular_meetings(plan=make_plan(2020))


def test_the_secretary_sets_the_rule_and_sees_the_twelve(client, secretary, groups):
    plan = make_plan(2020)
    client.force_login(secretary)
    url = reverse("sessions:plan_regular", args=[2020])
    data = {"regular_day": "5", "regular_time": "14:00", "regular_location": "Hội trường"}
    response = client.post(url, data, follow=True)
    assert "Đã lập lịch 12 kỳ sinh hoạt chi bộ định kỳ." in response.text
    assert "Lịch: ngày 5 hằng tháng, lúc 14:00" in response.text
    assert response.text.count("Sinh hoạt chi bộ định kỳ") >= 1
    assert "05/05/2020 14:00" in response.text
    response = client.post(url, data, follow=True)
    assert "không lập thêm" in response.text
    assert plan.sessions.count() == 12


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"regular_day": "32", "regular_time": "14:00"}, "nhỏ hơn hoặc bằng 31"),
        ({"regular_day": "", "regular_time": "14:00"}, "Trường này là bắt buộc."),
        ({"regular_day": "5", "regular_time": "25:00"}, "Nhập một thời gian hợp lệ"),
        ({"regular_day": "5", "regular_time": "14:00", "regular_minutes": "30"}, "ít nhất 90 phút"),
    ],
)
def test_a_wrong_rule_is_refused_on_the_page(client, secretary, data, message, settings):
    settings.CHIBO_MIN_REGULAR_MEETING_MINUTES = 90
    plan = make_plan(2020)
    client.force_login(secretary)
    response = client.post(reverse("sessions:plan_regular", args=[2020]), data)
    assert response.status_code == 200
    assert message in response.text
    assert not plan.sessions.exists()


def test_leaders_read_the_regular_meetings_only_the_secretary_sets_them(client, leader, groups):
    plan = rule(make_plan(2020))
    services.lay_out_regular_meetings(plan=plan)
    client.force_login(leader)
    response = client.get(reverse("sessions:plan", args=[2020]))
    assert "05/06/2020 14:00" in response.text
    assert reverse("sessions:plan_regular", args=[2020]) not in response.text
    assert client.get(reverse("sessions:plan_regular", args=[2020])).status_code == 403


def test_a_regular_meeting_added_by_hand_and_made_thematic(client, secretary, groups):
    plan = make_plan(2020)
    client.force_login(secretary)
    url = reverse("sessions:create", args=[2020]) + "?kind=regular"
    form = {
        "topic": "",
        "description": "Kiểm điểm công tác tháng",
        "format": "presentation",
        "scope": "cell",
        "start": "05/05/2020 14:00",
        "end": "15:30",
        "location": "Hội trường",
        "regular": "on",
    }
    response = client.get(url)
    assert "Thêm kỳ sinh hoạt chi bộ định kỳ" in response.text
    response = client.post(url, form, follow=True)
    meeting = plan.sessions.get()
    assert (meeting.thematic, meeting.regular) == (False, True)
    assert "Sinh hoạt chi bộ định kỳ tháng 5/2020" in response.text
    edit = reverse("sessions:edit", args=[meeting.pk])
    response = client.post(edit, {**form, "thematic": "on"})
    assert "Sinh hoạt chuyên đề cần có tên chuyên đề." in response.text
    # Both natures: the longest minimum (120 minutes) applies.
    response = client.post(edit, {**form, "thematic": "on", "topic": "Nghị quyết Trung ương"})
    assert "ít nhất 120 phút" in response.text
    client.post(edit, {**form, "thematic": "on", "topic": "Nghị quyết", "end": "16:00"})
    meeting.refresh_from_db()
    assert (meeting.thematic, meeting.regular, meeting.topic) == (True, True, "Nghị quyết")
    assert ThematicSession.objects.filter(thematic=True, regular=True).count() == 1


def test_copying_a_plan_copies_the_rule_and_the_thematic_sessions_only():
    plan = rule(make_plan(2020))
    services.lay_out_regular_meetings(plan=plan)
    make_session(plan, at(2020, 3, 12, 8), topic="Chuyên đề quý I", regular=True)
    new = services.copy_plan(source=plan, year=2021)
    assert (new.regular_day, new.regular_time, new.regular_location) == (
        5,
        dt.time(14, 0),
        "Phòng họp tầng 2",
    )
    copied = new.sessions.get()
    assert (copied.topic, copied.thematic, copied.regular) == ("Chuyên đề quý I", True, True)
    assert len(services.lay_out_regular_meetings(plan=new)) == 11
