"""The secretary's forms: plans, sessions, documents, photos, contests.

The attendance sheet's form is in ``sessions/sheet.py``.
"""

import datetime as dt
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from chibo.lib.dates import FIRST_YEAR, LAST_YEAR, valid_year
from chibo.lib.forms import CellModelForm, OwnRowsInlineFormSet
from chibo.lib.uploads import EMPTY_FILE
from chibo.lib.widgets import (
    DateInput,
    DateTimeField,
    DateTimeInput,
    MultipleFileField,
    MultipleFileInput,
    TimeInput,
    share_choices,
)
from members.models import Member, PartyGroup
from sessions.documents import checked_document
from sessions.models import (
    MAX_RANK,
    MAX_TEAM_SCORE,
    AnnualPlan,
    Award,
    ContestTeam,
    Document,
    GroupMeeting,
    ReportText,
    ThematicSession,
)
from sessions.photos import clean_photo

DOCUMENT_EXTENSIONS = (
    "pdf",
    "doc",
    "docx",
    "odt",
    "rtf",
    "txt",
    "ppt",
    "pptx",
    "odp",
    "xls",
    "xlsx",
    "ods",
    "jpg",
    "jpeg",
    "png",
)
MAX_PHOTOS_PER_UPLOAD = 10


def member_queryset(cell, *keep):
    """Members of ``cell`` who can be chosen now, plus those already chosen (who may have left)."""
    keep = [pk for pk in keep if pk]
    return (
        Member.objects.of_cell(cell)
        .filter(Q(left_cell_on__isnull=True, temporary=False) | Q(pk__in=keep))
        .select_related("group")
    )


def with_time(day_and_time: dt.datetime, time: dt.time) -> dt.datetime:
    """``time`` on the same local day as ``day_and_time``."""
    local = timezone.localtime(day_and_time)
    return local.replace(hour=time.hour, minute=time.minute, second=0, microsecond=0)


class StartEndMixin:
    """A start (date and time) and an end time on the same day.

    The end is entered as a time only; ``clean`` turns it into the datetime the
    model stores, so the model's own rules (end after start, minimum length,
    date in the plan's year) report on the "start" and "end" fields.
    """

    def init_end(self):
        if self.instance.end and not self.is_bound:
            self.initial["end"] = timezone.localtime(self.instance.end).time()

    def combine_end(self, cleaned):
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, dt.datetime) and isinstance(end, dt.time):
            cleaned["end"] = with_time(start, end)
        else:
            # Without a valid start there is no end to store (the start's error
            # is what the user needs to see).
            cleaned.pop("end", None)
        return cleaned

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if "end" not in self.cleaned_data:
            exclude.add("end")
        return exclude


# --- Plans ---------------------------------------------------------------------


class PlanForm(CellModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["year", "title", "status", "approved_on", "notes"]
        widgets = {
            "approved_on": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"title": _("Để trống thì ghi “Kế hoạch sinh hoạt chuyên đề năm …”.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        if "year" in self.fields:
            self.fields["year"].min_value = FIRST_YEAR
            self.fields["year"].widget.attrs.update({"min": FIRST_YEAR, "max": LAST_YEAR})

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not valid_year(year):
            raise ValidationError(_("Năm của kế hoạch không hợp lệ."))
        return year

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == AnnualPlan.Status.APPROVED and not cleaned.get("approved_on"):
            self.add_error("approved_on", _("Kế hoạch đã thông qua cần có ngày thông qua."))
        year = cleaned.get("year") or self.instance.year
        if not cleaned.get("title") and year:
            cleaned["title"] = _("Kế hoạch sinh hoạt chuyên đề năm %(year)s") % {"year": year}
        return cleaned


class PlanEditForm(PlanForm):
    class Meta(PlanForm.Meta):
        fields = ["title", "status", "approved_on", "notes"]


class ReportTextForm(CellModelForm):
    """The parts of the annual report the secretary writes (the figures are Chibo's)."""

    class Meta:
        model = ReportText
        fields = list(ReportText.SECTIONS)
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in ReportText.SECTIONS}
        help_texts = {
            "strengths": _("Những việc chi bộ làm tốt trong năm."),
            "weaknesses": _("Những việc còn hạn chế, chưa làm được."),
            "causes": _("Nguyên nhân của ưu điểm và hạn chế (khách quan, chủ quan)."),
            "direction": _("Phương hướng, nhiệm vụ, giải pháp cho năm tới."),
        }


class RegularRuleForm(forms.ModelForm):
    """The rule of the year's regular meetings: a day of each month, a time, a place."""

    class Meta:
        model = AnnualPlan
        fields = ["regular_day", "regular_time", "regular_minutes", "regular_location"]
        widgets = {"regular_time": TimeInput}
        help_texts = {
            "regular_day": _(
                "Ví dụ 5: ngày 5 hằng tháng. Tháng không có ngày này (31, 30, 29) thì họp ngày "
                "cuối tháng."
            ),
            "regular_minutes": _("Để trống thì lấy thời lượng tối thiểu (%(minutes)s phút).")
            % {"minutes": settings.CHIBO_MIN_REGULAR_MEETING_MINUTES},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regular_day"].required = True
        self.fields["regular_time"].required = True
        self.fields["regular_day"].widget.attrs.update({"min": 1, "max": 31})

    def clean_regular_minutes(self):
        minutes = self.cleaned_data["regular_minutes"]
        shortest = settings.CHIBO_MIN_REGULAR_MEETING_MINUTES
        if minutes is not None and minutes < shortest:
            raise ValidationError(
                _("Buổi sinh hoạt chi bộ định kỳ phải kéo dài ít nhất %(minutes)s phút.")
                % {"minutes": shortest}
            )
        return minutes


# --- Sessions ------------------------------------------------------------------


class SessionForm(StartEndMixin, forms.ModelForm):
    end = forms.TimeField(label=_("Giờ kết thúc"), widget=TimeInput)

    class Meta:
        model = ThematicSession
        fields = [
            "topic",
            "description",
            "format",
            "scope",
            "start",
            "end",
            "location",
            "preparer",
            "outside_speaker",
            "presiding",
            "minute_taker",
            "thematic",
            "regular",
            "draft_approved_on",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start": DateTimeInput,
            "draft_approved_on": DateInput,
        }
        field_classes = {"start": DateTimeField}
        labels = {
            "start": _("Bắt đầu (ngày, giờ)"),
            "thematic": _("Là kỳ sinh hoạt chuyên đề"),
            "regular": _("Là kỳ sinh hoạt chi bộ định kỳ của tháng"),
        }
        help_texts = {
            "scope": _("Theo tổ Đảng: mỗi tổ họp riêng, ghi lịch của từng tổ ở phần dưới."),
            "outside_speaker": _("Chỉ ghi khi người trình bày không phải đảng viên của chi bộ."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_end()
        instance = self.instance
        # Held group by group, each group's meeting has its own time: the
        # meeting's own start and end come from theirs when left blank.
        if self.data.get(self.add_prefix("scope")) == ThematicSession.Scope.GROUPS:
            self.fields["start"].required = False
            self.fields["end"].required = False
            self.fields["start"].help_text = _(
                "Sinh hoạt theo tổ: để trống thì lấy từ lịch sớm nhất và muộn nhất của các tổ."
            )
        # The nature a meeting can gain: a thematic session can also be the
        # month's regular meeting, a regular meeting also a thematic session.
        # A regular meeting may go without a topic; a thematic session may not.
        self.fields["topic"].required = instance.thematic
        if instance.thematic:
            del self.fields["thematic"]
        else:
            del self.fields["regular"]
            self.fields["topic"].label = _("Nội dung chính")
        queryset = member_queryset(
            instance.plan.cell_id,
            instance.preparer_id,
            instance.presiding_id,
            instance.minute_taker_id,
        )
        pickers = [self.fields[name] for name in ("preparer", "presiding", "minute_taker")]
        for field in pickers:
            field.queryset = queryset
            field.empty_label = "—"
        share_choices(pickers)

    def clean(self):
        cleaned = self.combine_end(super().clean())
        thematic = cleaned.get("thematic", self.instance.thematic)
        if thematic and not cleaned.get("topic") and "topic" not in self.errors:
            self.add_error("topic", _("Sinh hoạt chuyên đề cần có tên chuyên đề."))
        return cleaned


class MeetingForm(StartEndMixin, forms.ModelForm):
    end = forms.TimeField(label=_("Giờ kết thúc"), widget=TimeInput)

    class Meta:
        model = GroupMeeting
        fields = ["group", "start", "end", "location", "presiding"]
        widgets = {"start": DateTimeInput}
        field_classes = {"start": DateTimeField}
        labels = {"start": _("Bắt đầu (ngày, giờ)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_end()
        # Each row belongs to one group, set by the page, never by the browser.
        self.fields["group"].disabled = True
        self.fields["group"].widget = forms.HiddenInput()

    def clean(self):
        return self.combine_end(super().clean())


def share_member_pickers(forms_, name, cell):
    """The ``name`` member picker of every form: the current members of ``cell``, and
    those the rows already name; listed once for all the rows (one query)."""
    pickers = [form.fields[name] for form in forms_]
    queryset = member_queryset(cell, *(getattr(form.instance, f"{name}_id") for form in forms_))
    for field in pickers:
        field.queryset = queryset
        field.empty_label = "—"
    share_choices(pickers)


class GroupRowsMixin:
    """Formset rows labelled with their party group's name (the group is fixed per row)."""

    def __init__(self, *args, group_names, **kwargs):
        self.group_names = group_names
        super().__init__(*args, **kwargs)

    def rows(self):
        return [(self.group_names.get(form.initial.get("group"), ""), form) for form in self.forms]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["group"].queryset = PartyGroup.objects.of_cell(self.instance.plan.cell_id)


class BaseMeetingFormSet(GroupRowsMixin, OwnRowsInlineFormSet):
    # The groups that must each have a meeting (the cell's current ones).
    groups = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        share_member_pickers(self.forms, "presiding", self.instance.plan.cell_id)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The meeting's rules (date in the plan's year, minimum length) read the
        # session as the form above it just changed it, saved or not.
        form.instance.session = self.instance
        return form

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not self._should_delete_form(form)
        ]
        # Every current group meets: a session held group by group is the whole
        # cell's, so a group without its meeting would be a group left out.
        meeting = {
            getattr(form.cleaned_data.get("group"), "pk", None) or form.instance.group_id
            for form in kept
        }
        missing = [group.name for group in self.groups if group.pk not in meeting]
        if missing:
            raise ValidationError(
                ngettext(
                    "Sinh hoạt theo tổ Đảng cần lịch của từng tổ: chưa có lịch của %(groups)s.",
                    "Sinh hoạt theo tổ Đảng cần lịch của từng tổ: chưa có lịch của %(groups)s.",
                    len(missing),
                )
                % {"groups": ", ".join(missing)}
            )


def group_rows(existing, groups):
    """Names of the groups of existing rows and of ``groups``; the groups without a row."""
    names = {group.pk: group.name for group in groups}
    names.update({row.group_id: row.group.name for row in existing})
    have = {row.group_id for row in existing}
    return names, [group for group in groups if group.pk not in have]


def group_row_formset(data, *, session, groups, existing, form, formset, prefix, initial):
    """A formset of one row per existing row of ``existing``, and one more for each
    group of ``groups`` without one, its initial values ``initial(group)``."""
    names, missing = group_rows(existing, groups)
    formset_class = inlineformset_factory(
        ThematicSession,
        form._meta.model,
        form=form,
        formset=formset,
        extra=len(missing),
        can_delete=True,
    )
    return formset_class(
        data,
        instance=session,
        prefix=prefix,
        group_names=names,
        initial=[initial(group) for group in missing],
    )


def meeting_formset(data, *, session, groups):
    """One row per existing group meeting, and one for each active group without one;
    each of ``groups`` must have its meeting."""
    formset = group_row_formset(
        data,
        session=session,
        groups=groups,
        existing=list(session.group_meetings.select_related("group")) if session.pk else [],
        form=MeetingForm,
        formset=BaseMeetingFormSet,
        prefix="meetings",
        initial=lambda group: {"group": group.pk},
    )
    formset.groups = list(groups)
    return formset


class PostponeForm(forms.Form):
    """A new time, or none yet (``no_new_date``: the session waits, in its old quarter)."""

    no_new_date = forms.BooleanField(
        label=_("Chưa định được ngày mới"),
        required=False,
        help_text=_("Kỳ sinh hoạt được hoãn lại; khi có ngày mới, hãy hoãn tiếp sang ngày đó."),
    )
    start = DateTimeField(label=_("Thời gian mới (ngày, giờ)"), required=False)
    end = forms.TimeField(label=_("Giờ kết thúc"), widget=TimeInput, required=False)
    reason = forms.CharField(
        label=_("Lý do hoãn"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, session, **kwargs):
        self.session = session
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("no_new_date"):
            if self.session.awaits_new_date:
                self.add_error(
                    "no_new_date", _("Kỳ sinh hoạt này đã được hoãn và đang chờ ngày mới.")
                )
            cleaned["start"] = cleaned["end"] = None
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        for name in ("start", "end"):
            if name not in self.errors and not cleaned.get(name):
                self.add_error(name, forms.Field.default_error_messages["required"])
        if not (start and end):
            return cleaned
        cleaned["end"] = with_time(start, end)
        if start == self.session.start:
            self.add_error("start", _("Thời gian mới phải khác thời gian đã định."))
            return cleaned
        trial = ThematicSession(
            plan=self.session.plan,
            start=start,
            end=cleaned["end"],
            thematic=self.session.thematic,
            regular=self.session.regular,
        )
        try:
            trial.clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in ("start", "end"):
                    self.add_error(field, messages)
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do hủy"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Documents -----------------------------------------------------------------


class DocumentForm(forms.ModelForm):
    url = forms.URLField(
        label=_("đường dẫn"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Document
        fields = ["title", "kind", "file", "url"]
        help_texts = {
            "file": _("PDF, Word, Excel, PowerPoint, OpenDocument, văn bản hoặc ảnh."),
            "url": _("Hoặc đường dẫn tới văn bản trên mạng, thay cho tệp."),
        }
        error_messages = {"file": {"empty": EMPTY_FILE}}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        extension = Path(upload.name).suffix.lower().lstrip(".")
        if not extension:
            raise ValidationError(
                _(
                    "Tệp không có đuôi (.pdf, .docx…) nên không biết là tài liệu gì. Chỉ nhận: "
                    "%(allowed)s."
                ),
                params={"allowed": ", ".join(DOCUMENT_EXTENSIONS)},
            )
        if extension not in DOCUMENT_EXTENSIONS:
            raise ValidationError(
                _("Không nhận tệp “.%(extension)s”. Chỉ nhận: %(allowed)s."),
                params={"extension": extension, "allowed": ", ".join(DOCUMENT_EXTENSIONS)},
            )
        if upload.size > settings.CHIBO_DOCUMENT_MAX_BYTES:
            raise ValidationError(
                _("Tệp nặng %(size)s, vượt mức cho phép %(limit)s."),
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.CHIBO_DOCUMENT_MAX_BYTES),
                },
            )
        return checked_document(upload, extension)

    def clean(self):
        cleaned = super().clean()
        has_file, has_url = bool(cleaned.get("file")), bool(cleaned.get("url"))
        if "file" in self.errors or "url" in self.errors:
            return cleaned
        if has_file and has_url:
            self.add_error("url", _("Chọn một tệp hoặc ghi một đường dẫn, không cả hai."))
        elif not has_file and not has_url:
            self.add_error("file", _("Chọn một tệp hoặc ghi đường dẫn của tài liệu."))
        return cleaned


class DraftSentForm(forms.ModelForm):
    class Meta:
        model = ThematicSession
        fields = ["draft_sent_at"]
        widgets = {"draft_sent_at": DateTimeInput}
        field_classes = {"draft_sent_at": DateTimeField}
        labels = {"draft_sent_at": _("Gửi dự thảo cho đảng viên lúc")}
        help_texts = {"draft_sent_at": _("Để trống nếu chưa gửi.")}


# --- Photos --------------------------------------------------------------------


class PhotoUploadForm(forms.Form):
    """Several photos chosen at once, checked one by one: all are stored, or none."""

    images = MultipleFileField(
        label=_("Ảnh"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=format_lazy(
            _("Chọn một hoặc nhiều ảnh cùng lúc (tối đa {count} ảnh mỗi lần)."),
            count=MAX_PHOTOS_PER_UPLOAD,
        ),
        error_messages={"empty": EMPTY_FILE},
    )
    caption = forms.CharField(
        label=_("Chú thích"),
        max_length=255,
        required=False,
        help_text=_("Ghi cho mọi ảnh của lần tải lên này; sửa chú thích từng ảnh ở dưới."),
    )

    def clean_images(self):
        uploads = self.cleaned_data["images"]
        if not uploads:
            raise ValidationError(_("Hãy chọn ít nhất một ảnh."), code="required")
        if len(uploads) > MAX_PHOTOS_PER_UPLOAD:
            raise ValidationError(
                _("Mỗi lần tải lên tối đa %(limit)s ảnh; đã chọn %(count)s ảnh."),
                params={"limit": MAX_PHOTOS_PER_UPLOAD, "count": len(uploads)},
                code="too_many",
            )
        photos, errors = [], []
        for upload in uploads:
            try:
                photos.append(clean_photo(upload))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return photos

    def photos(self):
        """(processed image, caption) for every photo chosen."""
        caption = self.cleaned_data.get("caption", "")
        return [(photo, caption) for photo in self.cleaned_data["images"]]


class CaptionForm(forms.Form):
    caption = forms.CharField(label=_("Chú thích"), max_length=255, required=False)


# --- Contests ------------------------------------------------------------------


class TeamForm(forms.ModelForm):
    class Meta:
        model = ContestTeam
        fields = ["group", "name", "score", "rank"]
        help_texts = {"rank": _("Để trống thì xếp theo điểm.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].disabled = True
        self.fields["group"].widget = forms.HiddenInput()
        self.fields["score"].min_value = 0
        self.fields["score"].widget.attrs.update({"min": 0, "max": MAX_TEAM_SCORE})
        # Said even when the number is too long for the column as well.
        self.fields["score"].validators.append(
            MaxValueValidator(MAX_TEAM_SCORE, _("Điểm tối đa là %(limit_value)s."))
        )
        self.fields["rank"].widget.attrs.update({"min": 1, "max": MAX_RANK})
        if not self.instance.rank_by_hand:
            # A rank that follows the scores is not shown as typed: a new score re-ranks it.
            self.initial["rank"] = None
        if not self.instance.pk:
            # An untouched row is a group that did not compete: no score yet.
            self.fields["score"].initial = None

    def clean_score(self):
        score = self.cleaned_data.get("score")
        if score is not None and score < 0:
            raise ValidationError(_("Điểm không được âm."))
        return score

    def clean_rank(self):
        rank = self.cleaned_data.get("rank")
        if rank is not None and rank < 1:
            raise ValidationError(_("Xếp hạng bắt đầu từ 1."))
        if rank is not None and rank > MAX_RANK:
            # Checked here, before the model's own range (a 64-bit one on SQLite) adds its message.
            raise ValidationError(
                _("Xếp hạng tối đa là %(limit_value)s.") % {"limit_value": MAX_RANK}
            )
        self.instance.rank_by_hand = rank is not None
        return rank


class BaseTeamFormSet(GroupRowsMixin, OwnRowsInlineFormSet):
    pass


def team_formset(data, *, session, groups):
    """One row per team, and one for each active group that has none yet."""
    return group_row_formset(
        data,
        session=session,
        groups=groups,
        existing=list(session.contest_teams.select_related("group")),
        form=TeamForm,
        formset=BaseTeamFormSet,
        prefix="teams",
        initial=lambda group: {"group": group.pk, "name": _("Đội %(group)s") % {"group": group}},
    )


class AwardForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ["prize", "member", "guest_name"]
        labels = {"member": _("Đảng viên đạt giải"), "guest_name": _("Hoặc khách mời đạt giải")}

    def clean(self):
        cleaned = super().clean()
        member, guest = cleaned.get("member"), cleaned.get("guest_name")
        if member and guest:
            self.add_error(
                "guest_name", _("Chọn một đảng viên hoặc ghi tên một khách mời, không cả hai.")
            )
        elif not member and not guest and cleaned.get("prize"):
            self.add_error("member", _("Chọn đảng viên đạt giải hoặc ghi tên khách mời."))
        return cleaned


class BaseAwardFormSet(OwnRowsInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        share_member_pickers(self.forms, "member", self.instance.plan.cell_id)


AwardFormSet = inlineformset_factory(
    ThematicSession,
    Award,
    form=AwardForm,
    formset=BaseAwardFormSet,
    extra=2,
    can_delete=True,
)
