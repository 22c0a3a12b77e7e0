"""Every link of the demo cell, followed as each demo role.

Each page a role can reach by clicking opens without an error, loads nothing
from outside the server, shows nothing of a sibling cell, is closed to
anonymous visitors, and makes as many queries once the cell has grown (more
members, more sessions, more years) as it did before. The committee officer
is crawled inside the cell, as they read it after switching in.
"""

from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse

from chibo.lib.roles import COMMITTEE
from members.models import Role, single_cell
from tests.builders import (
    SIBLING_FILE_MARK,
    SIBLING_MARK,
    grow_cell,
    load_demo_at,
    sibling_cell,
)

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"
ASSET_TAGS = {"link": "href", "script": "src", "img": "src"}
MAX_PAGES = 3000
# Printed records (.docx, .pdf) are laid out by LibreOffice's and WeasyPrint's
# engines, a second or so each: the crawl opens this many of each kind, the
# files of every record are tested in tests/test_printed_records.py.
FILES_PER_KIND = 2
FILE_SUFFIXES = (".docx", ".pdf")


class Links(HTMLParser):
    """The links and the assets of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.assets = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag in ASSET_TAGS and attrs.get(ASSET_TAGS[tag]):
            self.assets.append(attrs[ASSET_TAGS[tag]])


@dataclass
class Crawl:
    queries: dict = field(default_factory=dict)  # URL -> number of queries
    problems: list = field(default_factory=list)
    outside_links: set = field(default_factory=set)


def local_path(url, page):
    """The path (and query) of a link on ``page``, or None if it leaves the server."""
    absolute = urljoin(BASE + page.lstrip("/"), urldefrag(url).url)
    parts = urlsplit(absolute)
    # webcal:// is the calendar feed's own address, for a phone to subscribe to.
    if parts.scheme not in ("http", "https", "webcal") or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def visitor(username):
    """A demo login; ``committee``, an officer of the demo cell's committee (made if missing)."""
    if username != "committee":
        return User.objects.get(username=username)
    user, _ = User.objects.get_or_create(username="committee")
    Role.objects.get_or_create(
        user=user, organisation=single_cell().parent, defaults={"kind": COMMITTEE}
    )
    return user


def leads_to(path, sibling) -> bool:
    """Whether ``path`` names a member, session or group of the sibling cell by its id."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    ids = {
        "members": {sibling["member"].pk, sibling["temporary"].pk},
        "sessions": {sibling["held"].pk, sibling["planned"].pk},
        "groups": {sibling["group"].pk, sibling["empty_group"].pk},
    }
    namespace = match.namespace.split(":")[0]
    name = match.url_name or ""
    for key, value in match.kwargs.items():
        if key == "member_pk" or (key == "pk" and namespace in ("members", "history")):
            kind = "groups" if name.startswith("group") else "members"
        elif key == "pk":
            kind = "sessions"
        else:
            continue
        if name == "session" or namespace == "sessions":
            kind = "members" if key == "member_pk" else "sessions"
        if value in ids[kind]:
            return True
    return False


def fetch(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def crawl(client) -> Crawl:
    result = Crawl()
    queue, seen = deque(["/"]), {"/"}
    files = Counter()
    while queue:
        page = queue.popleft()
        response, result.queries[page] = fetch(client, page)
        found = []
        if response.status_code in (301, 302):
            found = [response["Location"]]
        elif response.status_code != 200:
            result.problems.append(f"{page}: {response.status_code}")
            continue
        elif response["Content-Type"].startswith("text/html"):
            text = response.content.decode()
            for mark in (SIBLING_MARK, SIBLING_FILE_MARK):
                if mark in text:
                    result.problems.append(f"{page}: shows {mark!r} of a sibling cell")
            links = Links()
            links.feed(text)
            for asset in links.assets:
                path = local_path(asset, page)
                if path is None:
                    result.problems.append(f"{page}: asset from outside the server: {asset}")
                elif path.startswith("/static/") and not finders.find(path[len("/static/") :]):
                    result.problems.append(f"{page}: missing asset {asset}")
            found = links.links
        for link in found:
            if link.startswith(("mailto:", "tel:", "#")):
                continue
            path = local_path(link, page)
            if path is None:
                result.outside_links.add(link)
            elif path not in seen:
                seen.add(path)
                if urlsplit(path).path.endswith(FILE_SUFFIXES):
                    kind = resolve(urlsplit(path).path).url_name
                    files[kind] += 1
                    if files[kind] > FILES_PER_KIND:
                        continue
                queue.append(path)
        assert len(seen) < MAX_PAGES, "the crawl does not end"
    return result


@pytest.mark.parametrize("username", ["secretary", "leader", "member", "committee"])
def test_every_link_opens_and_no_page_grows_with_the_data(monkeypatch, username):
    """What a demo role can click opens, loads nothing from outside the server,
    shows nothing of a sibling cell and is closed to anonymous visitors; after
    60 members and two years of sessions more, every one of those pages makes
    no more queries than before.

    One crawl per role for all four (the secretary's is 500 pages).
    """
    load_demo_at(monkeypatch)
    sibling = sibling_cell(2026)
    client = Client()
    client.force_login(visitor(username))
    if username == "committee":
        switched = client.post(reverse("switch_workplace"), {"organisation": single_cell().pk})
        assert switched.status_code == 302
    result = crawl(client)
    assert result.problems == []
    assert (
        len(result.queries)
        > {"member": 20, "leader": 60, "secretary": 200, "committee": 60}[username]
    )
    assert not [path for path in result.queries if leads_to(path, sibling)]
    # Links out of Chibo are the documents' own addresses, never an asset.
    assert result.outside_links <= {"https://tulieuvankien.dangcongsan.vn/"}

    anonymous = Client()
    open_to_anonymous = []
    for path in result.queries:
        if path.startswith("/sessions/calendar/feed/"):
            continue  # the member's secret calendar address, for a phone's calendar
        response = anonymous.get(path)
        if not (
            response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        ):
            open_to_anonymous.append((path, response.status_code))
    assert open_to_anonymous == []

    before = result.queries
    grow_cell(60, [2025, 2026], sessions_per_year=10)
    after = {path: fetch(client, path)[1] for path in before}
    grown = {path: (before[path], after[path]) for path in before if after[path] > before[path]}
    assert grown == {}
