"""The migration to organisations, proven on a database made before it.

tests/data/demo-before-cells.sqlite3 is the demo cell as load_demo wrote it
(clock at tests.builders.DEMO_TODAY) with the migrations of the day before
organisations existed. A copy is migrated in a subprocess, as an upgrade
would be, and must come out as one committee with one cell holding every
member, group and plan, without a row lost and with the same 2020 figures.
"""

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

BEFORE = Path(__file__).parent / "data" / "demo-before-cells.sqlite3"

# Tables the migration itself writes to: its own record, the new models'
# content types and permissions, the secretary's new permissions, the
# committee officer's new group, and the logins' role groups, which become
# roles in the cell (test_every_login_keeps_its_role_in_the_cell).
BOOKKEEPING = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group_permissions",
    "auth_group",
    "auth_user_groups",
}

# Run against the migrated copy: the figures the pages show, and the triggers.
FIGURES = """
import json

import django

django.setup()
from django.db import IntegrityError, transaction

from django.contrib.auth.models import User

from members.models import Member, Organisation, PartyGroup, Role
from sessions.models import AnnualPlan, Attendance, ThematicSession
from sessions.reports.summaries import year_summary

summary = year_summary(2020, cell=Organisation.objects.cells().get())
planned = ThematicSession.objects.exclude(status="held").first()
member = Member.objects.regular().first()
try:
    with transaction.atomic():
        Attendance.objects.create(session=planned, member=member, group_id=member.group_id)
    trigger = "missing"
except IntegrityError as error:
    trigger = str(error)
print(json.dumps({
    "committees": list(Organisation.objects.committees().values_list("name", "parent")),
    "cells": list(Organisation.objects.cells().values_list("pk", "name", "parent__name")),
    "cells_of_members": sorted(set(Member.objects.values_list("cell", flat=True))),
    "cells_of_groups": sorted(set(PartyGroup.objects.values_list("cell", flat=True))),
    "cells_of_plans": sorted(set(AnnualPlan.objects.values_list("cell", flat=True))),
    "history_without_cell": Member.history.filter(cell=None).count()
    + PartyGroup.history.filter(cell=None).count()
    + AnnualPlan.history.filter(cell=None).count(),
    "held": summary.totals.held,
    "held_by_group": summary.totals.held_by_group,
    "members": len(summary.members),
    "groups": len({row.group for row in summary.members}),
    "present": summary.figures.present,
    "expected": summary.figures.expected,
    "trigger": trigger,
    "roles": sorted(Role.objects.values_list("user__username", "kind", "organisation__kind")),
    "logins_in_groups": User.groups.through.objects.count(),
    "secretary_keeps_sessions": User.objects.get(username="secretary").has_perm(
        "thematic.change_thematicsession"
    ),
}))
"""


def table_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        count = 'SELECT COUNT(*) FROM "{}"'.format
        return {table: db.execute(count(table)).fetchone()[0] for table in tables}


def run(arguments, database: Path, tmp_path: Path) -> str:
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "chibo.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        # The defaults the migration names the committee and the cell from.
        "CHIBO_CELL_NAME": "Chi bộ",
        "CHIBO_SUPERIOR_COMMITTEE": "",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and project
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """Counts before, counts after and the figures of the migrated copy."""
    tmp_path = tmp_path_factory.mktemp("cells")
    database = tmp_path / "chibo.sqlite3"
    shutil.copyfile(BEFORE, database)
    before = table_counts(database)
    run(["manage.py", "migrate", "--no-input", "-v", "0"], database, tmp_path)
    after = table_counts(database)
    figures = json.loads(run(["-c", FIGURES], database, tmp_path).strip().splitlines()[-1])
    return SimpleNamespace(before=before, after=after, figures=figures)


def test_the_database_before_had_no_organisations(migrated):
    assert "members_organisation" not in migrated.before
    assert migrated.before["members_member"] == 34
    assert migrated.before["thematic_attendance"] == 307


def test_it_makes_one_committee_and_one_cell(migrated):
    assert migrated.figures["committees"] == [["Đảng bộ", None]]
    assert [name for _, name, _ in migrated.figures["cells"]] == ["Chi bộ"]
    assert [parent for _, _, parent in migrated.figures["cells"]] == ["Đảng bộ"]
    assert migrated.after["members_organisation"] == 2


def test_every_member_group_and_plan_is_in_that_cell(migrated):
    [cell] = [pk for pk, _, _ in migrated.figures["cells"]]
    assert migrated.figures["cells_of_members"] == [cell]
    assert migrated.figures["cells_of_groups"] == [cell]
    assert migrated.figures["cells_of_plans"] == [cell]
    assert migrated.figures["history_without_cell"] == 0


def test_no_row_is_lost(migrated):
    """Every table of before has as many rows after (members, sessions, history…)."""
    kept = {table: count for table, count in migrated.before.items() if table not in BOOKKEEPING}
    assert {table: migrated.after[table] for table in kept} == kept
    for table in (
        "members_member",
        "members_partygroup",
        "members_historicalmember",
        "thematic_annualplan",
        "thematic_thematicsession",
        "thematic_attendance",
        "thematic_historicalattendance",
        "thematic_document",
        "thematic_photo",
        "thematic_contestteam",
        "thematic_award",
    ):
        assert migrated.after[table] > 0, table


def test_every_login_keeps_its_role_in_the_cell(migrated):
    """The three demo logins' groups became roles in the one cell, with the same permissions."""
    assert migrated.before["auth_user_groups"] == 3
    assert migrated.figures["roles"] == [
        ["leader", "leader", "cell"],
        ["member", "member", "cell"],
        ["secretary", "secretary", "cell"],
    ]
    assert migrated.figures["logins_in_groups"] == 0
    assert migrated.figures["secretary_keeps_sessions"] is True


def test_the_demo_2020_figures_still_come_out(migrated):
    assert (migrated.figures["members"], migrated.figures["groups"]) == (30, 4)
    assert (migrated.figures["held"], migrated.figures["held_by_group"]) == (7, 1)
    assert (migrated.figures["present"], migrated.figures["expected"]) == (192, 206)


def test_the_attendance_triggers_survive_the_migration(migrated):
    """SQLite remakes a table to change a column: the triggers of thematic/0002 still stand."""
    assert "attendance requires a held session" in migrated.figures["trigger"]
