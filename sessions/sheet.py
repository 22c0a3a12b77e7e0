"""The attendance sheet: every expected member with a status, and the session's record.

Saved in one submit by ``services.save_attendance_sheet``; the sheet's lines
come from ``ThematicSession.roster``.
"""

import functools
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions.models import MAX_GUESTS, Attendance
from sessions.services import AttendanceEntry, SessionRecord

NOT_RECORDED = _("— chưa ghi —")


@dataclass(frozen=True)
class SheetSection:
    """A list of lines on the attendance sheet: a group's, or the missing members'."""

    title: str
    entries: list
    choices: list[tuple[str, str]]
    missing: bool = False


class AttendanceSheetForm(forms.Form):
    """Every member on the sheet with a status and a reason, and the session's record.

    Fields are made per member (``status_<id>``, ``reason_<id>``) from the
    roster the view built; nothing here queries the database. Members expected
    by the rules but missing from a saved sheet get a status that starts
    empty: they are written only if the secretary chooses one.
    """

    temporary = forms.MultipleChoiceField(
        label=_("Đảng viên sinh hoạt tạm thời có mặt"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guest_count = forms.IntegerField(
        label=_("Số quần chúng, khách mời"),
        min_value=0,
        max_value=MAX_GUESTS,
        initial=0,
        error_messages={"max_value": _("Số quần chúng, khách mời tối đa là %(limit_value)s.")},
    )
    guest_names = forms.CharField(
        label=_("Tên quần chúng, khách mời"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    conclusion = forms.CharField(
        label=_("Kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    # The same field as the minutes page's (sessions/minutes.py): what was
    # presented; the speakers are written there, one row each.
    minutes = forms.CharField(
        label=_("Nội dung trình bày (tóm tắt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, session, roster, missing=(), temporaries, **kwargs):
        self.session = session
        self.roster = roster
        self.missing = list(missing)
        super().__init__(*args, **kwargs)
        self.fields["temporary"].choices = [
            (str(member.pk), member.full_name) for member, _present in temporaries
        ]
        self.initial.setdefault(
            "temporary", [str(member.pk) for member, present in temporaries if present]
        )
        for field in ("guest_count", "guest_names", "conclusion", "minutes"):
            self.initial.setdefault(field, getattr(session, field))
        self.initial.setdefault("version", session.attendance_version)
        for row in roster:
            saved = row.attendance
            self.fields[f"status_{row.member.pk}"] = forms.ChoiceField(
                label=row.member.full_name,
                choices=Attendance.Status.choices,
                initial=saved.status if saved else Attendance.Status.PRESENT,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                error_messages={"required": _("Hãy chọn có mặt hay vắng.")},
            )
            self.fields[f"reason_{row.member.pk}"] = forms.CharField(
                label=_("Lý do vắng"),
                required=False,
                max_length=255,
                initial=saved.reason if saved else "",
            )
        for row in self.missing:
            self.fields[f"status_{row.member.pk}"] = forms.ChoiceField(
                label=row.member.full_name,
                choices=[("", NOT_RECORDED), *Attendance.Status.choices],
                required=False,
                initial="",
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )
            self.fields[f"reason_{row.member.pk}"] = forms.CharField(
                label=_("Lý do vắng"), required=False, max_length=255
            )

    @functools.cached_property
    def status_choices(self):
        """(value, label) of each status, in the active language, for the sheet's radios."""
        return [(value, str(label)) for value, label in Attendance.Status.choices]

    def _entry(self, row):
        return row, self[f"status_{row.member.pk}"], self[f"reason_{row.member.pk}"]

    def groups(self):
        """The roster as (group, [(row, status field, reason field)]), in group order."""
        grouped = []
        for row in self.roster:
            entry = self._entry(row)
            if grouped and grouped[-1][0] == row.group:
                grouped[-1][1].append(entry)
            else:
                grouped.append((row.group, [entry]))
        return grouped

    def sections(self) -> list[SheetSection]:
        """What the sheet shows: one section per group, then the missing members apart."""
        sections = [
            SheetSection(str(group) if group else _("Chưa thuộc tổ"), entries, self.status_choices)
            for group, entries in self.groups()
        ]
        if self.missing:
            sections.append(
                SheetSection(
                    _("Đảng viên chưa có trong bảng điểm danh đã lưu"),
                    [self._entry(row) for row in self.missing],
                    [("", str(NOT_RECORDED)), *self.status_choices],
                    missing=True,
                )
            )
        return sections

    def clean(self):
        cleaned = super().clean()
        for row in [*self.roster, *self.missing]:
            pk = row.member.pk
            status = cleaned.get(f"status_{pk}")
            reason = (cleaned.get(f"reason_{pk}") or "").strip()
            if status == Attendance.Status.EXCUSED and not reason:
                self.add_error(f"reason_{pk}", _("Vắng có lý do thì cần ghi lý do."))
            if status == Attendance.Status.PRESENT:
                reason = ""
            cleaned[f"reason_{pk}"] = reason
        return cleaned

    def entries(self) -> list[AttendanceEntry]:
        """The rows to save: the sheet's, and the missing members given a status."""
        return [
            AttendanceEntry(
                member_id=row.member.pk,
                group_id=row.group.pk if row.group else None,
                status=self.cleaned_data[f"status_{row.member.pk}"],
                reason=self.cleaned_data[f"reason_{row.member.pk}"],
            )
            for row in [*self.roster, *self.missing]
            if self.cleaned_data[f"status_{row.member.pk}"]
        ]

    def temporary_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["temporary"]]

    def record(self) -> SessionRecord:
        data = self.cleaned_data
        return SessionRecord(
            guest_count=data["guest_count"],
            guest_names=data["guest_names"],
            conclusion=data["conclusion"],
            minutes=data["minutes"],
        )
