"""The grading page's form: one field per criterion of the session's scheme, and the grade."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions.grading import Scheme
from sessions.models import AttendanceFigures, Grade
from sessions.services import Grading, grade_refusal, grading_of


class GradingForm(forms.Form):
    """Points per criterion (0 to its maximum) and a grade no higher than they give.

    ``grading`` (after ``is_valid``) is what the points give: the total, the
    grade of the thresholds and the highest grade the attendance allows.
    """

    grade = forms.ChoiceField(
        label=_("Xếp loại"),
        required=False,
        choices=[("", _("Theo điểm")), *Grade.choices],
        help_text=_(
            "Để “Theo điểm” thì xếp loại theo thang điểm; chi bộ có thể hạ xếp loại, "
            "không nâng lên."
        ),
    )

    def __init__(self, *args, scheme: Scheme, figures: AttendanceFigures, saved=None, **kwargs):
        self.scheme = scheme
        self.figures = figures
        self.grading: Grading | None = None
        super().__init__(*args, **kwargs)
        saved = saved or {}
        for criterion in scheme.criteria:
            limit = criterion.max_points
            self.fields[f"points_{criterion.key}"] = forms.DecimalField(
                label=criterion.label,
                min_value=0,
                max_value=limit,
                max_digits=5,
                decimal_places=1,
                initial=saved.get(criterion.key),
                help_text=_("Tối đa %(max)s điểm.") % {"max": limit},
                widget=forms.NumberInput(attrs={"min": 0, "max": limit, "step": "0.5"}),
                error_messages={
                    "required": _("Hãy chấm điểm tiêu chí này."),
                    "max_value": _("Tiêu chí này tối đa %(limit_value)s điểm."),
                    "min_value": _("Điểm không được âm."),
                },
            )
        self.order_fields([*(f"points_{c.key}" for c in scheme.criteria), "grade"])

    def points(self) -> dict:
        return {c.key: self.cleaned_data[f"points_{c.key}"] for c in self.scheme.criteria}

    def clean(self):
        cleaned = super().clean()
        if any(f"points_{c.key}" not in cleaned for c in self.scheme.criteria):
            return cleaned
        self.grading = grading_of(self.scheme, self.points(), self.figures)
        refusal = grade_refusal(self.grading, cleaned.get("grade") or "")
        if refusal:
            self.add_error("grade", refusal)
        return cleaned
