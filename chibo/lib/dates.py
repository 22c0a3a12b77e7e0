"""The years a date of a cell's life can fall in.

The Communist Party of Viet Nam was founded on 3 February 1930: nothing a
cell records is older. 2200 is far enough ahead for any plan, and keeps every
moment inside what a datetime can hold in UTC.
"""

from datetime import date

FIRST_YEAR, LAST_YEAR = 1930, 2200
PARTY_FOUNDED = date(FIRST_YEAR, 2, 3)


def valid_year(year: int) -> bool:
    """Whether ``year`` is one a plan, a summary or a record can be asked for."""
    return FIRST_YEAR <= year <= LAST_YEAR
