"""At least one thematic session every quarter: the plan marks the quarters without one."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sessions.models import ThematicSession
from tests.factories import at, make_plan, make_session

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def missing(plan):
    """The quarters without a session, asked both ways: they must agree."""
    counted = plan.quarters_without_session()
    assert plan.quarters_without_session(plan.sessions_by_quarter()) == counted
    return counted


def test_empty_plan_misses_every_quarter():
    assert missing(make_plan(2020)) == [1, 2, 3, 4]


def test_quarters_with_a_session_are_not_marked():
    plan = make_plan(2020)
    make_session(plan, at(2020, 1, 16))
    make_session(plan, at(2020, 8, 20))
    assert missing(plan) == [2, 4]


def test_quarter_boundaries_follow_the_cell_time_zone():
    """Quarters turn at midnight in Hà Nội, and a session counts by its start.

    31 Mar 23:00 in Hà Nội (16:00 UTC) is Q1 although it ends at 00:30 on
    1 Apr; 1 Apr 00:30 in Hà Nội is Q2 although it is still 31 Mar (17:30) in UTC.
    """
    plan = make_plan(2020)
    late_in_march = make_session(plan, at(2020, 3, 31, 23, 0), minutes=90)
    early_in_april = make_session(plan, at(2020, 4, 1, 0, 30), minutes=90)
    assert late_in_march.start == dt.datetime(2020, 3, 31, 16, 0, tzinfo=dt.UTC)
    assert late_in_march.end.astimezone(HANOI).date() == dt.date(2020, 4, 1)
    assert early_in_april.start == dt.datetime(2020, 3, 31, 17, 30, tzinfo=dt.UTC)

    quarters = plan.sessions_by_quarter()
    assert quarters[1] == [late_in_march]
    assert quarters[2] == [early_in_april]
    assert missing(plan) == [3, 4]


def test_cancelled_session_does_not_fill_a_quarter():
    plan = make_plan(2020)
    make_session(plan, at(2020, 5, 14), status=ThematicSession.Status.CANCELLED)
    assert 2 in missing(plan)


def test_postponed_session_counts_in_its_new_quarter():
    plan = make_plan(2020)
    make_session(plan, at(2020, 7, 2), status=ThematicSession.Status.POSTPONED)
    assert missing(plan) == [1, 2, 4]


def test_minimum_per_quarter_is_a_setting(settings):
    settings.CHIBO_MIN_SESSIONS_PER_QUARTER = 2
    plan = make_plan(2020)
    for month in (1, 2, 4, 7, 10, 11):
        make_session(plan, at(2020, month, 10))
    assert missing(plan) == [2, 3]


def test_sessions_by_quarter_groups_in_date_order():
    plan = make_plan(2020)
    late = make_session(plan, at(2020, 3, 20))
    early = make_session(plan, at(2020, 1, 5))
    autumn = make_session(plan, at(2020, 9, 1))
    quarters = plan.sessions_by_quarter()
    assert quarters[1] == [early, late]
    assert quarters[2] == []
    assert quarters[3] == [autumn]
