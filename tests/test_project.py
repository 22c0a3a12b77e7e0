"""Project-wide checks: migrations, translations, static assets."""

import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
EN_PO = ROOT / "locale/en/LC_MESSAGES/django.po"


@pytest.mark.django_db
def test_no_migration_is_pending():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_bootstrap_is_served_by_the_app_not_a_cdn():
    assert finders.find("bootstrap/css/bootstrap.min.css")
    assert finders.find("bootstrap/js/bootstrap.bundle.min.js")
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "cdn." not in text and "//unpkg" not in text, template


def test_english_catalog_translates_every_string():
    catalog = polib.pofile(EN_PO)
    missing = [entry.msgid for entry in catalog if not entry.obsolete and not entry.translated()]
    assert missing == []
    assert not [entry.msgid for entry in catalog if "fuzzy" in entry.flags]


def test_compiled_catalogs_match_their_sources():
    for po_path in (ROOT / "locale").glob("*/LC_MESSAGES/django.po"):
        po = polib.pofile(po_path)
        mo = polib.mofile(po_path.with_suffix(".mo"))
        compiled = {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo
        }
        for entry in po.translated_entries():
            key = (entry.msgctxt, entry.msgid)
            assert key in compiled, (
                f"{po_path}: {entry.msgid!r} is not compiled; run compilemessages"
            )
            assert compiled[key] == (
                entry.msgstr,
                tuple(sorted((k, v) for k, v in entry.msgstr_plural.items())),
            ), entry.msgid


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")
def test_every_string_in_the_code_is_in_the_english_catalog(tmp_path):
    """makemessages on a copy of the project finds no string the catalog lacks."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "media", "staticfiles", "*.sqlite3*", "node_modules"
    )
    shutil.copytree(ROOT, copy, ignore=ignore)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=tests/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    extracted = {
        (e.msgctxt, e.msgid) for e in polib.pofile(copy / "locale/en/LC_MESSAGES/django.po")
    }
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(EN_PO) if not e.obsolete}
    assert sorted(msgid for _ctx, msgid in extracted - committed) == []


@pytest.mark.django_db
def test_the_suite_hashes_test_passwords_with_the_fast_hasher(member):
    """tests/conftest.py sets it once; production keeps Django's PBKDF2 default."""
    assert member.password.startswith("md5$")
    assert member.check_password("mật-khẩu-thử-1")
