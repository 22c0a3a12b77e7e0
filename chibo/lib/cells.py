"""Scoping a query to one cell: every model names its path to its cell in ``CELL_PATH``.

``CellQuerySet`` is mixed into the QuerySets of the models that belong to a
cell; it reads only ``self.model.CELL_PATH`` and so knows no app.
"""

from django.db import models


def cell_filter(model, cell) -> dict:
    """The lookup that keeps ``model``'s rows of ``cell`` (a cell or its id)."""
    return {model.CELL_PATH: cell}


class CellQuerySet(models.QuerySet):
    def of_cell(self, cell):
        """The rows of ``cell`` only, through the model's ``CELL_PATH``."""
        return self.filter(**cell_filter(self.model, cell))
