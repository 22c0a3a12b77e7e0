"""The tokens of the one-time set-password links.

Django's password-reset tokens hash the user's password and last login, so
a link stops working once used. They also hash the number of links made for
the login (``PasswordLinkCount``): a new link voids every earlier one, so a
link shown once and forgotten, or mailed to an old address, cannot be used
after the member asked for another.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.db.models import F


class PasswordLinkTokenGenerator(PasswordResetTokenGenerator):
    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{links_made(user)}"


def links_made(user) -> int:
    from members.models import PasswordLinkCount

    count = PasswordLinkCount.objects.filter(user=user).values_list("made", flat=True).first()
    return count or 0


def new_link_token(user) -> str:
    """A token for a new link of ``user``: every earlier link's token stops working."""
    from members.models import PasswordLinkCount

    with transaction.atomic():
        count, created = PasswordLinkCount.objects.get_or_create(user=user, defaults={"made": 1})
        if not created:
            PasswordLinkCount.objects.filter(pk=count.pk).update(made=F("made") + 1)
        return password_link_tokens.make_token(user)


password_link_tokens = PasswordLinkTokenGenerator()
