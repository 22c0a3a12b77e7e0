"""A superuser's setup of a Chibo that hosts a committee's cells.

Two steps, run from the management commands ``add_organisation`` and
``give_role`` (or done in the admin): build the tree of organisations, then
give each cell's first secretary (and the committee's officers) a login with
a role. Everything else — the cell's profile, its groups and members, the
other logins — is the secretary's, in the app.

Both validate as the admin does (``full_clean``: ``Organisation.clean``
checks the tree, ``Role.clean`` keeps cell roles in cells and the committee
role at committee nodes) and refuse with a Vietnamese ``ServiceError``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chibo.lib.logins import login_name_validator
from members.models import Member, Organisation, Role
from members.services import ServiceError, password_path


def refusal_of(error: ValidationError, model=None) -> str:
    """A ValidationError's messages as one line, each field's led by the field's name."""
    if model is None or not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    lines = []
    for name, messages in error.message_dict.items():
        if name == NON_FIELD_ERRORS:
            lines += messages
        else:
            label = str(model._meta.get_field(name).verbose_name)
            lines += [f"{label[:1].upper()}{label[1:]}: {message}" for message in messages]
    return " ".join(lines)


def find_organisation(reference: str) -> Organisation:
    """The organisation of number ``reference``, or of exactly that name."""
    reference = (reference or "").strip()
    if reference.isdigit():
        found = Organisation.objects.filter(pk=int(reference)).first()
        if found is None:
            raise ServiceError(_("Không có tổ chức đảng số %(id)s.") % {"id": reference})
        return found
    matches = list(Organisation.objects.filter(name=reference))
    if not matches:
        raise ServiceError(_("Không có tổ chức đảng tên “%(name)s”.") % {"name": reference})
    if len(matches) > 1:
        numbers = ", ".join(str(o.pk) for o in matches)
        raise ServiceError(
            _("Có nhiều tổ chức đảng tên “%(name)s” (số %(numbers)s): hãy ghi số.")
            % {"name": reference, "numbers": numbers}
        )
    return matches[0]


def add_organisation(*, kind: str, name: str, parent: Organisation | None) -> Organisation:
    """A committee, a sub-committee or a cell, placed in the tree."""
    organisation = Organisation(kind=kind, name=(name or "").strip(), parent=parent)
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise ServiceError(refusal_of(error, Organisation)) from error
    organisation.save()
    return organisation


@dataclass
class GivenRole:
    user: User
    role: Role
    new_login: bool


def give_role(
    *, username: str, organisation: Organisation, kind: str, member: Member | None = None
) -> GivenRole:
    """Give the login ``username`` a role in ``organisation``; the login is made if missing.

    A new login has no password (``set_password_link`` makes the one-time link
    to set one). A login holding a role there already has it replaced. With
    ``member``, the login is that member's (a member of this very cell).
    """
    try:
        login_name_validator(username)
    except ValidationError as error:
        raise ServiceError(refusal_of(error)) from error
    if member is not None:
        if member.cell_id != organisation.pk:
            raise ServiceError(
                _("Đảng viên %(name)s không thuộc %(organisation)s.")
                % {"name": member.full_name, "organisation": organisation.name}
            )
        if member.user_id is not None and member.user.username != username:
            raise ServiceError(
                _("Đảng viên %(name)s đã có tài khoản “%(username)s”.")
                % {"name": member.full_name, "username": member.user.username}
            )
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        new_login = user is None
        if new_login:
            user = User(username=username)
            if member is not None:
                user.first_name = member.full_name[:150]
                user.email = member.email
            user.set_unusable_password()
            user.save()
        elif member is not None and Member.objects.filter(user=user).exclude(pk=member.pk).exists():
            raise ServiceError(
                _("Tài khoản “%(username)s” đã gắn với một đảng viên khác.")
                % {"username": username}
            )
        role = Role.objects.filter(user=user, organisation=organisation).first()
        role = role or Role(user=user, organisation=organisation)
        role.kind = kind
        try:
            role.full_clean()
        except ValidationError as error:
            raise ServiceError(refusal_of(error, Role)) from error
        role.save()
        if member is not None and member.user_id is None:
            member.user = user
            member.save(update_fields=["user", "updated_at"])
    return GivenRole(user=user, role=role, new_login=new_login)


def set_password_link(user: User) -> str:
    """A one-time link to set ``user``'s password, on ``CHIBO_SITE_URL``."""
    return settings.CHIBO_SITE_URL + password_path(user)
