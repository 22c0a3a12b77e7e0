"""Several threads writing at once to one SQLite file, each with its own connection.

Run by tests/test_security_sqlite.py in a subprocess, so that the database is a
real file with Chibo's settings (WAL, immediate transactions, busy timeout)
rather than pytest's in-memory test database:

    python tests/sqlite_writers.py DB_FILE THREADS WRITES [deferred]

Each write is the kind Chibo makes: read, then write two rows (the record and
its history) in one transaction. Prints one JSON line with what it saw.
"""

import json
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(db_file, threads, writes, mode="settings"):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "chibo.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    from members.models import PartyGroup, single_cell

    if not Path(db_file).exists():
        call_command("migrate", verbosity=0)
    if mode == "deferred":
        # The control: SQLite's default transactions, as without Chibo's settings.
        options = connections.settings["default"]["OPTIONS"]
        options.pop("transaction_mode")
        options["timeout"] = 1
    connection.close()

    start = threading.Barrier(threads)
    errors = []

    def writer(n):
        try:
            start.wait()
            for i in range(writes):
                try:
                    with transaction.atomic():
                        order = PartyGroup.objects.count()  # read first, then write
                        PartyGroup.objects.create(
                            cell=single_cell(), name=f"Tổ {n}-{i}", order=order
                        )
                except Exception as error:  # every failure is part of the result
                    errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    pool = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    print(
        json.dumps(
            {
                "rows": PartyGroup.objects.count(),
                "history_rows": PartyGroup.history.count(),
                "errors": errors,
                "journal_mode": journal_mode,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:])
