"""Self check-in by QR code and "Đã đọc tài liệu" (see sessions/checkin.py)."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from chibo.lib.roles import CHANGE_ATTENDANCE, CHANGE_SESSION, VIEW_SESSION
from members.workplace import member_of
from sessions import checkin, reminders, services
from sessions.models import GroupMeeting
from sessions.views import cell_sessions


def _session(request, pk):
    meetings = GroupMeeting.objects.select_related("group")
    return get_object_or_404(
        cell_sessions(request)
        .select_related("plan")
        .prefetch_related(Prefetch("group_meetings", queryset=meetings)),
        pk=pk,
    )


def _scan_url(request, session):
    code = checkin.make_code(session, timezone.now())
    return request.build_absolute_uri(reverse("sessions:check_in_scan", args=[code]))


@permission_required(CHANGE_ATTENDANCE, raise_exception=True)
def check_in_page(request, pk):
    """The secretary's screen: a QR code members scan to check themselves in."""
    session = _session(request, pk)
    refusal = checkin.page_refusal(session, timezone.now())
    if refusal:
        messages.error(request, refusal)
        return redirect(session)
    context = {
        "session": session,
        "scan_url": _scan_url(request, session),
        "can_take_attendance": services.attendance_refusal(session, timezone.now()) is None,
    }
    return render(request, "sessions/check_in.html", context)


@permission_required(CHANGE_ATTENDANCE, raise_exception=True)
@never_cache
def check_in_qr(request, pk):
    """This minute's QR code, as SVG (the page's script reloads it)."""
    session = _session(request, pk)
    if checkin.page_refusal(session, timezone.now()):
        return HttpResponse(status=410)
    svg = io.BytesIO()
    segno.make(_scan_url(request, session), error="m").save(svg, kind="svg", scale=8, border=2)
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@permission_required(CHANGE_ATTENDANCE, raise_exception=True)
@never_cache
def check_in_code(request, pk):
    """This minute's address, for the link under the QR code."""
    session = _session(request, pk)
    refusal = checkin.page_refusal(session, timezone.now())
    if refusal:
        return JsonResponse({"error": refusal}, status=410)
    return JsonResponse({"url": _scan_url(request, session)})


@permission_required(CHANGE_ATTENDANCE, raise_exception=True)
@never_cache
def check_ins_json(request, pk):
    """Who checked in, for the attendance sheet to mark as it is open."""
    session = _session(request, pk)
    rows = [
        {"member": row.member_id, "at": timezone.localtime(row.at).strftime("%H:%M")}
        for row in session.check_ins.all()
    ]
    return JsonResponse({"check_ins": rows})


@require_http_methods(["GET", "HEAD", "POST"])
def check_in_scan(request, code):
    """Where a member's phone lands after scanning: one tap checks them in.

    GET only says what a tap would do (or why it cannot), and writes nothing:
    a link opened by a preview or twice must not check anyone in. The POST
    checks the code again, then writes one row (a constraint keeps it one).
    """
    now = timezone.now()
    context, status = {"code": code}, 200
    try:
        pk = checkin.read_code(code, now)
        session = _session(request, pk)
        context["session"] = session
        member = member_of(request.user)
        if member is None:
            raise checkin.CheckInRefused(_("Tài khoản chưa được gắn với đảng viên nào."))
        if request.method == "POST":
            row = checkin.check_in(session=session, member=member, now=now)
            done = _("Đã điểm danh: đồng chí có mặt lúc %(time)s.") % {
                "time": timezone.localtime(row.at).strftime("%H:%M")
            }
            messages.success(request, done + " " + _("Bí thư sẽ xác nhận trên bảng điểm danh."))
            return redirect(session)
        else:
            checkin.check_in_refusal(session=session, member=member, now=now)
    except checkin.CheckInRefused as refusal:
        context["refusal"], status = str(refusal), 400
    return render(request, "sessions/check_in_scan.html", context, status=status)


@permission_required(VIEW_SESSION, raise_exception=True)
@require_POST
def confirm_read(request, pk):
    """Đã đọc tài liệu: the member's word that they read the draft and documents."""
    session = _session(request, pk)
    member = member_of(request.user)
    if member is None:
        messages.error(request, _("Tài khoản chưa được gắn với đảng viên nào."))
        return redirect(session)
    try:
        checkin.confirm_read(session=session, member=member, now=timezone.now())
    except checkin.CheckInRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Đã ghi nhận đồng chí đã đọc tài liệu."))
    return redirect(session)


@permission_required(CHANGE_SESSION, raise_exception=True)
@require_POST
def remind_unread(request, pk):
    """Send the session's reminder to the members who have not confirmed reading."""
    session = _session(request, pk)
    _confirmed, unread = checkin.readers(session)
    outcome = reminders.remind_unread(session, unread)
    if outcome.session_reminders:
        messages.success(
            request, _("Đã gửi thư nhắc tới %(n)s đồng chí.") % {"n": outcome.session_reminders}
        )
    if outcome.without_email:
        messages.warning(
            request,
            _("Chưa có địa chỉ thư: %(names)s.")
            % {"names": ", ".join(sorted(outcome.without_email))},
        )
    for error in [*outcome.errors, *([outcome.stopped] if outcome.stopped else [])]:
        messages.error(request, error)
    if not unread:
        messages.info(request, _("Mọi đồng chí đã xác nhận đọc tài liệu."))
    return redirect(session)
