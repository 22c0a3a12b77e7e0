# Validators only: no change to any table, so SQLite does not remake
# thematic_thematicsession and the triggers of 0002 are left alone.

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("thematic", "0005_calendar_sequence"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contestteam",
            name="rank",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        100, "Xếp hạng tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="xếp hạng",
            ),
        ),
        migrations.AlterField(
            model_name="contestteam",
            name="score",
            field=models.DecimalField(
                decimal_places=1,
                default=0,
                max_digits=7,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Điểm tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="điểm",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcontestteam",
            name="rank",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MaxValueValidator(
                        100, "Xếp hạng tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="xếp hạng",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcontestteam",
            name="score",
            field=models.DecimalField(
                decimal_places=1,
                default=0,
                max_digits=7,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Điểm tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="điểm",
            ),
        ),
        migrations.AlterField(
            model_name="historicalthematicsession",
            name="guest_count",
            field=models.PositiveIntegerField(
                default=0,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số quần chúng, khách mời tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số quần chúng, khách mời",
            ),
        ),
        migrations.AlterField(
            model_name="thematicsession",
            name="guest_count",
            field=models.PositiveIntegerField(
                default=0,
                validators=[
                    django.core.validators.MaxValueValidator(
                        10000, "Số quần chúng, khách mời tối đa là %(limit_value)s."
                    )
                ],
                verbose_name="số quần chúng, khách mời",
            ),
        ),
    ]
