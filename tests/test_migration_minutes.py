"""The minutes' new fields and speeches (thematic/0013) keep every existing row as it was.

A copy of tests/data/demo-before-cells.sqlite3 is migrated in a subprocess to
the migration before, read, migrated through 0013, read again, and migrated
back (tests/test_migration_cells.py does the same for organisations).
"""

import shutil
import sqlite3
from types import SimpleNamespace

import pytest

from tests.test_migration_cells import BEFORE, run

BEFORE_MINUTES = "0012_plan_reported_on_removed"
MINUTES = "0013_minutes_as_kept"
TABLES = ("thematic_thematicsession", "thematic_groupmeeting", "thematic_attendance")
NEW_COLUMNS = {
    "thematic_thematicsession": {
        "votes_for": None,
        "votes_against": None,
        "votes_abstain": None,
        "prizes_presented_by": "",
    },
    "thematic_groupmeeting": {
        "minute_taker_id": None,
        "content": "",
        "conclusion": "",
        "votes_for": None,
        "votes_against": None,
        "votes_abstain": None,
    },
    "thematic_attendance": {},
}


def read(database) -> dict:
    with sqlite3.connect(database) as db:
        db.row_factory = sqlite3.Row
        rows = {
            table: [dict(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY id")]  # noqa: S608
            for table in TABLES
        }
        rows["triggers"] = sorted(
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        )
        rows["speech_table"] = bool(
            db.execute("SELECT 1 FROM sqlite_master WHERE name='thematic_speech'").fetchone()
        )
    return rows


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("minutes")
    database = tmp_path / "chibo.sqlite3"
    shutil.copyfile(BEFORE, database)
    migrate = ["manage.py", "migrate", "thematic", "--no-input", "-v", "0"]
    run([*migrate[:3], BEFORE_MINUTES, *migrate[3:]], database, tmp_path)
    before = read(database)
    run([*migrate[:3], MINUTES, *migrate[3:]], database, tmp_path)
    after = read(database)
    run([*migrate[:3], BEFORE_MINUTES, *migrate[3:]], database, tmp_path)
    back = read(database)
    return SimpleNamespace(before=before, after=after, back=back)


def test_there_were_sessions_and_group_meetings_to_keep(upgraded):
    assert len(upgraded.before["thematic_thematicsession"]) >= 7
    assert len(upgraded.before["thematic_groupmeeting"]) == 4
    assert upgraded.before["speech_table"] is False


@pytest.mark.parametrize("table", TABLES)
def test_every_existing_field_is_kept_and_the_new_ones_are_empty(upgraded, table):
    before, after = upgraded.before[table], upgraded.after[table]
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        assert {name: new[name] for name in old} == old
        assert {name: new[name] for name in set(new) - set(old)} == NEW_COLUMNS[table]


def test_the_triggers_are_kept_and_the_speeches_table_made(upgraded):
    assert upgraded.after["triggers"] == upgraded.before["triggers"]
    assert "thematic_attendance_held_insert" in upgraded.after["triggers"]
    assert upgraded.after["speech_table"] is True


def test_migrating_back_gives_the_rows_as_they_were(upgraded):
    for table in TABLES:
        assert upgraded.back[table] == upgraded.before[table]
    assert upgraded.back["triggers"] == upgraded.before["triggers"]
    assert upgraded.back["speech_table"] is False
