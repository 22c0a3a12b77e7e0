"""The annual report: the year told in sentences, as a cell reports to its superior committee.

Every number comes from ``summaries.year_summary`` or from one aggregate
query here; the sentences are built in Python so that tests can read them.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.lib.text import starts_with_words
from members.models import Member
from sessions.models import (
    AnnualPlan,
    Award,
    ContestTeam,
    Grade,
    Photo,
    ReportText,
    Submission,
    ThematicSession,
)
from sessions.reports.summaries import (
    MemberRow,
    SessionRow,
    YearSummary,
    groups_of_year,
    year_summary,
)
from sessions.sent import cell_secretary

# Enough photos to show each session, few enough for a printed report.
PHOTOS_PER_SESSION = 2
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
Format = ThematicSession.Format


def in_sentence(label) -> str:
    """A choice label ("Hội thi, sân khấu hóa") as it reads inside a sentence."""
    text = str(label)
    return text[:1].lower() + text[1:]


def join_words(items: list[str], separator: str = ", ") -> str:
    """'a, b và c' in the active language."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s và %(last)s") % {"items": separator.join(items[:-1]), "last": items[-1]}


def rate_text(rate) -> str:
    return "—" if rate is None else f"{formats.number_format(rate, 1)} %"


def quarters_text(quarters: list[int]) -> str:
    return join_words([ROMAN[quarter] for quarter in quarters])


@dataclass
class Contest:
    session: ThematicSession
    teams: list[ContestTeam] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)


@dataclass(frozen=True)
class TopicRow:
    """A held session in the report's list of topics."""

    session: ThematicSession
    figures: object
    presenter: str


@dataclass
class AnnualReport:
    summary: YearSummary
    plan: AnnualPlan | None
    # What the cell sent its superior committee for the year, plans and
    # reports, in the order sent (their documents not loaded).
    sendings: list[Submission]
    formats: list[tuple[str, int]]
    grades: list[tuple[str, int]]
    contests: list[Contest]
    photos: list[Photo]
    secretary: Member | None
    other_sessions: list[ThematicSession]
    # What the secretary wrote: the assessment and the direction (None: nothing yet).
    text: ReportText | None = None

    @property
    def year(self) -> int:
        return self.summary.year

    @property
    def plan_sent(self) -> Submission | None:
        """The plan's sending that counts: the last one."""
        plans = [sent for sent in self.sendings if sent.kind == Submission.Kind.PLAN]
        return plans[-1] if plans else None

    @property
    def held_sessions(self) -> list["TopicRow"]:
        """The held sessions as the report lists them, each with who presented it."""
        return [
            TopicRow(row.session, row.figures, presenter(row.session))
            for row in self.summary.sessions
        ]

    @property
    def next_year(self) -> int:
        return self.year + 1

    def sections(self) -> dict[str, str]:
        """The secretary's sections by field (``ReportText.SECTIONS``), empty when unwritten."""
        return {name: getattr(self.text, name, "") for name in ReportText.SECTIONS}

    # --- The sentences, in the order a cell's report gives them.

    def plan_sentence(self) -> str:
        plan, year = self.plan, self.year
        if plan is None:
            return _("Chi bộ chưa có kế hoạch sinh hoạt chuyên đề năm %(year)s.") % {"year": year}
        total = self.summary.totals.total
        topics = ngettext("%(count)s chuyên đề", "%(count)s chuyên đề", total) % {"count": total}
        if plan.status != AnnualPlan.Status.APPROVED:
            return _(
                "Kế hoạch sinh hoạt chuyên đề năm %(year)s (%(topics)s) còn là dự thảo, "
                "chưa được chi ủy thông qua."
            ) % {"year": year, "topics": topics}
        sentence = _(
            "Chi ủy đã xây dựng và thông qua kế hoạch sinh hoạt chuyên đề năm %(year)s "
            "ngày %(date)s, gồm %(topics)s"
        ) % {"year": year, "date": plan.approved_on.strftime("%d/%m/%Y"), "topics": topics}
        sent = self.plan_sent
        if sent is not None and sent.reference:
            sentence += _("; kế hoạch đã được gửi cấp ủy cấp trên ngày %(date)s, số %(number)s") % {
                "date": sent.sent_on.strftime("%d/%m/%Y"),
                "number": sent.reference,
            }
        elif sent is not None:
            sentence += _("; kế hoạch đã được báo cáo cấp ủy cấp trên ngày %(date)s") % {
                "date": sent.sent_on.strftime("%d/%m/%Y")
            }
        return sentence + "."

    def cell_sentence(self) -> str:
        members = len(self.summary.members)
        groups = len({row.group.pk for row in self.summary.members if row.group is not None})
        return ngettext(
            "Trong năm, chi bộ có %(members)s đảng viên, sinh hoạt ở %(groups)s tổ Đảng.",
            "Trong năm, chi bộ có %(members)s đảng viên, sinh hoạt ở %(groups)s tổ Đảng.",
            groups,
        ) % {"members": members, "groups": groups}

    def standing_sentence(self) -> str:
        """How many of the year's members were probationary at its end (Member.standing_in_year).

        Empty when none was: the standing a member had then, not today's.
        """
        probationary = sum(row.is_probationary for row in self.summary.members)
        if not probationary:
            return ""
        return ngettext(
            "Cuối năm, %(count)s đồng chí là đảng viên dự bị.",
            "Cuối năm, %(count)s đồng chí là đảng viên dự bị.",
            probationary,
        ) % {"count": probationary}

    def held_sentence(self) -> str:
        totals = self.summary.totals
        sentence = ngettext(
            "Năm %(year)s, chi bộ đã tổ chức %(count)s kỳ sinh hoạt chuyên đề",
            "Năm %(year)s, chi bộ đã tổ chức %(count)s kỳ sinh hoạt chuyên đề",
            totals.held,
        ) % {"year": self.year, "count": totals.held}
        if totals.held_by_group:
            sentence += ngettext(
                ", trong đó có %(count)s kỳ sinh hoạt theo tổ Đảng",
                ", trong đó có %(count)s kỳ sinh hoạt theo tổ Đảng",
                totals.held_by_group,
            ) % {"count": totals.held_by_group}
        return sentence + "."

    def changes_sentence(self) -> str:
        """Cancelled and not yet held sessions, then postponed ones; empty when there are none.

        Held, cancelled and not yet held add up to the plan; a postponed session
        is one of those too (held later, or still to hold), so it is said apart.
        """
        totals, parts = self.summary.totals, []
        if totals.cancelled:
            parts.append(
                ngettext("%(count)s kỳ bị hủy", "%(count)s kỳ bị hủy", totals.cancelled)
                % {"count": totals.cancelled}
            )
        if totals.pending:
            parts.append(
                ngettext("%(count)s kỳ chưa tổ chức", "%(count)s kỳ chưa tổ chức", totals.pending)
                % {"count": totals.pending}
            )
        sentences = []
        if parts:
            sentences.append(_("Theo kế hoạch: %(parts)s.") % {"parts": join_words(parts, "; ")})
        if totals.postponed:
            sentences.append(
                ngettext(
                    "Có %(count)s kỳ phải hoãn sang thời gian khác.",
                    "Có %(count)s kỳ phải hoãn sang thời gian khác.",
                    totals.postponed,
                )
                % {"count": totals.postponed}
            )
        return " ".join(sentences)

    def short_sentence(self) -> str:
        """The held sessions shorter than the rule, by the length the rule asks; or empty.

        "1 kỳ dưới 90 phút (12/03)": a session held group by group counts once,
        when one of its groups' meetings was short.
        """
        by_minimum: dict[int, list[SessionRow]] = {}
        for row in self.summary.sessions_short:
            by_minimum.setdefault(row.session.min_minutes, []).append(row)
        parts = [
            ngettext(
                "%(count)s kỳ dưới %(minutes)s phút (%(dates)s)",
                "%(count)s kỳ dưới %(minutes)s phút (%(dates)s)",
                len(rows),
            )
            % {
                "count": len(rows),
                "minutes": minutes,
                "dates": ", ".join(f"{timezone.localtime(r.session.start):%d/%m}" for r in rows),
            }
            for minutes, rows in sorted(by_minimum.items())
        ]
        if not parts:
            return ""
        return _("Về thời lượng, so với quy định: %(parts)s.") % {"parts": join_words(parts, "; ")}

    def quarters_sentence(self) -> str:
        minimum = settings.CHIBO_MIN_SESSIONS_PER_QUARTER
        rule = ngettext("ít nhất %(count)s kỳ mỗi quý", "ít nhất %(count)s kỳ mỗi quý", minimum) % {
            "count": minimum
        }
        missing = self.summary.quarters_missing
        open_quarters = [row.quarter for row in self.summary.quarters if row.meets_rule is None]
        if missing:
            sentence = _(
                "Quý %(quarters)s chưa có đủ kỳ sinh hoạt chuyên đề được tổ chức, "
                "chưa đúng quy định (%(rule)s)."
            ) % {"quarters": quarters_text(missing), "rule": rule}
        elif open_quarters:
            sentence = _("Các quý đã qua đều có sinh hoạt chuyên đề theo quy định (%(rule)s).") % {
                "rule": rule
            }
        else:
            return _("Quý nào cũng có sinh hoạt chuyên đề, đúng quy định (%(rule)s).") % {
                "rule": rule
            }
        if open_quarters:
            sentence += " " + _("Quý %(quarters)s đang thực hiện theo kế hoạch.") % {
                "quarters": quarters_text(open_quarters)
            }
        return sentence

    def formats_sentence(self) -> str:
        if not self.formats:
            return ""
        parts = [
            ngettext("%(count)s kỳ %(format)s", "%(count)s kỳ %(format)s", count)
            % {"count": count, "format": in_sentence(label)}
            for label, count in self.formats
        ]
        return _("Về hình thức: %(parts)s.") % {"parts": join_words(parts, "; ")}

    def attendance_sentence(self) -> str:
        figures = self.summary.figures
        if not figures.expected:
            return _("Chưa có kỳ nào được điểm danh.")
        return _(
            "Tỷ lệ đảng viên dự sinh hoạt chuyên đề bình quân đạt %(rate)s "
            "(%(present)s/%(expected)s lượt đảng viên phải dự); %(excused)s lượt vắng có lý do, "
            "%(unexcused)s lượt vắng không có lý do."
        ) % {
            "rate": rate_text(figures.rate),
            "present": figures.present,
            "expected": figures.expected,
            "excused": figures.excused,
            "unexcused": figures.unexcused,
        }

    def regular_sentence(self) -> str:
        """The regular monthly meetings: how many held, and who came (sinh hoạt định kỳ)."""
        regular = self.summary.kinds[0] if self.summary.kinds else None
        if regular is None or not regular.planned:
            return ""
        return _(
            "Chi bộ tổ chức %(held)s/%(planned)s kỳ sinh hoạt chi bộ định kỳ; tỷ lệ đảng viên "
            "dự đạt %(rate)s (%(present)s/%(expected)s lượt), %(unexcused)s lượt vắng không có "
            "lý do."
        ) % {
            "held": regular.held,
            "planned": regular.planned,
            "rate": rate_text(regular.figures.rate),
            "present": regular.figures.present,
            "expected": regular.figures.expected,
            "unexcused": regular.figures.unexcused,
        }

    def guests_sentence(self) -> str:
        totals, parts = self.summary.totals, []
        if totals.guests:
            parts.append(
                ngettext(
                    "%(count)s lượt quần chúng, khách mời",
                    "%(count)s lượt quần chúng, khách mời",
                    totals.guests,
                )
                % {"count": totals.guests}
            )
        if totals.temporary:
            parts.append(
                ngettext(
                    "%(count)s lượt đảng viên sinh hoạt tạm thời",
                    "%(count)s lượt đảng viên sinh hoạt tạm thời",
                    totals.temporary,
                )
                % {"count": totals.temporary}
            )
        if not parts:
            return ""
        return _(
            "Cùng dự các kỳ sinh hoạt còn có %(parts)s (không tính vào tỷ lệ dự sinh hoạt)."
        ) % {"parts": join_words(parts)}

    def flags_sentences(self) -> list[str]:
        summary = self.summary
        unexcused = settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR
        in_a_row = settings.CHIBO_MAX_ABSENCES_IN_A_ROW
        sentences = []
        if not summary.members_unexcused and not summary.members_in_a_row:
            sentences.append(
                _(
                    "Không có đảng viên nào vắng không có lý do từ %(unexcused)s lần trở lên "
                    "hoặc vắng quá %(in_a_row)s kỳ liên tiếp."
                )
                % {"unexcused": unexcused, "in_a_row": in_a_row}
            )
        if summary.members_unexcused:
            sentences.append(
                _("Vắng không có lý do từ %(count)s lần trở lên: %(names)s.")
                % {"count": unexcused, "names": _names(summary.members_unexcused, "unexcused")}
            )
        if summary.members_in_a_row:
            sentences.append(
                _("Vắng quá %(count)s kỳ liên tiếp: %(names)s.")
                % {"count": in_a_row, "names": _names(summary.members_in_a_row, "run")}
            )
        if summary.members_removal:
            rule = summary.members_removal[0].removal_rule
            names = join_words([row.member.full_name for row in summary.members_removal])
            sentences.append(
                _(
                    "Vắng sinh hoạt không có lý do trong %(months)s tháng của năm trở lên, "
                    "chi bộ xem xét theo quy định về xóa tên (%(source)s): %(names)s."
                )
                % {"months": rule.months, "source": rule.source, "names": names}
            )
        if summary.sessions_below:
            dates = join_words(
                [
                    f"{timezone.localtime(row.session.start):%d/%m} ({rate_text(row.figures.rate)})"
                    for row in summary.sessions_below
                ]
            )
            sentences.append(
                ngettext(
                    "%(count)s kỳ có tỷ lệ dự không vượt quá %(threshold)s %%: %(dates)s.",
                    "%(count)s kỳ có tỷ lệ dự không vượt quá %(threshold)s %%: %(dates)s.",
                    len(summary.sessions_below),
                )
                % {
                    "count": len(summary.sessions_below),
                    "threshold": settings.CHIBO_GOOD_ATTENDANCE_PERCENT,
                    "dates": dates,
                }
            )
        return sentences

    def comparison_sentence(self) -> str:
        previous = self.summary.previous
        if not previous.has_data:
            return ""
        sentence = ngettext(
            "Năm %(year)s, chi bộ tổ chức %(count)s kỳ, tỷ lệ dự sinh hoạt %(rate)s",
            "Năm %(year)s, chi bộ tổ chức %(count)s kỳ, tỷ lệ dự sinh hoạt %(rate)s",
            previous.held,
        ) % {
            "year": previous.year,
            "count": previous.held,
            "rate": rate_text(previous.figures.rate),
        }
        change = self.summary.rate_change
        if change is None or change == 0:
            return sentence + _("; năm nay tỷ lệ dự sinh hoạt giữ mức như năm trước.")
        points = formats.number_format(abs(change), 1)
        if change > 0:
            return sentence + _("; năm nay tỷ lệ dự sinh hoạt tăng %(points)s điểm phần trăm.") % {
                "points": points
            }
        return sentence + _("; năm nay tỷ lệ dự sinh hoạt giảm %(points)s điểm phần trăm.") % {
            "points": points
        }

    def contests_sentence(self) -> str:
        if not self.contests:
            return ""
        return ngettext(
            "Chi bộ tổ chức %(count)s hội thi theo hình thức sân khấu hóa; các đội thi đại diện "
            "cho các tổ Đảng tranh tài, chi ủy trao giải cho đảng viên và quần chúng đạt giải:",
            "Chi bộ tổ chức %(count)s hội thi theo hình thức sân khấu hóa; các đội thi đại diện "
            "cho các tổ Đảng tranh tài, chi ủy trao giải cho đảng viên và quần chúng đạt giải:",
            len(self.contests),
        ) % {"count": len(self.contests)}

    def grades_sentence(self) -> str:
        if not self.grades:
            return ""
        parts = [
            ngettext("%(count)s kỳ xếp loại %(grade)s", "%(count)s kỳ xếp loại %(grade)s", count)
            % {"count": count, "grade": label}
            for label, count in self.grades
        ]
        return _("Về chất lượng: %(parts)s.") % {"parts": join_words(parts, "; ")}


def presenter(session: ThematicSession) -> str:
    """Who presented a session, as the report's list names them.

    A member of the cell prepares (người chuẩn bị); someone from outside is a
    speaker (báo cáo viên), never called the preparer, and a name that
    already says "Báo cáo viên …" is not labelled twice.
    """
    if session.preparer_id:
        return _("người chuẩn bị: %(name)s") % {"name": session.preparer}
    speaker = session.outside_speaker.strip()
    if not speaker:
        return ""
    if starts_with_words(speaker, _("báo cáo viên")):
        return speaker[:1].lower() + speaker[1:]
    return _("báo cáo viên: %(name)s") % {"name": speaker}


def _names(rows: list[MemberRow], what: str) -> str:
    parts = []
    for row in rows:
        count = row.figures.unexcused if what == "unexcused" else row.longest_absence_run
        parts.append(
            ngettext(
                "đồng chí %(name)s (%(count)s lần)", "đồng chí %(name)s (%(count)s lần)", count
            )
            % {"name": row.member.full_name, "count": count}
        )
    return join_words(parts)


def _contests(year: int, cell) -> list[Contest]:
    """Three queries: the teams, the awards, and the groups' names that year."""
    held = ThematicSession.objects.for_year(year).thematic().of_cell(cell).held()
    contests: dict[int, Contest] = {}
    groups = groups_of_year(year, cell=cell)
    teams = ContestTeam.objects.filter(session__in=held).select_related("session")
    for team in teams.order_by("session__start", "session", "rank", "-score", "group__order"):
        team.group = groups[team.group_id]
        contests.setdefault(team.session_id, Contest(team.session)).teams.append(team)
    awards = Award.objects.filter(session__in=held).select_related("session", "member")
    for award in awards.order_by("session__start", "session", "order", "pk"):
        contests.setdefault(award.session_id, Contest(award.session)).awards.append(award)
    return sorted(contests.values(), key=lambda contest: contest.session.start)


def _photos(year: int, cell) -> list[Photo]:
    """One query: the first photos of each held session of the year."""
    held = ThematicSession.objects.for_year(year).thematic().of_cell(cell).held()
    return list(
        Photo.objects.filter(session__in=held)
        .annotate(
            place=Window(
                RowNumber(), partition_by=[F("session_id")], order_by=[F("created_at"), F("pk")]
            )
        )
        .filter(place__lte=PHOTOS_PER_SESSION)
        .select_related("session")
        .order_by("session__start", "session_id", "created_at", "pk")
    )


def annual_report(year: int, cell, today=None) -> AnnualReport:
    """``cell``'s annual report of ``year``: its plan, and figures of its rows only.

    As of ``today`` (by default today): a quarter not over by then is under way.
    """
    summary = year_summary(year, today, cell=cell)
    sessions = ThematicSession.objects.for_year(year).thematic().of_cell(cell)
    # Counted from the held sessions the summary has read, not by two more queries.
    held = [row.session for row in summary.sessions]
    format_labels = dict(Format.choices)
    formats_count = sorted(
        Counter(session.format for session in held).items(), key=lambda pair: (-pair[1], pair[0])
    )
    # Counted from the summary's rows: a session counts as Tốt only when its
    # attendance allows it, as in the summary's count of good sessions.
    graded = Counter(row.grade for row in summary.sessions if row.grade)
    grades = [(Grade(grade).label, graded[grade]) for grade in Grade.values if graded[grade]]
    return AnnualReport(
        summary=summary,
        plan=AnnualPlan.objects.of_cell(cell).filter(year=year).first(),
        sendings=list(Submission.objects.of_cell(cell).filter(year=year).listed().in_order_sent()),
        formats=[(format_labels.get(key, key), count) for key, count in formats_count],
        grades=grades,
        contests=_contests(year, cell),
        photos=_photos(year, cell),
        secretary=cell_secretary(cell),
        other_sessions=list(
            sessions.filter(~Q(status=ThematicSession.Status.HELD)).order_by("start", "pk")
        ),
        text=ReportText.objects.of_cell(cell).filter(year=year).first(),
    )
