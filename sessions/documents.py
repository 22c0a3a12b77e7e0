"""Checking an uploaded document against what its name says it is.

The kind of a document is read from its extension (that is what decides how
the member's PC opens it), so its content must be of that kind: a PDF starts
with ``%PDF-``, an Office or OpenDocument file is a zip, an old Office file an
OLE2 compound file, a text file is text. Pictures are checked like photos
(JPEG or PNG by content, under the pixel cap) and stored re-encoded, without
their EXIF or GPS. No document may hold HTML or script: not a tag in a text
file (any encoding), not a script action in a PDF, not an HTML part or an
altChunk in an Office file (chibo.lib.uploads).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from chibo.lib.uploads import UnreadableZip, holds_markup, office_holds_html, pdf_holds_script
from sessions.photos import clean_photo

ZIP = (b"PK\x03\x04",)
OLE2 = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
PDF = (b"%PDF-",)
RTF = (b"{\\rtf",)
TEXT = ()  # no signature: text, checked by decoding
SIGNATURES = {
    "pdf": PDF,
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "odt": ZIP,
    "ods": ZIP,
    "odp": ZIP,
    "doc": OLE2,
    "xls": OLE2,
    "ppt": OLE2,
    "rtf": RTF,
}
PICTURES = {"jpg": "jpg", "jpeg": "jpg", "png": "png"}


def checked_document(upload, extension: str):
    """``upload`` if its content is what ``extension`` says, re-encoded for a picture.

    Raises ValidationError with a Vietnamese message otherwise.
    """
    name = upload.name
    # A text file (.txt, .rtf…) is checked for every tag and script address,
    # in any encoding; a binary one for a page hidden in it.
    text = extension not in PICTURES and SIGNATURES.get(extension, TEXT) in (TEXT, RTF)
    if holds_markup(upload, text=text):
        raise _markup(name)
    if extension in PICTURES:
        photo = clean_photo(upload)
        if photo.extension != PICTURES[extension]:
            raise _mismatch(name, extension)
        return ContentFile(photo.content, name=f"{Path(name).stem}.{photo.extension}")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension in SIGNATURES:
        if not head.startswith(SIGNATURES[extension]):
            raise _mismatch(name, extension)
    elif not _is_text(upload):
        raise _mismatch(name, extension)
    if SIGNATURES.get(extension) == PDF and pdf_holds_script(upload):
        raise _markup(name)
    if SIGNATURES.get(extension) == ZIP:
        try:
            if office_holds_html(upload):
                raise _markup(name)
        except UnreadableZip as error:
            raise _mismatch(name, extension) from error
    return upload


def _markup(name) -> ValidationError:
    return ValidationError(
        _("Tệp “%(name)s” có mã HTML hoặc script: không nhận tệp này."),
        params={"name": name},
        code="markup",
    )


def _is_text(upload) -> bool:
    content = upload.read()
    upload.seek(0)
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        if encoding == "utf-16" and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return "\x00" not in content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return False


def _mismatch(name, extension) -> ValidationError:
    return ValidationError(
        _(
            "Nội dung tệp “%(name)s” không phải tệp .%(extension)s như tên gọi: hãy mở tệp "
            "trên máy rồi lưu lại đúng định dạng."
        ),
        params={"name": name, "extension": extension},
        code="wrong_content",
    )
