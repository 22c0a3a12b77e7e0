from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from chibo.roles import member_of
from sessions.models import AnnualPlan, Attendance, GroupMeeting, ThematicSession


@permission_required("thematic.view_annualplan", raise_exception=True)
def plan_list(request):
    plans = AnnualPlan.objects.annotate(
        session_count=Count("sessions", filter=~Q(sessions__status="cancelled"))
    )
    return render(request, "sessions/plan_list.html", {"plans": plans})


@permission_required("thematic.view_annualplan", raise_exception=True)
def plan_detail(request, year):
    plan = get_object_or_404(AnnualPlan, year=year)
    missing = plan.quarters_without_session()
    quarters = [
        (quarter, sessions, quarter in missing)
        for quarter, sessions in plan.sessions_by_quarter().items()
    ]
    return render(request, "sessions/plan_detail.html", {"plan": plan, "quarters": quarters})


@permission_required("thematic.view_thematicsession", raise_exception=True)
def session_detail(request, pk):
    meetings = GroupMeeting.objects.select_related("group", "presiding")
    session = get_object_or_404(
        ThematicSession.objects.select_related(
            "plan", "preparer", "presiding", "minute_taker"
        ).prefetch_related(
            Prefetch("group_meetings", queryset=meetings),
            "documents",
            "postponements",
        ),
        pk=pk,
    )
    member = member_of(request.user)
    context = {
        "session": session,
        "schedule": session.schedule_for(member),
        "own_attendance": (
            Attendance.objects.filter(session=session, member=member).first() if member else None
        ),
    }
    if request.user.has_perm("thematic.view_attendance"):
        context["figures"] = session.attendance_figures()
    return render(request, "sessions/session_detail.html", context)
