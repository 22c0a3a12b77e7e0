"""What leaders and members read: the year's summary, its exports, the annual report,
a member's page and a member's attendance record.

The summary, exports and report need ``thematic.view_summary`` (leaders and
the secretary); a member's page needs ``members.view_member``, and a member
reads only their own record (404 for anyone else's).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.lib.dates import FIRST_YEAR, valid_year
from chibo.lib.query import number_from
from chibo.lib.roles import (
    CHANGE_MEMBER,
    CHANGE_SESSION,
    SEND_UP,
    VIEW_ATTENDANCE,
    VIEW_MEMBER,
    VIEW_ROLLUP,
    VIEW_SUMMARY,
)
from members import services
from members.models import Member
from members.versions import permissions_of, rendered_template
from members.workplace import cell_of, member_of, role_in, workplace_of
from sessions import removal
from sessions.forms import ReportTextForm
from sessions.member_views import own_member
from sessions.models import (
    Attendance,
    AttendanceFigures,
    ReportText,
    Submission,
    ThematicSession,
)
from sessions.reports.annual_report import annual_report
from sessions.reports.charts import group_chart, session_chart
from sessions.reports.committee import committee_year
from sessions.reports.exports import attendance_csv, attendance_workbook, committee_workbook
from sessions.reports.records import member_record, member_years, year_choices
from sessions.reports.sending import report_content
from sessions.reports.summaries import year_summary, years_with_data
from sessions.sent import document_heading
from sessions.views import record_file, send_page, sendings_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check_year(year: int) -> None:
    if not valid_year(year):
        raise Http404(_("Năm không hợp lệ."))


def charts_for(summary) -> dict:
    """The two charts and the thresholds they are drawn against."""
    return {
        "session_chart": session_chart(summary.sessions),
        "group_chart": group_chart(summary.groups, no_group=_("Không thuộc tổ nào")),
        "rules": {
            "unexcused": settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR,
            "in_a_row": settings.CHIBO_MAX_ABSENCES_IN_A_ROW,
            "good": settings.CHIBO_GOOD_ATTENDANCE_PERCENT,
            "per_quarter": settings.CHIBO_MIN_SESSIONS_PER_QUARTER,
            "removal": removal.rule_of_year(summary.year),
        },
    }


def chosen_year(request, default: int) -> int | None:
    """The ``year`` of a year selector (``default`` without one), or None and a
    message when it is no year a page can show."""
    raw = request.GET.get("year")
    if raw is None:
        return default
    year = number_from(raw)
    if year is None or not valid_year(year):
        messages.error(request, _("Năm không hợp lệ: hãy chọn một năm trong danh sách."))
        return None
    return year


@permission_required(VIEW_SUMMARY, raise_exception=True)
def summary_current(request):
    """The year selector's target: the chosen year's summary, this year's by default."""
    this_year = timezone.localdate().year
    return redirect("sessions:summary", year=chosen_year(request, this_year) or this_year)


@permission_required(VIEW_SUMMARY, raise_exception=True)
def summary(request, year):
    _check_year(year)
    cell = cell_of(request.user)
    today = timezone.localdate()

    def context():
        data = year_summary(year, today, cell=cell)
        return {
            "year": year,
            "summary": data,
            "years": years_with_data(year, today.year, cell=cell),
            **charts_for(data),
        }

    body = rendered_template(
        request, "summary", cell, "sessions/reports/_summary_body.html", context, year, today
    )
    return render(request, "sessions/reports/summary.html", {"year": year, "body": body})


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required(VIEW_SUMMARY, raise_exception=True)
def export_csv(request, year):
    _check_year(year)
    body = attendance_csv(year, cell=cell_of(request.user))
    return _download(body, "text/csv; charset=utf-8", f"chibo-diem-danh-{year}.csv")


@permission_required(VIEW_SUMMARY, raise_exception=True)
def export_xlsx(request, year):
    _check_year(year)
    body = attendance_workbook(year_summary(year, cell=cell_of(request.user)))
    return _download(body, XLSX, f"chibo-diem-danh-{year}.xlsx")


def report_context(request, year: int) -> dict:
    """What the annual report's page and its files show: the report of ``year``, its
    sendings, and the number and date it carries (``sessions.sent.document_heading``)."""
    _check_year(year)
    cell = cell_of(request.user)
    data = annual_report(year, cell)
    sent = [sent for sent in data.sendings if sent.kind == Submission.Kind.REPORT]
    reference, dated = document_heading(Submission.Kind.REPORT, cell, sent)
    return {
        "year": year,
        "report": data,
        "summary": data.summary,
        "today": timezone.localdate(),
        "cell": cell,
        "reference": reference,
        "dated": dated,
        **charts_for(data.summary),
        **sendings_context(request, cell, Submission.Kind.REPORT, year, sent=sent),
    }


@permission_required(VIEW_SUMMARY, raise_exception=True)
def report(request, year):
    """The annual report, laid out for A4 through the browser's print.

    The report itself is rendered once for each version of the cell's data
    (``members.versions``); its sendings, which depend on who reads, around it.
    """
    _check_year(year)
    cell = cell_of(request.user)
    today = timezone.localdate()

    def context():
        return {**report_context(request, year), "with_photos": True}

    body = rendered_template(
        request,
        "report",
        cell,
        "sessions/reports/_annual_report_body.html",
        context,
        year,
        today,
    )
    context = {
        "year": year,
        "body": body,
        **sendings_context(request, cell, Submission.Kind.REPORT, year),
    }
    return render(request, "sessions/reports/annual_report.html", context)


@permission_required(VIEW_SUMMARY, raise_exception=True)
def report_file(request, year, fmt):
    """The annual report as a file (.docx or PDF): the page's document, without photos."""
    context = {**report_context(request, year), "with_photos": False}
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("sessions/reports/_annual_report_body.html", context, request)
        title = _("Báo cáo sinh hoạt chuyên đề năm %(year)s") % {"year": year}
    return record_file(body, fmt=fmt, stem=f"bao-cao-{year}", title=title)


@permission_required(SEND_UP, raise_exception=True)
def report_send(request, year):
    """Send the year's annual report to the superior committee (confirm, then POST)."""
    _check_year(year)
    cell = cell_of(request.user)
    to_come = (
        ThematicSession.objects.of_cell(cell)
        .for_year(year)
        .thematic()
        .filter(status__in=[ThematicSession.Status.PLANNED, ThematicSession.Status.POSTPONED])
        .count()
    )
    warning = ""
    if to_come:
        warning = ngettext(
            "Năm %(year)s còn %(count)s kỳ sinh hoạt chưa tổ chức: báo cáo gửi đi ghi kỳ này "
            "là chưa tổ chức. Khi đã tổ chức, có thể gửi lại báo cáo.",
            "Năm %(year)s còn %(count)s kỳ sinh hoạt chưa tổ chức: báo cáo gửi đi ghi các kỳ "
            "này là chưa tổ chức. Khi đã tổ chức, có thể gửi lại báo cáo.",
            to_come,
        ) % {"year": year, "count": to_come}
    return send_page(
        request,
        cell=cell,
        kind=Submission.Kind.REPORT,
        year=year,
        content=report_content(cell, year),
        back=reverse("sessions:annual_report", args=[year]),
        warning=warning,
    )


@permission_required(CHANGE_SESSION, raise_exception=True)
def report_text(request, year):
    """The secretary writes the report's assessment and its direction for the next year."""
    _check_year(year)
    cell = cell_of(request.user)
    text = ReportText.objects.of_cell(cell).filter(year=year).first()
    form = ReportTextForm(request.POST or None, instance=text or ReportText(year=year), cell=cell)
    if form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu phần đánh giá và phương hướng của báo cáo."))
        return redirect("sessions:annual_report", year=year)
    return render(
        request, "sessions/reports/report_text.html", {"form": form, "year": year, "cell": cell}
    )


# --- A member's page and their attendance record ---------------------------------


def own_record_or_404(request, pk):
    """What a member without the member list gets for a member's page.

    Another member's record is not theirs to know about: 404, whether it
    exists or not (the same answer as for a number that is nobody's). Their
    own is on their own record page, where they are sent.
    """
    own = member_of(request.user)
    if own is None or own.pk != pk:
        raise Http404
    return redirect("sessions:member_record", member_pk=pk, year=timezone.localdate().year)


def member_detail(request, pk):
    """A member's details, their groups over time, and their attendance one year at a time.

    The year is ``?year=``, by default this year or, for a member without a
    row this year (who left, say), their latest year; a table lists every
    year's figures, each a link to that year's rows.
    """
    if not request.user.has_perm(VIEW_MEMBER):
        return own_record_or_404(request, pk)
    cell = cell_of(request.user)
    members = Member.objects.of_cell(cell)
    member = get_object_or_404(members.select_related("group", "user"), pk=pk)
    today = timezone.localdate()
    asked = request.GET.get("year", "")

    def body_context():
        lines = member_years(member)
        years = [(line.year, line.figures) for line in lines]
        figures_of = dict(years)
        default = today.year if today.year in figures_of or not years else years[0][0]
        year = number_from(asked)
        if year is None or year not in figures_of:
            year = default
        records = (
            Attendance.objects.for_year(year)
            .filter(member=member)
            .select_related("session", "group")
            .order_by("-session__start")
        )
        history = member.history.select_related("group").order_by("history_date", "history_id")
        moves, previous = [], object()
        for entry in history:
            if entry.group_id != previous:
                moves.append(entry)
                previous = entry.group_id
        return {
            "member": member,
            "exemptions": member.exemptions.all(),
            "year": year,
            "years": years,
            "year_choices": year_choices(lines, year),
            "records": records,
            "figures": figures_of.get(year, AttendanceFigures()),
            "moves": moves,
            "role": role_in(member.user, member.cell),
            # Where the cell sent the member to attend for a while: the host's name
            # and the dates, nothing of the host's records.
            "stays": member.stays.select_related("cell").order_by("-joined_cell_on", "-pk"),
        }

    # Below the buttons: kept for each version of the cell's data, day, year
    # asked and set of permissions (an account and edit links for some).
    body = rendered_template(
        request,
        "member",
        cell,
        "members/_member_detail_body.html",
        body_context,
        member.pk,
        today,
        asked,
        permissions_of(request.user),
    )
    context = {
        "member": member,
        "body": body,
        "may_move": (
            request.user.has_perm(CHANGE_MEMBER)
            and services.move_refusal(member) is None
            and services.other_cells(member.cell).exists()
        ),
    }
    return render(request, "members/member_detail.html", context)


def my_record(request):
    """The signed-in member's own record, for the current or the chosen year."""
    member = own_member(request)
    year = chosen_year(request, timezone.localdate().year) or timezone.localdate().year
    return redirect("sessions:member_record", member_pk=member.pk, year=year)


def member_record_view(request, member_pk, year):
    members = Member.objects.of_cell(cell_of(request.user))
    member = get_object_or_404(members.select_related("group"), pk=member_pk)
    is_own = member.user_id is not None and member.user_id == request.user.pk
    if not (is_own or request.user.has_perm(VIEW_ATTENDANCE)) or not valid_year(year):
        raise Http404
    if "year" in request.GET:
        chosen = chosen_year(request, year)
        return redirect("sessions:member_record", member_pk=member.pk, year=chosen or year)
    record = member_record(member, year)
    return render(
        request,
        "sessions/reports/member_record.html",
        {"record": record, "member": member, "year": year, "is_own": is_own},
    )


# --- A committee's cells -----------------------------------------------------------


def committee_node(request):
    """The committee node the request reads: where an officer works. 403 in a cell."""
    node = workplace_of(request.user).committee
    if node is None or not request.user.has_perm(VIEW_ROLLUP):
        raise PermissionDenied
    return node


def committee_page(request, year: int):
    """The matrix of the node's cells × quarters, their figures and the year in sentences."""
    node = committee_node(request)
    _check_year(year)
    today = timezone.localdate()

    def context():
        return {
            "year": year,
            "data": committee_year(node, year, today),
            "quarters": range(1, 5),
            "rules": {
                "good": settings.CHIBO_GOOD_ATTENDANCE_PERCENT,
                "unexcused": settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR,
                "per_quarter": settings.CHIBO_MIN_SESSIONS_PER_QUARTER,
            },
        }

    # Rendered once for each version of the node's data (any write in a cell
    # under it renews it) and each day: the cells' links open them through
    # the page's one form, so the part carries no CSRF token.
    body = rendered_template(
        request, "committee", node, "sessions/reports/_committee_body.html", context, year, today
    )
    context = {
        "node": node,
        "year": year,
        "body": body,
        "years": list(range(max(today.year, year), max(FIRST_YEAR, today.year - 10) - 1, -1)),
    }
    return render(request, "sessions/reports/committee.html", context)


def committee_current(request):
    """The year selector's target: the chosen year's matrix, this year's by default."""
    committee_node(request)
    this_year = timezone.localdate().year
    return redirect("sessions:committee", year=chosen_year(request, this_year) or this_year)


def committee(request, year):
    return committee_page(request, year)


def committee_xlsx(request, year):
    """The matrix as an Excel workbook, named after the node and the year."""
    node = committee_node(request)
    _check_year(year)
    response = HttpResponse(committee_workbook(committee_year(node, year)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="chibo-cac-chi-bo-{year}.xlsx"'
    return response
