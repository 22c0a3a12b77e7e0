from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from chibo.lib import printing
from chibo.lib.cells import of_cell
from chibo.lib.roles import (
    ADD_DOCUMENT,
    ADD_PHOTO,
    ADD_PLAN,
    ADD_SESSION,
    CHANGE_ATTENDANCE,
    CHANGE_CONTEST,
    CHANGE_PHOTO,
    CHANGE_PLAN,
    CHANGE_SESSION,
    DELETE_DOCUMENT,
    DELETE_PHOTO,
    DELETE_SESSION,
    SEND_UP,
    VIEW_ATTENDANCE,
    VIEW_PLAN,
    VIEW_SENT,
    VIEW_SESSION,
)
from members.models import PartyGroup
from members.versions import rendered_template
from members.workplace import cell_of, member_of
from sessions import checkin, services
from sessions.forms import (
    AwardFormSet,
    CancelForm,
    CaptionForm,
    DocumentForm,
    DraftSentForm,
    PhotoUploadForm,
    PlanEditForm,
    PlanForm,
    PostponeForm,
    RegularRuleForm,
    SessionForm,
    meeting_formset,
    team_formset,
)
from sessions.grading import scheme_by_key, scheme_on
from sessions.grading_form import GradingForm
from sessions.minutes import MinutesPage, minutes_queryset, minutes_sets
from sessions.models import (
    AnnualPlan,
    Attendance,
    Award,
    ContestTeam,
    Document,
    Grade,
    GroupMeeting,
    Photo,
    Submission,
    ThematicSession,
)
from sessions.resolution import ResolutionPage, meeting_tasks, review_lines
from sessions.sent import Sending, cell_secretary, document_heading, plan_content
from sessions.sheet import AttendanceSheetForm


def active_groups(cell):
    return list(PartyGroup.objects.of_cell(cell).filter(is_active=True))


def cell_sessions(request, queryset=None):
    """The sessions of the cell the request works in: another cell's answer 404."""
    return of_cell(ThematicSession.objects if queryset is None else queryset, cell_of(request.user))


def session_or_404(request, pk, *related):
    return get_object_or_404(cell_sessions(request).select_related("plan", *related), pk=pk)


def cell_row_or_404(request, model, **lookups):
    """A row of ``model`` (a document, a photo…) of the request's cell, or 404."""
    return get_object_or_404(of_cell(model.objects, cell_of(request.user)), **lookups)


def cell_plans(request):
    """The plans of the cell the request works in (a year is unique only within a cell)."""
    return AnnualPlan.objects.of_cell(cell_of(request.user))


def plan_or_404(request, year):
    return get_object_or_404(cell_plans(request), year=year)


# --- Printed records as files ----------------------------------------------------

FILE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def record_file(fragment: str, *, fmt: str, stem: str, title: str) -> HttpResponse:
    """A printed record's HTML fragment as a .docx or PDF download named ``stem``.

    Both files come from the one fragment (``chibo.lib.printing``), so they
    say what the page says. ``stem`` is ASCII (``bien-ban-2020-05-12``).
    """
    if fmt == "docx":
        body = printing.record_docx(fragment, title=title)
    else:
        body = printing.record_pdf(fragment)
    response = HttpResponse(body, content_type=FILE_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def page_record(view, request, *args) -> str:
    """The ``<article class="printed-record">`` of a record's page, in the site's language.

    A document of the cell is Vietnamese whatever language its reader uses
    Chibo in, as what it sends up is (``sessions.sent``).
    """
    with translation.override(settings.LANGUAGE_CODE):
        response = view(request, *args)
    return printing.printed_record(response.content.decode())


# --- Plans ---------------------------------------------------------------------


@permission_required(VIEW_PLAN, raise_exception=True)
def plan_list(request):
    plans = cell_plans(request).annotate(
        session_count=Count("sessions", filter=~Q(sessions__status="cancelled"))
    )
    return render(request, "sessions/plan_list.html", {"plans": plans})


@permission_required(VIEW_PLAN, raise_exception=True)
def plan_detail(request, year):
    plan = plan_or_404(request, year)

    def body_context():
        by_quarter = plan.sessions_by_quarter()
        missing = plan.quarters_without_session(by_quarter)
        return {
            "plan": plan,
            "quarters": [
                (quarter, sessions, quarter in missing) for quarter, sessions in by_quarter.items()
            ],
            "regular_meetings": plan.sessions.regular().order_by("start", "pk"),
        }

    # The year's meetings, quarter by quarter, for each version of the cell's data.
    body = rendered_template(
        request, "plan", cell_of(request.user), "sessions/_plan_body.html", body_context, year
    )
    context = {
        "plan": plan,
        "body": body,
        "next_plan": cell_plans(request).filter(year=year + 1).first(),
        **sendings_context(request, plan.cell, Submission.Kind.PLAN, year),
    }
    return render(request, "sessions/plan_detail.html", context)


@permission_required(CHANGE_PLAN, raise_exception=True)
@permission_required(ADD_SESSION, raise_exception=True)
def plan_regular(request, year):
    """The rule of the year's regular meetings, and the twelve laid out on it."""
    plan = plan_or_404(request, year)
    form = RegularRuleForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            created = services.lay_out_regular_meetings(plan=plan)
        if created:
            messages.success(
                request,
                ngettext(
                    "Đã lập lịch %(count)s kỳ sinh hoạt chi bộ định kỳ.",
                    "Đã lập lịch %(count)s kỳ sinh hoạt chi bộ định kỳ.",
                    len(created),
                )
                % {"count": len(created)},
            )
        else:
            messages.info(
                request,
                _(
                    "Đã lưu lịch. Tháng nào cũng đã có kỳ sinh hoạt định kỳ: không lập thêm. "
                    "Kỳ đã lập thì sửa, dời từng kỳ."
                ),
            )
        return redirect(plan)
    context = {
        "plan": plan,
        "form": form,
        "laid_out": plan.sessions.regular().count(),
    }
    return render(request, "sessions/plan_regular.html", context)


@permission_required(VIEW_PLAN, raise_exception=True)
def plan_file(request, year, fmt):
    """The plan as a document (.docx or PDF): numbered and dated once sent, blank before."""
    plan = get_object_or_404(cell_plans(request).select_related("cell"), year=year)
    kind = Submission.Kind.PLAN
    sent = list(Submission.objects.of_cell(plan.cell).of(kind, year).listed().in_order_sent())
    reference, dated = document_heading(kind, plan.cell, sent)
    document = Submission(cell=plan.cell, kind=kind, year=year, reference=reference)
    document.dated_on = dated
    body, _figures = plan_content(plan)(document)
    with translation.override(settings.LANGUAGE_CODE):
        title = document.title
    return record_file(body, fmt=fmt, stem=f"ke-hoach-{year}", title=title)


@permission_required(ADD_PLAN, raise_exception=True)
def plan_create(request):
    year = cell_plans(request).first_free_year(timezone.localdate().year)
    form = PlanForm(request.POST or None, initial={"year": year}, cell=cell_of(request.user))
    if form.is_valid():
        plan = form.save()
        messages.success(request, _("Đã tạo %(plan)s.") % {"plan": plan})
        return redirect(plan)
    return render(request, "sessions/plan_form.html", {"form": form})


@permission_required(CHANGE_PLAN, raise_exception=True)
def plan_edit(request, year):
    plan = plan_or_404(request, year)
    form = PlanEditForm(request.POST or None, instance=plan)
    if form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu kế hoạch."))
        return redirect(plan)
    return render(request, "sessions/plan_form.html", {"form": form, "plan": plan})


@permission_required(ADD_SESSION, raise_exception=True)
def plan_copy(request, year):
    """Start next year's plan from this year's topics (confirm, then POST)."""
    plan = plan_or_404(request, year)
    sessions = plan.sessions.thematic().not_cancelled().order_by("start", "pk")
    if request.method == "POST":
        try:
            target = services.copy_plan(source=plan, year=year + 1, user=request.user)
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect(plan)
        messages.success(
            request,
            _("Đã tạo kế hoạch năm %(year)s với %(count)s chuyên đề của năm %(source)s.")
            % {"year": year + 1, "count": target.sessions.count(), "source": year},
        )
        return redirect(target)
    context = {"plan": plan, "sessions": sessions, "target_year": year + 1}
    return render(request, "sessions/plan_copy.html", context)


# --- Sending to the superior committee ------------------------------------------


def sendings_context(request, cell, kind: str, year: int, sent=None) -> dict:
    """What a plan's or a report's page says of its sendings to the committee.

    ``sending``: the document as the committee sees it (the latest sending,
    the due day, late or not); ``sendings``: every sending, latest first; for
    the secretary, ``send_refusal``: why it cannot be sent now, or None.
    ``sent``: the document's sendings in the order sent, when the page has
    them already; else one query.
    """
    today = timezone.localdate()
    if sent is None:
        sent = list(Submission.objects.of_cell(cell).of(kind, year).listed().in_order_sent())
    context = {"sending": Sending.of(kind, year, sent, today), "sendings": sent[::-1]}
    if request.user.has_perm(SEND_UP):
        context["send_refusal"] = services.send_refusal(
            cell=cell, kind=kind, year=year, today=today
        )
    return context


def send_page(request, *, cell, kind: str, year: int, content, back: str, warning: str = ""):
    """Send a document to the committee: GET shows it as it will go, POST sends it.

    ``content`` is what ``services.send_up`` freezes; ``back`` the page the
    document belongs to, where a refusal is told; ``warning`` something the
    secretary should know before sending.
    """
    if request.method == "POST":
        try:
            sent = services.send_up(
                cell=cell, kind=kind, year=year, user=request.user, content=content
            )
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect(back)
        messages.success(
            request,
            _("Đã gửi cấp ủy cấp trên: %(title)s, số %(number)s.")
            % {"title": sent.title, "number": sent.reference},
        )
        return redirect(sent)
    today = timezone.localdate()
    refusal = services.send_refusal(cell=cell, kind=kind, year=year, today=today)
    preview = Submission(cell=cell, kind=kind, year=year, dated_on=today)
    preview.reference = Submission.reference_for(
        services.next_number(cell, today.year), kind, cell.number_prefix
    )
    context = {
        "preview": preview,
        "refusal": refusal,
        "warning": warning,
        "body": "" if refusal else content(preview)[0],
        "back": back,
    }
    return render(request, "sessions/sent/send.html", context)


@permission_required(SEND_UP, raise_exception=True)
def plan_send(request, year):
    """Send the approved plan to the superior committee (confirm, then POST)."""
    plan = get_object_or_404(cell_plans(request).select_related("cell"), year=year)
    return send_page(
        request,
        cell=plan.cell,
        kind=Submission.Kind.PLAN,
        year=year,
        content=plan_content(plan),
        back=plan.get_absolute_url(),
    )


@permission_required(VIEW_SENT, raise_exception=True)
def sent_detail(request, pk):
    """A document as the cell sent it: read-only, printable, never recounted."""
    sent = get_object_or_404(
        Submission.objects.of_cell(cell_of(request.user)).select_related("cell"), pk=pk
    )
    others = Submission.objects.of_cell(sent.cell).of(sent.kind, sent.year).listed()
    context = {"sent": sent, "latest": others.last_sent()}
    return render(request, "sessions/sent/detail.html", context)


@permission_required(VIEW_SENT, raise_exception=True)
def sent_file(request, pk, fmt):
    """A document as the cell sent it, as a file: from its frozen body, never recounted."""
    sent = get_object_or_404(
        Submission.objects.of_cell(cell_of(request.user)).select_related("cell"), pk=pk
    )
    if not sent.body:
        # A date typed by hand: Chibo keeps no document of it.
        raise Http404
    kind = "ke-hoach" if sent.kind == Submission.Kind.PLAN else "bao-cao"
    with translation.override(settings.LANGUAGE_CODE):
        title = str(sent)
    stem = f"{kind}-{sent.year}-so-{sent.number}"
    return record_file(sent.body, fmt=fmt, stem=stem, title=title)


# --- Sessions ------------------------------------------------------------------


@permission_required(VIEW_SESSION, raise_exception=True)
def session_detail(request, pk):
    meetings = GroupMeeting.objects.select_related("group", "presiding")
    session = get_object_or_404(
        cell_sessions(request)
        .select_related("plan__cell", "preparer", "presiding", "minute_taker")
        .prefetch_related(Prefetch("group_meetings", queryset=meetings), "documents"),
        pk=pk,
    )

    def tail_context():
        prefetch_related_objects(
            [session],
            "postponements",
            "photos",
            Prefetch("contest_teams", queryset=ContestTeam.objects.select_related("group")),
            Prefetch("awards", queryset=Award.objects.select_related("member")),
        )
        return {"session": session}

    member = member_of(request.user)
    context = {
        "session": session,
        # The contest's results, the photos, the postponements and the
        # conclusion: for each version of the cell's data.
        "tail": rendered_template(
            request,
            "session-tail",
            cell_of(request.user),
            "sessions/_session_tail.html",
            tail_context,
            session.pk,
        ),
        "schedule": session.schedule_for(member),
        "own_attendance": (
            Attendance.objects.filter(session=session, member=member).first() if member else None
        ),
    }
    if request.user.has_perm(VIEW_ATTENDANCE):
        context["figures"] = session.attendance_figures()
        context["absences"] = (
            session.attendances.counted()
            .exclude(status=Attendance.Status.PRESENT)
            .select_related("member", "group")
        )
    if request.user.has_perm(CHANGE_SESSION):
        context["can_delete"] = services.delete_reason(session) is None
    # The sheet's button only where the sheet opens: not before the session starts.
    now = timezone.now()
    context["can_take_attendance"] = services.attendance_refusal(session, now) is None
    context["can_check_in"] = checkin.page_refusal(session, now) is None
    if member is not None:
        context["own_read"] = session.read_confirmations.filter(member=member).first()
        context["can_confirm_read"] = session.status not in (
            ThematicSession.Status.HELD,
            ThematicSession.Status.CANCELLED,
        )
    cancelled = session.status == ThematicSession.Status.CANCELLED
    if request.user.has_perm(VIEW_ATTENDANCE) and not cancelled:
        context["readers"] = checkin.readers(session)
        context["readers_total"] = len(context["readers"][0]) + len(context["readers"][1])
    scheme = scheme_by_key(session.grading_scheme)
    if scheme is not None:
        points = dict(session.criterion_scores.values_list("criterion", "points"))
        context["scheme"] = scheme
        context["criteria"] = [(c.label, points.get(c.key), c.max_points) for c in scheme.criteria]
    return render(request, "sessions/session_detail.html", context)


def session_form_page(request, session, *, title):
    """Create or edit a session with its group meetings (a formset)."""
    form = SessionForm(request.POST or None, instance=session)
    # A whole-cell session keeps no group meetings: their rows are neither
    # checked nor shown with errors, only with what is saved.
    by_group = form["scope"].value() == ThematicSession.Scope.GROUPS
    meetings = meeting_formset(
        (request.POST or None) if by_group else None,
        session=session,
        groups=active_groups(session.plan.cell_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if not form.instance.is_by_group:
                services.save_session(session=form.instance)
                return saved_session(request, form.instance)
            if meetings.is_valid():
                changed = meetings.save(commit=False)
                span_of_meetings(form.instance, meetings)
                services.save_session(
                    session=form.instance,
                    meetings=changed,
                    removed_meetings=meetings.deleted_objects,
                )
                return saved_session(request, form.instance)
        except services.ServiceError as error:
            messages.error(request, str(error))
    context = {"form": form, "meetings": meetings, "session": session, "title": title}
    return render(request, "sessions/session_form.html", context)


def span_of_meetings(session, meetings) -> None:
    """A meeting held group by group and typed without its own time: from the
    earliest group's start to the latest group's end."""
    if session.start and session.end:
        return
    kept = [
        form.cleaned_data
        for form in meetings.forms
        if form.cleaned_data.get("start") and not form.cleaned_data.get("DELETE")
    ]
    if kept:
        session.start = min(row["start"] for row in kept)
        session.end = max(row["end"] for row in kept)


def saved_session(request, session):
    messages.success(request, _("Đã lưu kỳ sinh hoạt “%(topic)s”.") % {"topic": session})
    return redirect(session)


@permission_required(ADD_SESSION, raise_exception=True)
def session_create(request, year):
    plan = plan_or_404(request, year)
    if request.GET.get("kind") == "regular":
        session = ThematicSession(plan=plan, thematic=False, regular=True)
        session.location = plan.regular_location
        return session_form_page(request, session, title=_("Thêm kỳ sinh hoạt chi bộ định kỳ"))
    session = ThematicSession(plan=plan)
    return session_form_page(request, session, title=_("Thêm kỳ sinh hoạt chuyên đề"))


@permission_required(CHANGE_SESSION, raise_exception=True)
def session_edit(request, pk):
    session = session_or_404(request, pk)
    if not session.thematic:
        return session_form_page(request, session, title=_("Sửa kỳ sinh hoạt chi bộ định kỳ"))
    return session_form_page(request, session, title=_("Sửa kỳ sinh hoạt chuyên đề"))


@permission_required(CHANGE_SESSION, raise_exception=True)
def session_postpone(request, pk):
    session = session_or_404(request, pk)
    refusal = services.postpone_refusal(session)
    if refusal:
        messages.error(request, refusal)
        return redirect(session)
    form = PostponeForm(request.POST or None, session=session)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.postpone_session(
                session=session,
                start=data["start"],
                end=data["end"],
                reason=data["reason"],
                user=request.user,
            )
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect(session)
        if data["start"] is None:
            messages.success(request, _("Đã hoãn kỳ sinh hoạt; ngày mới sẽ định sau."))
        else:
            messages.success(request, _("Đã hoãn kỳ sinh hoạt sang thời gian mới."))
        return redirect(session)
    return render(request, "sessions/session_postpone.html", {"session": session, "form": form})


@permission_required(CHANGE_SESSION, raise_exception=True)
def session_cancel(request, pk):
    session = session_or_404(request, pk)
    refusal = services.cancel_refusal(session)
    if refusal:
        messages.error(request, refusal)
        return redirect(session)
    form = CancelForm(request.POST or None)
    if form.is_valid():
        try:
            services.cancel_session(session=session, reason=form.cleaned_data["reason"])
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect(session)
        messages.success(request, _("Đã hủy kỳ sinh hoạt."))
        return redirect(session)
    return render(request, "sessions/session_cancel.html", {"session": session, "form": form})


@permission_required(DELETE_SESSION, raise_exception=True)
def session_delete(request, pk):
    """Ask, then delete a session that was never held."""
    session = session_or_404(request, pk)
    refusal = services.delete_reason(session)
    if refusal:
        messages.error(request, refusal)
        return redirect(session)
    if request.method == "POST":
        plan = session.plan
        services.delete_session(session=session)
        messages.success(request, _("Đã xóa kỳ sinh hoạt “%(topic)s”.") % {"topic": session})
        return redirect(plan)
    return render(request, "sessions/session_delete.html", {"session": session})


# --- Documents -----------------------------------------------------------------


def documents_page(request, session, *, form=None, draft_form=None, status=200):
    context = {
        "session": session,
        "documents": session.documents.all(),
        "form": form or DocumentForm(),
        "draft_form": draft_form or DraftSentForm(instance=session),
        "lead_days": settings.CHIBO_DRAFT_LEAD_DAYS,
    }
    return render(request, "sessions/session_documents.html", context, status=status)


@permission_required(ADD_DOCUMENT, raise_exception=True)
def session_documents(request, pk):
    session = session_or_404(request, pk)
    if request.method != "POST":
        return documents_page(request, session)
    form = DocumentForm(request.POST, request.FILES, instance=Document(session=session))
    if form.is_valid():
        services.add_document(document=form.save(commit=False), user=request.user)
        messages.success(request, _("Đã đính kèm “%(title)s”.") % {"title": form.instance})
        return redirect("sessions:documents", pk=session.pk)
    return documents_page(request, session, form=form)


@permission_required(CHANGE_SESSION, raise_exception=True)
@require_POST
def session_draft_sent(request, pk):
    session = session_or_404(request, pk)
    form = DraftSentForm(request.POST, instance=session)
    if not form.is_valid():
        return documents_page(request, session, draft_form=form)
    sent = form.cleaned_data["draft_sent_at"]
    late = services.record_draft_sent(session=session, sent_at=sent)
    if sent is None:
        messages.success(request, _("Đã ghi: dự thảo chưa gửi đảng viên."))
    else:
        messages.success(request, _("Đã ghi ngày gửi dự thảo cho đảng viên."))
    if late:
        messages.warning(
            request,
            _("Dự thảo cần gửi đảng viên trước buổi sinh hoạt ít nhất %(days)s ngày.")
            % {"days": settings.CHIBO_DRAFT_LEAD_DAYS},
        )
    return redirect("sessions:documents", pk=session.pk)


@permission_required(DELETE_DOCUMENT, raise_exception=True)
@require_POST
def document_delete(request, pk, document_pk):
    document = cell_row_or_404(request, Document, session_id=pk, pk=document_pk)
    services.delete_document(document=document)
    messages.success(request, _("Đã gỡ tài liệu “%(title)s”.") % {"title": document})
    return redirect("sessions:documents", pk=pk)


# --- Photos --------------------------------------------------------------------


@permission_required(ADD_PHOTO, raise_exception=True)
def session_photos(request, pk):
    session = session_or_404(request, pk)
    form = PhotoUploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        photos = services.add_photos(session=session, photos=form.photos(), user=request.user)
        messages.success(request, _("Đã tải lên %(count)s ảnh.") % {"count": len(photos)})
        return redirect("sessions:photos", pk=session.pk)
    context = {
        "session": session,
        "form": form,
        "photos": session.photos.all(),
        "max_bytes": settings.CHIBO_PHOTO_MAX_BYTES,
        "max_megapixels": settings.CHIBO_PHOTO_MAX_PIXELS // 1_000_000,
    }
    return render(request, "sessions/session_photos.html", context)


@permission_required(CHANGE_PHOTO, raise_exception=True)
@require_POST
def photo_caption(request, pk, photo_pk):
    photo = cell_row_or_404(request, Photo, session_id=pk, pk=photo_pk)
    form = CaptionForm(request.POST)
    if form.is_valid():
        services.caption_photo(photo=photo, caption=form.cleaned_data["caption"])
        messages.success(request, _("Đã lưu chú thích ảnh."))
    else:
        messages.error(request, _("Chú thích dài quá 255 ký tự."))
    return redirect("sessions:photos", pk=pk)


@permission_required(DELETE_PHOTO, raise_exception=True)
@require_POST
def photo_delete(request, pk, photo_pk):
    photo = cell_row_or_404(request, Photo, session_id=pk, pk=photo_pk)
    services.delete_photo(photo=photo)
    messages.success(request, _("Đã xóa ảnh."))
    return redirect("sessions:photos", pk=pk)


# --- Contests ------------------------------------------------------------------


@permission_required(CHANGE_CONTEST, raise_exception=True)
def session_contest(request, pk):
    session = session_or_404(request, pk)
    if session.format != ThematicSession.Format.CONTEST:
        raise Http404
    data = request.POST or None
    teams = team_formset(data, session=session, groups=active_groups(session.plan.cell_id))
    awards = AwardFormSet(data, instance=session, prefix="awards")
    if request.method == "POST" and teams.is_valid() and awards.is_valid():
        services.save_contest(
            session=session,
            teams=teams.save(commit=False),
            removed_teams=teams.deleted_objects,
            awards=[form.instance for form in awards.forms if form not in awards.deleted_forms],
            removed_awards=[form.instance for form in awards.deleted_forms],
        )
        messages.success(request, _("Đã lưu kết quả hội thi."))
        return redirect(session)
    context = {"session": session, "teams": teams, "awards": awards}
    return render(request, "sessions/session_contest.html", context)


# --- Attendance ----------------------------------------------------------------


def attendance_form(session, data=None):
    roster = session.roster()
    return AttendanceSheetForm(
        data,
        session=session,
        roster=roster.rows,
        missing=roster.missing,
        temporaries=roster.temporaries,
    )


@permission_required(CHANGE_ATTENDANCE, raise_exception=True)
def session_attendance(request, pk):
    """The attendance sheet: every expected member on one page, saved in one submit."""
    session = session_or_404(request, pk)
    refusal = services.attendance_refusal(session, timezone.now())
    if refusal:
        messages.error(request, refusal)
        return redirect(session)
    form = attendance_form(session, request.POST or None)
    status, conflict = 200, False
    if form.is_valid():
        try:
            services.save_attendance_sheet(
                session=session,
                version=form.cleaned_data["version"],
                entries=form.entries(),
                temporary_ids=form.temporary_ids(),
                record=form.record(),
                user=request.user,
            )
        except services.StaleAttendanceSheet:
            # Show what is saved now; the stale copy is not written.
            session.refresh_from_db()
            form = attendance_form(session)
            status, conflict = 409, True
        else:
            messages.success(request, _("Đã lưu bảng điểm danh."))
            return redirect(session)
    context = {
        "session": session,
        "form": form,
        "conflict": conflict,
        "checked_in": dict(session.check_ins.values_list("member", "at")),
    }
    return render(request, "sessions/attendance_sheet.html", context, status=status)


@permission_required(CHANGE_ATTENDANCE, raise_exception=True)
def session_grading(request, pk):
    """Chấm điểm: the points of each criterion of the session's scheme, and its grade."""
    session = session_or_404(request, pk)
    refusal = services.grading_refusal(session)
    if refusal:
        messages.error(request, refusal)
        return redirect(session)
    scheme = scheme_on(session.day)
    figures = session.attendance_figures()
    saved = dict(session.criterion_scores.values_list("criterion", "points"))
    form = GradingForm(request.POST or None, scheme=scheme, figures=figures, saved=saved)
    if form.is_valid():
        try:
            result = services.grade_session(
                session=session,
                points=form.points(),
                grade=form.cleaned_data["grade"],
                user=request.user,
            )
        except services.ServiceError as error:
            form.add_error(None, str(error))
        else:
            if result.by_points != result.allowed and not form.cleaned_data["grade"]:
                messages.warning(request, result.reason)
            messages.success(
                request,
                _("Đã chấm điểm: %(total)s điểm, xếp loại %(grade)s.")
                % {
                    "total": services.points_text(result.total),
                    "grade": session.get_grade_display(),
                },
            )
            return redirect(session)
    context = {
        "session": session,
        "form": form,
        "scheme": scheme,
        "thresholds": [(Grade(grade).label, minimum) for grade, minimum in scheme.thresholds],
        "figures": figures,
        "good_reason": services.good_attendance_reason(figures, scheme),
    }
    return render(request, "sessions/session_grading.html", context)


# Blank lines for guests at the foot of the signing sheet: they write their names in.
SIGNING_SHEET_GUEST_LINES = 5


@permission_required(VIEW_ATTENDANCE, raise_exception=True)
def signing_sheet(request, pk):
    """The attendance signing sheet, printed before the session: by group, a column to sign.

    Lists the members the session expects (its roster: the saved sheet once
    there is one), each group under its own heading with its meeting's time
    and place for a session held group by group, then the members attending
    temporarily from another cell, then blank lines for guests.
    """
    meetings = GroupMeeting.objects.select_related("group")
    session = get_object_or_404(
        cell_sessions(request)
        .exclude(status=ThematicSession.Status.CANCELLED)
        .select_related("plan__cell")
        .prefetch_related(Prefetch("group_meetings", queryset=meetings)),
        pk=pk,
    )
    roster = session.roster()
    by_group = {meeting.group_id: meeting for meeting in session.group_meetings.all()}
    groups = []
    for group, rows in groupby(roster.rows, key=lambda row: row.group):
        members = [row.member for row in rows]
        meeting = by_group.get(group.pk) if group is not None else None
        groups.append((group, meeting, members))
    context = {
        "session": session,
        "cell": session.plan.cell,
        "groups": groups,
        "temporaries": [member for member, _present in roster.temporaries],
        "guest_lines": range(SIGNING_SHEET_GUEST_LINES),
    }
    return render(request, "sessions/signing_sheet.html", context)


@permission_required(VIEW_ATTENDANCE, raise_exception=True)
def session_minutes(request, pk):
    """The minutes (biên bản) of a held session, laid out for A4: one set per group's meeting
    for a session held group by group."""
    session = get_object_or_404(minutes_queryset(cell_sessions(request)), pk=pk)
    if session.status != ThematicSession.Status.HELD:
        raise Http404
    context = {
        "session": session,
        "cell": session.plan.cell,
        "sets": minutes_sets(session),
        "is_contest": session.format == ThematicSession.Format.CONTEST,
        "review": review_lines(session),
        "tasks": meeting_tasks(session),
    }
    return render(request, "sessions/session_minutes.html", context)


@permission_required(VIEW_ATTENDANCE, raise_exception=True)
def signing_sheet_file(request, pk, fmt):
    """The signing sheet as a file (.docx or PDF): the page's printed record."""
    session = session_or_404(request, pk)
    fragment = page_record(signing_sheet, request, pk)
    stem = f"danh-sach-ky-ten-{timezone.localtime(session.start):%Y-%m-%d}"
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Danh sách ký tên")
    return record_file(fragment, fmt=fmt, stem=stem, title=f"{title} · {session}")


@permission_required(VIEW_ATTENDANCE, raise_exception=True)
def minutes_file(request, pk, fmt):
    """The minutes as a file (.docx or PDF): the page's printed record."""
    session = session_or_404(request, pk)
    fragment = page_record(session_minutes, request, pk)
    stem = f"bien-ban-{timezone.localtime(session.start):%Y-%m-%d}"
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Biên bản")
    return record_file(fragment, fmt=fmt, stem=stem, title=f"{title} · {session}")


@permission_required(CHANGE_SESSION, raise_exception=True)
def minutes_edit(request, pk):
    """The secretary writes the minutes of a held session: content, speakers, conclusion, vote.

    Everything on the page is saved in one transaction (``services.save_minutes``);
    a copy opened before someone else saved is refused and shown again as saved.
    """
    session = session_or_404(request, pk, "plan__cell")
    refusal = services.minutes_refusal(session)
    if refusal:
        messages.error(request, refusal)
        return redirect(session)
    page = MinutesPage(request.POST or None, session=session)
    status, conflict = 200, ""
    if request.method == "POST" and page.is_valid():
        try:
            services.save_minutes(
                session=page.form.instance,
                version=page.version,
                meetings=page.meetings(),
                speeches=page.speeches(),
                removed_speeches=page.removed_speeches(),
                user=request.user,
            )
        except services.ServiceError as error:
            session = session_or_404(request, pk, "plan__cell")
            page = MinutesPage(None, session=session)
            status, conflict = 409, str(error)
        else:
            messages.success(request, _("Đã lưu biên bản."))
            return redirect("sessions:minutes", pk=session.pk)
    context = {"session": session, "page": page, "conflict": conflict}
    return render(request, "sessions/minutes_form.html", context, status=status)


# --- The monthly resolution ----------------------------------------------------


@permission_required(CHANGE_SESSION, raise_exception=True)
def resolution_edit(request, pk):
    """The secretary records the review of earlier tasks and the meeting's resolution.

    Both parts are saved in one transaction (``services.save_resolution``).
    """
    session = session_or_404(request, pk, "plan__cell")
    refusal = services.minutes_refusal(session)
    if refusal:
        messages.error(request, refusal)
        return redirect(session)
    page = ResolutionPage(request.POST or None, session=session)
    if request.method == "POST" and page.is_valid():
        try:
            services.save_resolution(
                session=session,
                reviews=page.review_data(),
                tasks=page.tasks.save(commit=False),
                removed_tasks=page.tasks.deleted_objects,
            )
        except services.ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã lưu nghị quyết và kiểm điểm nhiệm vụ."))
            return redirect("sessions:resolution", pk=session.pk)
    return render(request, "sessions/resolution_form.html", {"session": session, "page": page})


@permission_required(VIEW_SESSION, raise_exception=True)
def resolution(request, pk):
    """The meeting's resolution (nghị quyết) as the cell keeps it: its tasks, who, by when."""
    session = get_object_or_404(cell_sessions(request).select_related("plan__cell"), pk=pk)
    if session.status != ThematicSession.Status.HELD:
        raise Http404
    context = {
        "session": session,
        "cell": session.plan.cell,
        "tasks": meeting_tasks(session),
        "secretary": cell_secretary(session.plan.cell),
    }
    return render(request, "sessions/resolution.html", context)


@permission_required(VIEW_SESSION, raise_exception=True)
def resolution_file(request, pk, fmt):
    """The resolution as a file (.docx or PDF): the page's printed record."""
    session = session_or_404(request, pk)
    fragment = page_record(resolution, request, pk)
    stem = f"nghi-quyet-{timezone.localtime(session.start):%Y-%m-%d}"
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Nghị quyết")
    return record_file(fragment, fmt=fmt, stem=stem, title=f"{title} · {session}")
