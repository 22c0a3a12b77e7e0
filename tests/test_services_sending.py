"""Sending to the superior committee on its own: numbers, refusals, what is frozen."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import translation

from members.models import Organisation, single_cell
from sessions import services
from sessions.models import Attendance, Submission
from sessions.reports.sending import send_report
from sessions.sent import send_plan
from tests.factories import at, make_plan, make_session, record

pytestmark = pytest.mark.django_db

PLAN, REPORT = Submission.Kind.PLAN, Submission.Kind.REPORT


def approved_plan(year=2020, **fields):
    return make_plan(year, status="approved", approved_on=dt.date(year, 1, 8), **fields)


def other_cell():
    return Organisation.objects.create(
        name="Chi bộ Trường Tiểu học Kim Đồng",
        kind=Organisation.Kind.CELL,
        parent=single_cell().parent,
    )


def test_numbers_run_per_cell_and_year_across_plans_and_reports(groups, secretary):
    cell = single_cell()
    cell.number_prefix = "CBCQ"
    cell.save()
    plan = approved_plan(2020)
    first = send_plan(plan=plan, user=secretary, now=at(2020, 1, 13, 9))
    report = send_report(cell=cell, year=2020, user=secretary, now=at(2020, 12, 10, 9))
    again = send_plan(plan=plan, user=secretary, now=at(2020, 12, 11, 9))
    next_year = send_report(cell=cell, year=2020, user=secretary, now=at(2021, 1, 5, 9))
    assert [s.reference for s in (first, report, again, next_year)] == [
        "1-KH/CBCQ",
        "2-BC/CBCQ",
        "3-KH/CBCQ",
        "1-BC/CBCQ",  # dated 2021: the first number of 2021
    ]
    assert (next_year.year, next_year.number_year) == (2020, 2021)


def test_another_cell_counts_its_own_numbers_and_an_empty_prefix_is_cb(groups):
    send_plan(plan=approved_plan(2020), user=None, now=at(2020, 1, 13, 9))
    cell = other_cell()
    sent = send_plan(plan=approved_plan(2020, cell=cell), user=None, now=at(2020, 1, 14, 9))
    assert (sent.cell, sent.reference) == (cell, "1-KH/CB")


def test_the_number_as_sent_stays_when_the_profile_changes(groups):
    sent = send_plan(plan=approved_plan(2020), user=None, now=at(2020, 1, 13, 9))
    Organisation.objects.filter(pk=sent.cell_id).update(number_prefix="CBMOI")
    sent.refresh_from_db()
    assert sent.reference == "1-KH/CB"


def test_a_sending_is_dated_the_day_it_is_sent_in_the_cells_time_zone(groups, secretary):
    # 23:30 in Hà Nội on 31 December is 16:30 UTC: the document is dated 31/12.
    sent = send_plan(plan=approved_plan(2021), user=secretary, now=at(2020, 12, 31, 23, 30))
    assert (sent.dated_on, sent.number_year, sent.sent_on) == (
        dt.date(2020, 12, 31),
        2020,
        dt.date(2020, 12, 31),
    )
    assert (sent.sent_by, sent.sent_by_name) == (secretary, "Nông Thị Hương")
    assert sent.history.get().history_user == secretary


@pytest.mark.parametrize(
    ("kind", "year", "message"),
    [
        (PLAN, 2020, "Kế hoạch chưa được chi ủy thông qua"),
        (PLAN, 2019, "Chi bộ chưa có kế hoạch sinh hoạt chuyên đề năm 2019."),
        (REPORT, 2021, "Năm 2021 chưa bắt đầu: chưa gửi được báo cáo của năm này."),
    ],
)
def test_what_cannot_be_sent_is_refused_and_nothing_is_written(groups, kind, year, message):
    make_plan(2020)  # a draft
    refusal = services.send_refusal(
        cell=single_cell(), kind=kind, year=year, today=dt.date(2020, 6, 1)
    )
    assert message in refusal
    with pytest.raises(services.ServiceError, match=message):
        services.send_up(
            cell=single_cell(),
            kind=kind,
            year=year,
            user=None,
            content=lambda submission: ("", {}),
            now=at(2020, 6, 1, 9),
        )
    assert not Submission.objects.exists()


def test_a_report_can_be_sent_in_its_year_or_after_and_a_plan_once_approved(groups):
    approved_plan(2020)
    for kind, year in ((PLAN, 2020), (REPORT, 2020), (REPORT, 2019)):
        refusal = services.send_refusal(
            cell=single_cell(), kind=kind, year=year, today=dt.date(2020, 6, 1)
        )
        assert refusal is None


def test_sending_again_keeps_every_sending(groups):
    plan = approved_plan(2020)
    first = send_plan(plan=plan, user=None, now=at(2020, 1, 13, 9))
    plan.title = "Kế hoạch năm 2020 (sửa đổi)"
    plan.save()
    second = send_plan(plan=plan, user=None, now=at(2020, 1, 20, 9))
    first.refresh_from_db()
    assert "(sửa đổi)" not in first.body
    assert list(Submission.objects.of_cell(single_cell()).of(PLAN, 2020).in_order_sent()) == [
        first,
        second,
    ]


def test_what_was_sent_stays_as_sent_when_a_sheet_is_corrected(groups, member, other_member):
    """The figures and the text are stored as sent: a correction changes the live report only."""
    session = make_session(approved_plan(2020), at(2020, 3, 12))
    record(session)
    sent = send_report(cell=single_cell(), year=2020, user=None, now=at(2020, 12, 10, 9))
    body, figures = sent.body, sent.figures
    assert figures["attendance"]["present"] == figures["attendance"]["expected"] == 2
    assert "(2/2 lượt đảng viên phải dự)" in body

    record(session, {other_member.member: Attendance.Status.UNEXCUSED})
    again = send_report(cell=single_cell(), year=2020, user=None, now=at(2020, 12, 11, 9))
    sent.refresh_from_db()
    assert (sent.body, sent.figures) == (body, figures)
    assert again.figures["attendance"]["unexcused"] == 1
    assert "(1/2 lượt đảng viên phải dự)" in again.body


def test_the_database_refuses_to_change_a_sending(groups):
    sent = send_plan(plan=approved_plan(2020), user=None, now=at(2020, 1, 13, 9))
    for change in (
        {"body": "<p>sửa lại</p>"},
        {"figures": {"sessions": 99}},
        {"number": 9},
        {"dated_on": dt.date(2020, 1, 1)},
        {"sent_by_name": "Người khác"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Submission.objects.filter(pk=sent.pk).update(**change)
    with pytest.raises(IntegrityError), transaction.atomic():
        sent.save()


def test_the_database_refuses_a_number_twice_in_a_cell_and_a_year(groups):
    sent = send_plan(plan=approved_plan(2020), user=None, now=at(2020, 1, 13, 9))
    duplicate = Submission(
        cell=sent.cell,
        kind=REPORT,
        year=2020,
        number=1,
        number_year=2020,
        reference="1-BC/CB",
        dated_on=dt.date(2020, 12, 1),
        sent_at=at(2020, 12, 1, 9),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_sending_has_a_number_or_is_a_date_typed_by_hand(groups):
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            cell=single_cell(), kind=PLAN, year=2020, dated_on=dt.date(2020, 1, 13)
        )
    typed = Submission.objects.create(
        cell=single_cell(), kind=PLAN, year=2020, dated_on=dt.date(2020, 1, 13), typed_by_hand=True
    )
    assert typed.sent_on == dt.date(2020, 1, 13)


def test_deleting_the_senders_login_keeps_the_sending_and_the_name(groups, secretary):
    sent = send_plan(plan=approved_plan(2020), user=secretary, now=at(2020, 1, 13, 9))
    User.objects.filter(pk=secretary.pk).delete()  # the member's link is SET_NULL too
    sent.refresh_from_db()
    assert (sent.sent_by, sent.sent_by_name) == (None, "Nông Thị Hương")


def test_the_document_is_written_in_vietnamese_whatever_the_senders_language(groups):
    with translation.override("en"):
        sent = send_plan(plan=approved_plan(2020), user=None, now=at(2020, 1, 13, 9))
    assert "KẾ HOẠCH" in sent.body and "Số 1-KH/CB" in sent.body
    assert "ngày 13 tháng 01 năm 2020" in sent.body
