"""Forms of records that belong to a cell."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint


class CellModelForm(forms.ModelForm):
    """A ModelForm of a record of a cell: the view gives the cell, the user never types it.

    Django checks no constraint naming a field that is not on the form, so a
    constraint unique per cell (a group's name, a plan's year) would go
    unchecked and end as a database error; it is checked here, its message on
    the field the user typed.
    """

    def __init__(self, *args, cell=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cell is not None:
            self.instance.cell = cell

    def validate_unique(self):
        super().validate_unique()
        model = type(self.instance)
        for constraint in model._meta.constraints:
            if not isinstance(constraint, UniqueConstraint) or "cell" not in constraint.fields:
                continue
            typed = [name for name in constraint.fields if name != "cell"]
            if not all(name in self.fields and not self.has_error(name) for name in typed):
                continue
            try:
                constraint.validate(model, self.instance)
            except ValidationError as error:
                self.add_error(typed[0], error)
