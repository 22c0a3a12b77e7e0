"""What every uploaded file is checked for, whatever it claims to be.

Photos and documents are served back to the cell's users. A file that holds
HTML or script would be dangerous if a browser ever took it for a page; the
media view already sends such types as downloads with ``nosniff``, and this
check refuses them at the door, so that no such file is ever stored.
"""

import re

from django.utils.translation import gettext_lazy as _

# Django's own message says "tập tin"; the pages say "tệp".
EMPTY_FILE = _("Tệp rỗng (0 byte): hãy chọn lại tệp.")

# Markup a browser would run, anywhere in the file: after a real image
# (a polyglot), inside an SVG, or as a whole HTML page renamed .jpg or .pdf.
ACTIVE_MARKUP = re.compile(rb"<\s*(?:script|html|body|svg|iframe)\b|<\?php", re.IGNORECASE)
# Long enough to hold any match that straddles two chunks.
OVERLAP = 32


def holds_markup(upload) -> bool:
    """Whether ``upload`` contains HTML or script; reads it in chunks, then rewinds it."""
    upload.seek(0)
    tail = b""
    try:
        for chunk in upload.chunks():
            data = tail + chunk
            if ACTIVE_MARKUP.search(data):
                return True
            tail = data[-OVERLAP:]
        return False
    finally:
        upload.seek(0)
