from django.conf import settings
from django.db.models import Min
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from chibo.lib.query import number_from
from chibo.lib.roles import (
    CHANGE_SESSION,
    COMMITTEE,
    LEADER,
    MEMBER,
    SECRETARY,
    VIEW_ROLLUP,
    VIEW_SUMMARY,
)
from members.models import Member, Organisation
from members.versions import rendered_template
from members.workplace import cell_of, choose, may_work_at, member_of, workplace_of
from sessions.agenda import upcoming_for
from sessions.models import (
    AnnualPlan,
    Attendance,
    AttendanceFigures,
    Photo,
    ResolutionTask,
    SessionFigures,
    Submission,
    ThematicSession,
    year_bounds,
)
from sessions.reports.charts import session_chart
from sessions.reports.summaries import kept_totals, year_glance
from sessions.reports.views import committee_page
from sessions.sent import due_date, next_plan_year

UPCOMING_ON_HOME = 5


def role_of(user) -> str | None:
    """The role whose home page ``user`` sees where they work."""
    if workplace_of(user).committee is not None and user.has_perm(VIEW_ROLLUP):
        return COMMITTEE
    if user.has_perm(CHANGE_SESSION):
        return SECRETARY
    if user.has_perm(VIEW_SUMMARY):
        return LEADER
    if member_of(user) is not None:
        return MEMBER
    return None


def home(request):
    """Each role's front page: what a secretary, a leader or a member needs first."""
    role = role_of(request.user)
    if role == COMMITTEE:
        return committee_home(request)
    if role == SECRETARY:
        return secretary_home(request)
    if role == LEADER:
        return leader_home(request)
    return member_home(request)


def member_home(request):
    """The member's next meetings, their tasks and their year: a part cached per login.

    The part is rendered again after any write to the cell (its data version),
    on a new day, and once the first meeting on the agenda is over.
    """
    workplace = workplace_of(request.user)
    now = timezone.now()
    today = timezone.localdate(now)

    def context():
        member = member_of(request.user)
        data = {"member": member, "year": today.year, "today": today, "agenda": []}
        if member is None:
            return data
        agenda = upcoming_for(member, now)
        data["agenda"] = agenda[:UPCOMING_ON_HOME]
        # The moment the agenda changes by itself: the first of its meetings to end.
        data["until"] = min(
            (item.schedule.end for item in agenda if not item.date_unknown), default=None
        )
        # One member's rows: found by the member's index and joined to the
        # year's sessions (cheaper to plan than for_year's subquery), with the
        # three columns of the session the table shows.
        start, end = year_bounds(today.year)
        records = list(
            Attendance.objects.filter(
                member=member, session__start__gte=start, session__start__lt=end
            )
            .select_related("session")
            .only(
                "status",
                "reason",
                "temporary",
                "session__topic",
                "session__start",
                "session__thematic",
                "session__regular",
            )
            .order_by("session__start")
        )
        data["records"] = records
        data["figures"] = AttendanceFigures.from_records(records)
        data["tasks"] = list(
            ResolutionTask.objects.of_cell(member.cell_id)
            .open()
            .filter(responsible=member)
            .select_related("session")
            .order_by("due_on", "pk")
        )
        return data

    if workplace.cell is None:
        body = render_to_string("chibo/_home_member_body.html", context(), request)
    else:
        body = rendered_template(
            request,
            "member-home",
            workplace.cell,
            "chibo/_home_member_body.html",
            context,
            request.user.pk,
            today,
            until=lambda data: data.get("until"),
            now=now,
        )
    return render(request, "chibo/home_member.html", {"body": body})


def secretary_home(request):
    """What the secretary has to do: sessions to record, probations ending, the year's plan.

    A part cached for the cell's data version and the day, rendered again once
    the first meeting still to come is over (it is then one to record).
    """
    now = timezone.now()
    today = timezone.localdate(now)
    year = today.year
    cell = cell_of(request.user)

    def context():
        plan = AnnualPlan.objects.of_cell(cell).filter(year=year).first()
        quarters = []
        if plan is not None:
            by_quarter = plan.sessions_by_quarter()
            missing = plan.quarters_without_session(by_quarter)
            quarters = [
                (quarter, sessions, quarter in missing) for quarter, sessions in by_quarter.items()
            ]
        cell_sessions = ThematicSession.objects.of_cell(cell)
        # The year's figures are those of its thematic sessions, as its plan's quarters.
        sessions = cell_sessions.for_year(year).thematic()
        planned = sessions.not_cancelled().count()
        data = {
            "year": year,
            "plan": plan,
            "quarters": quarters,
            "to_record": cell_sessions.to_record(now).select_related("plan"),
            "upcoming": cell_sessions.upcoming(now)[:3],
            "until": cell_sessions.upcoming(now).aggregate(until=Min("end"))["until"],
            "held": sessions.held().count(),
            "planned": planned,
            "photos": Photo.objects.filter(session__in=sessions).count(),
            # Kept as the sheets are saved (sessions.figures), not recounted.
            "figures": AttendanceFigures.from_row(
                kept_totals(SessionFigures.objects.of_cell(cell).filter(year=year, thematic=True))
            ),
            "probation_ending": list(Member.objects.of_cell(cell).probation_ending(today)),
            "probation_notice_days": settings.CHIBO_PROBATION_NOTICE_DAYS,
        }
        next_year = next_plan_year(today)
        if next_year is not None:
            data["next_year"] = next_year
            data["next_plan"] = AnnualPlan.objects.of_cell(cell).filter(year=next_year).first()
            data["next_plan_due"] = due_date(Submission.Kind.PLAN, next_year)
            # Copying is offered only from a plan with sessions to copy.
            data["copy_from"] = plan if plan is not None and planned else None
        return data

    body = rendered_template(
        request,
        "secretary-home",
        cell,
        "chibo/_home_secretary_body.html",
        context,
        today,
        until=lambda data: data["until"],
        now=now,
    )
    return render(request, "chibo/home_secretary.html", {"body": body})


def leader_home(request):
    """The current year at a glance; the full summary is one click away."""
    today = timezone.localdate()
    cell = cell_of(request.user)

    def context():
        summary = year_glance(today.year, today, cell=cell)
        return {
            "year": today.year,
            "summary": summary,
            "session_chart": session_chart(summary.sessions),
        }

    body = rendered_template(
        request, "leader-home", cell, "chibo/_home_leader_body.html", context, today
    )
    return render(request, "chibo/home_leader.html", {"body": body})


def committee_home(request):
    """A committee officer's front page: this year's matrix of the cells under them."""
    return committee_page(request, timezone.localdate().year)


@require_POST
def switch_workplace(request):
    """Work in another organisation: one where the user holds a role, or a cell under it."""
    organisation = get_object_or_404(Organisation, pk=number_from(request.POST.get("organisation")))
    if not may_work_at(request.user, organisation):
        raise Http404
    choose(request, organisation)
    # The menu's form sends ``next``; the committee matrix's links put it in their URL.
    target = request.POST.get("next") or request.GET.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    return HttpResponseRedirect(target)
