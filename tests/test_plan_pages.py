"""The annual plan: create, edit, see by quarter, start next year's from this year's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import AnnualPlan, Attendance, GroupMeeting, ThematicSession
from tests.factories import at, make_group_meeting, make_plan, make_session, record

pytestmark = pytest.mark.django_db


def plan_data(**fields):
    data = {
        "year": "2021",
        "title": "",
        "status": "draft",
        "approved_on": "",
        "notes": "",
    }
    data.update(fields)
    return data


def test_secretary_creates_a_plan_with_a_default_title(client, secretary, now):
    client.force_login(secretary)
    page = client.get(reverse("sessions:plan_create"))
    assert page.context["form"]["year"].value() == 2020  # this year, as it has no plan yet
    response = client.post(reverse("sessions:plan_create"), plan_data(notes="Theo Hướng dẫn 12"))
    plan = AnnualPlan.objects.get()
    assert response.url == plan.get_absolute_url()
    assert (plan.year, plan.title, plan.status) == (
        2021,
        "Kế hoạch sinh hoạt chuyên đề năm 2021",
        "draft",
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "approved"}, "Kế hoạch đã thông qua cần có ngày thông qua."),
        ({"year": "2020"}, "Chi bộ đã có kế hoạch của năm này."),
        ({"year": "1800"}, "Năm của kế hoạch không hợp lệ."),
        ({"year": "hai nghìn"}, "Hãy nhập một số nguyên."),
        ({"approved_on": "31/02/2021"}, "Nhập một ngày hợp lệ."),
        (
            {"status": "approved", "approved_on": "01/01/0001"},
            "Ngày thông qua của kế hoạch năm 2021 không thể trước ngày 01/01/2020.",
        ),
        ({"approved_on": "31/12/2019"}, "không thể trước ngày 01/01/2020."),
        ({"approved_on": "02/06/2020"}, "Ngày thông qua không thể ở tương lai."),
    ],
)
def test_plan_form_refuses_bad_input(client, secretary, now, fields, message):
    make_plan(2020)
    client.force_login(secretary)
    response = client.post(reverse("sessions:plan_create"), plan_data(**fields))
    assert response.status_code == 200
    assert message in response.text
    assert list(AnnualPlan.objects.values_list("year", flat=True)) == [2020]


def test_secretary_approves_a_plan_and_the_page_shows_it(client, secretary, now):
    plan = make_plan(2020)
    client.force_login(secretary)
    client.post(
        reverse("sessions:plan_edit", args=[2020]),
        {
            "title": "Kế hoạch 2020",
            "status": "approved",
            "approved_on": "08/01/2020",
            "notes": "Đã báo cáo Đảng ủy Khối",
        },
    )
    plan.refresh_from_db()
    assert (plan.status, plan.approved_on.isoformat()) == ("approved", "2020-01-08")
    page = client.get(plan.get_absolute_url()).text
    assert "Đã được chi ủy thông qua" in page
    assert "08/01/2020" in page
    assert "Đã báo cáo Đảng ủy Khối" in page


def test_editing_a_plan_checks_its_dates_against_its_year(client, secretary, now):
    plan = make_plan(2020)
    client.force_login(secretary)
    response = client.post(
        reverse("sessions:plan_edit", args=[2020]),
        {"title": "Kế hoạch 2020", "status": "approved", "approved_on": "31/12/2018"},
    )
    assert response.context["form"].errors["approved_on"] == [
        "Ngày thông qua của kế hoạch năm 2020 không thể trước ngày 01/01/2019."
    ]
    plan.refresh_from_db()
    assert (plan.status, plan.approved_on) == ("draft", None)
    client.post(
        reverse("sessions:plan_edit", args=[2020]),
        {"title": "Kế hoạch 2020", "status": "approved", "approved_on": "15/12/2019"},
    )
    plan.refresh_from_db()
    assert plan.approved_on.isoformat() == "2019-12-15"


def test_plan_page_groups_sessions_by_quarter_and_marks_empty_quarters(client, secretary, now):
    plan = make_plan(2020)
    make_session(plan, at(2020, 1, 16), topic="Rung chuông vàng")
    make_session(plan, at(2020, 5, 19), topic="Chỉ thị 05")
    make_session(plan, at(2020, 8, 19), topic="Bị hủy", status="cancelled")
    client.force_login(secretary)
    response = client.get(plan.get_absolute_url())
    quarters = {q: [s.topic for s in sessions] for q, sessions, _m in response.context["quarters"]}
    assert quarters == {1: ["Rung chuông vàng"], 2: ["Chỉ thị 05"], 3: ["Bị hủy"], 4: []}
    missing = [q for q, _s, is_missing in response.context["quarters"] if is_missing]
    assert missing == [3, 4]
    assert response.text.count("Chưa đủ kỳ sinh hoạt chuyên đề") == 2
    assert reverse("sessions:create", args=[2020]) in response.text


def test_leader_reads_the_plan_without_actions(client, leader, now):
    plan = make_plan(2020)
    client.force_login(leader)
    page = client.get(plan.get_absolute_url()).text
    assert reverse("sessions:create", args=[2020]) not in page
    assert reverse("sessions:plan_edit", args=[2020]) not in page


def test_copying_a_plan_moves_topics_one_year_on(client, secretary, groups, now):
    plan = make_plan(2020, status="approved", approved_on=at(2020, 1, 8).date())
    held = make_session(
        plan,
        at(2020, 3, 12),
        topic="Quán triệt Nghị quyết",
        format="seminar",
        conclusion="Đã kết luận",
        score=90,
        grade="good",
        preparer=secretary.member,
        location="Hội trường",
    )
    record(held)
    by_group = make_session(plan, at(2020, 5, 14, 14), topic="Theo tổ", scope="groups")
    make_group_meeting(by_group, groups[0], at(2020, 5, 12, 14), location="Phòng 1")
    make_session(plan, at(2020, 9, 1), topic="Đã hủy", status="cancelled")
    client.force_login(secretary)

    page = client.get(reverse("sessions:plan_copy", args=[2020]))
    assert "Quán triệt Nghị quyết" in page.text and "Đã hủy" not in page.text
    assert AnnualPlan.objects.count() == 1  # GET copies nothing

    response = client.post(reverse("sessions:plan_copy", args=[2020]))
    copy = AnnualPlan.objects.get(year=2021)
    assert response.url == copy.get_absolute_url()
    assert copy.status == "draft"
    sessions = list(copy.sessions.order_by("start"))
    assert [s.topic for s in sessions] == ["Quán triệt Nghị quyết", "Theo tổ"]
    first = sessions[0]
    assert (first.start, first.end) == (at(2021, 3, 12), at(2021, 3, 12, 10))
    assert (first.status, first.conclusion, first.score, first.grade) == ("planned", "", None, "")
    assert (first.format, first.location, first.preparer) == (
        "seminar",
        "Hội trường",
        secretary.member,
    )
    assert not Attendance.objects.filter(session__plan=copy).exists()
    meeting = GroupMeeting.objects.get(session=sessions[1])
    assert (meeting.start, meeting.location) == (at(2021, 5, 12, 14), "Phòng 1")


def test_copying_into_a_plan_that_has_sessions_is_refused(client, secretary, now):
    make_session(make_plan(2020), at(2020, 3, 12), topic="A")
    make_session(make_plan(2021), at(2021, 3, 12), topic="B")
    client.force_login(secretary)
    response = client.post(reverse("sessions:plan_copy", args=[2020]), follow=True)
    assert "đã có kỳ sinh hoạt; không sao chép chồng lên" in response.text
    assert list(
        ThematicSession.objects.filter(plan__year=2021).values_list("topic", flat=True)
    ) == ["B"]


def plan_queries(client, year):
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("sessions:plan", args=[year])).status_code == 200
    return len(context.captured_queries)


def test_plan_page_queries_do_not_grow_with_the_plan(client, secretary, now):
    client.force_login(secretary)
    plan = make_plan(2020)
    make_session(plan, at(2020, 3, 12))
    few = plan_queries(client, 2020)
    for month in range(1, 13):
        for day in (3, 17):
            make_session(plan, at(2020, month, day), scope="groups" if day == 3 else "cell")
    assert plan_queries(client, 2020) == few
