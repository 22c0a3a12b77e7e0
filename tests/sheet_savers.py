"""Two people save the same attendance sheet at the same moment, through the page.

Run by tests/test_sheet_conflicts.py in a subprocess, so that each thread has
its own connection to a real database with Chibo's settings: a SQLite file
(WAL, immediate transactions, busy timeout) or the PostgreSQL test database.

    python tests/sheet_savers.py DATABASE_URL [migrate]

Each of two threads opens a test client as the secretary and posts the same
version of a 30-member sheet, released together by a barrier. Prints one
JSON line with the answers and what the database holds afterwards.
"""

import json
import os
import sys
import threading
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = 30


def main(database_url, migrate=""):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "chibo.settings"
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connections
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from members.models import Member, PartyGroup, single_cell
    from sessions.models import AnnualPlan, Attendance, ThematicSession

    if migrate:
        call_command("migrate", verbosity=0)
    tag = uuid.uuid4().hex[:8]
    cell = single_cell()
    group = PartyGroup.objects.create(cell=cell, name=f"Tổ {tag}")
    for n in range(MEMBERS):
        Member.objects.create(
            cell=cell,
            full_name=f"Đảng viên {tag} {n}",
            group=group,
            joined_cell_on=dt.date(2015, 1, 1),
        )
    plan, _ = AnnualPlan.objects.get_or_create(
        cell=cell, year=2020, defaults={"title": "Kế hoạch 2020"}
    )
    start = dt.datetime(2020, 5, 19, 8, 0, tzinfo=timezone.get_default_timezone())
    session = ThematicSession.objects.create(
        plan=plan, topic=f"Chuyên đề {tag}", start=start, end=start + dt.timedelta(hours=2)
    )
    # A superuser: this is about two saves at once, not about roles.
    user = User.objects.create_superuser(f"bi-thu-{tag}", password=None)
    expected = list(session.expected_members().values_list("pk", flat=True))

    def sheet(conclusion):
        data = {"version": 0, "guest_count": 0, "conclusion": conclusion}
        for pk in expected:
            data[f"status_{pk}"] = "present" if conclusion == "A" else "unexcused"
            data[f"reason_{pk}"] = ""
        return data

    clients = []
    for _n in range(2):
        client = Client(HTTP_HOST="localhost", raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    connections.close_all()

    barrier = threading.Barrier(2)
    answers = {}

    def save(client, conclusion):
        try:
            barrier.wait()
            response = client.post(f"/sessions/{session.pk}/attendance/", sheet(conclusion))
            answers[conclusion] = response.status_code
            if response.status_code == 409:
                answers[f"{conclusion}-page"] = (
                    "một người khác đã lưu bảng điểm danh này" in response.content.decode()
                )
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(client, name))
        for client, name in zip(clients, ("A", "B"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    session.refresh_from_db()
    rows = Attendance.objects.filter(session=session)
    statuses = set(rows.values_list("status", flat=True))
    print(
        json.dumps(
            {
                "answers": answers,
                "rows": rows.count(),
                "expected": len(expected),
                "duplicates": rows.values("member").annotate(n=Count("pk")).filter(n__gt=1).count(),
                "version": session.attendance_version,
                "conclusion": session.conclusion,
                "statuses": sorted(statuses),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
