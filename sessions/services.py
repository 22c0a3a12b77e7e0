"""Writes that touch several rows or models and must be all-or-nothing.

Each function is keyword-only, runs in one transaction and keeps history
(django-simple-history) for the models that have it.
"""

import calendar
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from chibo.lib.files import delete_after_commit, discard
from members.models import Member, Organisation
from members.versions import data_changed
from sessions import grading
from sessions.figures import refresh_figures
from sessions.grading import Scheme
from sessions.models import (
    VOTE_FIELDS,
    AnnualPlan,
    Attendance,
    AttendanceFigures,
    Award,
    ContestTeam,
    CriterionScore,
    Document,
    Grade,
    GroupMeeting,
    Photo,
    Postponement,
    ResolutionTask,
    Speech,
    Submission,
    TaskReview,
    ThematicSession,
)
from sessions.photos import CleanPhoto


class ServiceError(Exception):
    """A write refused for a reason the user must be told (the message is Vietnamese)."""


class StaleAttendanceSheet(ServiceError):
    """Someone saved the attendance sheet after this copy of it was opened."""


class StaleMinutes(ServiceError):
    """Someone saved the minutes or the attendance sheet after this copy was opened."""


# --- Plans ---------------------------------------------------------------------


def one_year_later(moment: dt.datetime) -> dt.datetime:
    """The same local day and time a year later; 29 February becomes 28 February."""
    local = timezone.localtime(moment)
    year = local.year + 1
    day = min(local.day, calendar.monthrange(year, local.month)[1])
    return local.replace(year=year, day=day, microsecond=0)


def copy_plan(*, source: AnnualPlan, year: int, user=None) -> AnnualPlan:
    """Start ``year``'s plan from the topics of ``source``.

    Every thematic session that was not cancelled is copied with its dates
    moved one year on, its group meetings too, as a planned session (with
    the regular meeting if it was held with it), and the rule of the regular
    meetings, not the regular meetings themselves: no attendance,
    result, grade, postponement or document is copied, and members who have
    left the cell are not kept as preparer, presiding member or minute-taker.
    The target plan is created as a draft, or filled if it exists and is empty.
    """
    with transaction.atomic():
        plan, created = AnnualPlan.objects.get_or_create(
            cell_id=source.cell_id,
            year=year,
            defaults={"title": _("Kế hoạch sinh hoạt chuyên đề năm %(year)s") % {"year": year}},
        )
        if not created and plan.sessions.exists():
            raise ServiceError(
                _("Kế hoạch năm %(year)s đã có kỳ sinh hoạt; không sao chép chồng lên.")
                % {"year": year}
            )
        current = set(
            Member.objects.filter(cell=source.cell_id).current().values_list("pk", flat=True)
        )

        def still_here(member_id):
            return member_id if member_id in current else None

        # The regular meetings are not copied: the rule of the year is, and
        # the secretary lays them out on the new year's calendar from it.
        if plan.regular_day is None:
            for name in ("regular_day", "regular_time", "regular_minutes", "regular_location"):
                setattr(plan, name, getattr(source, name))
            plan.save()
        sources = list(
            source.sessions.thematic().not_cancelled().prefetch_related("group_meetings__group")
        )
        for old in sources:
            new = ThematicSession.objects.create(
                plan=plan,
                topic=old.topic,
                description=old.description,
                scope=old.scope,
                format=old.format,
                start=one_year_later(old.start),
                end=one_year_later(old.end),
                location=old.location,
                preparer_id=still_here(old.preparer_id),
                outside_speaker=old.outside_speaker,
                presiding_id=still_here(old.presiding_id),
                minute_taker_id=still_here(old.minute_taker_id),
                regular=old.regular,
            )
            meetings = [
                GroupMeeting(
                    session=new,
                    group_id=meeting.group_id,
                    start=one_year_later(meeting.start),
                    end=one_year_later(meeting.end),
                    location=meeting.location,
                    presiding_id=still_here(meeting.presiding_id),
                )
                for meeting in old.group_meetings.all()
                if meeting.group.is_active
            ]
            bulk_create_with_history(meetings, GroupMeeting, default_user=user)
    return plan


# --- Sending to the superior committee ----------------------------------------


def regular_meeting_day(year: int, month: int, day: int) -> dt.date:
    """The rule's ``day`` of a month; past the month's end, its last day (31 → 29/2)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def lay_out_regular_meetings(*, plan: AnnualPlan) -> list[ThematicSession]:
    """The year's regular meetings on the plan's rule, one for each month without one.

    A month that has a regular meeting already (laid out before, added by
    hand, or a thematic session held with the regular meeting) is left as it
    is, so laying out twice adds nothing, and a meeting moved by hand stays
    where it was moved. Returns the meetings created.
    """
    if plan.regular_day is None or plan.regular_time is None:
        raise ServiceError(_("Chưa đặt lịch sinh hoạt định kỳ của năm."))
    minutes = plan.regular_minutes or settings.CHIBO_MIN_REGULAR_MEETING_MINUTES
    tz = timezone.get_default_timezone()
    with transaction.atomic():
        taken = {
            timezone.localtime(start).month
            for start in plan.sessions.regular().values_list("start", flat=True)
        }
        created = []
        for month in range(1, 13):
            if month in taken:
                continue
            day = regular_meeting_day(plan.year, month, plan.regular_day)
            start = dt.datetime.combine(day, plan.regular_time, tzinfo=tz)
            created.append(
                ThematicSession.objects.create(
                    plan=plan,
                    thematic=False,
                    regular=True,
                    topic="",
                    start=start,
                    end=start + dt.timedelta(minutes=minutes),
                    location=plan.regular_location,
                )
            )
    return created


def send_refusal(*, cell: Organisation, kind: str, year: int, today: dt.date) -> str | None:
    """Why ``cell`` cannot send ``kind``'s document of ``year`` today, or None.

    A plan is sent once the cell committee has approved it. A report is sent
    from its own year on, never before the year begins; a year's report may
    go before its last sessions are held (it says which are still to come),
    since the report is due in December (``CHIBO_REPORT_DUE``).
    """
    if kind == Submission.Kind.PLAN:
        plan = AnnualPlan.objects.of_cell(cell).filter(year=year).first()
        if plan is None:
            return _("Chi bộ chưa có kế hoạch sinh hoạt chuyên đề năm %(year)s.") % {"year": year}
        if plan.status != AnnualPlan.Status.APPROVED:
            return _(
                "Kế hoạch chưa được chi ủy thông qua: ghi ngày thông qua (Sửa kế hoạch) "
                "rồi mới gửi cấp ủy cấp trên."
            )
        return None
    if year > today.year:
        return _("Năm %(year)s chưa bắt đầu: chưa gửi được báo cáo của năm này.") % {"year": year}
    return None


def sender_name(user, cell: Organisation) -> str:
    """The name a sending keeps of its sender: their member's in the cell, else their login's."""
    if user is None:
        return ""
    member = Member.objects.filter(user=user, cell=cell).first()
    if member is not None:
        return member.full_name
    return user.get_full_name() or user.get_username()


def next_number(cell: Organisation, year: int) -> int:
    """The number the cell's next document dated in ``year`` takes: one after its highest."""
    used = Submission.objects.filter(cell=cell, number_year=year).aggregate(last=Max("number"))
    return (used["last"] or 0) + 1


def send_up(
    *,
    cell: Organisation,
    kind: str,
    year: int,
    user,
    content: Callable[[Submission], tuple[str, dict]],
    now: dt.datetime | None = None,
) -> Submission:
    """Send ``kind``'s document of ``year`` to the cell's superior committee, frozen as sent.

    The document is dated the day it is sent (``now``, by default the present)
    and takes the cell's next number in that year: numbers run per cell and
    year across plans and reports, and are never given twice (the cell's row
    is locked while the number is taken; the database refuses a duplicate).
    ``content(submission)`` gets the unsaved row, which has its number,
    reference and date, and returns the printable document (HTML) and its
    figures (a dict stored as JSON): both are stored as they are and never
    recounted. Sending again is a correction: a new row, the earlier ones kept.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    refusal = send_refusal(cell=cell, kind=kind, year=year, today=today)
    if refusal:
        raise ServiceError(refusal)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=cell.pk)
        number = next_number(locked, today.year)
        submission = Submission(
            cell=locked,
            kind=kind,
            year=year,
            number=number,
            number_year=today.year,
            reference=Submission.reference_for(number, kind, locked.number_prefix),
            dated_on=today,
            sent_at=now,
            sent_by=user,
            sent_by_name=sender_name(user, locked),
        )
        submission.body, submission.figures = content(submission)
        submission._history_user = user
        submission.save()
    return submission


# --- Sessions ------------------------------------------------------------------


def save_session(
    *,
    session: ThematicSession,
    meetings: list[GroupMeeting] = (),
    removed_meetings: list[GroupMeeting] = (),
) -> ThematicSession:
    """Save a session with its group meetings.

    For a session held by the whole cell, any group meetings it had are removed;
    for one held group by group, ``meetings`` are saved and ``removed_meetings``
    deleted.
    """
    if session.pk is not None:
        session.calendar_sequence += 1
    gone = [m for m in removed_meetings if m.pk] if session.is_by_group else None
    with transaction.atomic():
        if gone is None:
            gone = list(session.group_meetings.all()) if session.pk else []
        # A group's minutes are kept: its meeting is not removed under them.
        spoken = gone and (
            Speech.objects.filter(group_meeting__in=gone)
            .select_related("group_meeting__group")
            .first()
        )
        if spoken:
            raise ServiceError(
                _(
                    "Biên bản của %(group)s đã ghi ý kiến phát biểu: "
                    "không bỏ buổi sinh hoạt của tổ này được."
                )
                % {"group": spoken.group_meeting.group}
            )
        session.save()
        if session.is_by_group:
            for meeting in removed_meetings:
                if meeting.pk:
                    meeting.delete()
            for meeting in meetings:
                meeting.session = session
                meeting.save()
        else:
            for meeting in session.group_meetings.all():
                meeting.delete()
        # A held meeting moved to another year or given another kind, its guests changed.
        refresh_figures(session=session)
    return session


def postpone_refusal(session: ThematicSession) -> str | None:
    """Why ``session`` cannot be postponed, or None: only one not held nor cancelled can."""
    if session.status in (ThematicSession.Status.HELD, ThematicSession.Status.CANCELLED):
        return _("Chỉ hoãn được kỳ sinh hoạt chưa tổ chức và chưa bị hủy.")
    return None


def postpone_session(
    *,
    session: ThematicSession,
    start: dt.datetime | None,
    end: dt.datetime | None,
    reason: str,
    user=None,
) -> Postponement:
    """Move a session to a new time, or postpone it with no new date yet (``start`` None).

    The old time and the reason are kept. A session held group by group moves
    with every group's meeting, by as much as the session itself.
    """
    refusal = postpone_refusal(session)
    if refusal:
        raise ServiceError(refusal)
    with transaction.atomic():
        postponement = Postponement.objects.create(
            session=session,
            previous_start=session.start,
            new_start=start,
            reason=reason,
            created_by=user,
        )
        if start is not None:
            shift = start - session.start
            for meeting in session.group_meetings.all():
                meeting.start += shift
                meeting.end += shift
                meeting.save(update_fields=["start", "end"])
            session.start, session.end = start, end
        session.status = ThematicSession.Status.POSTPONED
        session.status_reason = reason
        session.calendar_sequence += 1
        session.save()
        refresh_figures(session=session)
    return postponement


def cancel_refusal(session: ThematicSession) -> str | None:
    """Why ``session`` cannot be cancelled, or None: a held or cancelled one cannot."""
    if session.status in (ThematicSession.Status.HELD, ThematicSession.Status.CANCELLED):
        return _("Chỉ hủy được kỳ sinh hoạt chưa tổ chức.")
    return None


def cancel_session(*, session: ThematicSession, reason: str) -> None:
    """Cancel a session that was not held; it stays in the plan, with the reason."""
    refusal = cancel_refusal(session)
    if refusal:
        raise ServiceError(refusal)
    with transaction.atomic():
        session.status = ThematicSession.Status.CANCELLED
        session.status_reason = reason
        session.calendar_sequence += 1
        session.save()
        refresh_figures(session=session)


def delete_reason(session: ThematicSession) -> str | None:
    """Why ``session`` may not be deleted, or None when it may."""
    if session.status == ThematicSession.Status.HELD or session.attendances.exists():
        return _("Kỳ sinh hoạt đã tổ chức không xóa được: hồ sơ của nó phải được giữ lại.")
    if session.contest_teams.exists() or session.awards.exists():
        return _("Kỳ sinh hoạt đã có kết quả hội thi không xóa được.")
    return None


def delete_session(*, session: ThematicSession) -> None:
    """Delete a session that was never held, with its documents and photos."""
    reason = delete_reason(session)
    if reason:
        raise ServiceError(reason)
    files = [
        *(document.file.name for document in session.documents.all() if document.file),
        *(
            name
            for photo in session.photos.all()
            for name in (photo.image.name, photo.thumbnail.name)
        ),
    ]
    with transaction.atomic():
        session.delete()
        delete_after_commit(files)


def draft_sent_late(session: ThematicSession) -> bool:
    """Whether the draft reached members later than the rule asks.

    It must be sent at least ``CHIBO_DRAFT_LEAD_DAYS`` days before the
    session, counted in days of the cell's calendar, not in hours. A draft
    not sent yet is not late.
    """
    if session.draft_sent_at is None:
        return False
    ahead = timezone.localdate(session.start) - timezone.localdate(session.draft_sent_at)
    return ahead.days < settings.CHIBO_DRAFT_LEAD_DAYS


def record_draft_sent(*, session: ThematicSession, sent_at: dt.datetime | None) -> bool:
    """Record when the draft was sent to members (None: not yet); True if that was late."""
    with transaction.atomic():
        session.draft_sent_at = sent_at
        session.save()
    return draft_sent_late(session)


# --- Documents -----------------------------------------------------------------


def add_document(*, document: Document, user=None) -> Document:
    """Attach a checked document (a file or a link) to its session, naming who added it."""
    document.uploaded_by = user
    unsaved_name = document.file.name if document.file else None
    try:
        with transaction.atomic():
            document.save()
    except BaseException:
        # Saving stores the file under a name of its own before the row is
        # written: if the row failed, nothing will ever name that file.
        if document.file and document.file.name != unsaved_name:
            discard([document.file.name], storage=document.file.storage)
        raise
    return document


def delete_document(*, document: Document) -> None:
    """Remove a document from its session, and its file once that is committed."""
    name = document.file.name if document.file else ""
    with transaction.atomic():
        document.delete()
        delete_after_commit([name], storage=document.file.storage)


# --- Photos --------------------------------------------------------------------


def add_photos(
    *, session: ThematicSession, photos: list[tuple[CleanPhoto, str]], user=None
) -> list[Photo]:
    """Store checked photos under random names, with thumbnails: all or none.

    If anything fails, the files already written are removed and no row stays.
    """
    written = []
    year = timezone.localdate().year
    try:
        with transaction.atomic():
            rows = []
            for photo, caption in photos:
                name = uuid.uuid4().hex
                image = default_storage.save(
                    f"photos/{year}/{name}.{photo.extension}", ContentFile(photo.content)
                )
                written.append(image)
                thumbnail = default_storage.save(
                    f"photos/thumbs/{year}/{name}.jpg", ContentFile(photo.thumbnail)
                )
                written.append(thumbnail)
                rows.append(
                    Photo(
                        session=session,
                        image=image,
                        thumbnail=thumbnail,
                        caption=caption,
                        uploaded_by=user,
                    )
                )
            data_changed(session.plan.cell_id)  # bulk_create sends no signal
            return Photo.objects.bulk_create(rows)
    except BaseException:
        discard(written)
        raise


def caption_photo(*, photo: Photo, caption: str) -> None:
    """Change a photo's caption."""
    with transaction.atomic():
        photo.caption = caption
        photo.save(update_fields=["caption"])


def delete_photo(*, photo: Photo) -> None:
    """Delete a photo, and its image and thumbnail once that is committed."""
    files = [photo.image.name, photo.thumbnail.name]
    with transaction.atomic():
        photo.delete()
        delete_after_commit(files)


# --- Contests ------------------------------------------------------------------


def is_blank_award(award: Award) -> bool:
    """A new award line with nothing typed on it: the form's spare line, not an award."""
    return award.pk is None and not (award.prize or award.member_id or award.guest_name)


def save_contest(
    *,
    session: ThematicSession,
    teams: list[ContestTeam],
    removed_teams: list[ContestTeam],
    awards: list[Award],
    removed_awards: list[Award],
) -> None:
    """Save a staged contest's teams and awards; ranks not typed follow the scores.

    ``awards`` are the award lines in the order shown, kept ones and new
    ones; a new line left blank is skipped, and the others are numbered in
    that order. Every team whose rank was not typed by hand is ranked again
    from all the scores, as they are now, by the usual rule for ties: two
    teams with the same score share a rank and the next rank is skipped.
    """
    awards = [award for award in awards if not is_blank_award(award)]
    with transaction.atomic():
        for obj in [*removed_teams, *removed_awards]:
            if obj.pk:
                obj.delete()
        for team in teams:
            team.session = session
            team.save()
        for order, award in enumerate(awards):
            award.session = session
            award.order = order
            award.save()
        all_teams = list(session.contest_teams.all())
        for team in all_teams:
            if team.rank_by_hand:
                continue
            rank = 1 + sum(1 for other in all_teams if other.score > team.score)
            if team.rank != rank:
                team.rank = rank
                team.save(update_fields=["rank"])


# --- The attendance sheet ------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    """One expected member's line on the sheet."""

    member_id: int
    group_id: int | None
    status: str
    reason: str = ""


@dataclass(frozen=True)
class SessionRecord:
    """What the sheet records about the session itself."""

    guest_count: int = 0
    guest_names: str = ""
    conclusion: str = ""
    minutes: str = ""


RECORD_FIELDS = ("guest_count", "guest_names", "conclusion", "minutes")


def attendance_refusal(session: ThematicSession, now: dt.datetime) -> str | None:
    """Why attendance cannot be taken for ``session`` now, or None."""
    if session.status == ThematicSession.Status.CANCELLED:
        return _("Kỳ sinh hoạt đã bị hủy: không điểm danh.")
    if session.start > now:
        return _("Kỳ sinh hoạt chưa diễn ra: điểm danh từ giờ bắt đầu.")
    return None


def save_attendance_sheet(
    *,
    session: ThematicSession,
    version: int,
    entries: list[AttendanceEntry],
    temporary_ids: list[int] = (),
    record: SessionRecord | None = None,
    user=None,
) -> int:
    """Save a whole attendance sheet in one transaction and a fixed number of queries.

    ``version`` is the sheet's ``attendance_version`` when the form was opened.
    If someone saved since then, nothing is written and StaleAttendanceSheet is
    raised: the first save is kept. Otherwise the session is marked held, its
    record (guests, conclusion, minutes) saved, one row per
    member written or updated (never duplicated), members attending
    temporarily recorded apart, and the new version returned.

    ``entries`` are the sheet's lines: its saved rows, or every expected
    member on a first save, and any member the secretary chose to add. Only
    they are written: a member expected by the rules but left off a saved
    sheet is never added here unasked.
    """
    now = timezone.now()
    refusal = attendance_refusal(session, now)
    if refusal:
        raise ServiceError(refusal)
    record = record or SessionRecord()
    with transaction.atomic():
        # The conditional UPDATE is the lock: of two saves of the same version,
        # the second finds the version already raised and writes nothing.
        claimed = ThematicSession.objects.filter(
            plan=session.plan, pk=session.pk, attendance_version=version
        ).update(attendance_version=F("attendance_version") + 1)
        if not claimed:
            raise StaleAttendanceSheet(
                _("Bảng điểm danh vừa được người khác lưu trong lúc đồng chí đang nhập.")
            )
        session.attendance_version = version + 1
        session.status = ThematicSession.Status.HELD
        session.status_reason = ""
        for field in RECORD_FIELDS:
            setattr(session, field, getattr(record, field))
        session.save(update_fields=["status", "status_reason", *RECORD_FIELDS, "updated_at"])

        saved = {row.member_id: row for row in Attendance.objects.filter(session=session)}
        wanted = [
            Attendance(
                session=session,
                member_id=entry.member_id,
                group_id=entry.group_id,
                status=entry.status,
                reason=entry.reason,
            )
            for entry in entries
        ]
        # Every member attending temporarily (a handful), then the ones ticked:
        # the same one query with or without them on the sheet.
        temporary_ids = set(temporary_ids)
        temporary_groups = {
            pk: group_id
            for pk, group_id in session.cell_members()
            .filter(temporary=True)
            .values_list("pk", "group_id")
            if pk in temporary_ids
        }
        wanted += [
            Attendance(
                session=session,
                member_id=member_id,
                group_id=group_id,
                status=Attendance.Status.PRESENT,
                temporary=True,
            )
            for member_id, group_id in temporary_groups.items()
        ]
        to_create, to_update = [], []
        for row in wanted:
            old = saved.get(row.member_id)
            if old is None:
                to_create.append(row)
            elif (old.status, old.reason, old.temporary) != (row.status, row.reason, row.temporary):
                old.status, old.reason, old.temporary = row.status, row.reason, row.temporary
                old.recorded_at = now
                to_update.append(old)
        # Every history row of one save has the same moment: the history
        # pages show the save as one entry.
        if to_create:
            bulk_create_with_history(to_create, Attendance, default_user=user, default_date=now)
        if to_update:
            bulk_update_with_history(
                to_update,
                Attendance,
                ["status", "reason", "temporary", "recorded_at"],
                default_user=user,
                default_date=now,
            )
        gone = [
            row.pk
            for row in saved.values()
            if row.temporary and row.member_id not in temporary_groups
        ]
        if gone:
            # Only members attending temporarily can drop off the sheet.
            session.attendances.filter(pk__in=gone).delete()
        # The meeting's figures and its members' figures of the year, kept.
        refresh_figures(session=session)
        cap_grade(session=session)
    return session.attendance_version


# --- The minutes -----------------------------------------------------------------


def minutes_refusal(session: ThematicSession) -> str | None:
    """Why the minutes of ``session`` cannot be written, or None: only a held session has them."""
    if session.status != ThematicSession.Status.HELD:
        return _(
            "Chỉ ghi biên bản cho kỳ sinh hoạt đã tổ chức: lưu bảng điểm danh trước, "
            "rồi ghi biên bản."
        )
    return None


MINUTES_FIELDS = ("minutes", "conclusion", *VOTE_FIELDS, "prizes_presented_by")
MEETING_MINUTES_FIELDS = ("minute_taker", "content", "conclusion", *VOTE_FIELDS)


def save_minutes(
    *,
    session: ThematicSession,
    version: int,
    meetings: list[GroupMeeting] = (),
    speeches: list[Speech] = (),
    removed_speeches: list[Speech] = (),
    user=None,
) -> int:
    """Save the minutes of a held session in one transaction.

    ``session`` carries what was presented, its conclusion, its vote and who
    presented the prizes; ``meetings``, for a session held group by group,
    each group's own minute-taker, content, conclusion and vote. ``speeches``
    are the discussion's lines in the order shown (each with its group's
    meeting, or none for the whole cell), numbered in that order within
    each meeting; ``removed_speeches`` are deleted.

    ``version`` is the session's ``attendance_version`` when the page was
    opened: the attendance sheet writes the conclusion and the minutes too,
    so one counter guards both pages. If either was saved since, nothing is
    written and StaleMinutes is raised. Returns the new version.
    """
    refusal = minutes_refusal(session)
    if refusal:
        raise ServiceError(refusal)
    with transaction.atomic():
        claimed = ThematicSession.objects.filter(
            plan=session.plan, pk=session.pk, attendance_version=version
        ).update(attendance_version=F("attendance_version") + 1)
        if not claimed:
            raise StaleMinutes(
                _(
                    "Biên bản hoặc bảng điểm danh vừa được người khác lưu trong lúc đồng chí "
                    "đang nhập: trang hiện nội dung mới nhất, đồng chí kiểm tra rồi lưu lại."
                )
            )
        session.attendance_version = version + 1
        session.save(update_fields=[*MINUTES_FIELDS, "updated_at"])
        for meeting in meetings:
            if meeting.session_id != session.pk:
                raise ServiceError(_("Buổi sinh hoạt của tổ không thuộc kỳ sinh hoạt này."))
            meeting.save(update_fields=MEETING_MINUTES_FIELDS)
        for speech in removed_speeches:
            if speech.pk:
                speech.delete()
        # A line saved as it was gets no new history entry.
        saved = {
            row[0]: row[1:]
            for row in session.speeches.values_list(
                "pk", "group_meeting", "member", "speaker_name", "content", "order"
            )
        }
        orders: dict[int | None, int] = {}
        for speech in speeches:
            speech.session = session
            key = speech.group_meeting_id
            speech.order = orders.get(key, 0)
            orders[key] = speech.order + 1
            now = (key, speech.member_id, speech.speaker_name, speech.content, speech.order)
            if speech.pk is None or saved.get(speech.pk) != now:
                speech.save()
    return session.attendance_version


# --- Grading by criteria -------------------------------------------------------


def good_attendance_reason(figures: AttendanceFigures, scheme: Scheme) -> str | None:
    """Why this attendance forbids the grade Tốt under ``scheme``, or None.

    The decision is ``AttendanceFigures.is_good``; this only words it.
    """
    rule = scheme.good_attendance
    if rule is None or figures.is_good(rule):
        return None
    rate = "—" if figures.rate is None else formats.number_format(figures.rate, 1)
    return _(
        "Kỳ sinh hoạt chỉ được xếp loại Tốt khi tỷ lệ đảng viên dự trên %(percent)s %% và "
        "không có đảng viên vắng không lý do; kỳ này có mặt %(present)s/%(expected)s "
        "(%(rate)s %%), %(unexcused)s đảng viên vắng không lý do."
    ) % {
        "percent": rule.percent,
        "present": figures.present,
        "expected": figures.expected,
        "rate": rate,
        "unexcused": figures.unexcused,
    }


def points_text(value: Decimal) -> str:
    """Points as the page writes them: "75", "75,5"."""
    if value == value.to_integral_value():
        return formats.number_format(value.to_integral_value(), 0)
    return formats.number_format(value, 1)


@dataclass(frozen=True)
class Grading:
    """What the points give under a scheme: the total, and the highest grade allowed."""

    scheme: Scheme
    total: Decimal
    by_points: str  # the grade of the thresholds alone
    allowed: str  # the same, but Khá when the attendance forbids Tốt
    reason: str | None  # why Tốt is forbidden, when it is


def grading_of(scheme: Scheme, points: dict, figures: AttendanceFigures) -> Grading:
    total = scheme.total(points)
    by_points = scheme.grade_for(total)
    reason = good_attendance_reason(figures, scheme)
    allowed = grading.FAIR if by_points == grading.GOOD and reason else by_points
    return Grading(scheme, total, by_points, allowed, reason)


def grade_refusal(result: Grading, grade: str) -> str | None:
    """Why ``grade`` cannot be given with these points and this attendance, or None.

    The secretary may lower the grade the thresholds give, never raise it.
    """
    if not grade or grading.lower_or_equal(grade, result.allowed):
        return None
    if grade == grading.GOOD and result.reason:
        return result.reason
    return _("Với %(total)s điểm, kỳ sinh hoạt được xếp loại cao nhất là %(grade)s.") % {
        "total": points_text(result.total),
        "grade": Grade(result.allowed).label,
    }


def grading_refusal(session: ThematicSession) -> str | None:
    """Why ``session`` cannot be graded now, or None: only a held session with its roll call."""
    if session.status != ThematicSession.Status.HELD:
        return _("Chỉ chấm điểm kỳ sinh hoạt đã tổ chức.")
    # Rows written by a loader carry no version: either says the roll call is in.
    if not session.attendance_version and not session.attendances.exists():
        return _("Hãy lưu bảng điểm danh trước khi chấm điểm: xếp loại tùy theo tỷ lệ dự.")
    return None


def grade_session(*, session: ThematicSession, points: dict, grade: str = "", user=None) -> Grading:
    """Record the points of each criterion and the session's total and grade, together.

    The scheme is the one in force on the session's date; ``points`` has one
    value per criterion of it, from 0 to its maximum. ``grade`` empty takes
    the grade the thresholds give (Khá instead of Tốt when the attendance
    forbids Tốt); a chosen grade may be lower, never higher.
    """
    refusal = grading_refusal(session)
    if refusal:
        raise ServiceError(refusal)
    scheme = grading.scheme_on(session.day)
    for criterion in scheme.criteria:
        value = points.get(criterion.key)
        if value is None or not 0 <= value <= criterion.max_points:
            raise ServiceError(
                _("Điểm “%(label)s” phải từ 0 đến %(max)s.")
                % {"label": criterion.label, "max": criterion.max_points}
            )
    with transaction.atomic():
        result = grading_of(scheme, points, session.attendance_figures())
        refusal = grade_refusal(result, grade)
        if refusal:
            raise ServiceError(refusal)
        keys = [criterion.key for criterion in scheme.criteria]
        saved = {row.criterion: row for row in CriterionScore.objects.filter(session=session)}
        for key in keys:
            row = saved.get(key) or CriterionScore(session=session, criterion=key)
            if row.pk is None or row.points != points[key]:
                row.points = points[key]
                row._history_user = user
                row.save()
        stale = [row.pk for key, row in saved.items() if key not in keys]
        if stale:
            CriterionScore.objects.filter(session=session, pk__in=stale).delete()
        session.grading_scheme = scheme.key
        session.score = result.total
        session.grade = grade or result.allowed
        session._history_user = user
        session.save(update_fields=["grading_scheme", "score", "grade", "updated_at"])
    return result


def cap_grade(*, session: ThematicSession) -> None:
    """A session graded Tốt by criteria becomes Khá if its attendance no longer allows Tốt.

    Run where attendance is written, in its transaction. A session graded
    before criteria (no scheme) keeps what was recorded.
    """
    scheme = grading.scheme_by_key(session.grading_scheme)
    if scheme is None or session.grade != grading.GOOD:
        return
    if good_attendance_reason(scheme=scheme, figures=session.attendance_figures()):
        session.grade = grading.FAIR
        session.save(update_fields=["grade", "updated_at"])


def save_resolution(
    *,
    session: ThematicSession,
    reviews: dict[ResolutionTask, tuple[str, str]],
    tasks: list[ResolutionTask],
    removed_tasks: list[ResolutionTask] = (),
) -> None:
    """Save a meeting's review of earlier tasks and its own resolution's tasks, together.

    ``reviews`` maps each task the meeting reviews to its outcome and note;
    a blank outcome removes the meeting's review of it. A task already
    reviewed at a later meeting cannot be removed: its history would lose it.
    """
    with transaction.atomic():
        for task, (outcome, note) in reviews.items():
            existing = TaskReview.objects.filter(task=task, session=session).first()
            if not outcome:
                if existing is not None:
                    existing.delete()
                continue
            review = existing or TaskReview(task=task, session=session)
            if existing is None or (review.outcome, review.note) != (outcome, note):
                review.outcome, review.note = outcome, note
                review.save()
        for task in removed_tasks:
            if task.pk is None:
                continue
            if task.reviews.exists():
                raise ServiceError(
                    _("Nhiệm vụ “%(task)s” đã được kiểm điểm ở kỳ sau: không xóa được.")
                    % {"task": task}
                )
            task.delete()
        for order, task in enumerate(tasks):
            task.session = session
            if not task.order:
                task.order = order + 1
            task.save()
