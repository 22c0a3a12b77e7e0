import os
import shutil

import pytest
from django.core.cache import cache
from django.utils import timezone

from chibo.lib.roles import LEADER, MEMBER, SECRETARY
from tests.factories import at, make_group, make_member, make_user

CHROMIUM = "/usr/bin/chromium"
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def pytest_configure(config):
    """One fast password hasher for the whole suite, browser tests included; the cell guard on.

    PBKDF2's rounds are there to slow down an attacker, not the tests: with them
    most of the suite's CPU time went into hashing the passwords of test users.
    Set once here, before any test makes a user, in every xdist worker and in
    the live server's thread (which shares the worker's settings).
    """
    from django.conf import settings

    settings.PASSWORD_HASHERS = [FAST_HASHER]
    # Every request of the suite reads cell data through a cell, or fails
    # (chibo.middleware.CellGuardMiddleware; tests/test_cell_guard.py).
    settings.CHIBO_CELL_GUARD = True
    # A standby database (chibo/routers.py) that is the default one under another
    # name: its tests need no replica. Reads go to it only where a test says so
    # (CHIBO_STANDBY_READS); connections are made later, from these settings.
    if "standby" not in settings.DATABASES:
        settings.DATABASES["standby"] = {
            **settings.DATABASES["default"],
            "TEST": {"MIRROR": "default"},
        }
    settings.CHIBO_STANDBY_READS = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no rendered part cached (members/versions.py)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploads go to a temporary folder; static files need no manifest."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def groups(db):
    return [make_group(f"Tổ {n}", order=n) for n in (1, 2)]


@pytest.fixture
def secretary(groups):
    member = make_member(groups[0], "Nông Thị Hương", position="secretary")
    return make_user("secretary", SECRETARY, member)


@pytest.fixture
def leader(groups):
    member = make_member(groups[0], "Hoàng Văn Thắng", position="committee")
    return make_user("leader", LEADER, member)


@pytest.fixture
def member(groups):
    return make_user("member", MEMBER, make_member(groups[0], "Lương Văn Tuấn"))


@pytest.fixture
def other_member(groups):
    return make_user("other", MEMBER, make_member(groups[1], "Phùng Thị Hoa"))


@pytest.fixture
def now(monkeypatch):
    """Freeze the clock at 1 June 2020, 10:00 in Hà Nội (mid-year of the model case)."""
    frozen = at(2020, 6, 1, 10, 0)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    return frozen


# --- Browser tests -------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


# --- In CI, a skipped test is a failed run --------------------------------------


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from django.db import connection

    passed = [
        report for report in terminalreporter.stats.get("passed", []) if report.when == "call"
    ]
    in_browser = sum(1 for report in passed if "e2e" in report.keywords)
    terminalreporter.write_line(
        f"Chibo: {len(passed)} tests passed on {connection.display_name}, "
        f"{in_browser} of them in the browser (Chromium)."
    )
    skipped = terminalreporter.stats.get("skipped", [])
    if os.environ.get("CI") and skipped:
        terminalreporter.write_line(
            f"CI: {len(skipped)} test(s) skipped; in CI every test must run.", red=True
        )


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter and reporter.stats.get("skipped"):
        session.exitstatus = 1
