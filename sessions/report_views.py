"""The leaders' pages: the year's summary, its exports and the printable annual report.

All of them need ``thematic.view_summary`` (leaders and the secretary).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.annual_report import annual_report
from sessions.charts import group_chart, session_chart
from sessions.exports import attendance_csv, attendance_workbook
from sessions.summaries import valid_year, year_summary, years_with_data

VIEW_SUMMARY = "thematic.view_summary"
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
        },
    }


@permission_required(VIEW_SUMMARY, raise_exception=True)
def summary_current(request):
    """The year selector's target: the chosen year's summary, this year's by default."""
    this_year = timezone.localdate().year
    raw = request.GET.get("year", this_year)
    try:
        year = int(raw)
    except (TypeError, ValueError):
        year = 0
    if not valid_year(year):
        messages.error(request, _("Năm không hợp lệ: hãy chọn một năm trong danh sách."))
        year = this_year
    return redirect("sessions:summary", year=year)


@permission_required(VIEW_SUMMARY, raise_exception=True)
def summary(request, year):
    _check_year(year)
    data = year_summary(year)
    context = {
        "year": year,
        "summary": data,
        "years": years_with_data(year, timezone.localdate().year),
        **charts_for(data),
    }
    return render(request, "sessions/reports/summary.html", context)


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required(VIEW_SUMMARY, raise_exception=True)
def export_csv(request, year):
    _check_year(year)
    return _download(attendance_csv(year), "text/csv; charset=utf-8", f"chibo-diem-danh-{year}.csv")


@permission_required(VIEW_SUMMARY, raise_exception=True)
def export_xlsx(request, year):
    _check_year(year)
    return _download(attendance_workbook(year_summary(year)), XLSX, f"chibo-diem-danh-{year}.xlsx")


@permission_required(VIEW_SUMMARY, raise_exception=True)
def report(request, year):
    """The annual report, laid out for A4 through the browser's print."""
    _check_year(year)
    data = annual_report(year)
    context = {
        "year": year,
        "report": data,
        "summary": data.summary,
        "today": timezone.localdate(),
        "cell_heading": {
            "superior": settings.CHIBO_SUPERIOR_COMMITTEE,
            "cell": settings.CHIBO_CELL_NAME,
        },
        **charts_for(data.summary),
    }
    return render(request, "sessions/reports/annual_report.html", context)
