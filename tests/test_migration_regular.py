"""Regular meetings (thematic/0016) keep every existing session, its sheet and history.

Every session recorded before is a thematic session; one held with the regular
meeting (``with_regular_meeting``) becomes one meeting of both natures, with the
same row, the same attendance rows and the same history. A copy of
tests/data/demo-before-cells.sqlite3 is migrated to the migration before, read,
migrated through 0016, read again, and migrated back.
"""

import shutil
import sqlite3
from types import SimpleNamespace

import pytest

from tests.test_migration_cells import BEFORE, run

BEFORE_REGULAR = "0015_report_sections"
REGULAR = "0016_regular_meetings"
KEPT = (
    "thematic_thematicsession",
    "thematic_historicalthematicsession",
    "thematic_attendance",
    "thematic_historicalattendance",
    "thematic_groupmeeting",
)


def read(database) -> dict:
    with sqlite3.connect(database) as db:
        db.row_factory = sqlite3.Row
        rows = {
            table: [dict(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY 1")]  # noqa: S608
            for table in KEPT
        }
        rows["triggers"] = sorted(
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        )
    return rows


def renamed(row: dict) -> dict:
    """A session's row as 0016 writes it: ``with_regular_meeting`` is ``regular``."""
    if "with_regular_meeting" not in row:
        return row
    row = dict(row)
    row["regular"] = row.pop("with_regular_meeting")
    return row


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("regular")
    database = tmp_path / "chibo.sqlite3"
    shutil.copyfile(BEFORE, database)
    migrate = ["manage.py", "migrate", "thematic", "--no-input", "-v", "0"]
    run([*migrate[:3], BEFORE_REGULAR, *migrate[3:]], database, tmp_path)
    before = read(database)
    run([*migrate[:3], REGULAR, *migrate[3:]], database, tmp_path)
    after = read(database)
    run([*migrate[:3], BEFORE_REGULAR, *migrate[3:]], database, tmp_path)
    back = read(database)
    return SimpleNamespace(before=before, after=after, back=back)


def test_there_were_combined_and_thematic_sessions_with_sheets(upgraded):
    sessions = upgraded.before["thematic_thematicsession"]
    assert {row["with_regular_meeting"] for row in sessions} == {0, 1}
    assert len(upgraded.before["thematic_attendance"]) > 50


@pytest.mark.parametrize("table", KEPT)
def test_every_row_is_kept_with_its_values(upgraded, table):
    before, after = upgraded.before[table], upgraded.after[table]
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        old = renamed(old)
        assert {name: new[name] for name in old} == old


def key(row: dict) -> int:
    """A row's own key: a history row's is its ``history_id``."""
    return row.get("history_id", row["id"])


@pytest.mark.parametrize(
    "table", ["thematic_thematicsession", "thematic_historicalthematicsession"]
)
def test_each_session_is_thematic_and_a_combined_one_is_also_regular(upgraded, table):
    before = {key(row): row for row in upgraded.before[table]}
    for row in upgraded.after[table]:
        assert row["thematic"] == 1
        assert row["regular"] == before[key(row)]["with_regular_meeting"]


def test_the_attendance_triggers_are_back(upgraded):
    assert upgraded.after["triggers"] == upgraded.before["triggers"]
    assert upgraded.after["triggers"]


def test_migrating_back_restores_the_rows(upgraded):
    assert upgraded.back == upgraded.before
