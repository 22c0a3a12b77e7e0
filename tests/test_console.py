"""What a developer or an operator reads on the console: each log line once, a
shell that starts without warnings."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class

EMIT = """
import logging
import django

django.setup()
logging.getLogger("django.utils.autoreload").info("watching for file changes")
logging.getLogger("django.request").warning("Not Found: /nope/")
logging.getLogger("django.request").error("Internal Server Error: /boom/")
logging.getLogger("django.server").info('"GET /accounts/login/ HTTP/1.1" 200 3308')
logging.getLogger("chibo.backup").error("chibo's own error")
logging.getLogger("chibo.backup").info("chibo's own detail")
"""


def console(debug):
    """What the settings' LOGGING writes to stderr for the records above."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chibo.settings",
        "DEBUG": "1" if debug else "0",
        "SECRET_KEY": "test-only-" + "x" * 50,
    }
    result = subprocess.run(  # noqa: S603 - this Python, our own script
        [sys.executable, "-c", EMIT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr.splitlines()


@pytest.mark.parametrize("debug", [True, False], ids=["runserver", "production"])
def test_each_log_record_is_written_once(debug):
    lines = console(debug)
    assert lines.count("Not Found: /nope/") == 1
    assert lines.count("Internal Server Error: /boom/") == 1
    assert lines.count("chibo's own error") == 1
    assert "chibo's own detail" not in lines
    # runserver's request line keeps Django's format: "[date] message".
    requests = [line for line in lines if "GET /accounts/login/" in line]
    assert len(requests) == 1
    assert requests[0].startswith("[")
    assert lines.count("watching for file changes") == 1
    assert len(lines) == 5


def test_shell_imports_every_model_without_a_warning(capsys):
    out = StringIO()
    call_command("shell", "-c", "print(HistoricalAttendance.instance_type.__name__)", stdout=out)
    assert "could not be automatically imported" not in out.getvalue()
    assert capsys.readouterr().out == "Attendance\n"
    history_models = [model for model in apps.get_models() if hasattr(model, "instance_type")]
    assert len(history_models) >= 9
    shell = load_command_class(get_commands()["shell"], "shell")
    namespace = shell.get_namespace(verbosity=0)
    for model in history_models:
        assert namespace[model.__name__] is model
