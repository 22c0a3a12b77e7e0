"""The day a member was made full (chuyển chính thức), kept beside the day admitted.

No data step: an empty ``full_member_on`` means "the stored standing", so
every member keeps the standing they have (a full member without a date stays
full for every year; no date is invented). tests/test_standing.py migrates a
database made before and reads every member's standing back.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_temporary_stays"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmember",
            name="full_member_on",
            field=models.DateField(blank=True, null=True, verbose_name="ngày chuyển chính thức"),
        ),
        migrations.AddField(
            model_name="member",
            name="full_member_on",
            field=models.DateField(blank=True, null=True, verbose_name="ngày chuyển chính thức"),
        ),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("full_member_on__isnull", True), ("standing", "full"), _connector="OR"
                ),
                name="member_full_date_only_when_full",
                violation_error_message="Đảng viên đã có ngày chuyển chính thức là chính thức.",
            ),
        ),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("full_member_on__isnull", True),
                    ("joined_party_on__isnull", True),
                    ("full_member_on__gte", models.F("joined_party_on")),
                    _connector="OR",
                ),
                name="member_full_after_admitted",
                violation_error_message="Ngày chuyển chính thức phải sau ngày vào Đảng.",
            ),
        ),
    ]
