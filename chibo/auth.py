import functools

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

UserModel = get_user_model()


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend with two queries fewer on every page.

    Every page needs the user, the member linked to them (the menu shows
    their name, the home pages start from it) and their permissions (the menu
    and the views ask for them). Django loads these with four queries; this
    backend loads the user with their member in one, and all permissions, the
    user's own and their groups', in one. Permissions mean exactly what they
    mean to Django's backend.
    """

    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.select_related("member").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                pairs = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                pairs = permission_pairs(user_obj.pk)
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in pairs}
        return user_obj._perm_cache


@functools.cache
def _permissions_sql() -> str:
    quote = connection.ops.quote_name
    permissions = quote(Permission._meta.db_table)
    content_types = quote(ContentType._meta.db_table)
    own = quote(UserModel.user_permissions.through._meta.db_table)
    memberships = quote(UserModel.groups.through._meta.db_table)
    of_groups = quote(Permission.group_set.through._meta.db_table)
    # Table names from the models' metadata; the user's id is a parameter.
    return (
        f"SELECT ct.app_label, p.codename FROM {permissions} p "  # noqa: S608
        f"JOIN {content_types} ct ON ct.id = p.content_type_id "
        f"WHERE p.id IN (SELECT permission_id FROM {own} WHERE user_id = %s) "
        f"OR p.id IN (SELECT gp.permission_id FROM {of_groups} gp "
        f"JOIN {memberships} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %s)"
    )


def permission_pairs(user_id) -> list[tuple[str, str]]:
    """(app label, codename) of the user's own permissions and their groups'.

    One query, written out: every page asks for it. The ORM's version (a
    join through both relations with an OR) took PostgreSQL 0.35 ms to plan
    and run and Django 0.4 ms to build; this one, by id lists, 0.2 ms in all.
    """
    with connection.cursor() as cursor:
        cursor.execute(_permissions_sql(), [user_id, user_id])
        return cursor.fetchall()
