from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from chibo.roles import LEADER, SECRETARY, member_of, role_of
from members.models import PartyGroup
from sessions.models import (
    AnnualPlan,
    Attendance,
    AttendanceFigures,
    GroupMeeting,
    ThematicSession,
)

UPCOMING_ON_HOME = 5


def home(request):
    """Each role's front page: what a secretary, a leader or a member needs first."""
    role = role_of(request.user)
    if role == SECRETARY:
        return secretary_home(request)
    if role == LEADER:
        return leader_home(request)
    return member_home(request)


def upcoming_sessions(now, limit=UPCOMING_ON_HOME):
    meetings = GroupMeeting.objects.select_related("group", "presiding")
    return (
        ThematicSession.objects.upcoming(now)
        .select_related("presiding")
        .prefetch_related(Prefetch("group_meetings", queryset=meetings), "documents")[:limit]
    )


def member_home(request):
    member = member_of(request.user)
    now = timezone.now()
    year = timezone.localdate().year
    context = {"member": member, "year": year}
    if member is not None:
        context["agenda"] = [
            (session, session.schedule_for(member)) for session in upcoming_sessions(now)
        ]
        records = list(
            Attendance.objects.for_year(year)
            .filter(member=member)
            .select_related("session")
            .order_by("session__start")
        )
        context["records"] = records
        context["figures"] = AttendanceFigures.from_records(records)
    return render(request, "chibo/home_member.html", context)


def secretary_home(request):
    now = timezone.now()
    year = timezone.localdate().year
    plan = AnnualPlan.objects.filter(year=year).first()
    quarters = []
    if plan is not None:
        missing = plan.quarters_without_session()
        quarters = [
            (quarter, sessions, quarter in missing)
            for quarter, sessions in plan.sessions_by_quarter().items()
        ]
    context = {
        "year": year,
        "plan": plan,
        "quarters": quarters,
        "to_record": ThematicSession.objects.to_record(now).select_related("plan"),
        "figures": AttendanceFigures.from_row(Attendance.objects.for_year(year).figures()),
    }
    return render(request, "chibo/home_secretary.html", context)


def leader_home(request):
    year = timezone.localdate().year
    sessions = ThematicSession.objects.for_year(year)
    groups = PartyGroup.objects.in_bulk()
    by_group = [
        (groups.get(row["group"]), AttendanceFigures.from_row(row))
        for row in Attendance.objects.for_year(year).figures_by("group")
    ]
    held_sessions = [
        (session, AttendanceFigures.from_annotated(session))
        for session in sessions.held().with_attendance_figures().order_by("start")
    ]
    context = {
        "year": year,
        "held": len(held_sessions),
        "planned": sessions.not_cancelled().count(),
        "held_sessions": held_sessions,
        # Every counted row is in one group's figures: their sum is the year's.
        "figures": AttendanceFigures.total(figures for _group, figures in by_group),
        "by_group": by_group,
    }
    return render(request, "chibo/home_leader.html", context)
