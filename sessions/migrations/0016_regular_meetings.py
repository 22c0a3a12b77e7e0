"""Regular monthly meetings beside the thematic sessions (tests/test_migration_regular.py)."""

import importlib

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# SQLite alters a column by remaking the table, which fails on the triggers of
# 0002 that name it: they are dropped before and written again after (as in 0013).
held = importlib.import_module("sessions.migrations.0002_attendance_only_on_held_sessions")
drop_sqlite_triggers = held.run({"sqlite": held.SQLITE_REVERSE})
create_sqlite_triggers = held.run({"sqlite": held.SQLITE})


class Migration(migrations.Migration):
    """Regular monthly meetings beside the thematic sessions (docs/development.md).

    A meeting gets two natures: every existing row is a thematic session
    (``thematic`` true) and keeps whether it was held with the regular
    meeting, now ``regular``; its attendance, minutes and history are the
    same rows. The plan gets the rule of the regular meetings, and a meeting
    its resolution's tasks and its review of earlier ones.
    """

    dependencies = [
        ("members", "0009_standing_dates"),
        ("thematic", "0015_report_sections"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers),
        migrations.CreateModel(
            name="HistoricalResolutionTask",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("content", models.TextField(verbose_name="nhiệm vụ")),
                (
                    "responsible_name",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="hoặc bộ phận phụ trách"
                    ),
                ),
                ("due_on", models.DateField(verbose_name="thời hạn")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical nhiệm vụ trong nghị quyết",
                "verbose_name_plural": "historical nhiệm vụ trong nghị quyết",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalTaskReview",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("done", "Đã hoàn thành"),
                            ("late", "Chậm tiến độ"),
                            ("not_done", "Chưa thực hiện"),
                        ],
                        max_length=20,
                        verbose_name="kết quả",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="ghi chú")),
                ("reviewed_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical kiểm điểm nhiệm vụ",
                "verbose_name_plural": "historical kiểm điểm nhiệm vụ",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ResolutionTask",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("content", models.TextField(verbose_name="nhiệm vụ")),
                (
                    "responsible_name",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="hoặc bộ phận phụ trách"
                    ),
                ),
                ("due_on", models.DateField(verbose_name="thời hạn")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "nhiệm vụ trong nghị quyết",
                "verbose_name_plural": "nhiệm vụ trong nghị quyết",
                "ordering": ["session", "order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="TaskReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("done", "Đã hoàn thành"),
                            ("late", "Chậm tiến độ"),
                            ("not_done", "Chưa thực hiện"),
                        ],
                        max_length=20,
                        verbose_name="kết quả",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="ghi chú")),
                ("reviewed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "kiểm điểm nhiệm vụ",
                "verbose_name_plural": "kiểm điểm nhiệm vụ",
                "ordering": ["session", "task__order", "task"],
            },
        ),
        migrations.AlterModelOptions(
            name="historicalthematicsession",
            options={
                "get_latest_by": ("history_date", "history_id"),
                "ordering": ("-history_date", "-history_id"),
                "verbose_name": "historical kỳ sinh hoạt",
                "verbose_name_plural": "historical kỳ sinh hoạt",
            },
        ),
        migrations.AlterModelOptions(
            name="thematicsession",
            options={
                "ordering": ["start", "pk"],
                "permissions": [("view_summary", "Xem tổng hợp, báo cáo sinh hoạt chuyên đề")],
                "verbose_name": "kỳ sinh hoạt",
                "verbose_name_plural": "kỳ sinh hoạt",
            },
        ),
        migrations.RenameField(
            model_name="historicalthematicsession",
            old_name="with_regular_meeting",
            new_name="regular",
        ),
        migrations.RenameField(
            model_name="thematicsession",
            old_name="with_regular_meeting",
            new_name="regular",
        ),
        migrations.AddField(
            model_name="annualplan",
            name="regular_day",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(31),
                ],
                verbose_name="ngày sinh hoạt định kỳ hằng tháng",
            ),
        ),
        migrations.AddField(
            model_name="annualplan",
            name="regular_location",
            field=models.CharField(
                blank=True, max_length=255, verbose_name="địa điểm sinh hoạt định kỳ"
            ),
        ),
        migrations.AddField(
            model_name="annualplan",
            name="regular_minutes",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MaxValueValidator(1440)],
                verbose_name="thời lượng (phút)",
            ),
        ),
        migrations.AddField(
            model_name="annualplan",
            name="regular_time",
            field=models.TimeField(blank=True, null=True, verbose_name="giờ bắt đầu"),
        ),
        migrations.AddField(
            model_name="historicalannualplan",
            name="regular_day",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(31),
                ],
                verbose_name="ngày sinh hoạt định kỳ hằng tháng",
            ),
        ),
        migrations.AddField(
            model_name="historicalannualplan",
            name="regular_location",
            field=models.CharField(
                blank=True, max_length=255, verbose_name="địa điểm sinh hoạt định kỳ"
            ),
        ),
        migrations.AddField(
            model_name="historicalannualplan",
            name="regular_minutes",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MaxValueValidator(1440)],
                verbose_name="thời lượng (phút)",
            ),
        ),
        migrations.AddField(
            model_name="historicalannualplan",
            name="regular_time",
            field=models.TimeField(blank=True, null=True, verbose_name="giờ bắt đầu"),
        ),
        migrations.AlterField(
            model_name="historicalthematicsession",
            name="regular",
            field=models.BooleanField(default=False, verbose_name="sinh hoạt chi bộ định kỳ"),
        ),
        migrations.AddField(
            model_name="historicalthematicsession",
            name="thematic",
            field=models.BooleanField(default=True, verbose_name="sinh hoạt chuyên đề"),
        ),
        migrations.AlterField(
            model_name="thematicsession",
            name="regular",
            field=models.BooleanField(default=False, verbose_name="sinh hoạt chi bộ định kỳ"),
        ),
        migrations.AddField(
            model_name="thematicsession",
            name="thematic",
            field=models.BooleanField(default=True, verbose_name="sinh hoạt chuyên đề"),
        ),
        migrations.AlterField(
            model_name="historicalthematicsession",
            name="topic",
            field=models.CharField(blank=True, max_length=255, verbose_name="chuyên đề"),
        ),
        migrations.AlterField(
            model_name="thematicsession",
            name="topic",
            field=models.CharField(blank=True, max_length=255, verbose_name="chuyên đề"),
        ),
        migrations.AddConstraint(
            model_name="annualplan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("regular_day__isnull", True),
                    models.Q(
                        ("regular_day__gte", 1),
                        ("regular_day__lte", 31),
                        ("regular_time__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="regular_rule_whole",
                violation_error_message="Lịch sinh hoạt định kỳ cần ngày trong tháng (1–31) và giờ bắt đầu.",
            ),
        ),
        migrations.AddConstraint(
            model_name="thematicsession",
            constraint=models.CheckConstraint(
                condition=models.Q(("thematic", True), ("regular", True), _connector="OR"),
                name="meeting_has_a_nature",
                violation_error_message="Kỳ sinh hoạt phải là sinh hoạt chuyên đề, sinh hoạt định kỳ, hoặc cả hai.",
            ),
        ),
        migrations.AddConstraint(
            model_name="thematicsession",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("thematic", False), models.Q(("topic", ""), _negated=True), _connector="OR"
                ),
                name="thematic_session_has_topic",
                violation_error_message="Sinh hoạt chuyên đề cần có tên chuyên đề.",
            ),
        ),
        migrations.AddField(
            model_name="historicalresolutiontask",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalresolutiontask",
            name="responsible",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="members.member",
                verbose_name="đảng viên phụ trách",
            ),
        ),
        migrations.AddField(
            model_name="historicalresolutiontask",
            name="session",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="thematic.thematicsession",
                verbose_name="kỳ sinh hoạt ra nghị quyết",
            ),
        ),
        migrations.AddField(
            model_name="historicaltaskreview",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicaltaskreview",
            name="session",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="thematic.thematicsession",
                verbose_name="kỳ sinh hoạt kiểm điểm",
            ),
        ),
        migrations.AddField(
            model_name="resolutiontask",
            name="responsible",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tasks",
                to="members.member",
                verbose_name="đảng viên phụ trách",
            ),
        ),
        migrations.AddField(
            model_name="resolutiontask",
            name="session",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tasks",
                to="thematic.thematicsession",
                verbose_name="kỳ sinh hoạt ra nghị quyết",
            ),
        ),
        migrations.AddField(
            model_name="historicaltaskreview",
            name="task",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="thematic.resolutiontask",
                verbose_name="nhiệm vụ",
            ),
        ),
        migrations.AddField(
            model_name="taskreview",
            name="session",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="task_reviews",
                to="thematic.thematicsession",
                verbose_name="kỳ sinh hoạt kiểm điểm",
            ),
        ),
        migrations.AddField(
            model_name="taskreview",
            name="task",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reviews",
                to="thematic.resolutiontask",
                verbose_name="nhiệm vụ",
            ),
        ),
        migrations.AddConstraint(
            model_name="resolutiontask",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("responsible__isnull", False), ("responsible_name", "")),
                    models.Q(
                        ("responsible__isnull", True),
                        models.Q(("responsible_name", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="task_one_responsible",
                violation_error_message="Chọn một đảng viên phụ trách hoặc ghi bộ phận phụ trách, không chọn cả hai.",
            ),
        ),
        migrations.AddConstraint(
            model_name="taskreview",
            constraint=models.UniqueConstraint(
                fields=("task", "session"),
                name="one_review_per_task_and_meeting",
                violation_error_message="Nhiệm vụ này đã được kiểm điểm ở kỳ sinh hoạt này.",
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
    ]
