"""The annual report as the document a cell sends its superior committee.

``services.send_up`` numbers, dates and stores it; this gives it its content:
the report as of the day it is sent, in the site's language, and its figures.
"""

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from sessions import services
from sessions.models import Submission
from sessions.reports.annual_report import AnnualReport, annual_report
from sessions.reports.charts import session_chart


def report_figures(report: AnnualReport) -> dict:
    """The report's figures as sent, for the committee to read without recounting."""
    summary, totals = report.summary, report.summary.totals
    figures = summary.figures
    return {
        "sessions": {
            "planned": totals.total,
            "held": totals.held,
            "held_by_group": totals.held_by_group,
            "short": len(summary.sessions_short),
            "postponed": totals.postponed,
            "cancelled": totals.cancelled,
            "pending": totals.pending,
        },
        "attendance": {
            "expected": figures.expected,
            "present": figures.present,
            "excused": figures.excused,
            "unexcused": figures.unexcused,
            "rate": None if figures.rate is None else str(figures.rate),
        },
        "guests": totals.guests,
        "temporary": totals.temporary,
        "members": len(summary.members),
        "quarters_missing": summary.quarters_missing,
        "contests": len(report.contests),
        "members_unexcused": len(summary.members_unexcused),
        "members_in_a_row": len(summary.members_in_a_row),
    }


def report_content(cell, year: int):
    """The ``content`` of ``services.send_up`` for ``cell``'s report of ``year``.

    The report as it reads on the day it is dated, without its photos (a
    numbered document is text and figures; the photos stay on the live page).
    """

    def content(submission: Submission) -> tuple[str, dict]:
        report = annual_report(year, cell, today=submission.dated_on)
        context = {
            "report": report,
            "cell": submission.cell,
            "year": year,
            "reference": submission.reference,
            "dated": submission.dated_on,
            "with_photos": False,
            "session_chart": session_chart(report.summary.sessions),
        }
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string("sessions/reports/_annual_report_body.html", context)
        return body, report_figures(report)

    return content


def send_report(*, cell, year: int, user, now: dt.datetime | None = None) -> Submission:
    """Send ``cell``'s annual report of ``year`` to its superior committee (``send_up``)."""
    return services.send_up(
        cell=cell,
        kind=Submission.Kind.REPORT,
        year=year,
        user=user,
        content=report_content(cell, year),
        now=now,
    )
