"""What every uploaded file is checked for, whatever it claims to be.

Photos and documents are served back to the cell's users. A file that holds
HTML or script would be dangerous if a browser ever took it for a page; the
media view already sends such types as downloads with ``nosniff`` and a
sandboxing policy, and these checks refuse them at the door, so that no such
file is ever stored: markup in any file; in a text file (.txt, .rtf) any tag
or script address, in any encoding (UTF-16 too); in a PDF a JavaScript,
Launch or RichMedia action; in an Office zip an HTML part or an altChunk.
"""

import re
import zipfile

from django.utils.translation import gettext_lazy as _

# Django's own message says "tập tin"; the pages say "tệp".
EMPTY_FILE = _("Tệp rỗng (0 byte): hãy chọn lại tệp.")

# Markup a browser would run, anywhere in the file: after a real image
# (a polyglot), inside an SVG, or as a whole HTML page renamed .jpg or .pdf.
ACTIVE_MARKUP = re.compile(rb"<\s*(?:script|html|body|svg|iframe)\b|<\?php", re.IGNORECASE)
# In a file that is text (.txt, .rtf), more than that: any tag a browser acts
# on (<img onerror>, <meta http-equiv="refresh">, <object>, <embed>, <a>…)
# and script addresses. Searched in the bytes and again without their NUL
# bytes, so that UTF-16 or UTF-32 text ("<\0s\0c\0r\0i\0p\0t\0") is read too.
TEXT_MARKUP = re.compile(
    rb"<\s*/?\s*(?:script|html|head|body|svg|math|iframe|frame|frameset|img|image|meta|"
    rb"object|embed|applet|link|style|base|form|input|button|video|audio|source|template|"
    rb"a|xml|xss)\b|<\?php|<!doctype|(?:java|vb)script\s*:|data\s*:\s*text/html",
    re.IGNORECASE,
)
# In a PDF: an action that runs script or a program (the /OpenAction or /AA
# that starts it points to one of these). Names may be written with #xx escapes.
PDF_SCRIPT = re.compile(rb"/(?:JavaScript|JS|Launch|RichMedia)(?![A-Za-z0-9])")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Long enough to hold any match that straddles two chunks.
OVERLAP = 64


def _search(upload, pattern, prepare=lambda data: (data,)) -> bool:
    upload.seek(0)
    tail = b""
    try:
        for chunk in upload.chunks():
            data = tail + chunk
            if any(pattern.search(view) for view in prepare(data)):
                return True
            tail = data[-OVERLAP:]
        return False
    finally:
        upload.seek(0)


def holds_markup(upload, *, text: bool = False) -> bool:
    """Whether ``upload`` contains HTML or script; reads it in chunks, then rewinds it.

    ``text``: the file is read as text by the programs that open it, so any
    tag or script address counts, in any encoding.
    """
    if not text:
        return _search(upload, ACTIVE_MARKUP)
    return _search(upload, TEXT_MARKUP, lambda data: (data, data.replace(b"\x00", b"")))


def pdf_holds_script(upload) -> bool:
    """Whether a PDF names a JavaScript, Launch or RichMedia action anywhere."""

    def unescaped(data):
        return (data, PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data))

    return _search(upload, PDF_SCRIPT, unescaped)


# Parts of an Office (or OpenDocument) zip that a program would render as a
# page: an HTML or MHT part, an altChunk (Word imports it as HTML).
OFFICE_HTML_NAMES = (".htm", ".html", ".xhtml", ".mht", ".mhtml", ".xht")
OFFICE_HTML_MARKS = re.compile(
    rb"afchunk|text/html|application/xhtml\+xml|message/rfc822|multipart/related", re.IGNORECASE
)
# [Content_Types].xml and relationship files are small; a larger one is refused.
OFFICE_PART_MAX_BYTES = 1024 * 1024


class UnreadableZip(Exception):
    """The file starts like a zip but is not one a program could open."""


def office_holds_html(upload) -> bool:
    """Whether an Office zip carries an HTML part; raises UnreadableZip for a broken zip."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            for info in archive.infolist():
                name = info.filename.lower()
                if name.endswith(OFFICE_HTML_NAMES):
                    return True
                if name == "[content_types].xml" or name.endswith((".rels", "manifest.xml")):
                    if info.file_size > OFFICE_PART_MAX_BYTES:
                        return True
                    with archive.open(info) as part:
                        if OFFICE_HTML_MARKS.search(part.read(OFFICE_PART_MAX_BYTES + 1)):
                            return True
        return False
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise UnreadableZip from error
    except NotImplementedError as error:  # a compression zipfile cannot read
        raise UnreadableZip from error
    finally:
        upload.seek(0)
