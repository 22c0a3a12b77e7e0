"""The secretary keeps the cell's profile (members.change_organisation).

The cell's name, its superior committee's name as written on documents, chi
ủy or not, place name and number symbol are data the secretary edits, no
longer settings. Creating or removing organisations stays a superuser's.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARY_PERMISSIONS = ["view_organisation", "change_organisation"]


def give_the_secretary_the_profile(apps, schema_editor):
    # As in 0001: permissions are normally made after all migrations ran.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # create_permissions skips None
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="members", codename__in=SECRETARY_PERMISSIONS
    )
    for group in Group.objects.filter(name="secretary"):
        group.permissions.add(*permissions)


def take_it_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="members", codename__in=SECRETARY_PERMISSIONS
    )
    for group in Group.objects.filter(name="secretary"):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("chibo", "0001_roles"),
        ("members", "0004_organisations"),
    ]

    operations = [migrations.RunPython(give_the_secretary_the_profile, take_it_back)]
