"""Real image files for upload tests, made with Pillow."""

import functools
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(size=(64, 48), image_format="JPEG", color=(200, 30, 30), **save):
    buffer = io.BytesIO()
    mode = "RGBA" if image_format in ("PNG", "WEBP") and save.pop("alpha", False) else "RGB"
    Image.new(mode, size, color).save(buffer, format=image_format, **save)
    return buffer.getvalue()


def jpeg_with_metadata(size=(80, 40), orientation=6):
    """A JPEG with a GPS position and an EXIF orientation (6: turn 90° clockwise)."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Máy ảnh thử"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (21.0, 51.0, 0.0), 3: "E", 4: (106.0, 45.0, 0.0)})
    return image_bytes(size, "JPEG", exif=exif.tobytes())


def png_with_text(size=(40, 40)):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "vị trí: Lạng Sơn")
    return image_bytes(size, "PNG", pnginfo=info)


@functools.cache
def huge_png(side=10_000):
    """A small file that decodes to side × side pixels (10,000²: a 94 KiB PNG)."""
    buffer = io.BytesIO()
    Image.new("L", (side, side)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)
