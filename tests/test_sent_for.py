"""What the committee sees arrived from its cells: due days, late or not, in one query."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from chibo.settings import env_day_month
from members.models import Organisation, single_cell
from sessions import services
from sessions.models import Submission
from sessions.sent import due_date, sent_for
from tests.factories import at

pytestmark = pytest.mark.django_db

PLAN, REPORT = Submission.Kind.PLAN, Submission.Kind.REPORT


def send(cell, kind, year, day):
    """A sending on ``day`` (at 9:00 in Hà Nội), with a small document."""
    moment = at(day.year, day.month, day.day, 9)
    if kind == PLAN:
        cell.plans.update_or_create(
            year=year, defaults={"status": "approved", "approved_on": dt.date(year, 1, 5)}
        )
    return services.send_up(
        cell=cell,
        kind=kind,
        year=year,
        user=None,
        content=lambda submission: (f"<p>{submission.reference}</p>", {"sessions": 4}),
        now=moment,
    )


def make_cells(count):
    parent = single_cell().parent
    return [
        Organisation.objects.create(
            name=f"Chi bộ số {n}", kind=Organisation.Kind.CELL, parent=parent
        )
        for n in range(count)
    ]


def test_the_default_deadlines_are_31_january_and_15_december_of_the_year():
    assert due_date(PLAN, 2021) == dt.date(2021, 1, 31)
    assert due_date(REPORT, 2021) == dt.date(2021, 12, 15)


def test_the_deadlines_are_settings_and_29_february_is_the_28th_in_other_years(settings):
    settings.CHIBO_PLAN_DUE = (29, 2)
    settings.CHIBO_REPORT_DUE = (31, 12)
    assert due_date(PLAN, 2020) == dt.date(2020, 2, 29)
    assert due_date(PLAN, 2021) == dt.date(2021, 2, 28)
    assert due_date(REPORT, 2021) == dt.date(2021, 12, 31)


def test_a_deadline_is_read_from_the_environment_as_dd_mm(monkeypatch):
    monkeypatch.setenv("CHIBO_PLAN_DUE", "15/02")
    assert env_day_month("CHIBO_PLAN_DUE", (31, 1)) == (15, 2)
    monkeypatch.setenv("CHIBO_PLAN_DUE", "")
    assert env_day_month("CHIBO_PLAN_DUE", (31, 1)) == (31, 1)
    for wrong in ("31/02", "15-02", "mười lăm", "15/02/2021"):
        monkeypatch.setenv("CHIBO_PLAN_DUE", wrong)
        with pytest.raises(ImproperlyConfigured, match="CHIBO_PLAN_DUE"):
            env_day_month("CHIBO_PLAN_DUE", (31, 1))


def test_on_time_late_missing_and_not_yet_due():
    on_time, late, missing, corrected = make_cells(4)
    send(on_time, PLAN, 2021, dt.date(2021, 1, 31))
    send(late, PLAN, 2021, dt.date(2021, 2, 1))
    send(corrected, PLAN, 2021, dt.date(2021, 1, 20))
    send(corrected, PLAN, 2021, dt.date(2021, 3, 2))  # a correction, after the deadline
    rows = sent_for([on_time, late, missing, corrected], 2021, today=dt.date(2021, 6, 1))
    plans = {row.cell: row.plan for row in rows}
    assert [(p.sent, p.late, p.missing) for p in plans.values()] == [
        (True, False, False),
        (True, True, False),
        (False, True, True),
        (True, False, False),
    ]
    assert plans[corrected].count == 2
    assert plans[corrected].first_sent_on == dt.date(2021, 1, 20)
    assert plans[corrected].latest.reference == "2-KH/CB"  # the latest counts
    # The reports of 2021 are due on 15 December: not late yet in June.
    assert [(row.report.sent, row.report.late) for row in rows] == [(False, False)] * 4
    assert rows[0].report.due == dt.date(2021, 12, 15)


def test_a_report_not_sent_by_15_december_is_late_and_one_sent_then_is_not():
    sent, unsent = make_cells(2)
    send(sent, REPORT, 2021, dt.date(2021, 12, 15))
    rows = sent_for([sent, unsent], 2021, today=dt.date(2021, 12, 16))
    assert [(row.report.sent, row.report.late) for row in rows] == [(True, False), (False, True)]


def test_a_date_typed_before_chibo_counts_as_the_day_it_arrived():
    early, late = make_cells(2)
    for cell, day in ((early, dt.date(2021, 1, 13)), (late, dt.date(2021, 2, 13))):
        Submission.objects.create(cell=cell, kind=PLAN, year=2021, dated_on=day, typed_by_hand=True)
    rows = sent_for([early, late], 2021, today=dt.date(2021, 6, 1))
    assert [(row.plan.first_sent_on.day, row.plan.late) for row in rows] == [
        (13, False),
        (13, True),
    ]


def test_it_reads_the_year_asked_for_in_the_order_given_without_the_documents():
    first, second = make_cells(2)
    send(first, PLAN, 2020, dt.date(2020, 1, 10))
    send(second, PLAN, 2021, dt.date(2021, 1, 10))
    rows = sent_for([second, first], 2021, today=dt.date(2021, 6, 1))
    assert [row.cell for row in rows] == [second, first]
    assert [row.plan.sent for row in rows] == [True, False]
    latest = rows[0].plan.latest
    assert latest.cell is second  # no query to reach it
    assert "body" in latest.get_deferred_fields()
    assert latest.figures == {"sessions": 4}


@pytest.mark.parametrize("count", [2, 12])
def test_one_query_whatever_the_number_of_cells(django_assert_num_queries, count):
    cells = make_cells(count)
    for cell in cells:
        send(cell, PLAN, 2021, dt.date(2021, 1, 20))
        send(cell, PLAN, 2021, dt.date(2021, 2, 20))
        send(cell, REPORT, 2021, dt.date(2021, 12, 1))
    with django_assert_num_queries(1):
        rows = sent_for(cells, 2021, today=dt.date(2021, 12, 31))
        assert all(row.plan.count == 2 and row.report.sent for row in rows)
        assert [row.plan.latest.reference for row in rows[:1]] == ["2-KH/CB"]
    node = single_cell().parent
    with django_assert_num_queries(2):  # reading the cells themselves, then what they sent
        assert len(sent_for(Organisation.objects.filter(parent=node).cells(), 2021)) == count + 1
