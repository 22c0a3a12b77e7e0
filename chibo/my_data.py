"""A member's own data, all of it, as one file they can download ("Tải dữ liệu của tôi").

Everything Chibo holds about the signed-in member, and nothing about anyone
else: their record, their login, the groups they lead, their exemptions,
every attendance row with its reason, their awards, the sessions they
prepared, presided over or took minutes of, the reminders sent to them, the
files they uploaded, their successful logins, and the history of changes to
their record, exemptions, attendance and awards (with who made each change).

Left out on purpose: the secret address of their calendar feed (a key, shown
on their calendar page), and failed logins under their name (those hold the
address of whoever tried, who may be someone else).
"""

import json

from axes.models import AccessLog
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.template.defaultfilters import date as date_format
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from chibo.history import member_history
from members.models import Exemption, Member, PartyGroup
from members.workplace import member_of
from sessions.models import (
    Attendance,
    Award,
    CheckIn,
    Document,
    GroupMeeting,
    Photo,
    ReadConfirmation,
    Reminder,
    ThematicSession,
)

MEMBER_FIELDS = (
    "full_name",
    "group",
    "standing",
    "position",
    "joined_party_on",
    "full_member_on",
    "joined_cell_on",
    "left_cell_on",
    "left_reason",
    "left_note",
    "temporary",
    "home_cell",
    "phone",
    "email",
    "notes",
)


def day(value) -> str:
    return date_format(value, "d/m/Y") if value else ""


def moment(value) -> str:
    return date_format(timezone.localtime(value), "d/m/Y H:i") if value else ""


def yes_no(value) -> str:
    return _("có") if value else _("không")


def record_of(member: Member) -> dict:
    data = {}
    for name in MEMBER_FIELDS:
        field = Member._meta.get_field(name)
        value = getattr(member, name)
        if field.choices:
            value = getattr(member, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = yes_no(value)
        elif hasattr(value, "strftime"):
            value = day(value)
        data[str(capfirst(field.verbose_name))] = "" if value is None else str(value)
    data[_("Ghi vào Chibo lúc")] = moment(member.created_at)
    data[_("Sửa lần cuối lúc")] = moment(member.updated_at)
    return data


def account_of(user) -> dict | None:
    if user is None:
        return None
    return {
        _("Tên đăng nhập"): user.username,
        _("Thư điện tử"): user.email,
        _("Đang mở"): yes_no(user.is_active),
        _("Vai trò"): "; ".join(
            f"{role.get_kind_display()} — {role.organisation}"
            for role in user.roles.select_related("organisation")
        ),
        _("Tạo lúc"): moment(user.date_joined),
        _("Đăng nhập lần cuối"): moment(user.last_login),
    }


def session_name(session) -> dict:
    return {_("Kỳ sinh hoạt"): str(session), _("Ngày"): day(timezone.localdate(session.start))}


def roles_of(member: Member) -> list[dict]:
    """The sessions and group meetings the member prepared, presided over or took minutes of."""
    roles = []
    for session in ThematicSession.objects.filter(
        Q(preparer=member) | Q(presiding=member) | Q(minute_taker=member)
    ):
        for field in ("preparer", "presiding", "minute_taker"):
            if getattr(session, f"{field}_id") == member.pk:
                label = ThematicSession._meta.get_field(field).verbose_name
                roles.append({**session_name(session), _("Vai trò"): str(capfirst(label))})
    for meeting in GroupMeeting.objects.filter(presiding=member).select_related("session", "group"):
        roles.append(
            {
                **session_name(meeting.session),
                _("Vai trò"): _("Chủ trì buổi sinh hoạt của %(group)s") % {"group": meeting.group},
            }
        )
    return roles


def personal_data(member: Member) -> dict:
    """Everything Chibo keeps about ``member`` and their account.

    What the account did (uploads, reminders to it) is read by the account,
    in every cell (``across_cells``): it is this person's, wherever it is.
    """
    user = member.user
    attendance = Attendance.objects.filter(member=member).select_related("session", "group")
    uploads = []
    if user is not None:
        photos = Photo.objects.across_cells().filter(uploaded_by=user)
        documents = Document.objects.across_cells().filter(uploaded_by=user)
        uploads += [
            {
                **session_name(photo.session),
                _("Ảnh"): photo.caption,
                _("Lúc"): moment(photo.created_at),
            }
            for photo in photos.select_related("session")
        ]
        uploads += [
            {
                **session_name(document.session),
                _("Tài liệu"): document.title,
                _("Lúc"): moment(document.created_at),
            }
            for document in documents.select_related("session")
        ]
    reminders = Reminder.objects.across_cells().filter(
        Q(member=member) | Q(user=user) if user else Q(member=member)
    )
    # Tied to the account when written (members.LoginRecord): never by the
    # user name, which may have belonged to someone else then.
    logins = (
        AccessLog.objects.filter(owner__user=user).order_by("attempt_time")
        if user is not None
        else []
    )
    return {
        _("Tệp này"): _(
            "Mọi dữ liệu Chibo giữ về đồng chí %(name)s, xuất lúc %(moment)s. Không có dữ liệu "
            "của đảng viên nào khác."
        )
        % {"name": member.full_name, "moment": moment(timezone.now())},
        _("Đảng viên"): record_of(member),
        _("Tài khoản"): account_of(user),
        _("Tổ trưởng của"): [group.name for group in PartyGroup.objects.filter(leader=member)],
        _("Miễn, tạm miễn sinh hoạt"): [
            {
                _("Hình thức"): exemption.get_kind_display(),
                _("Từ ngày"): day(exemption.starts_on),
                _("Đến ngày"): day(exemption.ends_on),
                _("Lý do"): exemption.reason,
            }
            for exemption in Exemption.objects.filter(member=member).order_by("starts_on")
        ],
        _("Điểm danh"): [
            {
                **session_name(row.session),
                _("Tổ lúc đó"): str(row.group or ""),
                _("Điểm danh"): row.get_status_display(),
                _("Lý do vắng"): row.reason,
                _("Sinh hoạt tạm thời"): yes_no(row.temporary),
                _("Ghi lúc"): moment(row.recorded_at),
            }
            for row in attendance.order_by("session__start")
        ],
        _("Tự điểm danh bằng mã QR"): [
            {**session_name(row.session), _("Lúc"): moment(row.at)}
            for row in CheckIn.objects.across_cells()
            .filter(member=member)
            .select_related("session")
        ],
        _("Xác nhận đã đọc tài liệu"): [
            {**session_name(row.session), _("Lúc"): moment(row.at)}
            for row in ReadConfirmation.objects.across_cells()
            .filter(member=member)
            .select_related("session")
        ],
        _("Giải thưởng"): [
            {**session_name(award.session), _("Giải"): award.prize}
            for award in Award.objects.filter(member=member).select_related("session")
        ],
        _("Vai trò ở các kỳ sinh hoạt"): roles_of(member),
        _("Thư nhắc đã gửi"): [
            {
                **session_name(reminder.session),
                _("Loại"): reminder.get_kind_display(),
                _("Gửi tới"): reminder.email,
                _("Lúc"): moment(reminder.sent_at),
            }
            for reminder in reminders.select_related("session")
        ],
        _("Ảnh, tài liệu đã tải lên"): uploads,
        _("Lần đăng nhập"): [
            {
                _("Lúc"): moment(log.attempt_time),
                _("Đăng xuất lúc"): moment(log.logout_time),
                _("Địa chỉ IP"): log.ip_address or "",
                _("Trình duyệt"): log.user_agent,
            }
            for log in logins
        ],
        _("Lịch sử thay đổi"): [
            {
                _("Lúc"): moment(entry.when),
                _("Người thay đổi"): entry.who,
                _("Thao tác"): entry.action_label,
                _("Loại"): entry.kind,
                _("Nội dung"): entry.subject,
                _("Thay đổi"): [
                    {_("Mục"): change.label, _("Cũ"): change.old, _("Mới"): change.new}
                    for change in entry.changes
                ],
            }
            for entry in member_history(member)
        ],
    }


def download(request):
    """The signed-in member's data as a JSON file; an account without a member has none."""
    member = member_of(request.user)
    if member is None:
        raise Http404(_("Tài khoản chưa được gắn với đảng viên nào."))
    body = json.dumps(personal_data(member), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"chibo-du-lieu-cua-toi-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
