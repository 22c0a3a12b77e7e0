"""A meeting of the cell is a thematic session, a regular meeting, or both (thematic/0016)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from sessions.models import ResolutionTask, TaskReview, ThematicSession
from tests.factories import at, make_member, make_plan, make_session

pytestmark = pytest.mark.django_db


def test_a_meeting_needs_at_least_one_nature():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_session(thematic=False, regular=False, topic="")


def test_a_thematic_session_needs_its_topic_a_regular_meeting_does_not():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_session(topic="")
    meeting = make_session(start=at(2020, 5, 5, 14), topic="", thematic=False, regular=True)
    assert str(meeting) == "Sinh hoạt chi bộ định kỳ tháng 5/2020"
    assert meeting.kind_label == "Sinh hoạt định kỳ"


def test_kinds_are_found_apart_and_a_combined_meeting_in_both():
    thematic = make_session(start=at(2020, 3, 12))
    regular = make_session(start=at(2020, 3, 5, 14), topic="", thematic=False, regular=True)
    both = make_session(start=at(2020, 4, 5, 14), regular=True)
    meetings = ThematicSession.objects
    assert set(meetings.thematic()) == {thematic, both}
    assert set(meetings.regular()) == {regular, both}
    assert both.kind_label == "Định kỳ và chuyên đề"


def test_only_thematic_sessions_count_for_the_quarterly_rule(settings):
    settings.CHIBO_MIN_SESSIONS_PER_QUARTER = 1
    plan = make_plan(2020)
    make_session(plan, at(2020, 2, 12))
    for month in (4, 5, 6):
        make_session(plan, at(2020, month, 5, 14), topic="", thematic=False, regular=True)
    assert plan.quarters_without_session() == [2, 3, 4]
    assert plan.quarters_without_session(plan.sessions_by_quarter()) == [2, 3, 4]


def test_a_task_names_one_responsible():
    meeting = make_session(start=at(2020, 5, 5, 14), topic="", thematic=False, regular=True)
    member = make_member()
    with pytest.raises(IntegrityError), transaction.atomic():
        ResolutionTask.objects.create(
            session=meeting, content="Nộp đảng phí", due_on=dt.date(2020, 5, 31)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ResolutionTask.objects.create(
            session=meeting,
            content="Nộp đảng phí",
            responsible=member,
            responsible_name="Tổ 1",
            due_on=dt.date(2020, 5, 31),
        )


def test_a_task_carries_over_until_a_meeting_finds_it_done():
    may, june, july, august = (
        make_session(start=at(2020, month, 5, 14), topic="", thematic=False, regular=True)
        for month in (5, 6, 7, 8)
    )
    task = ResolutionTask.objects.create(
        session=may, content="Rà soát hồ sơ", responsible_name="Chi ủy", due_on=dt.date(2020, 6, 1)
    )
    tasks = ResolutionTask.objects
    assert list(tasks.open_before(may.start)) == []
    assert list(tasks.open_before(june.start)) == [task]
    TaskReview.objects.create(task=task, session=june, outcome=TaskReview.Outcome.LATE)
    assert list(tasks.open_before(july.start)) == [task]
    TaskReview.objects.create(task=task, session=july, outcome=TaskReview.Outcome.DONE)
    assert list(tasks.open_before(august.start)) == []
    assert list(tasks.open()) == []
    # July's own minutes still review it: closed by July, not before.
    assert list(tasks.open_before(july.start)) == [task]
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskReview.objects.create(task=task, session=july, outcome=TaskReview.Outcome.DONE)
