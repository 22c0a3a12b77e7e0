"""What a cell sends up to its superior committee: the plan as a document, when
each document is due, and what the committee sees arrived.

The write itself, its numbering and its refusals are ``services.send_up``;
the annual report as a document is ``sessions.reports.sending``.
"""

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from members.models import Member, Organisation
from sessions import services
from sessions.models import QUARTERS, AnnualPlan, Submission, quarter_of

Kind = Submission.Kind


def due_date(kind: str, year: int) -> dt.date:
    """The day ``kind``'s document of ``year`` is due at the committee.

    ``CHIBO_PLAN_DUE`` and ``CHIBO_REPORT_DUE`` (day, month) of the year itself;
    29 February is the 28th in a year without one. The only place a deadline is read.
    """
    day, month = settings.CHIBO_PLAN_DUE if kind == Kind.PLAN else settings.CHIBO_REPORT_DUE
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


# How long before next year's plan is due the secretary's home starts asking for
# it: from about the start of the last quarter (the plan is due 31/01).
NEXT_PLAN_NOTICE = dt.timedelta(days=92)


def next_plan_year(today: dt.date) -> int | None:
    """The year whose plan the secretary should be preparing on ``today``, or None.

    Next year's, once ``today`` is within ``NEXT_PLAN_NOTICE`` of the day it is
    due (``due_date``); before that, None: this year's plan is the work.
    """
    year = today.year + 1
    return year if due_date(Kind.PLAN, year) - today <= NEXT_PLAN_NOTICE else None


@dataclass(frozen=True)
class Sending:
    """One document of a cell for a year (its plan, or its report), as the committee sees it.

    ``latest`` is the sending that counts (the last one; its ``body`` is not
    loaded: ``latest.get_absolute_url()`` is the frozen copy); ``count`` how
    many were sent (more than one: corrections). ``first_sent_on`` is the day
    the first one arrived, and that day says whether it came in time: a
    correction sent after the due day does not make a document late that
    first arrived before it. ``late``: the first arrived after ``due``, or
    nothing has arrived and ``due`` has passed.
    """

    kind: str
    year: int
    due: dt.date
    latest: Submission | None
    first_sent_on: dt.date | None
    count: int
    late: bool

    @classmethod
    def of(cls, kind: str, year: int, sent: list[Submission], today: dt.date) -> "Sending":
        """From the sendings of one document, in the order they were sent."""
        due = due_date(kind, year)
        if not sent:
            return cls(kind, year, due, None, None, 0, late=today > due)
        first = sent[0].sent_on
        return cls(kind, year, due, sent[-1], first, len(sent), late=first > due)

    @property
    def sent(self) -> bool:
        return self.latest is not None

    @property
    def missing(self) -> bool:
        """Nothing arrived, and the day it was due has passed."""
        return self.late and not self.sent


@dataclass(frozen=True)
class CellSendings:
    """A cell's plan and report of a year, as they reached its committee."""

    cell: Organisation
    plan: Sending
    report: Sending


def sent_for(
    cells: Iterable[Organisation], year: int, *, today: dt.date | None = None
) -> list[CellSendings]:
    """What each of ``cells`` sent its committee for ``year``: the plan and the report.

    For the committee's pages. ``cells`` is any iterable of cells (a list, or
    a queryset such as ``Organisation.objects.under(node).cells()``); the
    answer has one ``CellSendings`` per cell, in the order given, with
    ``plan`` and ``report`` each a ``Sending``: the latest sending (which
    counts), how many were sent, the due day (``due_date``: settings
    ``CHIBO_PLAN_DUE``, ``CHIBO_REPORT_DUE``) and whether it is late as of
    ``today`` (by default today in the cell's time zone).

    One query for every cell together (and one more to read ``cells`` when
    it is an unevaluated queryset), whatever their number; the frozen
    documents themselves are not loaded.
    """
    cells = list(cells)
    today = today or timezone.localdate()
    by_id = {cell.pk: cell for cell in cells}
    sent = defaultdict(list)
    rows = Submission.objects.filter(cell__in=list(by_id), year=year).listed().in_order_sent()
    for row in rows:
        row.cell = by_id[row.cell_id]
        sent[row.cell_id, row.kind].append(row)
    return [
        CellSendings(
            cell=cell,
            plan=Sending.of(Kind.PLAN, year, sent[cell.pk, Kind.PLAN], today),
            report=Sending.of(Kind.REPORT, year, sent[cell.pk, Kind.REPORT], today),
        )
        for cell in cells
    ]


# --- The plan as a document --------------------------------------------------------


def document_heading(kind: str, cell, sent: list[Submission]) -> tuple[str, dt.date | None]:
    """The number and date a plan's or a report's printed page carries.

    Sent through Chibo: the latest sending's number and date (the document
    as issued). Not yet: the number with a blank for the figure (``…-KH/CB``,
    as an unissued Party document shows it) and no date, a line to fill in.
    A date the cell typed by hand is no number: it leaves both blank.
    ``sent``: the document's sendings in the order sent.
    """
    issued = [row for row in sent if not row.typed_by_hand]
    if issued:
        return issued[-1].reference, issued[-1].dated_on
    return Submission.reference_for("…", kind, cell.number_prefix), None


def cell_secretary(cell) -> Member | None:
    """Who signs the cell's documents: its secretary (bí thư) today."""
    return (
        Member.objects.of_cell(cell)
        .current()
        .filter(position=Member.Position.SECRETARY)
        .order_by("pk")
        .first()
    )


def plan_content(plan: AnnualPlan):
    """The ``content`` of ``services.send_up`` for ``plan``: its document and figures.

    The document is the plan in the Party's layout, in the site's language
    (Vietnamese), whatever language the sender reads Chibo in: the sessions
    not cancelled, by quarter, with their date, topic, format and preparer.
    """

    def content(submission: Submission) -> tuple[str, dict]:
        sessions = list(
            plan.sessions.thematic()
            .not_cancelled()
            .select_related("preparer")
            .order_by("start", "pk")
        )
        by_quarter = {quarter: [] for quarter in QUARTERS}
        for session in sessions:
            by_quarter[quarter_of(session.start)].append(session)
        context = {
            "plan": plan,
            "cell": submission.cell,
            "quarters": [(quarter, rows) for quarter, rows in by_quarter.items() if rows],
            "count": len(sessions),
            "secretary": cell_secretary(submission.cell),
            "reference": submission.reference,
            "dated": submission.dated_on,
            "lead_days": settings.CHIBO_DRAFT_LEAD_DAYS,
        }
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string("sessions/sent/plan.html", context)
        formats = defaultdict(int)
        for session in sessions:
            formats[session.format] += 1
        figures = {
            "approved_on": plan.approved_on.isoformat() if plan.approved_on else None,
            "sessions": len(sessions),
            "by_quarter": [len(by_quarter[quarter]) for quarter in QUARTERS],
            "by_group": sum(session.is_by_group for session in sessions),
            "formats": dict(formats),
        }
        return body, figures

    return content


def send_plan(*, plan: AnnualPlan, user, now: dt.datetime | None = None) -> Submission:
    """Send ``plan`` to the cell's superior committee (``services.send_up``)."""
    return services.send_up(
        cell=plan.cell,
        kind=Kind.PLAN,
        year=plan.year,
        user=user,
        content=plan_content(plan),
        now=now,
    )
