"""thematic 0015 adds the report's sections and leaves plans and sendings as they were."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("thematic", "0012_plan_reported_on_removed")]
AFTER = [("thematic", "0015_report_sections")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_plans_and_sent_reports_are_intact_and_have_no_sections_yet():
    old = migrate(BEFORE)
    Organisation = old.get_model("members", "Organisation")
    AnnualPlan = old.get_model("thematic", "AnnualPlan")
    Submission = old.get_model("thematic", "Submission")
    # Another transactional test may have emptied the database, the seeded cell with it.
    cell = Organisation.objects.filter(kind="cell").first()
    if cell is None:
        committee = Organisation.objects.create(name="Đảng ủy Khối", kind="committee")
        cell = Organisation.objects.create(name="Chi bộ Cơ quan", kind="cell", parent=committee)
    plan = AnnualPlan.objects.create(
        cell=cell,
        year=2019,
        title="Kế hoạch năm 2019",
        status="approved",
        approved_on=dt.date(2019, 1, 8),
    )
    sent = Submission.objects.create(
        cell=cell,
        kind="report",
        year=2019,
        number=1,
        number_year=2019,
        reference="1-BC/CB",
        dated_on=dt.date(2019, 12, 14),
        body="<p>Báo cáo</p>",
        sent_at=dt.datetime(2019, 12, 14, 2, tzinfo=dt.UTC),
        figures={"sessions": {"held": 4}},
    )
    before = (
        list(AnnualPlan.objects.filter(pk=plan.pk).values()),
        list(Submission.objects.filter(pk=sent.pk).values()),
    )
    try:
        new = migrate(AFTER)
        assert (
            list(new.get_model("thematic", "AnnualPlan").objects.filter(pk=plan.pk).values()),
            list(new.get_model("thematic", "Submission").objects.filter(pk=sent.pk).values()),
        ) == before
        ReportText = new.get_model("thematic", "ReportText")
        assert not ReportText.objects.exists()
        ReportText.objects.create(cell_id=cell.pk, year=2019, strengths="Đủ kỳ.")
        assert ReportText.objects.get().causes == ""
    finally:
        # The schema the other tests expect, whatever happened: every app's latest.
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
