"""What a cell sends its superior committee, frozen as sent.

A trigger refuses any change to a row's content, number, date or sender's
name: a sending is corrected by sending again, never by editing. Only the
sender's login may go (``sent_by`` is SET_NULL when a login is deleted; the
name stays in ``sent_by_name``).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# Every column but the id and the sender's login.
FROZEN = (
    "cell_id, kind, year, number, number_year, reference, dated_on, sent_at, "
    "sent_by_name, body, figures, typed_by_hand"
)
SQLITE = [
    f"""
    CREATE TRIGGER thematic_submission_frozen
    BEFORE UPDATE OF {FROZEN} ON thematic_submission
    BEGIN SELECT RAISE(ABORT, 'a sent document stays as sent'); END
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS thematic_submission_frozen"]
POSTGRESQL = [
    """
    CREATE FUNCTION thematic_submission_frozen() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'a sent document stays as sent' USING ERRCODE = 'check_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER thematic_submission_frozen
    BEFORE UPDATE OF {FROZEN} ON thematic_submission
    FOR EACH ROW EXECUTE FUNCTION thematic_submission_frozen()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS thematic_submission_frozen ON thematic_submission",
    "DROP FUNCTION IF EXISTS thematic_submission_frozen()",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_cell_required"),
        ("thematic", "0009_plan_cell_required"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalSubmission",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("plan", "Kế hoạch sinh hoạt chuyên đề"),
                            ("report", "Báo cáo kết quả sinh hoạt chuyên đề"),
                        ],
                        max_length=10,
                        verbose_name="loại văn bản",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="năm")),
                ("number", models.PositiveIntegerField(blank=True, null=True, verbose_name="số")),
                ("number_year", models.PositiveSmallIntegerField(blank=True, null=True)),
                (
                    "reference",
                    models.CharField(blank=True, max_length=50, verbose_name="số và ký hiệu"),
                ),
                ("dated_on", models.DateField(verbose_name="ngày văn bản")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="gửi lúc")),
                (
                    "sent_by_name",
                    models.CharField(blank=True, max_length=150, verbose_name="người gửi"),
                ),
                (
                    "typed_by_hand",
                    models.BooleanField(default=False, verbose_name="ngày do chi bộ tự ghi"),
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
                    "cell",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.organisation",
                        verbose_name="chi bộ",
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
                    "sent_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người gửi",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical văn bản gửi cấp ủy cấp trên",
                "verbose_name_plural": "historical văn bản gửi cấp ủy cấp trên",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Submission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("plan", "Kế hoạch sinh hoạt chuyên đề"),
                            ("report", "Báo cáo kết quả sinh hoạt chuyên đề"),
                        ],
                        max_length=10,
                        verbose_name="loại văn bản",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="năm")),
                ("number", models.PositiveIntegerField(blank=True, null=True, verbose_name="số")),
                ("number_year", models.PositiveSmallIntegerField(blank=True, null=True)),
                (
                    "reference",
                    models.CharField(blank=True, max_length=50, verbose_name="số và ký hiệu"),
                ),
                ("dated_on", models.DateField(verbose_name="ngày văn bản")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="gửi lúc")),
                (
                    "sent_by_name",
                    models.CharField(blank=True, max_length=150, verbose_name="người gửi"),
                ),
                ("body", models.TextField(blank=True, verbose_name="văn bản đã gửi")),
                (
                    "figures",
                    models.JSONField(blank=True, default=dict, verbose_name="số liệu đã gửi"),
                ),
                (
                    "typed_by_hand",
                    models.BooleanField(default=False, verbose_name="ngày do chi bộ tự ghi"),
                ),
                (
                    "cell",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="submissions",
                        to="members.organisation",
                        verbose_name="chi bộ",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người gửi",
                    ),
                ),
            ],
            options={
                "verbose_name": "văn bản gửi cấp ủy cấp trên",
                "verbose_name_plural": "văn bản gửi cấp ủy cấp trên",
                "ordering": ["cell", "year", "kind", "pk"],
                "indexes": [
                    models.Index(
                        fields=["year", "cell", "kind"], name="thematic_su_year_32691f_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("cell", "number_year", "number"),
                        name="submission_number_unique_in_cell_and_year",
                        violation_error_message="Số văn bản này chi bộ đã dùng trong năm.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("number__isnull", True),
                                ("number_year__isnull", True),
                                ("sent_at__isnull", True),
                                ("typed_by_hand", True),
                            ),
                            models.Q(
                                ("number__gte", 1),
                                ("number_year__isnull", False),
                                ("sent_at__isnull", False),
                                ("typed_by_hand", False),
                                models.Q(("reference", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="submission_sent_with_a_number_or_typed",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["plan", "report"])),
                        name="submission_kind_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("year__gte", 1930), ("year__lte", 2200)),
                        name="submission_year_in_range",
                    ),
                ],
            },
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
