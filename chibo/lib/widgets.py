"""Date and time inputs written the Vietnamese way: dd/mm/yyyy and 24-hour hh:mm.

Browsers draw <input type="date"> in the language of the operating system, so
an office PC with an English Windows would show mm/dd/yyyy and AM/PM. Plain
text inputs with the cell's own format avoid that; the server also accepts
ISO dates (see chibo/formats).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chibo.lib.dates import FIRST_YEAR, LAST_YEAR, valid_year


def _attrs(attrs, placeholder, size):
    return {"placeholder": placeholder, "autocomplete": "off", "size": size, **(attrs or {})}


class DateInput(forms.DateInput):
    def __init__(self, attrs=None):
        super().__init__(_attrs(attrs, _("vd: 15/07/2026"), 10), format="%d/%m/%Y")


class DateTimeInput(forms.DateTimeInput):
    def __init__(self, attrs=None):
        super().__init__(_attrs(attrs, _("vd: 15/07/2026 08:00"), 16), format="%d/%m/%Y %H:%M")


class TimeInput(forms.TimeInput):
    def __init__(self, attrs=None):
        super().__init__(_attrs(attrs, _("vd: 10:30"), 5), format="%H:%M")


def share_choices(fields):
    """Evaluate the first ModelChoiceField's choices once and give them to all.

    A form with three member pickers (or a formset with one per row) would
    otherwise query the member list once per field when it renders.
    """
    fields = list(fields)
    if not fields:
        return
    choices = list(fields[0].choices)
    for field in fields:
        field.choices = choices


class DateTimeField(forms.DateTimeField):
    """A date and time typed dd/mm/yyyy hh:mm, between 1930 and 2200.

    Django accepts any year from 1 to 9999; "01/01/0001 00:00" in Hà Nội is
    then before the first instant a datetime can hold in UTC, and saving it
    was a server error. A year the cell cannot have lived is refused on the
    field instead.
    """

    widget = DateTimeInput

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not valid_year(result.year):
            raise ValidationError(
                _("Hãy nhập một thời điểm từ năm %(first)s đến năm %(last)s."),
                code="out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return result


class MultipleFileInput(forms.FileInput):
    """<input type="file" multiple>: several files chosen at once in the phone's picker."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """The files of a MultipleFileInput, each checked as a FileField checks one; a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []
