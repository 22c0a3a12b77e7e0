"""Form inputs that phones and office browsers show with their own pickers.

The browser sends ISO dates and times whatever the language; the server also
accepts dd/mm/yyyy (see chibo/formats).
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


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
