"""Roles are held in a cell; the committee officer's role is new.

Until now a login's role was its Django group, valid wherever it worked. A
login now holds a role in an organisation (``members.Role``), and the group of
the same name only says what the role may do. Every login in a role group
gets that role in the cell of its member record (or, without one, in the
first cell, the only one a database made before this had) and leaves the
group, so the role no longer applies everywhere. The committee officer's
group reads its cells' roll-ups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CELL_ROLES = ("secretary", "leader", "member")  # highest first: a login in two keeps the first
COMMITTEE_PERMISSIONS = ["view_organisation", "view_rollup"]


def make_permissions(apps):
    # As in 0001: permissions are normally made after all migrations ran.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # create_permissions skips None
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module


def roles_per_cell(apps, schema_editor):
    make_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Organisation = apps.get_model("members", "Organisation")
    Member = apps.get_model("members", "Member")
    Role = apps.get_model("members", "Role")

    committee, _ = Group.objects.get_or_create(name="committee")
    committee.permissions.set(
        Permission.objects.filter(
            content_type__app_label="members", codename__in=COMMITTEE_PERMISSIONS
        )
    )

    first_cell = Organisation.objects.filter(kind="cell").order_by("pk").first()
    for name in CELL_ROLES:
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for user in group.user_set.all():
            member = Member.objects.filter(user=user).order_by("pk").first()
            cell = member.cell if member is not None else first_cell
            if cell is not None:
                Role.objects.get_or_create(user=user, organisation=cell, defaults={"kind": name})
            user.groups.remove(group)


def roles_back_to_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Role = apps.get_model("members", "Role")
    groups = {group.name: group for group in Group.objects.filter(name__in=CELL_ROLES)}
    for role in Role.objects.filter(kind__in=CELL_ROLES).select_related("user"):
        role.user.groups.add(groups[role.kind])
    Role.objects.all().delete()
    Group.objects.filter(name="committee").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("chibo", "0002_cell_profile"),
        ("members", "0007_roles_per_cell"),
    ]

    operations = [migrations.RunPython(roles_per_cell, roles_back_to_groups)]
