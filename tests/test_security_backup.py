"""Backup and restore round-trip the demo cell, on SQLite and on PostgreSQL alike.

The commands use the database's own tools (SQLite's online backup API,
pg_dump/pg_restore), so these tests need data committed where another
connection sees it: they run outside a test transaction.
"""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from chibo.backup import table_counts
from members.models import Member, PartyGroup, single_cell
from sessions.models import Attendance, ThematicSession
from tests.factories import at

pytestmark = pytest.mark.django_db(transaction=True)

create_roles = importlib.import_module("chibo.migrations.0001_roles").create_roles


@pytest.fixture
def demo(monkeypatch):
    """The demo cell, as loaded on 24 November 2026."""
    today = at(2026, 11, 24, 9, 0)
    monkeypatch.setattr(timezone, "now", lambda: today)
    # A transactional test starts from whatever the previous one flushed.
    create_roles(apps, schema_editor=None)
    call_command("load_demo", stdout=StringIO())


def fingerprint():
    return {
        "members": list(Member.objects.order_by("pk").values_list("pk", "full_name", "group_id")),
        "attendance": list(
            Attendance.objects.order_by("pk").values_list("pk", "session_id", "member_id", "status")
        ),
    }


def test_backup_and_restore_round_trip_the_demo_cell(demo, tmp_path):
    before = table_counts()
    rows_before = fingerprint()
    assert before["members_member"] > 30
    assert before["members_historicalmember"] >= 31
    assert before["thematic_attendance"] > 200
    backup = tmp_path / "chibo.backup"

    out = StringIO()
    call_command("backup", backup, stdout=out)
    assert f"{len(before)} bảng, {sum(before.values())} dòng" in out.getvalue()

    # Life goes on after the backup: a new group, a member renamed, a member moved.
    PartyGroup.objects.create(cell=single_cell(), name="Tổ 5 – mới lập", order=5)
    member = Member.objects.order_by("pk").first()
    member.full_name = "Tên đã sửa sau khi sao lưu"
    member.save()
    assert table_counts() != before

    out = StringIO()
    call_command("restore", backup, "--no-input", stdout=out)
    assert "Đã khôi phục" in out.getvalue()
    assert table_counts() == before
    assert fingerprint() == rows_before
    assert not PartyGroup.objects.filter(name="Tổ 5 – mới lập").exists()

    # The sequences came back too: a new row gets a fresh id...
    group = PartyGroup.objects.create(cell=single_cell(), name="Tổ 5 – sau khôi phục", order=5)
    assert group.pk > max(PartyGroup.objects.exclude(pk=group.pk).values_list("pk", flat=True))
    # ...and the database itself still guards its invariants: the trigger that
    # keeps attendance on held sessions, and the foreign keys behind PROTECT.
    planned = ThematicSession.objects.exclude(status=ThematicSession.Status.HELD).first()
    with pytest.raises(IntegrityError, match="held session"), transaction.atomic():
        Attendance.objects.create(session=planned, member=member, group_id=member.group_id)
    attended = Attendance.objects.values_list("member_id", flat=True).first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM members_member WHERE id = %s", [attended])


def test_restore_refuses_a_file_that_is_not_a_backup(demo, tmp_path):
    before = table_counts()
    bogus = tmp_path / "not-a-backup"
    bogus.write_bytes(b"PK\x03\x04 a zip, or anything else")
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        call_command("restore", bogus, "--no-input")
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("restore", tmp_path / "missing", "--no-input")
    assert table_counts() == before


def test_restore_asks_before_replacing_everything(demo, tmp_path, monkeypatch):
    backup = tmp_path / "chibo.backup"
    call_command("backup", backup, stdout=StringIO())
    PartyGroup.objects.create(cell=single_cell(), name="Tổ 5 – mới lập", order=5)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Đã hủy"):
        call_command("restore", backup)
    assert PartyGroup.objects.filter(name="Tổ 5 – mới lập").exists()


def test_a_failed_backup_leaves_no_partial_file(demo, tmp_path, monkeypatch):
    backup = tmp_path / "chibo.backup"
    backup.write_text("the previous backup")

    def broken(*args, **kwargs):
        (tmp_path / "chibo.backup.part").write_text("half written")
        raise CommandError("đĩa đầy")

    monkeypatch.setattr(f"chibo.backup._{connection.vendor}_backup", broken, raising=False)
    monkeypatch.setattr("chibo.backup._run", broken)
    with pytest.raises(CommandError, match="đĩa đầy"):
        call_command("backup", backup)
    assert backup.read_text() == "the previous backup"
    assert not (tmp_path / "chibo.backup.part").exists()


def test_backup_creates_its_folder_as_the_readme_example_needs(demo, tmp_path):
    # The README's example writes under /var/backups/chibo/, which a fresh
    # server does not have: the folder and its parents are made, private.
    backup = tmp_path / "var" / "backups" / "chibo" / "chibo-2026-11-24.backup"
    call_command("backup", backup, stdout=StringIO())
    assert backup.stat().st_size > 0
    assert backup.parent.stat().st_mode & 0o077 == 0
    call_command("restore", backup, "--no-input", stdout=StringIO())


def test_backup_into_a_folder_it_cannot_make_says_so_in_one_line(demo, tmp_path):
    blocker = tmp_path / "var" / "backups"
    blocker.parent.mkdir()
    blocker.write_text("a file where the folder should be")
    with pytest.raises(CommandError) as error:
        call_command("backup", blocker / "chibo" / "chibo.backup")
    message = str(error.value)
    assert message.startswith(f"Không tạo được thư mục {blocker / 'chibo'}")
    assert "\n" not in message
    assert list(blocker.parent.iterdir()) == [blocker]
