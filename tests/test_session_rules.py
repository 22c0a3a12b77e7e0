"""Rules on a single session: length, year, preparer, schedule (grading: test_grading.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sessions.models import ThematicSession
from tests.factories import at, make_group_meeting, make_member, make_plan

pytestmark = pytest.mark.django_db


def build(minutes=120, start=None, **fields):
    start = start or at(2020, 3, 12)
    plan = fields.pop("plan", None) or make_plan(2020)
    return ThematicSession(
        plan=plan,
        topic="Chuyên đề",
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        **fields,
    )


def errors_of(session):
    with pytest.raises(ValidationError) as caught:
        session.full_clean()
    return caught.value.message_dict


def test_valid_session_passes():
    build(minutes=90).full_clean()


def test_end_before_start_is_refused():
    assert errors_of(build(minutes=-30))["end"] == ["Giờ kết thúc phải sau giờ bắt đầu."]


def test_session_shorter_than_the_minimum_is_refused(settings):
    settings.CHIBO_MIN_SESSION_MINUTES = 90
    assert "ít nhất 90 phút" in errors_of(build(minutes=89))["end"][0]


def test_session_with_the_regular_meeting_needs_longer(settings):
    settings.CHIBO_MIN_COMBINED_SESSION_MINUTES = 120
    errors = errors_of(build(minutes=100, regular=True))
    assert "ít nhất 120 phút" in errors["end"][0]
    build(minutes=120, regular=True).full_clean()


def test_session_outside_the_plan_year_is_refused():
    errors = errors_of(build(start=at(2021, 1, 5), plan=make_plan(2020)))
    assert errors["start"] == ["Ngày sinh hoạt phải nằm trong năm 2020 của kế hoạch."]


def test_session_has_one_preparer_or_an_outside_speaker(groups):
    preparer = make_member(groups[0])
    errors = errors_of(build(preparer=preparer, outside_speaker="Báo cáo viên Tỉnh ủy"))
    assert "outside_speaker" in errors
    assert build(outside_speaker="Báo cáo viên").preparer_name == "Báo cáo viên"
    assert build(preparer=preparer).preparer_name == preparer.full_name


def test_member_of_a_group_sees_their_group_meeting(groups):
    member = make_member(groups[1])
    plan = make_plan(2020)
    session = ThematicSession.objects.create(
        plan=plan,
        topic="Theo tổ",
        scope="groups",
        start=at(2020, 5, 14, 14),
        end=at(2020, 5, 14, 16),
        location="Hội trường",
    )
    make_group_meeting(session, groups[0], at(2020, 5, 12, 14), location="Phòng 1")
    make_group_meeting(session, groups[1], at(2020, 5, 13, 8), location="Phòng 2")
    schedule = ThematicSession.objects.prefetch_related("group_meetings").get().schedule_for(member)
    assert (schedule.start, schedule.location, schedule.group) == (
        at(2020, 5, 13, 8),
        "Phòng 2",
        groups[1],
    )


def test_cell_wide_session_has_one_schedule_for_everyone(groups):
    member = make_member(groups[1])
    session = ThematicSession.objects.create(
        plan=make_plan(2020),
        topic="Toàn chi bộ",
        start=at(2020, 3, 12),
        end=at(2020, 3, 12, 10),
        location="Hội trường",
    )
    schedule = session.schedule_for(member)
    assert (schedule.start, schedule.location, schedule.group) == (
        session.start,
        "Hội trường",
        None,
    )


def test_upcoming_lists_planned_and_postponed_sessions_in_date_order():
    now = at(2020, 6, 1)
    plan = make_plan(2020)
    later = ThematicSession.objects.create(
        plan=plan, topic="B", start=at(2020, 9, 1), end=at(2020, 9, 1, 10)
    )
    sooner = ThematicSession.objects.create(
        plan=plan, topic="A", start=at(2020, 7, 1), end=at(2020, 7, 1, 10), status="postponed"
    )
    ThematicSession.objects.create(
        plan=plan, topic="Hủy", start=at(2020, 8, 1), end=at(2020, 8, 1, 10), status="cancelled"
    )
    ThematicSession.objects.create(
        plan=plan, topic="Đã qua", start=at(2020, 5, 1), end=at(2020, 5, 1, 10)
    )
    assert list(ThematicSession.objects.upcoming(now)) == [sooner, later]


def test_to_record_lists_past_sessions_without_a_result_and_held_without_attendance():
    now = at(2020, 6, 1)
    plan = make_plan(2020)
    past = ThematicSession.objects.create(
        plan=plan, topic="Qua", start=at(2020, 5, 1), end=at(2020, 5, 1, 10)
    )
    held = ThematicSession.objects.create(
        plan=plan, topic="Đã họp", start=at(2020, 4, 1), end=at(2020, 4, 1, 10), status="held"
    )
    ThematicSession.objects.create(
        plan=plan, topic="Sắp tới", start=at(2020, 7, 1), end=at(2020, 7, 1, 10)
    )
    ThematicSession.objects.create(
        plan=plan, topic="Hủy", start=at(2020, 3, 1), end=at(2020, 3, 1, 10), status="cancelled"
    )
    assert list(ThematicSession.objects.to_record(now)) == [held, past]
