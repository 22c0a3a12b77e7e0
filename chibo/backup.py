"""Backup and restore of the whole database, with the database's own tools.

SQLite: the online backup API, which copies a consistent snapshot while Chibo
keeps running. PostgreSQL: ``pg_dump`` in its custom format and
``pg_restore`` in one transaction. Both copy everything the database holds,
exactly: tables, history tables, the triggers that keep attendance on held
sessions, the PROTECT foreign keys and the sequences. Nothing goes through
Django's models, so no save() or signal runs and no history row is added.

Uploaded files (MEDIA_ROOT) are not in the database: back that folder up
beside it (docs/security.md).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


def table_counts() -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    tables = sorted(connection.introspection.table_names(include_views=False))
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def backup_database(path: Path) -> None:
    """Write a backup of the default database to ``path``, replacing it atomically."""
    path = Path(path)
    _make_folder(path.parent)
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        if connection.vendor == "sqlite":
            _sqlite_backup(partial)
        elif connection.vendor == "postgresql":
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    partial,
                    connection.settings_dict["NAME"],
                ]
            )
        else:
            raise CommandError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _make_folder(folder: Path) -> None:
    """Create the backup's folder and its parents, or stop with one clear line.

    A folder Chibo creates is readable by its owner only: backups hold the
    whole member list.
    """
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(
            f"Không tạo được thư mục {folder} cho bản sao lưu: {error.strerror}."
        ) from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CommandError(f"Không ghi được vào thư mục {folder}: không có quyền ghi.")


def restore_database(path: Path) -> None:
    """Replace everything in the default database with the backup at ``path``.

    All or nothing: a backup that does not fit stops before anything changed.
    """
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"Không có tệp {path}.")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if connection.vendor == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise CommandError(f"{path} không phải bản sao lưu SQLite của Chibo.")
        _sqlite_restore(path)
    elif connection.vendor == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise CommandError(f"{path} không phải bản sao lưu PostgreSQL (pg_dump) của Chibo.")
        connection.close()  # pg_restore drops and recreates every table
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                connection.settings_dict["NAME"],
                path,
            ]
        )
    else:
        raise CommandError(f"Không hỗ trợ khôi phục cơ sở dữ liệu {connection.vendor}.")


def _sqlite_backup(target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        # A single self-contained file: no -wal/-shm beside it.
        destination.execute("PRAGMA journal_mode=DELETE")
        (result,) = destination.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise CommandError(f"Bản sao lưu bị lỗi: {result}")
    finally:
        destination.close()


def _sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as error:
            raise CommandError(f"{path} không đọc được: {error}") from error
        if "django_migrations" not in tables:
            raise CommandError(f"{path} không phải bản sao lưu SQLite của Chibo.")
        connection.ensure_connection()
        # One step: the whole database is replaced in a single write transaction.
        source.backup(connection.connection)
    finally:
        source.close()


def _run(command: list) -> None:
    """Run a PostgreSQL client tool against the default database."""
    program = command[0]
    if shutil.which(program) is None:
        raise CommandError(
            f"Không tìm thấy {program}: hãy cài các công cụ PostgreSQL "
            "(gói postgresql-client cùng phiên bản với máy chủ)."
        )
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ]:
        if settings.get(key):
            env[variable] = str(settings[key])
    if settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings["OPTIONS"]["sslmode"]
    result = subprocess.run(  # noqa: S603 - fixed program, arguments are ours
        [str(part) for part in command], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise CommandError(f"{program} thất bại:\n{result.stderr.strip()}")
