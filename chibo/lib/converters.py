"""The number in a URL (an id, a year) is at most 18 digits.

Django's ``int`` converter takes any number of digits, and a number past
2**63 cannot even be handed to SQLite: a lookup through a foreign key
(``member_id=…``) then fails with OverflowError, a server error where the
visitor should get 404. Eighteen digits is more than any id or year.
Registered when the app is ready (chibo/apps.py), before any URLconf is read.
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
