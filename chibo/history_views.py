"""The history pages: a member's record, a session, and the cell's latest changes.

Leaders and the secretary read them (they see every member's attendance
already). A member asking for a member's history is answered like for the
member's record: their own sends them to their own record page (their own
history is in their data download), anyone else's is 404. The session and
cell pages are not a member's pages: 403, whatever the object.
"""

import datetime as dt

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from chibo.history import member_history, recent_changes, session_history
from chibo.lib.dates import valid_year
from chibo.lib.roles import VIEW_HISTORY, VIEW_MEMBER
from members.models import Member
from members.workplace import cell_of
from sessions.models import ThematicSession
from sessions.reports.views import own_record_or_404


def parse_cursor(raw: str | None) -> dt.datetime | None:
    """The ``before`` of the next page (an ISO moment); anything else is the first page."""
    try:
        moment = dt.datetime.fromisoformat(raw or "")
    except ValueError:
        return None
    if moment.tzinfo is None or not valid_year(moment.year):
        return None
    return moment


@permission_required(VIEW_HISTORY, raise_exception=True)
def cell_history(request):
    before = parse_cursor(request.GET.get("before"))
    entries, cursor = recent_changes(cell_of(request.user), before)
    context = {
        "title": _("Thay đổi gần đây"),
        "entries": entries,
        "cursor": cursor.isoformat() if cursor else None,
        "is_older_page": before is not None,
        "cell_wide": True,
    }
    return render(request, "chibo/history.html", context)


def member_history_page(request, pk):
    if not request.user.has_perm(VIEW_MEMBER):
        return own_record_or_404(request, pk)
    if not request.user.has_perms(VIEW_HISTORY):
        raise PermissionDenied
    member = get_object_or_404(Member.objects.of_cell(cell_of(request.user)), pk=pk)
    context = {
        "title": _("Lịch sử thay đổi: %(name)s") % {"name": member.full_name},
        "member": member,
        "entries": member_history(member),
    }
    return render(request, "chibo/history.html", context)


@permission_required(VIEW_HISTORY, raise_exception=True)
def session_history_page(request, pk):
    sessions = ThematicSession.objects.of_cell(cell_of(request.user))
    session = get_object_or_404(sessions.select_related("plan"), pk=pk)
    context = {
        "title": _("Lịch sử thay đổi: %(topic)s") % {"topic": session},
        "session": session,
        "entries": session_history(session),
    }
    return render(request, "chibo/history.html", context)
