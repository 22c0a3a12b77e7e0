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
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
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
from members.versions import data_changed

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
    role elsewhere; a group they led no longer names them; their temporary
    stays in other cells end that day too (``send_temporarily``). A member
    who left already is refused (``left_refusal``), as saved: the leave form
    has set the new date on ``member`` by now.
    """
    with transaction.atomic():
        refusal = left_refusal(
            Member.objects.of_cell(member.cell_id).select_for_update().get(pk=member.pk)
        )
        if refusal:
            raise ServiceError(refusal)
        note_for_hosts = _("Hết sinh hoạt tạm thời: đồng chí đã thôi sinh hoạt tại %(cell)s.") % {
            "cell": member.cell
        }
        _end_stays(Member.objects.filter(home_member=member), day=day, note=note_for_hosts)
        _leave(member, day=day, reason=reason, note=note)
        if member.user_id:
            leave_cell(member.user, member.cell)


def _leave(member: Member, *, day: dt.date, reason: str, note: str, by: User | None = None):
    """Close ``member``'s time in their cell on ``day``; a group they led no longer names them."""
    member.left_cell_on, member.left_reason, member.left_note = day, reason, note[:255]
    _save(member, by)
    for group in PartyGroup.objects.filter(leader=member):
        group.leader = None
        group.save(update_fields=["leader"])


def _save(member: Member, by: User | None) -> None:
    """Save ``member``, its history row naming ``by`` (a request's user is named anyway)."""
    if by is not None:
        member._history_user = by
    member.save()


def _save_in_other_cell(record: Member) -> None:
    """Save a record of a cell the writer does not belong to; its history names nobody.

    A cell's history pages name who made each change: the people of the
    cell that sent a member are not the other cell's to know. The sending
    cell's own record keeps the writer's name.
    """
    record._history_user = None
    record.save()


# --- Moving between cells of one Chibo ------------------------------------------------
#
# A member record belongs to one cell. A person who moves to another cell of
# the same Chibo (chuyển sinh hoạt đảng) gets a new record there, starting on
# the day of the move, and keeps the old one, left that day, with all its
# history. A person sent to attend another cell for a while (sinh hoạt tạm
# thời) gets a temporary record in that cell, never counted in its rates.
# The new records copy the person's own fields, never the old cell's: no
# page of the new cell can show anything of the old one (docs/development.md,
# "Moving between cells").

# What is the person's, copied to their record in another cell. The rest is
# the cell's: group, position, notes, exemptions, attendance, calendar address.
PERSONAL_FIELDS = ("full_name", "standing", "joined_party_on", "full_member_on", "phone", "email")


def other_cells(cell: Organisation):
    """The cells a member of ``cell`` may move to: the other cells of its Chibo.

    Their names are no secret between the cells of one Chibo: a transfer
    paper names both.
    """
    return Organisation.objects.in_tree_of(cell).cells().exclude(pk=cell.pk)


def first_group(cell: Organisation) -> PartyGroup | None:
    """The group a member moving in joins: the cell's first active one, in its order."""
    return PartyGroup.objects.of_cell(cell).filter(is_active=True).order_by("order", "name").first()


def move_refusal(member: Member) -> str | None:
    """Why ``member`` can be neither transferred nor sent to another cell, or None."""
    refusal = left_refusal(member)
    if refusal:
        return refusal
    if member.temporary:
        return _(
            "Đồng chí này sinh hoạt tạm thời tại chi bộ: chi bộ nơi đồng chí sinh hoạt chính "
            "thức mới chuyển hay giới thiệu đồng chí đi nơi khác."
        )
    return None


def _destination_refusal(member: Member, cell: Organisation) -> str | None:
    if cell.pk == member.cell_id:
        return _("Đồng chí này đang sinh hoạt tại chi bộ này: hãy chọn một chi bộ khác.")
    if not other_cells(member.cell).filter(pk=cell.pk).exists():
        return _("Chỉ chọn được một chi bộ khác trong cùng đảng bộ trên Chibo.")
    return None


def _current_there(member: Member, cell: Organisation, **fields) -> bool:
    """Whether ``member``'s login is linked to a record of ``cell`` still open."""
    if member.user_id is None:
        return False
    return Member.objects.filter(
        cell=cell, user=member.user_id, left_cell_on__isnull=True, **fields
    ).exists()


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _stays_ending_with_transfer(member: Member, to_cell: Organisation):
    """The temporary records a transfer ends: the member's stays, and any open one of
    their login in the new cell (where they now belong)."""
    mine = Q(home_member=member)
    if member.user_id:
        mine |= Q(cell=to_cell, user=member.user_id)
    return Member.objects.filter(mine, temporary=True, left_cell_on__isnull=True)


def transfer_refusal(
    *, member: Member, to_cell: Organisation, day: dt.date, by: User | None = None
) -> str | None:
    """Why ``member`` cannot be transferred to ``to_cell`` on ``day``, or None."""
    refusal = move_refusal(member) or _destination_refusal(member, to_cell)
    if refusal:
        return refusal
    if by is not None and member.user_id == by.pk:
        return _(
            "Không thể tự chuyển sinh hoạt của chính mình: hãy nhờ một đồng chí khác của chi "
            "bộ có quyền quản lý đảng viên làm việc này."
        )
    if day > timezone.localdate():
        return _(
            "Ngày chuyển sinh hoạt không thể ở tương lai: chỉ ghi khi đồng chí đã chuyển sinh hoạt."
        )
    if day < member.joined_cell_on:
        return _("Ngày chuyển sinh hoạt không thể trước ngày về chi bộ (%(day)s).") % {
            "day": _day(member.joined_cell_on)
        }
    if first_group(to_cell) is None:
        return _(
            "%(cell)s chưa có tổ Đảng nào đang hoạt động: hãy nhờ bí thư chi bộ đó lập tổ "
            "trước khi chuyển sinh hoạt đến."
        ) % {"cell": to_cell}
    if _current_there(member, to_cell, temporary=False):
        return _("Tài khoản của đồng chí đã gắn với một đảng viên đang sinh hoạt tại %(cell)s.") % {
            "cell": to_cell
        }
    late = (
        _stays_ending_with_transfer(member, to_cell)
        .filter(cell=to_cell, joined_cell_on__gt=day)
        .order_by("joined_cell_on")
        .first()
    )
    if late is not None:
        return _(
            "Đồng chí sinh hoạt tạm thời tại %(cell)s từ %(day)s: ngày chuyển sinh hoạt không "
            "thể trước ngày đó."
        ) % {"cell": to_cell, "day": _day(late.joined_cell_on)}
    return None


def transfer_member(
    *, member: Member, to_cell: Organisation, day: dt.date, by: User | None = None
) -> Member:
    """Transfer ``member`` to ``to_cell``, a cell of the same Chibo, on ``day``.

    Chuyển sinh hoạt đảng, in one transaction. The record in the old cell is
    marked left on ``day`` (reason "Chuyển sinh hoạt", the new cell named in
    the note) and keeps all its history. A new record starts in ``to_cell``
    on ``day``, its history starting with the transfer: the person's own
    fields (``PERSONAL_FIELDS``) and none of the old cell's — a plain member
    in the new cell's first active group (its secretary may move them), a
    fresh calendar address, a note naming the cell they come from. It has no
    field pointing to the old record: nothing of the old cell is within
    reach of the new one.

    One person, one login: the login moves to the new record. Its role in
    the old cell goes and a member role in the new one comes (a role it
    already held there stays); its other roles stay. The person's temporary
    stays end on ``day``; an older record of theirs in the new cell (they
    were there before, or attended it temporarily) keeps its history and
    gives its login to the new one. Refusals: ``transfer_refusal``.
    """
    with transaction.atomic():
        member = (
            Member.objects.of_cell(member.cell_id)
            .select_for_update(of=("self",))
            .select_related("cell", "user")
            .get(pk=member.pk)
        )
        refusal = transfer_refusal(member=member, to_cell=to_cell, day=day, by=by)
        if refusal:
            raise ServiceError(refusal)
        old_cell, user = member.cell, member.user
        _end_stays(
            _stays_ending_with_transfer(member, to_cell),
            day=day,
            note=_("Hết sinh hoạt tạm thời: đồng chí đã chuyển sinh hoạt đến %(cell)s.")
            % {"cell": to_cell},
        )
        new = Member(
            cell=to_cell,
            group=first_group(to_cell),
            joined_cell_on=day,
            notes=_("Chuyển sinh hoạt từ %(cell)s ngày %(day)s.")
            % {"cell": old_cell, "day": _day(day)},
            **{name: getattr(member, name) for name in PERSONAL_FIELDS},
        )
        _give_record_the_login(new, user)
        _leave(
            member,
            day=day,
            reason=Member.LeaveReason.TRANSFER,
            note=_("đến %(cell)s") % {"cell": to_cell},
            by=by,
        )
        if user is not None:
            for role in user.roles.filter(organisation=old_cell):
                role.delete()
    return new


def stay_refusal(*, member: Member, host: Organisation, day: dt.date) -> str | None:
    """Why ``member`` cannot be sent to attend ``host`` temporarily from ``day``, or None."""
    refusal = move_refusal(member) or _destination_refusal(member, host)
    if refusal:
        return refusal
    if day < member.joined_cell_on:
        return _("Ngày bắt đầu sinh hoạt tạm thời không thể trước ngày về chi bộ (%(day)s).") % {
            "day": _day(member.joined_cell_on)
        }
    if member.stays.filter(cell=host, left_cell_on__isnull=True).exists():
        return _("Đồng chí đang sinh hoạt tạm thời tại %(cell)s rồi.") % {"cell": host}
    if _current_there(member, host):
        return _("Tài khoản của đồng chí đã gắn với một đảng viên đang sinh hoạt tại %(cell)s.") % {
            "cell": host
        }
    return None


def send_temporarily(
    *, member: Member, host: Organisation, day: dt.date, by: User | None = None
) -> Member:
    """Send ``member`` to attend ``host``, a cell of the same Chibo, from ``day``.

    Sinh hoạt tạm thời, as the paper that the home cell issues (giấy giới
    thiệu sinh hoạt tạm thời): a temporary record in ``host`` from ``day``,
    with the person's own fields, no group, the home cell's name in
    ``home_cell``. ``host`` records their attendance on its sheet apart,
    never counted in its rates; the home cell's record and figures are
    untouched, and the home cell sees only where and since when (its record's
    ``stays``). The host never browses another cell's members: it is the
    home cell that sends.

    An open login is linked to the temporary record too, with a member role
    in ``host`` (its roles at home stay; a closed login is not linked):
    working there, the person sees the host's sessions and their attendance
    there. The stay ends when the host marks the record left (its leave
    form), or when the person leaves the home cell or is transferred.
    Refusals: ``stay_refusal``.
    """
    with transaction.atomic():
        member = (
            Member.objects.of_cell(member.cell_id)
            .select_for_update(of=("self",))
            .select_related("cell", "user")
            .get(pk=member.pk)
        )
        refusal = stay_refusal(member=member, host=host, day=day)
        if refusal:
            raise ServiceError(refusal)
        stay = Member(
            cell=host,
            temporary=True,
            home_cell=str(member.cell)[:200],
            home_member=member,
            joined_cell_on=day,
            **{name: getattr(member, name) for name in PERSONAL_FIELDS},
        )
        # A closed login stays with the home cell: the host must not be able to
        # reopen it (and so hand out a way into it) through its account page.
        user = member.user if member.user is not None and member.user.is_active else None
        _give_record_the_login(stay, user)
    return stay


def _give_record_the_login(record: Member, user: User | None) -> None:
    """Save ``record`` (new, in its cell) linked to ``user``, with a member role there.

    A login is linked to one record per cell: an older one of the person's
    there, left by now, keeps its rows and history and gives up the link. A
    closed login is linked and stays closed (the secretary may reopen it).
    """
    if user is not None:
        for older in Member.objects.filter(cell=record.cell, user=user).select_for_update():
            older.user = None
            _save_in_other_cell(older)
    record.user = user
    _save_in_other_cell(record)
    if user is not None and user.is_active:
        Role.objects.get_or_create(
            user=user, organisation=record.cell, defaults={"kind": Role.Kind.MEMBER}
        )


def _end_stays(stays, *, day: dt.date, note: str) -> None:
    """End the open temporary records among ``stays`` on ``day`` (or the day they began).

    Each is a record of another cell (``_save_in_other_cell``); the login's
    role in that cell goes, the login itself is left to the caller.
    """
    open_stays = stays.filter(left_cell_on__isnull=True).select_related("user")
    # Only the records' rows: PostgreSQL locks no nullable side of a join.
    for stay in open_stays.select_for_update(of=("self",)):
        stay.left_cell_on = max(day, stay.joined_cell_on)
        stay.left_reason, stay.left_note = Member.LeaveReason.OTHER, note[:255]
        _save_in_other_cell(stay)
        if stay.user is not None:
            for role in stay.user.roles.filter(organisation=stay.cell_id):
                role.delete()


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
                full_member_on=data.get("full_member_on"),
                joined_cell_on=data["joined_cell_on"],
                phone=data["phone"],
                email=data["email"],
            )
        )
    with transaction.atomic():
        data_changed(cell_id)  # bulk_create sends no signal
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
            data_changed(group.cell_id)  # bulk_update sends no signal
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
    # The member lists show who has a login: a login is no row of a cell.
    data_changed(*Member.objects.across_cells().filter(user=user).values_list("cell_id", flat=True))
    # Through the model, one by one: each removal stays in the roles' history.
    for role in user.roles.all():
        role.delete()


def password_path(user: User) -> str:
    """The path of a new one-time link for ``user`` to set a password.

    Built on Django's password-reset tokens: the link stops working once the
    password is set (the token hashes the password), once a newer link is
    made (``members.tokens``) or after PASSWORD_RESET_TIMEOUT. The only place
    such a link is made: pages add the request's host (``password_link``),
    commands the site's address (``members.setup.set_password_link``).
    """
    return reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": new_link_token(user),
        },
    )


def password_link(request, user: User) -> str:
    """An absolute one-time link for ``user`` to set a password (``password_path``)."""
    return request.build_absolute_uri(password_path(user))


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
