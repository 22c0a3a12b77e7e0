"""Django's shell, with every model auto-imported from where it really lives.

django-simple-history names the module of a Historical model after the app's
name ("sessions") when the app's label differs ("thematic"), yet puts the
class in the tracked model's module (sessions.models). Django 5.2's shell
imports models by their module and so warned, on every start, that six
sessions.Historical* models could not be imported. They are imported here
from the tracked model's module, like members' Historical models.
"""

from django.apps import apps
from django.core.management.commands import shell


class Command(shell.Command):
    def get_auto_imports(self):
        moved = {
            f"{model.__module__}.{model.__name__}": (
                f"{model.instance_type.__module__}.{model.__name__}"
            )
            for model in apps.get_models()
            if hasattr(model, "instance_type")  # a simple_history Historical model
        }
        return [moved.get(path, path) for path in super().get_auto_imports()]
