"""The rule that puts a member's removal from the rolls on the cell's table (xóa tên).

The Party's Charter (Điều lệ Đảng 2011, Điều 8, khoản 2): a member who misses
the cell's meetings (bỏ sinh hoạt đảng) in three months of a year without a
valid reason is considered for removal. Chibo flags such a member: every
meeting of the cell the member was expected at counts, regular or thematic,
a combined meeting once (it is one meeting, ``ThematicSession``), and an
unexcused absence marks its month. The rule's wording and threshold are data
here; which rule applies from which day is the setting
``CHIBO_REMOVAL_RULES`` (dated versions), read only by ``rule_on``, as the
grading schemes are (sessions/grading.py).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RemovalRule:
    key: str
    # Months of a year with an unexcused absence that put removal on the table.
    months: int
    wording: str
    source: str


DIEU_LE_2011 = RemovalRule(
    key="dieu-le-2011",
    months=3,
    wording=_(
        "Đảng viên bỏ sinh hoạt đảng ba tháng trong năm mà không có lý do chính đáng thì chi bộ "
        "xem xét, đề nghị lên cấp có thẩm quyền xóa tên trong danh sách đảng viên."
    ),
    source=_("Điều lệ Đảng (2011), Điều 8, khoản 2"),
)

RULES = {rule.key: rule for rule in (DIEU_LE_2011,)}


def versions() -> list[tuple[dt.date, RemovalRule]]:
    """The setting's dated versions, oldest first, checked."""
    result = []
    for start, key in settings.CHIBO_REMOVAL_RULES:
        if key not in RULES:
            raise ImproperlyConfigured(f"CHIBO_REMOVAL_RULES: unknown rule {key!r}")
        result.append((dt.date.fromisoformat(str(start)), RULES[key]))
    if not result:
        raise ImproperlyConfigured("CHIBO_REMOVAL_RULES is empty")
    return sorted(result, key=lambda pair: pair[0])


def rule_on(day: dt.date) -> RemovalRule:
    """The rule in force on ``day``: the latest version started on or before it."""
    found = None
    for start, rule in versions():
        if found is None or start <= day:
            found = rule
    return found


def rule_of_year(year: int) -> RemovalRule:
    """The rule a year is judged by: the one in force at its end."""
    return rule_on(dt.date(year, 12, 31))


def months_unexcused(attendance) -> dict[int, int]:
    """For each member, the months with an unexcused absence among ``attendance`` rows.

    One query. Rows of members attending temporarily do not count: they are
    expected at their own cell's meetings.
    """
    return {row["member"]: row["months"] for row in months_by(attendance, "member")}


def months_by(attendance, *fields):
    """The months with an unexcused absence per value of ``fields`` (one query)."""
    return (
        attendance.counted()
        .filter(status="unexcused")
        .values(*fields)
        .order_by(*fields)
        .annotate(months=Count(TruncMonth("session__start"), distinct=True))
    )


def reaches(months: int, rule: RemovalRule) -> bool:
    return months >= rule.months
