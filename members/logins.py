"""Tie each successful login django-axes records to the account that logged in.

django-axes writes an ``AccessLog`` row in its ``user_logged_in`` receiver
with ``username=user.get_username()``: at that instant the name belongs to
exactly one account, so the row is tied to it then (``LoginRecord``), and a
later rename moves nothing.
"""

from django.contrib.auth import get_user_model


def own_access_log(sender, instance, created, raw=False, **kwargs):
    """post_save receiver of axes' AccessLog: record whose login it is."""
    from members.models import LoginRecord

    if not created or raw:
        return
    user = get_user_model().objects.filter(username=instance.username).first()
    if user is not None:
        LoginRecord.objects.create(access_log=instance, user=user)
