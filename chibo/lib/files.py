"""Removing stored files (documents, photos) in step with the rows that name them.

A row deleted in a transaction can come back if the transaction rolls back;
its file must still be there then. So files are removed only once the
deleting transaction commits (at once outside a transaction). Files written
for rows that were never committed (a write that failed midway) are removed
at once: nothing will ever name them.
"""

from collections.abc import Iterable
from functools import partial

from django.core.files.storage import Storage, default_storage
from django.db import transaction


def delete_after_commit(names: Iterable[str], *, storage: Storage | None = None) -> None:
    """Remove the stored files ``names`` when the current transaction commits."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(partial(_remove, names, storage or default_storage))


def discard(names: Iterable[str], *, storage: Storage | None = None) -> None:
    """Remove files written for rows that were rolled back: now, not after a commit."""
    _remove([name for name in names if name], storage or default_storage)


def _remove(names: list[str], storage: Storage) -> None:
    for name in names:
        storage.delete(name)
