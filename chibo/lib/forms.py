"""Model forms that check every unique constraint, those of records of a cell included."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint


class UniqueOffFormMixin:
    """Check the unique constraints that name a field the form does not have.

    Django skips them (a plan's year unique per ``cell``, a cell's name unique
    under its ``parent``), so a duplicate would end as a database error; here
    it gets the constraint's message on the first field the user typed.
    """

    def validate_unique(self):
        super().validate_unique()
        model = type(self.instance)
        for constraint in model._meta.constraints:
            if not isinstance(constraint, UniqueConstraint):
                continue
            typed = [name for name in constraint.fields if name in self.fields]
            if len(typed) == len(constraint.fields) or not typed:
                continue  # Django checks it, or the user typed none of it
            if any(self.has_error(name) for name in typed):
                continue
            try:
                constraint.validate(model, self.instance)
            except ValidationError as error:
                self.add_error(typed[0], error)


class CellModelForm(UniqueOffFormMixin, forms.ModelForm):
    """A ModelForm of a record of a cell: the view gives the cell, the user never types it."""

    def __init__(self, *args, cell=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cell is not None:
            self.instance.cell = cell


class OwnRowsInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset that looks the id a row posts up among its object's rows only.

    Django gives each row a hidden id looked up among every row of the model:
    every cell's (a team of another cell's contest passed, then was ignored).
    Here only among the rows of the formset's object (its session), as shown.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get(self._pk_field.name)
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = self.get_queryset()
