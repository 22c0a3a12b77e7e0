"""Photos: real JPEG/PNG/WebP only, re-encoded without metadata, all or nothing."""

import io
import re
import warnings
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from sessions.models import Photo
from tests.factories import at, make_session
from tests.images import (
    GPS_IFD,
    huge_png,
    image_bytes,
    jpeg_with_metadata,
    png_with_text,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(now):
    return make_session(start=at(2020, 5, 19), topic="Học tập Chỉ thị 05", status="held")


def post_photos(client, session, *files, caption=""):
    """The upload form sent with ``files`` chosen at once in its one file input."""
    data = {"images": list(files), "caption": caption}
    return client.post(reverse("sessions:photos", args=[session.pk]), data)


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_the_upload_page_takes_several_photos_in_one_input(client, secretary, session):
    client.force_login(secretary)
    page = client.get(reverse("sessions:photos", args=[session.pk]))
    assert re.search(r'<input type="file" name="images"[^>]* multiple', page.text)
    assert "Chọn một hoặc nhiều ảnh cùng lúc (tối đa 10 ảnh mỗi lần)." in page.text


def test_secretary_uploads_two_photos_at_once_with_a_caption(client, secretary, session, settings):
    client.force_login(secretary)
    response = post_photos(
        client,
        session,
        upload("hoi-truong.jpg", image_bytes()),
        upload("tham-luan.png", image_bytes(image_format="PNG"), "image/png"),
        caption="Toàn cảnh hội trường",
    )
    assert response.status_code == 302
    photos = list(Photo.objects.order_by("pk"))
    assert [photo.caption for photo in photos] == ["Toàn cảnh hội trường"] * 2
    assert [photo.image.name[-3:] for photo in photos] == ["jpg", "png"]
    assert all(photo.uploaded_by == secretary for photo in photos)
    # Random names, never the uploaded ones; a thumbnail for each.
    for photo in photos:
        assert re.fullmatch(r"photos/\d{4}/[0-9a-f]{32}\.(jpg|png)", photo.image.name)
        assert re.fullmatch(r"photos/thumbs/\d{4}/[0-9a-f]{32}\.jpg", photo.thumbnail.name)
    assert len(stored_files(settings)) == 4

    page = client.get(session.get_absolute_url())
    assert page.text.count('class="img-fluid rounded photo-thumb"') == 2
    assert "Toàn cảnh hội trường" in page.text
    assert photos[0].thumbnail.url in page.text


def test_photo_orientation_is_applied_and_metadata_removed(client, secretary, session):
    client.force_login(secretary)
    post_photos(client, session, upload("gps.jpg", jpeg_with_metadata(size=(80, 40))))
    photo = Photo.objects.get()
    with Image.open(photo.image.path) as stored:
        assert stored.size == (40, 80)  # turned upright: orientation 6 is a quarter turn
        assert "exif" not in stored.info
        exif = stored.getexif()
        assert len(exif) == 0
        assert not exif.get_ifd(GPS_IFD)
    assert b"GPS" not in Path(photo.image.path).read_bytes()


def test_png_text_chunks_are_removed(client, secretary, session):
    client.force_login(secretary)
    post_photos(client, session, upload("ghi-chu.png", png_with_text(), "image/png"))
    with Image.open(Photo.objects.get().image.path) as stored:
        assert stored.format == "PNG"
        assert "Comment" not in stored.info


def test_webp_is_accepted(client, secretary, session):
    client.force_login(secretary)
    post_photos(
        client, session, upload("anh.webp", image_bytes(image_format="WEBP")), caption="WebP"
    )
    assert Photo.objects.get().image.name.endswith(".webp")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("gia.jpg", b"day khong phai anh", "không phải ảnh JPEG, PNG hoặc WebP"),
        ("dong.gif", image_bytes(image_format="GIF"), "không phải ảnh JPEG, PNG hoặc WebP"),
        ("cat-cut.jpg", image_bytes(size=(300, 300))[:400], "bị hỏng hoặc không đọc được"),
        ("bom.png", huge_png(), "quá lớn: tối đa 40 triệu điểm ảnh"),
    ],
)
def test_a_bad_file_gets_a_message_and_nothing_is_stored(
    client, secretary, session, settings, name, content, message
):
    client.force_login(secretary)
    with warnings.catch_warnings():
        # Pillow's DecompressionBombWarning must not escape (nor turn into a 500).
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        response = post_photos(client, session, upload(name, content), caption="Chú thích")
    assert response.status_code == 200
    assert message in response.text
    assert Photo.objects.count() == 0
    assert stored_files(settings) == []


def test_the_ten_thousand_pixel_square_png_is_94_kib():
    content = huge_png()
    assert len(content) < 100 * 1024
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert Image.open(io.BytesIO(content)).size == (10_000, 10_000)


def test_a_file_over_the_size_cap_is_refused(client, secretary, session, settings):
    settings.CHIBO_PHOTO_MAX_BYTES = 1000
    client.force_login(secretary)
    response = post_photos(client, session, upload("lon.jpg", image_bytes((400, 400))))
    assert "vượt mức cho phép" in response.text
    assert Photo.objects.count() == 0


def test_the_pixel_cap_is_a_setting(client, secretary, session, settings):
    settings.CHIBO_PHOTO_MAX_PIXELS = 100 * 100
    client.force_login(secretary)
    response = post_photos(client, session, upload("rong.png", image_bytes((200, 200))))
    assert "quá lớn" in response.text
    assert Photo.objects.count() == 0


def test_one_bad_photo_stores_none_of_the_upload(client, secretary, session, settings):
    client.force_login(secretary)
    response = post_photos(
        client,
        session,
        upload("tot.jpg", image_bytes()),
        upload("xau.jpg", b"GIF89a khong phai"),
        upload("cung-xau.png", b"khong phai anh"),
    )
    # Every refused file named, the good one not stored either.
    assert "“xau.jpg” không phải ảnh" in response.text
    assert "“cung-xau.png” không phải ảnh" in response.text
    assert Photo.objects.count() == 0
    assert stored_files(settings) == []


def test_an_empty_upload_asks_for_a_photo(client, secretary, session):
    client.force_login(secretary)
    response = post_photos(client, session)
    assert "Hãy chọn ít nhất một ảnh." in response.text


def test_a_caption_without_a_photo_is_an_error(client, secretary, session):
    client.force_login(secretary)
    response = post_photos(client, session, caption="Không có ảnh")
    assert "Hãy chọn ít nhất một ảnh." in response.text
    assert 'value="Không có ảnh"' in response.text
    assert Photo.objects.count() == 0


def test_more_than_ten_photos_at_once_are_refused(client, secretary, session):
    client.force_login(secretary)
    files = [upload(f"{n}.jpg", image_bytes()) for n in range(11)]
    response = post_photos(client, session, *files)
    assert response.status_code == 200
    assert "Mỗi lần tải lên tối đa 10 ảnh; đã chọn 11 ảnh." in response.text
    assert Photo.objects.count() == 0


def test_secretary_edits_a_caption_and_deletes_a_photo(
    client, secretary, session, settings, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    post_photos(client, session, upload("a.jpg", image_bytes()), caption="Cũ")
    photo = Photo.objects.get()
    caption_url = reverse("sessions:photo_caption", args=[session.pk, photo.pk])
    client.post(caption_url, {"caption": "Mới"})
    photo.refresh_from_db()
    assert photo.caption == "Mới"

    delete_url = reverse("sessions:photo_delete", args=[session.pk, photo.pk])
    assert client.get(delete_url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete_url)
    assert Photo.objects.count() == 0
    assert stored_files(settings) == []


def test_deleting_a_photo_asks_first_and_sits_apart_from_the_caption(client, secretary, session):
    """The delete form carries the question the page's own script asks before sending it."""
    client.force_login(secretary)
    post_photos(client, session, upload("a.jpg", image_bytes()), caption="Toàn cảnh")
    photo = Photo.objects.get()
    response = client.get(reverse("sessions:photos", args=[session.pk]))
    delete_url = reverse("sessions:photo_delete", args=[session.pk, photo.pk])
    caption_url = reverse("sessions:photo_caption", args=[session.pk, photo.pk])
    form = re.search(rf'<form method="post" action="{delete_url}"[^>]*>', response.text)
    assert 'data-confirm="Xóa hẳn ảnh này khỏi kỳ sinh hoạt? Không thể khôi phục."' in form[0]
    # Below the caption's form and its Save button, under a rule, not beside them.
    assert "border-top" in form[0]
    assert response.text.index(caption_url) < form.start()
    assert "/static/js/confirm.js" in response.text


def test_member_sees_the_gallery_but_cannot_upload(client, secretary, member, session):
    """A member sees the photos where members see them, on the session's page,
    with no way to add any: no link to the upload page, which refuses them."""
    client.force_login(secretary)
    post_photos(client, session, upload("a.jpg", image_bytes()), caption="Toàn cảnh hội trường")
    photo = Photo.objects.get()
    photos_url = reverse("sessions:photos", args=[session.pk])

    client.force_login(member)
    page = client.get(reverse("sessions:detail", args=[session.pk]))
    assert page.status_code == 200
    gallery = re.search(r'<div class="[^"]*photo-gallery">.*?</div>', page.text, re.S)
    assert gallery, "the session's page shows no gallery to a member"
    assert f'src="{photo.thumbnail.url}"' in gallery[0]
    assert "Toàn cảnh hội trường" in gallery[0]
    assert f'href="{photos_url}"' not in page.text
    assert 'name="images"' not in page.text

    assert client.get(photos_url).status_code == 403
    response = post_photos(client, session, upload("b.jpg", image_bytes()))
    assert response.status_code == 403
    assert list(Photo.objects.all()) == [photo]
