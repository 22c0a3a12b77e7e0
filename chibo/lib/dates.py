"""The years a date of a cell's life can fall in.

The Communist Party of Viet Nam was founded on 3 February 1930: nothing a
cell records is older. 2200 is far enough ahead for any plan, and keeps every
moment inside what a datetime can hold in UTC.
"""

from calendar import monthrange
from datetime import date, timedelta

FIRST_YEAR, LAST_YEAR = 1930, 2200
PARTY_FOUNDED = date(FIRST_YEAR, 2, 3)


def valid_year(year: int) -> bool:
    """Whether ``year`` is one a plan, a summary or a record can be asked for."""
    return FIRST_YEAR <= year <= LAST_YEAR


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative: back), on the same day of the month.

    A day the target month lacks becomes its last day: 29/02/2024 + 12 months
    is 28/02/2025, as the Party's offices count a probation of twelve months.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def days_reaching(first: date, last: date, months: int) -> tuple[date, date]:
    """The days ``d`` with ``add_months(d, months)`` between ``first`` and ``last`` (inclusive).

    ``add_months`` never goes backwards, so those days are one range: returned
    as its first and last day, for a query to filter on.
    """
    low = add_months(first, -months)
    while add_months(low, months) < first:
        low += timedelta(days=1)
    while add_months(low - timedelta(days=1), months) >= first:
        low -= timedelta(days=1)
    high = add_months(last, -months)
    while add_months(high + timedelta(days=1), months) <= last:
        high += timedelta(days=1)
    while add_months(high, months) > last:
        high -= timedelta(days=1)
    return low, high
