"""Imports run one way: the project's top, then the apps, then the lower layer.

- ``chibo/lib`` (role and permission names, dates, widgets, uploads…) imports
  no app and nothing else of ``chibo``;
- ``members`` knows nothing of ``sessions``; neither app imports the project's
  top (settings, urls, views) or the demo data, only ``chibo.lib``;
- the core of ``sessions`` does not import its reports (only its URLconf
  includes theirs); the reports read the core;
- nothing Chibo serves imports the tests or the benchmark.

docs/development.md draws the same map.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (package, what it may not import, except what starts with one of these)
RULES = [
    ("chibo/lib", ("chibo", "members", "sessions", "tests", "bench"), ("chibo.lib",)),
    ("members", ("sessions", "chibo", "tests", "bench"), ("chibo.lib",)),
    ("sessions", ("chibo", "tests", "bench"), ("chibo.lib",)),
    ("chibo", ("tests", "bench"), ()),
]
# Modules of sessions' core that include the reports: its URLconf.
REPORTS_INCLUDED_BY = {"sessions/urls.py"}


def imported_modules(source: str) -> set[str]:
    """Every module an ``import`` or ``from … import`` of ``source`` names (absolute)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def forbidden(path: str, source: str) -> list[str]:
    """The imports of the module at ``path`` (relative to the root) that the layout forbids."""
    found = set()
    for package, banned, allowed in RULES:
        if not (path.startswith(package + "/")):
            continue
        for name in imported_modules(source):
            if any(_within(name, bad) for bad in banned) and not any(
                _within(name, ok) for ok in allowed
            ):
                found.add(name)
    in_core = path.startswith("sessions/") and not path.startswith("sessions/reports/")
    if in_core and path not in REPORTS_INCLUDED_BY:
        found.update(name for name in imported_modules(source) if _within(name, "sessions.reports"))
    return sorted(found)


def app_modules():
    for package in ("chibo", "members", "sessions"):
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", list(app_modules()))
def test_module_imports_only_what_the_layout_allows(path):
    assert forbidden(path, (ROOT / path).read_text()) == []


@pytest.mark.parametrize(
    ("path", "source", "caught"),
    [
        ("members/views.py", "from sessions.models import Attendance", "sessions.models"),
        ("members/views.py", "import sessions.models", "sessions.models"),
        ("members/forms.py", "from chibo.views import home", "chibo.views"),
        ("members/forms.py", "from chibo import views", "chibo.views"),
        ("chibo/lib/roles.py", "from members.models import Member", "members.models"),
        ("chibo/lib/widgets.py", "from chibo.settings import DEBUG", "chibo.settings"),
        ("sessions/models.py", "from chibo.demo.cell import DemoLoader", "chibo.demo.cell"),
        (
            "sessions/views.py",
            "from sessions.reports.summaries import x",
            "sessions.reports.summaries",
        ),
        ("chibo/views.py", "from tests.factories import make_member", "tests.factories"),
    ],
)
def test_a_forbidden_import_is_caught(path, source, caught):
    assert caught in forbidden(path, source)


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("members/views.py", "from chibo.lib.roles import SECRETARY"),
        ("sessions/models.py", "from members.models import Member"),
        ("sessions/reports/views.py", "from sessions.models import Attendance"),
        ("sessions/urls.py", "from sessions.reports import urls"),
        ("chibo/views.py", "from sessions.reports.summaries import year_glance"),
    ],
)
def test_an_allowed_import_passes(path, source):
    assert forbidden(path, source) == []
