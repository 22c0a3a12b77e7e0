"""Checking and cleaning uploaded photos.

A photo is accepted only if Pillow decodes it as a JPEG, PNG or WebP within
the size and pixel caps of the settings, and holds no HTML or script (a
"polyglot": a real image with a page after it). It is then re-encoded from its
pixels alone: the EXIF orientation is applied, and EXIF, GPS, text chunks and
colour profiles are left behind. The stored file is never the uploaded one.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from chibo.lib.uploads import holds_markup

# Pillow format → file extension of the stored photo.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Stored photos are scaled down to this longest side; thumbnails to this one.
PHOTO_SIDE = 2560
THUMBNAIL_SIDE = 480
SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85},
}


@dataclass(frozen=True)
class CleanPhoto:
    """A photo re-encoded from its pixels, with its thumbnail (JPEG)."""

    content: bytes
    extension: str
    thumbnail: bytes
    width: int
    height: int


class _TooManyPixels(Exception):
    pass


def clean_photo(upload) -> CleanPhoto:
    """Check ``upload`` and return it cleaned, or raise ValidationError in Vietnamese."""
    name = getattr(upload, "name", "") or _("ảnh")
    if upload.size > settings.CHIBO_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("Ảnh “%(name)s” nặng %(size)s, vượt mức cho phép %(limit)s."),
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.CHIBO_PHOTO_MAX_BYTES),
            },
            code="too_large",
        )
    if holds_markup(upload):
        raise ValidationError(
            _("Tệp “%(name)s” có mã HTML hoặc script lẫn trong ảnh: không nhận tệp này."),
            params={"name": name},
            code="markup",
        )
    try:
        # Pillow warns, then refuses, above its own pixel limit; a warning here
        # is our refusal too, never a log line or (with -W error) a crash.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _decode(upload)
    except (_TooManyPixels, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(
            _("Ảnh “%(name)s” quá lớn: tối đa %(limit)s triệu điểm ảnh."),
            params={"name": name, "limit": settings.CHIBO_PHOTO_MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            _("Tệp “%(name)s” không phải ảnh JPEG, PNG hoặc WebP."),
            params={"name": name},
            code="not_an_image",
        ) from None
    except Exception:
        # Whatever a broken or truncated file makes the decoder raise, it is
        # not a photo we can store.
        raise ValidationError(
            _("Ảnh “%(name)s” bị hỏng hoặc không đọc được."),
            params={"name": name},
            code="broken",
        ) from None


def _decode(upload) -> CleanPhoto:
    upload.seek(0)
    with Image.open(upload, formats=list(FORMATS)) as probe:
        image_format = probe.format
        width, height = probe.size
        if width * height > settings.CHIBO_PHOTO_MAX_PIXELS:
            raise _TooManyPixels
        probe.verify()
    # verify() leaves the image unusable: open it again to decode the pixels.
    upload.seek(0)
    with Image.open(upload, formats=[image_format]) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
    return _reencode(upright, image_format)


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _reencode(image, image_format) -> CleanPhoto:
    mode = "RGBA" if _has_alpha(image) and image_format != "JPEG" else "RGB"
    pixels = image.convert(mode)
    pixels.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
    # A new image carries no info dict: no EXIF, GPS, XMP, text or ICC profile.
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    content = io.BytesIO()
    clean.save(content, format=image_format, **SAVE_OPTIONS[image_format])

    thumb = clean.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    if thumb.mode == "RGBA":
        flat = Image.new("RGB", thumb.size, "white")
        flat.paste(thumb, mask=thumb.getchannel("A"))
        thumb = flat
    thumbnail = io.BytesIO()
    thumb.save(thumbnail, format="JPEG", quality=80, optimize=True)
    return CleanPhoto(
        content=content.getvalue(),
        extension=FORMATS[image_format],
        thumbnail=thumbnail.getvalue(),
        width=clean.width,
        height=clean.height,
    )
