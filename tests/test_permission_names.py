"""Every permission name the code asks for is written once, in chibo/lib/roles.py."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission

from chibo.lib import roles

ROOT = Path(settings.BASE_DIR)
APP_CODE = ("chibo", "members", "sessions")
ROLES_MODULE = ROOT / "chibo/lib/roles.py"


def permission_names() -> dict[str, str]:
    """The constants of roles.py that hold permission names (a tuple's each one)."""
    names = {}
    for constant, value in vars(roles).items():
        if not constant.isupper():
            continue
        values = value if isinstance(value, tuple) else (value,)
        for one in values:
            if isinstance(one, str) and "." in one:
                names[f"{constant}: {one}"] = one
    return names


def application_modules():
    for folder in APP_CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts or path == ROLES_MODULE:
                continue
            yield path


@pytest.mark.django_db
def test_every_permission_name_names_a_permission_that_exists():
    existing = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    names = permission_names()
    assert len(names) > 20
    assert {label: name for label, name in names.items() if name not in existing} == {}


def test_each_permission_has_one_name():
    singles = {
        constant: value
        for constant, value in vars(roles).items()
        if constant.isupper() and isinstance(value, str) and "." in value
    }
    seen = {}
    for constant, value in singles.items():
        seen.setdefault(value, []).append(constant)
    assert {value: names for value, names in seen.items() if len(names) > 1} == {}


def typed_permission() -> re.Pattern:
    """A quoted existing permission, or anything shaped like an app's model permission."""
    labels = "|".join(re.escape(config.label) for config in apps.get_app_configs())
    existing = "|".join(
        re.escape(f"{app_label}.{codename}")
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    )
    return re.compile(rf"""(["'])(?:{existing}|(?:{labels})\.(?:add|change|delete|view)_\w+)\1""")


@pytest.mark.django_db
def test_no_application_module_types_a_permission_name():
    """Views, services and helpers import the names of roles.py, never quote "app.codename"."""
    quoted = typed_permission()
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in application_modules()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if quoted.search(line)
    ]
    assert found == []


@pytest.mark.django_db
def test_the_check_sees_a_typed_permission_name():
    """The pattern above is not blind: it sees the literals it is meant to refuse."""
    quoted = typed_permission()
    assert quoted.search('@permission_required("thematic.change_thematicsession")')
    assert quoted.search("user.has_perm('members.view_member')")
    assert quoted.search('has_perm("thematic.view_summary")')
    assert quoted.search('has_perm("auth.view_user")')
    assert not quoted.search('IMPORT_SALT = "members.import"')
    assert not quoted.search("DJANGO_SETTINGS_MODULE = 'chibo.settings'")
