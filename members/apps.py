from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Đảng viên")

    def ready(self):
        from axes.models import AccessLog
        from django.db.models.signals import post_save

        from members.logins import own_access_log

        post_save.connect(own_access_log, sender=AccessLog, dispatch_uid="members-login-owner")
