from django import template
from django.utils import formats

from chibo.lib import text

register = template.Library()


@register.filter
def percent(value):
    """A rate in percent with one decimal in the active language ("93,1 %"), or a dash."""
    if value is None:
        return "—"
    return f"{formats.number_format(value, 1)} %"


@register.filter
def quoted(value):
    """A title in quotation marks unless it has its own (``chibo.lib.text.quoted``)."""
    return text.quoted(value)
