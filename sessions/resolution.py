"""The monthly resolution (nghị quyết tháng) of a meeting, and its review at the next.

A meeting reviews every task of an earlier resolution still open before it
(``ResolutionTask.objects.open_before``): a task carries over, meeting after
meeting, until a review finds it done. The page's two parts, the review and
the meeting's own tasks, are saved together (``services.save_resolution``).
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.lib.forms import OwnRowsInlineFormSet
from chibo.lib.widgets import DateInput
from sessions.forms import share_member_pickers
from sessions.models import ResolutionTask, TaskReview, ThematicSession


@dataclass
class ReviewLine:
    """A task the meeting reviews, with its review at this meeting if it has one."""

    task: ResolutionTask
    review: TaskReview | None

    @property
    def is_late(self) -> bool:
        return self.review is None and self.task.due_on < timezone.localdate()


def review_lines(session: ThematicSession) -> list[ReviewLine]:
    """The tasks ``session`` reviews, oldest first (two queries)."""
    tasks = (
        ResolutionTask.objects.of_cell(session.plan.cell_id)
        .open_before(session.start)
        .select_related("session", "responsible")
        .order_by("session__start", "order", "pk")
    )
    tasks = list(tasks)
    reviews = {
        review.task_id: review
        for review in TaskReview.objects.filter(session=session, task__in=[t.pk for t in tasks])
    }
    return [ReviewLine(task, reviews.get(task.pk)) for task in tasks]


def meeting_tasks(session: ThematicSession):
    return session.tasks.select_related("responsible").order_by("order", "pk")


class ReviewForm(forms.Form):
    """The review of one task: its outcome at this meeting (blank: not reviewed) and a note."""

    outcome = forms.ChoiceField(
        label=_("Kết quả"),
        required=False,
        choices=[("", _("— chưa kiểm điểm —")), *TaskReview.Outcome.choices],
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )

    def __init__(self, *args, line: ReviewLine, **kwargs):
        review = line.review
        initial = {"outcome": review.outcome, "note": review.note} if review else {}
        super().__init__(*args, prefix=f"review-{line.task.pk}", initial=initial, **kwargs)
        self.line = line

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("note") and not cleaned.get("outcome"):
            self.add_error("outcome", _("Chọn kết quả cho nhiệm vụ có ghi chú."))
        return cleaned


class TaskForm(forms.ModelForm):
    class Meta:
        model = ResolutionTask
        fields = ["content", "responsible", "responsible_name", "due_on"]
        widgets = {"content": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("content"):
            return cleaned
        if bool(cleaned.get("responsible")) == bool(cleaned.get("responsible_name")):
            raise ValidationError(
                _("Chọn một đảng viên phụ trách hoặc ghi bộ phận phụ trách, không chọn cả hai.")
            )
        due = cleaned.get("due_on")
        session = self.instance.session
        if due and due < timezone.localdate(session.start):
            self.add_error("due_on", _("Thời hạn không thể trước ngày ra nghị quyết."))
        return cleaned

    def validate_constraints(self, exclude=None):
        return  # checked in clean() with the page's words; the database checks again


TaskFormSet = inlineformset_factory(
    ThematicSession,
    ResolutionTask,
    form=TaskForm,
    formset=OwnRowsInlineFormSet,
    extra=3,
    can_delete=True,
)


class ResolutionPage:
    """The review of earlier tasks and the meeting's own tasks, as one form."""

    def __init__(self, data=None, *, session: ThematicSession):
        self.session = session
        self.lines = review_lines(session)
        self.reviews = [ReviewForm(data, line=line) for line in self.lines]
        self.tasks = TaskFormSet(data, instance=session, prefix="tasks")
        share_member_pickers(self.tasks.forms, "responsible", session.plan.cell_id)

    def is_valid(self) -> bool:
        # Every form is checked, so that each shows its errors.
        reviews = [form.is_valid() for form in self.reviews]
        return self.tasks.is_valid() and all(reviews)

    def review_data(self) -> dict:
        """``{task: (outcome, note)}`` for every line; a blank outcome removes a review."""
        return {
            form.line.task: (form.cleaned_data["outcome"], form.cleaned_data["note"])
            for form in self.reviews
        }
