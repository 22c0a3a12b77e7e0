import importlib
import os
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

# Playwright runs an event loop in the test thread; Django's ORM would refuse
# to run there without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
PASSWORD = "chibo-demo"
create_roles = importlib.import_module("chibo.migrations.0001_roles").create_roles
give_the_profile = importlib.import_module(
    "chibo.migrations.0002_cell_profile"
).give_the_secretary_the_profile
roles_per_cell = importlib.import_module("chibo.migrations.0003_roles_per_cell").roles_per_cell


@pytest.fixture
def demo_site(transactional_db, live_server):
    """The live server with the demo cell loaded.

    Browser tests run in transactions that end with a flush, which also removes
    the roles the data migrations created: put them back first.
    """
    create_roles(apps, schema_editor=None)
    give_the_profile(apps, schema_editor=None)
    roles_per_cell(apps, schema_editor=None)
    call_command("load_demo", stdout=StringIO())
    return live_server


@pytest.fixture
def login(page, demo_site):
    def login_as(username):
        page.goto(f"{demo_site.url}/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.locator("form[action='/accounts/login/'] button[type=submit]").click()
        page.wait_for_url(f"{demo_site.url}/")
        return page

    return login_as


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
