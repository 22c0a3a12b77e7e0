"""Reading a member list from an Excel (.xlsx) or CSV file, row by row.

Nothing here writes to the database: ``read_table`` turns a file into raw
text cells, ``check_rows`` says what is wrong with each row, and the
secretary sees that as a preview before ``services.import_members`` runs.
"""

import codecs
import csv
import datetime as dt
import io
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from chibo.lib.text import fold
from members.models import Member, PartyGroup, member_date_errors

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 2000
# An .xlsx is a zip: a small file can inflate to gigabytes (a zip bomb). A
# list of 2,000 members takes a few megabytes unzipped.
IMPORT_MAX_UNZIPPED_BYTES = 50 * 1024 * 1024


# Each column of the file, by the headers a secretary is likely to write (folded).
COLUMNS = {
    "full_name": ("ho va ten", "ho ten", "ten dang vien", "full name", "name"),
    "group": ("to dang", "to", "thuoc to", "group"),
    "standing": ("loai dang vien", "dang vien chinh thuc/du bi", "standing"),
    "position": ("chuc vu", "chuc vu trong chi bo", "position"),
    "joined_party_on": ("ngay vao dang", "ngay ket nap", "joined party"),
    "full_member_on": (
        "ngay chuyen chinh thuc",
        "ngay chinh thuc",
        "full member",
        "made full",
    ),
    "joined_cell_on": (
        "ngay ve chi bo",
        "ngay ve sinh hoat",
        "ngay ve sinh hoat tai chi bo",
        "joined cell",
    ),
    "phone": ("so dien thoai", "dien thoai", "sdt", "phone"),
    "email": ("email", "e-mail", "thu dien tu"),
}
REQUIRED = ("full_name", "group", "joined_cell_on")
STANDING_WITH_FULL_DATE = _(
    "Đã ghi ngày chuyển chính thức: loại đảng viên là Chính thức (hoặc bỏ ngày đó)."
)
STANDINGS = {fold(label): value for value, label in Member.Standing.choices} | {
    "chinh thuc": Member.Standing.FULL,
    "du bi": Member.Standing.PROBATIONARY,
}
POSITIONS = {fold(label): value for value, label in Member.Position.choices} | {
    "bi thu": Member.Position.SECRETARY,
    "pho bi thu": Member.Position.DEPUTY_SECRETARY,
    "chi uy vien": Member.Position.COMMITTEE,
    "dang vien": Member.Position.MEMBER,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (the message is Vietnamese)."""


@dataclass
class ImportRow:
    line: int
    raw: dict
    data: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)


def read_table(upload) -> list[list[str]]:
    """The file's rows as lists of text, the header first."""
    content = upload.read()
    if upload.name.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    return _read_csv(content)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _unzipped_size(content: bytes) -> int:
    """What the zip says its files inflate to (zipfile never inflates past it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError(
            _("Không đọc được tệp Excel này. Hãy lưu lại thành .xlsx.")
        ) from error


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    if _unzipped_size(content) > IMPORT_MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            _("Tệp Excel này giải nén ra quá %(limit)s: hãy chỉ để danh sách đảng viên trong tệp.")
            % {"limit": filesizeformat(IMPORT_MAX_UNZIPPED_BYTES)}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = []
            for values in sheet.iter_rows(values_only=True):
                rows.append([_cell_text(value) for value in values])
                if len(rows) > IMPORT_MAX_ROWS + 1:
                    break
            return rows
        finally:
            workbook.close()
    except Exception as error:
        # Whatever a broken file makes zipfile, the XML parser or openpyxl
        # raise (BadZipFile, ParseError, KeyError…), it is not a list we can read.
        raise ImportFileError(
            _("Không đọc được tệp Excel này. Hãy lưu lại thành .xlsx.")
        ) from error


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated.
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on a Vietnamese Windows saves CSV in Windows-1258, with tone
        # marks as separate characters.
        return unicodedata.normalize("NFC", content.decode("cp1258"))


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = _decode(content)
    except UnicodeDecodeError as error:
        text = None
        if b"\x00" not in content:
            raise ImportFileError(
                _("Không đọc được bảng mã của tệp CSV. Hãy lưu tệp với bảng mã UTF-8.")
            ) from error
    if text is None or "\x00" in text:
        # No text holds a NUL character: this is a picture, a program, a
        # spreadsheet in another format… renamed .csv.
        raise ImportFileError(
            _("Tệp này không phải tệp CSV (văn bản). Hãy chọn tệp .csv hoặc .xlsx.")
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [[cell.strip() for cell in row] for row in reader]
    except csv.Error as error:
        # A stray line break inside a cell, a cell longer than csv allows…
        raise ImportFileError(
            _("Tệp CSV không đúng định dạng ở dòng %(line)s. Hãy mở bằng Excel rồi lưu lại.")
            % {"line": reader.line_num}
        ) from error


def map_columns(header: list[str]) -> dict[str, int]:
    """Which column of the file holds each field; raises if a required one is missing."""
    found = {}
    for index, title in enumerate(header):
        title = fold(title).rstrip(":*")
        for name, aliases in COLUMNS.items():
            if name not in found and title in aliases:
                found[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        names = {
            "full_name": _("Họ và tên"),
            "group": _("Tổ Đảng"),
            "joined_cell_on": _("Ngày về chi bộ"),
        }
        raise ImportFileError(
            _("Tệp thiếu cột: %(columns)s. Dòng đầu của tệp phải là tên các cột.")
            % {"columns": ", ".join(str(names[name]) for name in missing)}
        )
    return found


def raw_rows(table: list[list[str]]) -> list[ImportRow]:
    """Rows of the file as {field: text}, with their line numbers; empty lines skipped."""
    if not table:
        raise ImportFileError(_("Tệp trống."))
    columns = map_columns(table[0])
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        raw = {
            name: cells[index].strip() if index < len(cells) else ""
            for name, index in columns.items()
        }
        if any(raw.values()):
            rows.append(ImportRow(line=line, raw=raw))
    if not rows:
        raise ImportFileError(_("Tệp không có dòng đảng viên nào dưới dòng tên cột."))
    if len(rows) > IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("Tệp có quá %(max)s dòng; hãy chia nhỏ.") % {"max": IMPORT_MAX_ROWS}
        )
    return rows


def parse_date(text: str):
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.date(*time.strptime(text, pattern)[:3])
        except ValueError:
            continue
    return None


class GroupMatcher:
    """Finds a group by its name as written in the file, or by its short name.

    "Tổ 1" finds "Tổ 1 – Văn phòng" when no other group starts that way.
    """

    def __init__(self, groups):
        self.by_name = {fold(group.name): group for group in groups}
        self.by_short = {}
        for group in groups:
            for dash in (" – ", " - ", " — "):
                if dash in group.name:
                    short = fold(group.name.split(dash)[0])
                    self.by_short.setdefault(short, []).append(group)
                    break

    def find(self, text):
        key = fold(text)
        if key in self.by_name:
            return self.by_name[key]
        matches = self.by_short.get(key, [])
        return matches[0] if len(matches) == 1 else None


def check_rows(rows: list[ImportRow], *, cell) -> list[ImportRow]:
    """Fill each row's clean ``data`` and its ``errors`` (in Vietnamese); three queries.

    Groups are matched, and names checked for duplicates, within ``cell`` only.
    """
    groups = list(PartyGroup.objects.of_cell(cell).filter(is_active=True))
    matcher = GroupMatcher(groups)
    existing = {
        fold(name)
        for name in Member.objects.of_cell(cell).current().values_list("full_name", flat=True)
    }
    seen = {}
    for row in rows:
        raw, data, errors = row.raw, row.data, row.errors
        name = " ".join(raw.get("full_name", "").split())
        if not name:
            errors.append(_("Thiếu họ và tên."))
        elif len(name) > 150:
            errors.append(_("Họ và tên dài quá 150 ký tự."))
        elif fold(name) in seen:
            errors.append(_("Trùng tên với dòng %(line)s.") % {"line": seen[fold(name)]})
        elif fold(name) in existing:
            errors.append(_("Chi bộ đã có đảng viên “%(name)s”.") % {"name": name})
        seen.setdefault(fold(name), row.line)
        data["full_name"] = name

        group = matcher.find(raw.get("group", ""))
        if not raw.get("group"):
            errors.append(_("Thiếu tổ Đảng."))
        elif group is None:
            errors.append(
                _("Không có tổ Đảng “%(group)s”. Các tổ: %(groups)s.")
                % {"group": raw["group"], "groups": "; ".join(g.name for g in groups)}
            )
        data["group"] = group

        standing = fold(raw.get("standing", ""))
        data["standing"] = STANDINGS.get(standing, Member.Standing.FULL if not standing else None)
        if data["standing"] is None:
            errors.append(
                _("Loại đảng viên “%(value)s” không rõ: ghi Chính thức hoặc Dự bị.")
                % {"value": raw["standing"]}
            )
        position = fold(raw.get("position", ""))
        data["position"] = POSITIONS.get(position, Member.Position.MEMBER if not position else None)
        if data["position"] is None:
            errors.append(
                _(
                    "Chức vụ “%(value)s” không rõ: ghi Bí thư, Phó bí thư, Chi ủy viên "
                    "hoặc Đảng viên."
                )
                % {"value": raw["position"]}
            )

        for key, label, required in (
            ("joined_cell_on", _("Ngày về chi bộ"), True),
            ("joined_party_on", _("Ngày vào Đảng"), False),
            ("full_member_on", _("Ngày chuyển chính thức"), False),
        ):
            text = raw.get(key, "")
            data[key] = parse_date(text) if text else None
            if not text and required:
                errors.append(_("Thiếu %(label)s.") % {"label": str(label).lower()})
            elif text and data[key] is None:
                errors.append(
                    _("%(label)s “%(value)s” không đúng dạng ngày/tháng/năm.")
                    % {"label": label, "value": text}
                )
        dates = member_date_errors(
            joined_party_on=data["joined_party_on"],
            joined_cell_on=data["joined_cell_on"],
            full_member_on=data["full_member_on"],
        )
        errors.extend(str(message) for message in dates.values())
        if data["full_member_on"] and data["standing"] == Member.Standing.PROBATIONARY:
            errors.append(STANDING_WITH_FULL_DATE)

        data["phone"] = raw.get("phone", "")[:30]
        email = raw.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("Thư điện tử “%(value)s” không hợp lệ.") % {"value": email})
        data["email"] = email
    return rows
