"""Grading by criteria: the scheme of the session's date, totals and grades, the attendance rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from sessions import services
from sessions.grading import HD12_2018, HD42_2025, scheme_on
from sessions.models import Attendance, AttendanceFigures, CriterionScore
from sessions.reports.annual_report import annual_report
from sessions.reports.summaries import year_summary
from tests.factories import at, make_member, make_session, record

pytestmark = pytest.mark.django_db

P, E, U = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED
# In these tests the 2025 version starts on 1 May 2020, within the frozen clock's year.
SCHEMES = [("2018-07-06", "hd12-2018"), ("2020-05-01", "hd42-2025")]
REFUSED_GOOD = (
    "Kỳ sinh hoạt chỉ được xếp loại Tốt khi tỷ lệ đảng viên dự trên 85 % và không có "
    "đảng viên vắng không lý do"
)


def points(total=95):
    """Points of the 2018 scheme (15, 20, 45, 20 at most) that add up to ``total``."""
    result = {}
    for key, most in (("conduct", 45), ("attendance", 20), ("conclusion", 20), ("preparation", 15)):
        result[key] = Decimal(min(most, total))
        total -= result[key]
    return result


def form(total=95, grade=""):
    return {f"points_{key}": str(value) for key, value in points(total).items()} | {"grade": grade}


@pytest.fixture
def members(groups, secretary):
    """Twenty expected members: the secretary and nineteen others."""
    return [secretary.member] + [
        make_member(groups[n % 2], f"Đảng viên {n:02}") for n in range(1, 20)
    ]


@pytest.fixture
def held(members, now):
    """Held on 12 March 2020 (the 2018 scheme), everyone present."""
    session = make_session(start=at(2020, 3, 12))
    record(session)
    return session


def with_absences(session, members, **absences):
    """Save the sheet again: ``excused`` and ``unexcused`` members from the end of the list."""
    statuses = {}
    others = list(reversed(members))
    for _n in range(absences.get("excused", 0)):
        statuses[others.pop(0)] = E
    for _n in range(absences.get("unexcused", 0)):
        statuses[others.pop(0)] = U
    record(session, statuses)
    session.refresh_from_db()
    return session


# --- Which scheme -----------------------------------------------------------------


def test_the_scheme_in_force_is_the_latest_started_by_the_day(settings):
    assert scheme_on(dt.date(2020, 3, 12)) == HD12_2018
    assert scheme_on(dt.date(2025, 10, 27)) == HD12_2018
    assert scheme_on(dt.date(2025, 10, 28)) == HD42_2025
    # Before the first version: the first, as Chibo knows no older scheme.
    assert scheme_on(dt.date(2015, 1, 1)) == HD12_2018
    settings.CHIBO_GRADING_SCHEMES = [("2026-01-01", "hd42-2025"), ("2018-01-01", "hd12-2018")]
    assert scheme_on(dt.date(2025, 12, 31)) == HD12_2018
    assert scheme_on(dt.date(2026, 1, 1)) == HD42_2025


def test_a_session_the_day_before_and_the_day_a_scheme_starts(
    client, secretary, members, now, settings
):
    """The page offers the criteria of the scheme of the session's own date."""
    settings.CHIBO_GRADING_SCHEMES = SCHEMES
    before = make_session(start=at(2020, 4, 30))
    on_the_day = make_session(start=at(2020, 5, 1), topic="Chuyên đề tháng Năm")
    for session in (before, on_the_day):
        record(session)
    client.force_login(secretary)
    page = client.get(reverse("sessions:grading", args=[before.pk])).text
    assert "Hướng dẫn 12-HD/BTCTW năm 2018" in page
    assert "Kết luận, nghị quyết" in page and "Tối đa 45 điểm." in page
    assert "Thực hiện nguyên tắc tổ chức, sinh hoạt đảng" not in page
    page = client.get(reverse("sessions:grading", args=[on_the_day.pk])).text
    assert "Hướng dẫn 42-HD/BTCTW năm 2025" in page
    assert "Thực hiện nguyên tắc tổ chức, sinh hoạt đảng" in page and "Tối đa 30 điểm." in page


def test_the_session_page_shows_the_points_of_each_criterion(client, secretary, held):
    services.grade_session(session=held, points=points(95))
    client.force_login(secretary)
    page = client.get(held.get_absolute_url()).text
    assert (
        "Hướng dẫn 12-HD/BTCTW năm 2018: Công tác chuẩn bị 10/15; "
        "Tỷ lệ đảng viên dự sinh hoạt 20/20; Tổ chức sinh hoạt 45/45; Kết luận, nghị quyết 20/20"
    ) in page


def test_the_session_keeps_the_scheme_it_was_graded_under(held, secretary):
    services.grade_session(session=held, points=points(95), user=secretary)
    held.refresh_from_db()
    assert (held.grading_scheme, held.score, held.grade) == ("hd12-2018", Decimal(95), "good")
    rows = dict(CriterionScore.objects.filter(session=held).values_list("criterion", "points"))
    assert rows == points(95)
    assert CriterionScore.history.filter(session=held).first().history_user == secretary


# --- Totals and thresholds --------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "good"),
        ("90", "good"),
        ("89.5", "fair"),
        ("70", "fair"),
        ("69.5", "average"),
        ("50", "average"),
        ("49.5", "poor"),
        ("0", "poor"),
    ],
)
def test_each_threshold_boundary(total, grade):
    assert HD12_2018.grade_for(Decimal(total)) == grade
    assert HD42_2025.grade_for(Decimal(total)) == grade


def test_both_schemes_total_100_points():
    assert HD12_2018.max_score == HD42_2025.max_score == 100


@pytest.mark.parametrize(("total", "grade"), [(90, "good"), (89, "fair"), (50, "average")])
def test_the_total_and_grade_are_stored_from_the_criteria(held, total, grade):
    result = services.grade_session(session=held, points=points(total))
    held.refresh_from_db()
    assert (result.total, held.score, held.grade) == (total, total, grade)


# --- The attendance rule, in one place ------------------------------------------


def test_is_good_needs_a_rate_above_the_threshold_and_no_unexcused_absence(settings):
    settings.CHIBO_GOOD_ATTENDANCE_PERCENT = 85
    assert AttendanceFigures(expected=20, present=18, excused=2).is_good()  # 90 %
    assert not AttendanceFigures(expected=20, present=17, excused=3).is_good()  # 85 % exactly
    assert not AttendanceFigures(expected=20, present=19, unexcused=1).is_good()  # 95 %
    assert not AttendanceFigures().is_good()  # nobody expected
    settings.CHIBO_GOOD_ATTENDANCE_PERCENT = 95
    assert not AttendanceFigures(expected=20, present=18, excused=2).is_good()


@pytest.mark.parametrize(
    ("absences", "figures"),
    [({"excused": 3}, "17/20 (85,0 %), 0 đảng viên"), ({"unexcused": 1}, "19/20 (95,0 %), 1")],
)
def test_good_is_refused_on_the_field_with_the_reason(
    client, secretary, held, members, absences, figures
):
    with_absences(held, members, **absences)
    client.force_login(secretary)
    response = client.post(reverse("sessions:grading", args=[held.pk]), form(95, "good"))
    assert response.status_code == 200
    field = response.context["form"]["grade"]
    assert REFUSED_GOOD in field.errors[0]
    assert figures in field.errors[0]
    held.refresh_from_db()
    assert (held.score, held.grade, held.grading_scheme) == (None, "", "")
    assert not CriterionScore.objects.filter(session=held).exists()


def test_a_computed_good_becomes_fair_with_the_reason_shown(client, secretary, held, members):
    with_absences(held, members, excused=3)
    client.force_login(secretary)
    page = client.get(reverse("sessions:grading", args=[held.pk])).text
    assert REFUSED_GOOD in page
    response = client.post(reverse("sessions:grading", args=[held.pk]), form(95), follow=True)
    assert REFUSED_GOOD in response.text  # the message after saving
    held.refresh_from_db()
    assert (held.score, held.grade) == (95, "fair")


def test_the_service_refuses_good_too(held, members):
    with_absences(held, members, unexcused=1)
    with pytest.raises(services.ServiceError, match="chỉ được xếp loại Tốt"):
        services.grade_session(session=held, points=points(95), grade="good")


def test_the_secretary_may_lower_the_grade_never_raise_it(client, secretary, held):
    client.force_login(secretary)
    url = reverse("sessions:grading", args=[held.pk])
    response = client.post(url, form(75, "good"))
    assert "Với 75 điểm, kỳ sinh hoạt được xếp loại cao nhất là Khá." in response.text
    assert client.post(url, form(95, "average")).status_code == 302
    held.refresh_from_db()
    assert (held.score, held.grade) == (95, "average")


def test_points_above_a_criterions_maximum_are_refused_on_the_field(client, secretary, held):
    client.force_login(secretary)
    data = form(95) | {"points_preparation": "16", "points_conduct": "-1"}
    response = client.post(reverse("sessions:grading", args=[held.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["points_preparation"] == ["Tiêu chí này tối đa 15 điểm."]
    assert errors["points_conduct"] == ["Điểm không được âm."]
    assert not CriterionScore.objects.exists()


def test_the_database_refuses_negative_points(held):
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionScore.objects.create(session=held, criterion="conduct", points=-1)


def test_a_session_not_held_cannot_be_graded(client, secretary, members, now):
    session = make_session(start=at(2020, 9, 1))
    client.force_login(secretary)
    response = client.get(reverse("sessions:grading", args=[session.pk]), follow=True)
    assert "Chỉ chấm điểm kỳ sinh hoạt đã tổ chức." in response.text


def test_a_held_session_without_its_roll_call_cannot_be_graded(held, members):
    without = make_session(start=at(2020, 4, 2), status="held")
    with pytest.raises(services.ServiceError, match="Hãy lưu bảng điểm danh trước"):
        services.grade_session(session=without, points=points(95))
    assert services.grading_refusal(held) is None


def test_attendance_saved_after_grading_takes_good_away(held, members):
    services.grade_session(session=held, points=points(95))
    with_absences(held, members, unexcused=1)
    assert (held.score, held.grade) == (95, "fair")


# --- The summaries count good sessions with the same rule ------------------------


def test_summaries_count_a_session_good_only_when_graded_good_and_allowed(held, members):
    services.grade_session(session=held, points=points(95))  # Tốt, everyone present
    fair = make_session(start=at(2020, 4, 2))
    record(fair)
    services.grade_session(session=fair, points=points(80))  # Khá
    # Graded Tốt before criteria (no scheme) with 85 % attendance: counted as Khá.
    old = make_session(start=at(2020, 5, 5))
    with_absences(old, members, excused=3)
    type(old).objects.filter(pk=old.pk).update(score=92, grade="good")

    summary = year_summary(2020, cell=held.plan.cell)
    assert [row.session for row in summary.good_sessions] == [held]
    report = annual_report(2020, held.plan.cell)
    assert [(str(label), count) for label, count in report.grades] == [("Tốt", 1), ("Khá", 2)]
    old.refresh_from_db()
    assert (old.score, old.grade) == (92, "good")  # what was recorded stays
