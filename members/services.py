"""Writes on members, groups and logins that must be all-or-nothing."""

import datetime as dt
import logging
import re
import smtplib

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from chibo.lib.logins import login_name_validator
from chibo.lib.roles import MEMBER, ROLE_GROUPS, SECRETARY
from chibo.lib.text import fold, vietnamese_sort_key
from members.importing import ImportRow
from members.models import Member, Organisation, PartyGroup, Role, new_calendar_token
from members.tokens import new_link_token

logger = logging.getLogger(__name__)
MAIL_ERRORS = (smtplib.SMTPException, OSError)


class ServiceError(Exception):
    """A write refused for a reason the user must be told (the message is Vietnamese)."""


# --- Members -------------------------------------------------------------------


def left_refusal(member: Member) -> str | None:
    """Why a member's place in the cell (group, leaving, login) cannot change, or None.

    A member who left stays, with all their history, but is moved, marked
    as leaving again or given a login no more.
    """
    if member.has_left:
        return _("Đồng chí này đã thôi sinh hoạt tại chi bộ.")
    return None


def mark_member_left(*, member: Member, day: dt.date, reason: str, note: str = "") -> None:
    """Record that a member left the cell; they stay, with all their history.

    Their role in the cell goes, and with it their login when it holds no
    role elsewhere; a group they led no longer names them. A member who
    left already is refused (``left_refusal``), as saved: the leave form has
    set the new date on ``member`` by now.
    """
    with transaction.atomic():
        refusal = left_refusal(
            Member.objects.of_cell(member.cell_id).select_for_update().get(pk=member.pk)
        )
        if refusal:
            raise ServiceError(refusal)
        member.left_cell_on, member.left_reason, member.left_note = day, reason, note
        member.save()
        for group in PartyGroup.objects.filter(leader=member):
            group.leader = None
            group.save(update_fields=["leader"])
        if member.user_id:
            leave_cell(member.user, member.cell)


def leave_cell(user: User, cell: Organisation) -> None:
    """Take ``user``'s role in ``cell`` away; close the login if it holds no other."""
    for role in user.roles.filter(organisation=cell):
        role.delete()
    if not user.roles.exists():
        _close_login(user)


def move_member(*, member: Member, group: PartyGroup) -> None:
    """Move a member to another group; the group they led no longer names them.

    Attendance already recorded keeps the group of its day. A member who left
    is refused (``left_refusal``).
    """
    refusal = left_refusal(member)
    if refusal:
        raise ServiceError(refusal)
    with transaction.atomic():
        old = member.group_id
        member.group = group
        member.save()
        for led in PartyGroup.objects.filter(pk=old, leader=member):
            led.leader = None
            led.save(update_fields=["leader"])


def renew_calendar_token(*, member: Member) -> str:
    """Give the member's calendar feed a new secret address; the old one stops working."""
    token = new_calendar_token()
    with transaction.atomic():
        # The token is not part of the member's history: update it alone.
        Member.objects.of_cell(member.cell_id).filter(pk=member.pk).update(calendar_token=token)
    member.calendar_token = token
    return token


def import_members(
    *, rows: list[ImportRow], cell: Organisation, user: User | None = None
) -> list[Member]:
    """Create the members of checked import rows in ``cell``, all of them or none.

    Their history rows name ``user``: a bulk write sends no signal, so the
    history is written by ``bulk_create_with_history`` and needs to be told.
    """
    cell_id = getattr(cell, "pk", cell)
    wrong_cell = any(row.data.get("group") and row.data["group"].cell_id != cell_id for row in rows)
    if wrong_cell or any(row.errors for row in rows):
        raise ServiceError(_("Tệp còn dòng lỗi: chưa nhập đảng viên nào."))
    members = []
    for row in rows:
        data = row.data
        members.append(
            Member(
                cell=cell,
                full_name=data["full_name"],
                sort_name=vietnamese_sort_key(data["full_name"]),
                group=data["group"],
                standing=data["standing"],
                position=data["position"],
                joined_party_on=data["joined_party_on"],
                joined_cell_on=data["joined_cell_on"],
                phone=data["phone"],
                email=data["email"],
            )
        )
    with transaction.atomic():
        return bulk_create_with_history(members, Member, default_user=user)


# --- Groups --------------------------------------------------------------------


def add_group(*, group: PartyGroup) -> PartyGroup:
    """Create a group, placed last in its cell's order."""
    with transaction.atomic():
        last = (
            PartyGroup.objects.select_for_update()
            .filter(cell=group.cell_id)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
        )
        group.order = (last or 0) + 1
        group.save()
    return group


def move_group(*, group: PartyGroup, step: int, user: User | None = None) -> None:
    """Move a group one place up (step -1) or down (+1) in the cell's order.

    Groups are renumbered 1, 2, 3… on the way, so that equal or missing
    numbers never block a move.
    """
    with transaction.atomic():
        groups = list(
            PartyGroup.objects.select_for_update()
            .filter(cell=group.cell_id)
            .order_by("order", "name", "pk")
        )
        index = next(i for i, item in enumerate(groups) if item.pk == group.pk)
        other = index + step
        if 0 <= other < len(groups):
            groups[index], groups[other] = groups[other], groups[index]
        changed = []
        for order, item in enumerate(groups, start=1):
            if item.order != order:
                item.order = order
                changed.append(item)
        if changed:
            bulk_update_with_history(changed, PartyGroup, ["order"], default_user=user)


def archive_group(*, group: PartyGroup) -> None:
    """Archive a group that has no current member; its past stays with it."""
    count = Member.objects.regular().current().filter(group=group).count()
    if count:
        raise ServiceError(
            _(
                "Tổ còn %(count)s đảng viên đang sinh hoạt: hãy chuyển họ sang tổ khác "
                "trước khi giải thể tổ."
            )
            % {"count": count}
        )
    group.is_active = False
    group.leader = None
    group.save(update_fields=["is_active", "leader"])


def restore_group(*, group: PartyGroup) -> None:
    group.is_active = True
    group.save(update_fields=["is_active"])


# --- Logins --------------------------------------------------------------------


def suggest_username(full_name: str) -> str:
    """A login in the usual Vietnamese office style: given name + initials ("huongnt")."""
    words = fold(full_name).split()
    if not words:
        return ""
    base = re.sub(r"[^a-z0-9]", "", words[-1] + "".join(word[0] for word in words[:-1]))
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def check_reach(user: User | None, *, by: User | None, cell: Organisation) -> None:
    """Refuse when ``by`` may not change ``user``'s login (name, role, link, revoke).

    The secretary of ``cell`` reaches only logins that hold no role but
    member of that cell: no leader's or secretary's role, no role in another
    cell or a committee, no staff or superuser flag, no group or permission
    given by hand. A login with more is changed by a superuser in the admin:
    one cell's secretary must never be able to take over another's login
    with a set-password link. Their own login stays theirs to rename.
    """
    if user is None or by is None or by.is_superuser or user.pk == by.pk:
        return
    above_member = user.roles.exclude(organisation=cell, kind=MEMBER).exists()
    if (
        user.is_superuser
        or user.is_staff
        or above_member
        or user.groups.exists()
        or user.user_permissions.exists()
    ):
        raise ServiceError(
            _(
                "Tài khoản này giữ vai trò cao hơn đảng viên: bí thư chi bộ không thay đổi "
                "được tên, vai trò, đường dẫn đặt mật khẩu hay thu hồi nó. Đồng chí hãy nhờ "
                "quản trị viên hệ thống làm việc này trong trang quản trị."
            )
        )


def give_login(*, member: Member, username: str, role: str, by: User | None = None) -> User:
    """Give a member a login with a role, or change an existing login's name and role.

    A new or reopened login has no password: the member sets one through the
    one-time link of ``password_link``.
    """
    if role not in ROLE_GROUPS:
        raise ServiceError(_("Vai trò không hợp lệ."))
    try:
        login_name_validator(username)
    except ValidationError as error:
        raise ServiceError(error.messages[0]) from error
    refusal = left_refusal(member)
    if refusal:
        raise ServiceError(refusal)
    if by is not None and member.user_id == by.pk and role != SECRETARY:
        raise ServiceError(_("Không thể tự bỏ vai trò bí thư của chính mình."))
    check_reach(member.user, by=by, cell=member.cell)
    with transaction.atomic():
        user = member.user
        if user is None:
            user = User(username=username, first_name=member.full_name[:150], email=member.email)
            user.set_unusable_password()
            user.save()
            member.user = user
            member.save(update_fields=["user", "updated_at"])
        else:
            if not user.is_active:
                user.is_active = True
                user.set_unusable_password()
            user.username = username
            user.email = member.email
            user.save()
        Role.objects.update_or_create(user=user, organisation=member.cell, defaults={"kind": role})
    return user


def no_login_refusal(member: Member) -> str | None:
    """Why a member's login cannot be taken away or given a new link: none is open."""
    if member.user is None or not member.user.is_active:
        return _("Đồng chí này chưa có tài khoản.")
    return None


def take_login_away(*, member: Member, by: User) -> None:
    """Close a member's login: it stays in history, but nobody can log in with it."""
    refusal = no_login_refusal(member)
    if refusal:
        raise ServiceError(refusal)
    if member.user_id == by.pk:
        raise ServiceError(_("Không thể tự thu hồi tài khoản của chính mình."))
    check_reach(member.user, by=by, cell=member.cell)
    with transaction.atomic():
        _close_login(member.user)


def _close_login(user: User) -> None:
    user.is_active = False
    user.set_unusable_password()
    user.save()
    # Through the model, one by one: each removal stays in the roles' history.
    for role in user.roles.all():
        role.delete()


def password_link(request, user: User) -> str:
    """An absolute one-time link for ``user`` to set a password.

    Built on Django's password-reset tokens: the link stops working once the
    password is set (the token hashes the password), once a newer link is
    made (``members.tokens``) or after PASSWORD_RESET_TIMEOUT.
    """
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": new_link_token(user),
        },
    )
    return request.build_absolute_uri(path)


def send_password_link(*, member: Member, link: str) -> bool:
    """Email the link when the member has an address; True if a mail was sent.

    Raises ServiceError when the mail server refuses or cannot be reached:
    the login exists by then, and the secretary still has the link to hand over.
    """
    if not member.email:
        return False
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    body = _(
        "Kính gửi đồng chí %(name)s,\n\n"
        "Chi bộ đã tạo cho đồng chí tài khoản Chibo, tên đăng nhập: %(username)s.\n"
        "Để đặt mật khẩu, đồng chí mở đường dẫn sau (chỉ dùng được một lần, "
        "trong %(days)s ngày):\n\n%(link)s\n\n"
        "Nếu đồng chí không chờ thư này, xin bỏ qua.\n"
    ) % {"name": member.full_name, "username": member.user.username, "days": days, "link": link}
    try:
        send_mail(
            _("Chibo: đặt mật khẩu cho tài khoản của đồng chí"),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [member.email],
        )
    except MAIL_ERRORS as error:
        logger.warning("Password link to member %s not sent: %r", member.pk, error)
        raise ServiceError(
            _(
                "Chưa gửi được thư tới %(email)s vì lỗi máy chủ thư: hãy trao đường dẫn "
                "dưới đây tận tay."
            )
            % {"email": member.email}
        ) from error
    return True
