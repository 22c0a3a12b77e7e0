from django import template
from django.utils import formats

register = template.Library()


@register.filter
def percent(value):
    """A rate in percent with one decimal in the active language ("93,1 %"), or a dash."""
    if value is None:
        return "—"
    return f"{formats.number_format(value, 1)} %"
