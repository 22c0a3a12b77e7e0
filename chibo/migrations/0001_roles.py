"""The three roles as Django groups with their permissions.

The lists are written out here, frozen with the migration: a later change to a
role is a new migration, so every database gets the same roles.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = {
    "members": ["partygroup", "member", "exemption"],
    "thematic": [
        "annualplan",
        "thematicsession",
        "groupmeeting",
        "attendance",
        "postponement",
        "document",
        "photo",
        "contestteam",
        "award",
    ],
}
ACTIONS = ("add", "change", "delete", "view")

ROLES = {
    # Bí thư / phó bí thư: keeps everything of the cell.
    "secretary": [
        *(
            f"{app}.{action}_{model}"
            for app, models in MODELS.items()
            for model in models
            for action in ACTIONS
        ),
        "thematic.view_summary",
    ],
    # Lãnh đạo, cấp ủy: reads everything, changes nothing.
    "leader": [
        *(f"{app}.view_{model}" for app, models in MODELS.items() for model in models),
        "thematic.view_summary",
    ],
    # Đảng viên: sessions and what to read; their own record comes from their link.
    "member": [
        "thematic.view_thematicsession",
        "thematic.view_groupmeeting",
        "thematic.view_document",
        "thematic.view_photo",
        "thematic.view_contestteam",
        "thematic.view_award",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them
    # now so that a fresh database gets complete roles in one migrate.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # create_permissions skips None
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0001_initial"),
        ("thematic", "0002_attendance_only_on_held_sessions"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
