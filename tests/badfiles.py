"""A corpus of bad files, for every form that takes an upload.

Each builder returns the bytes of one kind of bad file; the tests name them
for the form they are sent to (a photo, a document, a member list), so that
each lies in its own way: a picture renamed .xlsx, a page renamed .jpg…
"""

import functools
import io
import zipfile

from openpyxl import Workbook

from tests.images import huge_png, image_bytes

SCRIPT = b"<script>fetch('/members/').then(r => r.text()).then(alert)</script>"
HTML_PAGE = b"<!DOCTYPE html><html><body><h1>Chibo</h1>" + SCRIPT + b"</body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    + SCRIPT
    + b"</svg>"
)
# The first bytes of a JPEG (start of image, a JFIF header), then a page.
JPEG_HEADER = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
JPEG_HEADER_THEN_SCRIPT = JPEG_HEADER + SCRIPT
JPEG_HEADER_THEN_JUNK = JPEG_HEADER + b"khong phai du lieu anh " * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 4


def truncated_jpeg():
    return image_bytes(size=(300, 300))[:400]


def polyglot_jpeg():
    """A real JPEG that decodes fine, with a page after its last byte."""
    return image_bytes() + HTML_PAGE


def polyglot_png():
    return image_bytes(image_format="PNG") + SVG


@functools.cache
def member_list_xlsx():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Tổ Đảng", "Ngày về chi bộ"])
    sheet.append(["Bế Thị Mai", "Tổ 1", "05/11/2019"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def truncated_xlsx():
    content = member_list_xlsx()
    return content[: len(content) // 2]


def xlsx_with_broken_sheet():
    """A sound zip whose sheet is cut in the middle of its XML."""
    source = zipfile.ZipFile(io.BytesIO(member_list_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                data = data[:50]
            target.writestr(info, data)
    return buffer.getvalue()


@functools.cache
def zip_bomb_xlsx(inflated=200 * 1024 * 1024):
    """A 200 KB .xlsx whose shared strings inflate to 200 MB."""
    source = zipfile.ZipFile(io.BytesIO(member_list_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        with target.open("xl/padding.xml", "w") as padding:
            block = b" " * (1024 * 1024)
            for _ in range(inflated // len(block)):
                padding.write(block)
    return buffer.getvalue()


def png_as_csv():
    """A picture renamed .csv: binary bytes, a NUL among them."""
    return image_bytes(image_format="PNG")


def bomb_png():
    return huge_png()
