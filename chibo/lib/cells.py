"""A cell's rows of any model: the one filter every lookup scoped to a cell uses."""

from django.db.models import QuerySet


def of_cell(queryset: QuerySet, cell) -> QuerySet:
    """The rows of ``queryset`` that belong to ``cell`` (an Organisation or its pk).

    Each model of a cell names how it reaches it in ``CELL_PATH`` (``"cell"``,
    ``"member__cell"``, ``"session__plan__cell"``…); a model without one fails
    here at once rather than answering rows of every cell.
    """
    return queryset.filter(**{queryset.model.CELL_PATH: cell})
