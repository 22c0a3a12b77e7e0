from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThematicConfig(AppConfig):
    # The folder is sessions/, but django.contrib.sessions already owns the
    # label "sessions": tables, permissions and makemigrations use "thematic".
    name = "sessions"
    label = "thematic"
    verbose_name = _("Sinh hoạt chuyên đề")
