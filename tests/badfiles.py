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


# --- Text-like documents carrying HTML or script (issue 10, item 9) ---------------

UTF16_SCRIPT_TXT = "Ghi chú buổi sinh hoạt\r\n<script>alert(document.cookie)</script>".encode(
    "utf-16"
)
UTF16BE_SCRIPT_TXT = "<script>alert(1)</script>".encode("utf-16-be")  # no byte-order mark
IMG_ONERROR_TXT = b"Noi dung <img src=x onerror=alert(1)> het."
META_REFRESH_TXT = b'<meta http-equiv="refresh" content="0;url=https://evil.example/">'
OBJECT_TXT = b'Xem <object data="https://evil.example/a.swf" type="application/x-shockwave-flash">'
JAVASCRIPT_RTF = (
    b"{\\rtf1\\ansi Bam vao day: "
    b'{\\field{\\*\\fldinst HYPERLINK "javascript:alert(1)"}{\\fldrslt Tai lieu}}}'
)
PDF_OPEN_ACTION_SCRIPT = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 3 0 R /OpenAction 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Action /S /JavaScript /JS (app.alert\\('Chibo'\\);) >>\nendobj\n"
    b"3 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
# The same action, its names written with #xx escapes (/J#61vaScript is /JavaScript).
PDF_ESCAPED_SCRIPT = PDF_OPEN_ACTION_SCRIPT.replace(b"/JavaScript", b"/J#61vaScript").replace(
    b"/JS ", b"/J#53 "
)
PDF_LAUNCH = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >>\n"
    b"endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
# A plain PDF whose /OpenAction only sets the first view: a legitimate one.
PDF_OPEN_ACTION_VIEW = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/>%s</Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Nghi quyet chi bo</w:t></w:r></w:p>%s</w:body></w:document>"
)
ALT_CHUNK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rIdChunk" Type="http://schemas.openxmlformats.org/officeDocument/'
    b'2006/relationships/aFChunk" Target="chunk.dat"/></Relationships>'
)


def docx(parts: dict[str, bytes] | None = None, content_types: bytes = b"") -> bytes:
    """A small .docx Word opens; ``parts`` added to it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES % content_types)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("word/document.xml", DOCUMENT_XML % b"")
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_with_html_part():
    return docx({"word/trang.html": HTML_PAGE})


def docx_with_alt_chunk():
    """An altChunk: Word imports the part (here HTML, named .dat) into the document."""
    return docx(
        {
            "word/_rels/document.xml.rels": ALT_CHUNK_RELS,
            "word/chunk.dat": HTML_PAGE,
        },
        content_types=b'<Override PartName="/word/chunk.dat" ContentType="text/html"/>',
    )


def truncated_docx():
    content = docx()
    return content[: len(content) // 2]
