"""A held session shorter than the rule is recorded as it happened, and flagged.

The minimum length (``CHIBO_MIN_SESSION_MINUTES``, with the regular meeting
``CHIBO_MIN_COMBINED_SESSION_MINUTES``) refuses only while planning; once
held, the session page, the summary and the annual report say it was short.
"""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from members.models import single_cell
from sessions.models import ThematicSession, shorter_than_rule
from sessions.reports.summaries import year_summary
from tests.factories import at, make_group_meeting, make_plan, make_session, record

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", strip_tags(response.text))


def edit_data(session, **fields):
    data = {
        "topic": session.topic,
        "description": "",
        "format": session.format,
        "scope": session.scope,
        "start": "12/03/2020 08:00",
        "end": "09:00",
        "location": "",
        "preparer": "",
        "outside_speaker": "",
        "presiding": "",
        "minute_taker": "",
        "draft_approved_on": "",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


@pytest.fixture
def plan(groups, now):
    return make_plan(2020)


def test_the_rule_in_one_place(settings):
    settings.CHIBO_MIN_SESSION_MINUTES = 90
    settings.CHIBO_MIN_COMBINED_SESSION_MINUTES = 120
    settings.CHIBO_MIN_REGULAR_MEETING_MINUTES = 60
    start = at(2020, 3, 12, 8)
    assert shorter_than_rule(start, at(2020, 3, 12, 9, 29))
    assert not shorter_than_rule(start, at(2020, 3, 12, 9, 30))
    # Held with the regular meeting: the longest minimum of the natures.
    assert shorter_than_rule(start, at(2020, 3, 12, 9, 59), regular=True)
    assert not shorter_than_rule(start, at(2020, 3, 12, 10), regular=True)
    # A regular meeting alone: its own minimum.
    assert shorter_than_rule(start, at(2020, 3, 12, 8, 59), thematic=False, regular=True)
    assert not shorter_than_rule(start, at(2020, 3, 12, 9), thematic=False, regular=True)
    assert not shorter_than_rule(start, start)  # not a length: the end's own error


def test_a_held_session_is_saved_with_its_real_length(client, secretary, plan):
    session = make_session(plan, at(2020, 3, 12, 8))
    record(session)
    client.force_login(secretary)
    response = client.post(reverse("sessions:edit", args=[session.pk]), edit_data(session))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.end == at(2020, 3, 12, 9)
    assert session.is_short


def test_planning_a_session_still_refuses_it(client, secretary, plan):
    session = make_session(plan, at(2020, 7, 15, 8))
    client.force_login(secretary)
    response = client.post(
        reverse("sessions:edit", args=[session.pk]),
        edit_data(session, start="15/07/2020 08:00"),
    )
    assert response.status_code == 200
    assert "Buổi sinh hoạt chuyên đề phải kéo dài ít nhất 90 phút." in response.text
    session.refresh_from_db()
    assert session.end == at(2020, 7, 15, 10)


def test_the_end_before_the_start_is_refused_even_when_held(client, secretary, plan):
    session = make_session(plan, at(2020, 3, 12, 8))
    record(session)
    client.force_login(secretary)
    response = client.post(
        reverse("sessions:edit", args=[session.pk]), edit_data(session, end="07:00")
    )
    assert "Giờ kết thúc phải sau giờ bắt đầu." in response.text


def test_the_session_page_flags_it(client, secretary, plan):
    session = make_session(plan, at(2020, 3, 12, 8), minutes=60)
    record(session)
    client.force_login(secretary)
    assert "Ngắn hơn 90 phút theo quy định." in text_of(client.get(session.get_absolute_url()))


def test_a_long_enough_session_is_not_flagged(client, secretary, plan):
    session = make_session(plan, at(2020, 3, 12, 8), minutes=90)
    record(session)
    client.force_login(secretary)
    assert "Ngắn hơn" not in client.get(session.get_absolute_url()).text


def test_with_the_regular_meeting_the_longer_rule_applies(client, secretary, plan):
    session = make_session(plan, at(2020, 3, 12, 8), minutes=100, regular=True)
    record(session)
    client.force_login(secretary)
    assert "Ngắn hơn 120 phút theo quy định." in text_of(client.get(session.get_absolute_url()))


def test_group_by_group_each_meeting_is_measured(client, secretary, groups, plan):
    session = make_session(plan, at(2020, 3, 12, 8), scope="groups")
    make_group_meeting(session, groups[0], at(2020, 3, 10, 8), minutes=120)
    make_group_meeting(session, groups[1], at(2020, 3, 11, 8), minutes=45)
    record(session)
    session = ThematicSession.objects.get(pk=session.pk)
    assert session.is_short
    assert [meeting.group for meeting in session.short_meetings] == [groups[1]]
    client.force_login(secretary)
    page = text_of(client.get(session.get_absolute_url()))
    assert "Ngắn hơn 90 phút theo quy định: Tổ 2." in page


def test_a_held_groups_meeting_keeps_its_real_length(client, secretary, groups, plan):
    session = make_session(plan, at(2020, 3, 12, 8), scope="groups")
    first = make_group_meeting(session, groups[0], at(2020, 3, 10, 8))
    second = make_group_meeting(session, groups[1], at(2020, 3, 11, 8))
    record(session)
    data = edit_data(session, start="12/03/2020 08:00", end="10:00")
    data.update(
        {
            "meetings-TOTAL_FORMS": "2",
            "meetings-INITIAL_FORMS": "2",
            "meetings-0-id": first.pk,
            "meetings-0-start": "10/03/2020 08:00",
            "meetings-0-end": "10:00",
            "meetings-1-id": second.pk,
            "meetings-1-start": "11/03/2020 08:00",
            "meetings-1-end": "08:50",
        }
    )
    client.force_login(secretary)
    response = client.post(reverse("sessions:edit", args=[session.pk]), data)
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.end == at(2020, 3, 11, 8, 50)


def test_the_summary_counts_and_lists_them(client, leader, plan):
    short = make_session(plan, at(2020, 3, 12, 8), minutes=60, topic="Học tập Chỉ thị 05")
    record(short)
    record(make_session(plan, at(2020, 4, 12, 8)))
    summary = year_summary(2020, cell=single_cell())
    assert [row.session for row in summary.sessions_short] == [short]
    assert summary.flag_count >= 1
    client.force_login(leader)
    page = text_of(client.get(reverse("sessions:summary", args=[2020])))
    assert "Kỳ 12/03/2020 (Học tập Chỉ thị 05) ngắn hơn 90 phút theo quy định." in page


def test_the_report_writes_how_many_were_short(client, leader, groups, plan):
    record(make_session(plan, at(2020, 3, 12, 8), minutes=60))
    by_group = make_session(plan, at(2020, 5, 12, 8), scope="groups")
    make_group_meeting(by_group, groups[0], at(2020, 5, 10, 8), minutes=70)
    make_group_meeting(by_group, groups[1], at(2020, 5, 11, 8))
    record(by_group)
    record(make_session(plan, at(2020, 5, 20, 8), minutes=100, regular=True))
    record(make_session(plan, at(2020, 5, 25, 8)))
    client.force_login(leader)
    page = text_of(client.get(reverse("sessions:annual_report", args=[2020])))
    assert (
        "Về thời lượng, so với quy định: 2 kỳ dưới 90 phút (12/03, 12/05) "
        "và 1 kỳ dưới 120 phút (20/05)." in page
    )


def test_a_report_without_short_sessions_says_nothing_of_length(client, leader, plan):
    record(make_session(plan, at(2020, 3, 12, 8)))
    client.force_login(leader)
    page = text_of(client.get(reverse("sessions:annual_report", args=[2020])))
    assert "Về thời lượng" not in page
