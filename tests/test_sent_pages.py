"""Sending the plan and the annual report to the superior committee, as users see it."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from members.models import Organisation, single_cell
from sessions.models import Attendance, Submission
from sessions.reports.sending import send_report
from sessions.sent import send_plan
from tests.builders import grow_cell
from tests.factories import at, make_plan, make_session, record
from tests.test_plan_pages import plan_queries

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", strip_tags(response.text))


def approved_plan(year=2020, **fields):
    return make_plan(year, status="approved", approved_on=dt.date(year, 1, 8), **fields)


def plan_page(client, year=2020):
    return text(client.get(reverse("sessions:plan", args=[year])))


def report_page(client, year=2020):
    return text(client.get(reverse("sessions:annual_report", args=[year])))


def test_secretary_sends_the_approved_plan_from_its_page(client, secretary, now):
    plan = approved_plan()
    make_session(plan, at(2020, 3, 12), topic="Học tập Chỉ thị 05")
    client.force_login(secretary)
    page = plan_page(client)
    assert "Chưa gửi; đã quá hạn gửi (ngày 31/01/2020)." in page
    send_url = reverse("sessions:plan_send", args=[2020])
    assert f'href="{send_url}"' in client.get(plan.get_absolute_url()).text

    confirm = text(client.get(send_url))
    assert "đề ngày 01/06/2020, số 1-KH/CB" in confirm
    assert "KẾ HOẠCH Sinh hoạt chuyên đề năm 2020" in confirm
    assert "Ngày 12/03/2020: “Học tập Chỉ thị 05”" in confirm
    assert not Submission.objects.exists()

    sent_page = text(client.post(send_url, follow=True))
    sent = Submission.objects.get()
    assert "Đã gửi cấp ủy cấp trên: Kế hoạch sinh hoạt chuyên đề năm 2020, số 1-KH/CB." in sent_page
    assert "bản đã gửi cấp ủy cấp trên lúc 10:00 ngày 01/06/2020; người gửi: Nông Thị Hương" in (
        sent_page
    )
    assert "Học tập Chỉ thị 05" in sent_page
    assert (sent.kind, sent.year, sent.sent_by) == ("plan", 2020, secretary)

    page = plan_page(client)
    assert "Đã gửi ngày 01/06/2020, số 1-KH/CB. Xem bản đã gửi" in page
    assert "gửi sau hạn 31/01/2020" in page
    assert "Gửi lại cấp ủy cấp trên" in page


def test_a_draft_plan_is_not_sent_and_the_pages_say_why(client, secretary, now):
    make_plan(2020)
    client.force_login(secretary)
    why = "Kế hoạch chưa được chi ủy thông qua: ghi ngày thông qua (Sửa kế hoạch) rồi mới gửi"
    assert why in plan_page(client)
    send_url = reverse("sessions:plan_send", args=[2020])
    assert send_url not in client.get(reverse("sessions:plan", args=[2020])).text
    confirm = client.get(send_url)
    assert why in text(confirm) and "Gửi cấp ủy cấp trên</button>" not in confirm.text
    response = client.post(send_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("sessions:plan", args=[2020])
    assert why in text(response)
    assert not Submission.objects.exists()


def test_secretary_sends_the_annual_report_and_is_told_of_sessions_to_come(
    client, secretary, member, now
):
    plan = approved_plan()
    record(make_session(plan, at(2020, 3, 12)))
    make_session(plan, at(2020, 9, 10), topic="Chuyển đổi số")
    client.force_login(secretary)
    assert "Chưa gửi; hạn gửi ngày 15/12/2020." in report_page(client)
    send_url = reverse("sessions:report_send", args=[2020])
    confirm = text(client.get(send_url))
    assert "Năm 2020 còn 1 kỳ sinh hoạt chưa tổ chức" in confirm
    assert "BÁO CÁO Kết quả sinh hoạt chuyên đề năm 2020" in confirm
    client.post(send_url)
    sent = Submission.objects.get()
    assert (sent.kind, sent.reference) == ("report", "1-BC/CB")
    assert "Số 1-BC/CB" in sent.body and "Chuyển đổi số" in sent.body
    assert "Đã gửi ngày 01/06/2020, số 1-BC/CB." in report_page(client)


def test_a_report_of_a_year_not_begun_is_refused(client, secretary, now):
    client.force_login(secretary)
    response = client.post(reverse("sessions:report_send", args=[2021]), follow=True)
    assert "Năm 2021 chưa bắt đầu: chưa gửi được báo cáo của năm này." in text(response)
    assert not Submission.objects.exists()


def test_the_copy_sent_stays_as_sent_when_a_sheet_is_corrected(
    client, secretary, member, other_member, now
):
    session = make_session(approved_plan(), at(2020, 3, 12))
    record(session)
    client.force_login(secretary)
    client.post(reverse("sessions:report_send", args=[2020]))
    sent = Submission.objects.get()
    before = "bình quân đạt 100,0 % (3/3 lượt đảng viên phải dự)"
    assert before in text(client.get(sent.get_absolute_url()))

    record(session, {other_member.member: Attendance.Status.UNEXCUSED})
    assert "bình quân đạt 66,7 % (2/3 lượt đảng viên phải dự)" in report_page(client)
    copy = text(client.get(sent.get_absolute_url()))
    assert before in copy and "66,7 %" not in copy
    assert sent.figures["attendance"] == {
        "expected": 3,
        "present": 3,
        "excused": 0,
        "unexcused": 0,
        "rate": "100.0",
    }


def test_earlier_sendings_stay_readable_and_say_a_later_one_counts(client, secretary, now):
    plan = approved_plan()
    first = send_plan(plan=plan, user=secretary, now=at(2020, 1, 13, 9))
    latest = send_plan(plan=plan, user=secretary, now=at(2020, 2, 3, 9))
    client.force_login(secretary)
    page = client.get(plan.get_absolute_url()).text
    assert "Đã gửi ngày 03/02/2020, số 2-KH/CB." in text(client.get(plan.get_absolute_url()))
    assert "1 lần gửi trước" in page and first.get_absolute_url() in page
    old = text(client.get(first.get_absolute_url()))
    assert "Chi bộ đã gửi lại sau đó (ngày 03/02/2020)" in old
    assert "Số 1-KH/CB" in old
    assert "Chi bộ đã gửi lại sau đó" not in text(client.get(latest.get_absolute_url()))


def test_the_plans_lateness_is_the_first_sendings(client, secretary, now):
    """Sent on time, corrected after the deadline: it arrived on time."""
    plan = approved_plan()
    send_plan(plan=plan, user=secretary, now=at(2020, 1, 13, 9))
    send_plan(plan=plan, user=secretary, now=at(2020, 2, 3, 9))
    client.force_login(secretary)
    assert "gửi sau hạn" not in plan_page(client)


def test_leader_reads_what_was_sent_and_cannot_send(client, leader, secretary, now):
    plan = approved_plan()
    sent = send_plan(plan=plan, user=secretary, now=at(2020, 1, 13, 9))
    report = send_report(cell=single_cell(), year=2020, user=secretary, now=at(2020, 5, 4, 9))
    client.force_login(leader)
    page = plan_page(client)
    assert "Đã gửi ngày 13/01/2020, số 1-KH/CB. Xem bản đã gửi" in page
    assert "Gửi lại cấp ủy cấp trên" not in page
    assert "Đã gửi ngày 04/05/2020, số 2-BC/CB." in report_page(client)
    assert "KẾ HOẠCH" in text(client.get(sent.get_absolute_url()))
    assert "BÁO CÁO" in text(client.get(report.get_absolute_url()))
    for url in (
        reverse("sessions:plan_send", args=[2020]),
        reverse("sessions:report_send", args=[2020]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert Submission.objects.count() == 2


def test_members_and_anonymous_visitors_see_nothing_sent(client, member, secretary, now):
    sent = send_plan(plan=approved_plan(), user=secretary, now=at(2020, 1, 13, 9))
    urls = (
        sent.get_absolute_url(),
        reverse("sessions:plan_send", args=[2020]),
        reverse("sessions:report_send", args=[2020]),
    )
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(member)
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert Submission.objects.count() == 1


def test_another_cells_sending_is_404(client, secretary, leader, now):
    cell = Organisation.objects.create(
        name="Chi bộ Trường Tiểu học Kim Đồng",
        kind=Organisation.Kind.CELL,
        parent=single_cell().parent,
    )
    theirs = send_plan(plan=approved_plan(cell=cell), user=None, now=at(2020, 1, 13, 9))
    for user in (secretary, leader):
        client.force_login(user)
        assert client.get(theirs.get_absolute_url()).status_code == 404
    client.force_login(secretary)
    approved_plan()
    assert "Chưa gửi" in plan_page(client)  # their sending is not ours


def test_a_date_typed_before_chibo_reads_as_a_date_only(client, secretary, now):
    plan = approved_plan()
    typed = Submission.objects.create(
        cell=plan.cell, kind="plan", year=2020, dated_on=dt.date(2020, 1, 13), typed_by_hand=True
    )
    client.force_login(secretary)
    page = plan_page(client)
    assert "Đã báo cáo cấp ủy cấp trên ngày 13/01/2020 (ngày do chi bộ tự ghi" in page
    assert "Xem bản đã gửi" not in page
    copy = text(client.get(typed.get_absolute_url()))
    assert "Chibo chỉ giữ ngày ấy, không giữ văn bản đã gửi khi đó." in copy
    assert "In văn bản" not in copy


def test_the_plan_page_makes_as_many_queries_with_many_sendings(client, secretary, now):
    plan = approved_plan()
    client.force_login(secretary)
    send_plan(plan=plan, user=secretary, now=at(2020, 1, 13, 9))
    few = plan_queries(client, 2020)
    for day in range(14, 24):
        send_plan(plan=plan, user=secretary, now=at(2020, 1, day, 9))
    assert plan_queries(client, 2020) == few


@pytest.mark.parametrize("what", ["send", "sent"])
def test_sending_pages_make_the_same_queries_for_30_and_300_members(
    client, secretary, django_assert_max_num_queries, what, now
):
    """The report is counted by the database, and what was sent is never counted again."""
    client.force_login(secretary)
    grow_cell(30, [2019, 2020])

    def page():
        if what == "send":
            return reverse("sessions:report_send", args=[2020])
        return send_report(cell=single_cell(), year=2020, user=secretary).get_absolute_url()

    url = page()
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    grow_cell(300, [2017, 2018, 2019, 2020, 2021], sessions_per_year=12, n_groups=20)
    url = page()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
