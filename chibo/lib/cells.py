"""Scoping a query to one cell: every model names its path to its cell in ``CELL_PATH``.

``of_cell(queryset, cell)`` keeps the rows of one cell of any model's
queryset; ``CellQuerySet`` is mixed into the QuerySets of the models read most
(members, groups, plans, sessions, attendance) to write it ``.of_cell(cell)``.
Both read only ``model.CELL_PATH`` and so know no app. A model without a path
fails at once rather than answering rows of every cell.
"""

from django.db import models


def cell_filter(model, cell) -> dict:
    """The lookup that keeps ``model``'s rows of ``cell`` (a cell or its id)."""
    return {model.CELL_PATH: cell}


def of_cell(queryset: models.QuerySet, cell) -> models.QuerySet:
    """The rows of ``queryset`` that belong to ``cell`` (an Organisation or its pk)."""
    return queryset.filter(**cell_filter(queryset.model, cell))


class CellQuerySet(models.QuerySet):
    def of_cell(self, cell):
        """The rows of ``cell`` only, through the model's ``CELL_PATH``."""
        return of_cell(self, cell)
