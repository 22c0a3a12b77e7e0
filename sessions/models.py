import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractQuarter
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from chibo.lib.cells import CellQuerySet
from chibo.lib.dates import FIRST_YEAR, LAST_YEAR, valid_year
from members.models import Member, Organisation, PartyGroup
from sessions.grading import NO_UNEXCUSED, GoodAttendance

QUARTERS = (1, 2, 3, 4)
# Numbers typed into the forms are bounded far above any real session and far
# below what an integer column holds: a larger one gets a message, not a 500.
MAX_GUESTS = 10_000
MAX_TEAM_SCORE = 10_000
MAX_RANK = 100
MAX_VOTES = 10_000
MAX_MEETING_MINUTES = 24 * 60


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of ``year`` and of the next one, in the cell's time zone."""
    tz = timezone.get_default_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def quarter_of(moment: dt.datetime) -> int:
    return (timezone.localtime(moment).month - 1) // 3 + 1


@dataclass(frozen=True)
class AttendanceFigures:
    """Counts behind an attendance rate: present ÷ expected.

    Members attending temporarily from another cell and guests are never part
    of these counts.
    """

    expected: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0

    @property
    def absent(self) -> int:
        return self.excused + self.unexcused

    @property
    def rate(self) -> Decimal | None:
        """The attendance rate in percent, one decimal; None when nobody was expected."""
        if not self.expected:
            return None
        return (Decimal(100) * self.present / self.expected).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def below_good_rate(self) -> bool:
        """Attendance not above the good-session threshold (``CHIBO_GOOD_ATTENDANCE_PERCENT``)."""
        rate = self.rate
        return rate is not None and rate <= settings.CHIBO_GOOD_ATTENDANCE_PERCENT

    def is_good(self, rule: GoodAttendance = NO_UNEXCUSED) -> bool:
        """Whether this attendance allows a session graded Tốt, under ``rule``.

        The one place that decides it: a rate above ``CHIBO_GOOD_ATTENDANCE_PERCENT``
        and no more unexcused absences than the scheme allows (none, in 2018).
        """
        rate = self.rate
        return rate is not None and rate > rule.percent and self.unexcused <= rule.max_unexcused

    @property
    def too_many_unexcused(self) -> bool:
        """As many unexcused absences as the rule flags in a year, or more."""
        return self.unexcused >= settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR

    @classmethod
    def total(cls, parts) -> "AttendanceFigures":
        """The sum of figures counted apart (per group, per session…)."""
        parts = list(parts)
        return cls(
            expected=sum(part.expected for part in parts),
            present=sum(part.present for part in parts),
            excused=sum(part.excused for part in parts),
            unexcused=sum(part.unexcused for part in parts),
        )

    @classmethod
    def from_records(cls, records) -> "AttendanceFigures":
        """From attendance rows already fetched (a member's year: no second query)."""
        counted = [record.status for record in records if not record.temporary]
        return cls(
            expected=len(counted),
            present=counted.count(Attendance.Status.PRESENT),
            excused=counted.count(Attendance.Status.EXCUSED),
            unexcused=counted.count(Attendance.Status.UNEXCUSED),
        )

    @classmethod
    def from_row(cls, row) -> "AttendanceFigures":
        """From a row of ``AttendanceQuerySet.figures()`` or ``figures_by()``."""
        return cls(
            expected=row.get("expected") or 0,
            present=row.get("present") or 0,
            excused=row.get("excused") or 0,
            unexcused=row.get("unexcused") or 0,
        )


@dataclass(frozen=True)
class RosterRow:
    """A line of the attendance sheet: a member, their group on the sheet, the saved row."""

    member: Member
    group: PartyGroup | None
    attendance: "Attendance | None" = None


class Roster(NamedTuple):
    """The attendance sheet's lines: see ThematicSession.roster."""

    rows: list[RosterRow]
    missing: list[RosterRow]
    temporaries: list[tuple[Member, bool]]


@dataclass(frozen=True)
class Schedule:
    """When and where a member meets for a session: their group's meeting, if any."""

    start: dt.datetime
    end: dt.datetime
    location: str
    presiding: Member | None
    group: PartyGroup | None = None


class Grade(models.TextChoices):
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    POOR = "poor", _("Kém")


@dataclass(frozen=True)
class Vote:
    """A vote on a resolution as the minutes record it: agree, disagree, abstain of ``present``."""

    agree: int
    disagree: int
    abstain: int
    present: int

    @property
    def agree_rate(self) -> Decimal | None:
        """Those who agreed, in percent of those present, one decimal; None when nobody was."""
        if not self.present:
            return None
        return (Decimal(100) * self.agree / self.present).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


VOTE_FIELDS = ("votes_for", "votes_against", "votes_abstain")


def vote_of(record, present: int) -> Vote | None:
    """The vote a session or a group meeting recorded, of ``present``; None when it has none."""
    if record.votes_for is None:
        return None
    return Vote(record.votes_for, record.votes_against, record.votes_abstain, present)


def vote_fields():
    """The three counts of a vote (nullable: no resolution, no vote), for a session or a group."""
    limit = MaxValueValidator(MAX_VOTES, _("Số phiếu tối đa là %(limit_value)s."))
    return {
        "votes_for": models.PositiveIntegerField(
            _("số tán thành"), null=True, blank=True, validators=[limit]
        ),
        "votes_against": models.PositiveIntegerField(
            _("số không tán thành"), null=True, blank=True, validators=[limit]
        ),
        "votes_abstain": models.PositiveIntegerField(
            _("số không biểu quyết"), null=True, blank=True, validators=[limit]
        ),
    }


def vote_constraint(name: str) -> models.CheckConstraint:
    """A vote is recorded whole (three counts, none negative) or not at all."""
    return models.CheckConstraint(
        condition=Q(votes_for__isnull=True, votes_against__isnull=True, votes_abstain__isnull=True)
        | Q(votes_for__gte=0, votes_against__gte=0, votes_abstain__gte=0),
        name=name,
        violation_error_message=_(
            "Biểu quyết cần đủ ba số: tán thành, không tán thành, không biểu quyết."
        ),
    )


def member_or_name(member: str, written: str) -> Q:
    """Exactly one of a member of the cell (``member``) or a name written out (``written``).

    A speaker, a prize winner, the one responsible for a task: someone on the
    member list, or a guest or body named in words, never both nor neither.
    """
    return (Q(**{f"{member}__isnull": False}) & Q(**{written: ""})) | (
        Q(**{f"{member}__isnull": True}) & ~Q(**{written: ""})
    )


def min_duration_minutes(*, thematic: bool = True, regular: bool = False) -> int:
    """The shortest a meeting of these natures may be under the settings.

    A thematic session, a regular meeting and a thematic session held with
    the regular meeting each have their own minimum; a meeting of both
    natures takes the longest of the three.
    """
    minimums = []
    if thematic:
        minimums.append(settings.CHIBO_MIN_SESSION_MINUTES)
    if regular:
        minimums.append(settings.CHIBO_MIN_REGULAR_MEETING_MINUTES)
    if thematic and regular:
        minimums.append(settings.CHIBO_MIN_COMBINED_SESSION_MINUTES)
    return max(minimums, default=settings.CHIBO_MIN_SESSION_MINUTES)


def shorter_than_rule(start, end, *, thematic: bool = True, regular: bool = False) -> bool:
    """Whether a time slot (end after start) lasts less than ``min_duration_minutes``."""
    if not (start and end) or end <= start:
        return False
    minimum = min_duration_minutes(thematic=thematic, regular=regular)
    return (end - start).total_seconds() // 60 < minimum


def schedule_errors(*, start, end, year, thematic=True, regular=False, held=False) -> dict:
    """What is wrong with a time slot of a meeting, by field ("start", "end").

    The end must come after the start, the length must reach the minimum of
    the settings for the meeting's natures (thematic, regular or both), and
    the date must fall in the plan's ``year``. Shared by a meeting and by
    each group's own meeting of one held group by group.

    The minimum length is a rule for planning: a meeting ``held`` is recorded
    as it happened, however long it lasted, and flagged (``is_short``).
    """
    errors = {}
    natures = {"thematic": thematic, "regular": regular}
    if start and end:
        if end <= start:
            errors["end"] = _("Giờ kết thúc phải sau giờ bắt đầu.")
        elif not held and shorter_than_rule(start, end, **natures):
            minutes = {"minutes": min_duration_minutes(**natures)}
            if thematic:
                message = _("Buổi sinh hoạt chuyên đề phải kéo dài ít nhất %(minutes)s phút.")
            else:
                message = _("Buổi sinh hoạt chi bộ định kỳ phải kéo dài ít nhất %(minutes)s phút.")
            errors["end"] = message % minutes
    if start and year is not None and timezone.localtime(start).year != year:
        errors["start"] = _("Ngày sinh hoạt phải nằm trong năm %(year)s của kế hoạch.") % {
            "year": year
        }
    return errors


class AnnualPlanQuerySet(CellQuerySet):
    def first_free_year(self, year: int) -> int:
        """The first year from ``year`` on that has no plan yet (one query)."""
        taken = set(self.filter(year__gte=year).values_list("year", flat=True))
        while year in taken:
            year += 1
        return year


class AnnualPlan(models.Model):
    """The cell's plan of thematic sessions for a year (kế hoạch sinh hoạt chuyên đề năm)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã được chi ủy thông qua")

    CELL_PATH = "cell"

    cell = models.ForeignKey(
        Organisation, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status, default=Status.DRAFT)
    approved_on = models.DateField(_("ngày thông qua"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    # The rule of the regular monthly meetings (lịch sinh hoạt chi bộ định kỳ),
    # set once for the year: "the 5th of each month at 14:00, in the meeting
    # room". A day past a month's end falls on its last day.
    regular_day = models.PositiveSmallIntegerField(
        _("ngày sinh hoạt định kỳ hằng tháng"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    regular_time = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    regular_minutes = models.PositiveSmallIntegerField(
        _("thời lượng (phút)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MEETING_MINUTES)],
    )
    regular_location = models.CharField(_("địa điểm sinh hoạt định kỳ"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnualPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("kế hoạch sinh hoạt chuyên đề năm")
        verbose_name_plural = _("kế hoạch sinh hoạt chuyên đề năm")
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "year"],
                name="plan_year_unique_in_cell",
                violation_error_message=_("Chi bộ đã có kế hoạch của năm này."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="plan_year_in_range",
                violation_error_message=_("Năm của kế hoạch không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_on__isnull=False),
                name="approved_plan_has_date",
                violation_error_message=_("Kế hoạch đã thông qua cần có ngày thông qua."),
            ),
            models.CheckConstraint(
                condition=Q(regular_day__isnull=True)
                | Q(regular_day__gte=1, regular_day__lte=31, regular_time__isnull=False),
                name="regular_rule_whole",
                violation_error_message=_(
                    "Lịch sinh hoạt định kỳ cần ngày trong tháng (1–31) và giờ bắt đầu."
                ),
            ),
        ]

    def __str__(self):
        return self.title or str(self.year)

    def get_absolute_url(self):
        return reverse("sessions:plan", args=[self.year])

    def clean(self):
        """The approval date has happened, and not before the year before the plan's.

        A plan is approved at the end of the year before, or early in its own.
        """
        day = self.approved_on
        if not day:
            return
        label = capfirst(self._meta.get_field("approved_on").verbose_name)
        if day > timezone.localdate():
            raise ValidationError(
                {"approved_on": _("%(field)s không thể ở tương lai.") % {"field": label}}
            )
        earliest = dt.date(self.year - 1, 1, 1) if self.year and valid_year(self.year) else None
        if earliest and day < earliest:
            message = _("%(field)s của kế hoạch năm %(year)s không thể trước ngày %(day)s.")
            raise ValidationError(
                {
                    "approved_on": message
                    % {"field": label, "year": self.year, "day": earliest.strftime("%d/%m/%Y")}
                }
            )

    def sessions_by_quarter(self):
        """The plan's thematic sessions in quarters 1–4, each list in date order (one query).

        Each session's ``plan`` is this plan (the related manager sets it): no join.
        """
        quarters = {quarter: [] for quarter in QUARTERS}
        for session in self.sessions.thematic().order_by("start", "pk"):
            quarters[quarter_of(session.start)].append(session)
        return quarters

    def quarters_without_session(self, by_quarter=None) -> list[int]:
        """Quarters with fewer thematic sessions than the rule asks for.

        Cancelled sessions do not count; planned, postponed and held ones do,
        in the quarter of their (possibly new) date. From ``by_quarter`` (what
        ``sessions_by_quarter`` gave) when the page has it already, else one query.
        """
        minimum = settings.CHIBO_MIN_SESSIONS_PER_QUARTER
        if by_quarter is not None:
            cancelled = ThematicSession.Status.CANCELLED
            return [
                quarter
                for quarter in QUARTERS
                if sum(s.status != cancelled for s in by_quarter.get(quarter, ())) < minimum
            ]
        counts = dict(
            self.sessions.thematic()
            .exclude(status=ThematicSession.Status.CANCELLED)
            .annotate(quarter=ExtractQuarter("start"))
            .values_list("quarter")
            .annotate(n=Count("pk"))
            .values_list("quarter", "n")
        )
        return [quarter for quarter in QUARTERS if counts.get(quarter, 0) < minimum]


def regular_meeting_title(day: dt.date) -> str:
    """A regular meeting's name, by its month: "Sinh hoạt chi bộ định kỳ tháng 5/2020"."""
    return _("Sinh hoạt chi bộ định kỳ tháng %(month)s/%(year)s") % {
        "month": day.month,
        "year": day.year,
    }


class ThematicSessionQuerySet(CellQuerySet):
    def for_year(self, year: int):
        start, end = year_bounds(year)
        return self.filter(start__gte=start, start__lt=end)

    def not_cancelled(self):
        return self.exclude(status=ThematicSession.Status.CANCELLED)

    def thematic(self):
        """Meetings that are thematic sessions, held alone or with the regular meeting."""
        return self.filter(thematic=True)

    def regular(self):
        """Meetings that are the cell's regular monthly meeting, with a thematic session or not."""
        return self.filter(regular=True)

    def held(self):
        return self.filter(status=ThematicSession.Status.HELD)

    def upcoming(self, now: dt.datetime):
        """Sessions still to come: planned or postponed, not yet over."""
        return self.filter(
            status__in=[ThematicSession.Status.PLANNED, ThematicSession.Status.POSTPONED],
            end__gte=now,
        ).order_by("start", "pk")

    def to_record(self, now: dt.datetime):
        """Sessions the secretary still has to record.

        Past sessions still marked planned or postponed (held or not, nobody
        said), and held sessions without an attendance sheet.
        """
        has_attendance = Exists(Attendance.objects.filter(session=OuterRef("pk")))
        return (
            self.alias(has_attendance=has_attendance)
            .filter(
                Q(
                    status__in=[ThematicSession.Status.PLANNED, ThematicSession.Status.POSTPONED],
                    end__lt=now,
                )
                | Q(status=ThematicSession.Status.HELD, has_attendance=False)
            )
            .order_by("start", "pk")
        )


class ThematicSession(models.Model):
    """One meeting of the cell (kỳ sinh hoạt) in the year's plan.

    A meeting has two natures, either or both: a thematic session (sinh hoạt
    chuyên đề, ``thematic``) and the cell's regular monthly meeting (sinh hoạt
    chi bộ định kỳ, ``regular``). A thematic session held with the regular
    meeting is one meeting of both natures, with one roll call. The class
    keeps its first name, from when every meeting was a thematic session:
    permissions, history and addresses rest on it (docs/development.md).

    A meeting held group by group (theo tổ) is still one meeting: each group
    meets separately on the same topic, described by a GroupMeeting.
    """

    CELL_PATH = "plan__cell"

    class Scope(models.TextChoices):
        CELL = "cell", _("Toàn chi bộ")
        GROUPS = "groups", _("Theo tổ Đảng")

    class Format(models.TextChoices):
        PRESENTATION = "presentation", _("Thuyết trình và thảo luận")
        SEMINAR = "seminar", _("Tọa đàm, hội thảo")
        CONTEST = "contest", _("Hội thi, sân khấu hóa")
        FIELD_VISIT = "field_visit", _("Tham quan thực tế")
        ONLINE = "online", _("Trực tuyến")
        OTHER = "other", _("Hình thức khác")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Theo kế hoạch")
        HELD = "held", _("Đã tổ chức")
        POSTPONED = "postponed", _("Hoãn")
        CANCELLED = "cancelled", _("Hủy")

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="sessions"
    )
    thematic = models.BooleanField(_("sinh hoạt chuyên đề"), default=True)
    # Blank only for a regular meeting that is not a thematic session.
    topic = models.CharField(_("chuyên đề"), max_length=255, blank=True)
    description = models.TextField(_("nội dung"), blank=True)
    scope = models.CharField(_("phạm vi"), max_length=20, choices=Scope, default=Scope.CELL)
    format = models.CharField(
        _("hình thức"), max_length=20, choices=Format, default=Format.PRESENTATION
    )
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"))
    location = models.CharField(_("địa điểm"), max_length=255, blank=True)
    preparer = models.ForeignKey(
        Member,
        verbose_name=_("người chuẩn bị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outside_speaker = models.CharField(_("báo cáo viên ngoài chi bộ"), max_length=200, blank=True)
    presiding = models.ForeignKey(
        Member,
        verbose_name=_("chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    minute_taker = models.ForeignKey(
        Member,
        verbose_name=_("thư ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    regular = models.BooleanField(_("sinh hoạt chi bộ định kỳ"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status, default=Status.PLANNED
    )
    status_reason = models.TextField(_("lý do hoãn, hủy"), blank=True)
    draft_approved_on = models.DateField(_("ngày duyệt dự thảo"), null=True, blank=True)
    draft_sent_at = models.DateTimeField(_("ngày gửi dự thảo cho đảng viên"), null=True, blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    minutes = models.TextField(_("biên bản"), blank=True)
    guest_count = models.PositiveIntegerField(
        _("số quần chúng, khách mời"),
        default=0,
        validators=[
            MaxValueValidator(MAX_GUESTS, _("Số quần chúng, khách mời tối đa là %(limit_value)s."))
        ],
    )
    guest_names = models.TextField(_("tên quần chúng, khách mời"), blank=True)
    # The vote on a resolution, when the session adopted one (biên bản).
    votes_for, votes_against, votes_abstain = vote_fields().values()
    # Who gave the prizes of a staged contest, as the minutes name them.
    prizes_presented_by = models.CharField(_("người trao giải"), max_length=200, blank=True)
    grade = models.CharField(_("xếp loại"), max_length=20, choices=Grade, blank=True)
    score = models.DecimalField(
        _("điểm chất lượng"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    # The grading scheme (sessions/grading.py) the criteria were scored under;
    # blank for a session graded before criteria, whose score and grade stand.
    grading_scheme = models.CharField(_("thang điểm"), max_length=40, blank=True)
    # Raised by every save of the attendance sheet, so that a second person
    # saving a stale copy of the sheet is told instead of overwriting.
    attendance_version = models.PositiveIntegerField(default=0, editable=False)
    # The iCalendar SEQUENCE of the session: raised by every edit, postponement
    # and cancellation, so that a subscribed calendar takes the new version.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ThematicSessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("kỳ sinh hoạt")
        verbose_name_plural = _("kỳ sinh hoạt")
        permissions = [("view_summary", _("Xem tổng hợp, báo cáo sinh hoạt chuyên đề"))]
        indexes = [models.Index(fields=["status", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="session_ends_after_start",
                violation_error_message=_("Giờ kết thúc phải sau giờ bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(preparer__isnull=True) | Q(outside_speaker=""),
                name="session_one_preparer",
                violation_error_message=_(
                    "Chọn một người chuẩn bị trong chi bộ hoặc ghi báo cáo viên ngoài chi bộ, "
                    "không chọn cả hai."
                ),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0),
                name="session_score_not_negative",
                violation_error_message=_("Điểm chất lượng không được âm."),
            ),
            vote_constraint("session_vote_whole"),
            models.CheckConstraint(
                condition=Q(thematic=True) | Q(regular=True),
                name="meeting_has_a_nature",
                violation_error_message=_(
                    "Kỳ sinh hoạt phải là sinh hoạt chuyên đề, sinh hoạt định kỳ, hoặc cả hai."
                ),
            ),
            models.CheckConstraint(
                condition=Q(thematic=False) | ~Q(topic=""),
                name="thematic_session_has_topic",
                violation_error_message=_("Sinh hoạt chuyên đề cần có tên chuyên đề."),
            ),
        ]

    def __str__(self):
        if self.topic:
            return self.topic
        return self.regular_title

    def get_absolute_url(self):
        return reverse("sessions:detail", args=[self.pk])

    @property
    def regular_title(self) -> str:
        """The regular meeting's name in the minutes: "Sinh hoạt chi bộ định kỳ tháng 5/2020"."""
        if self.start is None:  # a new meeting whose form is shown again
            return _("Sinh hoạt chi bộ định kỳ")
        return regular_meeting_title(self.day)

    @property
    def natures(self) -> dict:
        """``thematic`` and ``regular``, as the rules on length take them."""
        return {"thematic": self.thematic, "regular": self.regular}

    @property
    def kind_label(self) -> str:
        """What kind of meeting it is, as lists and the calendar mark it."""
        if self.thematic and self.regular:
            return _("Định kỳ và chuyên đề")
        if self.regular:
            return _("Sinh hoạt định kỳ")
        return _("Sinh hoạt chuyên đề")

    @property
    def quarter(self) -> int:
        return quarter_of(self.start)

    @property
    def day(self) -> dt.date:
        """The session's date in the cell's time zone: the day the roster is taken."""
        return timezone.localdate(self.start)

    @property
    def is_by_group(self) -> bool:
        return self.scope == self.Scope.GROUPS

    @property
    def preparer_name(self) -> str:
        return str(self.preparer) if self.preparer_id else self.outside_speaker

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def min_minutes(self) -> int:
        """The shortest the session (or each group's meeting) should last, by the rule."""
        return min_duration_minutes(**self.natures)

    @property
    def short_meetings(self) -> list["GroupMeeting"]:
        """Group by group: the groups' meetings shorter than the rule (uses a prefetch)."""
        if not self.is_by_group:
            return []
        return [
            meeting
            for meeting in self.group_meetings.all()
            if shorter_than_rule(meeting.start, meeting.end, **self.natures)
        ]

    @property
    def is_short(self) -> bool:
        """Shorter than the rule asks: the session, or one group's meeting if held by group."""
        if self.is_by_group:
            return bool(self.short_meetings)
        return shorter_than_rule(self.start, self.end, **self.natures)

    def clean(self):
        plan_year = self.plan.year if self.plan_id else None
        errors = schedule_errors(
            start=self.start,
            end=self.end,
            year=plan_year,
            **self.natures,
            held=self.is_held,
        )
        if self.preparer_id and self.outside_speaker:
            errors["outside_speaker"] = _(
                "Chọn một người chuẩn bị trong chi bộ hoặc ghi báo cáo viên ngoài chi bộ, "
                "không chọn cả hai."
            )
        if errors:
            raise ValidationError(errors)

    def cell_members(self):
        """Members of the session's cell, reached through its plan without reading it."""
        plan_cell = AnnualPlan.objects.filter(pk=self.plan_id).values("cell")[:1]
        return Member.objects.of_cell(plan_cell)

    def expected_members(self):
        """Members of its cell expected at this session, from the member list as of its date."""
        return self.cell_members().expected_on(self.day)

    def possible_temporaries(self):
        """Members of the session's cell attending temporarily from another on its day."""
        day = self.day
        return self.cell_members().filter(
            Q(temporary=True, joined_cell_on__lte=day),
            Q(left_cell_on__isnull=True) | Q(left_cell_on__gt=day),
        )

    def roster(self) -> Roster:
        """The attendance sheet's lines, in three queries whatever the cell's size.

        Once the sheet is saved, its rows are the saved ones, each with the
        group it was saved with: the snapshot, never rewritten. Members the
        rules would expect today but who are not on it (imported later with
        an earlier date, say) are ``missing``, for the secretary to add by
        choice. A sheet never saved lists every expected member, with their
        current group. Sorted by group, then name. Also returns the members
        attending temporarily from another cell who could be on the sheet,
        each with whether they are.
        """
        saved = list(self.attendances.select_related("member", "group"))
        on_sheet = {row.member_id for row in saved}
        rows = [RosterRow(row.member, row.group, row) for row in saved if not row.temporary]
        others = [
            RosterRow(member, member.group)
            for member in self.expected_members().select_related("group")
            if member.pk not in on_sheet
        ]
        missing = []
        if saved or self.attendance_version:
            missing = others
        else:
            rows = others
        for lines in (rows, missing):
            lines.sort(
                key=lambda row: (
                    row.group is None,
                    row.group.order if row.group else 0,
                    row.group.name if row.group else "",
                    row.member.sort_name,
                )
            )
        present = {row.member_id for row in saved if row.temporary}
        day = self.day
        temporaries = self.cell_members().filter(
            Q(temporary=True, joined_cell_on__lte=day)
            & (Q(left_cell_on__isnull=True) | Q(left_cell_on__gt=day))
            | Q(pk__in=present),
            cell=self.plan.cell_id,
        )
        return Roster(rows, missing, [(member, member.pk in present) for member in temporaries])

    @property
    def postponement(self) -> "Postponement | None":
        """The latest postponement while the session is postponed (uses a prefetch)."""
        if self.status != self.Status.POSTPONED:
            return None
        postponements = list(self.postponements.all())
        return postponements[-1] if postponements else None

    @property
    def awaits_new_date(self) -> bool:
        """Postponed without a new date yet: its start is still the old one."""
        postponement = self.postponement
        return postponement is not None and postponement.new_start is None

    def attendance_figures(self) -> AttendanceFigures:
        return AttendanceFigures.from_row(self.attendances.figures())

    def schedule_for(self, member: Member | None) -> Schedule:
        """The time and place that concern ``member`` (prefetch group_meetings)."""
        if self.is_by_group and member is not None:
            meeting = self.meeting_for(member.group_id)
            if meeting is not None:
                return Schedule(
                    start=meeting.start,
                    end=meeting.end,
                    location=meeting.location or self.location,
                    presiding=meeting.presiding,
                    group=meeting.group,
                )
        return Schedule(
            start=self.start, end=self.end, location=self.location, presiding=self.presiding
        )

    def meeting_for(self, group_id):
        """The group's own meeting, for a session held group by group."""
        for meeting in self.group_meetings.all():
            if meeting.group_id == group_id:
                return meeting
        return None


class GroupMeeting(models.Model):
    """A group's own meeting for a session held group by group."""

    CELL_PATH = "session__plan__cell"

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.CASCADE,
        related_name="group_meetings",
    )
    group = models.ForeignKey(
        PartyGroup, verbose_name=_("tổ Đảng"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"))
    location = models.CharField(_("địa điểm"), max_length=255, blank=True)
    presiding = models.ForeignKey(
        Member,
        verbose_name=_("chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Each group keeps its own minutes: its minute-taker, what was presented,
    # its conclusion and its vote.
    minute_taker = models.ForeignKey(
        Member,
        verbose_name=_("thư ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("nội dung trình bày"), blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    votes_for, votes_against, votes_abstain = vote_fields().values()

    objects = CellQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "group__order", "group__name"]
        verbose_name = _("buổi sinh hoạt của tổ")
        verbose_name_plural = _("buổi sinh hoạt của tổ")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "group"],
                name="one_meeting_per_group",
                violation_error_message=_("Tổ này đã có lịch sinh hoạt cho kỳ này."),
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="group_meeting_ends_after_start",
                violation_error_message=_("Giờ kết thúc phải sau giờ bắt đầu."),
            ),
            vote_constraint("group_meeting_vote_whole"),
        ]

    def __str__(self):
        return f"{self.session} — {self.group}"

    def clean(self):
        # A meeting being added with a new session has its session in memory only.
        session = getattr(self, "session", None)
        errors = schedule_errors(
            start=self.start,
            end=self.end,
            year=session.plan.year if session is not None and session.plan_id else None,
            **(session.natures if session is not None else {}),
            held=session is not None and session.is_held,
        )
        if errors:
            raise ValidationError(errors)


class Speech(models.Model):
    """What one speaker said in a session's discussion, as the minutes record it.

    The speaker is a member of the cell or a guest named as typed. In a
    session held group by group, a speech belongs to its group's meeting,
    whose own minutes list it.
    """

    CELL_PATH = "session__plan__cell"

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.PROTECT,
        related_name="speeches",
    )
    group_meeting = models.ForeignKey(
        GroupMeeting,
        verbose_name=_("buổi sinh hoạt của tổ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="speeches",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("đảng viên phát biểu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    speaker_name = models.CharField(_("hoặc khách mời phát biểu"), max_length=200, blank=True)
    content = models.TextField(_("ý kiến phát biểu"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = CellQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "group_meeting", "order", "pk"]
        verbose_name = _("ý kiến phát biểu")
        verbose_name_plural = _("ý kiến phát biểu")
        constraints = [
            models.CheckConstraint(
                condition=member_or_name("member", "speaker_name"),
                name="speech_by_member_or_named_guest",
                violation_error_message=_(
                    "Người phát biểu là một đảng viên hoặc một khách mời có tên."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(content=""),
                name="speech_has_content",
                violation_error_message=_("Ghi ý kiến phát biểu."),
            ),
        ]

    def __str__(self):
        return f"{self.speaker}: {self.content[:40]}"

    @property
    def speaker(self) -> str:
        return str(self.member) if self.member_id else self.speaker_name


def figure_counts() -> dict:
    """How attendance rows are counted, everywhere Chibo counts them.

    ``expected``, ``present``, ``excused``, ``unexcused``: the figures of
    ``AttendanceFigures``, which never include members attending temporarily
    from another cell; those are counted apart, as ``temporary``.
    """
    counted = Q(temporary=False)
    status = Attendance.Status
    return {
        "expected": Count("pk", filter=counted),
        "present": Count("pk", filter=counted & Q(status=status.PRESENT)),
        "excused": Count("pk", filter=counted & Q(status=status.EXCUSED)),
        "unexcused": Count("pk", filter=counted & Q(status=status.UNEXCUSED)),
        "temporary": Count("pk", filter=~counted),
    }


def longest_run(statuses) -> int:
    """The most absences (excused or not) in a row in ``statuses``, taken in session order."""
    longest = run = 0
    for status in statuses:
        run = run + 1 if status in ABSENT else 0
        longest = max(longest, run)
    return longest


def too_many_in_a_row(run: int) -> bool:
    """More absences in a row than the rule allows (``CHIBO_MAX_ABSENCES_IN_A_ROW``)."""
    return run > settings.CHIBO_MAX_ABSENCES_IN_A_ROW


class AttendanceQuerySet(CellQuerySet):
    def counted(self):
        """Rows that count in a rate: not members attending temporarily."""
        return self.filter(temporary=False)

    def for_year(self, year: int, *, thematic: bool = False):
        """Rows of the meetings of ``year``; of its thematic sessions only if ``thematic``.

        Through a subquery on the year's sessions, so that the database finds
        the rows by the session index instead of reading the attendance of
        every year (SQLite did, through a join on the session's date).
        """
        sessions = ThematicSession.objects.for_year(year)
        if thematic:
            sessions = sessions.thematic()
        return self.filter(session__in=sessions.values("pk"))

    def figures(self) -> dict:
        """The counts of ``figure_counts()`` over these rows, in one query."""
        return self.aggregate(**figure_counts())

    def figures_by(self, *fields):
        """The counts of ``figure_counts()`` per value of ``fields`` (``"group"``, ``"member"``…).

        A value whose rows are all of members attending temporarily comes
        with ``expected`` 0: callers that list values call ``counted()`` first.
        """
        return self.values(*fields).order_by(*fields).annotate(**figure_counts())


class Attendance(models.Model):
    """One member's attendance at a held session: a row of the roster snapshot.

    Rows are written when the attendance sheet is saved, with the member's
    group at that time, so later moves and departures never rewrite history.
    """

    CELL_PATH = "session__plan__cell"

    class Status(models.TextChoices):
        PRESENT = "present", _("Có mặt")
        EXCUSED = "excused", _("Vắng có lý do")
        UNEXCUSED = "unexcused", _("Vắng không có lý do")

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="attendances"
    )
    group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("tổ Đảng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("điểm danh"), max_length=20, choices=Status, default=Status.PRESENT)
    reason = models.CharField(_("lý do vắng"), max_length=255, blank=True)
    # Sinh hoạt tạm thời: recorded, never counted in this cell's rates.
    temporary = models.BooleanField(_("sinh hoạt tạm thời"), default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    objects = AttendanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "member__sort_name"]
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        indexes = [models.Index(fields=["member", "session"])]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                name="one_attendance_per_member",
                violation_error_message=_("Đảng viên này đã được điểm danh ở kỳ sinh hoạt này."),
            ),
            models.CheckConstraint(
                condition=~Q(status="excused") | ~Q(reason=""),
                name="excused_absence_has_reason",
                violation_error_message=_("Vắng có lý do thì cần ghi lý do."),
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.session}: {self.get_status_display()}"


# The statuses of an absence, excused or not: what a run of absences is made of.
ABSENT = (Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED)


class CriterionScore(models.Model):
    """The points a held session scored on one criterion of its grading scheme.

    The session's total and grade are computed from these rows and stored on
    the session in the same transaction (``services.grade_session``).
    """

    CELL_PATH = "session__plan__cell"

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.PROTECT,
        related_name="criterion_scores",
    )
    criterion = models.CharField(_("tiêu chí"), max_length=40)
    points = models.DecimalField(_("điểm"), max_digits=5, decimal_places=1)

    objects = CellQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("điểm theo tiêu chí")
        verbose_name_plural = _("điểm theo tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "criterion"],
                name="one_score_per_criterion",
                violation_error_message=_("Tiêu chí này đã có điểm ở kỳ sinh hoạt này."),
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="criterion_points_not_negative",
                violation_error_message=_("Điểm không được âm."),
            ),
        ]

    def __str__(self):
        return f"{self.session} — {self.criterion}: {self.points}"


class Postponement(models.Model):
    """A record that a session was moved, kept when it is moved again or held."""

    CELL_PATH = "session__plan__cell"

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.CASCADE,
        related_name="postponements",
    )
    previous_start = models.DateTimeField(_("thời gian cũ"))
    new_start = models.DateTimeField(_("thời gian mới"), null=True, blank=True)
    reason = models.TextField(_("lý do"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CellQuerySet.as_manager()

    class Meta:
        ordering = ["session", "created_at", "pk"]
        verbose_name = _("lần hoãn")
        verbose_name_plural = _("các lần hoãn")

    def __str__(self):
        return f"{self.session}: {self.previous_start:%d/%m/%Y}"


class Document(models.Model):
    """A document members read for a session: the draft, slides, a directive…"""

    CELL_PATH = "session__plan__cell"

    class Kind(models.TextChoices):
        DRAFT = "draft", _("Dự thảo, đề dẫn")
        DIRECTIVE = "directive", _("Chỉ thị")
        RESOLUTION = "resolution", _("Nghị quyết")
        GUIDANCE = "guidance", _("Hướng dẫn")
        SLIDES = "slides", _("Bài trình chiếu")
        OTHER = "other", _("Tài liệu khác")

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("tên tài liệu"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind, default=Kind.OTHER)
    file = models.FileField(_("tệp"), upload_to="documents/%Y/", blank=True)
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CellQuerySet.as_manager()

    class Meta:
        ordering = ["session", "kind", "title"]
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="document_file_or_link",
                violation_error_message=_("Tài liệu cần có một tệp hoặc một đường dẫn."),
            ),
        ]

    def __str__(self):
        return self.title


class Photo(models.Model):
    """A photo of a session, with its caption."""

    CELL_PATH = "session__plan__cell"

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(_("ảnh"), upload_to="photos/%Y/")
    thumbnail = models.ImageField(_("ảnh thu nhỏ"), upload_to="photos/thumbs/%Y/", blank=True)
    caption = models.CharField(_("chú thích"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CellQuerySet.as_manager()

    class Meta:
        ordering = ["session", "created_at", "pk"]
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")

    def __str__(self):
        return self.caption or f"{self.session} #{self.pk}"


class ContestTeam(models.Model):
    """A team representing a party group in a staged contest."""

    CELL_PATH = "session__plan__cell"

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.PROTECT,
        related_name="contest_teams",
    )
    group = models.ForeignKey(
        PartyGroup, verbose_name=_("tổ Đảng"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên đội"), max_length=150, blank=True)
    score = models.DecimalField(
        _("điểm"),
        max_digits=7,
        decimal_places=1,
        default=0,
        validators=[MaxValueValidator(MAX_TEAM_SCORE, _("Điểm tối đa là %(limit_value)s."))],
    )
    rank = models.PositiveSmallIntegerField(
        _("xếp hạng"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_RANK, _("Xếp hạng tối đa là %(limit_value)s."))],
    )
    # A rank typed by the secretary (a tie broken by hand); the others follow the scores.
    rank_by_hand = models.BooleanField(default=False, editable=False)

    objects = CellQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "rank", "-score", "group__order"]
        verbose_name = _("đội thi")
        verbose_name_plural = _("đội thi")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "group"],
                name="one_team_per_group",
                violation_error_message=_("Mỗi tổ chỉ có một đội thi."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0),
                name="team_score_not_negative",
                violation_error_message=_("Điểm không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1),
                name="team_rank_from_one",
                violation_error_message=_("Xếp hạng bắt đầu từ 1."),
            ),
        ]

    def __str__(self):
        return self.name or str(self.group)


class Award(models.Model):
    """A prize given at a staged contest, to a member or to a named guest."""

    CELL_PATH = "session__plan__cell"

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    prize = models.CharField(_("giải thưởng"), max_length=150)
    member = models.ForeignKey(
        Member,
        verbose_name=_("đảng viên đạt giải"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    guest_name = models.CharField(_("khách mời, quần chúng đạt giải"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = CellQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = _("giải thưởng")
        verbose_name_plural = _("giải thưởng")
        constraints = [
            models.CheckConstraint(
                condition=member_or_name("member", "guest_name"),
                name="award_to_member_or_guest",
                violation_error_message=_(
                    "Giải thưởng trao cho một đảng viên hoặc một khách mời có tên."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.prize}: {self.winner_name}"

    @property
    def winner_name(self) -> str:
        return str(self.member) if self.member_id else self.guest_name


class Reminder(models.Model):
    """An email that ``send_reminders`` sent, so that no run sends it twice.

    A member is reminded once per session and start time: a session postponed
    to a new date is announced again. The secretary is reminded once per
    session whose attendance is still to record.
    """

    CELL_PATH = "session__plan__cell"

    class Kind(models.TextChoices):
        SESSION = "session", _("Nhắc lịch sinh hoạt")
        ATTENDANCE = "attendance", _("Nhắc ghi điểm danh")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind)
    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("đảng viên"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The start the reminder announced: the member's own group meeting for a
    # session held group by group.
    starts_at = models.DateTimeField(_("thời gian đã báo"), null=True, blank=True)
    email = models.EmailField(_("gửi tới"))
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    objects = CellQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("thư nhắc")
        verbose_name_plural = _("thư nhắc")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member", "starts_at"],
                condition=Q(kind="session"),
                name="one_session_reminder_per_member_and_start",
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(kind="attendance"),
                name="one_attendance_reminder_per_user",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="session", member__isnull=False, starts_at__isnull=False)
                    | Q(kind="attendance", user__isnull=False)
                ),
                name="reminder_has_its_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.session} → {self.email}"


class SubmissionQuerySet(CellQuerySet):
    def of(self, kind: str, year: int):
        """The sendings of one document: ``kind``'s of ``year``."""
        return self.filter(kind=kind, year=year)

    def in_order_sent(self):
        """The order they were sent in (row ids grow with each sending), first first."""
        return self.order_by("pk")

    def last_sent(self) -> "Submission | None":
        """The sending that counts: the last one sent."""
        return self.in_order_sent().last()

    def listed(self):
        """Without the frozen document, for lists and the committee's reader."""
        return self.defer("body")


class Submission(models.Model):
    """A plan or an annual report a cell sent to its superior committee, frozen as sent.

    What was sent is kept as it was: the printable document (HTML), its
    figures (JSON), its number and its date. Nothing is recounted: a sheet
    corrected later changes the live pages, never this. A cell may send
    again (a correction): every sending is kept, the latest one counts. The
    database refuses to change a row (a trigger, thematic/0010) and to give
    a number twice in a cell and a year.

    A row ``typed_by_hand`` is a date the secretary typed before Chibo sent
    anything (the plan's former "reported to the superior committee" date,
    thematic/0011): a date only, no number, no content.
    """

    class Kind(models.TextChoices):
        PLAN = "plan", pgettext_lazy("document", "Kế hoạch sinh hoạt chuyên đề")
        REPORT = "report", pgettext_lazy("document", "Báo cáo kết quả sinh hoạt chuyên đề")

    CELL_PATH = "cell"
    # The symbol of each kind in a document's number (Hướng dẫn 36-HD/VPTW):
    # 3-KH/CB is the cell's third document of the year, a plan (kế hoạch).
    SYMBOLS = {Kind.PLAN: "KH", Kind.REPORT: "BC"}
    # The issuer's part of the number when the cell's profile leaves it empty.
    DEFAULT_PREFIX = "CB"

    cell = models.ForeignKey(
        Organisation, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="submissions"
    )
    kind = models.CharField(_("loại văn bản"), max_length=10, choices=Kind)
    year = models.PositiveSmallIntegerField(_("năm"))
    # The document's number, counted per cell in the year of its date (dated_on).
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The number as written on the document, with the profile's symbol of that day.
    reference = models.CharField(_("số và ký hiệu"), max_length=50, blank=True)
    dated_on = models.DateField(_("ngày văn bản"))
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The sender's name as it was: kept when the login is deleted or renamed.
    sent_by_name = models.CharField(_("người gửi"), max_length=150, blank=True)
    body = models.TextField(_("văn bản đã gửi"), blank=True)
    figures = models.JSONField(_("số liệu đã gửi"), default=dict, blank=True)
    typed_by_hand = models.BooleanField(_("ngày do chi bộ tự ghi"), default=False)

    objects = SubmissionQuerySet.as_manager()
    # A row never changes: its history records who sent it and when, without
    # a second copy of the document.
    history = HistoricalRecords(excluded_fields=["body", "figures"])

    class Meta:
        ordering = ["cell", "year", "kind", "pk"]
        verbose_name = _("văn bản gửi cấp ủy cấp trên")
        verbose_name_plural = _("văn bản gửi cấp ủy cấp trên")
        indexes = [models.Index(fields=["year", "cell", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "number_year", "number"],
                name="submission_number_unique_in_cell_and_year",
                violation_error_message=_("Số văn bản này chi bộ đã dùng trong năm."),
            ),
            models.CheckConstraint(
                condition=Q(
                    typed_by_hand=True,
                    number__isnull=True,
                    number_year__isnull=True,
                    sent_at__isnull=True,
                )
                | (
                    Q(
                        typed_by_hand=False,
                        number__gte=1,
                        number_year__isnull=False,
                        sent_at__isnull=False,
                    )
                    & ~Q(reference="")
                ),
                name="submission_sent_with_a_number_or_typed",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["plan", "report"]),
                name="submission_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="submission_year_in_range",
            ),
        ]

    def __str__(self):
        if self.reference:
            return f"{self.reference} — {self.title}"
        return self.title

    def get_absolute_url(self):
        return reverse("sessions:sent", args=[self.pk])

    @classmethod
    def reference_for(cls, number: int | str, kind: str, prefix: str) -> str:
        """The number and symbol as a document writes them: ``3-KH/CB`` (``…-KH/CB`` unissued)."""
        return f"{number}-{cls.SYMBOLS[kind]}/{prefix or cls.DEFAULT_PREFIX}"

    @property
    def title(self) -> str:
        """The document's name with its year, in the active language."""
        return _("%(kind)s năm %(year)s") % {"kind": self.get_kind_display(), "year": self.year}

    @property
    def sent_on(self) -> dt.date:
        """The day it reached the committee: the day sent, or the date typed by hand."""
        if self.sent_at is None:
            return self.dated_on
        return timezone.localdate(self.sent_at)


class ReportText(models.Model):
    """What the secretary writes into a year's annual report; Chibo writes the figures.

    The assessment (ưu điểm, hạn chế, nguyên nhân) and the direction for the
    next year (phương hướng, nhiệm vụ), one per cell and year: kept with the
    report whether or not the year has a plan, and printed in the live report
    and in every copy sent up (frozen there as sent).
    """

    CELL_PATH = "cell"
    # The fields in the order the report prints them.
    SECTIONS = ("strengths", "weaknesses", "causes", "direction")

    cell = models.ForeignKey(
        Organisation, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    strengths = models.TextField(_("ưu điểm"), blank=True)
    weaknesses = models.TextField(_("hạn chế"), blank=True)
    causes = models.TextField(_("nguyên nhân"), blank=True)
    direction = models.TextField(_("phương hướng, nhiệm vụ năm tới"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CellQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phần đánh giá của báo cáo năm")
        verbose_name_plural = _("phần đánh giá của báo cáo năm")
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "year"],
                name="report_text_unique_in_cell",
                violation_error_message=_("Chi bộ đã có phần đánh giá của báo cáo năm này."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="report_text_year_in_range",
            ),
        ]

    def __str__(self):
        return _("Đánh giá, phương hướng năm %(year)s") % {"year": self.year}


class ResolutionTaskQuerySet(CellQuerySet):
    def open_before(self, moment: dt.datetime):
        """Tasks decided before ``moment`` and not reviewed as done by a meeting before it.

        The tasks the next meeting reviews: a task carries over, meeting after
        meeting, until a review closes it.
        """
        closed = TaskReview.objects.filter(
            task=OuterRef("pk"),
            outcome=TaskReview.Outcome.DONE,
            session__start__lt=moment,
        )
        return (
            self.filter(session__start__lt=moment)
            .exclude(session__status=ThematicSession.Status.CANCELLED)
            .exclude(Exists(closed))
        )

    def open(self):
        """Tasks no review has closed yet."""
        closed = TaskReview.objects.filter(task=OuterRef("pk"), outcome=TaskReview.Outcome.DONE)
        return self.exclude(session__status=ThematicSession.Status.CANCELLED).exclude(
            Exists(closed)
        )


class ResolutionTask(models.Model):
    """One task of a meeting's resolution (nghị quyết tháng): what, who, by when.

    Decided by one meeting, usually the regular monthly one; each later
    meeting reviews it (``TaskReview``) until one finds it done.
    """

    CELL_PATH = "session__plan__cell"

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt ra nghị quyết"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    content = models.TextField(_("nhiệm vụ"))
    responsible = models.ForeignKey(
        Member,
        verbose_name=_("đảng viên phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    # A task given to a group, the cell's committee or someone outside the
    # member list: the minutes name them as written.
    responsible_name = models.CharField(_("hoặc bộ phận phụ trách"), max_length=200, blank=True)
    due_on = models.DateField(_("thời hạn"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResolutionTaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = _("nhiệm vụ trong nghị quyết")
        verbose_name_plural = _("nhiệm vụ trong nghị quyết")
        constraints = [
            models.CheckConstraint(
                condition=member_or_name("responsible", "responsible_name"),
                name="task_one_responsible",
                violation_error_message=_(
                    "Chọn một đảng viên phụ trách hoặc ghi bộ phận phụ trách, không chọn cả hai."
                ),
            ),
        ]

    def __str__(self):
        return self.content

    @property
    def responsible_label(self) -> str:
        return str(self.responsible) if self.responsible_id else self.responsible_name


class TaskReview(models.Model):
    """A meeting's review of a task of an earlier resolution: done, late or not done."""

    CELL_PATH = "session__plan__cell"

    class Outcome(models.TextChoices):
        DONE = "done", _("Đã hoàn thành")
        LATE = "late", _("Chậm tiến độ")
        NOT_DONE = "not_done", _("Chưa thực hiện")

    task = models.ForeignKey(
        ResolutionTask,
        verbose_name=_("nhiệm vụ"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt kiểm điểm"),
        on_delete=models.PROTECT,
        related_name="task_reviews",
    )
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome)
    note = models.TextField(_("ghi chú"), blank=True)
    reviewed_at = models.DateTimeField(auto_now=True)

    objects = CellQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "task__order", "task"]
        verbose_name = _("kiểm điểm nhiệm vụ")
        verbose_name_plural = _("kiểm điểm nhiệm vụ")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "session"],
                name="one_review_per_task_and_meeting",
                violation_error_message=_("Nhiệm vụ này đã được kiểm điểm ở kỳ sinh hoạt này."),
            ),
        ]

    def __str__(self):
        return f"{self.task} — {self.get_outcome_display()}"


class CheckIn(models.Model):
    """A member who checked themselves in at a session by scanning its QR code.

    Only a hint for the secretary's attendance sheet, which stays the record:
    Attendance rows are written by the sheet's save alone.
    """

    CELL_PATH = "session__plan__cell"

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.CASCADE,
        related_name="check_ins",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        GroupMeeting,
        verbose_name=_("buổi sinh hoạt của tổ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"))

    objects = CellQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("tự điểm danh")
        verbose_name_plural = _("tự điểm danh")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                name="one_check_in_per_member",
                violation_error_message=_("Đồng chí đã tự điểm danh kỳ sinh hoạt này."),
            ),
        ]

    def __str__(self):
        return f"{self.member} @ {self.session}"


class ReadConfirmation(models.Model):
    """A member's word that they read the session's draft and documents."""

    CELL_PATH = "session__plan__cell"

    session = models.ForeignKey(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.CASCADE,
        related_name="read_confirmations",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("lúc"))

    objects = CellQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("xác nhận đã đọc tài liệu")
        verbose_name_plural = _("xác nhận đã đọc tài liệu")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                name="one_read_confirmation_per_member",
                violation_error_message=_("Đồng chí đã xác nhận đọc tài liệu."),
            ),
        ]

    def __str__(self):
        return f"{self.member} ✓ {self.session}"


class SessionFigures(models.Model):
    """The attendance figures of one held meeting, kept, not recounted.

    One row per held meeting (none for a meeting planned, postponed or
    cancelled), written by ``sessions.figures.refresh_figures`` in the
    transaction of every write that changes it: the figures are those of
    ``figure_counts()`` over the meeting's attendance rows, its guests, and
    what the roll-ups group it by (cell, year of its date, kinds). A meeting
    held group by group has one row: it is one meeting, each member counted
    once; the groups' figures are counted from the attendance rows.
    ``manage.py recount`` checks every row against a recount.
    """

    CELL_PATH = "cell"

    session = models.OneToOneField(
        ThematicSession,
        verbose_name=_("kỳ sinh hoạt"),
        on_delete=models.CASCADE,
        related_name="kept_figures",
    )
    cell = models.ForeignKey(
        Organisation, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    thematic = models.BooleanField(_("sinh hoạt chuyên đề"))
    regular = models.BooleanField(_("sinh hoạt chi bộ định kỳ"))
    expected = models.PositiveIntegerField(_("số phải dự"), default=0)
    present = models.PositiveIntegerField(_("số có mặt"), default=0)
    excused = models.PositiveIntegerField(_("số vắng có lý do"), default=0)
    unexcused = models.PositiveIntegerField(_("số vắng không có lý do"), default=0)
    temporary = models.PositiveIntegerField(_("số sinh hoạt tạm thời"), default=0)
    guests = models.PositiveIntegerField(_("số quần chúng, khách mời"), default=0)

    objects = CellQuerySet.as_manager()

    FIGURES = ("expected", "present", "excused", "unexcused", "temporary", "guests")
    KEYS = ("cell_id", "year", "thematic", "regular")

    class Meta:
        ordering = ["session"]
        verbose_name = _("số liệu kỳ sinh hoạt")
        verbose_name_plural = _("số liệu kỳ sinh hoạt")
        indexes = [models.Index(fields=["cell", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    expected__gte=0,
                    present__gte=0,
                    excused__gte=0,
                    unexcused__gte=0,
                    temporary__gte=0,
                    guests__gte=0,
                ),
                name="session_figures_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    expected=models.F("present") + models.F("excused") + models.F("unexcused")
                ),
                name="session_figures_add_up",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="session_figures_year_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.session_id}: {self.present}/{self.expected}"

    @property
    def figures(self) -> AttendanceFigures:
        return AttendanceFigures(self.expected, self.present, self.excused, self.unexcused)


class MemberYearFigures(models.Model):
    """A member's attendance figures for a year in a cell, kept, not recounted.

    One row per member with a counted attendance row (not attending
    temporarily) at a meeting of the cell in the year; a member who moved
    between cells has a row in each. The figures are those of the summary's
    member table (``summaries.member_rows``): the thematic sessions' expected,
    present and absences (excused, unexcused), the longest run of absences at
    thematic sessions reaching into the year (counted across the turn of the
    year, as ``summaries.longest_absence_runs``), and the months with an
    unexcused absence at any meeting (``sessions.removal``). The flags are the
    settings' thresholds applied to these numbers when a page is shown (too
    many unexcused, too many in a row, removal): a change of the settings
    needs no recount. Written by ``sessions.figures.refresh_figures`` in the
    transaction of every write that changes it; ``manage.py recount`` checks.
    """

    CELL_PATH = "cell"

    cell = models.ForeignKey(
        Organisation, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    expected = models.PositiveIntegerField(_("số phải dự"), default=0)
    present = models.PositiveIntegerField(_("số có mặt"), default=0)
    absent = models.PositiveIntegerField(_("số vắng"), default=0)
    excused = models.PositiveIntegerField(_("số vắng có lý do"), default=0)
    unexcused = models.PositiveIntegerField(_("số vắng không có lý do"), default=0)
    longest_run = models.PositiveIntegerField(_("số lần vắng liên tiếp nhiều nhất"), default=0)
    months_unexcused = models.PositiveSmallIntegerField(
        _("số tháng vắng không có lý do"), default=0
    )

    objects = CellQuerySet.as_manager()

    FIGURES = (
        "expected",
        "present",
        "absent",
        "excused",
        "unexcused",
        "longest_run",
        "months_unexcused",
    )

    class Meta:
        ordering = ["cell", "year", "member"]
        verbose_name = _("số liệu năm của đảng viên")
        verbose_name_plural = _("số liệu năm của đảng viên")
        indexes = [models.Index(fields=["cell", "year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "member", "year"], name="member_year_figures_unique"
            ),
            models.CheckConstraint(
                condition=Q(
                    expected__gte=0,
                    present__gte=0,
                    absent__gte=0,
                    excused__gte=0,
                    unexcused__gte=0,
                    longest_run__gte=0,
                    months_unexcused__gte=0,
                    months_unexcused__lte=12,
                ),
                name="member_year_figures_in_range",
            ),
            models.CheckConstraint(
                condition=Q(expected=models.F("present") + models.F("absent"))
                & Q(absent=models.F("excused") + models.F("unexcused")),
                name="member_year_figures_add_up",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="member_year_figures_year_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.member_id} {self.year}: {self.present}/{self.expected}"

    @property
    def figures(self) -> AttendanceFigures:
        return AttendanceFigures(self.expected, self.present, self.excused, self.unexcused)
