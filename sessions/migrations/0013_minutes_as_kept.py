"""The minutes as a cell keeps them: speeches, votes, each group's own minutes.

Adds fields only (every one empty or null on existing rows) and the Speech
table: nothing already recorded changes (tests/test_migration_minutes.py).
"""

import importlib

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# SQLite adds a column by remaking the table, which fails on the triggers of
# 0002 that name it: they are dropped before and written again after (as in 0005).
held = importlib.import_module("sessions.migrations.0002_attendance_only_on_held_sessions")
drop_sqlite_triggers = held.run({"sqlite": held.SQLITE_REVERSE})
create_sqlite_triggers = held.run({"sqlite": held.SQLITE})


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_temporary_stays"),
        ("thematic", "0012_plan_reported_on_removed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers),
        migrations.CreateModel(
            name="HistoricalSpeech",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "speaker_name",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="hoặc khách mời phát biểu"
                    ),
                ),
                ("content", models.TextField(verbose_name="ý kiến phát biểu")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự")),
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
                "verbose_name": "historical ý kiến phát biểu",
                "verbose_name_plural": "historical ý kiến phát biểu",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Speech",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "speaker_name",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="hoặc khách mời phát biểu"
                    ),
                ),
                ("content", models.TextField(verbose_name="ý kiến phát biểu")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự")),
            ],
            options={
                "verbose_name": "ý kiến phát biểu",
                "verbose_name_plural": "ý kiến phát biểu",
                "ordering": ["session", "group_meeting", "order", "pk"],
            },
        ),
        migrations.AddField(
            model_name="groupmeeting",
            name="conclusion",
            field=models.TextField(blank=True, verbose_name="kết luận"),
        ),
        migrations.AddField(
            model_name="groupmeeting",
            name="content",
            field=models.TextField(blank=True, verbose_name="nội dung trình bày"),
        ),
        migrations.AddField(
            model_name="groupmeeting",
            name="minute_taker",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.member",
                verbose_name="thư ký",
            ),
        ),
        migrations.AddField(
            model_name="groupmeeting",
            name="votes_abstain",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số không biểu quyết",
            ),
        ),
        migrations.AddField(
            model_name="groupmeeting",
            name="votes_against",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số không tán thành",
            ),
        ),
        migrations.AddField(
            model_name="groupmeeting",
            name="votes_for",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số tán thành",
            ),
        ),
        migrations.AddField(
            model_name="historicalgroupmeeting",
            name="conclusion",
            field=models.TextField(blank=True, verbose_name="kết luận"),
        ),
        migrations.AddField(
            model_name="historicalgroupmeeting",
            name="content",
            field=models.TextField(blank=True, verbose_name="nội dung trình bày"),
        ),
        migrations.AddField(
            model_name="historicalgroupmeeting",
            name="minute_taker",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="members.member",
                verbose_name="thư ký",
            ),
        ),
        migrations.AddField(
            model_name="historicalgroupmeeting",
            name="votes_abstain",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số không biểu quyết",
            ),
        ),
        migrations.AddField(
            model_name="historicalgroupmeeting",
            name="votes_against",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số không tán thành",
            ),
        ),
        migrations.AddField(
            model_name="historicalgroupmeeting",
            name="votes_for",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số tán thành",
            ),
        ),
        migrations.AddField(
            model_name="historicalthematicsession",
            name="prizes_presented_by",
            field=models.CharField(blank=True, max_length=200, verbose_name="người trao giải"),
        ),
        migrations.AddField(
            model_name="historicalthematicsession",
            name="votes_abstain",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số không biểu quyết",
            ),
        ),
        migrations.AddField(
            model_name="historicalthematicsession",
            name="votes_against",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số không tán thành",
            ),
        ),
        migrations.AddField(
            model_name="historicalthematicsession",
            name="votes_for",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số tán thành",
            ),
        ),
        migrations.AddField(
            model_name="thematicsession",
            name="prizes_presented_by",
            field=models.CharField(blank=True, max_length=200, verbose_name="người trao giải"),
        ),
        migrations.AddField(
            model_name="thematicsession",
            name="votes_abstain",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số không biểu quyết",
            ),
        ),
        migrations.AddField(
            model_name="thematicsession",
            name="votes_against",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số không tán thành",
            ),
        ),
        migrations.AddField(
            model_name="thematicsession",
            name="votes_for",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số phiếu tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số tán thành",
            ),
        ),
        migrations.AddConstraint(
            model_name="groupmeeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("votes_abstain__isnull", True),
                        ("votes_against__isnull", True),
                        ("votes_for__isnull", True),
                    ),
                    models.Q(
                        ("votes_abstain__gte", 0), ("votes_against__gte", 0), ("votes_for__gte", 0)
                    ),
                    _connector="OR",
                ),
                name="group_meeting_vote_whole",
                violation_error_message="Biểu quyết cần đủ ba số: tán thành, không tán thành, không biểu quyết.",
            ),
        ),
        migrations.AddConstraint(
            model_name="thematicsession",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("votes_abstain__isnull", True),
                        ("votes_against__isnull", True),
                        ("votes_for__isnull", True),
                    ),
                    models.Q(
                        ("votes_abstain__gte", 0), ("votes_against__gte", 0), ("votes_for__gte", 0)
                    ),
                    _connector="OR",
                ),
                name="session_vote_whole",
                violation_error_message="Biểu quyết cần đủ ba số: tán thành, không tán thành, không biểu quyết.",
            ),
        ),
        migrations.AddField(
            model_name="historicalspeech",
            name="group_meeting",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="thematic.groupmeeting",
                verbose_name="buổi sinh hoạt của tổ",
            ),
        ),
        migrations.AddField(
            model_name="historicalspeech",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalspeech",
            name="member",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="members.member",
                verbose_name="đảng viên phát biểu",
            ),
        ),
        migrations.AddField(
            model_name="historicalspeech",
            name="session",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="thematic.thematicsession",
                verbose_name="kỳ sinh hoạt",
            ),
        ),
        migrations.AddField(
            model_name="speech",
            name="group_meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="speeches",
                to="thematic.groupmeeting",
                verbose_name="buổi sinh hoạt của tổ",
            ),
        ),
        migrations.AddField(
            model_name="speech",
            name="member",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.member",
                verbose_name="đảng viên phát biểu",
            ),
        ),
        migrations.AddField(
            model_name="speech",
            name="session",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="speeches",
                to="thematic.thematicsession",
                verbose_name="kỳ sinh hoạt",
            ),
        ),
        migrations.AddConstraint(
            model_name="speech",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("member__isnull", False), ("speaker_name", "")),
                    models.Q(
                        ("member__isnull", True), models.Q(("speaker_name", ""), _negated=True)
                    ),
                    _connector="OR",
                ),
                name="speech_by_member_or_named_guest",
                violation_error_message="Người phát biểu là một đảng viên hoặc một khách mời có tên.",
            ),
        ),
        migrations.AddConstraint(
            model_name="speech",
            constraint=models.CheckConstraint(
                condition=models.Q(("content", ""), _negated=True),
                name="speech_has_content",
                violation_error_message="Ghi ý kiến phát biểu.",
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
    ]
