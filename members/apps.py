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

        from django.db.models.signals import post_delete, pre_save

        from members.models import Organisation
        from members.versions import (
            cell_path_models,
            raise_old_tree,
            raise_on_save,
            raise_own_version,
        )

        pre_save.connect(raise_old_tree, sender=Organisation, dispatch_uid="version-old-tree")
        post_save.connect(raise_own_version, sender=Organisation, dispatch_uid="version-own")
        for model in cell_path_models():
            for signal in (post_save, post_delete):
                signal.connect(raise_on_save, sender=model, dispatch_uid=f"version-{model._meta}")
