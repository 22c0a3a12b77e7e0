from django import template
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from chibo.lib import text
from chibo.lib.dates import dated_line, day_in_full
from sessions import wording

register = template.Library()


@register.filter
def kind_phrase(session):
    """A meeting's kind inside a sentence: "sinh hoạt chi bộ định kỳ", "sinh hoạt chuyên đề"."""
    return wording.kind_phrase(session)


@register.filter
def percent(value):
    """A rate in percent with one decimal in the active language ("93,1 %"), or a dash."""
    if value is None:
        return "—"
    return f"{formats.number_format(value, 1)} %"


@register.filter
def standing_on(member, day):
    """The member's standing on ``day`` (``Member.standing_on``): "full" or "probationary".

    For a page about a day in the past, such as a session's attendance sheet.
    """
    return member.standing_on(day)


@register.filter
def in_full(value):
    """A day with its weekday in full, in the language's order (``dates.day_in_full``)."""
    return day_in_full(value) if value else ""


@register.filter
def dated(value):
    """The date of a document's date line (``dates.dated_line``)."""
    return dated_line(value) if value else ""


@register.filter
def quoted(value):
    """A title in quotation marks unless it has its own (``chibo.lib.text.quoted``)."""
    return text.quoted(value)


@register.filter(needs_autoescape=True)
def paragraphs(value, autoescape=True):
    """Each line of a text typed in a box as its own paragraph, blank lines dropped.

    For what a secretary writes into a document (the report's assessment): a
    line typed on its own is a paragraph of the document, indented as one,
    where Django's ``linebreaks`` would join single lines with ``<br>``.
    """
    escape = conditional_escape if autoescape else str
    lines = [line.strip() for line in str(value or "").splitlines()]
    return mark_safe("".join(f"<p>{escape(line)}</p>" for line in lines if line))  # noqa: S308
