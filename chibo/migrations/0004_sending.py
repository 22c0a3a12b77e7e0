"""Sending to the superior committee: the secretary sends, leaders read what was sent.

``thematic.add_submission`` (send the plan or the annual report) is the
secretary's; ``thematic.view_submission`` (open a copy as it was sent) is
the secretary's and the leaders', who read the annual report already.
Nobody changes or deletes a sending: the database refuses the change.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "secretary": ["add_submission", "view_submission"],
    "leader": ["view_submission"],
}


def permissions_of(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="thematic", codename__in=codenames)


def give(apps, schema_editor):
    # As in 0001: permissions are normally made after all migrations ran.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # create_permissions skips None
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    for name, codenames in ROLES.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*permissions_of(apps, codenames))


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in ROLES.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*permissions_of(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("chibo", "0003_roles_per_cell"),
        ("thematic", "0010_submission"),
    ]

    operations = [migrations.RunPython(give, take_back)]
