"""Numbers read from a query string (``?year=2020``, ``?group=3``)."""


def number_from(raw: str | None) -> int | None:
    """A whole number of at most 18 digits, or None for anything else.

    A longer number would pass ``int()`` but not the database (past 2**63 it
    cannot even be handed to SQLite): it answers as no number at all.
    """
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    return None
