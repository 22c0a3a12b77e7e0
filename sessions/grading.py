"""The grading schemes of a session (thang điểm, xếp loại), as data, and which one applies.

A scheme is what the guidance of its time asks: the criteria with their
maximum points, the lowest total of each grade, and the attendance a session
graded Tốt must have. Which scheme applies on a day is the setting
``CHIBO_GRADING_SCHEMES`` (dated versions), read only by ``scheme_on``.
docs/grading.md says where each scheme comes from.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The grades, best first: the values of sessions.models.Grade.
GOOD, FAIR, AVERAGE, POOR = "good", "fair", "average", "poor"
ORDER = (GOOD, FAIR, AVERAGE, POOR)


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    max_points: int


@dataclass(frozen=True)
class GoodAttendance:
    """The attendance a session graded Tốt must have.

    A rate above ``CHIBO_GOOD_ATTENDANCE_PERCENT`` (a setting, as every
    threshold) and at most ``max_unexcused`` unexcused absences.
    """

    max_unexcused: int = 0

    @property
    def percent(self) -> int:
        return settings.CHIBO_GOOD_ATTENDANCE_PERCENT


# The 2018 rule: above the percentage, no unexcused absence.
NO_UNEXCUSED = GoodAttendance(max_unexcused=0)


@dataclass(frozen=True)
class Scheme:
    key: str
    name: str
    criteria: tuple[Criterion, ...]
    # The lowest total of each grade, best first; under every one: Kém.
    thresholds: tuple[tuple[str, int], ...]
    good_attendance: GoodAttendance | None = NO_UNEXCUSED

    @property
    def max_score(self) -> int:
        return sum(criterion.max_points for criterion in self.criteria)

    def grade_for(self, total) -> str:
        """The grade a total earns under the thresholds alone."""
        for grade, minimum in self.thresholds:
            if total >= minimum:
                return grade
        return POOR

    def total(self, points: dict) -> Decimal:
        return sum((Decimal(points.get(c.key) or 0) for c in self.criteria), Decimal(0))


# Hướng dẫn 12-HD/BTCTW (06/7/2018): the framework criteria, weighted as
# committees applying it score a session out of 100 (preparation 15,
# attendance 20, conduct 45, conclusion 20; Tốt from 90, Khá from 70,
# Trung bình from 50), the scale Chibo used before grading by criteria.
HD12_2018 = Scheme(
    key="hd12-2018",
    name=_("Hướng dẫn 12-HD/BTCTW năm 2018"),
    criteria=(
        Criterion("preparation", _("Công tác chuẩn bị"), 15),
        Criterion("attendance", _("Tỷ lệ đảng viên dự sinh hoạt"), 20),
        Criterion("conduct", _("Tổ chức sinh hoạt"), 45),
        Criterion("conclusion", _("Kết luận, nghị quyết"), 20),
    ),
    thresholds=((GOOD, 90), (FAIR, 70), (AVERAGE, 50)),
)

# Hướng dẫn 42-HD/BTCTW (28/10/2025), under Chỉ thị 50-CT/TW (23/7/2025).
# Its text was not at hand: the five groups of the framework criteria it
# continues (those of 2018, with the principles of Party life and the results
# of the cell's conclusions apart) carry Chibo's own weights out of 100, and
# the 2018 attendance condition. docs/grading.md says so; a committee's own
# table replaces these numbers here.
HD42_2025 = Scheme(
    key="hd42-2025",
    name=_("Hướng dẫn 42-HD/BTCTW năm 2025"),
    criteria=(
        Criterion("attendance", _("Tỷ lệ đảng viên dự sinh hoạt"), 20),
        Criterion("preparation", _("Công tác chuẩn bị"), 20),
        Criterion("conduct", _("Tổ chức sinh hoạt"), 30),
        Criterion("principles", _("Thực hiện nguyên tắc tổ chức, sinh hoạt đảng"), 15),
        Criterion("results", _("Kết quả thực hiện kết luận, nghị quyết"), 15),
    ),
    thresholds=((GOOD, 90), (FAIR, 70), (AVERAGE, 50)),
)

SCHEMES = {scheme.key: scheme for scheme in (HD12_2018, HD42_2025)}


def versions() -> list[tuple[dt.date, Scheme]]:
    """The setting's dated versions, oldest first, checked."""
    result = []
    for start, key in settings.CHIBO_GRADING_SCHEMES:
        if key not in SCHEMES:
            raise ImproperlyConfigured(f"CHIBO_GRADING_SCHEMES: unknown scheme {key!r}")
        result.append((dt.date.fromisoformat(str(start)), SCHEMES[key]))
    if not result:
        raise ImproperlyConfigured("CHIBO_GRADING_SCHEMES is empty")
    return sorted(result, key=lambda pair: pair[0])


def scheme_on(day: dt.date) -> Scheme:
    """The scheme in force on ``day``: the latest version started on or before it.

    A day before the first version takes the first: Chibo knows no older one.
    """
    found = None
    for start, scheme in versions():
        if found is None or start <= day:
            found = scheme
    return found


def scheme_by_key(key: str) -> Scheme | None:
    return SCHEMES.get(key)


def lower_or_equal(grade: str, than: str) -> bool:
    return ORDER.index(grade) >= ORDER.index(than)
