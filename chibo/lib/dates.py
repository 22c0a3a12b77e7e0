"""The years a date of a cell's life can fall in.

The Communist Party of Viet Nam was founded on 3 February 1930: nothing a
cell records is older. 2200 is far enough ahead for any plan, and keeps every
moment inside what a datetime can hold in UTC.
"""

from calendar import monthrange
from datetime import date, datetime, timedelta

from django.utils import dateformat, formats, timezone
from django.utils.translation import get_language, pgettext_lazy

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


# The days of the week in full, as a Vietnamese page writes them ("Thứ Năm", never
# "T5" or Django's "Thứ 5"), Monday first as date.weekday() counts.
WEEKDAYS = (
    pgettext_lazy("weekday", "Thứ Hai"),
    pgettext_lazy("weekday", "Thứ Ba"),
    pgettext_lazy("weekday", "Thứ Tư"),
    pgettext_lazy("weekday", "Thứ Năm"),
    pgettext_lazy("weekday", "Thứ Sáu"),
    pgettext_lazy("weekday", "Thứ Bảy"),
    pgettext_lazy("weekday", "Chủ Nhật"),
)


def _parts(day) -> dict:
    """What a date pattern of ``chibo/formats`` may use: Vietnamese numbers, or names.

    Each language's formats module orders them: Vietnamese writes 14/05/2020,
    English "14 May 2020" (day, the month's name, year: English order).
    """
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return {
        "weekday": WEEKDAYS[day.weekday()],
        "date": f"{day:%d/%m/%Y}",
        # Two digits each, as the document heading wrote them before (d, m).
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
        "day_number": day.day,
        "month_name": dateformat.format(day, "F"),
    }


def _pattern(name: str, default: str) -> str:
    """A pattern of the active language's ``chibo/formats`` module (``FORMAT_MODULE_PATH``)."""
    for module in formats.get_format_modules(get_language()):
        if hasattr(module, name):
            return getattr(module, name)
    return default


def day_in_full(day) -> str:
    """The weekday in full and the date: "Thứ Năm, 14/05/2020"; "Thursday, 14 May 2020"."""
    return _pattern("DAY_IN_FULL_FORMAT", "{weekday}, {date}").format(**_parts(day))


def dated_line(day) -> str:
    """The date of a document's place-and-date line: "ngày 14 tháng 05 năm 2020"; "14 May 2020"."""
    default = "ngày {day} tháng {month} năm {year}"
    return _pattern("DATED_LINE_FORMAT", default).format(**_parts(day))
