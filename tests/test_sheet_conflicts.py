"""Two people saving the same attendance sheet at the same moment, through the page.

tests/test_attendance_sheet.py shows the conflict message and the data kept
when a stale sheet is posted after the first save; tests/test_services_attendance.py
races the service itself. Here the whole request races, from two threads
with their own connections (tests/sheet_savers.py), on PostgreSQL and on a
SQLite file with Chibo's settings: one save lands, the other person gets the
conflict page (409), nobody gets an error page, and there is exactly one
row per member.
"""

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

SAVERS = Path(__file__).with_name("sheet_savers.py")


def run_savers(*arguments):
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, SAVERS, *arguments],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_once_give_one_save_and_one_conflict_page(tmp_path):
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        url = (
            f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:{db['PORT']}/"
            f"{db['NAME']}"
        )
        seen = run_savers(url)
    else:
        seen = run_savers(f"sqlite:///{tmp_path / 'chibo.sqlite3'}", "migrate")
    assert sorted(seen["answers"][name] for name in ("A", "B")) == [302, 409]
    loser = "A" if seen["answers"]["A"] == 409 else "B"
    assert seen["answers"][f"{loser}-page"] is True  # the conflict message, not an error
    assert seen["rows"] == seen["expected"] == 30
    assert seen["duplicates"] == 0
    assert seen["version"] == 1
    # The first save is kept whole: its conclusion with its own statuses.
    winner = "B" if loser == "A" else "A"
    assert seen["conclusion"] == winner
    assert seen["statuses"] == (["present"] if winner == "A" else ["unexcused"])
