"""Grading by criteria: the points of each criterion, and the scheme a session was graded under.

Sessions graded before keep their score and grade as they were, with no
scheme (blank): nothing is derived or lost. SQLite adds a column by remaking
the table, which fails on the triggers of 0002 that name it: they are dropped
before and written again after, as in 0005.
"""

import importlib

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

held = importlib.import_module("sessions.migrations.0002_attendance_only_on_held_sessions")
drop_sqlite_triggers = held.run({"sqlite": held.SQLITE_REVERSE})
create_sqlite_triggers = held.run({"sqlite": held.SQLITE})


class Migration(migrations.Migration):
    dependencies = [
        ("thematic", "0013_minutes_as_kept"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers),
        migrations.AddField(
            model_name="historicalthematicsession",
            name="grading_scheme",
            field=models.CharField(blank=True, max_length=40, verbose_name="thang điểm"),
        ),
        migrations.AddField(
            model_name="thematicsession",
            name="grading_scheme",
            field=models.CharField(blank=True, max_length=40, verbose_name="thang điểm"),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
        migrations.CreateModel(
            name="HistoricalCriterionScore",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("criterion", models.CharField(max_length=40, verbose_name="tiêu chí")),
                (
                    "points",
                    models.DecimalField(decimal_places=1, max_digits=5, verbose_name="điểm"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="thematic.thematicsession",
                        verbose_name="kỳ sinh hoạt",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical điểm theo tiêu chí",
                "verbose_name_plural": "historical điểm theo tiêu chí",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="CriterionScore",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("criterion", models.CharField(max_length=40, verbose_name="tiêu chí")),
                (
                    "points",
                    models.DecimalField(decimal_places=1, max_digits=5, verbose_name="điểm"),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="criterion_scores",
                        to="thematic.thematicsession",
                        verbose_name="kỳ sinh hoạt",
                    ),
                ),
            ],
            options={
                "verbose_name": "điểm theo tiêu chí",
                "verbose_name_plural": "điểm theo tiêu chí",
                "ordering": ["session", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("session", "criterion"),
                        name="one_score_per_criterion",
                        violation_error_message="Tiêu chí này đã có điểm ở kỳ sinh hoạt này.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("points__gte", 0)),
                        name="criterion_points_not_negative",
                        violation_error_message="Điểm không được âm.",
                    ),
                ],
            },
        ),
    ]
