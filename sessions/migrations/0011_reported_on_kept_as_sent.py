"""The plan's "reported to the superior committee" date becomes a sending.

Before Chibo sent documents, the secretary typed the day the plan had been
reported to the superior committee (``AnnualPlan.reported_on``). Each such
date is kept as a sending of that year's plan, marked ``typed_by_hand``: the
date only, with no number, no sender and no content, since Chibo never saw
what was sent (the plan's history still says who typed the date and when).
thematic/0012 then removes the field. Backwards, each plan gets back the date
of its latest sending, and the rows made here go.
"""

from django.db import migrations
from django.utils import timezone


def dates_to_sendings(apps, schema_editor):
    AnnualPlan = apps.get_model("thematic", "AnnualPlan")
    Submission = apps.get_model("thematic", "Submission")
    sent = set(Submission.objects.filter(kind="plan").values_list("cell_id", "year"))
    Submission.objects.bulk_create(
        Submission(
            cell_id=plan.cell_id,
            kind="plan",
            year=plan.year,
            dated_on=plan.reported_on,
            typed_by_hand=True,
        )
        for plan in AnnualPlan.objects.exclude(reported_on=None).order_by("pk")
        # Back and forth again: a plan sent meanwhile has its sending already.
        if (plan.cell_id, plan.year) not in sent
    )


def sendings_to_dates(apps, schema_editor):
    AnnualPlan = apps.get_model("thematic", "AnnualPlan")
    Submission = apps.get_model("thematic", "Submission")
    for plan in AnnualPlan.objects.order_by("pk"):
        latest = (
            Submission.objects.filter(cell_id=plan.cell_id, kind="plan", year=plan.year)
            .order_by("-pk")
            .first()
        )
        if latest is not None:
            sent_at = latest.sent_at
            plan.reported_on = latest.dated_on if sent_at is None else timezone.localdate(sent_at)
            plan.save(update_fields=["reported_on"])
    Submission.objects.filter(typed_by_hand=True).delete()


class Migration(migrations.Migration):
    dependencies = [("thematic", "0010_submission")]

    operations = [migrations.RunPython(dates_to_sendings, sendings_to_dates)]
