"""A member's own pages: their attendance record and their calendar.

A member sees only their own record: asking for another member's answers 404.
Leaders and the secretary (``thematic.view_attendance``) may read any record.
The calendar feed is the one page open without a login: its secret token is
the key, and renewing the token closes the old address.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chibo.lib.roles import VIEW_SESSION
from members import services as member_services
from members.models import Member
from members.versions import kept
from members.workplace import cell_of, member_of
from sessions import calendar
from sessions.agenda import AgendaItem, items_for, sessions_for, upcoming_for
from sessions.models import GroupMeeting, ThematicSession

# The feed carries the past year too, so that a phone keeps recent sessions.
FEED_HISTORY = dt.timedelta(days=366)


def own_member(request) -> Member:
    member = member_of(request.user)
    if member is None:
        raise Http404(_("Tài khoản chưa được gắn với đảng viên nào."))
    return member


def calendar_page(request):
    """The member's next sessions and how to put them in their phone's calendar."""
    member = own_member(request)
    feed_path = reverse("sessions:calendar_feed", args=[member.calendar_token])
    https_url = request.build_absolute_uri(feed_path)
    context = {
        "member": member,
        "agenda": upcoming_for(member, timezone.now()),
        "feed_url": https_url,
        "webcal_url": "webcal://" + https_url.split("://", 1)[1],
    }
    return render(request, "sessions/calendar/calendar.html", context)


@require_POST
def calendar_renew(request):
    """A new secret address for the member's feed; the old one stops working at once."""
    member_services.renew_calendar_token(member=own_member(request))
    messages.success(
        request,
        _(
            "Đã tạo đường dẫn lịch mới. Đường dẫn cũ không còn dùng được: hãy đăng ký lại "
            "lịch trên điện thoại bằng đường dẫn mới."
        ),
    )
    return redirect("sessions:calendar")


def _ics_response(body: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_not_required
@require_safe
def calendar_feed(request, token):
    """The member's private iCalendar feed, for a phone calendar to subscribe to."""
    # No cell yet: the secret token names one member of every cell's, hence the cell.
    member = get_object_or_404(
        Member.objects.across_cells().select_related("group", "cell"),
        calendar_token=token,
        user__is_active=True,
    )
    today = timezone.localdate()
    # From the start of a day, so that the feed is the same all day long and
    # is made once for each version of the cell's data (phones ask often).
    since = timezone.make_aware(dt.datetime.combine(today, dt.time())) - FEED_HISTORY

    def make():
        items = items_for(member, sessions_for(member).filter(start__gte=since))
        return calendar.feed(
            items, member=member, build_url=request.build_absolute_uri, host=request.get_host()
        )

    origin = request.build_absolute_uri("/")
    body = kept("calendar-feed", member.cell, make, member.pk, origin, today)
    response = _ics_response(body, "chibo.ics", attachment=False)
    # The address is a secret: no shared cache may keep the feed, no search engine index it.
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@permission_required(VIEW_SESSION, raise_exception=True)
def session_ics(request, pk):
    """One session as a calendar file, at the signed-in member's own group's time."""
    meetings = GroupMeeting.objects.select_related("group", "presiding")
    session = get_object_or_404(
        ThematicSession.objects.of_cell(cell_of(request.user))
        .select_related("presiding", "preparer")
        .prefetch_related(
            Prefetch("group_meetings", queryset=meetings), "documents", "postponements"
        ),
        pk=pk,
    )
    item = AgendaItem(session, session.schedule_for(member_of(request.user)))
    body = calendar.single(
        item,
        url=request.build_absolute_uri(session.get_absolute_url()),
        host=request.get_host(),
    )
    day = timezone.localtime(item.schedule.start)
    return _ics_response(body, calendar.file_name(session, day), attachment=True)
