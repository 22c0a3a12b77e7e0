"""Every database becomes a tree of one committee and one cell, nothing lost.

A Chibo made before organisations existed served one cell: its members and
groups (and, in thematic/0009, its plans) are put in one cell under one
committee, their history rows too. A fresh database gets the same committee
and cell, so a new install is "a tree of one committee and one cell".

Their names come from the settings that named the cell before
(CHIBO_CELL_NAME, CHIBO_SUPERIOR_COMMITTEE), so the heading of the minutes
and of the annual report stays as it was; from then on the cell's profile is
data its secretary edits. Written out here, not imported from the app, so the
migration does tomorrow what it does today.
"""

from django.conf import settings
from django.db import migrations

COMMITTEE_NAME = "Đảng bộ"  # when CHIBO_SUPERIOR_COMMITTEE is empty
CELL_NAME = "Chi bộ"  # when CHIBO_CELL_NAME is empty
CELL_MODELS = ("Member", "PartyGroup")


def make_the_cell(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    superior = getattr(settings, "CHIBO_SUPERIOR_COMMITTEE", "") or ""
    committee = Organisation.objects.create(
        name=superior or COMMITTEE_NAME, kind="committee", parent=None
    )
    cell = Organisation.objects.create(
        name=getattr(settings, "CHIBO_CELL_NAME", "") or CELL_NAME,
        kind="cell",
        parent=committee,
        superior_name=superior,
        has_committee=True,
    )
    for name in CELL_MODELS:
        apps.get_model("members", name).objects.update(cell=cell)
        apps.get_model("members", f"Historical{name}").objects.update(cell=cell)


def remove_the_cells(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    for name in CELL_MODELS:
        apps.get_model("members", name).objects.update(cell=None)
        apps.get_model("members", f"Historical{name}").objects.update(cell=None)
    apps.get_model("members", "HistoricalOrganisation").objects.all().delete()
    # Leaves first: a parent is protected while it has children.
    while Organisation.objects.exists():
        Organisation.objects.filter(children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0004_organisations")]

    operations = [migrations.RunPython(make_the_cell, remove_the_cells)]
