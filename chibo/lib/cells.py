"""Scoping a query to one cell: every model names its path to its cell in ``CELL_PATH``.

``of_cell(queryset, cell)`` keeps the rows of one cell of any model's
queryset; ``CellQuerySet`` is the QuerySet of every model of a cell, to
write it ``.of_cell(cell)``. Both read only ``model.CELL_PATH`` and so know
no app. A model without a path fails at once rather than answering rows of
every cell.

The guard. A ``CellQuerySet`` remembers whether it is scoped to a cell:

- by ``.of_cell(cell)``, or a filter on its ``CELL_PATH`` (``cell=…``,
  ``session__plan__cell__in=…``);
- by starting from an object of a cell: a related manager
  (``session.attendances``), a prefetch, or a filter whose value is such an
  object, a list of them or a scoped queryset (``member=member``,
  ``session__in=held``), or an OR whose every branch is one of these;
- by ``.across_cells()``, which code that really reads several cells writes,
  with a comment saying why.

While the guard is on (``cell_guard()``: ``chibo.middleware.CellGuardMiddleware``
switches it on for every request when ``settings.CHIBO_CELL_GUARD`` is set,
as the tests do), reading an unscoped one (iterating, ``count``, ``exists``,
``aggregate``, ``get``, ``update``, ``delete``…) raises ``UnscopedQuery``.
Outside it (test setup, migrations, the shell, management commands, the
admin for superusers, and production) nothing is checked. A queryset inside
another query (``Exists``, ``Subquery``, ``__in``) is never read on its own
and is not checked: the outer query is. The history models
(django-simple-history) and the base manager (what a forward foreign key
reads, from a row already read) are not guarded.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

from django.db import models
from django.db.models import Q

_guard: ContextVar[bool] = ContextVar("chibo_cell_guard", default=False)


class UnscopedQuery(Exception):
    """A query on a cell's rows that says no cell, read while the guard is on."""


def set_cell_guard(on: bool) -> Token:
    """Switch the guard on or off; ``reset_cell_guard(token)`` puts it back as it was."""
    return _guard.set(on)


def reset_cell_guard(token: Token) -> None:
    _guard.reset(token)


@contextmanager
def cell_guard(on: bool = True) -> Iterator[None]:
    """Switch the guard on (or off) for the code inside, then back as it was."""
    token = set_cell_guard(on)
    try:
        yield
    finally:
        reset_cell_guard(token)


def guard_is_on() -> bool:
    return _guard.get()


def cell_filter(model, cell) -> dict:
    """The lookup that keeps ``model``'s rows of ``cell`` (a cell or its id)."""
    return {model.CELL_PATH: cell}


def of_cell(queryset: models.QuerySet, cell) -> models.QuerySet:
    """The rows of ``queryset`` that belong to ``cell`` (an Organisation or its pk)."""
    return queryset.filter(**cell_filter(queryset.model, cell))


def _on_cell_path(path: str, lookup: str) -> bool:
    """``lookup`` is ``path`` to the cell (or its id), with ``exact`` or ``in``."""
    for suffixes in (("__in", "__exact"), ("_id", "__pk", "__id")):
        for suffix in suffixes:
            if lookup.endswith(suffix):
                lookup = lookup.removesuffix(suffix)
                break
    return lookup == path


def _of_a_cell(value) -> bool:
    """``value`` is an object of a cell, a queryset scoped to one, or a list of such objects."""
    if isinstance(value, models.Model):
        return hasattr(value, "CELL_PATH")
    if isinstance(value, CellQuerySet):
        return value._is_scoped
    if isinstance(value, list | tuple | set | frozenset):
        return bool(value) and all(
            isinstance(item, models.Model) and hasattr(item, "CELL_PATH") for item in value
        )
    return False


def _condition_scopes(path: str, condition) -> bool:
    """A condition of a filter (a ``(lookup, value)`` pair or a ``Q``) keeps one cell's rows.

    A ``Q`` does when one of its parts does (AND), or each of them (OR); never negated.
    """
    if isinstance(condition, tuple):
        lookup, value = condition
        return _on_cell_path(path, lookup) or _of_a_cell(value)
    if not isinstance(condition, Q) or condition.negated or not condition.children:
        return False
    parts = (_condition_scopes(path, child) for child in condition.children)
    return any(parts) if condition.connector == Q.AND else all(parts)


def _scopes(path: str, args, kwargs) -> bool:
    """A filter with these arguments keeps the rows of a cell, or of objects of a cell."""
    return any(_condition_scopes(path, pair) for pair in kwargs.items()) or any(
        _condition_scopes(path, arg) for arg in args
    )


class CellQuerySet(models.QuerySet):
    """The QuerySet of a model of a cell: ``.of_cell(cell)``, and the guard (above)."""

    _cell_scoped = False

    def of_cell(self, cell):
        """The rows of ``cell`` only, through the model's ``CELL_PATH``."""
        return of_cell(self, cell)

    def across_cells(self):
        """These rows, of every cell: a read that means to span cells says so with this."""
        clone = self._chain()
        clone._cell_scoped = True
        return clone

    # --- How a queryset becomes scoped.

    @property
    def _is_scoped(self) -> bool:
        # A related manager and a prefetch name the object they start from in
        # the hints (a prefetch filters on its objects without filter()).
        return self._cell_scoped or "instance" in self._hints

    def _clone(self):
        clone = super()._clone()
        if self._cell_scoped:
            clone._cell_scoped = True
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        if not negate and not clone._cell_scoped and _scopes(self.model.CELL_PATH, args, kwargs):
            clone._cell_scoped = True
        return clone

    # --- Where a queryset is read.

    def _check_scoped(self):
        if _guard.get() and not self._is_scoped and not self.query.is_empty():
            model = self.model.__name__
            raise UnscopedQuery(
                f"A query on {model} read without a cell. Scope it with "
                f".of_cell(cell), start from an object of the cell "
                f"(a related manager, a filter on the object), or, for a read that "
                f"spans cells, mark it .across_cells() and say why "
                f"({model}.CELL_PATH = {self.model.CELL_PATH!r})."
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scoped()
        super()._fetch_all()

    def iterator(self, chunk_size=None):
        self._check_scoped()
        return super().iterator(chunk_size)

    def count(self):
        if self._result_cache is None:
            self._check_scoped()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check_scoped()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_scoped()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._check_scoped()
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        self._check_scoped()
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def explain(self, *, format=None, **options):
        self._check_scoped()
        return super().explain(format=format, **options)

    def bulk_update(self, objs, fields, batch_size=None):
        # The rows are objects the caller already holds, as with save().
        return super(CellQuerySet, self.across_cells()).bulk_update(objs, fields, batch_size)

    bulk_update.alters_data = True
