import importlib

from django.db import migrations, models
from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

# SQLite adds a column by remaking the table, which fails on the triggers of
# 0002 that name it (and would drop the one on the table itself): they are
# dropped before and written again after. PostgreSQL alters the table in place.
held = importlib.import_module("sessions.migrations.0002_attendance_only_on_held_sessions")
drop_sqlite_triggers = held.run({"sqlite": held.SQLITE_REVERSE})
create_sqlite_triggers = held.run({"sqlite": held.SQLITE})


def count_earlier_changes(apps, schema_editor):
    """Start each session's SEQUENCE where the feed had it: its moves, and cancelling."""
    ThematicSession = apps.get_model("thematic", "ThematicSession")
    Postponement = apps.get_model("thematic", "Postponement")
    moves = (
        Postponement.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ThematicSession.objects.update(
        calendar_sequence=Coalesce(Subquery(moves, output_field=IntegerField()), Value(0))
        + Case(When(status="cancelled", then=Value(1)), default=Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("thematic", "0004_reminder"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers),
        migrations.AddField(
            model_name="historicalthematicsession",
            name="calendar_sequence",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="thematicsession",
            name="calendar_sequence",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
        migrations.RunPython(count_earlier_changes, migrations.RunPython.noop),
    ]
