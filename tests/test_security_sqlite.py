"""SQLite, the embedded default, lets several people save at once without an error."""

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

WRITERS = Path(__file__).with_name("sqlite_writers.py")
THREADS, WRITES = 8, 25


def run_writers(db_file, *mode):
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, WRITERS, db_file, str(THREADS), str(WRITES), *mode],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_concurrent_writers_all_land_on_a_sqlite_file(tmp_path):
    """8 threads × 25 read-then-write transactions on a migrated file database."""
    seen = run_writers(tmp_path / "chibo.sqlite3")
    assert seen["errors"] == []
    assert seen["rows"] == THREADS * WRITES
    assert seen["history_rows"] == THREADS * WRITES
    assert seen["journal_mode"] == "wal"


def test_without_immediate_transactions_the_same_load_fails(tmp_path):
    """The control: SQLite's default deferred transactions lose writes to "database is locked".

    This is what the settings prevent; if it ever passed, the test above would
    prove nothing.
    """
    seen = run_writers(tmp_path / "chibo.sqlite3", "deferred")
    assert any("database is locked" in error for error in seen["errors"])
    assert seen["rows"] + len(seen["errors"]) == THREADS * WRITES
