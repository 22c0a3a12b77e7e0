"""Bad files sent to every upload of Chibo: a clear message, nothing stored.

Photos, documents and member lists each get the corpus of tests/badfiles.py,
each file named for the form it is sent to. Every one must be answered with
the form again (200) and a Vietnamese message saying what is wrong, and
leave no row and no file under MEDIA_ROOT. tests/test_photos.py already
sends a text file, a GIF, a truncated JPEG and the 10,000² PNG as photos;
here are the rest, and the same lies told to the other two forms.
"""

import warnings
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members.importing import IMPORT_MAX_BYTES
from members.models import Member
from sessions.models import Document, Photo
from tests import badfiles
from tests.factories import at, make_session
from tests.images import image_bytes

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = "không phải ảnh JPEG, PNG hoặc WebP"
MARKUP = "có mã HTML hoặc script"
EMPTY = "Tệp rỗng"
TOO_BIG = "vượt mức"
WRONG_CONTENT = "như tên gọi"
EXCEL = "Không đọc được tệp Excel này."
NOT_CSV = "không phải tệp CSV"

PHOTOS = [
    ("rong.jpg", lambda: b"", EMPTY),
    ("dau-jpeg-roi-script.jpg", lambda: badfiles.JPEG_HEADER_THEN_SCRIPT, MARKUP),
    ("dau-jpeg-roi-rac.jpg", lambda: badfiles.JPEG_HEADER_THEN_JUNK, NOT_AN_IMAGE),
    ("anh-that-kem-trang.jpg", badfiles.polyglot_jpeg, MARKUP),
    ("anh-that-kem-svg.png", badfiles.polyglot_png, MARKUP),
    ("ve.jpg", lambda: badfiles.SVG, MARKUP),
    ("trang.jpg", lambda: badfiles.HTML_PAGE, MARKUP),
    ("chuong-trinh.jpg", lambda: badfiles.EXE, NOT_AN_IMAGE),
    ("anh-bmp.jpg", lambda: image_bytes(image_format="BMP"), NOT_AN_IMAGE),
    ("anh-tiff.jpg", lambda: image_bytes(image_format="TIFF"), NOT_AN_IMAGE),
    ("qua-nang.jpg", lambda: image_bytes(size=(400, 400)), TOO_BIG),
]
DOCUMENTS = [
    ("rong.pdf", lambda: b"", EMPTY),
    ("van-ban.pdf", lambda: "Đây không phải tệp PDF".encode(), WRONG_CONTENT),
    ("trang.pdf", lambda: badfiles.HTML_PAGE, MARKUP),
    ("trang-gia-pdf.pdf", lambda: b"%PDF-1.4\n" + badfiles.HTML_PAGE, MARKUP),
    ("chuong-trinh.docx", lambda: badfiles.EXE, WRONG_CONTENT),
    ("chuong-trinh.doc", lambda: badfiles.EXE, WRONG_CONTENT),
    ("anh.xlsx", lambda: image_bytes(image_format="GIF"), WRONG_CONTENT),
    ("nhi-phan.txt", lambda: badfiles.EXE, WRONG_CONTENT),
    ("dong.jpg", lambda: image_bytes(image_format="GIF"), NOT_AN_IMAGE),
    ("ve.png", lambda: badfiles.SVG, MARKUP),
    ("cat-cut.jpg", badfiles.truncated_jpeg, "bị hỏng hoặc không đọc được"),
    ("dau-jpeg-roi-script.jpg", lambda: badfiles.JPEG_HEADER_THEN_SCRIPT, MARKUP),
    ("anh-that-kem-trang.jpg", badfiles.polyglot_jpeg, MARKUP),
    ("bom.png", badfiles.bomb_png, "quá lớn: tối đa 40 triệu điểm ảnh"),
    ("png-goi-la-jpg.jpg", lambda: image_bytes(image_format="PNG"), WRONG_CONTENT),
    ("nghi-quyet.pdf.exe", lambda: badfiles.EXE, "Không nhận tệp “.exe”"),
    ("khong-duoi", lambda: b"%PDF-1.4", "Tệp không có đuôi"),
    ("qua-nang.pdf", lambda: b"%PDF-1.4" + b" " * 2000, TOO_BIG),
    # Text-like files carrying HTML or script (issue 10, item 9).
    ("script-utf16.txt", lambda: badfiles.UTF16_SCRIPT_TXT, MARKUP),
    ("script-utf16be.txt", lambda: badfiles.UTF16BE_SCRIPT_TXT, MARKUP),
    ("anh-onerror.txt", lambda: badfiles.IMG_ONERROR_TXT, MARKUP),
    ("chuyen-trang.txt", lambda: badfiles.META_REFRESH_TXT, MARKUP),
    ("doi-tuong.txt", lambda: badfiles.OBJECT_TXT, MARKUP),
    ("lien-ket.rtf", lambda: badfiles.JAVASCRIPT_RTF, MARKUP),
    ("mo-la-chay.pdf", lambda: badfiles.PDF_OPEN_ACTION_SCRIPT, MARKUP),
    ("mo-la-chay-an.pdf", lambda: badfiles.PDF_ESCAPED_SCRIPT, MARKUP),
    ("chay-chuong-trinh.pdf", lambda: badfiles.PDF_LAUNCH, MARKUP),
    ("co-trang-html.docx", badfiles.docx_with_html_part, MARKUP),
    ("co-altchunk.docx", badfiles.docx_with_alt_chunk, MARKUP),
    ("cat-cut.docx", badfiles.truncated_docx, WRONG_CONTENT),
]
MEMBER_LISTS = [
    ("rong.csv", lambda: b"", EMPTY),
    ("anh.csv", badfiles.png_as_csv, NOT_CSV),
    ("chuong-trinh.csv", lambda: badfiles.EXE, NOT_CSV),
    ("trang.csv", lambda: badfiles.HTML_PAGE, "Tệp thiếu cột"),
    ("anh.xlsx", lambda: image_bytes(image_format="GIF"), EXCEL),
    ("chuong-trinh.xlsx", lambda: badfiles.EXE, EXCEL),
    ("cat-cut.xlsx", badfiles.truncated_xlsx, EXCEL),
    ("trang-hong.xlsx", badfiles.xlsx_with_broken_sheet, EXCEL),
    ("bom.xlsx", badfiles.zip_bomb_xlsx, "giải nén ra quá 50,0"),
    ("dong-xuong-dong.csv", lambda: b'H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan\r"a\rb', "không đúng"),
    ("qua-nang.csv", lambda: b"a" * (IMPORT_MAX_BYTES + 1), TOO_BIG),
]


@pytest.fixture
def session(groups, now):
    return make_session(start=at(2020, 5, 19), topic="Học tập Chỉ thị 05", status="held")


def send_photo(client, session, file):
    data = {"images": [file], "caption": "Ảnh"}
    return client.post(reverse("sessions:photos", args=[session.pk]), data)


def send_document(client, session, file):
    data = {"title": "Tài liệu", "kind": "other", "file": file, "url": ""}
    return client.post(reverse("sessions:documents", args=[session.pk]), data)


def send_member_list(client, session, file):
    return client.post(reverse("members:import"), {"file": file})


FORMS = {
    "photo": (send_photo, PHOTOS),
    "document": (send_document, DOCUMENTS),
    "member list": (send_member_list, MEMBER_LISTS),
}
CASES = [(form, *case) for form, (_send, corpus) in FORMS.items() for case in corpus]


def files_under(root) -> set[Path]:
    root = Path(root)
    return set(root.rglob("*")) if root.exists() else set()


def rows():
    return (Photo.objects.count(), Document.objects.count(), Member.objects.count())


@pytest.mark.parametrize(("form", "name", "content", "message"), CASES)
def test_a_bad_file_gets_a_clear_message_and_leaves_nothing(
    client, secretary, session, settings, form, name, content, message
):
    settings.CHIBO_PHOTO_MAX_BYTES = 1000 if name.startswith("qua-nang") else 10_000_000
    settings.CHIBO_DOCUMENT_MAX_BYTES = 1000 if name.startswith("qua-nang") else 20_000_000
    client.force_login(secretary)
    before, counts = files_under(settings.MEDIA_ROOT), rows()
    send, _corpus = FORMS[form]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        response = send(client, session, SimpleUploadedFile(name, content()))
    assert response.status_code == 200
    assert message in response.text
    assert 'class="invalid-feedback' in response.text or "alert-danger" in response.text
    assert rows() == counts
    assert files_under(settings.MEDIA_ROOT) == before


def test_the_zip_bomb_is_small_and_refused_before_it_is_inflated():
    content = badfiles.zip_bomb_xlsx()
    assert len(content) < 400 * 1024  # 200 MB once inflated


def test_a_real_picture_under_the_wrong_photo_name_is_taken_for_what_it_is(
    client, secretary, session, settings
):
    """Photos go by content, not by name: a PNG called .jpg is stored as a PNG."""
    client.force_login(secretary)
    response = send_photo(
        client, session, SimpleUploadedFile("chup.jpg", image_bytes(image_format="PNG"))
    )
    assert response.status_code == 302
    assert Photo.objects.get().image.name.endswith(".png")


def test_a_picture_document_is_stored_without_its_metadata(client, secretary, session):
    from tests.images import GPS_IFD, jpeg_with_metadata

    client.force_login(secretary)
    upload = SimpleUploadedFile("so-do.jpg", jpeg_with_metadata())
    response = send_document(client, session, upload)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".jpg")
    with Image.open(document.file.path) as stored:
        assert not stored.getexif().get_ifd(GPS_IFD)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("de-dan.pdf", b"%PDF-1.7\n1 0 obj\n"),
        ("bai-trinh-chieu.docx", badfiles.docx()),
        ("mo-trang-dau.pdf", badfiles.PDF_OPEN_ACTION_VIEW),
        ("so-sanh.txt", "Tỷ lệ < 85 % thì chưa đạt; điểm >= 90 là Tốt.".encode()),
        ("so-sanh-utf16.txt", "Tỷ lệ < 85 %, điểm > 90: a<b".encode("utf-16")),
        ("nghi-quyet.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 30),
        ("ghi-chu.txt", "Nội dung thảo luận: chuyển đổi số.".encode()),
        ("ghi-chu-windows.txt", "Nội dung".encode("utf-16")),
        ("van-ban.rtf", b"{\\rtf1\\ansi Noi dung}"),
    ],
)
def test_documents_of_every_kind_are_still_accepted(client, secretary, session, name, content):
    client.force_login(secretary)
    response = send_document(client, session, SimpleUploadedFile(name, content))
    assert response.status_code == 302
    assert Document.objects.count() == 1


def test_a_script_in_a_member_list_is_shown_as_text(client, secretary, session, groups):
    client.force_login(secretary)
    content = "Họ và tên,Tổ Đảng,Ngày về chi bộ\r\n<script>alert(1)</script>,Tổ 1,01/02/2018\r\n"
    response = send_member_list(client, session, SimpleUploadedFile("ds.csv", content.encode()))
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_a_utf16_member_list_from_excel_is_read(client, secretary, session, groups):
    client.force_login(secretary)
    content = "Họ và tên\tTổ Đảng\tNgày về chi bộ\r\nBế Thị Mai\tTổ 1\t05/11/2019\r\n"
    upload = SimpleUploadedFile("ds.csv", content.encode("utf-16"))
    response = send_member_list(client, session, upload)
    assert response.context["rows"][0].data["full_name"] == "Bế Thị Mai"
