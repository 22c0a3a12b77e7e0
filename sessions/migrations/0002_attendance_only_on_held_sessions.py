"""Attendance only on held sessions, enforced by the database itself.

A check constraint cannot look at another table, so triggers do it: an
attendance row cannot be written for a session that is not held, and a
session with attendance cannot leave the "held" status.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER thematic_attendance_held_insert
    BEFORE INSERT ON thematic_attendance
    WHEN (SELECT status FROM thematic_thematicsession WHERE id = NEW.session_id) <> 'held'
    BEGIN SELECT RAISE(ABORT, 'attendance requires a held session'); END
    """,
    """
    CREATE TRIGGER thematic_attendance_held_update
    BEFORE UPDATE OF session_id ON thematic_attendance
    WHEN (SELECT status FROM thematic_thematicsession WHERE id = NEW.session_id) <> 'held'
    BEGIN SELECT RAISE(ABORT, 'attendance requires a held session'); END
    """,
    """
    CREATE TRIGGER thematic_session_keeps_held
    BEFORE UPDATE OF status ON thematic_thematicsession
    WHEN NEW.status <> 'held'
        AND EXISTS (SELECT 1 FROM thematic_attendance WHERE session_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'a session with attendance stays held'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS thematic_attendance_held_insert",
    "DROP TRIGGER IF EXISTS thematic_attendance_held_update",
    "DROP TRIGGER IF EXISTS thematic_session_keeps_held",
]

POSTGRESQL = [
    """
    CREATE FUNCTION thematic_attendance_requires_held() RETURNS trigger AS $$
    BEGIN
        IF (SELECT status FROM thematic_thematicsession WHERE id = NEW.session_id) <> 'held' THEN
            RAISE EXCEPTION 'attendance requires a held session' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER thematic_attendance_held
    BEFORE INSERT OR UPDATE OF session_id ON thematic_attendance
    FOR EACH ROW EXECUTE FUNCTION thematic_attendance_requires_held()
    """,
    """
    CREATE FUNCTION thematic_session_keeps_held() RETURNS trigger AS $$
    BEGIN
        IF NEW.status <> 'held'
           AND EXISTS (SELECT 1 FROM thematic_attendance WHERE session_id = NEW.id) THEN
            RAISE EXCEPTION 'a session with attendance stays held' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER thematic_session_keeps_held
    BEFORE UPDATE OF status ON thematic_thematicsession
    FOR EACH ROW EXECUTE FUNCTION thematic_session_keeps_held()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS thematic_attendance_held ON thematic_attendance",
    "DROP FUNCTION IF EXISTS thematic_attendance_requires_held()",
    "DROP TRIGGER IF EXISTS thematic_session_keeps_held ON thematic_thematicsession",
    "DROP FUNCTION IF EXISTS thematic_session_keeps_held()",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("thematic", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
