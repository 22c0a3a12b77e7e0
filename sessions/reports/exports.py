"""The year's attendance as CSV and as an Excel workbook.

- CSV: one line per attendance row (who, which session, what status), UTF-8
  with a byte-order mark so that Excel reads the Vietnamese letters.
- Excel (.xlsx, openpyxl): a sheet with the member × session matrix and each
  member's totals, a sheet with the year's summaries, a sheet of absences
  with their reasons.

Headers are in the active language (Vietnamese unless the user chose
English). The figures are those of ``summaries.year_summary``.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from chibo.lib import spreadsheets
from members.models import Member
from sessions.models import Attendance
from sessions.reports.summaries import MemberRow, YearSummary, groups_of_year

MARKS = {
    Attendance.Status.PRESENT: "x",
    Attendance.Status.EXCUSED: "P",
    Attendance.Status.UNEXCUSED: "KP",
}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
FLAG_FILL = PatternFill("solid", fgColor="FFF2CC")
SHORT_FILL = PatternFill("solid", fgColor="F4CCCC")  # a quarter short of the rule
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
PERCENT = "0.0%"
DATE = "DD/MM/YYYY"


def _day(moment):
    return timezone.localtime(moment).date()


def _fraction(rate):
    """A rate in percent as the fraction Excel formats with "0.0%", or None."""
    return None if rate is None else float(rate) / 100


def _yes(value: bool) -> str:
    return _("Có") if value else _("Không")


def member_note(row: MemberRow, year: int) -> str:
    """Why a member was expected at fewer sessions: joined, left, exempt; and
    the standing in the year (probationary, or made full that year)."""
    member, notes = row.member, []
    if row.is_probationary:
        notes.append(str(Member.Standing.PROBATIONARY.label))
    elif member.full_member_on is not None and member.full_member_on.year == year:
        notes.append(
            _("Chuyển chính thức %(date)s") % {"date": f"{member.full_member_on:%d/%m/%Y}"}
        )
    if member.joined_cell_on.year == year:
        notes.append(_("Về chi bộ %(date)s") % {"date": f"{member.joined_cell_on:%d/%m/%Y}"})
    for exemption in row.exemptions:
        end = f"{exemption.ends_on:%d/%m/%Y}" if exemption.ends_on else "…"
        notes.append(
            f"{exemption.get_kind_display()} {exemption.starts_on:%d/%m/%Y}–{end}"
            f" ({exemption.reason})"
        )
    # Leaving after the year is not part of that year's story.
    if member.left_cell_on is not None and member.left_cell_on.year <= year:
        notes.append(
            f"{member.get_left_reason_display()} {member.left_cell_on:%d/%m/%Y}"
            if member.left_reason
            else f"{member.left_cell_on:%d/%m/%Y}"
        )
    return "; ".join(notes)


def attendance_rows(year: int, *, cell) -> list[Attendance]:
    """``cell``'s attendance rows of the year in session and member order (two queries).

    Each row's group carries the name it had at the end of the year.
    """
    groups = groups_of_year(year, cell=cell)
    rows = list(
        Attendance.objects.for_year(year, thematic=True)
        .of_cell(cell)
        .select_related("session", "member")
        .order_by("session__start", "session_id", "temporary", "member__sort_name", "member_id")
    )
    for row in rows:
        row.group = groups.get(row.group_id)
    return rows


def attendance_csv(year: int, *, cell) -> bytes:
    """One line per attendance row of ``cell``'s ``year``; UTF-8 with BOM for Excel."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = spreadsheets.writer(out)  # every text cell quoted and guarded
    writer.writerow(
        [
            _("Kỳ"),
            _("Ngày"),
            _("Chuyên đề"),
            _("Phạm vi"),
            _("Tổ Đảng"),
            _("Họ và tên"),
            _("Sinh hoạt tạm thời"),
            _("Điểm danh"),
            _("Lý do vắng"),
            _("Tính vào tỷ lệ"),
            _("Loại đảng viên"),
        ]
    )
    numbers: dict[int, int] = {}
    for row in attendance_rows(year, cell=cell):
        number = numbers.setdefault(row.session_id, len(numbers) + 1)
        writer.writerow(
            [
                number,
                f"{_day(row.session.start):%d/%m/%Y}",
                str(row.session),
                row.session.get_scope_display(),
                str(row.group) if row.group_id else "",
                row.member.full_name,
                _yes(row.temporary),
                row.get_status_display(),
                row.reason,
                _yes(not row.temporary),
                # On the session's day: a member made full since was probationary then.
                row.member.standing_label_on(_day(row.session.start)),
            ]
        )
    return out.getvalue().encode("utf-8")


class _Sheet:
    """A worksheet written line by line, with a few helpers for headers and widths."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.line = 0

    def row(self, values, *, font=None, fill=None, box=False, formats=None):
        self.line += 1
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.line, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if font:
                cell.font = font
            if fill:
                cell.fill = fill
            if box:
                cell.border = BOX
            if formats and column in formats:
                cell.number_format = formats[column]
        return self.line

    def header(self, values):
        line = self.row(values, font=BOLD, fill=HEADER_FILL, box=True)
        for column in range(1, len(values) + 1):
            self.sheet.cell(row=line, column=column).alignment = CENTER
        return line

    def title(self, text, font=TITLE):
        self.row([text], font=font)

    def skip(self):
        self.line += 1

    def widths(self, widths):
        for column, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(column)].width = width


def _matrix_sheet(sheet: _Sheet, summary: YearSummary, marks: dict):
    year = summary.year
    sessions = [row.session for row in summary.sessions]
    sheet.title(_("Điểm danh sinh hoạt chuyên đề năm %(year)s") % {"year": year})
    sheet.row(
        [
            _(
                "x: có mặt · P: vắng có lý do · KP: vắng không có lý do · ô trống: không phải dự "
                "(chưa về chi bộ, đã thôi sinh hoạt hoặc được miễn sinh hoạt)"
            )
        ]
    )
    sheet.skip()
    totals = [
        _("Có mặt"),
        _("Phải dự"),
        _("Vắng có lý do"),
        _("Vắng không có lý do"),
        _("Tỷ lệ"),
        _("Vắng liên tiếp nhiều nhất"),
        _("Ghi chú"),
    ]
    header = [_("STT"), _("Họ và tên"), _("Tổ Đảng")]
    header += [
        _("Kỳ %(number)s\n%(date)s") % {"number": n, "date": f"{_day(s.start):%d/%m/%Y}"}
        for n, s in enumerate(sessions, start=1)
    ]
    line = sheet.header(header + totals)
    sheet.sheet.row_dimensions[line].height = 32
    for column, session in enumerate(sessions, start=4):
        sheet.sheet.cell(row=line, column=column).comment = Comment(str(session), "Chibo")
    first_total = 4 + len(sessions)
    rate_column = first_total + 4
    sheet.sheet.freeze_panes = sheet.sheet.cell(row=line + 1, column=4)
    for number, row in enumerate(summary.members, start=1):
        figures = row.figures
        values = [number, row.member.full_name, str(row.group) if row.group else None]
        values += [marks.get((row.member.pk, session.pk)) for session in sessions]
        values += [
            figures.present,
            figures.expected,
            figures.excused,
            figures.unexcused,
            _fraction(figures.rate),
            row.longest_absence_run,
            member_note(row, year),
        ]
        sheet.row(
            values,
            box=True,
            fill=FLAG_FILL if row.is_flagged else None,
            formats={rate_column: PERCENT},
        )
    if summary.temporary:
        sheet.skip()
        sheet.row([_("Đảng viên sinh hoạt tạm thời (không tính vào tỷ lệ)")], font=BOLD)
        for person in summary.temporary:
            values = [None, person.name, None]
            values += [marks.get((person.member_id, session.pk)) for session in sessions]
            values += [person.present, None, None, None, None, None, person.home_cell]
            sheet.row(values, box=True)
    sheet.widths([5, 28, 26, *[11] * len(sessions), 8, 8, 10, 10, 8, 11, 40])


def _summary_sheet(sheet: _Sheet, summary: YearSummary):
    totals, figures, year = summary.totals, summary.figures, summary.year
    sheet.title(_("Tổng hợp sinh hoạt chuyên đề năm %(year)s") % {"year": year})
    sheet.skip()
    sheet.header([_("Chỉ tiêu"), str(year), str(year - 1)])
    previous = summary.previous
    lines = [
        (_("Số kỳ trong kế hoạch"), totals.total, previous.total),
        (_("Số kỳ đã tổ chức"), totals.held, previous.held),
        (_("Trong đó sinh hoạt theo tổ Đảng"), totals.held_by_group, previous.held_by_group),
        (_("Số kỳ phải hoãn"), totals.postponed, previous.postponed),
        (_("Số kỳ bị hủy"), totals.cancelled, previous.cancelled),
        (_("Lượt đảng viên phải dự"), figures.expected, previous.figures.expected),
        (_("Lượt có mặt"), figures.present, previous.figures.present),
        (_("Lượt vắng có lý do"), figures.excused, previous.figures.excused),
        (_("Lượt vắng không có lý do"), figures.unexcused, previous.figures.unexcused),
        (
            _("Tỷ lệ dự sinh hoạt"),
            _fraction(figures.rate),
            _fraction(previous.figures.rate),
        ),
        (_("Lượt quần chúng, khách mời"), totals.guests, previous.guests),
        (_("Lượt sinh hoạt tạm thời"), totals.temporary, previous.temporary),
    ]
    for label, value, before in lines:
        is_rate = isinstance(value, float) or isinstance(before, float)
        sheet.row(
            [label, value, before], box=True, formats={2: PERCENT, 3: PERCENT} if is_rate else None
        )

    sheet.skip()
    sheet.title(_("Theo loại sinh hoạt"), font=BOLD)
    sheet.header(
        [
            _("Loại sinh hoạt"),
            _("Đã tổ chức"),
            _("Trong kế hoạch"),
            _("Lượt đảng viên phải dự"),
            _("Lượt có mặt"),
            _("Lượt vắng có lý do"),
            _("Lượt vắng không có lý do"),
            _("Tỷ lệ dự sinh hoạt"),
        ]
    )
    for row in summary.kinds:
        kind = row.figures
        sheet.row(
            [
                str(row.label),
                row.held,
                row.planned,
                kind.expected,
                kind.present,
                kind.excused,
                kind.unexcused,
                _fraction(kind.rate),
            ],
            box=True,
            formats={8: PERCENT},
        )

    sheet.skip()
    sheet.title(_("Theo quý"), font=BOLD)
    sheet.header(
        [
            _("Quý"),
            _("Trong kế hoạch"),
            _("Đã tổ chức"),
            _("Hoãn"),
            _("Hủy"),
            _("Chưa tổ chức"),
            _("Quy định mỗi quý"),
        ]
    )
    for row in summary.quarters:
        verdict = {True: _("Đạt"), False: _("Không đạt"), None: _("Đang thực hiện")}[row.meets_rule]
        sheet.row(
            [row.quarter, row.total, row.held, row.postponed, row.cancelled, row.pending, verdict],
            box=True,
            fill=FLAG_FILL if row.meets_rule is False else None,
        )

    sheet.skip()
    sheet.title(_("Theo kỳ sinh hoạt"), font=BOLD)
    sheet.header(
        [
            _("Kỳ"),
            _("Ngày"),
            _("Chuyên đề"),
            _("Có mặt"),
            _("Phải dự"),
            _("Vắng có lý do"),
            _("Vắng không có lý do"),
            _("Tỷ lệ"),
            _("Sinh hoạt tạm thời"),
            _("Quần chúng, khách mời"),
            _("Phạm vi"),
            _("Hình thức"),
            _("Xếp loại"),
        ]
    )
    for number, row in enumerate(summary.sessions, start=1):
        session, figures = row.session, row.figures
        sheet.row(
            [
                number,
                _day(session.start),
                str(session),
                figures.present,
                figures.expected,
                figures.excused,
                figures.unexcused,
                _fraction(figures.rate),
                row.temporary,
                session.guest_count,
                session.get_scope_display(),
                session.get_format_display(),
                session.get_grade_display(),
            ],
            box=True,
            fill=FLAG_FILL if row.below_threshold else None,
            formats={2: DATE, 8: PERCENT},
        )

    sheet.skip()
    sheet.title(_("Theo tổ Đảng"), font=BOLD)
    sheet.header(
        [
            _("Tổ Đảng"),
            _("Có mặt"),
            _("Phải dự"),
            _("Vắng có lý do"),
            _("Vắng không có lý do"),
            _("Tỷ lệ"),
        ]
    )
    for row in summary.groups:
        figures = row.figures
        sheet.row(
            [
                str(row.group) if row.group else _("Không thuộc tổ nào"),
                figures.present,
                figures.expected,
                figures.excused,
                figures.unexcused,
                _fraction(figures.rate),
            ],
            box=True,
            formats={6: PERCENT},
        )

    sheet.skip()
    sheet.title(_("Cảnh báo"), font=BOLD)
    flags = [
        _("Vắng không có lý do nhiều lần: %(name)s (%(count)s lần)")
        % {"name": row.member.full_name, "count": row.figures.unexcused}
        for row in summary.members_unexcused
    ]
    flags += [
        _("Vắng nhiều kỳ liên tiếp: %(name)s (%(count)s kỳ)")
        % {"name": row.member.full_name, "count": row.longest_absence_run}
        for row in summary.members_in_a_row
    ]
    flags += [
        _("Tỷ lệ dự thấp: kỳ %(date)s (%(present)s/%(expected)s)")
        % {
            "date": f"{_day(row.session.start):%d/%m/%Y}",
            "present": row.figures.present,
            "expected": row.figures.expected,
        }
        for row in summary.sessions_below
    ]
    flags += [
        _("Quý %(quarter)s chưa đủ kỳ sinh hoạt chuyên đề") % {"quarter": quarter}
        for quarter in summary.quarters_missing
    ]
    for flag in flags or [_("Không có cảnh báo.")]:
        sheet.row([flag])
    sheet.widths([34, 12, 60, 9, 9, 10, 10, 9, 10, 12, 16, 26, 11])


def _absences_sheet(sheet: _Sheet, year: int, rows):
    sheet.title(_("Danh sách vắng mặt năm %(year)s") % {"year": year})
    sheet.skip()
    sheet.header(
        [_("Ngày"), _("Chuyên đề"), _("Họ và tên"), _("Tổ Đảng"), _("Điểm danh"), _("Lý do vắng")]
    )
    for row in rows:
        if row.status == Attendance.Status.PRESENT:
            continue
        sheet.row(
            [
                _day(row.session.start),
                str(row.session),
                row.member.full_name,
                str(row.group) if row.group_id else None,
                row.get_status_display(),
                row.reason or None,
            ],
            box=True,
            formats={1: DATE},
        )
    sheet.widths([12, 60, 28, 26, 20, 40])


def attendance_workbook(summary: YearSummary) -> bytes:
    """The .xlsx file of a cell's summary: matrix, summaries, absences."""
    rows = list(attendance_rows(summary.year, cell=summary.cell))
    marks = {(row.member_id, row.session_id): MARKS.get(row.status) for row in rows}
    workbook = Workbook()
    workbook.properties.creator = "Chibo"
    workbook.properties.title = _("Điểm danh sinh hoạt chuyên đề năm %(year)s") % {
        "year": summary.year
    }
    matrix = workbook.active
    matrix.title = _("Điểm danh")
    _matrix_sheet(_Sheet(matrix), summary, marks)
    _summary_sheet(_Sheet(workbook.create_sheet(_("Tổng hợp"))), summary)
    _absences_sheet(_Sheet(workbook.create_sheet(_("Vắng mặt"))), summary.year, rows)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def committee_workbook(data) -> bytes:
    """The .xlsx file of a committee's matrix (``committee.CommitteeYear``): one line a cell."""
    workbook = Workbook()
    workbook.properties.creator = "Chibo"
    title = _("Sinh hoạt chuyên đề của các chi bộ năm %(year)s") % {"year": data.year}
    workbook.properties.title = title
    sheet = _Sheet(workbook.active)
    sheet.sheet.title = _("Các chi bộ")
    sheet.title(str(data.node))
    sheet.title(title, font=BOLD)
    sheet.skip()
    quarters = [_("Quý %(quarter)s") % {"quarter": quarter} for quarter in range(1, 5)]
    sheet.header(
        [
            _("Chi bộ"),
            *quarters,
            _("Đủ theo quy định"),
            _("Tỷ lệ dự (%)"),
            _("Có mặt"),
            _("Phải dự"),
            _("Vắng có lý do"),
            _("Vắng không lý do"),
            _("Kỳ dưới ngưỡng"),
            _("Đảng viên vắng không lý do quá mức"),
            _("Tỷ lệ năm trước (%)"),
        ]
    )
    for row in data.cells:
        marks = []
        for quarter in row.quarters:
            if quarter.meets_rule is False:
                marks.append(_("%(held)s — chưa đủ") % {"held": quarter.held})
            elif quarter.meets_rule is None:
                marks.append(_("%(held)s — đang thực hiện") % {"held": quarter.held})
            else:
                marks.append(quarter.held)
        line = sheet.row(
            [
                row.cell.name,
                *marks,
                _("Đủ") if row.meets_rule else _("Chưa đủ"),
                _number(row.figures.rate),
                row.figures.present,
                row.figures.expected,
                row.figures.excused,
                row.figures.unexcused,
                row.sessions_below,
                row.members_unexcused,
                _number(row.previous.rate),
            ],
            box=True,
        )
        for column, quarter in enumerate(row.quarters, start=2):
            if quarter.meets_rule is False:
                sheet.sheet.cell(row=line, column=column).fill = SHORT_FILL
    sheet.row(
        [
            _("Cộng"),
            *["" for _quarter in range(4)],
            f"{len(data.cells_meeting_rule)}/{len(data.cells)}",
            _number(data.figures.rate),
            data.figures.present,
            data.figures.expected,
            data.figures.excused,
            data.figures.unexcused,
            data.sessions_below,
            data.members_unexcused,
            _number(data.previous.rate),
        ],
        font=BOLD,
        box=True,
    )
    sheet.skip()
    for sentence in data.sentences():
        sheet.row([sentence])
    sheet.widths([44, 14, 14, 14, 14, 14, 12, 10, 10, 12, 12, 12, 16, 14])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _number(rate):
    """A rate for a cell of the sheet: a number, or empty when nobody was expected."""
    return "" if rate is None else float(rate)
