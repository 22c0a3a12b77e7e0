"""The plan's hand-typed "reported on" date becomes a sending, proven on an old database.

tests/data/demo-before-cells.sqlite3 is the demo as an older Chibo wrote it:
its 2020 plan was reported to the superior committee on 13/01/2020, typed by
hand; here the 2026 plan's date is emptied first, to show that a plan
without one gets no sending. A copy is migrated in a subprocess, as an
upgrade would be (tests/test_migration_cells.py), and then back.
"""

import json
import shutil
import sqlite3
from types import SimpleNamespace

import pytest

from tests.test_migration_cells import BEFORE, run

READ = """
import json

import django

django.setup()
from sessions.models import AnnualPlan, Submission
from sessions.reports.annual_report import annual_report

plan = AnnualPlan.objects.get(year=2020)
print(json.dumps({
    "sendings": list(Submission.objects.order_by("pk").values(
        "kind", "year", "dated_on", "number", "reference", "sent_at", "sent_by",
        "sent_by_name", "body", "figures", "typed_by_hand",
    )),
    "sentence": annual_report(2020, plan.cell).plan_sentence(),
    "has_field": any(f.name == "reported_on" for f in AnnualPlan._meta.get_fields()),
}, default=str))
"""

# Sending the 2026 plan through Chibo, as a cell would after the upgrade.
SEND = """
import datetime as dt
import django

django.setup()
from django.utils import timezone
from sessions.models import AnnualPlan
from sessions.sent import send_plan

moment = dt.datetime(2026, 2, 2, 9, tzinfo=timezone.get_default_timezone())
send_plan(plan=AnnualPlan.objects.get(year=2026), user=None, now=moment)
"""


def reported_on(database) -> dict[int, str | None]:
    with sqlite3.connect(database) as db:
        return dict(db.execute("SELECT year, reported_on FROM thematic_annualplan"))


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("sent")
    database = tmp_path / "chibo.sqlite3"
    shutil.copyfile(BEFORE, database)
    with sqlite3.connect(database) as db:
        db.execute("UPDATE thematic_annualplan SET reported_on = NULL WHERE year = 2026")
    before = reported_on(database)
    run(["manage.py", "migrate", "--no-input", "-v", "0"], database, tmp_path)
    after = json.loads(run(["-c", READ], database, tmp_path).strip().splitlines()[-1])
    run(["-c", SEND], database, tmp_path)
    run(["manage.py", "migrate", "thematic", "0010", "--no-input", "-v", "0"], database, tmp_path)
    back = reported_on(database)
    return SimpleNamespace(before=before, after=after, back=back)


def test_the_database_before_had_a_typed_date(upgraded):
    assert upgraded.before == {2020: "2020-01-13", 2026: None}


def test_each_typed_date_is_a_sending_of_that_years_plan_marked_as_typed(upgraded):
    [sending] = upgraded.after["sendings"]
    assert (sending["kind"], sending["year"], sending["dated_on"]) == ("plan", 2020, "2020-01-13")
    assert sending["typed_by_hand"] is True


def test_nothing_is_made_up_for_it(upgraded):
    """No number, no sender, no time, no content: Chibo never saw what was sent."""
    [sending] = upgraded.after["sendings"]
    assert (sending["number"], sending["reference"], sending["sent_at"]) == (None, "", None)
    assert (sending["sent_by"], sending["sent_by_name"]) == (None, "")
    assert (sending["body"], sending["figures"]) == ("", {})


def test_the_field_is_gone_and_the_report_still_states_the_date(upgraded):
    assert upgraded.after["has_field"] is False
    assert upgraded.after["sentence"].endswith(
        "gồm 7 chuyên đề; kế hoạch đã được báo cáo cấp ủy cấp trên ngày 13/01/2020."
    )


def test_migrating_back_gives_each_plan_the_date_of_its_latest_sending(upgraded):
    """The typed date comes back, and so does the day of a plan Chibo sent meanwhile."""
    assert upgraded.back == {2020: "2020-01-13", 2026: "2026-02-02"}
