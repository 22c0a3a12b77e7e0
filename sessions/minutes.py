"""The minutes (biên bản) of a held session: the secretary's page and what is printed.

``MinutesPage`` is the page's forms: the session's content, conclusion, vote
and prize presenter, each group's own minutes for a session held group by
group, and the discussion's speakers (a formset per part), saved in one
transaction by ``services.save_minutes``. ``minutes_sets`` reads what the
printed minutes show: one set for the whole cell, or one per group.
"""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Prefetch, Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from chibo.lib.forms import OwnRowsInlineFormSet
from members.models import Member
from sessions.models import (
    VOTE_FIELDS,
    Attendance,
    AttendanceFigures,
    Award,
    ContestTeam,
    GroupMeeting,
    Speech,
    ThematicSession,
    Vote,
    vote_of,
)

# Spare lines for new speakers; "Thêm người phát biểu" adds more in the browser.
SPARE_SPEECHES = 2


def present_by_group(session) -> tuple[int, dict]:
    """Members present (not temporarily attending) at ``session``, and per group (one query)."""
    rows = session.attendances.counted().figures_by("group")
    by_group = {row["group"]: row["present"] for row in rows}
    return sum(by_group.values()), by_group


def speaker_queryset(session, *keep):
    """Who may be named as a speaker or minute-taker: the members on the session's sheet,
    and any already named (a sheet corrected later)."""
    keep = [pk for pk in keep if pk]
    return (
        Member.objects.of_cell(session.plan.cell_id)
        .filter(Q(pk__in=session.attendances.values("member")) | Q(pk__in=keep))
        .order_by("sort_name", "pk")
    )


class VoteFormMixin:
    """Agree, disagree, abstain: all three or none, and never more than were present.

    A count left empty beside one typed is 0. The form's ``present`` is the
    number of members present (of the whole cell, or of the group).
    """

    present = 0

    def clean_vote(self, cleaned):
        if not all(name in self.fields for name in VOTE_FIELDS):
            return
        counts = [cleaned.get(name) for name in VOTE_FIELDS]
        if any(self.has_error(name) for name in VOTE_FIELDS) or all(c is None for c in counts):
            return
        counts = [count or 0 for count in counts]
        cleaned.update(zip(VOTE_FIELDS, counts, strict=True))
        total = sum(counts)
        if total > self.present:
            self.add_error(
                "votes_for",
                _(
                    "Tổng số biểu quyết (%(total)s) nhiều hơn số đảng viên có mặt "
                    "(%(present)s đồng chí)."
                )
                % {"total": total, "present": self.present},
            )


VOTE_WIDGETS = {name: forms.NumberInput(attrs={"min": 0}) for name in VOTE_FIELDS}
VOTE_LABELS = {
    "votes_for": _("Số tán thành"),
    "votes_against": _("Số không tán thành"),
    "votes_abstain": _("Số không biểu quyết"),
}


class SessionMinutesForm(VoteFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ThematicSession
        fields = ["minutes", "conclusion", *VOTE_FIELDS, "prizes_presented_by"]
        labels = {
            "minutes": _("Nội dung trình bày (tóm tắt)"),
            "conclusion": _("Kết luận của đồng chí chủ trì"),
            "prizes_presented_by": _("Người trao giải"),
            **VOTE_LABELS,
        }
        help_texts = {
            "minutes": _("Để trống thì biên bản in phần nội dung của kỳ sinh hoạt."),
            "prizes_presented_by": _("Ví dụ: đồng chí Bí thư chi bộ."),
        }
        widgets = {
            "minutes": forms.Textarea(attrs={"rows": 5}),
            "conclusion": forms.Textarea(attrs={"rows": 4}),
            **VOTE_WIDGETS,
        }

    def __init__(self, *args, present=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.present = present
        self.initial.setdefault("version", self.instance.attendance_version)
        if self.instance.format != ThematicSession.Format.CONTEST:
            del self.fields["prizes_presented_by"]
        if self.instance.is_by_group:
            # Each group votes in its own meeting, in its own minutes.
            for name in VOTE_FIELDS:
                del self.fields[name]
            self.fields["minutes"].label = _("Nội dung chung (tóm tắt)")
            self.fields["conclusion"].label = _("Kết luận chung của chi bộ")

    def clean(self):
        cleaned = super().clean()
        self.clean_vote(cleaned)
        return cleaned


class GroupMinutesForm(VoteFormMixin, forms.ModelForm):
    class Meta:
        model = GroupMeeting
        fields = ["minute_taker", "content", "conclusion", *VOTE_FIELDS]
        labels = {
            "content": _("Nội dung trình bày (tóm tắt)"),
            "conclusion": _("Kết luận của đồng chí chủ trì"),
            **VOTE_LABELS,
        }
        widgets = {
            "content": forms.Textarea(attrs={"rows": 4}),
            "conclusion": forms.Textarea(attrs={"rows": 3}),
            **VOTE_WIDGETS,
        }

    def __init__(self, *args, present=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.present = present

    def clean(self):
        cleaned = super().clean()
        self.clean_vote(cleaned)
        return cleaned


class SpeechForm(forms.ModelForm):
    class Meta:
        model = Speech
        fields = ["member", "speaker_name", "content"]
        labels = {
            "member": _("Đảng viên phát biểu"),
            "speaker_name": _("Hoặc khách mời phát biểu"),
        }
        widgets = {"content": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        member, name = cleaned.get("member"), (cleaned.get("speaker_name") or "").strip()
        cleaned["speaker_name"] = name
        if member and name:
            self.add_error(
                "speaker_name",
                _("Chọn một đảng viên hoặc ghi tên một khách mời, không cả hai."),
            )
        elif not member and not name and not self.has_error("member"):
            self.add_error("member", _("Chọn đảng viên phát biểu hoặc ghi tên khách mời."))
        return cleaned


class BaseSpeechFormSet(OwnRowsInlineFormSet):
    """The speeches of one part of the minutes; member pickers share one list of choices."""

    def __init__(self, *args, members, choices, **kwargs):
        self.members, self.choices = members, choices
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["member"].queryset = self.members
        form.fields["member"].choices = self.choices
        form.fields["member"].empty_label = "—"


SpeechFormSet = inlineformset_factory(
    ThematicSession,
    Speech,
    form=SpeechForm,
    formset=BaseSpeechFormSet,
    extra=SPARE_SPEECHES,
    can_delete=True,
    max_num=200,
    absolute_max=200,
)


@dataclass
class MinutesPart:
    """A part of the page: the whole cell's discussion, or one group's minutes."""

    meeting: GroupMeeting | None
    form: GroupMinutesForm | None
    speeches: BaseSpeechFormSet
    present: int

    @property
    def prefix(self) -> str:
        return self.speeches.prefix


class MinutesPage:
    """Every form of the minutes page, valid together or not at all."""

    def __init__(self, data, *, session):
        self.session = session
        present, by_group = present_by_group(session)
        meetings = (
            list(session.group_meetings.select_related("group")) if session.is_by_group else []
        )
        self.form = SessionMinutesForm(data, instance=session, present=present)
        members = speaker_queryset(
            session,
            *[meeting.minute_taker_id for meeting in meetings],
            *session.speeches.values_list("member", flat=True),
        )
        choices = [("", "—"), *((member.pk, str(member)) for member in members)]
        kwargs = {"members": members, "choices": choices}
        self.parts = []
        if meetings:
            for meeting in meetings:
                form = GroupMinutesForm(
                    data,
                    instance=meeting,
                    prefix=f"group-{meeting.pk}",
                    present=by_group.get(meeting.group_id, 0),
                )
                form.fields["minute_taker"].queryset = members
                form.fields["minute_taker"].choices = choices
                speeches = SpeechFormSet(
                    data,
                    instance=session,
                    prefix=f"speeches-{meeting.pk}",
                    queryset=Speech.objects.filter(group_meeting=meeting).select_related("member"),
                    **kwargs,
                )
                self.parts.append(
                    MinutesPart(meeting, form, speeches, by_group.get(meeting.group_id, 0))
                )
        else:
            speeches = SpeechFormSet(
                data,
                instance=session,
                prefix="speeches",
                queryset=session.speeches.filter(group_meeting=None).select_related("member"),
                **kwargs,
            )
            self.parts.append(MinutesPart(None, None, speeches, present))

    def is_valid(self) -> bool:
        results = [self.form.is_valid()]
        for part in self.parts:
            if part.form is not None:
                results.append(part.form.is_valid())
            results.append(part.speeches.is_valid())
        return all(results)

    @property
    def version(self) -> int:
        return self.form.cleaned_data["version"]

    def meetings(self) -> list[GroupMeeting]:
        return [part.form.save(commit=False) for part in self.parts if part.form is not None]

    def speeches(self) -> list[Speech]:
        """The lines to keep, in the order shown, each with its part's meeting."""
        kept = []
        for part in self.parts:
            formset = part.speeches
            for form in formset.forms:
                if form in formset.deleted_forms or not (form.instance.pk or form.has_changed()):
                    continue
                speech = form.save(commit=False)
                speech.group_meeting = part.meeting
                kept.append(speech)
        return kept

    def removed_speeches(self) -> list[Speech]:
        return [
            form.instance
            for part in self.parts
            for form in part.speeches.deleted_forms
            if form.instance.pk
        ]


# --- What the printed minutes show ------------------------------------------------


@dataclass
class MinutesSet:
    """One complete set of minutes: the whole cell's, or one group's."""

    start: object
    end: object
    location: str
    presiding: Member | None
    minute_taker: Member | None
    figures: AttendanceFigures
    absent: list
    temporary: list
    content: str
    conclusion: str
    vote: Vote | None
    speeches: list = field(default_factory=list)
    meeting: GroupMeeting | None = None


def minutes_queryset(queryset):
    """The sessions with everything their printed minutes read, in a fixed number of queries."""
    return queryset.select_related(
        "plan__cell", "preparer", "presiding", "minute_taker"
    ).prefetch_related(
        Prefetch(
            "group_meetings",
            queryset=GroupMeeting.objects.select_related("group", "presiding", "minute_taker"),
        ),
        Prefetch("speeches", queryset=Speech.objects.select_related("member")),
        Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("member", "group").order_by(
                "member__sort_name", "pk"
            ),
        ),
        Prefetch("awards", queryset=Award.objects.select_related("member")),
        Prefetch("contest_teams", queryset=ContestTeam.objects.select_related("group")),
    )


def minutes_sets(session) -> list[MinutesSet]:
    """The printed minutes of ``session``: one set, or one per group's meeting.

    Reads what ``minutes_queryset`` prefetched; no query of its own.
    """
    rows = list(session.attendances.all())
    speeches = list(session.speeches.all())
    if not session.is_by_group:
        return [
            _set(
                session,
                rows,
                [speech for speech in speeches if speech.group_meeting_id is None],
                start=session.start,
                end=session.end,
                location=session.location,
                presiding=session.presiding,
                minute_taker=session.minute_taker,
                content=session.minutes or session.description,
                conclusion=session.conclusion,
                record=session,
            )
        ]
    return [
        _set(
            session,
            [row for row in rows if row.group_id == meeting.group_id],
            [speech for speech in speeches if speech.group_meeting_id == meeting.pk],
            start=meeting.start,
            end=meeting.end,
            location=meeting.location or session.location,
            presiding=meeting.presiding,
            minute_taker=meeting.minute_taker,
            content=meeting.content or session.minutes or session.description,
            conclusion=meeting.conclusion,
            record=meeting,
            meeting=meeting,
        )
        for meeting in session.group_meetings.all()
    ]


def _set(session, rows, speeches, *, record, **fields) -> MinutesSet:
    counted = [row for row in rows if not row.temporary]
    figures = AttendanceFigures.from_records(counted)
    return MinutesSet(
        figures=figures,
        absent=[row for row in counted if row.status != Attendance.Status.PRESENT],
        temporary=[row for row in rows if row.temporary],
        vote=vote_of(record, figures.present),
        speeches=speeches,
        **fields,
    )
