"""Grading by criteria keeps every session's score and grade, proven on an old database.

tests/data/demo-before-cells.sqlite3 is the demo as an older Chibo wrote it,
with ten sessions scored and graded by hand. A copy is migrated in a
subprocess, as an upgrade would be (tests/test_migration_cells.py), then the
session page and the annual report read it.
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
from sessions.models import AnnualPlan
from sessions.reports.annual_report import annual_report

plan = AnnualPlan.objects.get(year=2020)
report = annual_report(2020, plan.cell)
print(json.dumps({"grades": [(str(label), n) for label, n in report.grades]}))
"""

SESSIONS = "SELECT id, score, grade FROM thematic_thematicsession ORDER BY id"


def sessions(database) -> list:
    with sqlite3.connect(database) as db:
        return [list(row) for row in db.execute(SESSIONS)]


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("grading")
    database = tmp_path / "chibo.sqlite3"
    shutil.copyfile(BEFORE, database)
    before = sessions(database)
    run(["manage.py", "migrate", "--no-input", "-v", "0"], database, tmp_path)
    with sqlite3.connect(database) as db:
        schemes = {
            row[0] for row in db.execute("SELECT grading_scheme FROM thematic_thematicsession")
        }
        scores = db.execute("SELECT count(*) FROM thematic_criterionscore").fetchone()[0]
    read = json.loads(run(["-c", READ], database, tmp_path).strip().splitlines()[-1])
    return SimpleNamespace(
        before=before, after=sessions(database), schemes=schemes, scores=scores, read=read
    )


def test_the_database_before_had_scores_and_grades(upgraded):
    assert sum(score is not None for _pk, score, _grade in upgraded.before) == 10
    assert {grade for _pk, _score, grade in upgraded.before} == {"good", "fair", ""}


def test_every_session_keeps_its_score_and_grade(upgraded):
    assert upgraded.after == upgraded.before


def test_they_are_marked_graded_before_criteria_and_nothing_is_made_up(upgraded):
    assert upgraded.schemes == {""}
    assert upgraded.scores == 0


def test_the_2020_report_still_counts_the_grades(upgraded):
    """Each Tốt of 2020 had the attendance the rule asks: all three still count."""
    assert upgraded.read["grades"] == [["Tốt", 3], ["Khá", 4]]
