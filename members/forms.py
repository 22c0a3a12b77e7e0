"""The secretary's forms for members, groups, exemptions, logins and imports."""

from pathlib import Path

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from chibo.lib.forms import CellModelForm, UniqueOffFormMixin
from chibo.lib.logins import login_name_validator
from chibo.lib.roles import LEADER, MEMBER, SECRETARY
from chibo.lib.uploads import EMPTY_FILE
from chibo.lib.widgets import DateInput
from members.importing import IMPORT_MAX_BYTES, STANDING_WITH_FULL_DATE
from members.models import Exemption, Member, Organisation, PartyGroup, member_date_errors

ROLE_CHOICES = [
    (MEMBER, _("Đảng viên: xem lịch sinh hoạt, tài liệu và việc dự sinh hoạt của mình")),
    (LEADER, _("Lãnh đạo, cấp ủy: xem mọi số liệu, không sửa")),
    (SECRETARY, _("Bí thư, phó bí thư: quản lý kế hoạch, điểm danh, đảng viên")),
]


def active_groups_of(cell):
    """The groups a member of ``cell`` can be put in: that cell's active ones, no other's."""
    return PartyGroup.objects.of_cell(cell).filter(is_active=True)


class MemberForm(CellModelForm):
    class Meta:
        model = Member
        fields = [
            "full_name",
            "group",
            "standing",
            "position",
            "joined_party_on",
            "full_member_on",
            "joined_cell_on",
            "temporary",
            "home_cell",
            "phone",
            "email",
            "notes",
        ]
        widgets = {
            "joined_party_on": DateInput,
            "full_member_on": DateInput,
            "joined_cell_on": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "full_member_on": _(
                "Ngày có quyết định công nhận đảng viên chính thức; để trống khi còn dự bị "
                "hoặc không rõ ngày."
            ),
            "temporary": _(
                "Đảng viên của chi bộ khác đến sinh hoạt tạm thời: được ghi tên khi dự, "
                "không tính vào tỷ lệ của chi bộ."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "group" in self.fields:
            self.fields["group"].queryset = active_groups_of(self.instance.cell_id)
            self.fields["group"].required = False
            self.fields["group"].empty_label = "—"

    def clean(self):
        cleaned = super().clean()
        if "group" in self.fields and not cleaned.get("temporary") and not cleaned.get("group"):
            self.add_error("group", _("Đảng viên của chi bộ phải thuộc một tổ Đảng."))
        if cleaned.get("temporary") and not cleaned.get("home_cell"):
            self.add_error("home_cell", _("Ghi chi bộ nơi đồng chí này sinh hoạt chính thức."))
        errors = member_date_errors(
            joined_party_on=cleaned.get("joined_party_on"),
            joined_cell_on=cleaned.get("joined_cell_on"),
            left_cell_on=self.instance.left_cell_on,
            full_member_on=cleaned.get("full_member_on"),
        )
        probationary = cleaned.get("standing") == Member.Standing.PROBATIONARY
        if cleaned.get("full_member_on") and probationary:
            self.add_error("standing", STANDING_WITH_FULL_DATE)
        for name, message in errors.items():
            if name in self.fields:
                self.add_error(name, message)
        return cleaned


class MemberEditForm(MemberForm):
    """Everything but the group (moved on its own page) and leaving (its own page too).

    A member sent here by another cell of the Chibo (``services.send_temporarily``)
    stays temporary, with the name of the cell that sent them: only that cell
    changes it, by a transfer.
    """

    class Meta(MemberForm.Meta):
        fields = [name for name in MemberForm.Meta.fields if name != "group"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.home_member_id is not None:
            self.fields["temporary"].disabled = True
            self.fields["home_cell"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("temporary") and self.instance.group_id is None:
            # A member attending temporarily has no group: made a member of the
            # cell here, they would have none (the database refuses it).
            self.add_error(
                "temporary",
                _(
                    "Đồng chí sinh hoạt tạm thời chưa thuộc tổ Đảng nào của chi bộ: không bỏ "
                    "được dấu sinh hoạt tạm thời ở đây."
                ),
            )
        return cleaned


class MoveForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["group"]
        labels = {"group": _("Chuyển sang tổ")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].required = True
        self.fields["group"].queryset = active_groups_of(self.instance.cell_id)
        self.current_group_id = self.instance.group_id

    def clean_group(self):
        group = self.cleaned_data["group"]
        if group.pk == self.current_group_id:
            raise ValidationError(_("Đồng chí này đang ở tổ này rồi."))
        return group


class LeaveForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["left_cell_on", "left_reason", "left_note"]
        widgets = {"left_cell_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_cell_on"].required = True
        self.fields["left_reason"].required = True

    def clean_left_cell_on(self):
        day = self.cleaned_data["left_cell_on"]
        errors = member_date_errors(joined_cell_on=self.instance.joined_cell_on, left_cell_on=day)
        if "left_cell_on" in errors:
            raise ValidationError(errors["left_cell_on"])
        return day


class ExemptionForm(forms.ModelForm):
    class Meta:
        model = Exemption
        fields = ["kind", "starts_on", "ends_on", "reason"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}
        help_texts = {"ends_on": _("Để trống nếu chưa biết ngày kết thúc.")}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
            return cleaned
        if starts:
            overlapping = self.instance.member.exemptions.exclude(pk=self.instance.pk).filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=starts)
            )
            if ends:
                overlapping = overlapping.filter(starts_on__lte=ends)
            other = overlapping.first()
            if other:
                self.add_error(
                    "starts_on",
                    _("Trùng với đợt %(kind)s từ %(start)s.")
                    % {
                        "kind": other.get_kind_display().lower(),
                        "start": other.starts_on.strftime("%d/%m/%Y"),
                    },
                )
        return cleaned


class AccountForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        validators=[login_name_validator],
        help_text=_("Chữ cái không dấu, chữ số và các ký tự . _ -"),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=ROLE_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_username(self):
        username = self.cleaned_data["username"]
        taken = User.objects.filter(username__iexact=username)
        if self.user is not None:
            taken = taken.exclude(pk=self.user.pk)
        if taken.exists():
            raise ValidationError(_("Tên đăng nhập này đã có người dùng."))
        return username


class GroupForm(CellModelForm):
    class Meta:
        model = PartyGroup
        fields = ["name", "leader"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leader = self.fields["leader"]
        if self.instance.pk:
            leader.queryset = (
                Member.objects.of_cell(self.instance.cell_id)
                .regular()
                .current()
                .filter(group=self.instance)
            )
            leader.empty_label = "—"
        else:
            # A new group has no members yet: its leader is chosen once it has some.
            del self.fields["leader"]


class CellProfileForm(UniqueOffFormMixin, forms.ModelForm):
    """What the cell's documents print about it; its place in the tree is a superuser's."""

    class Meta:
        model = Organisation
        fields = ["name", "superior_name", "has_committee", "place_name", "number_prefix"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách"),
        help_text=_("Tệp Excel (.xlsx) hoặc CSV, dòng đầu là tên cột."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"empty": EMPTY_FILE},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = Path(upload.name).suffix.lower()
        if extension not in (".xlsx", ".csv"):
            raise ValidationError(
                _(
                    "Chỉ nhận tệp .xlsx hoặc .csv (tệp .xls cũ: mở bằng Excel rồi lưu lại "
                    "thành .xlsx)."
                )
            )
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(
                _("Tệp nặng %(size)s, vượt mức %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(IMPORT_MAX_BYTES)}
            )
        return upload


class CellMoveForm(forms.Form):
    """Another cell of this Chibo, and a day: the choices of the view (``cells``)."""

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells
        self.fields["cell"].empty_label = "—"


class TransferForm(CellMoveForm):
    """Chuyển sinh hoạt đảng: the cell the member moves to, and the day."""

    cell = forms.ModelChoiceField(
        label=_("Chuyển đến chi bộ"), queryset=Organisation.objects.none()
    )
    day = forms.DateField(
        label=_("Ngày chuyển sinh hoạt"),
        widget=DateInput,
        help_text=_("Từ ngày này đồng chí sinh hoạt tại chi bộ mới; không ghi ngày ở tương lai."),
    )


class StayForm(CellMoveForm):
    """Sinh hoạt tạm thời: the cell the member attends for a while, from a day."""

    cell = forms.ModelChoiceField(
        label=_("Sinh hoạt tạm thời tại chi bộ"), queryset=Organisation.objects.none()
    )
    day = forms.DateField(label=_("Từ ngày"), widget=DateInput)
