from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ChiboConfig(AppConfig):
    name = "chibo"
    verbose_name = _("Chi bộ")

    def ready(self):
        from chibo.db import use_sqlite_parameter_limit
        from chibo.lib import converters  # noqa: F401 (registers <id:…> for the URLconfs)
        from chibo.middleware import IdleSessionMiddleware

        connection_created.connect(use_sqlite_parameter_limit, dispatch_uid="chibo-sqlite-limit")
        user_logged_in.connect(
            IdleSessionMiddleware.mark_refreshed, dispatch_uid="chibo-session-refreshed"
        )
