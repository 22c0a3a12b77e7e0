"""members/0010 gives every organisation a data version, proven on an old database.

tests/data/demo-before-cells.sqlite3 is the demo as an older Chibo wrote it.
A copy is migrated in a subprocess, as an upgrade would be
(tests/test_migration_cells.py): every organisation keeps its name and place
and gets a version; a write afterwards renews its cell's version and its
committee's; migrating back removes the column and keeps the rows.
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
from members.models import Organisation

print(json.dumps(list(Organisation.objects.order_by("pk").values(
    "pk", "name", "kind", "parent_id", "data_version"
))))
"""

WRITE = """
import django

django.setup()
from members.models import Member

member = Member.objects.order_by("pk").first()
member.phone = "0912 345 678"
member.save()
"""


def organisations(database):
    with sqlite3.connect(database) as db:
        return db.execute("SELECT id, name, kind, parent_id FROM members_organisation").fetchall()


def columns(database):
    with sqlite3.connect(database) as db:
        return {row[1] for row in db.execute("PRAGMA table_info(members_organisation)")}


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("versions")
    database = tmp_path / "chibo.sqlite3"
    shutil.copyfile(BEFORE, database)
    run(["manage.py", "migrate", "--no-input", "-v", "0"], database, tmp_path)
    after = json.loads(run(["-c", READ], database, tmp_path).strip().splitlines()[-1])
    run(["-c", WRITE], database, tmp_path)
    written = json.loads(run(["-c", READ], database, tmp_path).strip().splitlines()[-1])
    migrated_rows = organisations(database)
    run(["manage.py", "migrate", "members", "0009", "--no-input", "-v", "0"], database, tmp_path)
    return SimpleNamespace(
        after=after,
        written=written,
        migrated_rows=migrated_rows,
        back_rows=organisations(database),
        back_columns=columns(database),
    )


def test_every_organisation_has_a_version(upgraded):
    assert len(upgraded.after) >= 2  # the cell and its committee
    assert all(row["data_version"] is not None for row in upgraded.after)


def test_a_write_renews_the_cell_s_version_and_its_committee_s(upgraded):
    before = {row["pk"]: row["data_version"] for row in upgraded.after}
    after = {row["pk"]: row["data_version"] for row in upgraded.written}
    [cell] = [row for row in upgraded.after if row["kind"] == "cell"]
    assert after[cell["pk"]] != before[cell["pk"]]
    assert after[cell["parent_id"]] != before[cell["parent_id"]]


def test_migrating_back_keeps_every_organisation(upgraded):
    assert "data_version" not in upgraded.back_columns
    assert upgraded.back_rows == upgraded.migrated_rows
