"""Every page, export and feed of the demo cell, written to a folder to compare.

A change that should show nothing new (moving code, one rule in one place)
is checked by taking a snapshot before it and one after, then comparing::

    .venv/bin/python -m tests.snapshot_pages /tmp/before
    # ... the change ...
    .venv/bin/python -m tests.snapshot_pages /tmp/after
    diff -r /tmp/before /tmp/after

It builds a test database of its own, loads the demo as on the tests' demo
day, follows every link as each demo role (as tests/test_crawl.py does) and
writes each answer as text: HTML and CSV as they are, workbooks as their
cells, with the tokens that differ between two runs (CSRF, calendar
addresses, upload names) replaced by a fixed word.
"""

import os
import re
import sys
import tempfile
from collections import deque
from io import BytesIO
from pathlib import Path
from unittest import mock

ROLES = ("secretary", "leader", "member")
VOLATILE = [
    (re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"'), b'name="csrfmiddlewaretoken" v'),
    (re.compile(rb"/calendar/feed/[A-Za-z0-9_\-]+"), b"/calendar/feed/TOKEN"),
    (re.compile(rb"/media/[^\"' )]+"), b"/media/FILE"),
    (re.compile(rb"/sessions/photos/\d+/[^\"' )]*"), b"/sessions/photos/FILE"),
    (re.compile(rb"DTSTAMP:[0-9TZ]+"), b"DTSTAMP:NOW"),
    (re.compile(rb"\?v=[0-9a-f]+"), b"?v=HASH"),
    # The data download says when it was made, by the wall clock.
    (re.compile(rb'"T\xe1\xba\xa1o l\xc3\xbac": "[^"]+"'), b'"CREATED": "NOW"'),
]


def normalised(content: bytes, content_type: str) -> bytes:
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(BytesIO(content))
        lines = []
        for sheet in book.worksheets:
            lines.append(f"# {sheet.title}")
            for row in sheet.iter_rows(values_only=True):
                lines.append("\t".join("" if cell is None else str(cell) for cell in row))
        content = "\n".join(lines).encode()
    elif not content_type.startswith(("text/", "application/json")):
        return f"{content_type}: {len(content)} bytes\n".encode()
    for pattern, replacement in VOLATILE:
        content = pattern.sub(replacement, content)
    return content


def file_name(path: str) -> str:
    for pattern, replacement in VOLATILE:
        path = pattern.sub(replacement, path.encode()).decode()
    return re.sub(r"[^A-Za-z0-9._=-]+", "_", path.strip("/")) or "home"


def snapshot(folder: Path) -> int:
    from django.contrib.auth.models import User
    from django.test import Client

    from tests.builders import load_demo_at
    from tests.test_crawl import Links, local_path

    written = 0
    with mock.patch("django.utils.timezone.now") as now:
        from tests.builders import DEMO_TODAY

        now.return_value = DEMO_TODAY
        load_demo_at(mock.MagicMock())
        for role in ROLES:
            client = Client()
            client.force_login(User.objects.get(username=role))
            queue, seen = deque(["/"]), {"/"}
            while queue:
                page = queue.popleft()
                response = client.get(page)
                kind = response.get("Content-Type", "")
                body = b"" if response.streaming else response.content
                text = normalised(body, kind)
                out = folder / role / file_name(page)
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(f"{response.status_code} {kind}\n".encode() + text)
                written += 1
                found = []
                if response.status_code in (301, 302):
                    found = [response["Location"]]
                elif response.status_code == 200 and kind.startswith("text/html"):
                    links = Links()
                    links.feed(body.decode())
                    found = links.links
                for link in found:
                    if link.startswith(("mailto:", "tel:", "#")):
                        continue
                    path = local_path(link, page)
                    if path is not None and path not in seen:
                        seen.add(path)
                        queue.append(path)
    return written


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: python -m tests.snapshot_pages OUTPUT_FOLDER")
    folder = Path(argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    media = tempfile.mkdtemp(prefix="chibo-snapshot-media-")
    os.environ["MEDIA_ROOT"] = media

    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0)
    try:
        count = snapshot(folder)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    print(f"{count} answers written under {folder}")


if __name__ == "__main__":
    main(sys.argv)
