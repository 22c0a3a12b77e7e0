"""How a meeting is named in running text, by its kind (one place for all pages and mails).

``ThematicSession.kind_label`` is the mark of lists and calendars ("Sinh hoạt
định kỳ"); ``kind_phrase`` is the same kind inside a sentence ("lịch sinh hoạt
chi bộ định kỳ sắp tới"), so that "chuyên đề" is never said of a regular
meeting.
"""

from django.utils.translation import gettext as _


def kind_phrase(session) -> str:
    """The meeting's kind, lower case, to follow "kỳ" or "lịch" in a sentence."""
    if session.thematic and session.regular:
        return _("sinh hoạt chi bộ định kỳ kết hợp chuyên đề")
    if session.regular:
        return _("sinh hoạt chi bộ định kỳ")
    return _("sinh hoạt chuyên đề")


def kind_slug(session) -> str:
    """The kind in a file name (ASCII)."""
    if session.thematic and session.regular:
        return "sinh-hoat-dinh-ky-chuyen-de"
    if session.regular:
        return "sinh-hoat-dinh-ky"
    return "sinh-hoat-chuyen-de"
