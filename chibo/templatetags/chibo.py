from django import template
from django.utils import formats

register = template.Library()


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
