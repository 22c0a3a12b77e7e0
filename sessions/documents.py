"""Checking an uploaded document against what its name says it is.

The kind of a document is read from its extension (that is what decides how
the member's PC opens it), so its content must be of that kind: a PDF starts
with ``%PDF-``, an Office or OpenDocument file is a zip, an old Office file an
OLE2 compound file, a text file is text. Pictures are checked like photos
(JPEG or PNG by content, under the pixel cap) and stored re-encoded, without
their EXIF or GPS. No document may hold HTML or script.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from chibo.lib.uploads import holds_markup
from sessions.photos import clean_photo

ZIP = (b"PK\x03\x04",)
OLE2 = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "odt": ZIP,
    "ods": ZIP,
    "odp": ZIP,
    "doc": OLE2,
    "xls": OLE2,
    "ppt": OLE2,
    "rtf": (b"{\\rtf",),
}
PICTURES = {"jpg": "jpg", "jpeg": "jpg", "png": "png"}


def checked_document(upload, extension: str):
    """``upload`` if its content is what ``extension`` says, re-encoded for a picture.

    Raises ValidationError with a Vietnamese message otherwise.
    """
    name = upload.name
    if holds_markup(upload):
        raise ValidationError(
            _("Tệp “%(name)s” có mã HTML hoặc script: không nhận tệp này."),
            params={"name": name},
            code="markup",
        )
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
    return upload


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
