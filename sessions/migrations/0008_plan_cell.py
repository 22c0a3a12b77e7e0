"""Every plan says which cell it belongs to: the one cell members/0004 made."""

import django.db.models.deletion
from django.db import migrations, models


def plans_in_the_cell(apps, schema_editor):
    cell = apps.get_model("members", "Organisation").objects.filter(kind="cell").order_by("pk")[0]
    apps.get_model("thematic", "AnnualPlan").objects.update(cell=cell)
    apps.get_model("thematic", "HistoricalAnnualPlan").objects.update(cell=cell)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_one_committee_one_cell"),
        ("thematic", "0007_contest_rank_by_hand"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualplan",
            name="cell",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plans",
                to="members.organisation",
                verbose_name="chi bộ",
            ),
        ),
        migrations.AddField(
            model_name="historicalannualplan",
            name="cell",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="members.organisation",
                verbose_name="chi bộ",
            ),
        ),
        migrations.RunPython(plans_in_the_cell, migrations.RunPython.noop),
    ]
